//! `emr_metastore` ([`MetastoreResource`]): an external Hive metastore database, the role RDS
//! plays for E-MapReduce in the cloud. PostgreSQL from the release catalog on a local host of
//! its own, on a network of its own (`emr-<id>`); clusters that name it
//! (`metastore = emr_metastore.NAME.id`) are routed to that network and configured against it,
//! so a table one cluster creates is seen by the others.
//!
//! Create and update are one operation, `MetastoreResource::converge`, idempotent like a
//! cluster's: the network and host (kept when running, remade when broken), the record
//! ([`crate::metastore_record`], with the password generated on create), routing readied for
//! clients, the files ([`crate::metastore_render`]), `metastore-db` started and healthy
//! (`pg_isready`) and its post-start commands (role, password, database), then the Hive
//! schema made once with SchemaTool. Read finds a stopped server or a broken host
//! (`services_status`), and the next apply repairs it; the database and the warehouse are in
//! the metastore's shared directory, so they outlive a host that is remade. Delete removes the
//! routes, the host, the network, the shared directory (database and warehouse) and the record.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use strata_deploy::{ExecOptions, SessionPool, shell_quote};
use strata_provider_local::{HostStatus, Network};
use strata_provider_sdk::{Ctx, Plan, Planned, ProviderError, Resource, async_trait};

use crate::cluster::{NodeTargets, all_services, blocking, check_components, settings, start_waves};
use crate::deploy::{self, Masters, Preparation};
use crate::machine::{self, ClusterHosts};
use crate::metastore_model::Metastore;
use crate::metastore_record::{self, MetastoreRecord};
use crate::metastore_render::{self, DATABASE, DB_SERVICE, USERNAME};
use crate::model::{CLUSTER_RUNNING, RUNNING};
use crate::record::NodeRecord;
use crate::render::{Layout, unit_name};
use crate::settings::Resolved;
use crate::topology::{Topology, status_key};

pub const EMR_METASTORE: &str = "emr_metastore";
/// `status` of a metastore whose database server does not run.
pub const DEGRADED: &str = "DEGRADED";
/// How long making the Hive schema may take (a JVM running SchemaTool: about 5 s here).
const SCHEMA_TIMEOUT: Duration = Duration::from_secs(300);
/// Length of a generated password (letters and digits: the catalog splices it into SQL).
const PASSWORD_LENGTH: usize = 32;

/// The resource; it keeps one SSH session per host for the plugin's lifetime.
pub struct MetastoreResource {
    pool: Arc<SessionPool>,
}

impl Default for MetastoreResource {
    fn default() -> Self {
        MetastoreResource { pool: deploy::session_pool() }
    }
}

/// The record of metastore `id` for a cluster that names it; an error on `metastore` when there
/// is no such metastore or its host is not made yet.
pub(crate) fn read_metastore(settings: &Resolved, id: &str) -> Result<MetastoreRecord, ProviderError> {
    match metastore_record::read(&settings.state_dir, id)? {
        Some(record) if record.host.is_some() => Ok(record),
        Some(_) => Err(ProviderError::at(
            "metastore",
            format!("emr_metastore {id} is not ready: its create did not finish; apply it again first"),
        )),
        None => Err(ProviderError::at(
            "metastore",
            format!(
                "there is no emr_metastore {id} on this machine (none is recorded in {}): set `metastore` to the id of \
                 an emr_metastore, emr_metastore.NAME.id",
                settings.state_dir.display()
            ),
        )),
    }
}

/// A new password: letters and digits from the kernel's random source.
pub(crate) fn generate_password() -> Result<String, ProviderError> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut random = std::fs::File::open("/dev/urandom")
        .map_err(|error| ProviderError::new(format!("opening /dev/urandom: {error}")))?;
    let mut password = String::with_capacity(PASSWORD_LENGTH);
    let mut bytes = [0u8; 64];
    while password.len() < PASSWORD_LENGTH {
        random.read_exact(&mut bytes).map_err(|error| ProviderError::new(format!("reading /dev/urandom: {error}")))?;
        // 248 = 4 × 62: bytes above it are skipped, so every character is equally likely.
        for byte in bytes.iter().filter(|byte| **byte < 248) {
            if password.len() < PASSWORD_LENGTH {
                password.push(ALPHABET[usize::from(*byte) % ALPHABET.len()] as char);
            }
        }
    }
    Ok(password)
}

