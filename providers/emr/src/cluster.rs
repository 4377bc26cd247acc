//! `emr_cluster` ([`ClusterResource`]): plan, create, read, update, delete.
//!
//! Create and update are one operation, [`ClusterResource::converge`]: make the hosts the
//! topology needs (keeping running ones, remaking broken ones), link the components and write
//! the configuration files on every host, then start the release's services wave by wave in
//! dependency order across the whole cluster, each health-checked before its dependents
//! start; finally stop and remove hosts no node group needs any more. Running it again on a
//! cluster that matches changes nothing, which is how drift is repaired: a dead service is
//! started again, a changed configuration file restarts the services that read it (one host
//! at a time), and so does a file edited on a node, which the converge writes back.
//!
//! Refresh reads, in the same round trip per host as the services' status, every
//! configuration file against what Strata rendered (`config_files`, [`crate::config_files`])
//! and where every component link points (`installed_versions`, [`crate::installed`]);
//! the plan renders them from the recorded hosts, so a hand edit is a line diff and the plan
//! names the services it restarts (`restarts`). A create also runs the bootstrap actions
//! ([`crate::bootstrap`]), and so does a scale out on the nodes it adds; changing one replaces
//! the cluster. Adding or removing services (`services`) is an update too: the services added
//! start in their waves, those removed stop and their components' files go
//! ([`crate::service_change`]).
//!
//! A patch-level change of `release` is an update too, the same converge with the new
//! release's files and links ([`crate::upgrade`]); any other release change replaces the
//! cluster. A scale in decommissions the removed nodes' Spark workers first when the cluster's
//! Spark enables it ([`crate::decommission`]), then stops and removes the hosts.
//!
//! A cluster with `metastore = emr_metastore.X.id` finds the metastore through its record
//! ([`crate::metastore_record`]), routes its network to the metastore's
//! ([`strata_provider_local::routing`]) and gives Spark a `hive-site.xml` naming it
//! ([`crate::metastore_client`]). Changing `metastore` is an update in place: the routing
//! follows, `hive-site.xml` is rewritten (drivers read it when they start) and the Spark
//! daemons restart one host at a time because `spark-defaults.conf` changes (the warehouse and
//! the JDBC driver's class path). The hosts, their services and the cluster's own files stay.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use strata_deploy::{ExecOptions, HostSpec, ServiceSpec, SessionPool, shell_quote};
use strata_provider_local::{HostInfo, HostStatus, Network};
use strata_provider_sdk::{Ctx, Plan, ProviderError, Resource, async_trait};
use strata_release::{ArtifactKind, Component};

use crate::bootstrap;
use crate::cluster_metastore::{self, ClusterNetwork};
pub use crate::cluster_plan::{known_blocks, unknown_private_ips};
use crate::config_files::{self, ManagedFile, Shown, managed_files, rendered_document};
use crate::decommission;
use crate::deploy::{self, Masters, Preparation};
use crate::health::{self, Attempt};
use crate::installed;
use crate::machine::{self, ClusterHosts};
use crate::metastore::read_metastore;
use crate::metastore_client::JDBC_DRIVER_JAR;
use crate::metastore_record::MetastoreRecord;
use crate::model::{
    AFTER_STARTED, BEFORE_INSTALL, CLUSTER_RUNNING, Cluster, ClusterHost, ConfigFile, RUNNING, Settings,
};
use crate::record::{self, ClusterRecord, NodeRecord};
use crate::release::{self, POSTGRESQL, SPARK_MASTER_SERVICE, SPARK_WORKER_SERVICE};
use crate::render::{HostPlan, Layout, component_directory, unit_name};
use crate::service_change;
use crate::settings::Resolved;
use crate::topology::{Topology, status_key};
use crate::upgrade;
pub use crate::waves::{NodeTargets, start_waves, start_waves_restarting};

pub const EMR_CLUSTER: &str = "emr_cluster";
/// `status` of a cluster with a service that does not run.
pub const DEGRADED: &str = "DEGRADED";
/// How long a scale in waits for the Spark master to be done with decommissioned workers.
const DECOMMISSION_TIMEOUT: Duration = Duration::from_secs(60);
/// Prefix of a `services_status` value whose host does not work.
pub(crate) const HOST_PROBLEM: &str = "host ";

/// The resource; it keeps one SSH session per host for the plugin's lifetime.
pub struct ClusterResource {
    pool: Arc<SessionPool>,
}

impl Default for ClusterResource {
    fn default() -> Self {
        ClusterResource { pool: deploy::session_pool() }
    }
}

/// The provider block, resolved against the working directory.
pub fn settings(ctx: &Ctx) -> Result<Resolved, ProviderError> {
    let working_dir = std::env::current_dir()
        .map_err(|error| ProviderError::new(format!("reading the working directory: {error}")))?;
    Resolved::new(ctx.provider_config::<Settings>(), &working_dir)
}

/// Runs blocking work (the host machinery, health probes) off the async runtime.
pub async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, ProviderError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| ProviderError::outcome_unknown(format!("the emr provider's worker thread failed: {error}")))
}

pub(crate) fn topology_of(cluster: &Cluster) -> Result<Topology, ProviderError> {
    Topology::cluster(
        &cluster.name,
        &cluster.release,
        &cluster.services,
        &cluster.node_group,
        &cluster.config,
        cluster.metastore.is_some(),
    )
}

