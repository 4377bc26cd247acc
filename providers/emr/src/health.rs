//! Health checks, made from this machine to the nodes' private addresses (the provider sits on
//! the cluster network's bridge, as a cloud provider's control plane would sit in its VPC):
//! ZooKeeper's `ruok` over TCP, and the Spark master's JSON status over HTTP. Each probe is
//! bounded; [`wait_until`] repeats one until it passes or a deadline.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value as Json;

/// Limit of one probe's connect, write and read.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);
/// Pause between probes.
const POLL: Duration = Duration::from_millis(200);
/// Largest HTTP answer read.
const MAX_BODY: u64 = 4 << 20;

/// ZooKeeper's four-letter words: sends `send` (`ruok`) and expects `expect` (`imok`).
pub fn four_letter_word(ip: Ipv4Addr, port: u16, send: &str, expect: &str) -> Result<(), String> {
    let mut stream = connect(ip, port)?;
    stream.write_all(send.as_bytes()).map_err(|error| format!("writing {send} to {ip}:{port}: {error}"))?;
    let mut answer = String::new();
    stream
        .take(256)
        .read_to_string(&mut answer)
        .map_err(|error| format!("reading the answer to {send} from {ip}:{port}: {error}"))?;
    if answer.trim() == expect {
        Ok(())
    } else {
        Err(format!("{ip}:{port} answered {send} with {answer:?}, not {expect:?}"))
    }
}

/// ZooKeeper's `ruok` → `imok`.
pub fn ruok(ip: Ipv4Addr, port: u16) -> Result<(), String> {
    four_letter_word(ip, port, "ruok", "imok")
}

/// A TCP connection to `ip:port` is accepted.
pub fn tcp(ip: Ipv4Addr, port: u16) -> Result<(), String> {
    connect(ip, port).map(drop)
}

/// `GET http://ip:port/path` (HTTP/1.0, so the body ends with the connection): the status
/// code and the body.
pub fn http_get(ip: Ipv4Addr, port: u16, path: &str) -> Result<(u16, String), String> {
    let url = format!("http://{ip}:{port}{path}");
    let mut stream = connect(ip, port)?;
    let request = format!("GET {path} HTTP/1.0\r\nHost: {ip}:{port}\r\nAccept: application/json\r\n\r\n");
    stream.write_all(request.as_bytes()).map_err(|error| format!("GET {url}: {error}"))?;
    let mut response = Vec::new();
    stream.take(MAX_BODY).read_to_end(&mut response).map_err(|error| format!("GET {url}: {error}"))?;
    let response = String::from_utf8_lossy(&response);
    let (head, body) = response.split_once("\r\n\r\n").ok_or_else(|| format!("GET {url}: no complete HTTP answer"))?;
    let status = head.lines().next().unwrap_or_default();
    let code = status
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("GET {url}: not an HTTP status line: {status:?}"))?;
    Ok((code, body.to_string()))
}

/// `GET` answering `status`, with a body holding one of `body_contains_any` (when given).
pub fn http_check(
    ip: Ipv4Addr,
    port: u16,
    path: &str,
    status: u16,
    body_contains_any: &[String],
) -> Result<(), String> {
    let (code, body) = http_get(ip, port, path)?;
    if code != status {
        return Err(format!("GET http://{ip}:{port}{path} answered {code}, not {status}"));
    }
    if !body_contains_any.is_empty() && !body_contains_any.iter().any(|text| body.contains(text.as_str())) {
        return Err(format!("GET http://{ip}:{port}{path}: the answer holds none of {body_contains_any:?}"));
    }
    Ok(())
}

fn connect(ip: Ipv4Addr, port: u16) -> Result<TcpStream, String> {
    let address = SocketAddr::from((ip, port));
    let stream = TcpStream::connect_timeout(&address, PROBE_TIMEOUT)
        .map_err(|error| format!("connecting to {address}: {error}"))?;
    stream.set_read_timeout(Some(PROBE_TIMEOUT)).map_err(|error| error.to_string())?;
    stream.set_write_timeout(Some(PROBE_TIMEOUT)).map_err(|error| error.to_string())?;
    Ok(stream)
}

/// What the Spark master's `/json/` says (pure parser).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MasterStatus {
    /// `ALIVE`, `STANDBY`, `RECOVERING`, ...
    pub status: String,
    /// Every worker it lists.
    pub workers: Vec<Worker>,
}

/// A worker as the master lists it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Worker {
    /// `worker-<time>-<host>-<port>`: a new one for every registration.
    pub id: String,
    pub host: String,
    /// `ALIVE`, `DEAD`, `DECOMMISSIONED`, ...
    pub state: String,
    /// Cores its executors hold (`coresused`).
    pub cores_used: u64,
}

