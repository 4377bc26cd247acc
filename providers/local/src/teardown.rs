//! Removing a host: facts (which of its processes, links, namespace, mounts, cgroups and
//! directory still exist), a pure plan from them, and the executor. An empty plan means
//! nothing is left, which is how idempotence is shown.
//!
//! The host's init (sshd, PID 1 of its PID namespace) is killed first: the kernel then kills
//! every process of the namespace, and the waiting `unshare` reaps it. Only then are the
//! rest of the network namespace's processes (the `unshare` itself, anything entered from
//! outside) killed, so the init never becomes an orphaned zombie.
//!
//! A container host's init is nspawn's stub init; its supervisor (the `systemd-nspawn`
//! process, outside the host's namespaces) notices the container's end, removes its overlay
//! work directory and runtime directories and exits, within a fraction of a second. It is
//! given [`GRACE`] to do so before it is killed like the rest; whatever a killed supervisor
//! leaves (its runtime directories, its `supervisor`/`payload` cgroups) is removed here.

use std::fmt;
use std::path::PathBuf;
use std::process::Child;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::isolation::Isolation;
use crate::layout::StateLayout;
use crate::record::HostRecord;
use crate::runner::{self, COMMAND_TIMEOUT, CommandSpec};
use crate::{cgroups, facts, launchers, names, nspawn};

/// How long killed processes may take to exit.
const EXIT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long an emptied cgroup may take to become removable.
const CGROUP_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a container's supervisor may take to clean up and exit after its container ended.
const GRACE: Duration = Duration::from_secs(2);

/// What exists of a host.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct TeardownFacts {
    /// The host's init, if alive.
    pub init: Option<u32>,
    /// Other live processes in its network namespace (or recorded as its launcher).
    pub others: Vec<u32>,
    /// A container host's live supervisor (`systemd-nspawn`; also among `others`).
    pub supervisor: Option<u32>,
    /// The host end of its veth pair, if it exists.
    pub veth: Option<String>,
    /// Its network namespace, if it exists.
    pub netns: Option<String>,
    /// Mount points under its directory (in this mount namespace), deepest first.
    pub mounts: Vec<PathBuf>,
    /// Its cgroup directories that exist.
    pub cgroups: Vec<PathBuf>,
    /// systemd-nspawn's runtime directories for it that exist.
    pub runtime_dirs: Vec<PathBuf>,
    /// Its directory, if it exists.
    pub dir: Option<PathBuf>,
}

/// One step of a teardown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TeardownStep {
    /// SIGKILL these processes (those already gone are skipped).
    Kill(Vec<u32>),
    /// Wait until these processes have exited and been reaped by a living parent.
    AwaitExit(Vec<u32>),
    /// Give these processes [`GRACE`] to exit by themselves (no error if they do not).
    AllowExit(Vec<u32>),
    Run(CommandSpec),
    RemoveCgroup(PathBuf),
    RemoveDir(PathBuf),
}

impl fmt::Display for TeardownStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pids = |pids: &[u32]| pids.iter().map(u32::to_string).collect::<Vec<_>>().join(" ");
        match self {
            TeardownStep::Kill(list) => write!(f, "kill -KILL {}", pids(list)),
            TeardownStep::AwaitExit(list) => write!(f, "await exit {}", pids(list)),
            TeardownStep::AllowExit(list) => write!(f, "allow {}s for {} to exit", GRACE.as_secs(), pids(list)),
            TeardownStep::Run(command) => write!(f, "run {command}"),
            TeardownStep::RemoveCgroup(dir) => write!(f, "rmdir {}", dir.display()),
            TeardownStep::RemoveDir(dir) => write!(f, "rm -r {}", dir.display()),
        }
    }
}

/// The steps that remove what `facts` says exists.
pub(crate) fn plan(facts: &TeardownFacts) -> Vec<TeardownStep> {
    let mut steps = Vec::new();
    if let Some(init) = facts.init {
        steps.push(TeardownStep::Kill(vec![init]));
        steps.push(TeardownStep::AwaitExit(vec![init]));
        if let Some(supervisor) = facts.supervisor {
            steps.push(TeardownStep::AllowExit(vec![supervisor]));
        }
    }
    if !facts.others.is_empty() {
        steps.push(TeardownStep::Kill(facts.others.clone()));
        steps.push(TeardownStep::AwaitExit(facts.others.clone()));
    }
    for mount in &facts.mounts {
        let mount = mount.to_string_lossy();
        steps.push(TeardownStep::Run(CommandSpec::new("umount", &["--lazy", &mount])));
    }
    let mut batch = String::new();
    if let Some(veth) = &facts.veth {
        batch.push_str(&format!("link delete {veth}\n"));
    }
    if let Some(netns) = &facts.netns {
        batch.push_str(&format!("netns delete {netns}\n"));
    }
    if !batch.is_empty() {
        steps.push(TeardownStep::Run(CommandSpec::new("ip", &["-force", "-batch", "-"]).with_stdin(batch)));
    }
    steps.extend(facts.cgroups.iter().cloned().map(TeardownStep::RemoveCgroup));
    steps.extend(facts.runtime_dirs.iter().cloned().map(TeardownStep::RemoveDir));
    steps.extend(facts.dir.iter().cloned().map(TeardownStep::RemoveDir));
    steps
}