fn topology_of(metastore: &Metastore) -> Result<Topology, ProviderError> {
    Topology::metastore(&metastore.name, &metastore.release, &metastore.instance_type)
}

/// The port of `metastore-db` in the release (5432).
fn port(topology: &Topology) -> u16 {
    crate::release::port(topology.release, DB_SERVICE, 0).unwrap_or(5432)
}

impl MetastoreResource {
    /// Brings metastore `id` to `metastore` with `password` (see the module doc); returns its
    /// new state.
    async fn converge(
        &self,
        ctx: &Ctx,
        id: String,
        mut metastore: Metastore,
        password: String,
    ) -> Result<Metastore, ProviderError> {
        let started = Instant::now();
        let settings = settings(ctx)?;
        let topology = topology_of(&metastore)?;
        let release = topology.release;
        // SchemaTool runs with Spark's jars (DataNucleus, the Hive metastore's package.jdo).
        let mut components = topology.components.clone();
        components.extend(release.component("SPARK"));
        check_components(&settings, &release.name.to_string(), &components)?;
        let shared_dir = metastore_render::shared_dir(&settings, &id);
        let node = topology.master().clone();

        let (open_settings, open_id) = (settings.clone(), id.clone());
        let network = blocking(move || machine::open_or_make(&open_settings, &open_id)).await??;
        let key = machine::client_key(&network);
        let endpoint = machine::endpoint(&network);
        let mut record = MetastoreRecord {
            id: id.clone(),
            name: metastore.name.clone(),
            release: release.name.to_string(),
            host: None,
            port: port(&topology),
            database: DATABASE.to_string(),
            username: USERNAME.to_string(),
            password,
            jdbc_url: String::new(),
            warehouse_dir: machine::path_text(&metastore_render::warehouse_dir(&shared_dir)),
            network: network.name().to_string(),
            bridge: endpoint.bridge.clone(),
            subnet: endpoint.subnet.to_string(),
            ssh_private_key_path: key.clone(),
        };
        if metastore_record::read(&settings.state_dir, &id)?.is_none() {
            // Before any host: an interrupted create is found again with its password.
            metastore_record::write(&settings.state_dir, &record)?;
        }

        let hosts_ctx = ctx.clone();
        let (host_topology, host_id) = (topology.clone(), id.clone());
        let network = Arc::new(network);
        let host_network = Arc::clone(&network);
        let hosts = blocking(move || {
            let report = |ready: usize, total: usize| hosts_ctx.progress(ready as u64, total as u64, "hosts ready");
            let hosts = machine::ensure_hosts(&host_network, &host_topology, &host_id, &report)?;
            // Clients' routes need forwarding on this network's bridge, which a new bridge lacks.
            strata_provider_local::routing::serve(&machine::endpoint(&host_network)).map_err(|error| {
                ProviderError::new(format!("readying the metastore's network for clients: {error}"))
            })?;
            Ok::<_, ProviderError>(hosts)
        })
        .await??;
        let ClusterHosts { nodes, .. } = hosts;
        let info = nodes.into_iter().next().map(|(_, info)| info).expect("a metastore has one host");
        record.host = Some(NodeRecord {
            hostname: info.hostname.clone(),
            ip: info.ip.to_string(),
            ssh_port: info.ssh_port,
            ssh_host_key_fingerprint: info.host_key_fingerprint.clone(),
        });
        record.jdbc_url = metastore_render::jdbc_url(info.ip, record.port);
        metastore_record::write(&settings.state_dir, &record)?;
        ctx.log().info(&format!("metastore {id}: host {} ready after {:.1?}", info.hostname, started.elapsed()));

        let ips: BTreeMap<String, Ipv4Addr> = [(node.hostname.clone(), info.ip)].into();
        let host_ids: BTreeMap<String, String> = [(node.hostname.clone(), info.id.clone())].into();
        let (cache, shared, pool_cidr) = (
            settings.component_cache.to_string_lossy().into_owned(),
            machine::path_text(&shared_dir),
            settings.subnet_pool.to_string(),
        );
        let data_root = machine::path_text(&metastore_render::data_root(&shared_dir));
        let config = BTreeMap::new();
        let layout = Layout {
            topology: &topology,
            ips: &ips,
            host_ids: &host_ids,
            config: &config,
            component_cache: &cache,
            shared_dir: &shared,
            cluster_cidr: &pool_cidr,
            metastore: Some(&record),
            data_root: Some(&data_root),
        };
        let plan = metastore_render::host_plan(&layout, &node)?;
        std::fs::create_dir_all(&shared_dir)
            .map_err(|error| ProviderError::new(format!("creating {}: {error}", shared_dir.display())))?;
        let ssh =
            deploy::ssh_spec(&info.hostname, &info.ip.to_string(), info.ssh_port, &info.host_key_fingerprint, &key)?;
        let work = Preparation {
            required: plan.host.required.clone(),
            files: plan.host.files.clone(),
            setup: plan.host.setup.clone(),
            authorized_key: None,
        };
        deploy::prepare(&self.pool, std::slice::from_ref(&ssh), [(node.hostname.clone(), work)].into(), |_, _| {})
            .await?;
        ctx.status("configuration written");

        let plans = [(node.hostname.clone(), plan.host.clone())].into();
        let specs = [(node.hostname.clone(), ssh.clone())].into();
        let targets = NodeTargets { plans: &plans, ssh: &specs, ips: &ips };
        start_waves(&self.pool, ctx, &topology, targets, &Masters::default(), started).await?;

        let command = format!("sh {}", shell_quote(&plan.schema_script));
        let output = deploy::on_host(&self.pool, &ssh, move |connection| {
            connection.run(&command, &ExecOptions::with_timeout(SCHEMA_TIMEOUT))
        })
        .await
        .map_err(|error| ProviderError::new(error.to_string()))?;
        if !output.success() {
            return Err(ProviderError::new(format!(
                "making the Hive metastore schema on {} failed ({}): {}",
                info.hostname,
                output.status(),
                output.stderr_text().trim()
            )));
        }
        let schema = output.stdout_text().trim().to_string();
        ctx.status(format!("Hive schema {schema}"));
        ctx.log().info(&format!("metastore {id}: converged in {:.1?} (schema {schema})", started.elapsed()));

        metastore.id = Some(id);
        metastore.host = Some(info.ip.to_string());
        metastore.port = Some(i64::from(record.port));
        metastore.database = Some(record.database.clone());
        metastore.username = Some(record.username.clone());
        metastore.password = Some(record.password.clone());
        metastore.jdbc_url = Some(record.jdbc_url.clone());
        metastore.warehouse_dir = Some(record.warehouse_dir.clone());
        metastore.status = Some(CLUSTER_RUNNING.to_string());
        metastore.services_status = Some(topology.expected_status());
        metastore.ssh_private_key_path = Some(key);
        metastore.ssh_host_key_fingerprint = Some(info.host_key_fingerprint);
        Ok(metastore)
    }

