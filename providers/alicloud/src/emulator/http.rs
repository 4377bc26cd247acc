//! The emulator's HTTP side: one hyper HTTP/1.1 connection task per client; every request is
//! verified, then dispatched with its parameters (query string and form body together).
//! A request with an `Authorization` header is signed with V3 (`ACS3-HMAC-SHA256`: action and
//! version in `x-acs-*` headers), any other with V1 (HMAC-SHA1 over the parameters).

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

/// What arrived: the parts either signature covers.
pub struct Received {
    pub method: String,
    pub path: String,
    /// The query string's parameters, decoded.
    pub query: Params,
    /// A form body's parameters, decoded.
    pub form: Params,
    /// Every header, names lower-case.
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(header, _)| header == name).map(|(_, value)| value.as_str())
    }

    /// Signed with V3: an `Authorization` header.
    fn is_v3(&self) -> bool {
        self.header("authorization").is_some()
    }

    /// The parameters the action reads: query and form together; a V3 request's action and
    /// version come from its `x-acs-action` and `x-acs-version` headers.
    fn params(&self) -> Params {
        let mut params = self.query.clone();
        params.extend(self.form.clone());
        if self.is_v3() {
            for (name, header) in [("Action", "x-acs-action"), ("Version", "x-acs-version")] {
                match self.header(header) {
                    Some(value) => params.insert(name.to_owned(), value.trim().to_owned()),
                    None => params.remove(name),
                };
            }
        }
        params
    }
}

async fn respond(shared: &Shared, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let mut query = Params::new();
    decode_form(request.uri().query().unwrap_or_default(), &mut query);
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|(name, value)| (name.as_str().to_owned(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
        .collect();
    let body = request.into_body().collect().await.map(|body| body.to_bytes()).unwrap_or_default();
    let mut received = Received { method, path, query, form: Params::new(), headers, body };
    if received.header("content-type").is_some_and(|value| value.starts_with("application/x-www-form-urlencoded")) {
        decode_form(&String::from_utf8_lossy(&received.body), &mut received.form);
    }
    let reply = if received.path != "/" || (received.method != "GET" && received.method != "POST") {
        Reply::error(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
    } else {
        answer(&shared.state, &shared.keys, shared.skew, &received)
    };
    Response::builder()
        .status(reply.status)
        .header(hyper::header::CONTENT_TYPE, "application/json;charset=utf-8")
        .body(Full::new(Bytes::from(reply.body.to_string())))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}

/// Faults first, then verification, then the action; every request is logged.
pub fn answer(state: &Mutex<State>, keys: &[EmulatorKey], skew: Duration, received: &Received) -> Reply {
    let mut state = state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let params = received.params();
    let action = params.get("Action").cloned().unwrap_or_default();
    let reply = match take_fault(&mut state.faults, &action, false) {
        Some(reply) => reply,
        None => match verify(received, &params, keys, &mut state.nonces, skew) {
            Err(reply) => reply,
            Ok(()) => {
                let reply = dispatch(&mut state, &params);
                let lost = reply.status == 200 && take_fault(&mut state.faults, &action, true).is_some();
                if lost { unavailable() } else { reply }
            }
        },
    };
    state.log.push(Logged { action, status: reply.status, code: reply.code().map(str::to_owned) });
    reply
}

/// The V3 checks for a request with an `Authorization` header, the V1 checks over `params`
/// for any other.
fn verify(
    received: &Received,
    params: &Params,
    keys: &[EmulatorKey],
    nonces: &mut auth::Nonces,
    skew: Duration,
) -> Result<(), Reply> {
    if received.is_v3() {
        let signed = auth::v3::Received {
            method: &received.method,
            path: &received.path,
            query: &received.query,
            headers: &received.headers,
            body: &received.body,
        };
        auth::v3::verify(&signed, keys, nonces, skew)
    } else {
        auth::verify(&received.method, params, keys, nonces, skew)
    }
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
        Fault::ForgeConsoleHostKey { .. } => false,
    })?;
    let (count, reply) = match &mut faults[index] {
        Fault::Throttle { count } => {
            (count, Reply::error(400, "Throttling.User", "Request was denied due to user flow control."))
        }
        Fault::Unavailable { count } | Fault::LoseAnswer { count, .. } => (count, unavailable()),
        Fault::ForgeConsoleHostKey { .. } => return None,
    };
    *count = count.saturating_sub(1);
    if *count == 0 {
        faults.remove(index);
    }
    Some(reply)
}
