//! The SSH side of a cluster, with `strata-deploy`: delivering components and writing
//! configuration files ([`prepare`]), starting one service across the cluster and waiting for
//! it to be healthy ([`start_service`]), stopping services ([`stop_services`]), and reading
//! which services run and what the configuration files hold, in one round trip per host
//! ([`observe`], [`service_status`]).

use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use strata_deploy::facts::{FactBatch, FileContentFact, FileContentState, LinkFact, LinkState, ServiceStatusFact};
use strata_deploy::operations::Step;
use strata_deploy::service::{LOG_DIR, restart_command};
use strata_deploy::{
    ConnectOptions, Connection, DeployError, DesiredState, ExecOptions, HostOutcome, HostSpec, ServiceSpec,
    SessionPool, shell_quote,
};
use strata_provider_sdk::ProviderError;
use tokio::task::JoinSet;

use crate::health::{self, Attempt, MasterStatus};
use crate::release::{SPARK_MASTER_SERVICE, SPARK_THRIFT_SERVICE, SPARK_WORKER_SERVICE};
use crate::render::{PlannedService, Probe};
use crate::thrift;

/// How long one command on a node may take (uploads, starts).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(120);

/// Sessions to cluster nodes, one per host, kept for the plugin's lifetime.
pub fn session_pool() -> Arc<SessionPool> {
    let options = ConnectOptions {
        attempt_timeout: Duration::from_secs(5),
        deadline: Duration::from_secs(20),
        io_timeout: Duration::from_secs(60),
        ..ConnectOptions::default()
    };
    Arc::new(SessionPool::new(options))
}

/// Runs `work` on every host at once (each on a blocking thread with the host's pooled
/// session), like `strata_deploy::Deployer::fan_out`, whose future is not `Send` for every
/// lifetime and so cannot be awaited inside a provider's (`Send`) request futures. Results
/// come back in the order of `hosts`; `progress(done, total)` runs after each host. Clusters
/// have tens of hosts, so all run at once (tokio's blocking pool is far larger).
pub async fn fan_out<T, W>(
    pool: &Arc<SessionPool>,
    hosts: &[HostSpec],
    work: W,
    progress: impl Fn(usize, usize),
) -> Vec<HostOutcome<T>>
where
    T: Send + 'static,
    W: Fn(&mut Connection) -> Result<T, DeployError> + Send + Sync + 'static,
{
    let work = Arc::new(work);
    let mut running = JoinSet::new();
    for (index, host) in hosts.iter().enumerate() {
        let (pool, work, host) = (Arc::clone(pool), Arc::clone(&work), host.clone());
        running.spawn_blocking(move || (index, pool.with_connection(&host, |connection| work(connection))));
    }
    let mut results: Vec<Option<Result<T, DeployError>>> = hosts.iter().map(|_| None).collect();
    let mut done = 0;
    while let Some(joined) = running.join_next().await {
        done += 1;
        progress(done, hosts.len());
        if let Ok((index, result)) = joined {
            results[index] = Some(result);
        }
    }
    hosts
        .iter()
        .zip(results)
        .map(|(host, result)| HostOutcome {
            host: host.name.clone(),
            result: result.unwrap_or_else(|| {
                Err(DeployError::Worker { host: host.name.clone(), message: "the worker thread panicked".into() })
            }),
        })
        .collect()
}

/// Runs `work` on one host with its pooled session.
pub async fn on_host<T, W>(pool: &Arc<SessionPool>, host: &HostSpec, work: W) -> Result<T, DeployError>
where
    T: Send + 'static,
    W: FnOnce(&mut Connection) -> Result<T, DeployError> + Send + 'static,
{
    let (pool, spec) = (Arc::clone(pool), host.clone());
    tokio::task::spawn_blocking(move || pool.with_connection(&spec, work))
        .await
        .unwrap_or_else(|error| Err(DeployError::Worker { host: host.name.clone(), message: error.to_string() }))
}

