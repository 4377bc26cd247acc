//! `test_thing`: a value kept in state whose apply does what its `behavior` says:
//! `ok` (the default), `fail` (an error on `behavior`), `crash` (the process aborts
//! mid-apply, after one progress report), `hang` (never answers; only a timeout or cancel
//! ends it), `garbage` (writes a non-frame line to stdout), `inconsistent_plan` (plans a
//! `name` other than configured), `inconsistent_apply` (applies a `name` other than planned),
//! `progress` (reports three steps), `fail_partial` (makes the object, then fails with it as
//! partial state, like a job that ran and failed). `delay_ms` sleeps before answering. Every
//! destroy fails while `STRATA_TEST_PROVIDER_FAIL_DELETE` is set.
//!
//! Written on the SDK's typed layer, so the plugin tests drive it through the real protocol.

use std::io::Write;
use std::time::Duration;

use strata_provider_sdk::{
    Ctx, Model, Plan, Planned, ProviderBuilder, ProviderError, Resource, TypedProvider, WithModel, async_trait,
};

pub const THING: &str = "test_thing";

/// A value that misbehaves on request.
#[derive(Model, Clone, Debug, PartialEq)]
pub struct Thing {
    /// Any name.
    #[strata(required, force_new)]
    pub name: String,
    /// What apply does.
    #[strata(
        optional,
        allowed = "ok,fail,crash,hang,garbage,inconsistent_plan,inconsistent_apply,progress,fail_partial"
    )]
    pub behavior: Option<String>,
    /// Milliseconds apply sleeps.
    #[strata(optional)]
    pub delay_ms: Option<u64>,
    /// Never shown.
    #[strata(optional, sensitive)]
    pub secret: Option<String>,
    /// The object's id.
    #[strata(computed)]
    pub id: Option<String>,
}

/// The `provider "test" { }` block.
#[derive(Model)]
pub struct Config {
    /// Unused.
    pub label: Option<String>,
}

/// The provider: `test_thing`, `test_zoned` (`zoned.rs`), and the concurrency limit `STRATA_TEST_PROVIDER_LIMIT` asks for.
pub fn provider(name: &'static str, version: &'static str) -> TypedProvider {
    let mut builder = ProviderBuilder::new(name, version)
        .config::<Config>()
        .resource(ThingResource)
        .resource(crate::zoned::ZonedResource);
    let limit = std::env::var("STRATA_TEST_PROVIDER_LIMIT").ok().and_then(|n| n.parse().ok());
    if let Some(limit) = limit {
        builder = builder.concurrency_limit(limit);
    }
    builder.build()
}

pub struct ThingResource;

impl ThingResource {
    /// Create and update: sleep, misbehave as asked, then keep or assign the id.
    async fn apply(ctx: &Ctx, mut thing: Thing) -> Result<Thing, ProviderError> {
        if let Some(delay) = thing.delay_ms.filter(|d| *d > 0) {
            tokio::time::sleep(Duration::from_millis(delay)).await;
        }
        match thing.behavior.as_deref().unwrap_or("ok") {
            "fail" => return Err(ProviderError::at("behavior", "asked to fail")),
            "crash" => {
                ctx.progress(1, 3, "installing");
                tokio::time::sleep(Duration::from_millis(100)).await;
                ctx.log().error("test provider: crashing mid-apply as asked");
                std::process::abort();
            }
            "hang" => tokio::time::sleep(Duration::from_secs(24 * 3600)).await,
            "garbage" => {
                let mut stdout = std::io::stdout();
                let _ = stdout.write_all(b"DEBUG: applying test_thing (this line is not a frame)\n");
                let _ = stdout.flush();
                tokio::time::sleep(Duration::from_secs(30)).await;
            }
            "progress" => {
                for step in 1..=3 {
                    ctx.progress(step, 3, "hosts installed");
                    tokio::time::sleep(Duration::from_millis(30)).await;
                }
            }
            _ => {}
        }
        if thing.id.is_none() {
            let token = ctx.idempotency_token();
            thing.id = Some(if token.is_empty() { format!("thing-{}", thing.name) } else { token.to_owned() });
        }
        match thing.behavior.as_deref() {
            Some("inconsistent_apply") => thing.name = "something-else".to_owned(),
            Some("fail_partial") => {
                let error = ProviderError::at("behavior", "asked to fail after making the object");
                return Err(error.with_model(&thing));
            }
            _ => {}
        }
        Ok(thing)
    }
}

#[async_trait]
impl Resource for ThingResource {
    type Model = Thing;
    const TYPE_NAME: &'static str = THING;

    /// The default plan (id unknown on create, kept on update; a new `name` replaces), except
    /// that `inconsistent_plan` plans another name than configured.
    async fn plan(&self, _ctx: &Ctx, plan: &mut Plan<Thing>) -> Result<(), ProviderError> {
        if plan.config::<Option<String>>("behavior")? == Planned::Known(Some("inconsistent_plan".to_owned())) {
            let name = plan.config::<String>("name")?.known().unwrap_or_default();
            plan.set("name", format!("{name}-not-what-you-asked"))?;
        }
        Ok(())
    }

    async fn create(&self, ctx: &Ctx, planned: Thing) -> Result<Thing, ProviderError> {
        Self::apply(ctx, planned).await
    }

    async fn read(&self, _ctx: &Ctx, current: Thing) -> Result<Option<Thing>, ProviderError> {
        Ok(Some(current))
    }

    async fn update(&self, ctx: &Ctx, _prior: Thing, planned: Thing) -> Result<Thing, ProviderError> {
        Self::apply(ctx, planned).await
    }

