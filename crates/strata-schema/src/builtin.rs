//! The schemas of the resource types Strata ships with.
//!
//! Until providers run as plugins and serve their own schemas, this is the description the
//! validator uses. Provider names follow the type prefix: `strata_*`, `local_*`, `emr_*`.

use std::collections::BTreeMap;

use strata_value::{Type, Value};

use crate::{AttributeSchema as A, BlockSchema, Catalog, Nesting, ProviderSchema, ResourceSchema};

/// Node group roles, as in E-MapReduce.
pub const NODE_GROUP_ROLES: [&str; 4] = ["MASTER", "CORE", "TASK", "GATEWAY"];
pub const JOB_TYPES: [&str; 4] = ["PYSPARK", "SPARK", "SPARK_SQL", "SHELL"];

pub fn builtin_catalog() -> Catalog {
    let mut providers = BTreeMap::new();
    providers.insert("strata".to_owned(), strata_provider());
    providers.insert("local".to_owned(), local_provider());
    providers.insert("emr".to_owned(), emr_provider());
    Catalog { providers }
}

fn resource(description: &str, block: BlockSchema) -> ResourceSchema {
    ResourceSchema { version: 0, description: description.to_owned(), block }
}

fn id() -> A {
    A::computed(Type::String, "Unique identifier assigned on create.")
}

fn strata_provider() -> ProviderSchema {
    let mut p = ProviderSchema::default();
    p.resources.insert(
        "strata_data".into(),
        resource(
            "Stores a value in state, like Terraform's terraform_data.",
            BlockSchema::new()
                .attribute("input", A::optional(Type::Any, "A value copied to `output` on apply."))
                .attribute(
                    "triggers_replace",
                    A::optional(Type::Any, "Replaces the resource when it changes.").force_new(),
                )
                .attribute("output", A::computed(Type::Any, "The value of `input` after apply."))
                .attribute("id", id()),
        ),
    );
    p.data_sources.insert(
        "strata_file".into(),
        resource(
            "Reads a file on local disk.",
            BlockSchema::new()
                .attribute("path", A::required(Type::String, "Path of the file."))
                .attribute("content", A::computed(Type::String, "Content of the file."))
                .attribute("id", id()),
        ),
    );
    p.resources.insert(
        "strata_file".into(),
        resource(
            "A file on local disk.",
            BlockSchema::new()
                .attribute("path", A::required(Type::String, "Path of the file.").force_new())
                .attribute("content", A::required(Type::String, "Content of the file."))
                .attribute(
                    "mode",
                    A::optional(Type::String, "Octal permission bits.").with_default(Value::from("0644")),
                )
                .attribute("id", id()),
        ),
    );
    p
}

fn local_provider() -> ProviderSchema {
    let mut p = ProviderSchema {
        config: BlockSchema::new()
            .attribute(
                "subnet",
                A::optional(Type::String, "IPv4 subnet of the provider's bridge, e.g. \"10.77.0.0/24\"."),
            )
            .attribute(
                "state_dir",
                A::optional(Type::String, "Where hosts keep their files (default /var/lib/strata/local)."),
            )
            .attribute(
                "auto_install",
                A::optional(Type::Bool, "Install missing Debian packages (openssh-server) when needed."),
            ),
        ..ProviderSchema::default()
    };
    p.resources.insert(
        "local_host".into(),
        resource(
            "A host on this machine made from Linux namespaces, reached over SSH.",
            BlockSchema::new()
                .attribute(
                    "instance_type",
                    A::optional(Type::String, "Size from the local catalog, e.g. local.c1m2.").force_new(),
                )
                .attribute(
                    "isolation",
                    A::optional(Type::String, "namespace (default) or container.")
                        .allowed(&["namespace", "container"])
                        .force_new(),
                )
                .attribute(
                    "hostname",
                    A::optional(Type::String, "Host name; derived from the address when unset.").force_new(),
                )
                .attribute("id", id())
                .attribute("private_ip", A::computed(Type::String, "Address on the provider's bridge."))
                .attribute(
                    "ssh_host_key_fingerprint",
                    A::computed(Type::String, "SHA256 fingerprint of the host key."),
                ),
        ),
    );
    p.resources.insert(
        "local_bucket".into(),
        resource(
            "Object storage on this machine, visible on cluster hosts under /mnt/buckets/NAME.",
            BlockSchema::new()
                .attribute("name", A::required(Type::String, "Bucket name.").force_new())
                .attribute("id", id())
                .attribute("path", A::computed(Type::String, "Directory holding the objects.")),
        ),
    );
    p.resources.insert(
        "local_bucket_object".into(),
        resource(
            "A file in a local bucket.",
            BlockSchema::new()
                .attribute("bucket", A::required(Type::String, "Bucket id.").force_new())
                .attribute("key", A::required(Type::String, "Object key.").force_new())
                .attribute("source", A::optional(Type::String, "Local file to upload."))
                .attribute("content", A::optional(Type::String, "Literal content."))
                .attribute("id", id())
                .attribute("etag", A::computed(Type::String, "sha256 of the content.")),
        ),
    );
    p
}