/// How to log in to a node as root with `private_key`, accepting only the host key
/// `fingerprint`.
pub fn ssh_spec(
    name: &str,
    address: &str,
    port: u16,
    fingerprint: &str,
    private_key: &str,
) -> Result<HostSpec, ProviderError> {
    let host_key = fingerprint
        .parse()
        .map_err(|error| ProviderError::new(format!("host {name} has an unreadable host key fingerprint: {error}")))?;
    Ok(HostSpec {
        name: name.to_string(),
        address: address.to_string(),
        port,
        user: "root".to_string(),
        private_key: PathBuf::from(private_key),
        host_key,
    })
}

fn options() -> ExecOptions {
    ExecOptions::with_timeout(COMMAND_TIMEOUT)
}

/// One error for the failures of a fan-out, naming each host; `Ok` with the values when none
/// failed.
fn collect<T>(what: &str, outcomes: Vec<HostOutcome<T>>) -> Result<Vec<(String, T)>, ProviderError> {
    let mut values = Vec::new();
    let mut failures = Vec::new();
    for outcome in outcomes {
        match outcome.result {
            Ok(value) => values.push((outcome.host, value)),
            Err(error) => failures.push(format!("  {error}")),
        }
    }
    if failures.is_empty() {
        Ok(values)
    } else {
        Err(ProviderError::new(format!("{what} failed on {} host(s):\n{}", failures.len(), failures.join("\n"))))
    }
}

/// What [`prepare`] does on one host.
#[derive(Clone, Debug)]
pub struct Preparation {
    /// Paths that must be visible on the host (the components' files).
    pub required: Vec<String>,
    /// Component links, directories and configuration files.
    pub files: Vec<DesiredState>,
    /// A public key line to allow root logins with.
    pub authorized_key: Option<String>,
    /// Idempotent commands run after the files are written.
    pub setup: Vec<String>,
}

/// Checks the components are visible on every host, links them and writes the directories
/// and configuration files. Returns how many hosts changed.
pub async fn prepare(
    pool: &Arc<SessionPool>,
    hosts: &[HostSpec],
    work: BTreeMap<String, Preparation>,
    progress: impl Fn(usize, usize),
) -> Result<usize, ProviderError> {
    let written = prepare_files(pool, hosts, work, progress).await?;
    Ok(written.values().filter(|written| written.changed).count())
}

/// What [`prepare_files`] changed on one host.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prepared {
    /// Anything: a link, a directory, a file, a mode, the authorized key.
    pub changed: bool,
    /// The files whose content was written (uploaded).
    pub written: Vec<String>,
    /// The component links made or pointed at another target (a component linked at another
    /// version, or a link changed by hand put back).
    pub relinked: Vec<String>,
}

/// [`prepare`], saying per host which files it wrote.
pub async fn prepare_files(
    pool: &Arc<SessionPool>,
    hosts: &[HostSpec],
    work: BTreeMap<String, Preparation>,
    progress: impl Fn(usize, usize),
) -> Result<BTreeMap<String, Prepared>, ProviderError> {
    let work = Arc::new(work);
    let outcomes = fan_out(
        pool,
        hosts,
        move |connection: &mut Connection| {
            let name = connection.host().name.clone();
            let Some(preparation) = work.get(&name) else { return Ok(Prepared::default()) };
            check_visible(connection, &preparation.required)?;
            let steps = connection.converge(&preparation.files, &options())?;
            let written = steps
                .iter()
                .filter_map(|step| match step {
                    Step::Upload(upload) => Some(upload.path.clone()),
                    Step::Run(_) => None,
                })
                .collect();
            let relinked = relinked(&preparation.files, &steps);
            let mut changed = !steps.is_empty();
            for command in &preparation.setup {
                connection.run_checked(command, &options())?;
            }
            if let Some(key) = &preparation.authorized_key {
                let key = shell_quote(key.trim());
                let command = format!(
                    "mkdir -p /root/.ssh && touch /root/.ssh/authorized_keys && \
                         if grep -qxF -- {key} /root/.ssh/authorized_keys; then echo same; \
                         else printf '%s\\n' {key} >> /root/.ssh/authorized_keys; echo added; fi"
                );
                changed |= connection.run_checked(&command, &options())?.stdout_text().trim() == "added";
            }
            Ok(Prepared { changed, written, relinked })
        },
        progress,
    )
    .await;
    Ok(collect("writing components and configuration files", outcomes)?.into_iter().collect())
}