/// Checks this machine has `components` where every node sees them: Debian packages' homes
/// under `/usr`, and PyPI artifacts complete in the component cache, each with the sha256 the
/// catalog records. An error says how to install them.
pub fn check_components(
    settings: &Resolved,
    release: &str,
    components: &[&'static Component],
) -> Result<(), ProviderError> {
    let cache = settings.component_cache.to_string_lossy();
    for component in components {
        let missing = |what: String| {
            ProviderError::new(format!(
                "{} {} of {release} is not installed on this machine ({what}): run `bash .ci/install-components.sh` as \
                 root (it installs the release's artifacts where every host sees them)",
                component.key, component.version
            ))
        };
        let install_dir = component_directory(&cache, component, "install_dir").unwrap_or_default();
        let pypi: Vec<_> = component.artifacts.iter().filter(|artifact| artifact.kind == ArtifactKind::Pypi).collect();
        if !pypi.is_empty() {
            let dir = std::path::Path::new(&install_dir);
            if !dir.join(".strata-complete").exists() {
                return Err(missing(format!("{} is incomplete", dir.display())));
            }
            let recorded = std::fs::read_to_string(dir.join(".strata-artifact.sha256")).unwrap_or_default();
            for artifact in pypi {
                let (Some(file), Some(sha256)) = (artifact.file_name(), artifact.sha256.as_deref()) else { continue };
                let found = recorded.lines().any(|line| {
                    let mut fields = line.split_whitespace();
                    fields.next() == Some(sha256) && fields.next() == Some(file)
                });
                if !found {
                    return Err(missing(format!("{} holds no {file} with sha256 {sha256}", dir.display())));
                }
            }
        }
        let home = component_directory(&cache, component, "home").unwrap_or_default();
        if !std::path::Path::new(&home).exists() {
            return Err(missing(format!("{home} is missing")));
        }
        if component.key == "POSTGRESQL_JDBC" && !std::path::Path::new(JDBC_DRIVER_JAR).exists() {
            return Err(missing(format!("{JDBC_DRIVER_JAR} is missing")));
        }
    }
    Ok(())
}

impl ClusterResource {
    /// Brings the cluster `id` to `cluster` (see the module doc); returns its new state.
    /// `prior` is the state of an update (`None`: a create): services it has and the new
    /// configuration does not are stopped and their components' files removed; bootstrap
    /// actions run on every node of a create and on the nodes an update adds.
    async fn converge(
        &self,
        ctx: &Ctx,
        id: String,
        mut cluster: Cluster,
        prior: Option<&Cluster>,
    ) -> Result<Cluster, ProviderError> {
        let started = Instant::now();
        let settings = settings(ctx)?;
        let topology = topology_of(&cluster)?;
        let metastore = match &cluster.metastore {
            Some(metastore) => Some(read_metastore(&settings, metastore)?),
            None => None,
        };
        let mut components = topology.components.clone();
        if metastore.is_some() && !topology.has_component("POSTGRESQL_JDBC") {
            components.extend(topology.release.component("POSTGRESQL_JDBC"));
        }
        check_components(&settings, &topology.release.name.to_string(), &components)?;

        let hosts_ctx = ctx.clone();
        let (host_settings, host_topology, host_id) = (settings.clone(), topology.clone(), id.clone());
        let (network, hosts) = blocking(move || {
            let network = machine::open_or_make(&host_settings, &host_id)?;
            let report = |ready: usize, total: usize| hosts_ctx.progress(ready as u64, total as u64, "hosts ready");
            let hosts = machine::ensure_hosts(&network, &host_topology, &host_id, &report)?;
            Ok::<_, ProviderError>((network, hosts))
        })
        .await??;
        let ClusterHosts { nodes, extra, created } = hosts;
        let network = Arc::new(network);
        let key = machine::client_key(&network);
        ctx.log().info(&format!("cluster {id}: {} hosts ({created} new) after {:.1?}", nodes.len(), started.elapsed()));
        // Routes to the metastore's network (and none anywhere else); none without one.
        let client = machine::endpoint(&network);
        let server = metastore.as_ref().map(|metastore| metastore.endpoint()).transpose()?;
        blocking(move || match &server {
            Some(server) => strata_provider_local::routing::link(&client, server),
            None => strata_provider_local::routing::isolate(&client),
        })
        .await?
        .map_err(|error| ProviderError::new(format!("routing the cluster's network to its metastore: {error}")))?;

        let ips: BTreeMap<String, Ipv4Addr> =
            nodes.iter().map(|(node, info)| (node.hostname.clone(), info.ip)).collect();
        let cache = settings.component_cache.to_string_lossy().into_owned();
        let host_ids: BTreeMap<String, String> =
            nodes.iter().map(|(node, info)| (node.hostname.clone(), info.id.clone())).collect();
        let shared_dir = settings.shared_dir(&id);
        let shared = shared_dir.to_string_lossy().into_owned();
        let cidr = network.subnet().to_string();
        // With SPARK_THRIFT and no emr_metastore, the metastore database on the master.
        let own_metastore = if metastore.is_none() && topology.has_component(POSTGRESQL) {
            let (master, info) = nodes
                .iter()
                .find(|(node, _)| node.hostname == topology.master().hostname)
                .expect("a cluster has a master");
            let endpoint = machine::endpoint(&network);
            let cluster_network = ClusterNetwork {
                name: network.name().to_string(),
                bridge: endpoint.bridge.clone(),
                subnet: endpoint.subnet.to_string(),
                ssh_private_key_path: key.clone(),
            };
            let master = NodeRecord {
                hostname: master.hostname.clone(),
                ip: info.ip.to_string(),
                ssh_port: info.ssh_port,
                ssh_host_key_fingerprint: info.host_key_fingerprint.clone(),
            };
            Some(cluster_metastore::ensure(
                &settings.state_dir,
                &id,
                &cluster.name,
                &cluster.release,
                master,
                &shared,
                &cluster_network,
            )?)
        } else {
            None
        };
        let layout = Layout {
            topology: &topology,
            ips: &ips,
            host_ids: &host_ids,
            config: &cluster.config,
            component_cache: &cache,
            shared_dir: &shared,
            cluster_cidr: &cidr,
            metastore: metastore.as_ref().or(own_metastore.as_ref()),
            data_root: None,
        };
        std::fs::create_dir_all(&shared_dir)
            .map_err(|error| ProviderError::new(format!("creating {}: {error}", shared_dir.display())))?;
        let mut ssh = BTreeMap::new();
        let mut work = BTreeMap::new();
        let mut plans = BTreeMap::new();
        for (node, info) in &nodes {
            let plan = layout.host_plan(node)?;
            ssh.insert(
                node.hostname.clone(),
                deploy::ssh_spec(
                    &info.hostname,
                    &info.ip.to_string(),
                    info.ssh_port,
                    &info.host_key_fingerprint,
                    &key,
                )?,
            );
            work.insert(
                node.hostname.clone(),
                Preparation {
                    required: plan.required.clone(),
                    files: plan.files.clone(),
                    setup: plan.setup.clone(),
                    authorized_key: cluster.ssh_public_key.clone(),
                },
            );
            plans.insert(node.hostname.clone(), plan);
        }
        let specs: Vec<HostSpec> = ssh.values().cloned().collect();
        let total = specs.len() as u64;
        if let Some(before) = prior.and_then(|prior| topology_of(prior).ok()) {
            self.change_services(ctx, &service_change::plan(&before, &topology), &ssh, &host_ids).await?;
        }
        // Bootstrap actions: on every node of a create, on the nodes a scale out adds.
        let recorded: Option<Vec<String>> =
            prior.map(|prior| prior.hosts.iter().flatten().map(|host| host.name.clone()).collect());
        let bootstrap_hosts: Vec<HostSpec> =
            bootstrap::new_nodes(recorded.as_deref(), ssh.keys()).iter().map(|host| ssh[host].clone()).collect();
        if !bootstrap_hosts.is_empty() {
            bootstrap::run(&self.pool, ctx, &bootstrap_hosts, &cluster.bootstrap_action, BEFORE_INSTALL).await?;
        }
        let prepared = deploy::prepare_files(&self.pool, &specs, work, |done, _| {
            ctx.progress(done as u64, total, "components linked, configuration written")
        })
        .await?;
        let changed = prepared.values().filter(|prepared| prepared.changed).count();
        ctx.log().info(&format!("cluster {id}: files changed on {changed} hosts after {:.1?}", started.elapsed()));
        // A configuration file written although its rendering is unchanged was edited on the
        // node: the services reading it restart, as for a change of the configuration.
        let relinked: BTreeMap<String, Vec<String>> =
            prepared.iter().map(|(host, prepared)| (host.clone(), prepared.relinked.clone())).collect();
        let written: BTreeMap<String, Vec<String>> =
            prepared.into_iter().map(|(host, prepared)| (host, prepared.written)).collect();
        let mut readers = config_files::readers_of_written(&topology, &plans, &written);
        // A component linked at another version (a release upgrade, or a link re-pointed by
        // hand and put back): its services on that node restart, like a file's readers.
        for (service, hosts) in upgrade::services_of_relinked(&topology, &relinked) {
            readers.entry(service).or_default().extend(hosts);
        }

        let masters = Masters {
            ips: release_nodes(&topology, SPARK_MASTER_SERVICE).iter().map(|node| ips[&node.hostname]).collect(),
            ui_port: release::port(topology.release, SPARK_MASTER_SERVICE, 1).unwrap_or(8080),
        };
        let targets = NodeTargets { plans: &plans, ssh: &ssh, ips: &ips };
        start_waves_restarting(&self.pool, ctx, &topology, targets, &masters, started, &readers).await?;
        if !bootstrap_hosts.is_empty() {
            bootstrap::run(&self.pool, ctx, &bootstrap_hosts, &cluster.bootstrap_action, AFTER_STARTED).await?;
        }

        if !extra.is_empty() {
            // Workers go gracefully when the cluster's Spark decommissions them (STRATA-1.0.1).
            let graceful = decommission::enabled(&topology, &cluster.config) && !masters.ips.is_empty();
            let masters = graceful.then_some(&masters);
            self.remove_hosts(ctx, &topology, &network, &key, extra, masters).await?;
        }

        let mut hosts = Vec::new();
        let mut private_ips: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (node, info) in &nodes {
            private_ips.entry(node.node_group.clone()).or_default().push(info.ip.to_string());
            hosts.push(ClusterHost {
                name: node.hostname.clone(),
                ip: info.ip.to_string(),
                role: node.role.to_string(),
                node_group: node.node_group.clone(),
                id: info.id.clone(),
                ssh_host_key_fingerprint: info.host_key_fingerprint.clone(),
            });
        }
        for (name, group) in cluster.node_group.iter_mut() {
            group.private_ips = Some(private_ips.remove(name).unwrap_or_default());
        }
        let zookeeper = layout.zookeeper_connect();
        cluster.id = Some(id.clone());
        cluster.status = Some(CLUSTER_RUNNING.to_string());
        cluster.master_private_ip = Some(ips[&topology.master().hostname].to_string());
        cluster.master_url = Some(layout.master_url());
        cluster.master_ui_url = Some(layout.master_ui_url());
        cluster.sql_jdbc_url = layout.sql_jdbc_url();
        cluster.zookeeper_connect = Some(zookeeper);
        cluster.hosts = Some(hosts);
        cluster.services_status = Some(topology.expected_status());
        cluster.config_files = Some(rendered_document(&managed_files(&plans)));
        cluster.components = Some(topology.components_by_host());
        cluster.installed_versions = Some(installed::expected(&topology));
        cluster.start_order = Some(topology.start_order());
        if cluster.restarts.is_none() {
            cluster.restarts = Some(Vec::new());
        }
        let master_node = release_nodes(&topology, SPARK_MASTER_SERVICE).first().copied().unwrap_or(topology.master());
        let master = &nodes.iter().find(|(node, _)| node.hostname == master_node.hostname).expect("a master").1;
        let cluster_record = ClusterRecord {
            id: id.clone(),
            name: cluster.name.clone(),
            release: cluster.release.clone(),
            master_url: layout.master_url(),
            master_ui_url: layout.master_ui_url(),
            master: NodeRecord {
                hostname: master.hostname.clone(),
                ip: master.ip.to_string(),
                ssh_port: master.ssh_port,
                ssh_host_key_fingerprint: master.host_key_fingerprint.clone(),
            },
            ssh_private_key_path: key.clone(),
        };
        let state_dir = settings.state_dir.clone();
        let own_database = own_metastore.is_some();
        blocking(move || {
            if !own_database {
                // SPARK_THRIFT removed (or never there): no database of its own any more.
                cluster_metastore::remove(&state_dir, &cluster_record.id)?;
            }
            record::write(&state_dir, &cluster_record)
        })
        .await??;
        cluster.ssh_private_key_path = Some(key);
        ctx.log().info(&format!("cluster {id}: converged in {:.1?}", started.elapsed()));
        Ok(cluster)
    }

    /// Services removed from a running cluster: stops them on the nodes that ran them (stop
    /// order, launchers removed) and removes the files of the components those nodes no longer
    /// get (see [`service_change`]). Services added are started by the converge's waves.
    async fn change_services(
        &self,
        ctx: &Ctx,
        change: &service_change::ServiceChange,
        ssh: &BTreeMap<String, HostSpec>,
        host_ids: &BTreeMap<String, String>,
    ) -> Result<(), ProviderError> {
        if !change.start.is_empty() {
            ctx.status(format!("adding {}", change.start.join(", ")));
        }
        let mut targets = Vec::new();
        for (host, services) in &change.stop {
            let (Some(spec), Some(host_id)) = (ssh.get(host), host_ids.get(host)) else { continue };
            let specs = services.iter().map(|service| ServiceSpec::new(unit_name(service, host_id), "true")).collect();
            targets.push((spec.clone(), specs));
        }
        if !targets.is_empty() {
            let stopped: Vec<String> = change
                .stop
                .iter()
                .flat_map(|(host, services)| services.iter().map(move |s| format!("{host}/{s}")))
                .collect();
            let failures = deploy::stop_services(&self.pool, targets, true).await;
            if !failures.is_empty() {
                return Err(ProviderError::new(format!(
                    "stopping the services removed from `services` failed:\n  {}",
                    failures.join("\n  ")
                )));
            }
            ctx.status(format!("removed {}", stopped.join(", ")));
        }
        for (host, paths) in &change.remove {
            let Some(spec) = ssh.get(host) else { continue };
            let quoted: Vec<String> = paths.iter().map(|path| shell_quote(path)).collect();
            let command = format!("rm -rf -- {}", quoted.join(" "));
            let output = deploy::on_host(&self.pool, spec, move |connection| {
                connection.run(&command, &ExecOptions::with_timeout(Duration::from_secs(60)))
            })
            .await
            .map_err(|error| ProviderError::new(error.to_string()))?;
            if !output.success() {
                return Err(ProviderError::new(format!(
                    "removing the files of removed components on {host} failed ({}): {}",
                    output.status(),
                    output.stderr_text().trim()
                )));
            }
        }
        Ok(())
    }

    /// Scale in: with `masters` (the cluster's Spark decommissions workers), decommissions the
    /// Spark workers of `hosts` first and waits (bounded) until the leading master is done with
    /// them; then stops every service on `hosts` (reverse start order) and destroys them,
    /// highest index first.
    async fn remove_hosts(
        &self,
        ctx: &Ctx,
        topology: &Topology,
        network: &Arc<Network>,
        key: &str,
        mut hosts: Vec<HostInfo>,
        masters: Option<&Masters>,
    ) -> Result<(), ProviderError> {
        hosts.sort_by(|a, b| b.hostname.cmp(&a.hostname));
        if let Some(masters) = masters {
            self.decommission_workers(ctx, &hosts, key, masters).await;
        }
        let mut targets = Vec::new();
        for info in &hosts {
            targets.push((
                deploy::ssh_spec(&info.hostname, &info.ip.to_string(), info.ssh_port, &info.host_key_fingerprint, key)?,
                stop_order(topology, &info.id),
            ));
        }
        for failure in deploy::stop_services(&self.pool, targets, true).await {
            ctx.log().warn(&format!("stopping services before removing a host: {failure}"));
        }
        let total = hosts.len() as u64;
        for (done, info) in hosts.into_iter().enumerate() {
            self.pool.close(&info.hostname);
            let network = Arc::clone(network);
            let id = info.id.clone();
            blocking(move || network.destroy_host(&id))
                .await?
                .map_err(|error| ProviderError::new(error.to_string()))?;
            ctx.progress(done as u64 + 1, total, format!("removed {}", info.hostname));
        }
        Ok(())
    }

    /// Asks the Spark worker of each of `hosts` (highest index first) to decommission (SIGPWR,
    /// [`decommission::command`]), then waits until the leading master lists none of them
    /// ALIVE and none it marked DECOMMISSIONED runs executors, at most
    /// [`DECOMMISSION_TIMEOUT`]. Never fails the scale in: a worker that cannot be asked, or a
    /// master that does not answer in time, is a warning, and the worker is stopped anyway.
    async fn decommission_workers(&self, ctx: &Ctx, hosts: &[HostInfo], key: &str, masters: &Masters) {
        let started = Instant::now();
        let mut asked: Vec<(String, String)> = Vec::new();
        for info in hosts {
            let spec = match deploy::ssh_spec(
                &info.hostname,
                &info.ip.to_string(),
                info.ssh_port,
                &info.host_key_fingerprint,
                key,
            ) {
                Ok(spec) => spec,
                Err(error) => {
                    ctx.log().warn(&format!("decommissioning {}: {}", info.hostname, error.message));
                    continue;
                }
            };
            let pid_file = ServiceSpec::new(unit_name(SPARK_WORKER_SERVICE, &info.id), "true").pid_file();
            let command = decommission::command(&pid_file);
            let options = ExecOptions::with_timeout(Duration::from_secs(30));
            match deploy::on_host(&self.pool, &spec, move |connection| connection.run(&command, &options)).await {
                Ok(output) if output.stdout_text().trim() == "sent" => {
                    asked.push((info.hostname.clone(), info.ip.to_string()));
                }
                Ok(_) => {}
                Err(error) => ctx.log().warn(&format!("decommissioning the worker of {}: {error}", info.hostname)),
            }
        }
        if asked.is_empty() {
            return;
        }
        let names: Vec<String> = asked.iter().map(|(name, _)| name.clone()).collect();
        ctx.status(format!("decommissioning the Spark workers of {}", names.join(", ")));
        let (masters, ips) = (masters.clone(), asked.iter().map(|(_, ip)| ip.clone()).collect::<Vec<_>>());
        let waited = blocking(move || {
            health::wait_until(DECOMMISSION_TIMEOUT, || {
                let status = masters.leader().map_err(Attempt::Retry)?;
                match ips.iter().find(|ip| !decommission::done(&status, ip)) {
                    Some(ip) => Err(Attempt::Retry(format!(
                        "the Spark master still lists the worker on {ip} ALIVE or running executors"
                    ))),
                    None => Ok(ips.iter().filter(|ip| decommission::decommissioned(&status, ip)).count()),
                }
            })
        })
        .await;
        match waited {
            Ok(Ok(count)) => ctx.status(format!(
                "{} decommissioned after {:.1?} ({count} listed DECOMMISSIONED by the master)",
                names.join(", "),
                started.elapsed()
            )),
            Ok(Err(reason)) => {
                ctx.log().warn(&format!("decommissioning {}: {reason}; stopping them anyway", names.join(", ")));
                ctx.status(format!("{} not decommissioned in time: stopped anyway", names.join(", ")));
            }
            Err(error) => ctx.log().warn(&format!("decommissioning {}: {}", names.join(", "), error.message)),
        }
    }

    /// The configuration files of the cluster the state `cluster` records, as apply wrote them.
    /// Empty when they cannot be rendered (the metastore is gone: refresh reads no file then).
    async fn recorded_files(&self, ctx: &Ctx, cluster: &Cluster) -> Result<Vec<ManagedFile>, ProviderError> {
        let (Some(id), Some(hosts)) = (cluster.id.clone(), cluster.hosts.clone()) else { return Ok(Vec::new()) };
        let settings = settings(ctx)?;
        let topology = topology_of(cluster)?;
        let metastore = match cluster.metastore.clone() {
            Some(metastore) => {
                let settings = settings.clone();
                match blocking(move || read_metastore(&settings, &metastore)).await? {
                    Ok(record) => Some(record),
                    Err(_) => return Ok(Vec::new()),
                }
            }
            None => None,
        };
        let plans = recorded_plans(&settings, &id, &topology, &cluster.config, &hosts, metastore.as_ref())?;
        Ok(plans.map(|plans| managed_files(&plans)).unwrap_or_default())
    }

    /// Whether each expected service runs, per node: local host status first (no SSH to a
    /// host that is down), then one SSH round trip per running host.
    ///
    /// The same round trip reads `files` (the configuration files as rendered) on each host
    /// that runs: what each holds is returned by `HOST:PATH` (the content only when it differs
    /// from the rendering). With `links` (the component cache), it also reads where each
    /// component link points: the
    /// version installed, by `HOST/COMPONENT` ([`installed`]). Files and versions of hosts
    /// that could not be read are missing from the result.
    async fn observe(
        &self,
        network: Arc<Network>,
        cluster: &Cluster,
        files: &[ManagedFile],
        links: Option<&str>,
    ) -> Result<Observation, ProviderError> {
        let topology = topology_of(cluster)?;
        let key = machine::client_key(&network);
        let recorded: Vec<ClusterHost> = cluster.hosts.clone().unwrap_or_default();
        let ids: Vec<String> = recorded.iter().map(|host| host.id.clone()).collect();
        let look = Arc::clone(&network);
        let statuses = blocking(move || ids.iter().map(|id| look.status(id)).collect::<Vec<_>>()).await?;
        let mut problems: BTreeMap<String, String> = BTreeMap::new();
        let mut targets = Vec::new();
        for (host, status) in recorded.iter().zip(statuses) {
            match status {
                Ok(HostStatus::Running) => {
                    let Some(node) = topology.node(&host.name) else { continue };
                    let services =
                        topology.services_on(node).iter().map(|service| unit_name(&service.name, &host.id)).collect();
                    let facts = files.iter().filter(|file| file.host == host.name).map(ManagedFile::fact).collect();
                    let links = match links {
                        Some(_) => topology
                            .components_on(node)
                            .iter()
                            .map(|component| Layout::component_link(&component.key))
                            .collect(),
                        None => Vec::new(),
                    };
                    let reading = deploy::Reading { services, files: facts, links };
                    targets.push((host_ssh(host, &key)?, reading));
                }
                Ok(HostStatus::Gone) => {
                    problems.insert(host.name.clone(), "host gone".into());
                }
                Ok(HostStatus::Broken { reason }) => {
                    problems.insert(host.name.clone(), format!("host broken: {reason}"));
                }
                Err(error) => {
                    problems.insert(host.name.clone(), format!("host unreadable: {error}"));
                }
            }
        }
        let observed = deploy::observe(&self.pool, targets).await;
        let mut shown = BTreeMap::new();
        let mut versions = BTreeMap::new();
        for (host, observed) in &observed {
            let Ok(observed) = observed else { continue };
            let on_host = files.iter().filter(|file| file.host == *host);
            for (file, state) in on_host.zip(&observed.files) {
                shown.insert(file.key(), file.observed(state));
            }
            let Some(node) = topology.node(host) else { continue };
            for (component, state) in topology.components_on(node).iter().zip(&observed.links) {
                let version = installed::version_of(component, links.unwrap_or_default(), state);
                versions.insert(installed::key(host, &component.key), version);
            }
        }
        let running: BTreeMap<String, Result<BTreeMap<String, bool>, String>> =
            observed.into_iter().map(|(host, observed)| (host, observed.map(|observed| observed.running))).collect();
        let ids: BTreeMap<&str, &str> = recorded.iter().map(|host| (host.name.as_str(), host.id.as_str())).collect();
        let mut status = BTreeMap::new();
        for node in &topology.nodes {
            for service in topology.services_on(node) {
                let unit = unit_name(&service.name, ids.get(node.hostname.as_str()).copied().unwrap_or_default());
                let value = match (problems.get(&node.hostname), running.get(&node.hostname)) {
                    (Some(problem), _) => problem.clone(),
                    (None, Some(Ok(services))) => match services.get(&unit) {
                        Some(true) => RUNNING.to_string(),
                        _ => "stopped".to_string(),
                    },
                    (None, Some(Err(error))) => format!("host unreachable: {error}"),
                    (None, None) => "host missing".to_string(),
                };
                status.insert(status_key(&node.hostname, &service.name), value);
            }
        }
        Ok((status, shown, versions))
    }
}

/// What [`ClusterResource::observe`] read: `services_status`, the configuration files by
/// `HOST:PATH`, and the installed versions by `HOST/COMPONENT`.
type Observation = (BTreeMap<String, String>, BTreeMap<String, Shown>, BTreeMap<String, String>);

/// Every service name of the catalog's installable releases (for cleaning up launchers).
pub(crate) fn all_services() -> Vec<&'static str> {
    let releases = strata_release::Catalog::builtin().list().iter().filter(|release| release.installable);
    releases.flat_map(|release| release.services().map(|service| service.name.as_str())).collect()
}

