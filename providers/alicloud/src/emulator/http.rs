//! The emulator's HTTP side: one hyper HTTP/1.1 connection task per client; every request's
//! parameters (query string and form body together) are verified, then dispatched.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use super::auth::{self, decode_form};
use super::reply::Reply;
use super::state::{Logged, State};
use super::{EmulatorKey, Fault, dispatch};
use crate::signing::Params;

/// What every connection task shares.
pub struct Shared {
    pub state: Arc<Mutex<State>>,
    pub keys: Vec<EmulatorKey>,
    pub skew: Duration,
}

/// Accepts connections until `stopped` fires (or its sender is dropped).
pub async fn serve(listener: TcpListener, shared: Arc<Shared>, mut stopped: tokio::sync::oneshot::Receiver<()>) {
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let shared = shared.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| {
                        let shared = shared.clone();
                        async move { Ok::<_, Infallible>(respond(&shared, request).await) }
                    });
                    let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
                });
            }
        }
    }
}

async fn respond(shared: &Shared, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let mut params = Params::new();
    decode_form(request.uri().query().unwrap_or_default(), &mut params);
    let form = request
        .headers()
        .get(hyper::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/x-www-form-urlencoded"));
    let body = request.into_body().collect().await.map(|body| body.to_bytes()).unwrap_or_default();
    if form {
        decode_form(&String::from_utf8_lossy(&body), &mut params);
    }
    let reply = if path != "/" || (method != "GET" && method != "POST") {
        Reply::error(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
    } else {
        answer(&shared.state, &shared.keys, shared.skew, &method, &params)
    };
    Response::builder()
        .status(reply.status)
        .header(hyper::header::CONTENT_TYPE, "application/json;charset=utf-8")
        .body(Full::new(Bytes::from(reply.body.to_string())))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}

/// Faults first, then verification, then the action; every request is logged.
pub fn answer(state: &Mutex<State>, keys: &[EmulatorKey], skew: Duration, method: &str, params: &Params) -> Reply {
    let mut state = state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let action = params.get("Action").cloned().unwrap_or_default();
    let reply = match take_fault(&mut state.faults, &action, false) {
        Some(reply) => reply,
        None => match auth::verify(method, params, keys, &mut state.nonces, skew) {
            Err(reply) => reply,
            Ok(()) => {
                let reply = dispatch(&mut state, params);
                let lost = reply.status == 200 && take_fault(&mut state.faults, &action, true).is_some();
                if lost { unavailable() } else { reply }
            }
        },
    };
    state.log.push(Logged { action, status: reply.status, code: reply.code().map(str::to_owned) });
    reply
}

fn unavailable() -> Reply {
    Reply::error(503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.")
}

/// Uses up one count of the first fault that applies: before the action (`after == false`:
/// throttling, unavailability) or after it (`after == true`: a lost answer).
fn take_fault(faults: &mut Vec<Fault>, action: &str, after: bool) -> Option<Reply> {
    let index = faults.iter().position(|fault| match fault {
        Fault::Throttle { .. } | Fault::Unavailable { .. } => !after,
        Fault::LoseAnswer { action: lost, .. } => after && lost == action,
    })?;
    let (count, reply) = match &mut faults[index] {
        Fault::Throttle { count } => {
            (count, Reply::error(400, "Throttling.User", "Request was denied due to user flow control."))
        }
        Fault::Unavailable { count } | Fault::LoseAnswer { count, .. } => (count, unavailable()),
    };
    *count = count.saturating_sub(1);
    if *count == 0 {
        faults.remove(index);
    }
    Some(reply)
}