/// The links of `files` the converge's `steps` (re)made: `strata_deploy`'s symlink operation
/// runs `ln -sfn -- TARGET PATH` exactly when the link is missing or points elsewhere.
fn relinked(files: &[DesiredState], steps: &[Step]) -> Vec<String> {
    files
        .iter()
        .filter_map(|file| match file {
            DesiredState::Symlink(link) => Some(link),
            _ => None,
        })
        .filter(|link| {
            let command = format!("ln -sfn -- {} {}", shell_quote(&link.target), shell_quote(&link.path));
            steps.iter().any(|step| matches!(step, Step::Run(run) if run.ends_with(&command)))
        })
        .map(|link| link.path.clone())
        .collect()
}

/// Fails naming the first of `paths` the host does not see.
fn check_visible(connection: &mut Connection, paths: &[String]) -> Result<(), DeployError> {
    if paths.is_empty() {
        return Ok(());
    }
    let quoted: Vec<String> = paths.iter().map(|path| shell_quote(path)).collect();
    let command =
        format!("for f in {}; do [ -e \"$f\" ] || {{ printf '%s\\n' \"$f\"; exit 0; }}; done", quoted.join(" "));
    let output = connection.run_checked(&command, &options())?;
    let missing = output.stdout_text().trim().to_string();
    if missing.is_empty() {
        return Ok(());
    }
    Err(DeployError::UnexpectedOutput {
        host: connection.host().name.clone(),
        action: "checking the release's components are visible on the host".into(),
        output: format!(
            "{missing} is missing: install the components on this machine (as root: `bash .ci/install-components.sh`); \
             a host must see the component cache at the same path"
        ),
    })
}

/// One host of a service wave.
#[derive(Clone, Debug)]
pub struct ServiceTarget {
    pub ssh: HostSpec,
    pub ip: Ipv4Addr,
    pub planned: PlannedService,
    /// Restart it when it runs, even with its definition unchanged: a configuration file it
    /// reads was rewritten (edited by hand on the node, and put back).
    pub restart: bool,
}

/// Where the Spark masters' web UIs are, for the check that a worker registered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Masters {
    pub ips: Vec<Ipv4Addr>,
    pub ui_port: u16,
}

impl Masters {
    /// The view of the master that leads (ALIVE), or the last error.
    pub fn leader(&self) -> Result<MasterStatus, String> {
        let mut last = "no Spark master".to_string();
        for ip in &self.ips {
            match MasterStatus::read(*ip, self.ui_port) {
                Ok(status) if status.status == "ALIVE" => return Ok(status),
                Ok(status) => last = format!("the Spark master on {ip} is {}", status.status),
                Err(error) => last = error,
            }
        }
        Err(last)
    }
}

/// What [`start_service`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Started {
    pub started: Vec<String>,
    pub restarted: Vec<String>,
}

