//! The engine: plans changes from configuration and state ([`plan()`]) and applies them
//! through providers ([`apply()`]), persisting state after every completed change.
//!
//! It knows nothing of terminals or processes: progress goes out as [`Event`]s to a [`Hook`],
//! problems come back as diagnostics.

mod apply;
mod checks;
mod conditions;
mod events;
mod expand;
mod instances;
mod moves;
mod plan;
mod providers;
mod refresh;
mod release;
mod targeting;
mod timeouts;
mod values;

pub use apply::{ApplyOptions, StopSignal, apply};
pub use events::{Event, Hook, NoHook};
pub use instances::import_target;
pub use plan::{PlanOptions, plan};
pub use providers::ProviderSet;
pub use release::{release_plan, transient_resources};
