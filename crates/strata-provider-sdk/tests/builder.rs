//! `ProviderBuilder`: the schema lists what was added, requests go to the resource or data
//! source their type name names (unknown names are errors), apply becomes create, update or
//! delete with the token, progress and provider configuration in `Ctx`, and marks survive.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use strata_provider::{
    ApplyRequest, FindRequest, PlanRequest, Progress, ProgressSink, Provider, ReadRequest, UpgradeRequest,
};
use strata_provider_sdk::{
    Ctx, DataSource, Model, ProviderBuilder, ProviderError, Resource, TypedProvider, Value, WithModel, async_trait,
};
use strata_value::Type;

#[derive(Model, Clone, Debug, PartialEq)]
struct Note {
    #[strata(required, force_new)]
    text: String,
    label: Option<String>,
    #[strata(computed)]
    id: Option<String>,
}

#[derive(Model, Clone, Debug, PartialEq)]
struct Counter {
    #[strata(required)]
    start: i64,
    #[strata(computed)]
    value: Option<i64>,
}

#[derive(Model)]
struct Config {
    #[strata(required)]
    prefix: String,
}

type Calls = Arc<Mutex<Vec<String>>>;

struct NoteResource(Calls);

#[async_trait]
impl Resource for NoteResource {
    type Model = Note;
    const TYPE_NAME: &'static str = "demo_note";
    const SCHEMA_VERSION: u64 = 2;

    async fn create(&self, ctx: &Ctx, mut planned: Note) -> Result<Note, ProviderError> {
        self.0.lock().unwrap().push(format!("create {}", planned.text));
        ctx.progress(1, 2, "writing");
        let prefix = ctx.provider_config::<Config>().map_or("?", |c| c.prefix.as_str());
        planned.id = Some(format!("{prefix}{}", ctx.idempotency_token()));
        if planned.text == "half" {
            return Err(ProviderError::new("made, then failed").with_model(&planned));
        }
        Ok(planned)
    }

    async fn read(&self, _ctx: &Ctx, current: Note) -> Result<Option<Note>, ProviderError> {
        self.0.lock().unwrap().push(format!("read {}", current.text));
        Ok((current.text != "gone").then_some(current))
    }

    async fn update(&self, _ctx: &Ctx, prior: Note, planned: Note) -> Result<Note, ProviderError> {
        self.0.lock().unwrap().push(format!("update {} -> {:?}", prior.text, planned.label));
        Ok(planned)
    }

    async fn delete(&self, _ctx: &Ctx, prior: Note) -> Result<(), ProviderError> {
        self.0.lock().unwrap().push(format!("delete {}", prior.text));
        Ok(())
    }
}

struct CounterResource(Calls);

#[async_trait]
impl Resource for CounterResource {
    type Model = Counter;
    const TYPE_NAME: &'static str = "demo_counter";

    async fn create(&self, _ctx: &Ctx, mut planned: Counter) -> Result<Counter, ProviderError> {
        self.0.lock().unwrap().push(format!("create counter {}", planned.start));
        planned.value = Some(planned.start);
        Ok(planned)
    }
    async fn read(&self, _ctx: &Ctx, current: Counter) -> Result<Option<Counter>, ProviderError> {
        Ok(Some(current))
    }
    async fn update(&self, _ctx: &Ctx, _prior: Counter, planned: Counter) -> Result<Counter, ProviderError> {
        Ok(planned)
    }
    async fn delete(&self, _ctx: &Ctx, _prior: Counter) -> Result<(), ProviderError> {
        Ok(())
    }
    async fn find_by_token(&self, ctx: &Ctx, mut planned: Counter) -> Result<Option<Counter>, ProviderError> {
        planned.value = Some(ctx.idempotency_token().len() as i64);
        Ok(Some(planned))
    }
}

struct Echo;

#[async_trait]
impl DataSource for Echo {
    type Model = Counter;
    const TYPE_NAME: &'static str = "demo_echo";

    async fn read(&self, _ctx: &Ctx, mut config: Counter) -> Result<Counter, ProviderError> {
        config.value = Some(config.start * 2);
        Ok(config)
    }
}