/// The nodes running the release's service `name`.
pub fn release_nodes<'t>(topology: &'t Topology, name: &str) -> Vec<&'t crate::topology::Node> {
    topology.release.service(name).map(|service| topology.nodes_running(service)).unwrap_or_default()
}

/// How to log in to a node the state records.
fn host_ssh(host: &ClusterHost, key: &str) -> Result<HostSpec, ProviderError> {
    deploy::ssh_spec(&host.name, &host.ip, strata_provider_local::SSH_PORT, &host.ssh_host_key_fingerprint, key)
}

/// Every node's plan for the hosts the state records (`None` when a node has no recorded
/// host): what apply writes on them, for plan and refresh to compare with.
pub fn recorded_plans(
    settings: &Resolved,
    id: &str,
    topology: &Topology,
    config: &BTreeMap<String, ConfigFile>,
    hosts: &[ClusterHost],
    metastore: Option<&MetastoreRecord>,
) -> Result<Option<BTreeMap<String, HostPlan>>, ProviderError> {
    let mut ips = BTreeMap::new();
    let mut host_ids = BTreeMap::new();
    for node in &topology.nodes {
        let Some(host) = hosts.iter().find(|host| host.name == node.hostname) else { return Ok(None) };
        let ip: Ipv4Addr = host
            .ip
            .parse()
            .map_err(|_| ProviderError::new(format!("the state records address {:?} for {}", host.ip, host.name)))?;
        ips.insert(node.hostname.clone(), ip);
        host_ids.insert(node.hostname.clone(), host.id.clone());
    }
    let own_metastore = match metastore {
        None if topology.has_component(POSTGRESQL) => match cluster_metastore::read(&settings.state_dir, id)? {
            Some(record) => Some(record),
            // Not made yet (a create that did not get that far): apply writes it.
            None => return Ok(None),
        },
        _ => None,
    };
    let metastore = metastore.or(own_metastore.as_ref());
    let cache = settings.component_cache.to_string_lossy().into_owned();
    let shared = settings.shared_dir(id).to_string_lossy().into_owned();
    let master = ips.get(&topology.master().hostname).copied().unwrap_or(Ipv4Addr::UNSPECIFIED);
    // The cluster's network is the /24 of the pool its addresses are in.
    let cidr = settings
        .candidate_subnets()
        .into_iter()
        .find(|subnet| subnet.contains(master))
        .map(|subnet| subnet.to_string())
        .unwrap_or_default();
    let layout = Layout {
        topology,
        ips: &ips,
        host_ids: &host_ids,
        config,
        component_cache: &cache,
        shared_dir: &shared,
        cluster_cidr: &cidr,
        metastore,
        data_root: None,
    };
    let mut plans = BTreeMap::new();
    for node in &topology.nodes {
        plans.insert(node.hostname.clone(), layout.host_plan(node)?);
    }
    Ok(Some(plans))
}

