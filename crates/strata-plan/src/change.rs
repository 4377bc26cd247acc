//! The plan and its changes.

use strata_addrs::{AbsResourceAddr, ProviderConfigAddr, ResourceInstanceAddr};
use strata_value::Value;

use crate::{Action, ActionReason};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanMode {
    Normal,
    Destroy,
    RefreshOnly,
}

/// One resource instance's planned change. `before`/`after` are whole objects; `after` holds
/// unknowns for what only apply can tell; both keep sensitive marks.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceChange {
    pub addr: ResourceInstanceAddr,
    pub provider: ProviderConfigAddr,
    pub action: Action,
    pub before: Option<Value>,
    pub after: Option<Value>,
    /// Attributes whose change forces the replacement.
    pub replace_paths: Vec<String>,
    pub reason: Option<ActionReason>,
    /// Resources this instance depends on directly (through references and `depends_on`);
    /// apply orders by them and state records them.
    pub dependencies: Vec<AbsResourceAddr>,
    pub create_before_destroy: bool,
}

/// An object taken into state on apply without being created: one an interrupted create
/// made (found by the intent's token; `None` when the create never made one), or one an
/// `import` block names.
#[derive(Clone, Debug, PartialEq)]
pub struct Reconciliation {
    pub addr: ResourceInstanceAddr,
    pub provider: ProviderConfigAddr,
    pub found: Option<Value>,
    pub kind: ReconcileKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReconcileKind {
    InterruptedCreate,
    Import,
}

/// A `moved` block applied to the state: the object keeps existing under a new address.
#[derive(Clone, Debug, PartialEq)]
pub struct Move {
    pub from: ResourceInstanceAddr,
    pub to: ResourceInstanceAddr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OutputChange {
    pub name: String,
    pub action: Action,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub sensitive: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub mode: PlanMode,
    /// The state the plan was made against: a saved plan applies only to it.
    pub prior_lineage: String,
    pub prior_serial: u64,
    pub changes: Vec<ResourceChange>,
    /// Objects changed outside Strata, found by refresh.
    pub drift: Vec<ResourceChange>,
    pub outputs: Vec<OutputChange>,
    pub reconciled: Vec<Reconciliation>,
    pub moved: Vec<Move>,
}

impl Plan {
    /// Counts for the summary line: (add, change, destroy).
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut counts = (0, 0, 0);
        for change in &self.changes {
            match change.action {
                Action::Create => counts.0 += 1,
                Action::Update => counts.1 += 1,
                Action::Delete => counts.2 += 1,
                Action::DeleteThenCreate | Action::CreateThenDelete => {
                    counts.0 += 1;
                    counts.2 += 1;
                }
                Action::NoOp | Action::Read => {}
            }
        }
        counts
    }

    /// True when applying would change something (resources, or outputs; drift alone counts
    /// in refresh-only mode).
    pub fn has_changes(&self) -> bool {
        let resources = self.changes.iter().any(|c| c.action != Action::NoOp);
        let outputs = self.outputs.iter().any(|o| o.action != Action::NoOp);
        let reconciled = !self.reconciled.is_empty() || !self.moved.is_empty();
        match self.mode {
            PlanMode::RefreshOnly => !self.drift.is_empty() || outputs || reconciled,
            _ => resources || outputs || reconciled,
        }
    }
}
