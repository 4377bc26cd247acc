//! What each node should have (pure), from the release catalog's templates: the component
//! links, directories and configuration files ([`HostPlan::files`]) and the supervised services
//! with their health checks ([`HostPlan::services`]) of one node, given the cluster's
//! [`Topology`], its nodes' addresses and the user's `config` blocks. Golden files in
//! `testdata/emr/render/` show every byte.
//!
//! Placeholders (docs/releases.md) are filled in per node and component: `{install_dir}` is the
//! component cache entry every host sees (`<cache>/<package>-<version>`), `{home}` the
//! catalog's home under it, `{conf_dir}`, `{data_dir}`, `{run_dir}` are per component under the
//! node's own `/opt/strata/conf`, `/var/lib/strata` and `/run/strata`, `{log_dir}` is
//! `/var/log/strata`, `{shared_dir}` the cluster's directory every node sees.
//!
//! `{metastore_host}` and `{metastore_password}` come from the metastore record a layout is given
//! (an `emr_metastore`'s own host, or a cluster using it), and a layout may put `{data_dir}`
//! under another root (a metastore keeps its database in its shared directory, so the data
//! outlives its host).
//!
//! Configuration files are the release's defaults with the user's values merged over them
//! (`strata_release::merge_config`); between the two, on nodes with Spark, the values
//! [`crate::metastore_client`] gives for Hive support (`spark-defaults.conf`), and Spark gets a
//! `hive-site.xml` of the cluster's metastore (mode 0600). A service's launcher carries the sha256 of the files it
//! reads (`STRATA_CONFIG_SHA256`): the launcher is the service's definition, so a changed file
//! restarts exactly the services that read it. A service's `init` commands run in its launcher,
//! before its start command, on every start; its `post_start` commands are written to a script
//! of mode 0700 (they may hold the metastore password) that the deployer runs once the service
//! is healthy, on every converge (they are idempotent). A catalog `stop` command is not run:
//! the supervisor stops a service with TERM to its process group (for PostgreSQL, a smart
//! shutdown), then KILL after the stop timeout.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::time::Duration;

use strata_deploy::operations::{DirectorySpec, FileSpec, SymlinkSpec};
use strata_deploy::{DesiredState, FileContent, Mode, ServiceSpec, sha256_hex, shell_quote};
use strata_provider_sdk::ProviderError;
use strata_release::{ArtifactKind, Component, ConfigFormat, HealthCheck, Service, merge_config, placeholder};

use crate::metastore_client;
use crate::metastore_record::MetastoreRecord;
use crate::metastore_render;
use crate::model::ConfigFile;
use crate::release::{self, POSTGRESQL, SPARK_MASTER_SERVICE, SPARK_THRIFT, SPARK_THRIFT_SERVICE, ZOOKEEPER_SERVICE};
use crate::thrift;
use crate::topology::{Node, Topology};

/// Configuration files, one directory per component.
pub const CONF_DIR: &str = "/opt/strata/conf";
/// Components are linked here, one link per component (`/opt/strata/spark`).
pub const COMPONENTS_DIR: &str = "/opt/strata";
/// Data of the services (the host's own /var/lib).
pub const DATA_DIR: &str = "/var/lib/strata";
/// Runtime files of the services (the host's own /run).
pub const RUN_DIR: &str = "/run/strata";
/// Where supervised services' output goes (strata-deploy's log directory).
pub const LOG_DIR: &str = "/var/log/strata";
/// Commands for users on every node, with the node's configuration.
pub const BIN_DIR: &str = "/opt/strata/bin";
/// Spark's commands given a wrapper in [`BIN_DIR`].
pub const SPARK_COMMANDS: [&str; 4] = ["spark-submit", "pyspark", "spark-sql", "beeline"];
/// The JDK (`{java_home}`).
const JAVA_HOME: &str = "/usr/lib/jvm/java-17-openjdk-amd64";