/// Which host to remove: its id, its network when known, and its record when there is one.
#[derive(Clone, Debug)]
pub(crate) struct Target<'a> {
    pub state: &'a StateLayout,
    pub id: &'a str,
    pub network: Option<&'a str>,
    pub record: Option<&'a HostRecord>,
}

/// Reads what exists of the target.
pub(crate) fn read_facts(target: &Target<'_>) -> TeardownFacts {
    let record = target.record;
    let netns =
        record.map(|record| record.netns.clone()).or_else(|| target.network.map(|n| names::netns_name(n, target.id)));
    let veth =
        record.map(|record| record.veth.clone()).or_else(|| target.network.map(|n| names::veth_name(n, target.id)));
    let netns_inode = netns.as_deref().and_then(facts::netns_inode);
    let init = record.and_then(|record| record.init).filter(|init| facts::is_running(*init)).map(|init| init.pid);
    let mut others: Vec<u32> = netns_inode.map(facts::pids_in_netns).unwrap_or_default();
    let launcher = record.and_then(|record| record.launcher).filter(|launcher| facts::is_running(*launcher));
    if let Some(launcher) = launcher {
        others.push(launcher.pid);
    }
    let container = record.is_some_and(|record| record.isolation == Isolation::Container);
    let supervisor = launcher.filter(|_| container).map(|launcher| launcher.pid);
    let machine = record
        .and_then(|record| record.machine.clone())
        .or_else(|| target.network.map(|network| names::machine_name(network, target.id)));
    others.retain(|pid| Some(*pid) != init);
    others.sort_unstable();
    others.dedup();
    let dir = target.state.host(target.id).dir;
    TeardownFacts {
        init,
        others,
        veth: veth.filter(|veth| facts::link_exists(veth)),
        netns: netns.filter(|_| netns_inode.is_some()),
        mounts: facts::mounts_under(&dir),
        supervisor,
        cgroups: record
            .map(|record| record.cgroups.iter().filter(|dir| dir.exists()).cloned().collect())
            .unwrap_or_default(),
        runtime_dirs: machine
            .map(|machine| nspawn::runtime_dirs(&machine).into_iter().filter(|dir| dir.exists()).collect())
            .unwrap_or_default(),
        dir: dir.exists().then_some(dir),
    }
}

/// Removes everything of the target, reaping its launcher if this process started it.
/// Fails if anything is left afterwards.
pub(crate) fn destroy(target: &Target<'_>) -> Result<()> {
    let mut launcher =
        target.record.and_then(|record| record.launcher).and_then(|launcher| launchers::take(launcher.pid));
    let steps = plan(&read_facts(target));
    let mut first_error = None;
    for step in &steps {
        if let Err(error) = execute(step, target.id, launcher.as_mut()) {
            first_error.get_or_insert(error);
        }
    }
    if let Some(child) = launcher.as_mut() {
        let _ = child.try_wait();
    }
    if let Some(error) = first_error {
        return Err(error);
    }
    let left = plan(&read_facts(target));
    if left.is_empty() {
        Ok(())
    } else {
        let what = left.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
        Err(Error::Leftover { id: target.id.to_string(), what })
    }
}

