//! Facts about the machine, read from `/proc`, `/sys` and `/run/netns` (no commands run):
//! processes, network namespaces, links, mounts, listening sockets. The parsers are pure and
//! tested; the readers are thin.

use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::record::ProcessId;

/// Where `ip netns` keeps its namespaces.
pub(crate) const NETNS_DIR: &str = "/run/netns";

/// The fields of `/proc/<pid>/stat` we use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ProcStat {
    pub state: char,
    pub parent: u32,
    pub start_time: u64,
}

/// Parses `/proc/<pid>/stat`; the command name (field 2) may hold spaces and parentheses,
/// so fields are counted from the last `)`.
pub(crate) fn parse_stat(text: &str) -> Option<ProcStat> {
    let rest = &text[text.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // `rest` starts at field 3 (state); field N is at index N - 3.
    Some(ProcStat {
        state: fields.first()?.chars().next()?,
        parent: fields.get(1)?.parse().ok()?,
        start_time: fields.get(19)?.parse().ok()?,
    })
}

/// The stat of a process, if it exists (zombies included).
pub(crate) fn stat(pid: u32) -> Option<ProcStat> {
    parse_stat(&std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)
}

/// Whether the process exists and has not exited (a zombie has exited).
pub(crate) fn is_alive(pid: u32) -> bool {
    stat(pid).is_some_and(|stat| !matches!(stat.state, 'Z' | 'X'))
}

/// Whether the process recorded as `id` still runs (same pid, same start time).
pub(crate) fn is_running(id: ProcessId) -> bool {
    stat(id.pid).is_some_and(|stat| !matches!(stat.state, 'Z' | 'X') && stat.start_time == id.start_time)
}

/// The identity of a running process.
pub(crate) fn process_id(pid: u32) -> Option<ProcessId> {
    stat(pid).map(|stat| ProcessId { pid, start_time: stat.start_time })
}

/// The last pid of an `NSpid:` line of `/proc/<pid>/status`: the process's pid in its own
/// (innermost) PID namespace; 1 for the init of a PID namespace.
pub(crate) fn parse_innermost_pid(status: &str) -> Option<u32> {
    let line = status.lines().find_map(|line| line.strip_prefix("NSpid:"))?;
    line.split_whitespace().last()?.parse().ok()
}

/// A process's pid in its own PID namespace.
pub(crate) fn innermost_pid(pid: u32) -> Option<u32> {
    parse_innermost_pid(&std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?)
}

/// Every pid in `/proc`.
fn all_pids() -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    entries.filter_map(|entry| entry.ok()?.file_name().to_str()?.parse().ok()).collect()
}

/// Live processes whose parent is `parent`.
pub(crate) fn children_of(parent: u32) -> Vec<u32> {
    all_pids()
        .into_iter()
        .filter(|pid| stat(*pid).is_some_and(|stat| stat.parent == parent && !matches!(stat.state, 'Z' | 'X')))
        .collect()
}

/// The path of a named network namespace.
pub(crate) fn netns_path(name: &str) -> PathBuf {
    Path::new(NETNS_DIR).join(name)
}

/// The inode of a named network namespace, if it exists.
pub(crate) fn netns_inode(name: &str) -> Option<u64> {
    std::fs::metadata(netns_path(name)).ok().map(|metadata| metadata.ino())
}

/// The inode of a process's network namespace.
pub(crate) fn process_netns_inode(pid: u32) -> Option<u64> {
    let link = std::fs::read_link(format!("/proc/{pid}/ns/net")).ok()?;
    let link = link.to_str()?;
    link.strip_prefix("net:[")?.strip_suffix(']')?.parse().ok()
}

/// Live processes in the network namespace with `inode` (what `ip netns pids` lists).
pub(crate) fn pids_in_netns(inode: u64) -> Vec<u32> {
    all_pids().into_iter().filter(|pid| process_netns_inode(*pid) == Some(inode) && is_alive(*pid)).collect()
}