/// Everything a node's rendering needs.
#[derive(Clone, Copy, Debug)]
pub struct Layout<'a> {
    pub topology: &'a Topology,
    /// Hostname → address, for every node.
    pub ips: &'a BTreeMap<String, Ipv4Addr>,
    /// Hostname → local host id, for every node (names its services, see [`unit_name`]).
    pub host_ids: &'a BTreeMap<String, String>,
    /// The user's `config` blocks.
    pub config: &'a BTreeMap<String, ConfigFile>,
    /// The component cache as the nodes see it.
    pub component_cache: &'a str,
    /// A directory of this cluster every node sees (`{shared_dir}`).
    pub shared_dir: &'a str,
    /// The cluster's network (`{cluster_cidr}`); for a metastore, the networks its clients
    /// come from (the provider's subnet pool).
    pub cluster_cidr: &'a str,
    /// The metastore the templates and Spark's `hive-site.xml` name; `None`: a cluster's own
    /// (Derby, see [`metastore_client`]).
    pub metastore: Option<&'a MetastoreRecord>,
    /// Where `{data_dir}` is (`<root>/<component>`); `None`: the node's own [`DATA_DIR`].
    pub data_root: Option<&'a str>,
}

/// A service on one node, ready to run.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedService {
    pub service: &'static Service,
    pub spec: ServiceSpec,
    pub health: Probe,
    /// How long it may take to become healthy.
    pub start_timeout: Duration,
    /// The script of its `post_start` commands, run once it is healthy.
    pub post_start: Option<String>,
}

/// A health check with its placeholders filled in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Probe {
    /// Send `send` to `ip:port`, expect `expect` back (ZooKeeper's `ruok` → `imok`).
    FourLetterWord { ip: String, port: u16, send: String, expect: String },
    /// `GET http://host:port/path` answers `status` (and a body with one of `body_contains_any`).
    Http { host: String, port: u16, path: String, status: u16, body_contains_any: Vec<String> },
    /// A TCP connection is accepted.
    Tcp { ip: String, port: u16 },
    /// A command on the node exits 0.
    Command { command: String },
    /// The process runs.
    Process,
}

/// What one node should have.
#[derive(Clone, Debug, PartialEq)]
pub struct HostPlan {
    /// Component links, directories, configuration files, command wrappers.
    pub files: Vec<DesiredState>,
    /// Its services, in start order.
    pub services: Vec<PlannedService>,
    /// Paths the node must see: the homes of its components.
    pub required: Vec<String>,
    /// Idempotent setup commands this node runs before services start (see [`Layout::setup_commands`]).
    pub setup: Vec<String>,
    /// The configuration files among [`HostPlan::files`]: path → the catalog's file name
    /// (what services list in their `config_files`).
    pub config_paths: BTreeMap<String, String>,
}

fn lower(component: &Component) -> String {
    component.key.to_lowercase()
}

