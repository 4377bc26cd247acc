//! Typed addresses. Every address is an immutable value that prints in HCL syntax
//! (`module.etl.emr_cluster.analytics["a"]`), so nothing passes addresses around as strings.
//!
//! Main types: [`ResourceAddr`] (a resource block in a module), [`AbsResourceAddr`] (in a module
//! path), [`ResourceInstanceAddr`] (one `count`/`for_each` instance), and [`Referenceable`]
//! (what an expression can refer to). [`ModulePath`] is a module *instance* path
//! (`module.web[0]`); [`ModulePath::to_static`] gives the module in the configuration.
//!
//! Every address also parses from exactly the text it prints (`FromStr`, see [`ParseAddrError`]),
//! which is how addresses are read back from state and plan files.

mod instance_key;
mod module_path;
mod parse;
mod provider;
mod referenceable;
mod resource;

pub use instance_key::InstanceKey;
pub use module_path::{ModulePath, ModuleStep};
pub use parse::ParseAddrError;
pub use provider::ProviderConfigAddr;
pub use referenceable::Referenceable;
pub use resource::{AbsResourceAddr, ResourceAddr, ResourceInstanceAddr, ResourceMode};
