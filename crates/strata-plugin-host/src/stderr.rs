//! The plugin's stderr: its log. Every line goes to the log sink (shown with `--verbose`),
//! and the last few are kept to quote when the plugin fails.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};

use crate::LogSink;

/// Lines kept for diagnostics.
const KEPT: usize = 10;

#[derive(Clone, Default)]
pub(crate) struct StderrTail(Arc<Mutex<VecDeque<String>>>);

impl StderrTail {
    /// The last lines, oldest first.
    pub(crate) fn lines(&self) -> Vec<String> {
        self.0.lock().expect("stderr lock").iter().cloned().collect()
    }

    fn push(&self, line: String) {
        let mut lines = self.0.lock().expect("stderr lock");
        if lines.len() == KEPT {
            lines.pop_front();
        }
        lines.push_back(line);
    }
}

/// Reads stderr to its end (the plugin exiting closes it).
pub(crate) async fn pump(name: String, stderr: impl AsyncRead + Unpin, tail: StderrTail, log: LogSink) {
    let mut lines = BufReader::new(stderr).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        log(&name, &line);
        tail.push(line);
    }
}
