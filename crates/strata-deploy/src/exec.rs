//! Running one command on a host: exit code, bounded stdout and stderr, and a timeout that
//! kills what the command started.
//!
//! Every command is sent as `printf '%s\n' "$$"; exec /bin/sh -c '<command>'`. sshd starts
//! each command without a terminal in a session of its own, so the shell's pid is also the
//! process group of everything the command starts; the first output line reports it and is
//! removed before the output is returned. On timeout, a second channel sends TERM, then KILL,
//! to that group, so nothing keeps running on the host.

use std::borrow::Cow;
use std::io::{ErrorKind, Read};
use std::thread;
use std::time::{Duration, Instant};

use ssh2::Channel;

use crate::connect::{Connection, millis};
use crate::error::{DeployError, command_summary, stderr_summary};
use crate::shell::quote;
use crate::stream::OutputStream;

/// Sees every chunk of a command's output as it is read (after the pid line), whatever the
/// limits keep.
pub(crate) type Observer<'a> = &'a mut dyn FnMut(OutputStream, &[u8]);

/// Limits for one command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecOptions {
    /// The command is killed and [`DeployError::Timeout`] returned after this long.
    pub timeout: Duration,
    /// At most this many bytes of stdout and of stderr are kept; the rest is read and dropped.
    pub max_output: usize,
}

impl Default for ExecOptions {
    fn default() -> Self {
        Self { timeout: Duration::from_secs(300), max_output: 4 << 20 }
    }
}

impl ExecOptions {
    /// Default limits with another timeout.
    pub fn with_timeout(timeout: Duration) -> Self {
        Self { timeout, ..Self::default() }
    }
}

/// What a finished command left behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandOutput {
    /// The exit status (meaningless when `signal` is set).
    pub exit_code: i32,
    /// The signal that ended the command (`"TERM"`, `"KILL"`), if one did.
    pub signal: Option<String>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// Whether stdout was longer than [`ExecOptions::max_output`] and was cut.
    pub stdout_truncated: bool,
    pub stderr_truncated: bool,
}

impl CommandOutput {
    /// Exit code 0 and no signal.
    pub fn success(&self) -> bool {
        self.exit_code == 0 && self.signal.is_none()
    }

    pub fn stdout_text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.stdout)
    }

    pub fn stderr_text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.stderr)
    }

    /// `exit code 3` or `signal TERM`, for messages.
    pub fn status(&self) -> String {
        match &self.signal {
            Some(signal) => format!("signal {signal}"),
            None => format!("exit code {}", self.exit_code),
        }
    }
}

/// How long killing a timed-out command may take.
const KILL_TIMEOUT: Duration = Duration::from_secs(10);
/// How long closing a timed-out command's channel may take.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(2);
/// Longest pause between polls of a channel with nothing to read.
const MAX_IDLE_WAIT: Duration = Duration::from_millis(20);

impl Connection {
    /// Runs `command` with `/bin/sh` on the host and returns its output, whatever its exit code.
    pub fn run(&mut self, command: &str, options: &ExecOptions) -> Result<CommandOutput, DeployError> {
        self.run_observed(command, options, &mut |_, _| {})
    }

    /// [`Connection::run`], showing `observer` the output as it arrives.
    pub(crate) fn run_observed(
        &mut self,
        command: &str,
        options: &ExecOptions,
        observer: Observer<'_>,
    ) -> Result<CommandOutput, DeployError> {
        let wrapped = format!("printf '%s\\n' \"$$\"; exec /bin/sh -c {}", quote(command));
        match self.exec_channel(&wrapped, options, observer)? {
            Outcome::Finished(output) => Ok(output),
            Outcome::TimedOut { process_group, mut channel } => {
                // Kill first: the channel closes quickly once nothing holds its pipes.
                if let Some(group) = process_group {
                    self.kill_process_group(group);
                }
                self.session.set_timeout(millis(CLOSE_TIMEOUT));
                let _ = channel.close();
                let _ = channel.wait_close();
                Err(DeployError::Timeout {
                    host: self.host.name.clone(),
                    command: command_summary(command),
                    timeout: options.timeout,
                })
            }
        }
    }

