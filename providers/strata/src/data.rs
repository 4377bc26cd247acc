//! `strata_data`: a value kept in state, like Terraform's `terraform_data`.
//!
//! Nothing exists outside state, so every operation is pure and cheap (the benchmark creates
//! many of these): no I/O, and only the clone of `input` into `output` allocates.

use std::collections::BTreeMap;

use strata_provider::{ApplyRequest, PlanResponse, ProviderError};
use strata_value::{Type, Value};

use crate::object::{attribute, into_entries, same_value, take};

const INPUT: &str = "input";
const TRIGGERS_REPLACE: &str = "triggers_replace";
const OUTPUT: &str = "output";
const ID: &str = "id";

fn object(input: Value, triggers_replace: Value, output: Value, id: Value) -> Value {
    let mut entries = BTreeMap::new();
    entries.insert(INPUT.to_owned(), input);
    entries.insert(TRIGGERS_REPLACE.to_owned(), triggers_replace);
    entries.insert(OUTPUT.to_owned(), output);
    entries.insert(ID.to_owned(), id);
    Value::Map(entries)
}

/// Planned state: arguments from configuration, `output` = `input` (unknown exactly where the
/// input is), `id` kept unless the object is new or replaced.
pub fn plan(prior: Option<&Value>, config: Value) -> PlanResponse {
    // A null configuration is a destroy: nothing is planned.
    if config.is_null() {
        return PlanResponse { planned: Value::Null, requires_replace: Vec::new() };
    }
    let mut config = into_entries(config);
    let input = take(&mut config, INPUT);
    let triggers_replace = take(&mut config, TRIGGERS_REPLACE);
    let (id, requires_replace) = match prior.filter(|prior| !prior.is_null()) {
        None => (Value::Unknown(Type::String), Vec::new()),
        // An unknown trigger may turn out different, so it replaces too (never guess equal).
        Some(prior) if !same_value(attribute(prior, TRIGGERS_REPLACE), &triggers_replace) => {
            (Value::Unknown(Type::String), vec![TRIGGERS_REPLACE.to_owned()])
        }
        Some(prior) => (attribute(prior, ID).clone(), Vec::new()),
    };
    // Copying keeps input's sensitive marks and partial unknowns on output as well.
    let output = input.clone();
    PlanResponse { planned: object(input, triggers_replace, output, id), requires_replace }
}

/// Create, update or delete. Arguments come from the configuration, which is fully known at
/// apply time; the planned value may still hold unknowns from plan time.
pub fn apply(request: ApplyRequest) -> Result<Option<Value>, ProviderError> {
    if request.planned.is_none() {
        // Delete: the object lives only in state, which the engine drops.
        return Ok(None);
    }
    let mut config = into_entries(request.config);
    let input = take(&mut config, INPUT);
    let triggers_replace = take(&mut config, TRIGGERS_REPLACE);
    for (name, value) in [(INPUT, &input), (TRIGGERS_REPLACE, &triggers_replace)] {
        if !value.is_wholly_known() {
            return Err(ProviderError::at(name, format!("{name} is still unknown at apply time")));
        }
    }
    let id = match request.prior.filter(|prior| !prior.is_null()) {
        Some(prior) => attribute(&prior, ID).clone(),
        // The engine records the idempotency token before the create starts and passes the
        // same token when it retries, so using it as the id makes a retried create produce
        // the very same object instead of a second one with a fresh id. Tokens are uuids;
        // an empty one (a caller without crash recovery) gets a fresh uuid v4 instead.
        None if request.idempotency_token.is_empty() => Value::from(uuid::Uuid::new_v4().to_string()),
        None => Value::from(request.idempotency_token),
    };
    let output = input.clone();
    Ok(Some(object(input, triggers_replace, output, id)))
}

/// `strata import strata_data.x ID`: only the id is known; input and output are null.
pub fn import(id: &str) -> Value {
    object(Value::Null, Value::Null, Value::Null, Value::from(id))
}
