//! Service supervision: running a daemon on a host, with or without systemd.
//!
//! Every service has a **launcher**, `/etc/strata/services/<name>.sh` (mode 0700, it may hold
//! environment values): it changes to the working directory, exports the environment and
//! `exec`s the command, so the daemon keeps the launcher's pid. The launcher is the service's
//! definition: when it changes, a running service is restarted.
//!
//! [`ServiceSupervisor::Plain`] (hosts whose PID 1 is not systemd, such as namespace hosts
//! with sshd as PID 1):
//! - **start**: `setsid nohup /bin/sh -c 'echo $$ > /run/strata/<name>.pid; exec /bin/sh
//!   <launcher>' >> /var/log/strata/<name>.log 2>&1 < /dev/null &`. `setsid` detaches it from
//!   the SSH session, so the daemon is the leader of its own session and process group, and
//!   the pid file names that group. The start command waits (at most 5 s) for the pid file,
//!   then checks half a second later that the daemon is still alive, printing the end of its
//!   log if not.
//! - **status**: running when the pid file names a live process that is not a zombie.
//! - **stop**: TERM to the process group, up to `stop_timeout_seconds` for it to exit, then
//!   KILL to the group; the pid file is removed.
//! - No restart on failure and no start at boot: the provider that owns the host converges it.
//!
//! [`ServiceSupervisor::Systemd`]: a unit `/etc/systemd/system/strata-<name>.service` runs the
//! same launcher (`Restart=on-failure`, output appended to the same log file) and
//! `systemctl` starts, stops, enables and reports it.
//!
//! Which supervisor a host has is a fact ([`crate::facts::SupervisorFact`]); the service
//! operation ([`crate::operations::service`]) produces the right commands for either.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::facts::alive_condition;
use crate::operations::OperationError;
use crate::shell::quote;

/// Where launchers live.
pub const LAUNCHER_DIR: &str = "/etc/strata/services";
/// Where plain supervision keeps pid files.
pub const RUN_DIR: &str = "/run/strata";
/// Where every service's output goes.
pub const LOG_DIR: &str = "/var/log/strata";
/// Where generated systemd units go.
pub const UNIT_DIR: &str = "/etc/systemd/system";

/// How a host runs services.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceSupervisor {
    /// Detached processes with pid files (no systemd).
    Plain,
    /// Generated unit files and `systemctl`.
    Systemd,
}

impl ServiceSupervisor {
    /// The supervisor for a host whose PID 1 has this command name (`/proc/1/comm`).
    pub fn for_init_process(command_name: &str) -> Self {
        if command_name == "systemd" { Self::Systemd } else { Self::Plain }
    }
}

/// A daemon that should be running (or stopped) on a host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceSpec {
    /// Letters, digits, `.`, `_`, `-` and `@`; names the launcher, pid, log and unit files.
    pub name: String,
    /// One shell command line, run with `exec` (wrap compound commands in `sh -c '…'`).
    pub command: String,
    #[serde(default)]
    pub environment: BTreeMap<String, String>,
    #[serde(default)]
    pub working_directory: Option<String>,
    /// Whether the service should be running (`true`) or stopped.
    #[serde(default = "running_by_default")]
    pub running: bool,
    /// How long stop waits after TERM before KILL.
    #[serde(default = "default_stop_timeout")]
    pub stop_timeout_seconds: u32,
}

fn running_by_default() -> bool {
    true
}

fn default_stop_timeout() -> u32 {
    10
}

impl ServiceSpec {
    /// A running service with no environment, working directory `/`, and a 10 s stop timeout.
    pub fn new(name: impl Into<String>, command: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            command: command.into(),
            environment: BTreeMap::new(),
            working_directory: None,
            running: true,
            stop_timeout_seconds: default_stop_timeout(),
        }
    }

    /// Checks the name, the environment names and the working directory.
    pub fn validate(&self) -> Result<(), OperationError> {
        let name_ok = !self.name.is_empty()
            && !self.name.starts_with('.')
            && self.name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
        if !name_ok {
            return Err(OperationError::InvalidServiceName { name: self.name.clone() });
        }
        for key in self.environment.keys() {
            let mut characters = key.chars();
            let key_ok = characters.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && characters.all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !key_ok {
                return Err(OperationError::InvalidEnvironmentName { name: key.clone() });
            }
        }
        if let Some(directory) = &self.working_directory
            && !directory.starts_with('/')
        {
            return Err(OperationError::RelativePath { path: directory.clone() });
        }
        Ok(())
    }

    pub fn launcher_path(&self) -> String {
        format!("{LAUNCHER_DIR}/{}.sh", self.name)
    }

    pub fn pid_file(&self) -> String {
        format!("{RUN_DIR}/{}.pid", self.name)
    }

    pub fn log_file(&self) -> String {
        log_file(&self.name)
    }

    pub fn unit_name(&self) -> String {
        unit_name(&self.name)
    }

    pub fn unit_path(&self) -> String {
        format!("{UNIT_DIR}/{}", self.unit_name())
    }
}

