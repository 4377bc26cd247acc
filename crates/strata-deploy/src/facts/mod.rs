//! Facts: what is true on a host now, read by a shell command and a pure parser.
//!
//! A [`Fact`] is a command whose standard output a pure function turns into a typed value
//! (pyinfra's facts). Commands exit 0 for every state they can describe ("missing" is a value,
//! not an error); a non-zero exit is a [`FactError::CommandFailed`].
//!
//! Many facts are read in one round trip: a [`FactBatch`] combines their commands into one
//! script whose output sections are delimited by markers carrying a fresh token
//! ([`script::combine`]); [`script::split`] takes the output apart again, and
//! [`GatheredFacts::get`] parses each section with its fact's parser.

mod batch;
mod directory;
mod file;
mod file_content;
mod link;
mod marker;
mod os_release;
mod pid_file;
mod ports;
pub mod script;
mod service_status;
mod supervisor;

pub use batch::{FactBatch, FactHandle, GatheredFacts};
pub use directory::{DirectoryFact, DirectoryState};
pub use file::{FileFact, FileState};
pub use file_content::{DEFAULT_MAX_CONTENT, FileContentFact, FileContentState};
pub use link::{LinkFact, LinkState};
pub use marker::MarkerFact;
pub use os_release::{OsRelease, OsReleaseFact};
pub use pid_file::{PidFileFact, ProcessState};
pub use ports::ListeningPortsFact;
pub use service_status::{ServiceStatus, ServiceStatusFact};
pub use supervisor::SupervisorFact;

pub(crate) use pid_file::{alive_condition, read_pid_command};

/// A fact about a host: a shell command and a pure parser of its standard output.
pub trait Fact {
    /// What the parser produces.
    type Value;

    /// A short description for errors, such as `file /etc/hosts`.
    fn describe(&self) -> String;

    /// The POSIX shell command to run on the host; it should exit 0 for every state.
    fn command(&self) -> String;

    /// Parses the command's standard output.
    fn parse(&self, stdout: &str) -> Result<Self::Value, FactError>;
}

/// A fact that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FactError {
    #[error("fact {fact}: unexpected output {output:?}")]
    Parse { fact: String, output: String },

    #[error("fact {fact}: the command failed with exit code {exit_code}: {stderr}")]
    CommandFailed { fact: String, exit_code: i32, stderr: String },

    #[error("the output of the fact script has no complete section {index}; the script was cut short")]
    MissingSection { index: usize },
}

impl FactError {
    pub(crate) fn parse(fact: &impl Fact, output: &str) -> Self {
        let output: String = output.chars().take(200).collect();
        Self::Parse { fact: fact.describe(), output }
    }
}

/// The output with exactly one trailing newline removed, if there is one.
pub(crate) fn strip_newline(output: &str) -> &str {
    output.strip_suffix('\n').unwrap_or(output)
}
