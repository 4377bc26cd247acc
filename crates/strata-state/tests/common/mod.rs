//! Builders shared by the integration tests.
#![allow(dead_code)]

use strata_addrs::{ProviderConfigAddr, ResourceInstanceAddr};
use strata_state::{InstanceState, InstanceStatus, Operation};

pub fn address(text: &str) -> ResourceInstanceAddr {
    text.parse().unwrap()
}

pub fn instance(id: &str) -> InstanceState {
    InstanceState {
        provider: "provider.strata".parse::<ProviderConfigAddr>().unwrap(),
        schema_version: 0,
        attributes: serde_json::json!({ "id": id, "secret": format!("s-{id}") }),
        sensitive_paths: vec![vec![strata_state::PathStep::Attribute("secret".into())]],
        dependencies: vec!["strata_data.root".parse().unwrap()],
        status: InstanceStatus::Ready,
        create_before_destroy: false,
    }
}

pub fn put(text: &str) -> Operation {
    Operation::PutInstance { address: address(text), instance: instance(text) }
}

pub fn remove(text: &str) -> Operation {
    Operation::RemoveInstance { address: address(text) }
}

pub fn state_path(dir: &tempfile::TempDir) -> std::path::PathBuf {
    dir.path().join("strata.state.json")
}

pub fn journal_path(dir: &tempfile::TempDir) -> std::path::PathBuf {
    dir.path().join("strata.state.json.journal")
}