impl Layout<'_> {
    fn ip(&self, node: &Node) -> Ipv4Addr {
        self.ips.get(&node.hostname).copied().unwrap_or(Ipv4Addr::UNSPECIFIED)
    }

    fn service_ips(&self, service: &str) -> Vec<String> {
        let Some(service) = self.topology.release.service(service) else { return Vec::new() };
        self.topology.nodes_running(service).into_iter().map(|node| self.ip(node).to_string()).collect()
    }

    /// `IP:2181` of every ZooKeeper server, comma-separated; empty without ZooKeeper.
    pub fn zookeeper_connect(&self) -> String {
        let port = release::port(self.topology.release, ZOOKEEPER_SERVICE, 0).unwrap_or(2181);
        self.service_ips(ZOOKEEPER_SERVICE).iter().map(|ip| format!("{ip}:{port}")).collect::<Vec<_>>().join(",")
    }

    /// `spark://IP:7077[,IP:7077...]` of the Spark masters (Spark's form for several).
    pub fn master_url(&self) -> String {
        let port = release::port(self.topology.release, SPARK_MASTER_SERVICE, 0).unwrap_or(7077);
        let masters: Vec<String> =
            self.service_ips(SPARK_MASTER_SERVICE).iter().map(|ip| format!("{ip}:{port}")).collect();
        format!("spark://{}", masters.join(","))
    }

    /// The first Spark master's web UI.
    pub fn master_ui_url(&self) -> String {
        let port = release::port(self.topology.release, SPARK_MASTER_SERVICE, 1).unwrap_or(8080);
        let master = self.service_ips(SPARK_MASTER_SERVICE).into_iter().next().unwrap_or_default();
        format!("http://{master}:{port}")
    }

    /// `jdbc:hive2://IP:10000/default` of the first master's Spark SQL Thrift server; `None`
    /// without SPARK_THRIFT.
    pub fn sql_jdbc_url(&self) -> Option<String> {
        let port = release::port(self.topology.release, SPARK_THRIFT_SERVICE, 0)?;
        let server = self.service_ips(SPARK_THRIFT_SERVICE).into_iter().next()?;
        Some(thrift::sql_jdbc_url(&server, port))
    }

    /// Where a component is installed (see [`component_directory`]).
    pub fn install_dir(&self, component: &Component) -> String {
        component_directory(self.component_cache, component, "install_dir").unwrap_or_default()
    }

    fn directory(&self, component: &Component, which: &str) -> Option<String> {
        match (which, self.data_root) {
            ("data_dir", Some(root)) => Some(format!("{}/{}", root.trim_end_matches('/'), lower(component))),
            _ => component_directory(self.component_cache, component, which),
        }
    }

    /// The value of placeholder `name` for `component` on `node` (and `service`, for
    /// `{service_index}`).
    fn value(&self, node: &Node, component: &Component, service: Option<&Service>, name: &str) -> Option<String> {
        if let Some(directory) = self.directory(component, name) {
            return Some(directory);
        }
        for suffix in placeholder::COMPONENT_SUFFIXES {
            let other = name.strip_suffix(suffix).and_then(|key| self.topology.release.component(&key.to_uppercase()));
            if let Some(other) = other {
                return self.directory(other, &suffix[1..]);
            }
        }
        Some(match name {
            "host_ip" => self.ip(node).to_string(),
            "service_index" => {
                let service = service?;
                let position = self.topology.nodes_running(service).iter().position(|n| n.hostname == node.hostname)?;
                (position + 1).to_string()
            }
            "master_ip" => self.ip(self.topology.master()).to_string(),
            "cluster_cidr" => self.cluster_cidr.to_string(),
            "shared_dir" => self.shared_dir.to_string(),
            "java_home" => JAVA_HOME.to_string(),
            "zookeeper_connect" => self.zookeeper_connect(),
            "spark_master_url" => self.master_url(),
            "metastore_host" => self.metastore?.host_ip()?.to_string(),
            "metastore_password" => self.metastore?.password.clone(),
            _ => return None,
        })
    }

    pub(crate) fn expand(
        &self,
        template: &str,
        node: &Node,
        component: &Component,
        service: Option<&Service>,
    ) -> Result<String, ProviderError> {
        placeholder::expand(template, &|name| self.value(node, component, service, name))
            .map_err(|error| ProviderError::new(format!("{} cannot be run on local hosts yet: {error}", component.key)))
    }

    /// A directory of `component` on the nodes (`conf_dir`, `run_dir`, ...; see
    /// [`component_directory`]), `{data_dir}` under [`Layout::data_root`] when it is set.
    pub(crate) fn directory_of(&self, component: &Component, which: &str) -> String {
        self.directory(component, which).unwrap_or_default()
    }

    /// A component's home on every node (`{home}`).
    pub fn home(&self, component: &Component) -> String {
        self.directory(component, "home").unwrap_or_default()
    }

    /// Where component `key` is linked on every node (`/opt/strata/spark`).
    pub fn component_link(key: &str) -> String {
        format!("{COMPONENTS_DIR}/{}", key.to_lowercase())
    }

    /// The configuration directory of component `key` on a node.
    pub fn conf_dir(key: &str) -> String {
        format!("{CONF_DIR}/{}", key.to_lowercase())
    }

    /// What `node` should have.
    pub fn host_plan(&self, node: &Node) -> Result<HostPlan, ProviderError> {
        let mut files = Vec::new();
        let mut required = Vec::new();
        let mut contents: BTreeMap<&str, String> = BTreeMap::new();
        let mut config_paths = BTreeMap::new();
        for component in self.topology.components_on(node) {
            let home = self.directory(component, "home").unwrap_or_default();
            required.push(home.clone());
            if component.key == "SPARK" {
                required.extend(metastore_client::required(self.metastore));
            }
            files.push(DesiredState::Symlink(SymlinkSpec {
                path: Self::component_link(&component.key),
                target: home.clone(),
            }));
            files.push(directory(&self.directory(component, "data_dir").unwrap_or_default()));
            for file in &component.config_files {
                let (spec, text) = self.config_file(node, component, file)?;
                config_paths.insert(spec.path.clone(), file.name.clone());
                files.push(DesiredState::File(spec));
                contents.insert(file.name.as_str(), text);
            }
            if component.key == "SPARK" {
                let conf_dir = self.directory(component, "conf_dir").unwrap_or_default();
                let defaults = metastore_client::hive_site(self.metastore, self.shared_dir);
                let path = format!("{conf_dir}/{}", metastore_client::HIVE_SITE);
                config_paths.insert(path.clone(), metastore_client::HIVE_SITE.to_string());
                files.push(DesiredState::File(FileSpec {
                    path,
                    content: FileContent::text(self.merge(
                        metastore_client::HIVE_SITE,
                        &defaults,
                        ConfigFormat::Xml,
                    )?),
                    mode: Mode(metastore_client::HIVE_SITE_MODE),
                }));
                for command in SPARK_COMMANDS {
                    files.push(DesiredState::File(FileSpec {
                        path: format!("{BIN_DIR}/{command}"),
                        content: FileContent::text(spark_command(&self.topology.name, command, &home, &conf_dir)),
                        mode: Mode(0o755),
                    }));
                }
            }
        }
        let mut services = Vec::new();
        for service in self.topology.services_on(node) {
            let component = self
                .topology
                .components
                .iter()
                .find(|component| component.key == service.component)
                .expect("a chosen service's component is chosen");
            let read: Vec<&str> = service
                .config_files
                .iter()
                .filter_map(|file| contents.get(file.as_str()).map(String::as_str))
                .collect();
            let unit = unit_name(&service.name, self.host_ids.get(&node.hostname).map_or("", String::as_str));
            let init = if service.name == SPARK_THRIFT_SERVICE {
                // See `crate::thrift`: the schema is made once, by the guarded script, and only
                // where the cluster runs its own metastore database.
                if self.topology.has_component(POSTGRESQL) {
                    let script = metastore_render::schema_script(self, node)?;
                    let command = format!("sh {}", shell_quote(&script.path));
                    files.push(DesiredState::File(script));
                    vec![command]
                } else {
                    Vec::new()
                }
            } else {
                service.init.clone()
            };
            let mut planned = self.planned_service(node, component, service, &unit, &read, &init)?;
            if !service.post_start.is_empty() {
                let path = format!(
                    "{}/{}.post-start.sh",
                    self.directory(component, "conf_dir").unwrap_or_default(),
                    service.name
                );
                let mut script = format!(
                    "#!/bin/sh\n# The post-start commands of {} on {}, written by Strata: run once it is healthy, on\n\
                     # every apply (they are idempotent). Mode 0700: they may hold secrets.\nset -e\n\
                     exec >> {LOG_DIR}/{unit}.post-start.log 2>&1\n",
                    service.name, node.hostname
                );
                for command in &service.post_start {
                    script.push_str(&self.expand(command, node, component, Some(service))?);
                    script.push('\n');
                }
                files.push(DesiredState::File(FileSpec {
                    path: path.clone(),
                    content: FileContent::text(script),
                    mode: Mode(0o700),
                }));
                planned.post_start = Some(path);
            }
            services.push(planned);
        }
        let setup =
            if node.hostname == self.topology.master().hostname { self.setup_commands(node)? } else { Vec::new() };
        Ok(HostPlan { files, services, required, setup, config_paths })
    }

    /// A catalog configuration file of `component` on `node`: its defaults, the provider's
    /// values (Hive support in `spark-defaults.conf`) and the user's `config` block merged.
    pub(crate) fn config_file(
        &self,
        node: &Node,
        component: &Component,
        file: &strata_release::ConfigFile,
    ) -> Result<(FileSpec, String), ProviderError> {
        let hosts = file.host_entries.as_ref().map(|entries| self.service_ips(&entries.service)).unwrap_or_default();
        let hosts: Vec<&str> = hosts.iter().map(String::as_str).collect();
        let lookup = |name: &str| self.value(node, component, None, name);
        let mut defaults = file.expanded_defaults(&lookup, &hosts).map_err(|error| {
            ProviderError::new(format!("{} of {} cannot be written yet: {error}", file.name, component.key))
        })?;
        if component.key == "SPARK" && file.name == "spark-defaults.conf" {
            defaults.extend(metastore_client::spark_defaults(self.metastore, self.shared_dir));
        }
        if component.key == SPARK_THRIFT && file.name == metastore_client::HIVE_SITE {
            // The same metastore and warehouse as Spark's own `hive-site.xml`, no lazy schema
            // creation (it deadlocks on PostgreSQL; the schema is made beforehand).
            defaults.extend(metastore_client::hive_site(self.metastore, self.shared_dir));
        }
        let text = self.merge(&file.name, &defaults, file.format)?;
        let mode = file.mode.as_deref().and_then(|mode| u32::from_str_radix(mode, 8).ok()).unwrap_or(0o644);
        let spec = FileSpec {
            path: self.expand(&file.path, node, component, None)?,
            content: FileContent::text(text.clone()),
            mode: Mode(mode),
        };
        Ok((spec, text))
    }

    /// `defaults` with the user's `config "<name>"` values merged over them.
    fn merge(&self, name: &str, defaults: &[(String, String)], format: ConfigFormat) -> Result<String, ProviderError> {
        let user = self.config.get(name).map(|config| config.values.clone()).unwrap_or_default();
        merge_config(defaults, &user, format)
            .map_err(|error| ProviderError::at(format!("config.{name}"), error.to_string()))
    }

    /// The install commands that prepare cluster-wide directories (`mkdir -p
    /// {shared_dir}/spark-events`), run on the first master. Commands installing artifacts
    /// (those naming `{artifact_dir}`) ran once on this machine instead
    /// (`.ci/install-components.sh`): every node sees the component cache and `/usr`.
    pub fn setup_commands(&self, node: &Node) -> Result<Vec<String>, ProviderError> {
        let mut commands = Vec::new();
        for component in &self.topology.components {
            for command in component.install.iter().filter(|command| !command.contains("{artifact_dir}")) {
                commands.push(self.expand(command, node, component, None)?);
            }
        }
        Ok(commands)
    }

    fn planned_service(
        &self,
        node: &Node,
        component: &Component,
        service: &'static Service,
        unit: &str,
        read: &[&str],
        init: &[String],
    ) -> Result<PlannedService, ProviderError> {
        let start = self.expand(&service.start, node, component, Some(service))?;
        let mut steps = Vec::new();
        for init in init {
            steps.push(self.expand(init, node, component, Some(service))?);
        }
        let command = if steps.is_empty() {
            start
        } else {
            steps.push(format!("exec {start}"));
            format!("/bin/sh -c {}", shell_quote(&steps.join(" && ")))
        };
        let mut environment = BTreeMap::new();
        for (name, value) in &service.environment {
            environment.insert(name.clone(), self.expand(value, node, component, Some(service))?);
        }
        environment.insert("STRATA_CONFIG_SHA256".into(), sha256_hex(read.concat().as_bytes()));
        let spec = ServiceSpec {
            name: unit.to_string(),
            command,
            environment,
            working_directory: self.directory(component, "data_dir"),
            running: true,
            stop_timeout_seconds: 10,
        };
        let expand = |template: &str| self.expand(template, node, component, Some(service));
        let health = match &service.health {
            HealthCheck::FourLetterWord { host, port, send, expect } => {
                Probe::FourLetterWord { ip: expand(host)?, port: *port, send: send.clone(), expect: expect.clone() }
            }
            HealthCheck::Http { url, status, body_contains_any } => {
                let url = expand(url)?;
                let (host, port, path) = split_url(&url).ok_or_else(|| {
                    ProviderError::new(format!("{}: cannot check {url}: not an http:// URL", service.name))
                })?;
                Probe::Http { host, port, path, status: *status, body_contains_any: body_contains_any.clone() }
            }
            HealthCheck::Tcp { host, port } => Probe::Tcp { ip: expand(host)?, port: *port },
            HealthCheck::Command { command } => Probe::Command { command: expand(command)? },
            HealthCheck::Process => Probe::Process,
        };
        Ok(PlannedService {
            service,
            spec,
            health,
            start_timeout: Duration::from_secs(u64::from(service.start_timeout_seconds)),
            post_start: None,
        })
    }
}

