//! Times local hosts: for each N given (default 10), five rounds of creating N hosts at once
//! until each accepts a TCP connection on port 22, then destroying them all at once; prints
//! the median create+ready and destroy times. Needs root.
//!
//! `--isolation container` times container hosts instead; their base root file system is
//! made first if it is not cached (its build time is printed, and not counted in the rounds).
//!
//! ```text
//! cargo run --release -p strata-provider-local --example host_bench -- 10 50
//! cargo run --release -p strata-provider-local --example host_bench -- --isolation container 2 10
//! ```

use std::io::Write as _;
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use strata_provider_local::{BOOKWORM, HostInfo, HostSpec, Isolation, Network, SSH_PORT, gc};

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
    let mut isolation = Isolation::Namespace;
    let mut counts = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--isolation" => isolation = args.next().ok_or("--isolation needs a value")?.parse()?,
            count => counts.push(count.parse::<usize>()?),
        }
    }
    if counts.is_empty() {
        counts.push(10);
    }
    let state_dir = PathBuf::from(format!("/var/lib/strata/bench-{}", std::process::id()));
    let _cleanup = Cleanup(state_dir.clone());
    let network = Network::open(&state_dir, &format!("bench{}", std::process::id()), Some("10.230.0.0/22".parse()?))?;
    let mut out = std::io::stdout().lock();
    if isolation == Isolation::Container {
        let cache = network.rootfs_cache();
        if BOOKWORM.is_built(cache) {
            writeln!(out, "base root file system: cached in {}", BOOKWORM.dir(cache).display())?;
        } else {
            let start = Instant::now();
            let dir = BOOKWORM.ensure(cache)?;
            writeln!(
                out,
                "base root file system: built in {:.1} s ({})",
                start.elapsed().as_secs_f64(),
                dir.display()
            )?;
        }
    }
    writeln!(
        out,
        "{:>5}  {:>18}  {:>12}  ({isolation} hosts, median of {ROUNDS} rounds)",
        "hosts", "create+ready (s)", "destroy (s)"
    )?;
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
            let hosts: Vec<HostInfo> =
                network.create_hosts_with(&specs, isolation).into_iter().collect::<Result<_, _>>()?;
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
