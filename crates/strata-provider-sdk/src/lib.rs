//! Write a Strata provider plugin: a small `main` plus typed resources.
//!
//! A resource is a struct describing its attributes, `#[derive(Model)]` (the schema comes from
//! the struct: types, required/optional/computed/sensitive/force_new, allowed values, doc
//! comments as descriptions, nested blocks), and a [`Resource`] implementation: `create`,
//! `read`, `update`, `delete`, optionally `plan`, `import`, `find_by_token`, `upgrade`. A
//! [`ProviderBuilder`] collects resources (and [`DataSource`]s) into a
//! [`strata_provider::Provider`], and [`run`] serves it over the plugin protocol:
//!
//! ```no_run
//! use std::process::ExitCode;
//!
//! use strata_provider_sdk::{Ctx, Model, Plan, Planned, ProviderBuilder, ProviderError, Resource, async_trait};
//!
//! /// A greeting kept in state.
//! #[derive(Model)]
//! struct Greeting {
//!     /// Who to greet.
//!     #[strata(required, force_new)]
//!     name: String,
//!     /// How to greet.
//!     #[strata(optional, allowed = "hello,hi")]
//!     word: Option<String>,
//!     /// The words, once written.
//!     #[strata(computed)]
//!     text: Option<String>,
//!     /// Assigned on create.
//!     #[strata(computed)]
//!     id: Option<String>,
//! }
//!
//! /// The provider's own block: `provider "example" { shout = true }`.
//! #[derive(Model)]
//! struct Config {
//!     /// Upper-case every greeting.
//!     shout: Option<bool>,
//! }
//!
//! struct GreetingResource;
//!
//! impl GreetingResource {
//!     fn text(ctx: &Ctx, greeting: &Greeting) -> String {
//!         let text = format!("{}, {}", greeting.word.as_deref().unwrap_or("hello"), greeting.name);
//!         let shout = ctx.provider_config::<Config>().and_then(|c| c.shout).unwrap_or(false);
//!         if shout { text.to_uppercase() } else { text }
//!     }
//! }
//!
//! #[async_trait]
//! impl Resource for GreetingResource {
//!     type Model = Greeting;
//!     const TYPE_NAME: &'static str = "example_greeting";
//!
//!     // The default plan keeps `text` from the prior state on update; a new word changes it.
//!     async fn plan(&self, _ctx: &Ctx, plan: &mut Plan<Greeting>) -> Result<(), ProviderError> {
//!         let prior_word = plan.prior()?.and_then(|prior| prior.word);
//!         if !plan.is_create() && plan.config::<Option<String>>("word")? != Planned::Known(prior_word) {
//!             plan.set_unknown("text")?;
//!         }
//!         Ok(())
//!     }
//!
//!     async fn create(&self, ctx: &Ctx, mut planned: Greeting) -> Result<Greeting, ProviderError> {
//!         ctx.progress(1, 1, "greeting written");
//!         planned.text = Some(Self::text(ctx, &planned));
//!         planned.id = Some(ctx.idempotency_token().to_owned());
//!         Ok(planned)
//!     }
//!
//!     async fn read(&self, _ctx: &Ctx, current: Greeting) -> Result<Option<Greeting>, ProviderError> {
//!         Ok(Some(current))
//!     }
//!
//!     async fn update(&self, ctx: &Ctx, _prior: Greeting, mut planned: Greeting) -> Result<Greeting, ProviderError> {
//!         ctx.log().info("rewriting a greeting");
//!         planned.text = Some(Self::text(ctx, &planned));
//!         Ok(planned)
//!     }
//!
//!     async fn delete(&self, _ctx: &Ctx, _prior: Greeting) -> Result<(), ProviderError> {
//!         Ok(())
//!     }
//! }
//!
//! fn main() -> ExitCode {
//!     ProviderBuilder::new("example", env!("CARGO_PKG_VERSION"))
//!         .config::<Config>()
//!         .resource(GreetingResource)
//!         .build()
//!         .run()
//! }
//! ```
//!
//! Values: a model holds plain, known values. Planning is where unknowns live (an argument
//! that refers to another resource's computed attribute), so [`Plan`] works on values with
//! typed helpers returning [`Planned<T>`]; by apply every argument is known, and a computed
//! attribute the plan left unknown reaches `create`/`update` as `None`. Sensitive marks are
//! kept: `sensitive` fields are always marked, and every mark the engine sent is put back on
//! the answer made from that value. A `create` or `update` that fails after making something
//! returns it with the error, [`WithModel::with_model`] (partial state): the engine records
//! it, tainted after a create.
//!
//! Serving: [`run`] speaks the plugin protocol (`strata-plugin-protocol`) on stdin/stdout: the
//! handshake, every request (each in its own task, so the engine's parallelism is real),
//! progress reports ([`Ctx::progress`], or [`strata_provider::ProgressSink`] for an untyped
//! provider), cancellation of one request, and `stop`. Any [`strata_provider::Provider`] can be
//! served, typed or not. The plugin's log goes to stderr ([`log`], [`Ctx::log`]); the engine
//! shows it with `--verbose` or `STRATA_LOG`, and quotes its last lines when the plugin fails.

// The derive names `::strata_provider_sdk`; this lets the crate's own code use it too.
extern crate self as strata_provider_sdk;

mod adapter;
mod builder;
mod ctx;
mod dispatch;
pub mod log;
mod marks;
mod model;
mod partial;
mod plan;
mod planned;
mod resource;
mod server;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use async_trait::async_trait;
pub use builder::{ProviderBuilder, TypedProvider};
pub use ctx::{Ctx, Logger};
pub use model::{BlockField, Field, Model};
pub use partial::WithModel;
pub use plan::Plan;
pub use planned::Planned;
pub use resource::{DataSource, Resource};
pub use server::{PluginInfo, run, serve};
pub use strata_provider::{Progress, ProgressSink, Provider, ProviderError};
/// `#[derive(Model)]`: see [`Model`](trait@Model).
pub use strata_provider_sdk_derive::Model;
pub use strata_value::Value;
