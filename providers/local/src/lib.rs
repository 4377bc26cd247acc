//! Hosts on this machine made from Linux namespaces, each with its own address, hostname,
//! process table, directories and sshd (optionally a whole root file system of its own:
//! [`Isolation::Container`]), and the `local` provider that offers them as the resource
//! `local_host` ([`provider::LocalProvider`], served as the plugin `strata-provider-local` by
//! `src/main.rs`; user documentation in `docs/local-provider.md`). The same provider offers
//! object storage on this machine, `local_bucket` and `local_bucket_object` ([Buckets](#buckets)).
//!
//! The machinery's entry point is [`Network::open`]; then [`Network::create_host`] (or
//! [`Network::create_host_with`] an [`Isolation`]), [`Network::status`], [`Network::inspect`],
//! [`Network::destroy_host`], and [`gc`] / [`gc_network`] for whatever the caller's state no
//! longer knows. The calls are synchronous (an async caller runs them with `spawn_blocking`,
//! as the provider does) and every wait is bounded.
//!
//! # What a host is
//!
//! A network owns a bridge (`strata-br` + 6 hex digits, gateway `.1` of its subnet, default
//! [`DEFAULT_SUBNET`] `10.231.0.0/24`) and an ed25519 client key pair. Each host gets:
//!
//! - a network namespace `strata.<network>.<host id>` joined to the bridge by a veth pair
//!   (`st` + 13 hex digits on the bridge, `eth0` inside with the host's address, `lo` up, a
//!   default route via the gateway). `eth0`'s MAC address follows from its IP address
//!   (`02:5a` and the address's four bytes), so a host made on the address of a destroyed
//!   one is reachable at once through the neighbour entries the machine and the other hosts
//!   still hold;
//! - inside it, `unshare --uts --mount --pid --fork --mount-proc --propagation private`
//!   running a setup script that sets the hostname, binds the host's own directories from
//!   `STATE_DIR/hosts/<id>/fs/` over `/opt`, `/var/lib`, `/var/log`, `/root`, `/etc/ssh`,
//!   `/run`, `/etc/hosts`, `/etc/hostname`, `/etc/resolv.conf` and `/tmp`, and `exec`s
//!   `/usr/sbin/sshd -D -e`, which stays PID 1 of the host's PID namespace (killing it ends
//!   every process of the host);
//! - an sshd listening on the host's address, port 22, with its own ed25519 host key, root
//!   login by key only (the network's client key), `internal-sftp`;
//! - an `/etc/hosts` listing every host of the network, rewritten in place on every host
//!   whenever one is added or removed, and an `/etc/resolv.conf` whose loopback nameserver
//!   refuses at once: hosts have no route beyond their network (no NAT), and a lookup
//!   `/etc/hosts` cannot answer would otherwise wait 10 s for the machine's nameserver.
//!
//! sshd's files are inside the host's own `/etc/ssh`, `/run` and `/root`, so they stay
//! reachable after the binds (the bind over `/var/lib` hides the default state directory;
//! binds that hide the per-host sources are made last). Hosts share the rest of the machine's
//! file system (`/usr`, `/etc`): install software under the host's `/opt`, not with apt.
//!
//! # Container hosts
//!
//! [`Isolation::Container`] keeps all of the above except the binds and the setup script: the
//! host's root is an overlay of the cached base root file system ([`rootfs`]: Debian bookworm
//! made once per machine with debootstrap under `/var/lib/strata/cache/rootfs`, about 45 s)
//! below and the host's `fs/` directory above, where its sshd configuration, keys, hostname
//! and `/etc/hosts` are written before it starts. The launcher joins the host's cgroups (a
//! container host also gets cgroups in the `name=systemd` and unified hierarchies, where
//! nspawn makes its `supervisor` and `payload` children) and `exec`s `systemd-nspawn
//! --register=no --keep-unit --as-pid2 --network-namespace-path=... --overlay=BASE:UPPER:/`
//! (`nspawn`), which stays outside the host's namespaces as its supervisor; nspawn's stub
//! init is the host's PID 1 (its init), sshd PID 2. Trying it here: nspawn without
//! `--register=no` fails (no D-Bus), locks the base exclusively unless
//! `SYSTEMD_NSPAWN_LOCK=0`, and splits the cgroup it starts in into `supervisor`/`payload`,
//! hence per-host systemd cgroups; killing the stub init ends the container and nspawn cleans
//! up and exits within about 70 ms, while a SIGTERM shutdown takes about 1.7 s.
//!
//! Every host has a JSON record (`STATE_DIR/hosts/<id>/host.json`: address, hostname,
//! network, names, cgroups, init and launcher pids with start times), written before anything
//! is made, so a crash never leaves something unfindable. The state directory defaults to
//! [`DEFAULT_STATE_DIR`] and must not be under `/tmp`. Network names identify a network on
//! the whole machine.
//!
//! # Limits (instance types and cgroups)
//!
//! [`INSTANCE_TYPES`] lists the sizes (`local.c1m1` = 1 vCPU, 1 GiB, up to `local.c4m16`).
//! Each controller is taken from cgroup v2 if the unified hierarchy offers it, else from
//! cgroup v1, else it is not enforced; [`HostInfo::limits`] says what is. The launcher joins
//! the host's cgroups before it enters the namespaces, so every process of the host is in
//! them. Findings on the development VM (kernel 6.18, hybrid v1/v2, root without
//! CAP_SYS_RESOURCE):
//!
//! - cgroup v2 (`/sys/fs/cgroup/unified`) offers only `hugetlb`: memory and cpu are bound to
//!   v1 hierarchies, and writing `+memory` to its `cgroup.subtree_control` fails (ENOENT).
//!   `memory.max`/`cpu.max` are therefore unavailable; the v2 path is implemented for pure-v2
//!   machines and covered by plan tests only.
//! - cgroup v1 memory works: a child of the caller's memory cgroup with
//!   `memory.limit_in_bytes` and `memory.memsw.limit_in_bytes` (swap accounting is on) is
//!   enforced; a process allocating past it is OOM-killed (`memory.oom_control` counts it).
//!   The host cgroup nests under the caller's (here the session's `/process_api/<id>`), so
//!   hosts also stay inside any limit on their creator.
//! - cgroup v1 cpu works: `cpu.cfs_quota_us` / `cpu.cfs_period_us` throttle to the quota
//!   (`cpu.stat` `nr_throttled` grows); two busy loops for 1 s use 2.0 CPU-seconds outside a
//!   host and under 1.2 inside a `local.c1m1` host (`tests/limits.rs`).
//! - Not enforced: CPU pinning (cpuset), I/O (blkio), process counts (pids), disk space.
//!
//! # Requirements and errors
//!
//! Root (CAP_SYS_ADMIN and CAP_NET_ADMIN), else [`Error::NotPrivileged`] says so;
//! `/usr/sbin/sshd` (Debian package openssh-server, installed by `.ci/install-host-deps.sh`),
//! else [`Error::SshdMissing`]; `ip`, `unshare`, `ssh-keygen`, `kill`. Container hosts also
//! need `systemd-nspawn` (systemd-container) and, until the base is cached, `debootstrap`
//! ([`check_container_requirements`]; [`Error::ToolMissing`] names the package).
//!
//! # Teardown
//!
//! [`Network::destroy_host`] SIGKILLs the host's init (the kernel then kills its whole PID
//! namespace), waits for it to be reaped, SIGKILLs whatever else is in its network namespace,
//! unmounts anything left under its directory, deletes the veth and the namespace, removes its
//! cgroups and directory, rewrites the other hosts' `/etc/hosts`, and deletes the bridge with
//! the network's last host; it then checks that nothing is left. A container host's supervisor
//! is given up to 2 s after its init is killed to clean up and exit before it is killed too;
//! its runtime directory and child cgroups are removed if it could not. The launcher of a host this
//! process started is reaped here; one started by an earlier process was reparented to PID 1
//! and is reaped by it (this VM's PID 1 does so late, so it can show as a zombie, holding
//! nothing, for a while).
//!
//! # Buckets
//!
//! A bucket is a directory `BUCKET_ROOT/<name>` ([`buckets::DEFAULT_BUCKET_ROOT`]:
//! `/mnt/buckets`), an object a file in it. `/mnt` is not among the paths a namespace host
//! binds privately (`layout::BIND_TARGETS`), so every namespace host sees the same directory at
//! the same path: every node of a cluster reads the same input. Container hosts do not (their
//! root is an overlay; nothing binds the bucket root into it yet). Ownership records live under
//! the state directory (`STATE_DIR/buckets/<name>.json`), never in the bucket, so a bucket's
//! listing holds only its objects. Names and keys follow OSS ([`bucket_names`]); objects are
//! written atomically ([`bucket_objects`]). No root is needed with a bucket root and a state
//! directory the caller may write.
//!
//! # Code map
//!
//! Pure planners, tested with fixtures (`testdata/local-hosts/`): [`subnet`] (addresses,
//! overlap), `names`, `layout`, `sshd_config`, `setup_script`, `nspawn` (a container host's
//! launch), `hosts_file`, `create_plan`, `bridge`, `teardown::plan`, `cgroups::plan`,
//! `status::decide`, [`fingerprint`], the plans of [`routing`] (two networks linked through
//! this machine: per-bridge forwarding and policy rules scoped to their subnets). Thin
//! runners: `runner` (commands with time limits), `facts` (reads `/proc`, `/sys`,
//! `/run/netns`), `record` and `state_dir` (the files under the state directory), `lock` (the
//! network lock, also the base root file system's), [`rootfs`] (build and cache the base),
//! `launchers` (reaping), `host` (create), `inspect` (a host however broken), `keyscan` (the
//! key an sshd presents), `teardown` (execute), [`network`],
//! [`gc`]. [`Isolation`] names the two kinds of host. Buckets: [`bucket_names`] (pure, fixtures
//! in `testdata/local-buckets/names.json`), [`buckets`] (layout, records, bucket directories),
//! [`bucket_objects`] (atomic writes, digests, pruning).
//!
//! The provider ([`provider`]): `settings` (the provider block, the network's name),
//! `schema`, `host_resource` (pure: plan, status, state values; fixtures in
//! `testdata/local-provider/plan.json`), `install` (`auto_install`), `machine` (blocking work:
//! opening the network, readying container hosts, create or adopt), and `mod.rs` (the
//! `Provider` trait over the machinery; requests for bucket types go to `bucket` and
//! `bucket_object`, typed SDK resources). Real hosts: `tests/` (`containers.rs` for container
//! hosts). End to end through `strata`: `crates/strata-cli/tests/local_hosts.rs`,
//! `local_containers.rs` and `local_buckets.rs` (no root needed).