/// Every service of the release's chosen components on host `host_id`, in stop order (reverse
/// start order), as specs good for stopping (stopping needs only the name).
fn stop_order(topology: &Topology, host_id: &str) -> Vec<ServiceSpec> {
    topology
        .waves
        .iter()
        .rev()
        .flatten()
        .map(|service| ServiceSpec::new(unit_name(&service.name, host_id), "true"))
        .collect()
}

#[async_trait]
impl Resource for ClusterResource {
    type Model = Cluster;
    const TYPE_NAME: &'static str = EMR_CLUSTER;

    async fn plan(&self, ctx: &Ctx, plan: &mut Plan<Cluster>) -> Result<(), ProviderError> {
        crate::cluster_plan::plan(ctx, plan).await
    }

    async fn create(&self, ctx: &Ctx, planned: Cluster) -> Result<Cluster, ProviderError> {
        if ctx.idempotency_token().is_empty() {
            return Err(ProviderError::new("an emr_cluster create needs the engine's idempotency token"));
        }
        let id = machine::cluster_id(ctx.idempotency_token());
        let error = match self.converge(ctx, id.clone(), planned, None).await {
            Ok(cluster) => return Ok(cluster),
            Err(error) if error.outcome_unknown => return Err(error),
            Err(error) => error,
        };
        // A cluster that did not come up is not kept half made: its hosts go, and the error
        // (with the end of the failing service's log) says why.
        ctx.status("rolling back: removing the cluster's hosts");
        let settings = settings(ctx)?;
        let removed = blocking(move || {
            record::remove(&settings.state_dir, &id)?;
            cluster_metastore::remove(&settings.state_dir, &id)?;
            match machine::open_existing(&settings, &id)? {
                Some(network) => machine::remove_network(network, &all_services(), &settings.shared_dir(&id)),
                None => Ok(()),
            }
        })
        .await
        .and_then(|result| result);
        match removed {
            Ok(()) => Err(ProviderError {
                message: format!("{}\nThe cluster's hosts and network were removed.", error.message),
                ..error
            }),
            Err(cleanup) => Err(ProviderError::outcome_unknown(format!(
                "{}\nRemoving the cluster's hosts failed too ({}): the next plan finds what is left.",
                error.message, cleanup.message
            ))),
        }
    }

