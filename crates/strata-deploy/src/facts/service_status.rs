//! Fact: whether a supervised service is running, under whichever supervisor the host has.

use serde::{Deserialize, Serialize};

use crate::facts::{Fact, FactError, alive_condition, read_pid_command};
use crate::service::{RUN_DIR, ServiceSupervisor, unit_name};
use crate::shell::quote;

/// A service's state on a host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceStatus {
    pub supervisor: ServiceSupervisor,
    pub running: bool,
    /// The main process, when known.
    #[serde(default)]
    pub pid: Option<u32>,
    /// Whether systemd starts it at boot (`None` under plain supervision).
    #[serde(default)]
    pub enabled: Option<bool>,
}

/// Reads [`ServiceStatus`] of the service `name`, detecting the supervisor in the same command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceStatusFact {
    pub name: String,
}

impl ServiceStatusFact {
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: name.into() }
    }
}

impl Fact for ServiceStatusFact {
    type Value = ServiceStatus;

    fn describe(&self) -> String {
        format!("service {}", self.name)
    }

    fn command(&self) -> String {
        let unit = quote(&unit_name(&self.name));
        format!(
            "if [ \"$(cat /proc/1/comm 2>/dev/null)\" = systemd ]; then\n\
             echo supervisor=systemd\n\
             echo \"active=$(systemctl is-active {unit} 2>/dev/null)\"\n\
             echo \"enabled=$(systemctl is-enabled {unit} 2>/dev/null)\"\n\
             echo \"pid=$(systemctl show -p MainPID --value {unit} 2>/dev/null)\"\n\
             else\n\
             echo supervisor=plain\n\
             p={pid_file}; pid=\n\
             if [ -s \"$p\" ]; then {read_pid}; fi\n\
             if [ -n \"$pid\" ] && {alive}; then echo active=active; echo \"pid=$pid\"; else echo active=inactive; fi\n\
             fi",
            pid_file = quote(&format!("{RUN_DIR}/{}.pid", self.name)),
            read_pid = read_pid_command(),
            alive = alive_condition("pid"),
        )
    }

    fn parse(&self, stdout: &str) -> Result<ServiceStatus, FactError> {
        let mut supervisor = None;
        let mut running = false;
        let mut pid = None;
        let mut enabled = None;
        for line in stdout.lines().filter(|line| !line.trim().is_empty()) {
            let (key, value) = line.split_once('=').ok_or_else(|| FactError::parse(self, stdout))?;
            let value = value.trim();
            match key {
                "supervisor" => {
                    supervisor = Some(match value {
                        "systemd" => ServiceSupervisor::Systemd,
                        "plain" => ServiceSupervisor::Plain,
                        _ => return Err(FactError::parse(self, stdout)),
                    })
                }
                "active" => running = matches!(value, "active" | "activating" | "reloading"),
                "enabled" => enabled = Some(matches!(value, "enabled" | "enabled-runtime" | "static" | "alias")),
                "pid" => pid = value.parse().ok().filter(|pid| *pid != 0),
                _ => return Err(FactError::parse(self, stdout)),
            }
        }
        let supervisor = supervisor.ok_or_else(|| FactError::parse(self, stdout))?;
        if supervisor == ServiceSupervisor::Plain {
            enabled = None;
        }
        Ok(ServiceStatus { supervisor, running, pid, enabled })
    }
}