/// Brings a service to running on every target: hosts where it does not run start at once
/// (in parallel), hosts where it runs with an old definition restart one at a time (rolling),
/// each health-checked before the next; every target is health-checked before returning.
/// `progress(message)` reports each step.
pub async fn start_service(
    pool: &Arc<SessionPool>,
    name: &str,
    targets: Vec<ServiceTarget>,
    masters: &Masters,
    progress: impl Fn(String),
) -> Result<Started, ProviderError> {
    let total = targets.len();
    let specs: Arc<BTreeMap<String, (ServiceSpec, bool)>> = Arc::new(
        targets.iter().map(|target| (target.ssh.name.clone(), (target.planned.spec.clone(), target.restart))).collect(),
    );
    let hosts: Vec<HostSpec> = targets.iter().map(|target| target.ssh.clone()).collect();
    let planned = fan_out(
        pool,
        &hosts,
        move |connection: &mut Connection| {
            let (spec, restart) = specs.get(&connection.host().name).expect("a spec for every target").clone();
            let status = connection.fact(ServiceStatusFact::new(&spec.name), &options())?;
            let mut steps = connection.plan(&[DesiredState::Service(spec.clone())], &options())?;
            if restart && status.running && steps.is_empty() {
                steps.push(Step::Run(restart_command(status.supervisor, &spec)));
            }
            Ok((status.running, steps))
        },
        |_, _| {},
    )
    .await;
    let planned = collect(&format!("reading the state of {name}"), planned)?;
    let mut starts = Vec::new();
    let mut restarts = Vec::new();
    for ((_, (running, steps)), target) in planned.into_iter().zip(&targets) {
        match (running, steps.is_empty()) {
            (_, true) => {}
            (false, false) => starts.push((target.clone(), steps)),
            (true, false) => restarts.push((target.clone(), steps)),
        }
    }
    let is_worker = name == SPARK_WORKER_SERVICE;
    let workers_before = if is_worker { masters.leader().ok() } else { None };
    let mut done = Started::default();

    let start_hosts: Vec<HostSpec> = starts.iter().map(|(target, _)| target.ssh.clone()).collect();
    let start_steps: Arc<BTreeMap<String, Vec<Step>>> =
        Arc::new(starts.iter().map(|(target, steps)| (target.ssh.name.clone(), steps.clone())).collect());
    let applied = fan_out(
        pool,
        &start_hosts,
        move |connection: &mut Connection| {
            let steps = start_steps.get(&connection.host().name).cloned().unwrap_or_default();
            connection.apply(&steps, &options())
        },
        |_, _| {},
    )
    .await;
    collect(&format!("starting {name}"), applied)?;
    if !starts.is_empty() {
        progress(format!("{name} started on {}/{total}", starts.len()));
    }
    done.started = starts.iter().map(|(target, _)| target.ssh.name.clone()).collect();

    // Rolling: one host at a time, healthy before the next.
    for (index, (target, steps)) in restarts.iter().enumerate() {
        let host = target.ssh.clone();
        let steps = steps.clone();
        on_host(pool, &host, move |connection| connection.apply(&steps, &options()))
            .await
            .map_err(|error| ProviderError::new(format!("restarting {name}: {error}")))?;
        let known = workers_before.as_ref().map(|before| before.worker_ids(&target.ip.to_string())).unwrap_or_default();
        check_health(pool, vec![(target.clone(), known)], masters).await?;
        progress(format!("{name} restarted on {} ({}/{})", host.name, index + 1, restarts.len()));
        done.restarted.push(host.name);
    }

    // A worker that just started must be a new registration: the master may still list the
    // one it replaces as ALIVE until it notices it is gone.
    let fresh: Vec<&str> = starts.iter().map(|(target, _)| target.ssh.name.as_str()).collect();
    let checks = targets
        .iter()
        .map(|target| {
            let known = match &workers_before {
                Some(before) if fresh.contains(&target.ssh.name.as_str()) => before.worker_ids(&target.ip.to_string()),
                _ => Vec::new(),
            };
            (target.clone(), known)
        })
        .collect();
    check_health(pool, checks, masters).await?;
    progress(if is_worker {
        format!("workers ALIVE {total}/{total}")
    } else {
        format!("{name} healthy on {total}/{total}")
    });
    run_post_start(pool, name, &targets).await?;
    Ok(done)
}

/// Runs the post-start script of every target that has one (idempotent commands, run on every
/// converge). A failure names the host and the script's log, not its output: the commands may
/// hold secrets (the metastore password).
async fn run_post_start(pool: &Arc<SessionPool>, name: &str, targets: &[ServiceTarget]) -> Result<(), ProviderError> {
    let scripts: BTreeMap<String, String> = targets
        .iter()
        .filter_map(|target| Some((target.ssh.name.clone(), target.planned.post_start.clone()?)))
        .collect();
    if scripts.is_empty() {
        return Ok(());
    }
    let hosts: Vec<HostSpec> = targets
        .iter()
        .filter(|target| scripts.contains_key(&target.ssh.name))
        .map(|target| target.ssh.clone())
        .collect();
    let scripts = Arc::new(scripts);
    let outcomes = fan_out(
        pool,
        &hosts,
        move |connection: &mut Connection| {
            let script = scripts.get(&connection.host().name).cloned().unwrap_or_default();
            let output = connection.run(&format!("sh {}", shell_quote(&script)), &options())?;
            if output.success() {
                return Ok(());
            }
            Err(DeployError::UnexpectedOutput {
                host: connection.host().name.clone(),
                action: format!("running {script}"),
                output: format!("it failed ({}); its log is next to the service's in {LOG_DIR}", output.status()),
            })
        },
        |_, _| {},
    )
    .await;
    collect(&format!("the post-start commands of {name}"), outcomes).map(drop)
}