impl MasterStatus {
    pub fn parse(body: &str) -> Result<MasterStatus, String> {
        let json: Json = serde_json::from_str(body).map_err(|error| format!("the master's JSON: {error}"))?;
        let status = json["status"].as_str().ok_or("the master's JSON has no \"status\"")?.to_string();
        let workers = json["workers"]
            .as_array()
            .map(|workers| {
                workers
                    .iter()
                    .map(|worker| {
                        let text = |key: &str| worker[key].as_str().unwrap_or_default().to_string();
                        let cores_used = worker["coresused"].as_u64().unwrap_or_default();
                        Worker { id: text("id"), host: text("host"), state: text("state"), cores_used }
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(MasterStatus { status, workers })
    }

    /// The master's status, read now.
    pub fn read(ip: Ipv4Addr, port: u16) -> Result<MasterStatus, String> {
        match http_get(ip, port, "/json/")? {
            (200, body) => MasterStatus::parse(&body),
            (code, _) => Err(format!("GET http://{ip}:{port}/json/ answered {code}")),
        }
    }

    /// Whether a worker on `host` is registered and ALIVE.
    pub fn worker_alive(&self, host: &str) -> bool {
        self.new_worker_alive(host, &[])
    }

    /// Whether a worker on `host` whose id is not in `known` is registered and ALIVE.
    pub fn new_worker_alive(&self, host: &str, known: &[String]) -> bool {
        self.workers.iter().any(|worker| worker.host == host && worker.state == "ALIVE" && !known.contains(&worker.id))
    }

    /// The ids of the workers listed on `host`, whatever their state.
    pub fn worker_ids(&self, host: &str) -> Vec<String> {
        self.workers.iter().filter(|worker| worker.host == host).map(|worker| worker.id.clone()).collect()
    }
}

/// Why a probe did not pass.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// Not yet: try again.
    Retry(String),
    /// It never will (the process exited): stop waiting.
    GiveUp(String),
}

impl From<String> for Attempt {
    fn from(reason: String) -> Attempt {
        Attempt::Retry(reason)
    }
}

/// Runs `probe` until it passes, gives up, or `timeout` has passed; the error is the last
/// probe's.
pub fn wait_until<T>(timeout: Duration, mut probe: impl FnMut() -> Result<T, Attempt>) -> Result<T, String> {
    let deadline = Instant::now() + timeout;
    loop {
        match probe() {
            Ok(value) => return Ok(value),
            Err(Attempt::GiveUp(reason)) => return Err(reason),
            Err(Attempt::Retry(reason)) if Instant::now() + POLL >= deadline => {
                return Err(format!("{reason} (still failing after {} s)", timeout.as_secs()));
            }
            Err(Attempt::Retry(_)) => thread::sleep(POLL),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_masters_json() {
        let body = r#"{"url":"spark://10.0.0.2:7077","workers":[
            {"id":"w1","host":"10.0.0.3","state":"ALIVE"},
            {"id":"w0","host":"10.0.0.4","state":"DEAD"},
            {"id":"w2","host":"10.0.0.4","state":"ALIVE"}],
            "aliveworkers":2,"status":"ALIVE"}"#;
        let status = MasterStatus::parse(body).unwrap();
        assert_eq!(status.status, "ALIVE");
        assert!(status.worker_alive("10.0.0.3") && status.worker_alive("10.0.0.4"));
        assert!(!status.worker_alive("10.0.0.5"));
        assert_eq!(status.worker_ids("10.0.0.4"), ["w0", "w2"]);
        assert!(!status.new_worker_alive("10.0.0.4", &["w2".to_string()]), "w0 is dead, w2 was known");
        assert!(MasterStatus::parse("{}").unwrap_err().contains("no \"status\""));
    }

    #[test]
    fn waits_are_bounded() {
        let started = Instant::now();
        let error = wait_until::<()>(Duration::from_millis(500), || Err(Attempt::Retry("not yet".into()))).unwrap_err();
        assert!(error.starts_with("not yet"), "{error}");
        assert!(started.elapsed() < Duration::from_secs(2));
        let error = wait_until::<()>(Duration::from_secs(60), || Err(Attempt::GiveUp("exited".into()))).unwrap_err();
        assert_eq!(error, "exited");
        let mut tries = 0;
        assert_eq!(
            wait_until(Duration::from_secs(5), || {
                tries += 1;
                if tries < 3 { Err(Attempt::Retry("no".into())) } else { Ok(tries) }
            }),
            Ok(3)
        );
    }
}
