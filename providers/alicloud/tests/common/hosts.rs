//! What the tests with real hosts share: whether this process may make them, a free address
//! block, commands on an instance over SSH, and an HTTP file server on the vSwitch's gateway
//! (an artifact mirror the instances reach).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// Whether this process is root (hosts need it); under CI it must be.
pub fn is_root() -> bool {
    let root = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| status.lines().find(|line| line.starts_with("Uid:")).map(str::to_string))
        .is_some_and(|line| line.split_whitespace().nth(2) == Some("0"));
    assert!(root || std::env::var_os("CI").is_none(), "the emulator's real hosts must be tested as root under CI");
    root
}

/// stdout and stderr of `program ARGS`.
pub fn output(program: &str, args: &[&str]) -> String {
    let output = Command::new(program).args(args).output().unwrap();
    String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr)
}

/// `10.<second>.X.0/24` for the first X no route or address of this machine touches.
pub fn free_block(second: u8) -> String {
    let used = output("ip", &["-4", "route", "show", "table", "all"]) + &output("ip", &["-4", "address", "show"]);
    let start = std::process::id() % 250;
    (0..250)
        .map(|offset| (start + offset) % 250)
        .map(|third| format!("10.{second}.{third}."))
        .find(|prefix| !used.contains(prefix.as_str()))
        .map(|prefix| format!("{prefix}0/24"))
        .unwrap_or_else(|| panic!("a free 10.{second}.X.0/24"))
}

/// `command` on `ip` as root with `key` (OpenSSH, at most `seconds`): exit code and stdout +
/// stderr.
pub fn ssh(key: &Path, ip: &str, command: &str, seconds: u32) -> (i32, String) {
    let options = ["-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"];
    let output = Command::new("timeout")
        .arg(seconds.to_string())
        .args(["ssh", "-q", "-i"])
        .arg(key)
        .args(options)
        .args(["-o", "ConnectTimeout=5"])
        .arg(format!("root@{ip}"))
        .arg(command)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    (output.status.code().unwrap_or(-1), text)
}

/// Python's HTTP file server for `directory` on `ip` (bound with `IP_FREEBIND`: the vSwitch's
/// gateway address exists once its first instance is made), on a port the kernel picks,
/// ended after 30 minutes at the latest or when dropped.
pub struct Mirror {
    child: Child,
    pub base: String,
}

const SERVER: &str = r#"
import functools, http.server, signal, socket, socketserver, sys
signal.alarm(1800)  # bounded, whatever happens to the test
directory, ip = sys.argv[1], sys.argv[2]
class Server(http.server.ThreadingHTTPServer):
    def server_bind(self):
        self.socket.setsockopt(socket.SOL_IP, 15, 1)  # IP_FREEBIND
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]
server = Server((ip, 0), functools.partial(http.server.SimpleHTTPRequestHandler, directory=directory))
print(server.server_address[1], flush=True)
server.serve_forever()
"#;

impl Mirror {
    pub fn serve(directory: &Path, ip: &str, log: &Path) -> Mirror {
        let log = std::fs::File::create(log).unwrap();
        let mut child = Command::new("python3")
            .args(["-c", SERVER])
            .arg(directory)
            .arg(ip)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port: u16 = line.trim().parse().unwrap_or_else(|_| panic!("the mirror's port, not {line:?}"));
        Mirror { child, base: format!("http://{ip}:{port}") }
    }
}

impl Drop for Mirror {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// ZooKeeper's answer to `ruok` on `address` (`IP:PORT`).
pub fn ruok(address: &str) -> String {
    use std::io::{Read, Write};
    let address: std::net::SocketAddr = address.parse().unwrap();
    let timeout = std::time::Duration::from_secs(5);
    let mut stream = std::net::TcpStream::connect_timeout(&address, timeout).unwrap();
    stream.set_read_timeout(Some(timeout)).unwrap();
    stream.write_all(b"ruok").unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}