fn emr_provider() -> ProviderSchema {
    let node_group = BlockSchema::new()
        .attribute(
            "role",
            A::required(Type::String, "MASTER, CORE, TASK or GATEWAY.").allowed(&NODE_GROUP_ROLES).force_new(),
        )
        .attribute("instance_type", A::required(Type::String, "Instance size, e.g. local.c1m2.").force_new())
        .attribute("count", A::optional(Type::Number, "Number of nodes.").with_default(Value::from(1.0)))
        .attribute("disk_size", A::optional(Type::Number, "Data disk size in GiB."))
        .attribute("private_ips", A::computed(Type::list(Type::String), "Addresses of the nodes."));
    let config = BlockSchema::new()
        .attribute("values", A::required(Type::map(Type::String), "Keys and values merged into the file."));
    let mut p = ProviderSchema::default();
    p.resources.insert(
        "emr_cluster".into(),
        resource(
            "A cluster: node groups running a release's services.",
            BlockSchema::new()
                .attribute("name", A::required(Type::String, "Cluster name."))
                .attribute(
                    "release",
                    A::required(Type::String, "Release, e.g. STRATA-1.0.1; a patch-level change is made in place."),
                )
                .attribute(
                    "services",
                    A::required(Type::list(Type::String), "Services to install, e.g. [\"ZOOKEEPER\", \"SPARK\"]."),
                )
                .attribute(
                    "metastore",
                    A::optional(Type::String, "Id of an emr_metastore to share table metadata through."),
                )
                .attribute("ssh_public_key", A::optional(Type::String, "Public key allowed to log in to the nodes."))
                .attribute("id", id())
                .attribute("status", A::computed(Type::String, "RUNNING once every service is healthy."))
                .attribute("master_private_ip", A::computed(Type::String, "Address of the first master node."))
                .attribute("master_ui_url", A::computed(Type::String, "URL of the Spark master web UI."))
                .attribute(
                    "sql_jdbc_url",
                    A::computed(Type::String, "JDBC URL of the Spark SQL Thrift server, with SPARK_THRIFT."),
                )
                .block("node_group", Nesting::Map, 1, "A group of nodes with one role.", node_group)
                .block("config", Nesting::Map, 0, "Values for one configuration file.", config),
        ),
    );
    p.resources.insert(
        "emr_job".into(),
        resource(
            "A job run on a cluster.",
            BlockSchema::new()
                .attribute("cluster", A::required(Type::String, "Id of the cluster.").force_new())
                .attribute("type", A::required(Type::String, "PYSPARK, SPARK, SPARK_SQL or SHELL.").allowed(&JOB_TYPES))
                .attribute("main", A::required(Type::String, "Script, jar, query file or shell script."))
                .attribute("main_class", A::optional(Type::String, "Main class of a SPARK jar."))
                .attribute("args", A::optional(Type::list(Type::String), "Arguments."))
                .attribute("conf", A::optional(Type::map(Type::String), "Spark configuration."))
                .attribute("files", A::optional(Type::list(Type::String), "Local files uploaded with the job."))
                .attribute(
                    "triggers",
                    A::optional(Type::map(Type::String), "Run again when any value changes.").force_new(),
                )
                .attribute("id", id())
                .attribute("status", A::computed(Type::String, "SUCCEEDED or FAILED."))
                .attribute("application_id", A::computed(Type::String, "Spark application id."))
                .attribute("exit_code", A::computed(Type::Number, "Exit code of the driver."))
                .attribute("ui_url", A::computed(Type::String, "Link to the application UI."))
                .attribute("output", A::computed(Type::String, "The end of the driver's standard output.")),
        ),
    );
    p.resources.insert(
        "emr_metastore".into(),
        resource(
            "An external metastore database shared by clusters.",
            BlockSchema::new()
                .attribute("name", A::required(Type::String, "Metastore name.").force_new())
                .attribute("instance_type", A::optional(Type::String, "Size of its host."))
                .attribute("id", id())
                .attribute("jdbc_url", A::computed(Type::String, "JDBC URL of the database."))
                .attribute("password", A::computed(Type::String, "Database password.").sensitive()),
        ),
    );
    p
}