fn execute(step: &TeardownStep, id: &str, launcher: Option<&mut Child>) -> Result<()> {
    match step {
        TeardownStep::Kill(pids) => {
            let alive: Vec<String> = pids.iter().filter(|pid| facts::is_alive(**pid)).map(u32::to_string).collect();
            if !alive.is_empty() {
                let mut args = vec!["-KILL", "--"];
                args.extend(alive.iter().map(String::as_str));
                // A process may exit between the check and the signal; AwaitExit verifies.
                runner::run_unchecked(&CommandSpec::new("kill", &args), COMMAND_TIMEOUT)?;
            }
            Ok(())
        }
        TeardownStep::AwaitExit(pids) => await_exit(id, pids, launcher, EXIT_TIMEOUT),
        TeardownStep::AllowExit(pids) => {
            // Whatever is still alive after the grace period is killed by the next steps.
            let _ = await_exit(id, pids, launcher, GRACE);
            Ok(())
        }
        TeardownStep::Run(command) => runner::run(command, COMMAND_TIMEOUT).map(drop),
        TeardownStep::RemoveCgroup(dir) => {
            let mut last_error = None;
            let removed = runner::poll(CGROUP_TIMEOUT, || match cgroups::remove(dir) {
                Ok(()) => Some(()),
                Err(error) => {
                    last_error = Some(error);
                    None
                }
            });
            match (removed, last_error) {
                (None, Some(source)) => Err(Error::Io { action: "removing cgroup", path: dir.clone(), source }),
                _ => Ok(()),
            }
        }
        TeardownStep::RemoveDir(dir) => match std::fs::remove_dir_all(dir) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                Err(Error::Io { action: "removing", path: dir.clone(), source: error })
            }
            _ => Ok(()),
        },
    }
}

/// Waits until every pid is gone, reaping `launcher` (when this process started it) as it
/// exits. A zombie counts as gone unless its parent is being waited for too (it will reap
/// it) or is `launcher`'s holder, this process; a zombie nobody will reap (an orphan under
/// an init that does not reap) would otherwise be waited for in vain.
fn await_exit(id: &str, pids: &[u32], mut launcher: Option<&mut Child>, timeout: Duration) -> Result<()> {
    let me = std::process::id();
    let reaping = launcher.as_ref().map(|child| child.id());
    let gone = |pid: u32| match facts::stat(pid) {
        None => true,
        Some(stat) if matches!(stat.state, 'Z' | 'X') => {
            let reaped_by_waited = pids.contains(&stat.parent);
            let reaped_by_me = stat.parent == me && reaping == Some(pid);
            !reaped_by_waited && !reaped_by_me
        }
        Some(_) => false,
    };
    let done = runner::poll(timeout, || {
        if let Some(child) = launcher.as_deref_mut() {
            let _ = child.try_wait();
        }
        pids.iter().all(|pid| gone(*pid)).then_some(())
    });
    match done {
        Some(()) => Ok(()),
        None => Err(Error::ProcessesSurvived {
            id: id.to_string(),
            pids: pids.iter().copied().filter(|pid| !gone(*pid)).collect(),
            waited: timeout,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    /// A fixture: the facts of a host and the steps expected from them.
    #[derive(Deserialize)]
    struct Fixture {
        facts: FixtureFacts,
        steps: Vec<String>,
    }

    #[derive(Deserialize)]
    struct FixtureFacts {
        init: Option<u32>,
        #[serde(default)]
        others: Vec<u32>,
        #[serde(default)]
        supervisor: Option<u32>,
        veth: Option<String>,
        netns: Option<String>,
        #[serde(default)]
        mounts: Vec<PathBuf>,
        #[serde(default)]
        cgroups: Vec<PathBuf>,
        #[serde(default)]
        runtime_dirs: Vec<PathBuf>,
        dir: Option<PathBuf>,
    }

    fn check(name: &str, text: &str) {
        let fixture: Fixture = serde_json::from_str(text).unwrap_or_else(|error| panic!("{name}: {error}"));
        let f = fixture.facts;
        let facts = TeardownFacts {
            init: f.init,
            others: f.others,
            supervisor: f.supervisor,
            veth: f.veth,
            netns: f.netns,
            mounts: f.mounts,
            cgroups: f.cgroups,
            runtime_dirs: f.runtime_dirs,
            dir: f.dir,
        };
        let steps: Vec<String> = plan(&facts).iter().map(ToString::to_string).collect();
        assert_eq!(steps, fixture.steps, "{name}");
    }

    #[test]
    fn fixtures() {
        let fixtures = [
            ("running", include_str!("../../../testdata/local-hosts/teardown/running.json")),
            ("init-killed", include_str!("../../../testdata/local-hosts/teardown/init-killed.json")),
            ("half-created", include_str!("../../../testdata/local-hosts/teardown/half-created.json")),
            ("leaked-mount", include_str!("../../../testdata/local-hosts/teardown/leaked-mount.json")),
            ("nothing-left", include_str!("../../../testdata/local-hosts/teardown/nothing-left.json")),
            ("container-running", include_str!("../../../testdata/local-hosts/teardown/container-running.json")),
            (
                "container-supervisor-killed",
                include_str!("../../../testdata/local-hosts/teardown/container-supervisor-killed.json"),
            ),
        ];
        for (name, text) in fixtures {
            check(name, text);
        }
    }
}
