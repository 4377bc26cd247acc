//! Fact: whether the process named by a pid file is running.

use serde::{Deserialize, Serialize};

use crate::facts::{Fact, FactError};
use crate::shell::quote;

/// The process a pid file names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ProcessState {
    /// No pid file, or an empty one.
    NoPidFile,
    /// The pid file names no live process (it exited, is a zombie, or the file is garbage).
    Stale,
    Running {
        pid: u32,
    },
}

/// Reads [`ProcessState`] for `pid_file`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PidFileFact {
    pub pid_file: String,
}

impl PidFileFact {
    pub fn new(pid_file: impl Into<String>) -> Self {
        Self { pid_file: pid_file.into() }
    }
}

/// A shell condition true when the process whose pid is in `$<variable>` is alive: it exists
/// and is not a zombie (an orphan may wait a while for a PID 1 that reaps late).
pub(crate) fn alive_condition(variable: &str) -> String {
    format!("kill -0 \"${variable}\" 2>/dev/null && ! grep -qs '^State:[[:space:]]*Z' \"/proc/${variable}/status\"")
}

/// Shell commands setting `$pid` from `$p` (empty when the file holds no number).
pub(crate) fn read_pid_command() -> &'static str {
    "pid=$(head -c 32 -- \"$p\" 2>/dev/null | tr -d '[:space:]'); case \"$pid\" in *[!0-9]*) pid= ;; esac"
}

impl Fact for PidFileFact {
    type Value = ProcessState;

    fn describe(&self) -> String {
        format!("process of pid file {}", self.pid_file)
    }

    fn command(&self) -> String {
        format!(
            "p={}\n\
             if [ -s \"$p\" ]; then\n\
             {read}\n\
             if [ -n \"$pid\" ] && {alive}; then echo \"running $pid\"; else echo stale; fi\n\
             else echo no_pid_file; fi",
            quote(&self.pid_file),
            read = read_pid_command(),
            alive = alive_condition("pid"),
        )
    }

    fn parse(&self, stdout: &str) -> Result<ProcessState, FactError> {
        let words: Vec<&str> = stdout.split_whitespace().collect();
        match words.as_slice() {
            ["no_pid_file"] => Ok(ProcessState::NoPidFile),
            ["stale"] => Ok(ProcessState::Stale),
            ["running", pid] => {
                pid.parse().map(|pid| ProcessState::Running { pid }).map_err(|_| FactError::parse(self, stdout))
            }
            _ => Err(FactError::parse(self, stdout)),
        }
    }
}