    /// `services_status` as it is: the host's status first (no SSH to a host that is down),
    /// then whether the server runs, in one round trip.
    async fn observe(
        &self,
        network: Arc<Network>,
        metastore: &Metastore,
    ) -> Result<BTreeMap<String, String>, ProviderError> {
        let topology = topology_of(metastore)?;
        let id = metastore.id.clone().unwrap_or_default();
        let node = topology.master();
        let host_id = machine::host_id(&id, &node.hostname);
        let look = (Arc::clone(&network), host_id.clone());
        let status = blocking(move || look.0.status(&look.1)).await?;
        let unit = unit_name(DB_SERVICE, &host_id);
        let value = match status {
            Ok(HostStatus::Running) => {
                let ssh = deploy::ssh_spec(
                    &node.hostname,
                    metastore.host.as_deref().unwrap_or_default(),
                    strata_provider_local::SSH_PORT,
                    metastore.ssh_host_key_fingerprint.as_deref().unwrap_or_default(),
                    &machine::client_key(&network),
                )?;
                match deploy::service_status(&self.pool, vec![(ssh, vec![unit.clone()])]).await.remove(&node.hostname) {
                    Some(Ok(running)) if running.get(&unit) == Some(&true) => RUNNING.to_string(),
                    Some(Ok(_)) => "stopped".to_string(),
                    Some(Err(error)) => format!("host unreachable: {error}"),
                    None => "host missing".to_string(),
                }
            }
            Ok(HostStatus::Gone) => "host gone".to_string(),
            Ok(HostStatus::Broken { reason }) => format!("host broken: {reason}"),
            Err(error) => format!("host unreadable: {error}"),
        };
        Ok([(status_key(&node.hostname, DB_SERVICE), value)].into())
    }