pub(crate) fn log_file(name: &str) -> String {
    format!("{LOG_DIR}/{name}.log")
}

pub(crate) fn unit_name(name: &str) -> String {
    format!("strata-{name}.service")
}

/// The launcher script of a (validated) service.
pub fn launcher_script(spec: &ServiceSpec) -> String {
    let mut script =
        format!("#!/bin/sh\n# Generated by Strata for the service {}; changes are overwritten.\n", spec.name);
    let directory = spec.working_directory.as_deref().unwrap_or("/");
    script.push_str(&format!("cd {} || exit 1\n", quote(directory)));
    for (key, value) in &spec.environment {
        script.push_str(&format!("export {key}={}\n", quote(value)));
    }
    script.push_str(&format!("exec {}\n", spec.command));
    script
}

/// The systemd unit of a (validated) service.
pub fn systemd_unit(spec: &ServiceSpec) -> String {
    format!(
        "# Generated by Strata for the service {name}; changes are overwritten.\n\
         [Unit]\n\
         Description=Strata service {name}\n\
         After=network-online.target\n\
         Wants=network-online.target\n\
         \n\
         [Service]\n\
         Type=simple\n\
         ExecStart=/bin/sh {launcher}\n\
         KillMode=control-group\n\
         TimeoutStopSec={timeout}\n\
         Restart=on-failure\n\
         StandardOutput=append:{log}\n\
         StandardError=inherit\n\
         \n\
         [Install]\n\
         WantedBy=multi-user.target\n",
        name = spec.name,
        launcher = spec.launcher_path(),
        timeout = spec.stop_timeout_seconds,
        log = spec.log_file(),
    )
}

/// The command that starts a stopped service.
pub fn start_command(supervisor: ServiceSupervisor, spec: &ServiceSpec) -> String {
    match supervisor {
        ServiceSupervisor::Systemd => format!("mkdir -p {LOG_DIR} && systemctl start {}", spec.unit_name()),
        ServiceSupervisor::Plain => format!(
            "mkdir -p {RUN_DIR} {LOG_DIR}\n\
             p={pid_file}; log={log}; rm -f -- \"$p\"\n\
             setsid nohup /bin/sh -c 'echo $$ > \"$1\"; exec /bin/sh \"$2\"' {process_name} \"$p\" {launcher} \
             >>\"$log\" 2>&1 </dev/null &\n\
             i=0; while [ ! -s \"$p\" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done\n\
             if [ ! -s \"$p\" ]; then echo {no_pid_file} >&2; exit 1; fi\n\
             sleep 0.5; {read_pid}\n\
             if [ -z \"$pid\" ] || ! {{ {alive}; }}; then\n\
             printf '%s: exited at once; the end of %s:\\n' {name} \"$log\" >&2; tail -n 20 -- \"$log\" >&2; rm -f -- \"$p\"; exit 1\n\
             fi",
            pid_file = quote(&spec.pid_file()),
            log = quote(&spec.log_file()),
            process_name = quote(&format!("strata-{}", spec.name)),
            launcher = quote(&spec.launcher_path()),
            name = quote(&spec.name),
            no_pid_file = quote(&format!("{}: no pid file after 5 s", spec.name)),
            read_pid = crate::facts::read_pid_command(),
            alive = alive_condition("pid"),
        ),
    }
}

/// The command that stops a service (and succeeds when it is not running).
pub fn stop_command(supervisor: ServiceSupervisor, spec: &ServiceSpec) -> String {
    match supervisor {
        ServiceSupervisor::Systemd => format!("systemctl stop {}", spec.unit_name()),
        ServiceSupervisor::Plain => {
            let alive = alive_condition("pid");
            format!(
                "p={pid_file}\n\
                 if [ -s \"$p\" ]; then\n\
                 {read_pid}\n\
                 if [ -n \"$pid\" ] && {alive}; then\n\
                 kill -TERM -- \"-$pid\" 2>/dev/null || kill -TERM \"$pid\" 2>/dev/null\n\
                 i=0; while {alive} && [ $i -lt {ticks} ]; do sleep 0.1; i=$((i+1)); done\n\
                 kill -KILL -- \"-$pid\" 2>/dev/null || kill -KILL \"$pid\" 2>/dev/null\n\
                 i=0; while {alive} && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done\n\
                 fi\n\
                 rm -f -- \"$p\"\n\
                 fi\n\
                 true",
                pid_file = quote(&spec.pid_file()),
                read_pid = crate::facts::read_pid_command(),
                ticks = u64::from(spec.stop_timeout_seconds) * 10,
            )
        }
    }
}

/// The command that restarts a running service so that it runs its new definition.
pub fn restart_command(supervisor: ServiceSupervisor, spec: &ServiceSpec) -> String {
    match supervisor {
        ServiceSupervisor::Systemd => format!("mkdir -p {LOG_DIR} && systemctl restart {}", spec.unit_name()),
        ServiceSupervisor::Plain => {
            format!("{}\n{}", stop_command(supervisor, spec), start_command(supervisor, spec))
        }
    }
}