    /// Like [`Connection::run`], but a non-zero exit is a [`DeployError::CommandFailed`].
    pub fn run_checked(&mut self, command: &str, options: &ExecOptions) -> Result<CommandOutput, DeployError> {
        let output = self.run(command, options)?;
        if output.success() {
            Ok(output)
        } else {
            Err(DeployError::CommandFailed {
                host: self.host.name.clone(),
                command: command_summary(command),
                status: output.status(),
                stderr: stderr_summary(&output.stderr),
            })
        }
    }

    fn kill_process_group(&mut self, group: u32) {
        // Zombies stay in the group until an init process reaps them; only live members count.
        let live_members = format!(
            "ps -eo pgid=,stat= 2>/dev/null | awk '$1 == {group} && $2 !~ /^Z/ {{ found = 1 }} END {{ exit !found }}'"
        );
        let command = format!(
            "kill -TERM -- -{group} 2>/dev/null; i=0\n\
             while [ $i -lt 30 ] && {live_members}; do sleep 0.1; i=$((i+1)); done\n\
             kill -KILL -- -{group} 2>/dev/null; true"
        );
        // Best effort: the timeout is reported whether or not the kill succeeds.
        let options = ExecOptions { timeout: KILL_TIMEOUT, max_output: 4096 };
        let _ = self.exec_channel(&command, &options, &mut |_, _| {});
    }

    fn exec_channel(
        &mut self,
        command: &str,
        options: &ExecOptions,
        observer: Observer<'_>,
    ) -> Result<Outcome, DeployError> {
        let host = self.host.name.clone();
        let deadline = Instant::now() + options.timeout;
        self.session.set_blocking(true);
        self.session.set_timeout(millis(options.timeout.min(self.io_timeout)));
        let mut channel = self.session.channel_session().map_err(DeployError::ssh(&host, "open a channel"))?;
        channel.exec(command).map_err(DeployError::ssh(&host, "start a command"))?;
        channel.send_eof().map_err(DeployError::ssh(&host, "close the command's input"))?;

        self.session.set_blocking(false);
        let read = read_until_eof(&mut channel, deadline, options.max_output, observer);
        self.session.set_blocking(true);
        let (stdout, stderr) = match read.map_err(DeployError::io(&host, "read a command's output"))? {
            Drained::Finished { stdout, stderr } => (stdout, stderr),
            Drained::Deadline { process_group } => return Ok(Outcome::TimedOut { process_group, channel }),
        };

        let remaining = deadline.saturating_duration_since(Instant::now()).max(Duration::from_secs(1));
        self.session.set_timeout(millis(remaining.min(self.io_timeout)));
        channel.wait_close().map_err(DeployError::ssh(&host, "wait for a command to finish"))?;
        let exit_code = channel.exit_status().map_err(DeployError::ssh(&host, "read a command's exit status"))?;
        let signal = channel.exit_signal().ok().and_then(|signal| signal.exit_signal);
        let (stdout, stdout_truncated) = stdout.into_parts();
        let (stderr, stderr_truncated) = stderr.into_parts();
        Ok(Outcome::Finished(CommandOutput { exit_code, signal, stdout, stderr, stdout_truncated, stderr_truncated }))
    }
}

enum Outcome {
    Finished(CommandOutput),
    TimedOut { process_group: Option<u32>, channel: Channel },
}

enum Drained {
    Finished { stdout: Capture, stderr: Capture },
    Deadline { process_group: Option<u32> },
}