/// A component's directory on a node: `install_dir` (its entry in the component cache for PyPI
/// artifacts, which every node sees; `/usr` for Debian packages, every node sharing the
/// machine's `/usr`), `artifact_dir`, `conf_dir`, `data_dir`, `run_dir`, `log_dir`, or `home`
/// (the catalog's, under `install_dir`).
pub fn component_directory(cache: &str, component: &Component, which: &str) -> Option<String> {
    let cache = cache.trim_end_matches('/');
    Some(match which {
        "install_dir" => match component.artifacts.iter().find(|artifact| artifact.kind == ArtifactKind::Pypi) {
            Some(artifact) => format!(
                "{cache}/{}-{}",
                artifact.package.as_deref().unwrap_or(&artifact.name),
                artifact.version.as_deref().unwrap_or(&component.version)
            ),
            None => "/usr".to_string(),
        },
        "artifact_dir" => format!("{cache}/artifacts/{}", lower(component)),
        "conf_dir" => format!("{CONF_DIR}/{}", lower(component)),
        "data_dir" => format!("{DATA_DIR}/{}", lower(component)),
        "run_dir" => format!("{RUN_DIR}/{}", lower(component)),
        "log_dir" => LOG_DIR.to_string(),
        "home" => match &component.home {
            Some(home) => placeholder::expand_known(home, &|name| match name {
                "home" => None,
                other => component_directory(cache, component, other),
            }),
            None => component_directory(cache, component, "install_dir")?,
        },
        _ => return None,
    })
}

