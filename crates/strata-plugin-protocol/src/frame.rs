//! Frames: the unit of the protocol, one JSON object per line, told apart by `"frame"`.

use serde::{Deserialize, Serialize};

use crate::{Call, MAX_FRAME_BYTES, ProtocolError, Reply, WireValue};

/// One line of the protocol.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "frame", rename_all = "snake_case")]
pub enum Frame {
    /// Engine → plugin. Ids are unique per connection; the engine never reuses one.
    Request {
        id: u64,
        #[serde(flatten)]
        call: Call,
    },
    /// Plugin → engine: the answer to request `id`, exactly one per request.
    Response {
        id: u64,
        #[serde(flatten)]
        outcome: Outcome,
    },
    /// Plugin → engine, while request `id` runs: "3/5 hosts installed".
    Progress {
        id: u64,
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        done: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        total: Option<u64>,
    },
    /// Engine → plugin: abandon request `id` (its timeout passed, or the user interrupted
    /// twice). The plugin stops the work and answers with an error (`outcome_unknown: true`).
    Cancel { id: u64 },
}

/// A response's content: a result or an error (the two keys never appear together).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Outcome {
    Error { error: WireError },
    Ok(Reply),
}

/// A failed request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WireError {
    pub message: String,
    /// The attribute at fault (`node_group.core.count`), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute: Option<String>,
    /// The request may or may not have taken effect (cancelled, interrupted).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub outcome_unknown: bool,
    /// `apply_resource_change` only: the object the failed apply did make (partial state),
    /// recorded by the engine. Added in version 1 without a bump: an engine that does not
    /// know the key ignores it, and one that does finds it absent from older plugins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_state: Option<WireValue>,
}

impl WireError {
    /// An error with just a message.
    pub fn new(message: impl Into<String>) -> WireError {
        WireError { message: message.into(), attribute: None, outcome_unknown: false, new_state: None }
    }
}

impl Frame {
    pub fn response(id: u64, outcome: Result<Reply, WireError>) -> Frame {
        Frame::Response {
            id,
            outcome: match outcome {
                Ok(reply) => Outcome::Ok(reply),
                Err(error) => Outcome::Error { error },
            },
        }
    }
}

impl Outcome {
    pub fn into_result(self) -> Result<Reply, WireError> {
        match self {
            Outcome::Ok(reply) => Ok(reply),
            Outcome::Error { error } => Err(error),
        }
    }
}

/// One frame as a line of JSON, with its terminating `\n`.
///
/// # Errors
/// A value that JSON cannot hold (a number that is not finite).
pub fn encode_frame(frame: &Frame) -> Result<String, ProtocolError> {
    let mut line = serde_json::to_string(frame).map_err(|e| ProtocolError::Encode(e.to_string()))?;
    line.push('\n');
    Ok(line)
}

/// Reads one line (with or without its `\n`) as a frame.
///
/// # Errors
/// [`ProtocolError::TooLarge`] past [`MAX_FRAME_BYTES`]; [`ProtocolError::Malformed`] for
/// anything that is not a frame of this protocol.
pub fn decode_frame(line: &str) -> Result<Frame, ProtocolError> {
    if line.len() > MAX_FRAME_BYTES {
        return Err(ProtocolError::TooLarge { bytes: line.len(), limit: MAX_FRAME_BYTES });
    }
    let line = line.strip_suffix('\n').unwrap_or(line);
    let line = line.strip_suffix('\r').unwrap_or(line);
    serde_json::from_str(line).map_err(|e| ProtocolError::malformed(e.to_string(), line))
}