mod bridge;
pub mod bucket_names;
pub mod bucket_objects;
pub mod buckets;
mod cgroups;
mod create_plan;
mod error;
mod facts;
pub mod fingerprint;
mod gc;
mod host;
mod hosts_file;
mod inspect;
mod instance_types;
mod isolation;
mod keyscan;
mod launchers;
mod layout;
mod lock;
mod names;
pub mod network;
mod nspawn;
mod privileges;
pub mod provider;
mod record;
pub mod rootfs;
pub mod routing;
mod runner;
mod setup_script;
mod sshd_config;
mod state_dir;
mod status;
pub mod subnet;
mod teardown;

pub use cgroups::Limits;
pub use error::{Error, Result};
pub use fingerprint::ssh_host_key_fingerprint;
pub use gc::{GcReport, gc, gc_network};
pub use host::{HostInfo, HostSpec};
pub use inspect::HostReport;
pub use instance_types::{INSTANCE_TYPES, InstanceType, instance_type};
pub use isolation::Isolation;
pub use keyscan::presented_host_key_fingerprint;
pub use names::{bridge_name, machine_name, netns_name, veth_name};
pub use network::{DEFAULT_STATE_DIR, Network};
pub use privileges::check as check_requirements;
pub use privileges::check_container as check_container_requirements;
pub use rootfs::{BOOKWORM, BOOKWORM_COMPONENTS, BaseRootfs, DEFAULT_ROOTFS_CACHE};
pub use sshd_config::SSH_PORT;
pub use state_dir::check_state_dir;
pub use status::HostStatus;
pub use subnet::{DEFAULT_SUBNET, Subnet};