fn provider() -> (TypedProvider, Calls) {
    let calls = Calls::default();
    let provider = ProviderBuilder::new("demo", "1.2.3")
        .config::<Config>()
        .concurrency_limit(3)
        .resource(NoteResource(calls.clone()))
        .resource(CounterResource(calls.clone()))
        .data_source(Echo)
        .build();
    (provider, calls)
}

fn note(text: &str, label: Value, id: Value) -> Value {
    Value::map([("text".to_owned(), Value::from(text)), ("label".to_owned(), label), ("id".to_owned(), id)])
}

fn counter(start: f64, value: Value) -> Value {
    Value::map([("start".to_owned(), Value::Number(start)), ("value".to_owned(), value)])
}

fn apply(type_name: &str, prior: Option<Value>, planned: Option<Value>, progress: ProgressSink) -> ApplyRequest {
    ApplyRequest {
        type_name: type_name.into(),
        prior,
        config: planned.clone().unwrap_or(Value::Null),
        planned,
        idempotency_token: "tok".into(),
        progress,
    }
}

#[test]
fn the_schema_lists_what_was_added() {
    let (provider, _) = provider();
    let schema = provider.schema();
    assert_eq!(schema.resources.keys().collect::<Vec<_>>(), ["demo_counter", "demo_note"]);
    assert_eq!(schema.data_sources.keys().collect::<Vec<_>>(), ["demo_echo"]);
    assert_eq!(schema.resources["demo_note"].version, 2);
    assert_eq!(schema.resources["demo_note"].block, Note::schema());
    assert_eq!(schema.config, Config::schema());
    assert_eq!(provider.concurrency_limit(), Some(3));
    assert_eq!((provider.info().name, provider.info().version), ("demo", "1.2.3"));
}

#[tokio::test]
async fn requests_go_to_the_resource_their_type_names() {
    let (provider, calls) = provider();
    provider.configure(Value::map([("prefix".to_owned(), Value::from("n-"))])).await.unwrap();
    let reports = Arc::new(Mutex::new(Vec::new()));
    let sink = {
        let reports = reports.clone();
        ProgressSink::new(move |p| reports.lock().unwrap().push(p))
    };

    let planned = provider
        .plan(PlanRequest {
            type_name: "demo_note".into(),
            prior: None,
            config: note("hi", Value::Null, Value::Unknown(Type::String)),
        })
        .await
        .unwrap()
        .planned;
    assert_eq!(planned, note("hi", Value::Null, Value::Unknown(Type::String)));
    let created = provider.apply(apply("demo_note", None, Some(planned), sink)).await.unwrap().new_state;
    assert_eq!(created, Some(note("hi", Value::Null, Value::from("n-tok"))));
    assert_eq!(*reports.lock().unwrap(), [Progress::steps("writing", 1, 2)]);

    let counter_state = provider
        .apply(apply("demo_counter", None, Some(counter(5.0, Value::Unknown(Type::Number))), ProgressSink::default()))
        .await
        .unwrap()
        .new_state;
    assert_eq!(counter_state, Some(counter(5.0, Value::Number(5.0))));

    let prior = note("hi", Value::Null, Value::from("n-tok"));
    let update = note("hi", Value::from("x"), Value::from("n-tok"));
    let updated = provider
        .apply(apply("demo_note", Some(prior.clone()), Some(update.clone()), ProgressSink::default()))
        .await
        .unwrap();
    assert_eq!(updated.new_state, Some(update));
    let deleted = provider.apply(apply("demo_note", Some(prior.clone()), None, ProgressSink::default())).await.unwrap();
    assert_eq!(deleted.new_state, None);

    let read = provider.read(ReadRequest { type_name: "demo_note".into(), current: prior.clone() }).await.unwrap();
    assert_eq!(read, Some(prior));
    let gone = note("gone", Value::Null, Value::from("x"));
    assert_eq!(provider.read(ReadRequest { type_name: "demo_note".into(), current: gone }).await.unwrap(), None);

    let found = provider
        .find_by_token(FindRequest {
            type_name: "demo_counter".into(),
            idempotency_token: "four".into(),
            planned: counter(1.0, Value::Unknown(Type::Number)),
        })
        .await
        .unwrap();
    assert_eq!(found, Some(counter(1.0, Value::Number(4.0))));
    let echoed = provider.read_data("demo_echo", counter(3.0, Value::Unknown(Type::Number))).await.unwrap();
    assert_eq!(echoed, counter(3.0, Value::Number(6.0)));

    assert_eq!(
        *calls.lock().unwrap(),
        ["create hi", "create counter 5", "update hi -> Some(\"x\")", "delete hi", "read hi", "read gone"]
    );
}