/// Reads both streams of a non-blocking channel until the remote end closes them, or until
/// the deadline, showing `observer` each chunk as it comes.
fn read_until_eof(
    channel: &mut Channel,
    deadline: Instant,
    max_output: usize,
    observer: Observer<'_>,
) -> std::io::Result<Drained> {
    let mut stdout = Capture::with_pid_line(max_output);
    let mut stderr = Capture::new(max_output);
    let mut buffer = vec![0; 32 * 1024];
    let mut idle_wait = Duration::from_millis(1);
    loop {
        let (stdout_read, stdout_done) = read_some(channel, &mut buffer)?;
        let output = stdout.push(&buffer[..stdout_read]);
        if !output.is_empty() {
            observer(OutputStream::Stdout, output);
        }
        let (stderr_read, stderr_done) = read_some(&mut channel.stderr(), &mut buffer)?;
        let output = stderr.push(&buffer[..stderr_read]);
        if !output.is_empty() {
            observer(OutputStream::Stderr, output);
        }
        if stdout_done && stderr_done {
            return Ok(Drained::Finished { stdout, stderr });
        }
        if stdout_read + stderr_read > 0 {
            idle_wait = Duration::from_millis(1);
            continue;
        }
        if Instant::now() >= deadline {
            return Ok(Drained::Deadline { process_group: stdout.process_group });
        }
        thread::sleep(idle_wait.min(deadline.saturating_duration_since(Instant::now())));
        idle_wait = (idle_wait * 2).min(MAX_IDLE_WAIT);
    }
}

/// One non-blocking read: (bytes read, whether the stream has ended).
fn read_some(stream: &mut impl Read, buffer: &mut [u8]) -> std::io::Result<(usize, bool)> {
    match stream.read(buffer) {
        Ok(0) => Ok((0, true)),
        Ok(read) => Ok((read, false)),
        Err(error) if error.kind() == ErrorKind::WouldBlock => Ok((0, false)),
        Err(error) => Err(error),
    }
}

/// One output stream, kept up to a limit; for stdout, the leading pid line is taken apart.
struct Capture {
    data: Vec<u8>,
    limit: usize,
    truncated: bool,
    /// `Some` while the pid line is still being read.
    pid_line: Option<Vec<u8>>,
    process_group: Option<u32>,
}

impl Capture {
    fn new(limit: usize) -> Self {
        Self { data: Vec::new(), limit, truncated: false, pid_line: None, process_group: None }
    }

    fn with_pid_line(limit: usize) -> Self {
        Self { pid_line: Some(Vec::new()), ..Self::new(limit) }
    }

    /// Keeps what fits of `bytes`; returns the command's output among them (all but the pid
    /// line).
    fn push<'b>(&mut self, mut bytes: &'b [u8]) -> &'b [u8] {
        if let Some(line) = &mut self.pid_line {
            match bytes.iter().position(|&byte| byte == b'\n') {
                Some(end) => {
                    line.extend_from_slice(&bytes[..end]);
                    self.process_group = std::str::from_utf8(line).ok().and_then(|text| text.trim().parse().ok());
                    self.pid_line = None;
                    bytes = &bytes[end + 1..];
                }
                None => {
                    line.extend_from_slice(bytes);
                    return &[];
                }
            }
        }
        let room = self.limit.saturating_sub(self.data.len());
        if bytes.len() > room {
            self.truncated = true;
        }
        self.data.extend_from_slice(&bytes[..bytes.len().min(room)]);
        bytes
    }

    fn into_parts(self) -> (Vec<u8>, bool) {
        (self.data, self.truncated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capture_takes_the_pid_line_apart_and_bounds_the_rest() {
        let mut capture = Capture::with_pid_line(5);
        assert_eq!(capture.push(b"12"), b"");
        assert_eq!(capture.push(b"34\nhel"), b"hel");
        assert_eq!(capture.push(b"lo world"), b"lo world", "observers see what the limit drops");
        assert_eq!(capture.process_group, Some(1234));
        let (data, truncated) = capture.into_parts();
        assert_eq!(data, b"hello");
        assert!(truncated);
    }
}
