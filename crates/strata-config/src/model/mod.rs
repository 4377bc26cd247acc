//! What a module declares, as decoded from its files.

mod lifecycle;
mod module;
mod module_call;
mod output;
mod provider;
mod resource;
mod resources;
mod settings;
mod timeouts;
mod variable;

pub use lifecycle::Lifecycle;
pub use module::{Check, Import, Local, Module, ModuleMoved, Moved};
pub use module_call::{ModuleCall, ProviderPass};
pub use output::Output;
pub use provider::ProviderConfig;
pub use resource::{Resource, ResourceBody};
pub use resources::Resources;
pub use settings::{BackendConfig, Settings};
pub use timeouts::{Timeouts, format_duration, parse_duration};
pub use variable::{Validation, Variable};