    /// The password of metastore `id`: the state's, else its record's, else a new one.
    fn password(settings: &Resolved, id: &str, state: Option<String>) -> Result<String, ProviderError> {
        if let Some(password) = state {
            return Ok(password);
        }
        match metastore_record::read(&settings.state_dir, id)? {
            Some(record) => Ok(record.password),
            None => generate_password(),
        }
    }
}

#[async_trait]
impl Resource for MetastoreResource {
    type Model = Metastore;
    const TYPE_NAME: &'static str = EMR_METASTORE;

    async fn plan(&self, _ctx: &Ctx, plan: &mut Plan<Metastore>) -> Result<(), ProviderError> {
        let (Planned::Known(name), Planned::Known(release), Planned::Known(instance_type)) = (
            plan.config::<String>("name")?,
            plan.planned::<String>("release")?,
            plan.planned::<String>("instance_type")?,
        ) else {
            return Ok(());
        };
        let topology = Topology::metastore(&name, &release, &instance_type)?;
        plan.set("services_status", topology.expected_status())?;
        plan.set("status", CLUSTER_RUNNING.to_string())?;
        plan.set("database", DATABASE.to_string())?;
        plan.set("username", USERNAME.to_string())?;
        plan.set("port", i64::from(port(&topology)))?;
        let Some(prior) = plan.prior()? else { return Ok(()) };
        let host_problem = prior.services_status.iter().flatten().any(|(_, value)| value.starts_with("host "));
        if host_problem {
            // The host is made again: a new host key, and maybe another address.
            for attribute in ["host", "jdbc_url", "ssh_host_key_fingerprint"] {
                plan.set_unknown(attribute)?;
            }
        }
        Ok(())
    }

    async fn create(&self, ctx: &Ctx, planned: Metastore) -> Result<Metastore, ProviderError> {
        if ctx.idempotency_token().is_empty() {
            return Err(ProviderError::new("an emr_metastore create needs the engine's idempotency token"));
        }
        let id = machine::metastore_id(ctx.idempotency_token());
        let settings = settings(ctx)?;
        let password = Self::password(&settings, &id, None)?;
        let error = match self.converge(ctx, id.clone(), planned, password).await {
            Ok(metastore) => return Ok(metastore),
            Err(error) if error.outcome_unknown => return Err(error),
            Err(error) => error,
        };
        // A metastore that did not come up is not kept half made.
        ctx.status("rolling back: removing the metastore's host");
        let removed = blocking(move || remove(&settings, &id)).await.and_then(|result| result);
        match removed {
            Ok(()) => Err(ProviderError {
                message: format!("{}\nThe metastore's host, network and directory were removed.", error.message),
                ..error
            }),
            Err(cleanup) => Err(ProviderError::outcome_unknown(format!(
                "{}\nRemoving the metastore's host failed too ({}): the next plan finds what is left.",
                error.message, cleanup.message
            ))),
        }
    }

    async fn read(&self, ctx: &Ctx, mut current: Metastore) -> Result<Option<Metastore>, ProviderError> {
        let Some(id) = current.id.clone() else { return Ok(Some(current)) };
        let settings = settings(ctx)?;
        let Some(network) = blocking(move || machine::open_existing(&settings, &id)).await?? else {
            return Ok(None);
        };
        let status = self.observe(Arc::new(network), &current).await?;
        let healthy = status.values().all(|value| value == RUNNING);
        current.status = Some(if healthy { CLUSTER_RUNNING } else { DEGRADED }.to_string());
        current.services_status = Some(status);
        Ok(Some(current))
    }