/// How often a health check also looks whether the service's process still runs.
const LIVENESS_EVERY: u32 = 10;
/// Lines of a service's log quoted when it is not healthy.
const LOG_LINES: usize = 15;

/// Waits until each target's service passes its health check (within its start timeout);
/// fails early when its process exits, and then quotes the end of its log. Beyond the
/// catalog's checks: some Spark master must lead (ALIVE) before a master counts as healthy (the
/// catalog accepts STANDBY), and a Spark worker must be registered with the leading master, as
/// a registration whose id is not among the target's known ones (those of a worker it replaced).
async fn check_health(
    pool: &Arc<SessionPool>,
    targets: Vec<(ServiceTarget, Vec<String>)>,
    masters: &Masters,
) -> Result<(), ProviderError> {
    let mut checks = JoinSet::new();
    for (target, known) in targets {
        let (pool, masters) = (Arc::clone(pool), masters.clone());
        checks.spawn_blocking(move || {
            let (ip, planned) = (target.ip, &target.planned);
            let mut attempts = 0u32;
            let result = health::wait_until(planned.start_timeout, || {
                attempts += 1;
                if attempts.is_multiple_of(LIVENESS_EVERY) || planned.health == Probe::Process {
                    let status = pool.with_connection(&target.ssh, |connection| {
                        connection.fact(ServiceStatusFact::new(&planned.spec.name), &options())
                    });
                    match status {
                        Ok(status) if !status.running => {
                            return Err(Attempt::GiveUp(format!("{} exited", planned.spec.name)));
                        }
                        Err(error) if planned.health == Probe::Process => {
                            return Err(Attempt::Retry(error.to_string()));
                        }
                        _ => {}
                    }
                }
                probe(&pool, &target, &masters, &known).map_err(Attempt::Retry)
            });
            result.map_err(|error| {
                let log = log_tail(&pool, &target.ssh, &planned.spec);
                format!("{} on {} ({ip}) is not healthy: {error}{log}", planned.service.name, target.ssh.name)
            })
        });
    }
    let mut failures = Vec::new();
    while let Some(result) = checks.join_next().await {
        match result {
            Ok(Ok(())) => {}
            Ok(Err(error)) => failures.push(format!("  {error}")),
            Err(error) => failures.push(format!("  a health check thread failed: {error}")),
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        failures.sort();
        Err(ProviderError::new(format!("health checks failed:\n{}", failures.join("\n"))))
    }
}

/// One health probe of a target's service.
fn probe(pool: &SessionPool, target: &ServiceTarget, masters: &Masters, known: &[String]) -> Result<(), String> {
    let address = |host: &str| host.parse::<Ipv4Addr>().map_err(|_| format!("{host} is not an IPv4 address"));
    match &target.planned.health {
        Probe::FourLetterWord { ip, port, send, expect } => {
            health::four_letter_word(address(ip)?, *port, send, expect)?
        }
        Probe::Http { host, port, path, status, body_contains_any } => {
            health::http_check(address(host)?, *port, path, *status, body_contains_any)?
        }
        Probe::Tcp { ip, port } => health::tcp(address(ip)?, *port)?,
        Probe::Command { command } => {
            let output = pool
                .with_connection(&target.ssh, |connection| connection.run(command, &options()))
                .map_err(|error| error.to_string())?;
            if !output.success() {
                return Err(format!("`{command}` failed ({}): {}", output.status(), output.stderr_text().trim()));
            }
        }
        Probe::Process => {}
    }
    if target.planned.service.name == SPARK_THRIFT_SERVICE
        && let Probe::Tcp { ip, port } = &target.planned.health
    {
        // An open port is not yet a server that answers SQL (its session reads the metastore).
        let command = thrift::beeline_check(ip, *port);
        let output = pool
            .with_connection(&target.ssh, |connection| connection.run(&command, &options()))
            .map_err(|error| error.to_string())?;
        if !output.success() || !thrift::answered(&output.stdout_text()) {
            let said = output.stderr_text();
            let last = said.lines().rev().find(|line| !line.trim().is_empty()).unwrap_or("no output");
            return Err(format!("beeline's SELECT 1 got no answer ({}): {}", output.status(), last.trim()));
        }
    }
    if target.planned.service.name == SPARK_MASTER_SERVICE {
        // STANDBY is healthy for a master only while another one leads.
        masters.leader()?;
    }
    if target.planned.service.name == SPARK_WORKER_SERVICE {
        let status = masters.leader()?;
        if !status.new_worker_alive(&target.ip.to_string(), known) {
            return Err(format!("the leading Spark master lists no newly registered ALIVE worker on {}", target.ip));
        }
    }
    Ok(())
}

/// The last lines of a service's log on its host, as `; the end of LOG:` and the lines, or
/// nothing when it cannot be read.
fn log_tail(pool: &SessionPool, host: &HostSpec, spec: &ServiceSpec) -> String {
    let log = spec.log_file();
    let command = format!("tail -n {LOG_LINES} -- {}", shell_quote(&log));
    let output = pool.with_connection(host, |connection| connection.run_checked(&command, &options()));
    match output {
        Ok(output) if !output.stdout.is_empty() => {
            let lines: Vec<String> = output.stdout_text().lines().map(|line| format!("    {line}")).collect();
            format!("; the end of {log} on {}:\n{}", host.name, lines.join("\n"))
        }
        _ => String::new(),
    }
}

/// Stops services (each host's list in the order given); with `forget`, their launchers are
/// removed too. Failures are returned per host.
pub async fn stop_services(
    pool: &Arc<SessionPool>,
    targets: Vec<(HostSpec, Vec<ServiceSpec>)>,
    forget: bool,
) -> Vec<String> {
    let hosts: Vec<HostSpec> = targets.iter().map(|(host, _)| host.clone()).collect();
    let specs: Arc<BTreeMap<String, Vec<ServiceSpec>>> =
        Arc::new(targets.into_iter().map(|(host, specs)| (host.name, specs)).collect());
    let outcomes = fan_out(
        pool,
        &hosts,
        move |connection: &mut Connection| {
            let specs = specs.get(&connection.host().name).cloned().unwrap_or_default();
            let stopped: Vec<DesiredState> = specs
                .iter()
                .map(|spec| DesiredState::Service(ServiceSpec { running: false, ..spec.clone() }))
                .collect();
            connection.converge(&stopped, &options())?;
            if forget && !specs.is_empty() {
                let launchers: Vec<String> = specs.iter().map(|spec| shell_quote(&spec.launcher_path())).collect();
                connection.run_checked(&format!("rm -f -- {}", launchers.join(" ")), &options())?;
            }
            Ok(())
        },
        |_, _| {},
    )
    .await;
    outcomes.into_iter().filter_map(|outcome| outcome.result.err().map(|error| error.to_string())).collect()
}

/// Whether each named service runs, per host, read in one round trip per host. A host that
/// cannot be reached has an `Err` with the reason.
pub async fn service_status(
    pool: &Arc<SessionPool>,
    targets: Vec<(HostSpec, Vec<String>)>,
) -> BTreeMap<String, Result<BTreeMap<String, bool>, String>> {
    let targets =
        targets.into_iter().map(|(host, services)| (host, Reading { services, ..Reading::default() })).collect();
    let observed = observe(pool, targets).await;
    observed.into_iter().map(|(host, result)| (host, result.map(|observed| observed.running))).collect()
}

/// What [`observe`] read on one host.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Observed {
    /// Service name → whether it runs.
    pub running: BTreeMap<String, bool>,
    /// What each file fact found, in the order asked.
    pub files: Vec<FileContentState>,
    /// What each link asked points at, in the order asked.
    pub links: Vec<LinkState>,
}

