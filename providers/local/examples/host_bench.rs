//! Times local hosts: for each N given (default 10), five rounds of creating N hosts at once
//! until each accepts a TCP connection on port 22, then destroying them all at once; prints
//! the median create+ready and destroy times. Needs root.
//!
//! ```text
//! cargo run --release -p strata-provider-local --example host_bench -- 10 50
//! ```

use std::io::Write as _;
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use strata_provider_local::{HostInfo, HostSpec, Network, SSH_PORT, gc};

const ROUNDS: usize = 5;

/// Removes the benchmark's hosts and state directory however the program ends.
struct Cleanup(PathBuf);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = gc(&self.0, &[]);
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let counts: Vec<usize> = std::env::args().skip(1).map(|arg| arg.parse()).collect::<Result<_, _>>()?;
    let counts = if counts.is_empty() { vec![10] } else { counts };
    let state_dir = PathBuf::from(format!("/var/lib/strata/bench-{}", std::process::id()));
    let _cleanup = Cleanup(state_dir.clone());
    let network = Network::open(&state_dir, &format!("bench{}", std::process::id()), Some("10.230.0.0/22".parse()?))?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{:>5}  {:>18}  {:>12}  (median of {ROUNDS} rounds)", "hosts", "create+ready (s)", "destroy (s)")?;
    for count in counts {
        let specs: Vec<HostSpec> = (0..count)
            .map(|index| HostSpec {
                id: format!("b{index}"),
                hostname: format!("bench-{index}"),
                instance_type: "local.c1m1".into(),
            })
            .collect();
        let mut creates = Vec::new();
        let mut destroys = Vec::new();
        for _ in 0..ROUNDS {
            let start = Instant::now();
            let hosts: Vec<HostInfo> = network.create_hosts(&specs).into_iter().collect::<Result<_, _>>()?;
            for host in &hosts {
                wait_accepting(host)?;
            }
            creates.push(start.elapsed());

            let start = Instant::now();
            std::thread::scope(|scope| {
                let handles: Vec<_> = hosts.iter().map(|host| scope.spawn(|| network.destroy_host(&host.id))).collect();
                handles.into_iter().try_for_each(|handle| handle.join().expect("destroy thread"))
            })?;
            destroys.push(start.elapsed());
        }
        writeln!(out, "{count:>5}  {:>18.3}  {:>12.3}", median(&mut creates), median(&mut destroys))?;
    }
    Ok(())
}

fn wait_accepting(host: &HostInfo) -> Result<(), String> {
    let address = SocketAddr::from((host.ip, SSH_PORT));
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect_timeout(&address, Duration::from_millis(500)).is_err() {
        if Instant::now() > deadline {
            return Err(format!("{address} does not accept connections"));
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    Ok(())
}

fn median(samples: &mut [Duration]) -> f64 {
    samples.sort();
    samples[samples.len() / 2].as_secs_f64()
}
