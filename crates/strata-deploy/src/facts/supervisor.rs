//! Fact: which service supervisor a host has (is PID 1 systemd?).

use serde::{Deserialize, Serialize};

use crate::facts::{Fact, FactError};
use crate::service::ServiceSupervisor;

/// Reads the host's [`ServiceSupervisor`] from `/proc/1/comm`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupervisorFact {}

impl Fact for SupervisorFact {
    type Value = ServiceSupervisor;

    fn describe(&self) -> String {
        "service supervisor".to_owned()
    }

    fn command(&self) -> String {
        "cat /proc/1/comm 2>/dev/null; true".to_owned()
    }

    fn parse(&self, stdout: &str) -> Result<ServiceSupervisor, FactError> {
        Ok(ServiceSupervisor::for_init_process(stdout.trim()))
    }
}
