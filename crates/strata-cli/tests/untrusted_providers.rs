//! The engine does not trust providers: a plan that changes a configured argument, a result
//! that differs from its plan, and a create that outlives `timeouts { create }` each fail their
//! resource with a diagnostic naming the provider, while independent resources are applied and
//! recorded. A create whose outcome is unknown (timed out, or the provider could not tell)
//! keeps its intent record for the next plan.
//!
//! These drive `strata_engine::plan` and `apply` directly with an in-process `test` provider
//! whose resource `test_thing` misbehaves as its `mode` argument says, against a real state
//! store in a temporary directory.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use strata_addrs::{ProviderConfigAddr, ResourceInstanceAddr};
use strata_config::InputValues;
use strata_diagnostics::{Diagnostics, SourceFiles};
use strata_engine::{ApplyOptions, NoHook, PlanOptions, ProviderSet};
use strata_provider::{
    ApplyRequest, ApplyResponse, FindRequest, PlanRequest, PlanResponse, Provider, ProviderError, ReadRequest,
};
use strata_schema::{AttributeSchema as A, BlockSchema, Catalog, ProviderSchema, ResourceSchema};
use strata_state::{InstanceStatus, State, StateStore};
use strata_value::{Type, Value};

const SECRET: &str = "correct horse battery staple";

/// `test_thing`: behaves as its `mode` says.
/// - `honest`: plans the configuration (id unknown), applies the plan (id filled in);
/// - `wrong_plan` / `wrong_secret`: plans `name` / the sensitive `secret` differently from the
///   configuration;
/// - `wrong_final_plan`: honest at plan time, plans `name` differently when planned again
///   during apply;
/// - `wrong_result`: returns an object whose `name` differs from its plan;
/// - `slow`: takes a minute to create;
/// - `crash`: its create fails with an unknown outcome (as when a plugin process dies);
/// - `fail`: its create fails cleanly.
#[derive(Default)]
struct TestProvider {
    /// Plan calls so far, per `name`.
    plans: Mutex<BTreeMap<String, usize>>,
    /// Every configuration the provider was sent.
    configs: Mutex<Vec<Value>>,
}

fn schema() -> ProviderSchema {
    let block = BlockSchema::new()
        .attribute("name", A::required(Type::String, "Name."))
        .attribute("mode", A::required(Type::String, "How the provider misbehaves."))
        .attribute("secret", A::optional(Type::String, "A secret.").sensitive())
        .attribute("id", A::computed(Type::String, "Id."));
    let mut schema = ProviderSchema::default();
    schema.resources.insert("test_thing".into(), ResourceSchema { version: 0, description: "A thing.".into(), block });
    schema
}

fn get<'v>(value: &'v Value, name: &str) -> &'v Value {
    value.as_mapping().and_then(|m| m.get(name)).unwrap_or(&Value::Null)
}

fn with(value: &Value, name: &str, replacement: Value) -> Value {
    let mut entries = value.as_mapping().cloned().unwrap_or_default();
    entries.insert(name.to_owned(), replacement);
    Value::Map(entries)
}

#[async_trait]
impl Provider for TestProvider {
    fn schema(&self) -> ProviderSchema {
        schema()
    }

    async fn configure(&self, _config: Value) -> Result<(), ProviderError> {
        Ok(())
    }

    async fn plan(&self, request: PlanRequest) -> Result<PlanResponse, ProviderError> {
        self.configs.lock().unwrap().push(request.config.clone());
        let name = get(&request.config, "name").as_str().unwrap_or_default().to_owned();
        let calls = {
            let mut plans = self.plans.lock().unwrap();
            let count = plans.entry(name).or_default();
            *count += 1;
            *count
        };
        let id = request.prior.as_ref().map_or(Value::Unknown(Type::String), |p| get(p, "id").clone());
        let mut planned = with(&request.config, "id", id);
        match get(&request.config, "mode").as_str().unwrap_or_default() {
            "wrong_plan" => planned = with(&planned, "name", Value::from("renamed-by-provider")),
            "wrong_secret" => planned = with(&planned, "secret", Value::from("a different secret")),
            "wrong_final_plan" if calls > 1 => planned = with(&planned, "name", Value::from("renamed-later")),
            _ => {}
        }
        Ok(PlanResponse { planned, requires_replace: Vec::new() })
    }