    async fn read(&self, ctx: &Ctx, mut current: Cluster) -> Result<Option<Cluster>, ProviderError> {
        let Some(id) = current.id.clone() else { return Ok(Some(current)) };
        let settings = settings(ctx)?;
        let cache = settings.component_cache.to_string_lossy().into_owned();
        let Some(network) = blocking(move || machine::open_existing(&settings, &id)).await?? else {
            return Ok(None);
        };
        // The configuration files are read back when the state records them (a state written
        // before `config_files` existed gets them from its next apply).
        let files = match current.config_files {
            Some(_) => self.recorded_files(ctx, &current).await?,
            None => Vec::new(),
        };
        // So are the components' links (a state from before `installed_versions` gets them
        // from its next apply).
        let links = current.installed_versions.is_some().then_some(cache.as_str());
        let (status, shown, versions) = self.observe(Arc::new(network), &current, &files, links).await?;
        if let Some(installed) = current.installed_versions.as_mut() {
            // A host that could not be read keeps what the state has (its problem is in
            // `services_status`).
            installed.extend(versions);
        }
        let healthy = status.values().all(|value| value == RUNNING);
        current.status = Some(if healthy { CLUSTER_RUNNING } else { DEGRADED }.to_string());
        current.services_status = Some(status);
        if !files.is_empty() {
            // A file of a host that could not be read is shown as the state has it (the
            // host's problem is in `services_status`).
            let text = config_files::document(files.iter().map(|file| {
                let shown = shown.get(&file.key()).cloned();
                (file, shown.unwrap_or_else(|| file.expected()))
            }));
            current.config_files = Some(text);
        }
        Ok(Some(current))
    }

