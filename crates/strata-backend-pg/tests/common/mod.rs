//! Shared by the integration tests: the server to use, fresh schemas, and operations.
//!
//! The tests need a PostgreSQL server named by `STRATA_TEST_PG` (a connection string);
//! `.ci/postgres.sh start DIR` starts one and prints the line to export. Without it, every
//! test returns at once.
#![allow(dead_code)]

use strata_addrs::{ProviderConfigAddr, ResourceInstanceAddr};
use strata_state::{InstanceState, InstanceStatus, Intent, Operation, OutputState, PathStep};

/// The test server's connection string, or `None` to skip.
pub fn server() -> Option<String> {
    std::env::var("STRATA_TEST_PG").ok().filter(|value| !value.trim().is_empty())
}

/// A schema no other test uses, so tests are independent and can run in parallel.
pub fn unique_schema() -> String {
    format!("strata_test_{}", uuid::Uuid::new_v4().simple())
}

/// A direct connection, for looking at the tables.
pub async fn client(conn_str: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(conn_str, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(connection);
    client
}

pub fn address(text: &str) -> ResourceInstanceAddr {
    text.parse().unwrap()
}

pub fn instance(id: &str) -> InstanceState {
    InstanceState {
        provider: "provider.strata".parse::<ProviderConfigAddr>().unwrap(),
        schema_version: 0,
        attributes: serde_json::json!({ "id": id, "secret": format!("s-{id}") }),
        sensitive_paths: vec![vec![PathStep::Attribute("secret".into())]],
        dependencies: vec!["strata_data.root".parse().unwrap()],
        status: InstanceStatus::Ready,
        create_before_destroy: false,
    }
}

pub fn put(text: &str) -> Operation {
    Operation::PutInstance { address: address(text), instance: instance(text) }
}

pub fn output(name: &str, value: serde_json::Value) -> Operation {
    Operation::PutOutput { name: name.to_owned(), output: OutputState { value, sensitive: false } }
}

/// A mixed run of every kind of operation, with values `jsonb` would not keep as written: keys
/// out of order, a NUL character, a float.
pub fn every_kind() -> Vec<Operation> {
    let intent = Intent::new("provider.strata".parse().unwrap(), serde_json::json!({"id": null}));
    let mut odd = instance("odd");
    odd.attributes = serde_json::json!({ "zeta": 1, "alpha": "nul\u{0}here", "ratio": 0.1, "big": 12345678901234_i64 });
    vec![
        put("strata_data.root"),
        Operation::PutIntent { address: address("module.m.strata_data.x[\"k\"]"), intent: intent.clone() },
        put("module.m.strata_data.x[\"k\"]"),
        Operation::PutIntent { address: address("strata_data.y[0]"), intent },
        Operation::ClearIntent { address: address("strata_data.y[0]") },
        put("data.local_file.f[1]"),
        Operation::RemoveInstance { address: address("data.local_file.f[1]") },
        Operation::PutInstance { address: address("strata_data.odd"), instance: odd },
        Operation::PutOutput { name: "a".into(), output: OutputState { value: serde_json::json!(1), sensitive: true } },
        output("b", serde_json::json!([2])),
        Operation::RemoveOutput { name: "b".into() },
    ]
}