/// What [`observe`] reads on one host.
#[derive(Clone, Debug, Default)]
pub struct Reading {
    /// Service names: whether each runs.
    pub services: Vec<String>,
    /// Configuration files: what each holds against what Strata wrote.
    pub files: Vec<FileContentFact>,
    /// Component links (`/opt/strata/spark`): their targets, the installed versions.
    pub links: Vec<String>,
}

/// Whether each named service runs, what each file holds and where each component link
/// points, per host, read in one round trip per host (one fact batch). A host that cannot be
/// reached has an `Err` with the reason.
pub async fn observe(
    pool: &Arc<SessionPool>,
    targets: Vec<(HostSpec, Reading)>,
) -> BTreeMap<String, Result<Observed, String>> {
    let hosts: Vec<HostSpec> = targets.iter().map(|(host, _)| host.clone()).collect();
    let asked: Arc<BTreeMap<String, Reading>> =
        Arc::new(targets.into_iter().map(|(host, reading)| (host.name, reading)).collect());
    let outcomes = fan_out(
        pool,
        &hosts,
        move |connection: &mut Connection| {
            let Reading { services: names, files, links } =
                asked.get(&connection.host().name).cloned().unwrap_or_default();
            let mut batch = FactBatch::new();
            let services: Vec<_> = names.iter().map(|name| batch.add(ServiceStatusFact::new(name))).collect();
            let contents: Vec<_> = files.into_iter().map(|fact| batch.add(fact)).collect();
            let targets: Vec<_> = links.iter().map(|link| batch.add(LinkFact::new(link))).collect();
            let gathered = connection.gather(&batch, &ExecOptions::with_timeout(Duration::from_secs(20)))?;
            let host = connection.host().name.clone();
            let fact_error = |source| DeployError::Fact { host: host.clone(), source };
            let mut observed = Observed::default();
            for (name, handle) in names.iter().zip(&services) {
                observed.running.insert(name.clone(), gathered.get(handle).map_err(fact_error)?.running);
            }
            for handle in &contents {
                observed.files.push(gathered.get(handle).map_err(fact_error)?);
            }
            for handle in &targets {
                observed.links.push(gathered.get(handle).map_err(fact_error)?);
            }
            Ok(observed)
        },
        |_, _| {},
    )
    .await;
    outcomes.into_iter().map(|outcome| (outcome.host, outcome.result.map_err(|error| error.to_string()))).collect()
}

