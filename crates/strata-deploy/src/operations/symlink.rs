//! Operation: a symbolic link pointing at a target.

use serde::{Deserialize, Serialize};

use crate::facts::LinkState;
use crate::operations::{OperationError, Step, require_absolute};
use crate::shell::{parent, quote};

/// A symbolic link at `path` that should point at `target` (as written, not resolved).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SymlinkSpec {
    pub path: String,
    pub target: String,
}

/// Creates the link when missing, replaces it when it points elsewhere.
pub fn symlink(fact: &LinkState, desired: &SymlinkSpec) -> Result<Vec<Step>, OperationError> {
    require_absolute(&desired.path)?;
    let create = format!("ln -sfn -- {} {}", quote(&desired.target), quote(&desired.path));
    Ok(match fact {
        LinkState::NotALink => return Err(OperationError::NotALink { path: desired.path.clone() }),
        LinkState::Missing => vec![Step::Run(format!("mkdir -p -- {} && {create}", quote(parent(&desired.path))))],
        LinkState::Link { target } if *target != desired.target => vec![Step::Run(create)],
        LinkState::Link { .. } => Vec::new(),
    })
}