    async fn apply(&self, request: ApplyRequest) -> Result<ApplyResponse, ProviderError> {
        let Some(planned) = request.planned else { return Ok(ApplyResponse { new_state: None }) };
        let name = get(&planned, "name").as_str().unwrap_or_default().to_owned();
        let mut object = with(&planned, "id", Value::from(format!("id-{name}")));
        match get(&request.config, "mode").as_str().unwrap_or_default() {
            "wrong_result" => object = with(&object, "name", Value::from("renamed-after-apply")),
            "slow" => tokio::time::sleep(Duration::from_secs(60)).await,
            "crash" => return Err(ProviderError::outcome_unknown("the provider process exited")),
            "fail" => return Err(ProviderError::new("quota exceeded")),
            _ => {}
        }
        Ok(ApplyResponse { new_state: Some(object) })
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

/// What one plan-and-apply left behind.
struct Outcome {
    /// Plan diagnostics, then apply diagnostics.
    diags: Diagnostics,
    /// Whether apply ran (the plan had no errors).
    applied: bool,
    /// The state as stored afterwards.
    state: State,
    elapsed: Duration,
}

impl Outcome {
    /// "Exit code": non-zero when any error was reported, as the CLI does.
    fn failed(&self) -> bool {
        self.diags.has_errors()
    }

    /// Every diagnostic as one text (summaries, details and hints), for assertions.
    fn text(&self) -> String {
        self.diags
            .iter()
            .map(|d| format!("{}: {} hint: {}", d.summary, d.detail, d.hint.as_deref().unwrap_or("")))
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn errors(&self, summary: &str) -> usize {
        self.diags.iter().filter(|d| d.is_error() && d.summary == summary).count()
    }

    fn status(&self, address: &str) -> Option<InstanceStatus> {
        let addr: ResourceInstanceAddr = address.parse().unwrap();
        self.state.resources.get(&addr).map(|i| i.status)
    }

    fn has_intent(&self, address: &str) -> bool {
        let addr: ResourceInstanceAddr = address.parse().unwrap();
        self.state.intents.contains_key(&addr)
    }
}

/// Loads and validates `source` (the test provider's schema next to the built-in ones), then
/// plans and, when the plan has no errors, applies it, with the state in `dir`.
async fn plan_and_apply(dir: &Path, source: &str, provider: Arc<TestProvider>) -> Outcome {
    let mut files = SourceFiles::new();
    let mut diags = Diagnostics::new();
    let config = strata_config::load_files(dir, vec![("main.hcl".into(), source.into())], &mut files, &mut diags);
    let mut catalog: Catalog = strata_schema::builtin_catalog();
    catalog.providers.insert("test".into(), schema());
    let values = InputValues::default().resolve(&config.root.module.variables, &mut diags);
    diags.extend(strata_config::validate(&config, &catalog, &values));
    assert!(!diags.has_errors(), "the configuration is valid: {diags:?}");

    let state_path = dir.join("strata.state.json");
    let (store, state, _) = StateStore::open(&state_path).await.unwrap();
    let mut providers = ProviderSet::new();
    providers.insert(ProviderConfigAddr::default_for("test"), provider);
    let started = Instant::now();
    let (plan, plan_diags) =
        strata_engine::plan(&config, &catalog, &state, BTreeMap::new(), &providers, &PlanOptions::default(), &NoHook)
            .await;
    let mut diags = plan_diags;
    let applied = plan.is_some();
    if let Some(plan) = plan {
        let (_stop_sender, stop) = tokio::sync::watch::channel(0u8);
        let options = ApplyOptions { parallelism: 10, stop };
        diags.extend(
            strata_engine::apply(
                &config,
                &catalog,
                &plan,
                BTreeMap::new(),
                &providers,
                &store,
                &state,
                options,
                &NoHook,
            )
            .await,
        );
    }
    let elapsed = started.elapsed();
    drop(store);
    let (_, state, _) = StateStore::open(&state_path).await.unwrap();
    Outcome { diags, applied, state, elapsed }
}

fn thing(name: &str, mode: &str, extra: &str) -> String {
    format!("resource \"test_thing\" \"{name}\" {{\n  name = \"{name}\"\n  mode = \"{mode}\"\n{extra}}}\n")
}

#[tokio::test]
async fn a_plan_that_changes_a_configured_argument_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let source = [
        thing("ok", "honest", ""),
        thing("renamed", "wrong_plan", ""),
        thing("leaky", "wrong_secret", &format!("  secret = \"{SECRET}\"\n")),
    ]
    .concat();
    let run = plan_and_apply(dir.path(), &source, Arc::new(TestProvider::default())).await;
    let text = run.text();
    assert!(run.failed() && !run.applied, "{text}");
    assert_eq!(run.errors("Provider produced invalid plan"), 2, "{text}");
    assert!(
        text.contains(
            "provider \"test\" planned \"name\" of test_thing.renamed as \"renamed-by-provider\", but the configuration sets \"renamed\""
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "provider \"test\" planned \"secret\" of test_thing.leaky as (sensitive value), but the configuration sets (sensitive value)"
        ),
        "{text}"
    );
    assert!(!text.contains(SECRET) && !text.contains("a different secret"), "{text}");
    // Planning failed, so nothing was applied.
    assert!(run.state.resources.is_empty() && run.state.intents.is_empty());
}

#[tokio::test]
async fn a_final_plan_that_changes_a_configured_argument_fails_only_its_resource() {
    let dir = tempfile::tempdir().unwrap();
    let source = [
        thing("ok", "honest", ""),
        thing("late", "wrong_final_plan", ""),
        // Depends on the failing one, so it is skipped.
        thing("after", "honest", "  depends_on = [test_thing.late]\n"),
    ]
    .concat();
    let run = plan_and_apply(dir.path(), &source, Arc::new(TestProvider::default())).await;
    let text = run.text();
    assert!(run.failed() && run.applied, "{text}");
    assert_eq!(run.errors("Provider produced invalid plan"), 1, "{text}");
    assert!(
        text.contains(
            "provider \"test\" planned \"name\" of test_thing.late as \"renamed-later\", but the configuration sets \"late\""
        ),
        "{text}"
    );
    assert_eq!(run.status("test_thing.ok"), Some(InstanceStatus::Ready));
    // Refused before the create started: nothing recorded, no intent.
    assert_eq!(run.status("test_thing.late"), None);
    assert!(!run.has_intent("test_thing.late"));
    assert_eq!(run.status("test_thing.after"), None);
}

#[tokio::test]
async fn a_result_that_differs_from_its_plan_is_recorded_tainted_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let source = [
        thing("ok", "honest", ""),
        thing("odd", "wrong_result", &format!("  secret = \"{SECRET}\"\n")),
        thing("after", "honest", "  depends_on = [test_thing.odd]\n"),
    ]
    .concat();
    let run = plan_and_apply(dir.path(), &source, Arc::new(TestProvider::default())).await;
    let text = run.text();
    assert!(run.failed() && run.applied, "{text}");
    assert_eq!(run.errors("Provider produced inconsistent result after apply"), 1, "{text}");
    assert!(
        text.contains(
            "After applying, provider \"test\" returned \"name\" of test_thing.odd as \"renamed-after-apply\", but its plan said \"odd\""
        ),
        "{text}"
    );
    assert!(text.contains("recorded as tainted"), "{text}");
    assert!(!text.contains(SECRET), "{text}");
    assert_eq!(run.status("test_thing.ok"), Some(InstanceStatus::Ready));
    // The object exists, so it is recorded, tainted: the next plan replaces it.
    assert_eq!(run.status("test_thing.odd"), Some(InstanceStatus::Tainted));
    assert!(!run.has_intent("test_thing.odd"));
    assert_eq!(run.status("test_thing.after"), None);
}

#[tokio::test]
async fn a_create_past_its_timeout_is_abandoned_and_keeps_its_intent() {
    let dir = tempfile::tempdir().unwrap();
    let timeouts = "  timeouts {\n    create = \"1s\"\n    delete = \"10m\"\n  }\n";
    let source = [
        thing("ok", "honest", timeouts),
        thing("slow", "slow", timeouts),
        thing("after", "honest", "  depends_on = [test_thing.slow]\n"),
    ]
    .concat();
    let provider = Arc::new(TestProvider::default());
    let run = plan_and_apply(dir.path(), &source, provider.clone()).await;
    let text = run.text();
    assert!(run.failed() && run.applied, "{text}");
    assert!(run.elapsed < Duration::from_secs(30), "the slow create was abandoned: {:?}", run.elapsed);
    assert_eq!(run.errors("Provider operation timed out"), 1, "{text}");
    assert!(
        text.contains("Provider \"test\" did not finish creating test_thing.slow within 1s (timeouts.create)."),
        "{text}"
    );
    assert!(
        text.contains(
            "hint: if it only needs longer, raise the limit in its resource block: timeouts { create = \"2s\" }"
        ),
        "{text}"
    );
    let timed_out = run.diags.iter().find(|d| d.summary == "Provider operation timed out").unwrap();
    assert!(timed_out.subject.is_some(), "points at the timeouts block");
    assert_eq!(run.status("test_thing.ok"), Some(InstanceStatus::Ready));
    // The outcome is unknown: no instance, but the intent stays for the next plan.
    assert_eq!(run.status("test_thing.slow"), None);
    assert!(run.has_intent("test_thing.slow"));
    assert_eq!(run.status("test_thing.after"), None);
    // The block is the engine's: no provider ever saw it.
    for config in provider.configs.lock().unwrap().iter() {
        assert!(config.as_mapping().is_some_and(|m| !m.contains_key("timeouts")), "{config:?}");
    }

    // The next plan reconciles the intent (the provider finds nothing) and creates it again.
    let source = [thing("ok", "honest", timeouts), thing("slow", "honest", timeouts)].concat();
    let run = plan_and_apply(dir.path(), &source, Arc::new(TestProvider::default())).await;
    assert!(!run.failed(), "{}", run.text());
    assert_eq!(run.status("test_thing.slow"), Some(InstanceStatus::Ready));
    assert!(run.state.intents.is_empty());
}

#[tokio::test]
async fn an_unknown_outcome_keeps_the_intent_and_a_known_failure_clears_it() {
    let dir = tempfile::tempdir().unwrap();
    let source = [thing("ok", "honest", ""), thing("crashed", "crash", ""), thing("refused", "fail", "")].concat();
    let run = plan_and_apply(dir.path(), &source, Arc::new(TestProvider::default())).await;
    let text = run.text();
    assert!(run.failed() && run.applied, "{text}");
    assert_eq!(run.errors("Failed to apply"), 2, "{text}");
    assert!(text.contains("the provider process exited. Whether the object was made is unknown"), "{text}");
    assert_eq!(run.status("test_thing.ok"), Some(InstanceStatus::Ready));
    assert!(run.has_intent("test_thing.crashed"));
    assert!(!run.has_intent("test_thing.refused"));
    assert_eq!((run.status("test_thing.crashed"), run.status("test_thing.refused")), (None, None));
}
