//! The plan: the structured result of `strata plan`, built first and rendered second (the
//! human view and `--json` read the same [`Plan`]).
//!
//! Main types: [`Plan`], [`ResourceChange`], [`Action`] (whose `Display` is the plan symbol),
//! and [`json::to_json`], the stable machine format.

mod action;
pub mod attribute_path;
mod change;
pub mod drift;
pub mod file;
pub mod json;

pub use action::{Action, ActionReason};
pub use change::{Move, OutputChange, Plan, PlanMode, ReconcileKind, Reconciliation, ResourceChange};
