//! Operations: pure functions from (facts, desired state) to the steps that make the host
//! match, pyinfra style. An empty list means the host already matches: that is how
//! idempotence is shown.

mod archive;
mod directory;
mod error;
mod file;
mod service;
mod step;
mod symlink;

pub use archive::{ArchiveSpec, archive};
pub use directory::{DirectorySpec, directory};
pub use error::OperationError;
pub use file::{FileSpec, file};
pub use service::{ServiceFacts, service};
pub use step::{Step, Upload};
pub use symlink::{SymlinkSpec, symlink};

/// Paths the operations accept are absolute.
fn require_absolute(path: &str) -> Result<(), OperationError> {
    if path.starts_with('/') { Ok(()) } else { Err(OperationError::RelativePath { path: path.to_owned() }) }
}
