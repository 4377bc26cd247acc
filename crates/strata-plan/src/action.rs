//! What happens to one resource instance.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    NoOp,
    Create,
    /// A data source read during apply.
    Read,
    Update,
    /// Replace: delete the old object, then create the new one.
    DeleteThenCreate,
    /// Replace with `create_before_destroy`.
    CreateThenDelete,
    Delete,
}

impl Action {
    pub fn is_replace(self) -> bool {
        matches!(self, Action::DeleteThenCreate | Action::CreateThenDelete)
    }

    /// The word used in JSON and summaries.
    pub fn name(self) -> &'static str {
        match self {
            Action::NoOp => "no-op",
            Action::Create => "create",
            Action::Read => "read",
            Action::Update => "update",
            Action::DeleteThenCreate => "delete-then-create",
            Action::CreateThenDelete => "create-then-delete",
            Action::Delete => "delete",
        }
    }
}

/// The plan symbol: `+`, `~`, `-`, `-/+`, `+/-`, `<=`.
impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Action::NoOp => " ",
            Action::Create => "+",
            Action::Read => "<=",
            Action::Update => "~",
            Action::DeleteThenCreate => "-/+",
            Action::CreateThenDelete => "+/-",
            Action::Delete => "-",
        })
    }
}

/// Why an action was chosen when it is not obvious from the diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActionReason {
    /// The object is tainted (a create or an apply failed half-way).
    Tainted,
    /// `--replace ADDR` asked for it.
    ReplaceRequested,
    /// An attribute that forces replacement changed.
    ReplaceBecauseCannotUpdate(Vec<String>),
    /// `replace_triggered_by` named something that changes.
    ReplaceTriggeredBy(String),
    /// The instance is in state but no longer in the configuration.
    NoResourceConfig,
    /// The `count`/`for_each` key is no longer in the configuration.
    NoInstanceKey,
    /// The resource is in the configuration, but the module instance holding this object is
    /// no longer among its call's instances (`module.web[2]` after `count` went down to 2).
    NoModuleInstance,
    /// `strata plan --destroy`.
    DestroyMode,
    /// A create was interrupted (crash); the object it made is adopted or cleaned up.
    InterruptedCreate,
    /// `lifecycle { transient = true }`: released at the end of the apply that used it.
    Transient,
    /// An object a `create_before_destroy` replacement moved aside and could not destroy.
    Deposed,
}

impl ActionReason {
    pub fn describe(&self) -> String {
        match self {
            ActionReason::Tainted => "is tainted, so it must be replaced".into(),
            ActionReason::ReplaceRequested => "will be replaced, as requested".into(),
            ActionReason::ReplaceBecauseCannotUpdate(attrs) => {
                format!("must be replaced because {} cannot be updated in place", attrs.join(", "))
            }
            ActionReason::ReplaceTriggeredBy(what) => format!("will be replaced due to changes in {what}"),
            ActionReason::NoResourceConfig => "is not in configuration, so it will be destroyed".into(),
            ActionReason::NoInstanceKey => "is no longer among the instances of its resource".into(),
            ActionReason::NoModuleInstance => {
                "is not in configuration (its module instance was removed), so it will be destroyed".into()
            }
            ActionReason::DestroyMode => "will be destroyed".into(),
            ActionReason::InterruptedCreate => "was being created when Strata stopped; it is reconciled now".into(),
            ActionReason::Transient => "is transient, so it is released at the end of the apply".into(),
            ActionReason::Deposed => {
                "(deposed object, replaced by create_before_destroy but not yet destroyed) will be destroyed".into()
            }
        }
    }
}