    async fn update(&self, ctx: &Ctx, prior: Cluster, planned: Cluster) -> Result<Cluster, ProviderError> {
        let id = prior.id.clone().ok_or_else(|| ProviderError::new("the prior state of the cluster has no id"))?;
        self.converge(ctx, id, planned, Some(&prior)).await
    }

    async fn delete(&self, ctx: &Ctx, prior: Cluster) -> Result<(), ProviderError> {
        let Some(id) = prior.id.clone() else { return Ok(()) };
        let settings = settings(ctx)?;
        let settings_dir = settings.state_dir.clone();
        let shared_dir = settings.shared_dir(&id);
        let open_id = id.clone();
        let Some(network) = blocking(move || machine::open_existing(&settings, &open_id)).await?? else {
            return Ok(());
        };
        let key = machine::client_key(&network);
        if let Ok(topology) = topology_of(&prior) {
            // Graceful: services stop in reverse start order, wave by wave across the cluster.
            for wave in topology.waves.iter().rev() {
                let mut targets = Vec::new();
                for host in prior.hosts.iter().flatten() {
                    let Some(node) = topology.node(&host.name) else { continue };
                    let specs: Vec<ServiceSpec> = wave
                        .iter()
                        .filter(|service| topology.runs(node, service))
                        .map(|service| ServiceSpec::new(unit_name(&service.name, &host.id), "true"))
                        .collect();
                    if specs.is_empty() {
                        continue;
                    }
                    targets.push((host_ssh(host, &key)?, specs));
                }
                let names: Vec<&str> = wave.iter().map(|service| service.name.as_str()).collect();
                for failure in deploy::stop_services(&self.pool, targets, true).await {
                    ctx.log().warn(&format!("stopping {names:?}: {failure} (the host is destroyed anyway)"));
                }
                ctx.status(format!("{} stopped", names.join(", ")));
            }
        }
        for host in prior.hosts.iter().flatten() {
            self.pool.close(&host.name);
        }
        let state_dir = settings_dir;
        blocking(move || {
            record::remove(&state_dir, &id)?;
            cluster_metastore::remove(&state_dir, &id)?;
            machine::remove_network(network, &all_services(), &shared_dir)
        })
        .await??;
        ctx.status("hosts, network and bridge removed");
        Ok(())
    }

