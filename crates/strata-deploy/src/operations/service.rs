//! Operation: a supervised service, running or stopped, under either supervisor.

use serde::{Deserialize, Serialize};

use crate::content::FileContent;
use crate::facts::{FileState, ServiceStatus};
use crate::mode::Mode;
use crate::operations::{OperationError, Step};
use crate::service::{
    LAUNCHER_DIR, ServiceSpec, ServiceSupervisor, launcher_script, restart_command, start_command, stop_command,
    systemd_unit,
};
use crate::shell::quote;

/// What the service operation needs to know about the host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceFacts {
    /// Also tells which supervisor the host has.
    pub status: ServiceStatus,
    /// The launcher, [`ServiceSpec::launcher_path`].
    pub launcher: FileState,
    /// The unit file, [`ServiceSpec::unit_path`] (read on every host, used under systemd).
    pub unit: FileState,
}

/// Brings the service to its desired state: writes a changed launcher (and unit), then starts
/// it, restarts it when its definition changed while running, or stops it.
pub fn service(facts: &ServiceFacts, desired: &ServiceSpec) -> Result<Vec<Step>, OperationError> {
    desired.validate()?;
    let supervisor = facts.status.supervisor;
    let mut steps = Vec::new();

    if !desired.running {
        if facts.status.running {
            steps.push(Step::Run(stop_command(supervisor, desired)));
        }
        if facts.status.enabled == Some(true) {
            steps.push(Step::Run(format!("systemctl disable {}", desired.unit_name())));
        }
        return Ok(steps);
    }

    let launcher = FileContent::text(launcher_script(desired));
    let mut definition_changed = false;
    match &facts.launcher {
        FileState::NotAFile => return Err(OperationError::NotAFile { path: desired.launcher_path() }),
        FileState::Missing => {
            steps.push(Step::Run(format!("mkdir -p {LAUNCHER_DIR}")));
            steps.push(Step::upload(desired.launcher_path(), Mode::PRIVATE_EXECUTABLE, launcher));
            definition_changed = true;
        }
        FileState::File { sha256, .. } if *sha256 != launcher.sha256() => {
            steps.push(Step::upload(desired.launcher_path(), Mode::PRIVATE_EXECUTABLE, launcher));
            definition_changed = true;
        }
        FileState::File { mode, .. } if *mode != Mode::PRIVATE_EXECUTABLE => {
            steps.push(Step::Run(format!("chmod {} -- {}", Mode::PRIVATE_EXECUTABLE, quote(&desired.launcher_path()))));
        }
        FileState::File { .. } => {}
    }

    if supervisor == ServiceSupervisor::Systemd {
        let unit = FileContent::text(systemd_unit(desired));
        let unit_changed = match &facts.unit {
            FileState::NotAFile => return Err(OperationError::NotAFile { path: desired.unit_path() }),
            FileState::Missing => true,
            FileState::File { sha256, .. } => *sha256 != unit.sha256(),
        };
        if unit_changed {
            steps.push(Step::upload(desired.unit_path(), Mode::FILE, unit));
            steps.push(Step::Run("systemctl daemon-reload".to_owned()));
            definition_changed = true;
        }
        if facts.status.enabled != Some(true) {
            steps.push(Step::Run(format!("systemctl enable {}", desired.unit_name())));
        }
    }

    if !facts.status.running {
        steps.push(Step::Run(start_command(supervisor, desired)));
    } else if definition_changed {
        steps.push(Step::Run(restart_command(supervisor, desired)));
    }
    Ok(steps)
}