#[cfg(test)]
mod tests {
    use strata_deploy::facts::LinkState;
    use strata_deploy::operations::{SymlinkSpec, symlink};

    use super::*;

    /// The links a converge (re)makes are found from its steps: a link pointing elsewhere (a
    /// component at another version) or missing; not one already right, not other steps.
    #[test]
    fn relinked_links_are_read_from_the_steps() {
        let spark = SymlinkSpec {
            path: "/opt/strata/spark".into(),
            target: "/var/cache/strata/components/pyspark-4.3.0/pyspark".into(),
        };
        let zookeeper = SymlinkSpec { path: "/opt/strata/zookeeper".into(), target: "/usr/share/zookeeper".into() };
        let files = [DesiredState::Symlink(spark.clone()), DesiredState::Symlink(zookeeper.clone())];
        let elsewhere = LinkState::Link { target: "/var/cache/strata/components/pyspark-4.2.0/pyspark".into() };
        let mut steps = symlink(&elsewhere, &spark).unwrap();
        steps.extend(symlink(&LinkState::Link { target: zookeeper.target.clone() }, &zookeeper).unwrap());
        steps.push(Step::Run("chmod 0644 -- /opt/strata/conf/spark/spark-env.sh".into()));
        assert_eq!(relinked(&files, &steps), ["/opt/strata/spark"]);
        let missing = symlink(&LinkState::Missing, &zookeeper).unwrap();
        assert_eq!(relinked(&files, &missing), ["/opt/strata/zookeeper"]);
        assert!(relinked(&files, &[]).is_empty());
    }
}