    async fn find_by_token(&self, ctx: &Ctx, mut planned: Cluster) -> Result<Option<Cluster>, ProviderError> {
        let id = machine::cluster_id(ctx.idempotency_token());
        let settings = settings(ctx)?;
        let topology = topology_of(&planned)?;
        let open_id = id.clone();
        let found = blocking(move || {
            let Some(network) = machine::open_existing(&settings, &open_id)? else { return Ok(None) };
            let mut hosts = Vec::new();
            for node in &topology.nodes {
                let host_id = machine::host_id(&open_id, &node.hostname);
                if let Some(info) = network.host(&host_id).map_err(|error| ProviderError::new(error.to_string()))? {
                    hosts.push(ClusterHost {
                        name: node.hostname.clone(),
                        ip: info.ip.to_string(),
                        role: node.role.to_string(),
                        node_group: node.node_group.clone(),
                        id: info.id,
                        ssh_host_key_fingerprint: info.host_key_fingerprint,
                    });
                }
            }
            Ok::<_, ProviderError>(Some((network, hosts)))
        })
        .await??;
        let Some((network, hosts)) = found else { return Ok(None) };
        planned.id = Some(id);
        planned.ssh_private_key_path = Some(machine::client_key(&network));
        planned.hosts = Some(hosts);
        let (status, _, _) = self.observe(Arc::new(network), &planned, &[], None).await?;
        planned.status = Some(DEGRADED.to_string());
        planned.services_status = Some(status);
        Ok(Some(planned))
    }
}
