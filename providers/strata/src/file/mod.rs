//! `strata_file`: a file on local disk, with real side effects (the crash tests use it).
//!
//! The id is the path. Terraform's `local_file` uses a hash of the content, which changes on
//! every content update; the path is what names the file, is known at plan time whenever the
//! path is, and is stable across updates (a new path replaces the resource anyway).
//!
//! File-system work runs on tokio's blocking pool so it does not stall the engine's workers.

mod disk;
mod mode;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use strata_provider::{ApplyRequest, PlanResponse, ProviderError};
use strata_value::Value;

use crate::object::{attribute, into_entries, known_str, same_value, take};
use crate::schema::DEFAULT_MODE;
use disk::OnDisk;

const PATH: &str = "path";
const CONTENT: &str = "content";
const MODE: &str = "mode";
const ID: &str = "id";

fn object(path: Value, content: Value, mode: Value) -> Value {
    let mut entries = BTreeMap::new();
    entries.insert(ID.to_owned(), path.clone());
    entries.insert(PATH.to_owned(), path);
    entries.insert(CONTENT.to_owned(), content);
    entries.insert(MODE.to_owned(), mode);
    Value::Map(entries)
}

/// The object for a file found on disk. `reference` (state or plan) lends its sensitive mark
/// and its spelling of the mode, and its own content value when the disk agrees with it.
fn found(path: &str, disk: OnDisk, reference: &Value) -> Value {
    let known_content = attribute(reference, CONTENT);
    let content = if known_content.as_str() == Some(disk.content.as_str()) {
        known_content.clone()
    } else {
        Value::from(disk.content).with_sensitive(known_content.is_sensitive())
    };
    let path_value = match attribute(reference, PATH) {
        value if value.as_str() == Some(path) => value.clone(),
        _ => Value::from(path),
    };
    object(path_value, content, mode::describe(disk.mode, attribute(reference, MODE)))
}

/// Checks what the schema cannot: a non-empty path and an octal mode.
pub fn validate(config: &Value) -> Result<(), ProviderError> {
    if known_str(config, PATH) == Some("") {
        return Err(ProviderError::at(PATH, "path must not be empty"));
    }
    match attribute(config, MODE) {
        value if value.as_str().is_some_and(|text| mode::parse(text).is_none()) => Err(bad_mode(value)),
        _ => Ok(()),
    }
}

fn bad_mode(value: &Value) -> ProviderError {
    // to_hcl redacts a sensitive mode.
    ProviderError::at(MODE, format!("mode must be 3 or 4 octal digits, like \"0644\"; got {}", value.to_hcl()))
}

/// `path`, `content` and `mode` of a configuration; an unset mode gets the default (the
/// evaluator fills it in already, but a caller building configuration by hand may not).
fn arguments(config: Value) -> (Value, Value, Value) {
    let mut config = into_entries(config);
    let path = take(&mut config, PATH);
    let content = take(&mut config, CONTENT);
    let mode = match take(&mut config, MODE) {
        Value::Null => Value::from(DEFAULT_MODE),
        mode => mode,
    };
    (path, content, mode)
}

/// Planned state: arguments from configuration (mode defaulted), id = path; a new path
/// replaces the file, content and mode change in place.
pub fn plan(prior: Option<&Value>, config: Value) -> PlanResponse {
    // A null configuration is a destroy: nothing is planned.
    if config.is_null() {
        return PlanResponse { planned: Value::Null, requires_replace: Vec::new() };
    }
    let (path, content, mode) = arguments(config);
    let requires_replace = match prior.filter(|prior| !prior.is_null()) {
        // An unknown path may turn out different, so it replaces (never guess equal).
        Some(prior) if !same_value(attribute(prior, PATH), &path) => vec![PATH.to_owned()],
        _ => Vec::new(),
    };
    // The id is the path, so it is known (or unknown) exactly when the path is.
    PlanResponse { planned: object(path, content, mode), requires_replace }
}

