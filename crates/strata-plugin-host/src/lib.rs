//! The engine's side of the plugin protocol (`strata-plugin-protocol`): [`find_plugin`] looks
//! a provider's executable up on the search path, [`PluginProvider::start`] runs it, checks the
//! handshake and fetches its schema, and then implements [`strata_provider::Provider`] by
//! sending requests, so the engine cannot tell a plugin from a built-in provider.
//!
//! Failure is contained: a plugin that crashes, hangs at the handshake, writes something that
//! is not a frame, or answers with the wrong method fails the requests in flight with a
//! [`strata_provider::ProviderError`] whose `outcome_unknown` is set (the engine then keeps
//! the intent records of creates in flight), naming the provider and quoting the last lines
//! of its stderr. Dropping a request's future sends `cancel` for it.

mod connection;
mod discover;
mod error;
mod provider;
mod stderr;

pub use discover::{PLUGIN_PREFIX, find_plugin, search_path};
pub use error::PluginError;
pub use provider::{LogSink, PluginProvider};