#[tokio::test]
async fn unknown_type_names_are_errors() {
    let (provider, calls) = provider();
    let errors = [
        provider.validate_resource("demo_nope", &Value::Null).await.unwrap_err(),
        provider
            .plan(PlanRequest { type_name: "demo_nope".into(), prior: None, config: Value::Null })
            .await
            .unwrap_err(),
        provider.apply(apply("demo_nope", None, Some(Value::Null), ProgressSink::default())).await.unwrap_err(),
        provider.read(ReadRequest { type_name: "demo_nope".into(), current: Value::Null }).await.unwrap_err(),
        provider.import("demo_nope", "id").await.unwrap_err(),
        provider
            .find_by_token(FindRequest {
                type_name: "demo_nope".into(),
                idempotency_token: "t".into(),
                planned: Value::Null,
            })
            .await
            .unwrap_err(),
        provider
            .upgrade_state(UpgradeRequest { type_name: "demo_nope".into(), schema_version: 1, attributes: Value::Null })
            .await
            .unwrap_err(),
        provider.read_data("demo_nope", Value::Null).await.unwrap_err(),
        // A data source is not a resource, nor the other way round.
        provider.read_data("demo_note", Value::Null).await.unwrap_err(),
        provider.import("demo_echo", "id").await.unwrap_err(),
    ];
    for error in errors {
        assert!(error.message.starts_with("provider \"demo\" has no "), "{error:?}");
        assert!(error.message.contains("\"demo_nope\"") || error.message.contains("\"demo_"), "{error:?}");
    }
    assert!(calls.lock().unwrap().is_empty());
}

#[tokio::test]
async fn import_is_refused_by_default_and_bad_configuration_names_the_attribute() {
    let (provider, _) = provider();
    let error = provider.import("demo_note", "id").await.unwrap_err();
    assert_eq!(error.message, "demo_note does not support import");
    let error = provider.configure(Value::map([("prefix".to_owned(), Value::Number(1.0))])).await.unwrap_err();
    assert_eq!(error.attribute.as_deref(), Some("prefix"));
    let error = provider
        .apply(apply("demo_note", None, Some(note("hi", Value::Null, Value::Null)), ProgressSink::default()))
        .await
        .map(|r| r.new_state);
    assert_eq!(error, Ok(Some(note("hi", Value::Null, Value::from("?tok")))), "not configured: no provider config");
}

#[tokio::test]
async fn marks_the_engine_sent_are_on_the_answer() {
    let (provider, _) = provider();
    let planned = note("hi", Value::from("secret label").mark_sensitive(), Value::Unknown(Type::String));
    let state = provider
        .apply(apply("demo_note", None, Some(planned), ProgressSink::default()))
        .await
        .unwrap()
        .new_state
        .unwrap();
    let attributes: &BTreeMap<String, Value> = state.as_mapping().unwrap();
    assert_eq!(attributes["label"], Value::from("secret label").mark_sensitive());
    assert_eq!(attributes["text"], Value::from("hi"));

    let current = note("hi", Value::from("l"), Value::from("i")).mark_sensitive();
    let read = provider.read(ReadRequest { type_name: "demo_note".into(), current }).await.unwrap().unwrap();
    assert!(read.is_sensitive(), "a marked object stays marked: {read:?}");
}

#[tokio::test]
async fn a_failed_create_returns_what_it_made_with_the_marks_kept() {
    let (provider, _) = provider();
    let planned = note("half", Value::from("secret label").mark_sensitive(), Value::Unknown(Type::String));
    let error = provider.apply(apply("demo_note", None, Some(planned), ProgressSink::default())).await.unwrap_err();
    assert_eq!(error.message, "made, then failed");
    let state = error.new_state.expect("the object the create made");
    let attributes: &BTreeMap<String, Value> = state.as_mapping().unwrap();
    assert_eq!(attributes["id"], Value::from("?tok"));
    assert_eq!(attributes["label"], Value::from("secret label").mark_sensitive());
}
