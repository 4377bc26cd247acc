//! Problems found while loading that lose nothing and need no action.

use std::fmt;
use std::path::PathBuf;

/// Something the loader repaired; worth telling the user, not worth failing for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StateWarning {
    /// The journal ended in an incomplete record: Strata stopped while appending it. Its
    /// `record` call had not returned (that happens only after the fsync), so no completed
    /// change is lost.
    TornJournalTail { path: PathBuf, line: usize, bytes: u64 },
}

impl fmt::Display for StateWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StateWarning::TornJournalTail { path, line, bytes } => write!(
                f,
                "ignored an incomplete record at the end of {} (line {line}, {bytes} bytes): it was \
                 being written when Strata stopped and had not been confirmed",
                path.display()
            ),
        }
    }
}
