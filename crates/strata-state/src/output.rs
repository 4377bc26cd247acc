//! Root module outputs.

use serde::{Deserialize, Serialize};

/// The last applied value of a root module output.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutputState {
    pub value: serde_json::Value,
    /// Shown as `(sensitive value)` unless asked for explicitly.
    #[serde(default)]
    pub sensitive: bool,
}
