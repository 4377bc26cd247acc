//! One running plugin process and the requests in flight on it.
//!
//! Three tasks per plugin: a writer (lines to its stdin, so frames never interleave), a reader
//! (frames from its stdout, routed to the waiting request by id) and the stderr pump. When the
//! reader meets the end of stdout or a line that is not a frame, the connection is dead: every
//! request waiting and every later one fails with the reason.

use std::collections::HashMap;
use std::process::ExitStatus;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use strata_plugin_protocol::{Call, Frame, Reply, decode_frame, encode_frame};
use strata_provider::{Progress, ProgressSink, ProviderError};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, ChildStdout};
use tokio::sync::{mpsc, oneshot};

use crate::stderr::StderrTail;

type Answer = Result<Reply, ProviderError>;

struct Waiter {
    answer: oneshot::Sender<Answer>,
    progress: ProgressSink,
}

#[derive(Default)]
struct Pending {
    waiting: HashMap<u64, Waiter>,
    /// Set once the plugin is gone or broke the protocol; why.
    dead: Option<String>,
}

pub(crate) struct Connection {
    name: String,
    lines: mpsc::UnboundedSender<String>,
    pending: Arc<Mutex<Pending>>,
    next_id: AtomicU64,
    tail: StderrTail,
}

impl Connection {
    pub(crate) fn new(name: &str, mut child: Child, tail: StderrTail) -> Connection {
        let stdin = child.stdin.take().expect("stdin is piped");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (lines, lines_rx) = mpsc::unbounded_channel();
        let pending: Arc<Mutex<Pending>> = Arc::default();
        tokio::spawn(write_lines(stdin, lines_rx));
        tokio::spawn(read_frames(stdout, child, pending.clone(), name.to_owned(), tail.clone()));
        Connection { name: name.to_owned(), lines, pending, next_id: AtomicU64::new(1), tail }
    }

    /// Sends `call` and waits for its answer. Dropping the future before the answer comes
    /// sends `cancel` for the request.
    pub(crate) async fn call(&self, call: Call, progress: ProgressSink) -> Answer {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let method = call.method();
        let line = encode_frame(&Frame::Request { id, call })
            .map_err(|e| ProviderError::new(format!("cannot send {method} to provider \"{}\": {e}", self.name)))?;
        let (answer, answer_rx) = oneshot::channel();
        {
            let mut pending = self.pending.lock().expect("pending lock");
            if let Some(reason) = &pending.dead {
                return Err(ProviderError::outcome_unknown(reason.clone()));
            }
            pending.waiting.insert(id, Waiter { answer, progress });
        }
        let mut guard = CancelOnDrop { id, lines: &self.lines, pending: &self.pending, armed: true };
        // A closed writer means the plugin is gone; the reader reports why.
        let _ = self.lines.send(line);
        let answer = answer_rx.await;
        guard.armed = false;
        let reply = answer.unwrap_or_else(|_| {
            Err(ProviderError::outcome_unknown(format!("provider \"{}\": the connection closed", self.name)))
        })?;
        if reply.method() != method {
            return Err(ProviderError::outcome_unknown(format!(
                "provider \"{}\" broke the plugin protocol: it answered a {method} request with {}",
                self.name,
                reply.method()
            )));
        }
        Ok(reply)
    }

    /// The last lines the plugin wrote to stderr.
    pub(crate) fn stderr_tail(&self) -> Vec<String> {
        self.tail.lines()
    }
}

/// Cancels a request whose caller stopped waiting (a timeout, an abort).
struct CancelOnDrop<'a> {
    id: u64,
    lines: &'a mpsc::UnboundedSender<String>,
    pending: &'a Mutex<Pending>,
    armed: bool,
}

impl Drop for CancelOnDrop<'_> {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        let was_waiting = self.pending.lock().map(|mut p| p.waiting.remove(&self.id).is_some()).unwrap_or(false);
        if was_waiting && let Ok(line) = encode_frame(&Frame::Cancel { id: self.id }) {
            let _ = self.lines.send(line);
        }
    }
}

async fn write_lines(mut stdin: ChildStdin, mut lines: mpsc::UnboundedReceiver<String>) {
    while let Some(line) = lines.recv().await {
        if stdin.write_all(line.as_bytes()).await.is_err() || stdin.flush().await.is_err() {
            return;
        }
    }
    // The sender is gone (the provider is shut down): closing stdin tells the plugin to exit.
}

async fn read_frames(
    stdout: ChildStdout,
    mut child: Child,
    pending: Arc<Mutex<Pending>>,
    name: String,
    tail: StderrTail,
) {
    let mut lines = BufReader::new(stdout).lines();
    let reason = loop {
        let line = match lines.next_line().await {
            Ok(Some(line)) => line,
            Ok(None) => break exit_reason(&mut child).await,
            Err(error) => break format!("could not be read from: {error}"),
        };
        match decode_frame(&line) {
            Ok(Frame::Response { id, outcome }) => {
                let waiter = pending.lock().expect("pending lock").waiting.remove(&id);
                // No waiter: the request was cancelled and its late answer is dropped.
                if let Some(waiter) = waiter {
                    let answer = outcome.into_result().map_err(|e| ProviderError {
                        message: e.message,
                        attribute: e.attribute,
                        outcome_unknown: e.outcome_unknown,
                        new_state: e.new_state.map(|state| Box::new(state.0)),
                    });
                    let _ = waiter.answer.send(answer);
                }
            }
            Ok(Frame::Progress { id, message, done, total }) => {
                let sink = pending.lock().expect("pending lock").waiting.get(&id).map(|w| w.progress.clone());
                if let Some(sink) = sink {
                    sink.report(Progress { message, done, total });
                }
            }
            Ok(Frame::Request { .. } | Frame::Cancel { .. }) => {
                let _ = child.start_kill();
                break "broke the plugin protocol: it sent a frame only the engine sends".to_owned();
            }
            Err(error) => {
                let _ = child.start_kill();
                break format!(
                    "wrote something that is not a plugin protocol frame to stdout ({error}); a provider must write its log to stderr"
                );
            }
        }
    };
    // Let the stderr pump catch the plugin's last words before quoting them.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let mut message = format!("provider \"{name}\" {reason}");
    let last = tail.lines();
    if !last.is_empty() {
        message.push_str("; its last log lines:\n");
        message.push_str(&last.join("\n"));
    }
    let waiting = {
        let mut pending = pending.lock().expect("pending lock");
        pending.dead = Some(message.clone());
        std::mem::take(&mut pending.waiting)
    };
    for waiter in waiting.into_values() {
        let _ = waiter.answer.send(Err(ProviderError::outcome_unknown(message.clone())));
    }
}

/// Why stdout closed: the process exited (with what), or it closed stdout and lives on.
async fn exit_reason(child: &mut Child) -> String {
    match tokio::time::timeout(Duration::from_secs(2), child.wait()).await {
        Ok(Ok(status)) => format!("exited unexpectedly ({})", describe(status)),
        Ok(Err(error)) => format!("exited unexpectedly (status unknown: {error})"),
        Err(_) => {
            let _ = child.start_kill();
            "closed its stdout and was stopped".to_owned()
        }
    }
}

fn describe(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit code {code}"),
        (None, Some(signal)) => format!("killed by signal {signal}"),
        _ => status.to_string(),
    }
}
