//! `test_thing`: a value kept in state whose apply does what its `behavior` says:
//! `ok` (the default), `fail` (an error on `behavior`), `crash` (the process aborts
//! mid-apply, after one progress report), `hang` (never answers; only a timeout or cancel
//! ends it), `garbage` (writes a non-frame line to stdout), `inconsistent_plan` (plans a
//! `name` other than configured), `inconsistent_apply` (applies a `name` other than planned),
//! `progress` (reports three steps). `delay_ms` sleeps before answering.

use std::collections::BTreeMap;
use std::io::Write;
use std::time::Duration;

use async_trait::async_trait;
use strata_provider::{
    ApplyRequest, ApplyResponse, FindRequest, PlanRequest, PlanResponse, Progress, Provider, ProviderError, ReadRequest,
};
use strata_schema::{AttributeSchema, BlockSchema, ProviderSchema, ResourceSchema};
use strata_value::{Type, Value};

pub const THING: &str = "test_thing";

const BEHAVIORS: &[&str] =
    &["ok", "fail", "crash", "hang", "garbage", "inconsistent_plan", "inconsistent_apply", "progress"];

pub struct TestProvider {
    limit: Option<usize>,
}

impl TestProvider {
    pub fn from_env() -> TestProvider {
        let limit = std::env::var("STRATA_TEST_PROVIDER_LIMIT").ok().and_then(|n| n.parse().ok());
        TestProvider { limit }
    }
}

fn attr<'v>(value: &'v Value, name: &str) -> Option<&'v Value> {
    value.peel().as_mapping().and_then(|m| m.get(name))
}

fn text(value: &Value, name: &str) -> String {
    attr(value, name).and_then(|v| v.peel().as_str()).unwrap_or_default().to_owned()
}

fn with(value: &Value, name: &str, new: Value) -> Value {
    let mut map = value.peel().as_mapping().cloned().unwrap_or_default();
    map.insert(name.to_owned(), new);
    Value::Map(map)
}

#[async_trait]
impl Provider for TestProvider {
    fn schema(&self) -> ProviderSchema {
        let block = BlockSchema::new()
            .attribute("name", AttributeSchema::required(Type::String, "Any name.").force_new())
            .attribute("behavior", AttributeSchema::optional(Type::String, "What apply does.").allowed(BEHAVIORS))
            .attribute("delay_ms", AttributeSchema::optional(Type::Number, "Milliseconds apply sleeps."))
            .attribute("secret", AttributeSchema::optional(Type::String, "Never shown.").sensitive())
            .attribute("id", AttributeSchema::computed(Type::String, "The object's id."));
        let thing = ResourceSchema { version: 0, description: "A value that misbehaves on request.".into(), block };
        ProviderSchema {
            config: BlockSchema::new().attribute("label", AttributeSchema::optional(Type::String, "Unused.")),
            resources: BTreeMap::from([(THING.to_owned(), thing)]),
            data_sources: BTreeMap::new(),
        }
    }

    fn concurrency_limit(&self) -> Option<usize> {
        self.limit
    }

    async fn configure(&self, _config: Value) -> Result<(), ProviderError> {
        Ok(())
    }

    async fn plan(&self, request: PlanRequest) -> Result<PlanResponse, ProviderError> {
        let id = match &request.prior {
            Some(prior) => attr(prior, "id").cloned().unwrap_or(Value::Null),
            None => Value::Unknown(Type::String),
        };
        let mut planned = with(&request.config, "id", id);
        if text(&request.config, "behavior") == "inconsistent_plan" {
            planned =
                with(&planned, "name", Value::from(format!("{}-not-what-you-asked", text(&request.config, "name"))));
        }
        let requires_replace = match &request.prior {
            Some(prior) if text(prior, "name") != text(&request.config, "name") => vec!["name".to_owned()],
            _ => Vec::new(),
        };
        Ok(PlanResponse { planned, requires_replace })
    }

    async fn apply(&self, request: ApplyRequest) -> Result<ApplyResponse, ProviderError> {
        let Some(planned) = request.planned else { return Ok(ApplyResponse { new_state: None }) };
        let delay = attr(&request.config, "delay_ms").and_then(|v| v.peel().as_number()).unwrap_or(0.0);
        if delay > 0.0 {
            tokio::time::sleep(Duration::from_millis(delay as u64)).await;
        }
        let behavior = text(&request.config, "behavior");
        match behavior.as_str() {
            "fail" => return Err(ProviderError::at("behavior", "asked to fail")),
            "crash" => {
                request.progress.report(Progress::steps("installing", 1, 3));
                tokio::time::sleep(Duration::from_millis(100)).await;
                let _ = writeln!(std::io::stderr(), "test provider: crashing mid-apply as asked");
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
                    request.progress.report(Progress::steps("hosts installed", step, 3));
                    tokio::time::sleep(Duration::from_millis(30)).await;
                }
            }
            _ => {}
        }
        let id = match attr(&planned, "id") {
            Some(Value::String(id)) => id.clone(),
            _ if request.idempotency_token.is_empty() => format!("thing-{}", text(&planned, "name")),
            _ => request.idempotency_token.clone(),
        };
        let mut new_state = with(&planned, "id", Value::from(id));
        if behavior == "inconsistent_apply" {
            new_state = with(&new_state, "name", Value::from("something-else"));
        }
        Ok(ApplyResponse { new_state: Some(new_state) })
    }

    async fn read(&self, request: ReadRequest) -> Result<Option<Value>, ProviderError> {
        Ok(Some(request.current))
    }

    async fn find_by_token(&self, _request: FindRequest) -> Result<Option<Value>, ProviderError> {
        Ok(None)
    }

    async fn import(&self, _type_name: &str, _id: &str) -> Result<Option<Value>, ProviderError> {
        Ok(None)
    }
}
