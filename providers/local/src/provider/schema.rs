//! The schema the plugin serves: the provider block and `local_host`. It keeps every name and
//! type of the built-in catalog's `local` entry (`strata_schema::builtin_catalog`) and adds
//! computed attributes: the size (`vcpus`, `memory_mib`, known at plan time so the plan shows
//! it), the host's `status`, what a deployer needs to log in (`ssh_user`, `ssh_port`,
//! `ssh_private_key_path`) and the `network`. The provider block also has `bucket_root`; the
//! schemas of `local_bucket` and `local_bucket_object` come from their models
//! (`bucket.rs`, `bucket_object.rs`) and are added by `LocalProvider::schema`.

use std::collections::BTreeMap;

use strata_schema::{AttributeSchema as A, BlockSchema, ProviderSchema, ResourceSchema};
use strata_value::{Type, Value};

use crate::INSTANCE_TYPES;

/// The resource type.
pub const LOCAL_HOST: &str = "local_host";
/// The instance type of a host that does not name one.
pub const DEFAULT_INSTANCE_TYPE: &str = "local.c1m2";
/// The default isolation: Linux namespaces sharing this machine's file system.
pub const NAMESPACE: &str = "namespace";
/// A full root file system of its own, with systemd-nspawn.
pub const CONTAINER: &str = "container";
/// `status` of a host that works.
pub const RUNNING: &str = "running";
/// The user a deployer logs in as.
pub const SSH_USER: &str = "root";

/// The provider's schema.
pub fn provider_schema() -> ProviderSchema {
    ProviderSchema {
        config: provider_block(),
        resources: BTreeMap::from([(LOCAL_HOST.to_string(), local_host())]),
        data_sources: BTreeMap::new(),
    }
}

fn provider_block() -> BlockSchema {
    BlockSchema::new()
        .attribute(
            "subnet",
            A::optional(
                Type::String,
                "IPv4 subnet of the provider's bridge, e.g. \"10.77.0.0/24\" (default: the network's recorded \
                 subnet, else 10.231.0.0/24). A subnet already routed on the machine is refused.",
            ),
        )
        .attribute(
            "state_dir",
            A::optional(Type::String, "Where hosts keep their files (default /var/lib/strata/local; not under /tmp)."),
        )
        .attribute(
            "auto_install",
            A::optional(Type::Bool, "Install missing Debian packages (openssh-server) with apt when needed."),
        )
        .attribute(
            "bucket_root",
            A::optional(
                Type::String,
                "Where local_bucket makes its directories (default /mnt/buckets, which every namespace host \
                 sees too; a relative path is taken from the working directory).",
            ),
        )
}

fn local_host() -> ResourceSchema {
    let catalog: Vec<String> = INSTANCE_TYPES
        .iter()
        .map(|entry| format!("{} ({} vCPU, {} GiB)", entry.name, entry.vcpus, entry.memory_mib / 1024))
        .collect();
    let instance_type =
        format!("Size from the local catalog: {}. Default {DEFAULT_INSTANCE_TYPE}.", catalog.join(", "));
    let block = BlockSchema::new()
        .attribute(
            "instance_type",
            computed_argument(A::optional(Type::String, &instance_type))
                .with_default(Value::from(DEFAULT_INSTANCE_TYPE))
                .force_new(),
        )
        .attribute(
            "isolation",
            computed_argument(A::optional(
                Type::String,
                "namespace (default): Linux namespaces sharing this machine's file system, sub-second to create; \
                 container: a full root file system of its own (an overlay over a cached Debian base, run with \
                 systemd-nspawn; the first one on a machine builds the base, about a minute).",
            ))
            .allowed(&[NAMESPACE, CONTAINER])
            .with_default(Value::from(NAMESPACE))
            .force_new(),
        )
        .attribute(
            "hostname",
            computed_argument(A::optional(
                Type::String,
                "Host name, unique in the network; every host of the network resolves it. Default: the host's id.",
            ))
            .force_new(),
        )
        .attribute("id", A::computed(Type::String, "The host's id, derived from the create's idempotency token."))
        .attribute("private_ip", A::computed(Type::String, "Address on the provider's bridge."))
        .attribute(
            "ssh_host_key_fingerprint",
            A::computed(Type::String, "SHA256 fingerprint of the host key (as ssh-keygen -l prints it)."),
        )
        .attribute("vcpus", A::computed(Type::Number, "CPUs of the instance type (a CFS quota where enforced)."))
        .attribute("memory_mib", A::computed(Type::Number, "Memory of the instance type, in MiB (a hard limit)."))
        .attribute(
            "status",
            A::computed(Type::String, "\"running\", or \"broken: <why>\" when refresh finds it not working."),
        )
        .attribute("ssh_user", A::computed(Type::String, "The user to log in as (root)."))
        .attribute("ssh_port", A::computed(Type::Number, "The port sshd listens on (22)."))
        .attribute(
            "ssh_private_key_path",
            A::computed(Type::String, "Path of the network's client private key (the key itself is never in state)."),
        )
        .attribute("network", A::computed(Type::String, "The provider's network (named after the working directory)."));
    ResourceSchema {
        version: 0,
        description: "A host on this machine made from Linux namespaces, reached over SSH.".to_string(),
        block,
    }
}

/// An optional argument the provider fills in when it is left unset or null.
fn computed_argument(mut attribute: A) -> A {
    attribute.computed = true;
    attribute
}

#[cfg(test)]
mod tests {
    use strata_schema::SchemaSource as _;

    use super::*;

    /// Everything the built-in catalog says of `local_host` and the provider block holds here
    /// too (names, types, arguments stay arguments), so configurations validated against the
    /// catalog keep working when the plugin's schema replaces it.
    #[test]
    fn compatible_with_the_builtin_catalog() {
        let catalog = strata_schema::builtin_catalog();
        let builtin = catalog.provider("local").unwrap();
        let served = provider_schema();
        for (name, attribute) in &builtin.config.attributes {
            let ours = &served.config.attributes[name];
            assert_eq!(
                (ours.ty.clone(), ours.is_argument()),
                (attribute.ty.clone(), attribute.is_argument()),
                "{name}"
            );
        }
        let builtin = &builtin.resources[LOCAL_HOST].block;
        let ours = &served.resources[LOCAL_HOST].block;
        for (name, attribute) in &builtin.attributes {
            let mine = &ours.attributes[name];
            assert_eq!(mine.ty, attribute.ty, "{name}");
            assert_eq!(mine.is_argument(), attribute.is_argument(), "{name}");
            assert!(!mine.required, "{name}");
            assert_eq!(mine.force_new, attribute.force_new, "{name}");
        }
    }
}
