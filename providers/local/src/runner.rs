//! The thin layer that runs commands: [`CommandSpec`] is a command as data (what the pure
//! planners produce and the fixtures compare), [`run`] executes one with a time limit.

use std::fmt;
use std::io::{Read, Write};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// How long a single administrative command (`ip`, `ssh-keygen`, `kill`, ...) may take.
pub(crate) const COMMAND_TIMEOUT: Duration = Duration::from_secs(20);

/// A command to run: program, arguments and optional standard input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CommandSpec {
    pub program: String,
    pub args: Vec<String>,
    pub stdin: Option<String>,
}

impl CommandSpec {
    pub(crate) fn new(program: &str, args: &[&str]) -> CommandSpec {
        CommandSpec {
            program: program.to_string(),
            args: args.iter().map(|arg| arg.to_string()).collect(),
            stdin: None,
        }
    }

    pub(crate) fn with_stdin(mut self, stdin: String) -> CommandSpec {
        self.stdin = Some(stdin);
        self
    }

    /// A [`Command`] for this spec, standard input not yet set.
    pub(crate) fn command(&self) -> Command {
        let mut command = Command::new(&self.program);
        command.args(&self.args);
        command
    }
}

impl fmt::Display for CommandSpec {
    /// Shell syntax; a standard input is shown as a here-string.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", shell_quote(&self.program))?;
        for arg in &self.args {
            write!(f, " {}", shell_quote(arg))?;
        }
        if let Some(stdin) = &self.stdin {
            write!(f, " <<< {}", shell_quote(stdin))?;
        }
        Ok(())
    }
}

/// `text` as one shell word: unchanged when it is plainly safe, single-quoted otherwise.
pub(crate) fn shell_quote(text: &str) -> String {
    let safe = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '-' | '_' | ':' | '=' | '+' | ','));
    if safe { text.to_string() } else { format!("'{}'", text.replace('\'', r"'\''")) }
}

/// Runs `spec` to completion within `timeout` and returns its standard output; a non-zero
/// exit is an [`Error::Command`] carrying standard error.
pub(crate) fn run(spec: &CommandSpec, timeout: Duration) -> Result<String> {
    let output = run_unchecked(spec, timeout)?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(Error::Command { command: spec.to_string(), status: output.status.to_string(), stderr: output.stderr })
    }
}

/// What a finished command produced.
#[derive(Debug)]
pub(crate) struct Output {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `spec` within `timeout`, whatever its exit status.
pub(crate) fn run_unchecked(spec: &CommandSpec, timeout: Duration) -> Result<Output> {
    let mut command = spec.command();
    command.stdin(if spec.stdin.is_some() { Stdio::piped() } else { Stdio::null() });
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().map_err(|source| Error::Spawn { program: spec.program.clone(), source })?;
    if let (Some(input), Some(mut stdin)) = (&spec.stdin, child.stdin.take()) {
        // Inputs are a few lines of `ip -batch`: far below a pipe's capacity.
        let _ = stdin.write_all(input.as_bytes());
    }
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let status = match wait_with_timeout(&mut child, timeout) {
        Some(status) => status,
        None => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(Error::Timeout { command: spec.to_string(), timeout });
        }
    };
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    Ok(Output { status, stdout, stderr: stderr.trim().to_string() })
}

fn drain(stream: Option<impl Read + Send + 'static>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut stream) = stream {
            let mut bytes = Vec::new();
            let _ = stream.read_to_end(&mut bytes);
            text = String::from_utf8_lossy(&bytes).into_owned();
        }
        text
    })
}

/// Waits for `child` to exit, polling with a growing interval; `None` when `timeout` passes.
pub(crate) fn wait_with_timeout(child: &mut Child, timeout: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + timeout;
    let mut interval = Duration::from_micros(200);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) => {}
            Err(_) => return None,
        }
        if Instant::now() >= deadline {
            return None;
        }
        thread::sleep(interval);
        interval = (interval * 2).min(Duration::from_millis(10));
    }
}

/// Polls `ready` until it returns `Some`, at most until `timeout` (and at most 100 000 times).
pub(crate) fn poll<T>(timeout: Duration, mut ready: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + timeout;
    let mut interval = Duration::from_micros(500);
    for _ in 0..100_000 {
        if let Some(value) = ready() {
            return Some(value);
        }
        if Instant::now() >= deadline {
            return None;
        }
        thread::sleep(interval);
        interval = (interval * 3 / 2).min(Duration::from_millis(20));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(shell_quote("/usr/sbin/sshd"), "/usr/sbin/sshd");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
        let spec = CommandSpec::new("ip", &["-batch", "-"]).with_stdin("link set lo up\n".into());
        assert_eq!(spec.to_string(), "ip -batch - <<< 'link set lo up\n'");
    }

    #[test]
    fn runs_and_reports() {
        assert_eq!(run(&CommandSpec::new("echo", &["hi"]), COMMAND_TIMEOUT).unwrap(), "hi\n");
        let cat = CommandSpec::new("cat", &[]).with_stdin("in".into());
        assert_eq!(run(&cat, COMMAND_TIMEOUT).unwrap(), "in");
        let error = run(&CommandSpec::new("sh", &["-c", "echo bad >&2; exit 3"]), COMMAND_TIMEOUT).unwrap_err();
        assert!(matches!(&error, Error::Command { stderr, .. } if stderr == "bad"), "{error}");
        let error = run(&CommandSpec::new("sleep", &["5"]), Duration::from_millis(50)).unwrap_err();
        assert!(matches!(error, Error::Timeout { .. }), "{error}");
        assert!(matches!(run(&CommandSpec::new("/nonexistent", &[]), COMMAND_TIMEOUT), Err(Error::Spawn { .. })));
    }
}