/// `http://host:port/path` → (host, port, path).
fn split_url(url: &str) -> Option<(String, u16, String)> {
    let rest = url.strip_prefix("http://")?;
    let (authority, path) = rest.split_once('/').map_or((rest, "/".to_string()), |(a, p)| (a, format!("/{p}")));
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, port.parse().ok()?),
        None => (authority, 80),
    };
    Some((host.to_string(), port, path))
}

/// A wrapper running Spark's `command` with the node's configuration.
fn spark_command(cluster: &str, command: &str, home: &str, conf_dir: &str) -> String {
    format!(
        "#!/bin/sh\n# {command} of cluster {cluster}, written by Strata: Spark's, with this node's configuration.\n\
         export SPARK_HOME={home} SPARK_CONF_DIR={conf_dir}\n\
         exec {home}/bin/{command} \"$@\"\n"
    )
}

fn directory(path: &str) -> DesiredState {
    DesiredState::Directory(DirectorySpec { path: path.to_string(), mode: Mode::DIRECTORY })
}

/// The name service `service` runs under on the host `host_id`: `<service>@<host id>`, which
/// names its launcher (`/etc/strata/services/<name>.sh`), pid file and log. Namespace hosts
/// share the machine's `/etc`, so a launcher named after the service alone would be one file
/// for every host (each host overwriting the others'); the host id makes it unique on the
/// machine.
pub fn unit_name(service: &str, host_id: &str) -> String {
    if host_id.is_empty() { service.to_string() } else { format!("{service}@{host_id}") }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use strata_deploy::service::launcher_script;

    use super::*;
    use crate::model::NodeGroup;

    fn group(role: &str, count: i64, instance_type: &str) -> NodeGroup {
        NodeGroup { role: role.into(), instance_type: instance_type.into(), count, disk_size: None, private_ips: None }
    }

    /// Every node's plan as text: links, directories, files with their content, launchers,
    /// health checks.
    fn dump(layout: &Layout<'_>) -> String {
        let mut text = String::new();
        for node in &layout.topology.nodes {
            text.push_str(&format!("=== {} ({} {}, {})\n", node.hostname, node.role, node.node_group, layout.ip(node)));
            let plan = layout.host_plan(node).unwrap();
            text.push_str(&format!("--- requires {}\n", plan.required.join(" ")));
            for command in &plan.setup {
                text.push_str(&format!("--- setup {command}\n"));
            }
            for item in &plan.files {
                match item {
                    DesiredState::Symlink(link) => {
                        text.push_str(&format!("--- link {} -> {}\n", link.path, link.target))
                    }
                    DesiredState::Directory(dir) => {
                        text.push_str(&format!("--- directory {} {}\n", dir.path, dir.mode))
                    }
                    DesiredState::File(file) => {
                        let FileContent::Inline(bytes) = &file.content else { panic!("inline content") };
                        text.push_str(&format!(
                            "--- file {} {}\n{}",
                            file.path,
                            file.mode,
                            String::from_utf8_lossy(bytes)
                        ));
                    }
                    other => panic!("unexpected {other:?}"),
                }
            }
            for planned in &plan.services {
                text.push_str(&format!(
                    "--- service {} (health {:?}, {} s)\n{}",
                    planned.service.name,
                    planned.health,
                    planned.start_timeout.as_secs(),
                    launcher_script(&planned.spec)
                ));
                if let Some(script) = &planned.post_start {
                    text.push_str(&format!("--- post-start {script}\n"));
                }
            }
        }
        text
    }

    fn layout_of<'a>(
        topology: &'a Topology,
        ips: &'a BTreeMap<String, Ipv4Addr>,
        host_ids: &'a BTreeMap<String, String>,
        config: &'a BTreeMap<String, ConfigFile>,
    ) -> Layout<'a> {
        Layout {
            topology,
            ips,
            host_ids,
            config,
            component_cache: "/var/cache/strata/components",
            shared_dir: "/srv/strata/clusters/c000000000001",
            cluster_cidr: "10.232.0.0/24",
            metastore: None,
            data_root: None,
        }
    }

    fn check(case: &str, groups: &[(&str, NodeGroup)], config: &[(&str, &[(&str, &str)])]) {
        check_with(case, groups, config, None);
    }

    fn check_with(
        case: &str,
        groups: &[(&str, NodeGroup)],
        config: &[(&str, &[(&str, &str)])],
        metastore: Option<&MetastoreRecord>,
    ) {
        check_services(case, &["ZOOKEEPER", "SPARK"], groups, config, metastore);
    }

    fn check_services(
        case: &str,
        services: &[&str],
        groups: &[(&str, NodeGroup)],
        config: &[(&str, &[(&str, &str)])],
        metastore: Option<&MetastoreRecord>,
    ) {
        let groups = groups.iter().map(|(name, group)| (name.to_string(), group.clone())).collect();
        let config: BTreeMap<String, ConfigFile> = config
            .iter()
            .map(|(file, values)| {
                let values = values.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
                (file.to_string(), ConfigFile { values })
            })
            .collect();
        let services: Vec<String> = services.iter().map(|service| service.to_string()).collect();
        // An emr_metastore's id starts with `m`; a cluster's own metastore record has the cluster's.
        let external = metastore.is_some_and(|record| record.id.starts_with('m'));
        let topology = Topology::cluster("analytics", "STRATA-1.0.0", &services, &groups, &config, external).unwrap();
        let ips = topology
            .nodes
            .iter()
            .enumerate()
            .map(|(i, node)| (node.hostname.clone(), Ipv4Addr::new(10, 232, 0, 2 + i as u8)))
            .collect();
        let host_ids = topology
            .nodes
            .iter()
            .enumerate()
            .map(|(i, node)| (node.hostname.clone(), format!("h{:012x}", i + 1)))
            .collect();
        let layout = Layout { metastore, ..layout_of(&topology, &ips, &host_ids, &config) };
        let actual = dump(&layout);
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/emr/render").join(format!("{case}.txt"));
        if std::env::var_os("STRATA_UPDATE_GOLDEN").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &actual).unwrap();
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(expected == actual, "{} differs (STRATA_UPDATE_GOLDEN=1 rewrites it):\n{actual}", path.display());
    }

    #[test]
    fn one_master_two_cores() {
        check(
            "one-master-two-cores",
            &[("master", group("MASTER", 1, "local.c1m2")), ("core", group("CORE", 2, "local.c2m4"))],
            &[("spark-defaults.conf", &[("spark.executor.memory", "768m"), ("spark.eventLog.enabled", "false")])],
        );
    }

    #[test]
    fn three_masters_form_a_zookeeper_ensemble() {
        check(
            "three-masters",
            &[
                ("master", group("MASTER", 3, "local.c1m2")),
                ("edge", group("GATEWAY", 1, "local.c1m1")),
                ("task", group("TASK", 1, "local.c1m2")),
            ],
            &[("zoo.cfg", &[("tickTime", "1000")]), ("spark-env.sh", &[("SPARK_WORKER_CORES", "2")])],
        );
    }

    #[test]
    fn with_a_shared_metastore() {
        check_with(
            "with-metastore",
            &[("master", group("MASTER", 1, "local.c1m2")), ("core", group("CORE", 1, "local.c1m2"))],
            &[("hive-site.xml", &[("hive.exec.dynamic.partition.mode", "nonstrict")])],
            Some(&crate::metastore_record::tests::sample()),
        );
    }

    /// SPARK_THRIFT without an `emr_metastore`: PostgreSQL on the master as the cluster's own
    /// metastore (the record `cluster_metastore` writes), every Spark node's `hive-site.xml`
    /// naming it, the Thrift server's launcher making the schema once.
    #[test]
    fn spark_thrift_with_its_own_metastore_database() {
        let master = crate::record::NodeRecord {
            hostname: "analytics-master-0".into(),
            ip: "10.232.0.2".into(),
            ssh_port: 22,
            ssh_host_key_fingerprint: "SHA256:x".into(),
        };
        let network = crate::cluster_metastore::ClusterNetwork {
            name: "emr-c000000000001".into(),
            bridge: "strata-br0".into(),
            subnet: "10.232.0.0/24".into(),
            ssh_private_key_path: "/k".into(),
        };
        let record = crate::cluster_metastore::record(
            "c000000000001",
            "analytics",
            "STRATA-1.0.0",
            master,
            "Secret0123456789".into(),
            "/srv/strata/clusters/c000000000001",
            &network,
        )
        .unwrap();
        check_services(
            "spark-thrift",
            &["SPARK", "SPARK_THRIFT"],
            &[("master", group("MASTER", 1, "local.c1m2")), ("core", group("CORE", 1, "local.c1m2"))],
            &[],
            Some(&record),
        );
    }

    /// SPARK_THRIFT with an `emr_metastore`: no database on the master, the server on the
    /// shared metastore (its schema made by the metastore).
    #[test]
    fn spark_thrift_with_a_shared_metastore() {
        check_services(
            "spark-thrift-shared-metastore",
            &["SPARK", "SPARK_THRIFT"],
            &[("master", group("MASTER", 1, "local.c1m2")), ("core", group("CORE", 1, "local.c1m2"))],
            &[],
            Some(&crate::metastore_record::tests::sample()),
        );
    }

    #[test]
    fn a_changed_file_changes_only_the_launchers_that_read_it() {
        let groups = [("master".to_string(), group("MASTER", 1, "local.c1m2"))].into();
        let topology =
            Topology::new("a", "STRATA-1.0.0", &["ZOOKEEPER".into(), "SPARK".into()], &groups, &BTreeMap::new())
                .unwrap();
        let ips = [("a-master-0".to_string(), Ipv4Addr::new(10, 0, 0, 2))].into();
        let (plain, host_ids) = (BTreeMap::new(), BTreeMap::new());
        let changed: BTreeMap<String, ConfigFile> =
            [("spark-defaults.conf".to_string(), ConfigFile { values: [("a".to_string(), "b".to_string())].into() })]
                .into();
        let before = layout_of(&topology, &ips, &host_ids, &plain).host_plan(&topology.nodes[0]).unwrap();
        let after = layout_of(&topology, &ips, &host_ids, &changed).host_plan(&topology.nodes[0]).unwrap();
        assert_eq!(before.services[0].service.name, "zookeeper-server");
        assert_eq!(
            before.services[0].spec, after.services[0].spec,
            "zookeeper-server does not read spark-defaults.conf"
        );
        assert_ne!(before.services[1].spec, after.services[1].spec, "spark-master does");
    }

    #[test]
    fn urls() {
        assert_eq!(split_url("http://10.0.0.2:8080/json/"), Some(("10.0.0.2".into(), 8080, "/json/".into())));
        assert_eq!(split_url("http://h"), Some(("h".into(), 80, "/".into())));
        assert_eq!(split_url("https://h/"), None);
    }
}
