//! The async face of the deployer: bounded parallel work over many hosts.

use std::sync::Arc;

use futures::StreamExt;
use futures::stream;

use crate::connect::{ConnectOptions, Connection, HostSpec};
use crate::error::DeployError;
use crate::session_pool::SessionPool;

/// Sent after each host finishes, so a provider can show "3/5 hosts installed".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressUpdate {
    pub host: String,
    /// Hosts finished so far, this one included.
    pub done: usize,
    pub total: usize,
    /// `succeeded`, or `failed: <error>`.
    pub message: String,
}

/// One host's result of a fan-out.
#[derive(Debug)]
pub struct HostOutcome<T> {
    pub host: String,
    pub result: Result<T, DeployError>,
}

/// Runs blocking SSH work on hosts from async code: each piece of work runs on tokio's
/// blocking threads with the host's pooled session.
pub struct Deployer {
    pool: Arc<SessionPool>,
    concurrency: usize,
}

impl Deployer {
    /// A deployer working on at most `concurrency` hosts at once (at least 1).
    pub fn new(options: ConnectOptions, concurrency: usize) -> Self {
        Self { pool: Arc::new(SessionPool::new(options)), concurrency: concurrency.max(1) }
    }

    pub fn pool(&self) -> &SessionPool {
        &self.pool
    }

    pub fn concurrency(&self) -> usize {
        self.concurrency
    }

    /// Runs `work` with `host`'s session on a blocking thread.
    pub async fn on_host<T, W>(&self, host: &HostSpec, work: W) -> Result<T, DeployError>
    where
        T: Send + 'static,
        W: FnOnce(&mut Connection) -> Result<T, DeployError> + Send + 'static,
    {
        let pool = Arc::clone(&self.pool);
        let spec = host.clone();
        tokio::task::spawn_blocking(move || pool.with_connection(&spec, work))
            .await
            .unwrap_or_else(|error| Err(DeployError::Worker { host: host.name.clone(), message: error.to_string() }))
    }

    /// Runs `work` on every host, at most [`Deployer::concurrency`] at once. One host failing
    /// does not stop the others; results come back in the order of `hosts`. `progress` is
    /// called on the calling task after each host finishes.
    pub async fn fan_out<T, W, P>(&self, hosts: &[HostSpec], work: W, progress: P) -> Vec<HostOutcome<T>>
    where
        T: Send + 'static,
        W: Fn(&mut Connection) -> Result<T, DeployError> + Send + Sync + 'static,
        P: Fn(ProgressUpdate),
    {
        let work = Arc::new(work);
        let total = hosts.len();
        let mut finished = stream::iter(hosts.iter().enumerate())
            .map(|(index, host)| {
                let work = Arc::clone(&work);
                async move { (index, self.on_host(host, move |connection| work(connection)).await) }
            })
            .buffer_unordered(self.concurrency);

        let mut results: Vec<Option<Result<T, DeployError>>> = (0..total).map(|_| None).collect();
        let mut done = 0;
        while let Some((index, result)) = finished.next().await {
            done += 1;
            let message = match &result {
                Ok(_) => "succeeded".to_owned(),
                Err(error) => format!("failed: {error}"),
            };
            progress(ProgressUpdate { host: hosts[index].name.clone(), done, total, message });
            results[index] = Some(result);
        }
        hosts
            .iter()
            .zip(results)
            .map(|(host, result)| HostOutcome {
                host: host.name.clone(),
                result: result.expect("every host's future finished"),
            })
            .collect()
    }
}
