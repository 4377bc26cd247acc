//! What goes wrong reading the protocol.

/// A frame that could not be read.
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
pub enum ProtocolError {
    /// The line is not a JSON frame of this protocol (garbage on stdout, a truncated line).
    #[error("not a protocol frame ({reason}): {excerpt}")]
    Malformed { reason: String, excerpt: String },
    /// The line exceeds [`crate::MAX_FRAME_BYTES`].
    #[error("a frame of {bytes} bytes exceeds the {limit}-byte limit")]
    TooLarge { bytes: usize, limit: usize },
    /// A value could not be encoded (a number that is not finite).
    #[error("cannot encode value: {0}")]
    Encode(String),
}

impl ProtocolError {
    /// A malformed-frame error quoting the start of the offending line.
    pub fn malformed(reason: impl Into<String>, line: &str) -> ProtocolError {
        let excerpt: String = line.chars().take(120).collect();
        let excerpt = if excerpt.len() < line.len() { format!("{excerpt}…") } else { excerpt };
        ProtocolError::Malformed { reason: reason.into(), excerpt: format!("{excerpt:?}") }
    }
}