    async fn delete(&self, _ctx: &Ctx, prior: Thing) -> Result<(), ProviderError> {
        // Destroys fail while the environment says so (a deposed object's cleanup is then
        // tested by a later run without it).
        if std::env::var_os("STRATA_TEST_PROVIDER_FAIL_DELETE").is_some() {
            return Err(ProviderError::new(format!("asked to fail destroying {}", prior.name)));
        }
        Ok(())
    }

    async fn import(&self, _ctx: &Ctx, _id: &str) -> Result<Option<Thing>, ProviderError> {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use strata_provider::{ApplyRequest, PlanRequest, Provider};
    use strata_schema::{AttributeSchema, BlockSchema, ProviderSchema, ResourceSchema};
    use strata_value::{Type, Value};

    use super::*;

    const BEHAVIORS: &[&str] = &[
        "ok",
        "fail",
        "crash",
        "hang",
        "garbage",
        "inconsistent_plan",
        "inconsistent_apply",
        "progress",
        "fail_partial",
    ];

    /// The schema the hand-written provider served before the typed rewrite: names, types,
    /// flags and descriptions the scenarios and users rely on.
    #[test]
    fn schema_is_unchanged_by_the_typed_rewrite() {
        let block = BlockSchema::new()
            .attribute("name", AttributeSchema::required(Type::String, "Any name.").force_new())
            .attribute("behavior", AttributeSchema::optional(Type::String, "What apply does.").allowed(BEHAVIORS))
            .attribute("delay_ms", AttributeSchema::optional(Type::Number, "Milliseconds apply sleeps."))
            .attribute("secret", AttributeSchema::optional(Type::String, "Never shown.").sensitive())
            .attribute("id", AttributeSchema::computed(Type::String, "The object's id."));
        let thing = ResourceSchema { version: 0, description: "A value that misbehaves on request.".into(), block };
        let expected = ProviderSchema {
            config: BlockSchema::new().attribute("label", AttributeSchema::optional(Type::String, "Unused.")),
            resources: BTreeMap::from([(THING.to_owned(), thing), (crate::zoned::ZONED.to_owned(), zoned())]),
            data_sources: BTreeMap::new(),
        };
        assert_eq!(provider("test", "0").schema(), expected);
    }

    /// `test_zoned`, added beside `test_thing`.
    fn zoned() -> ResourceSchema {
        let block = BlockSchema::new()
            .attribute("name", AttributeSchema::required(Type::String, "Any name; changed in place."))
            .attribute(
                "zone",
                AttributeSchema {
                    computed: true,
                    ..AttributeSchema::optional(Type::String, "The zone; \"zone-a\" when not configured.")
                },
            )
            .attribute("id", AttributeSchema::computed(Type::String, "The object's id."));
        ResourceSchema {
            version: 0,
            description: "An object with a zone the provider picks when none is configured.".into(),
            block,
        }
    }

    fn config(pairs: &[(&str, Value)]) -> Value {
        let mut map: BTreeMap<String, Value> = BTreeMap::from([
            ("name".to_owned(), Value::Null),
            ("behavior".to_owned(), Value::Null),
            ("delay_ms".to_owned(), Value::Null),
            ("secret".to_owned(), Value::Null.mark_sensitive()),
            ("id".to_owned(), Value::Unknown(Type::String)),
        ]);
        for (name, value) in pairs {
            map.insert((*name).to_owned(), value.clone());
        }
        Value::Map(map)
    }

    fn attr(value: &Value, name: &str) -> Value {
        value.as_mapping().unwrap()[name].clone()
    }

    #[tokio::test]
    async fn plan_then_apply_assigns_the_token_as_id_and_keeps_the_secret_marked() {
        let provider = provider("test", "0");
        let config = config(&[("name", Value::from("a")), ("secret", Value::from("hunter2").mark_sensitive())]);
        let plan =
            provider.plan(PlanRequest { type_name: THING.into(), prior: None, config: config.clone() }).await.unwrap();
        assert_eq!(attr(&plan.planned, "id"), Value::Unknown(Type::String));
        let applied = provider
            .apply(ApplyRequest {
                type_name: THING.into(),
                prior: None,
                planned: Some(plan.planned),
                config,
                idempotency_token: "tok-1".into(),
                progress: Default::default(),
            })
            .await
            .unwrap()
            .new_state
            .unwrap();
        assert_eq!(attr(&applied, "id"), Value::from("tok-1"));
        assert_eq!(attr(&applied, "secret"), Value::from("hunter2").mark_sensitive());
    }

    #[tokio::test]
    async fn inconsistent_plan_renames_and_a_new_name_replaces() {
        let provider = provider("test", "0");
        let liar = config(&[("name", Value::from("liar")), ("behavior", Value::from("inconsistent_plan"))]);
        let plan = provider.plan(PlanRequest { type_name: THING.into(), prior: None, config: liar }).await.unwrap();
        assert_eq!(attr(&plan.planned, "name"), Value::from("liar-not-what-you-asked"));

        let prior = config_with_id("old", "thing-old");
        let plan = provider
            .plan(PlanRequest {
                type_name: THING.into(),
                prior: Some(prior),
                config: config(&[("name", "new".into())]),
            })
            .await
            .unwrap();
        assert_eq!(plan.requires_replace, vec!["name".to_owned()]);
        assert_eq!(attr(&plan.planned, "id"), Value::from("thing-old"));
    }

    fn config_with_id(name: &str, id: &str) -> Value {
        config(&[("name", Value::from(name)), ("id", Value::from(id))])
    }
}
