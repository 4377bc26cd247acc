//! The serving loop: frames in from stdin, one task per request, frames out through one
//! writer so lines never interleave.

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use strata_plugin_protocol::{Call, Frame, Reply, WireError, decode_frame, encode_frame};
use strata_provider::{ProgressSink, Provider};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;
use tokio::task::AbortHandle;

use crate::dispatch::dispatch;
use crate::log;

/// Who the plugin is, for the handshake.
#[derive(Clone, Copy, Debug)]
pub struct PluginInfo {
    pub name: &'static str,
    pub version: &'static str,
}

/// Requests running, by id. `None` until the task's abort handle is stored (a task may finish
/// before that; it finds its entry either way). Whoever removes the entry answers the request:
/// the task with its result, or a `cancel` with a cancellation error. So there is exactly one
/// response per request.
type Running = Arc<Mutex<HashMap<u64, Option<AbortHandle>>>>;

/// Serves `provider` on stdin/stdout until the engine sends `stop` or closes stdin; the
/// `main` of a plugin. Returns the process exit code.
pub fn run(provider: Arc<dyn Provider>, info: PluginInfo) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            log::write("ERROR", &format!("cannot start the async runtime: {error}"));
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(serve(provider, info, tokio::io::stdin(), tokio::io::stdout()));
    // Tasks still running (cancelled or abandoned) must not keep the process alive.
    runtime.shutdown_timeout(Duration::from_millis(100));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            log::write("ERROR", &message);
            ExitCode::FAILURE
        }
    }
}

/// Serves `provider` over any reader and writer (the tests use in-memory pipes).
///
/// # Errors
/// A line that is not a frame, or a broken stdout: the plugin cannot go on talking.
pub async fn serve(
    provider: Arc<dyn Provider>,
    info: PluginInfo,
    input: impl AsyncRead + Unpin,
    output: impl AsyncWrite + Unpin + Send + 'static,
) -> Result<(), String> {
    let (out, out_rx) = mpsc::unbounded_channel::<Frame>();
    let writer = tokio::spawn(write_frames(output, out_rx));
    let running: Running = Arc::default();
    let mut lines = BufReader::new(input).lines();
    let mut outcome = Ok(());
    loop {
        let line = match lines.next_line().await {
            Ok(Some(line)) => line,
            Ok(None) => break,
            Err(error) => {
                outcome = Err(format!("reading stdin: {error}"));
                break;
            }
        };
        let frame = match decode_frame(&line) {
            Ok(frame) => frame,
            Err(error) => {
                outcome = Err(format!("the engine sent something that is not a frame: {error}"));
                break;
            }
        };
        match frame {
            Frame::Request { id, call: Call::Stop {} } => {
                wait_for_running(&running).await;
                let _ = out.send(Frame::response(id, Ok(Reply::Stop {})));
                break;
            }
            Frame::Request { id, call } => start(&provider, info, &running, &out, id, call),
            Frame::Cancel { id } => {
                let entry = running.lock().expect("running lock").remove(&id);
                if let Some(handle) = entry {
                    if let Some(handle) = handle {
                        handle.abort();
                    }
                    log::debug(&format!("request {id} cancelled by the engine"));
                    let error = WireError {
                        outcome_unknown: true,
                        ..WireError::new("cancelled by the engine before it finished")
                    };
                    let _ = out.send(Frame::response(id, Err(error)));
                }
            }
            Frame::Response { .. } | Frame::Progress { .. } => {
                outcome = Err("the engine sent a frame only a plugin sends".into());
                break;
            }
        }
    }
    for handle in running.lock().expect("running lock").drain().filter_map(|(_, h)| h) {
        handle.abort();
    }
    drop(out);
    let _ = writer.await;
    outcome
}

fn start(
    provider: &Arc<dyn Provider>,
    info: PluginInfo,
    running: &Running,
    out: &mpsc::UnboundedSender<Frame>,
    id: u64,
    call: Call,
) {
    running.lock().expect("running lock").insert(id, None);
    let progress = {
        let out = out.clone();
        ProgressSink::new(move |p| {
            let _ = out.send(Frame::Progress { id, message: p.message, done: p.done, total: p.total });
        })
    };
    let (provider, running_task, out) = (provider.clone(), running.clone(), out.clone());
    let task = tokio::spawn(async move {
        let result = dispatch(provider.as_ref(), info.name, info.version, call, progress).await;
        if running_task.lock().expect("running lock").remove(&id).is_some() {
            let _ = out.send(Frame::response(id, result));
        }
    });
    if let Some(slot) = running.lock().expect("running lock").get_mut(&id) {
        *slot = Some(task.abort_handle());
    }
}

/// `stop` lets requests in flight finish first (bounded: 30 s).
async fn wait_for_running(running: &Running) {
    for _ in 0..3000 {
        if running.lock().expect("running lock").is_empty() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn write_frames(mut output: impl AsyncWrite + Unpin, mut frames: mpsc::UnboundedReceiver<Frame>) {
    while let Some(frame) = frames.recv().await {
        let line = match encode_frame(&frame) {
            Ok(line) => line,
            Err(error) => {
                // A value JSON cannot carry: answer the request with an error instead.
                let Frame::Response { id, .. } = frame else { continue };
                let error = WireError::new(error.to_string());
                match encode_frame(&Frame::response(id, Err(error))) {
                    Ok(line) => line,
                    Err(_) => continue,
                }
            }
        };
        if output.write_all(line.as_bytes()).await.is_err() || output.flush().await.is_err() {
            return;
        }
    }
}