    async fn update(&self, ctx: &Ctx, prior: Metastore, planned: Metastore) -> Result<Metastore, ProviderError> {
        let id = prior.id.clone().ok_or_else(|| ProviderError::new("the prior state of the metastore has no id"))?;
        let settings = settings(ctx)?;
        let password = Self::password(&settings, &id, prior.password.clone().or(planned.password.clone()))?;
        self.converge(ctx, id, planned, password).await
    }

    async fn delete(&self, ctx: &Ctx, prior: Metastore) -> Result<(), ProviderError> {
        let Some(id) = prior.id.clone() else { return Ok(()) };
        let settings = settings(ctx)?;
        if let Ok(topology) = topology_of(&prior) {
            self.pool.close(&topology.master().hostname);
        }
        blocking(move || remove(&settings, &id)).await??;
        ctx.status("host, network, routes and shared directory removed");
        Ok(())
    }

    async fn find_by_token(&self, ctx: &Ctx, mut planned: Metastore) -> Result<Option<Metastore>, ProviderError> {
        let id = machine::metastore_id(ctx.idempotency_token());
        let settings = settings(ctx)?;
        let (read_settings, read_id) = (settings.clone(), id.clone());
        let found = blocking(move || {
            let Some(record) = metastore_record::read(&read_settings.state_dir, &read_id)? else { return Ok(None) };
            let Some(network) = machine::open_existing(&read_settings, &read_id)? else { return Ok(None) };
            Ok::<_, ProviderError>(Some((record, network)))
        })
        .await??;
        let Some((record, network)) = found else { return Ok(None) };
        planned.id = Some(id);
        planned.password = Some(record.password.clone());
        planned.host = record.host.as_ref().map(|host| host.ip.clone());
        planned.ssh_host_key_fingerprint = record.host.as_ref().map(|host| host.ssh_host_key_fingerprint.clone());
        planned.jdbc_url = Some(record.jdbc_url.clone()).filter(|url| !url.is_empty());
        planned.warehouse_dir = Some(record.warehouse_dir.clone());
        planned.ssh_private_key_path = Some(record.ssh_private_key_path.clone());
        let status = self.observe(Arc::new(network), &planned).await?;
        planned.status = Some(DEGRADED.to_string());
        planned.services_status = Some(status);
        Ok(Some(planned))
    }
}

/// Removes everything of metastore `id`: its routes, host and network (with the launchers its
/// host left in the machine's `/etc`), its shared directory (database and warehouse) and its
/// record. Fine when some of it is gone already.
fn remove(settings: &Resolved, id: &str) -> Result<(), ProviderError> {
    let shared_dir = metastore_render::shared_dir(settings, id);
    match machine::open_existing(settings, id)? {
        Some(network) => machine::remove_network(network, &all_services(), &shared_dir)?,
        None => {
            if let Some(record) = metastore_record::read(&settings.state_dir, id)? {
                strata_provider_local::routing::isolate(&record.endpoint()?)
                    .map_err(|error| ProviderError::new(error.to_string()))?;
            }
            match std::fs::remove_dir_all(&shared_dir) {
                Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                    return Err(ProviderError::new(format!("removing {}: {error}", shared_dir.display())));
                }
                _ => {}
            }
        }
    }
    if let Some(parent) = shared_dir.parent() {
        // `<shared_root>/metastores` goes with the last metastore (it fails while others exist).
        let _ = std::fs::remove_dir(parent);
    }
    metastore_record::remove(&settings.state_dir, id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_long_letters_and_digits_and_new_each_time() {
        let (first, second) = (generate_password().unwrap(), generate_password().unwrap());
        assert_eq!(first.len(), PASSWORD_LENGTH);
        assert!(first.chars().all(|c| c.is_ascii_alphanumeric()), "{first}");
        assert_ne!(first, second);
    }
}
