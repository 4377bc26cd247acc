//! Progress of a long operation, reported by the provider while it runs ("3/5 hosts
//! installed"), so the engine's display shows more than a spinner.

use std::fmt;
use std::sync::Arc;

/// One progress report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    pub message: String,
    /// Steps done so far and the total, when the provider can count them.
    pub done: Option<u64>,
    pub total: Option<u64>,
}

impl Progress {
    pub fn message(message: impl Into<String>) -> Progress {
        Progress { message: message.into(), done: None, total: None }
    }

    pub fn steps(message: impl Into<String>, done: u64, total: u64) -> Progress {
        Progress { message: message.into(), done: Some(done), total: Some(total) }
    }
}

/// Where a provider sends [`Progress`] during one request. The default sink drops
/// everything; reporting never blocks and never fails.
#[derive(Clone, Default)]
pub struct ProgressSink(Option<Arc<dyn Fn(Progress) + Send + Sync>>);

impl ProgressSink {
    pub fn new(report: impl Fn(Progress) + Send + Sync + 'static) -> ProgressSink {
        ProgressSink(Some(Arc::new(report)))
    }

    pub fn report(&self, progress: Progress) {
        if let Some(report) = &self.0 {
            report(progress);
        }
    }
}

impl fmt::Debug for ProgressSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() { "ProgressSink(..)" } else { "ProgressSink(none)" })
    }
}

/// A sink is where reports go, not part of what is requested: any two compare equal, so
/// requests compare by their values.
impl PartialEq for ProgressSink {
    fn eq(&self, _: &ProgressSink) -> bool {
        true
    }
}