fn required_str<'a>(config: &'a Value, name: &str) -> Result<&'a str, ProviderError> {
    known_str(config, name).ok_or_else(|| ProviderError::at(name, format!("{name} must be a known string at apply")))
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ProviderError> + Send + 'static,
) -> Result<T, ProviderError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ProviderError::new(format!("file operation did not finish: {e}")))?
}

/// Create or update: writes the file atomically. Delete: removes it (already gone is fine).
pub async fn apply(request: ApplyRequest) -> Result<Option<Value>, ProviderError> {
    if request.planned.is_none() {
        let prior = request.prior.unwrap_or(Value::Null);
        let Some(path) = known_str(&prior, PATH).or_else(|| known_str(&prior, ID)) else {
            return Ok(None); // no path recorded: nothing was ever written
        };
        let path = PathBuf::from(path);
        blocking(move || disk::remove(&path)).await?;
        return Ok(None);
    }
    let (path, content, mode) = arguments(request.config);
    let state = object(path, content, mode);
    let file = PathBuf::from(required_str(&state, PATH)?);
    let bytes = required_str(&state, CONTENT)?.as_bytes().to_vec();
    let bits = mode::parse(required_str(&state, MODE)?).ok_or_else(|| bad_mode(attribute(&state, MODE)))?;
    // The temp name carries the token, so find_by_token can clean up after a crashed create.
    let token = match request.idempotency_token {
        token if token.is_empty() => uuid::Uuid::new_v4().to_string(),
        token => token,
    };
    blocking(move || disk::write_atomically(&file, &bytes, bits, &token)).await?;
    Ok(Some(state))
}

/// Refresh: `None` when the file was deleted outside Strata, else content and mode as found.
pub async fn read(current: Value) -> Result<Option<Value>, ProviderError> {
    let path = known_str(&current, PATH)
        .or_else(|| known_str(&current, ID))
        .ok_or_else(|| ProviderError::at(PATH, "the state of this strata_file has no path"))?
        .to_owned();
    let file = PathBuf::from(&path);
    let on_disk = blocking(move || {
        // A write killed mid-way leaves its staging file; refresh is the next look at the file.
        disk::remove(&disk::temp_path(&file, ""))?;
        disk::read(&file)
    })
    .await?;
    Ok(on_disk.map(|disk| found(&path, disk, &current)))
}

/// After a crashed create: removes the create's temp file and adopts the file at the planned
/// path if there is one (a crash after the rename left the finished file there).
pub async fn find_by_token(planned: Value, token: String) -> Result<Option<Value>, ProviderError> {
    let path = required_str(&planned, PATH)?.to_owned();
    let file = PathBuf::from(&path);
    let on_disk = blocking(move || {
        if !token.is_empty() {
            disk::remove(&disk::temp_path(&file, &token))?;
        }
        disk::read(&file)
    })
    .await?;
    Ok(on_disk.map(|disk| found(&path, disk, &planned)))
}

/// `strata import strata_file.x PATH`: the file as it is, `None` when it does not exist.
pub async fn import(id: &str) -> Result<Option<Value>, ProviderError> {
    let path = id.to_owned();
    let file = Path::new(id).to_path_buf();
    let on_disk = blocking(move || disk::read(&file)).await?;
    Ok(on_disk.map(|disk| found(&path, disk, &Value::Null)))
}

/// The `strata_file` data source: `{ path, content, id }` of an existing file; a missing file
/// is an error naming the path (a data source describes something that must exist).
pub async fn read_data(config: Value) -> Result<Value, ProviderError> {
    let path = required_str(&config, PATH)?.to_owned();
    let file = PathBuf::from(&path);
    let on_disk = blocking(move || disk::read(&file)).await?;
    let Some(on_disk) = on_disk else {
        return Err(ProviderError::at(PATH, format!("reading {path}: no such file")));
    };
    Ok(Value::map([
        (PATH.to_owned(), Value::from(path.as_str())),
        (ID.to_owned(), Value::from(path.as_str())),
        ("content".to_owned(), Value::from(on_disk.content)),
    ]))
}