/// The names of the network namespaces in `/run/netns`.
pub(crate) fn netns_names() -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(NETNS_DIR) else { return Vec::new() };
    entries.filter_map(|entry| entry.ok()?.file_name().into_string().ok()).collect()
}

/// Whether a network link of this name exists in this process's network namespace.
pub(crate) fn link_exists(name: &str) -> bool {
    Path::new("/sys/class/net").join(name).exists()
}

/// Mount points in `mounts` (the text of `/proc/self/mounts`) that are `dir` or under it,
/// deepest first (the order to unmount them in).
pub(crate) fn parse_mounts_under(mounts: &str, dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = mounts
        .lines()
        .filter_map(|line| line.split_whitespace().nth(1))
        .map(|field| PathBuf::from(unescape_mount_field(field)))
        .filter(|mount| mount.starts_with(dir))
        .collect();
    found.sort_by_key(|mount| std::cmp::Reverse(mount.components().count()));
    found.dedup();
    found
}

/// `/proc/mounts` writes space, tab, newline and backslash as octal escapes (`\040`).
fn unescape_mount_field(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let octal = bytes.get(index + 1..index + 4).filter(|digits| digits.iter().all(|d| (b'0'..=b'7').contains(d)));
        match (bytes[index], octal) {
            (b'\\', Some(digits)) => {
                out.push(digits.iter().fold(0u8, |value, digit| value.wrapping_mul(8) + (digit - b'0')));
                index += 4;
            }
            (byte, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Mount points of this process's mount namespace under `dir`, deepest first.
pub(crate) fn mounts_under(dir: &Path) -> Vec<PathBuf> {
    parse_mounts_under(&std::fs::read_to_string("/proc/self/mounts").unwrap_or_default(), dir)
}

/// Whether something accepts TCP connections on `address:port`.
pub(crate) fn tcp_accepting(address: Ipv4Addr, port: u16, timeout: Duration) -> bool {
    TcpStream::connect_timeout(&SocketAddr::from((address, port)), timeout).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_with_odd_command_names() {
        let text = "4242 (sshd: a) b) S 4240 4242 4242 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 987654 9000000 200 \
                    18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
        assert_eq!(parse_stat(text), Some(ProcStat { state: 'S', parent: 4240, start_time: 987654 }));
        assert_eq!(parse_stat("garbage"), None);
    }

    #[test]
    fn innermost_pids() {
        assert_eq!(parse_innermost_pid("Name:\tsd-stubinit\nNSpid:\t4274\t1\nNSsid:\t0\n"), Some(1));
        assert_eq!(parse_innermost_pid("Name:\tsh\nNSpid:\t4278\n"), Some(4278));
        assert_eq!(parse_innermost_pid("Name:\tsh\n"), None);
        assert_eq!(innermost_pid(std::process::id()), Some(std::process::id()));
    }

    #[test]
    fn this_process() {
        let me = std::process::id();
        assert!(is_alive(me));
        assert!(is_running(process_id(me).unwrap()));
        assert!(!is_running(ProcessId { pid: me, start_time: 1 }));
        assert!(process_netns_inode(me).is_some());
    }

    #[test]
    fn mounts_under_a_directory() {
        let mounts = "\
proc /proc proc rw 0 0
/dev/vda /var/lib/strata/t/hosts/h1/fs/tmp ext4 rw 0 0
/dev/vda /var/lib/strata/t/hosts/h1 ext4 rw 0 0
/dev/vda /var/lib/strata/t/hosts/h1/fs/with\\040space ext4 rw 0 0
/dev/vda /var/lib/strata/t/hosts/h10 ext4 rw 0 0
";
        assert_eq!(
            parse_mounts_under(mounts, Path::new("/var/lib/strata/t/hosts/h1")),
            [
                PathBuf::from("/var/lib/strata/t/hosts/h1/fs/tmp"),
                PathBuf::from("/var/lib/strata/t/hosts/h1/fs/with space"),
                PathBuf::from("/var/lib/strata/t/hosts/h1"),
            ]
        );
    }
}
