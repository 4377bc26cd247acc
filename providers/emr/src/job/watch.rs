//! What happens to each line of a running driver's output as it arrives over SSH ([`Watch`]):
//! it goes to the local log, the lines worth showing go to the progress display (a few a
//! second), the application id is picked up, and the end of each stream is kept for the state
//! and for explaining a failure. Runs on the thread that reads the SSH channel.

use std::time::Instant;

use strata_deploy::OutputStream;
use strata_provider_sdk::Ctx;

use super::driver::{RateLimit, event};
use super::log::DriverLog;

/// How much of the end of each stream is kept in memory.
const TAIL_BYTES: usize = 256 * 1024;

/// The end of a stream, whole lines, about [`TAIL_BYTES`] long.
#[derive(Debug, Default)]
pub struct Tail {
    text: String,
}

impl Tail {
    pub fn push(&mut self, line: &str) {
        self.text.push_str(line);
        self.text.push('\n');
        if self.text.len() > 2 * TAIL_BYTES {
            let mut start = self.text.len() - TAIL_BYTES;
            while !self.text.is_char_boundary(start) {
                start += 1;
            }
            let start = self.text[start..].find('\n').map_or(start, |newline| start + newline + 1);
            self.text.drain(..start);
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }
}

/// A driver's run, line by line.
pub struct Watch {
    pub log: DriverLog,
    pub stdout: Tail,
    pub stderr: Tail,
    /// The Spark application id, from the first line that names one.
    pub application_id: Option<String>,
    progress: Ctx,
    limit: RateLimit,
}

impl Watch {
    /// Progress goes to `progress` (a clone of the request's context).
    pub fn new(log: DriverLog, progress: Ctx) -> Watch {
        Watch {
            log,
            stdout: Tail::default(),
            stderr: Tail::default(),
            application_id: None,
            progress,
            limit: RateLimit::default(),
        }
    }

    pub fn line(&mut self, stream: OutputStream, line: &str) {
        self.log.line(line);
        match stream {
            OutputStream::Stdout => self.stdout.push(line),
            OutputStream::Stderr => self.stderr.push(line),
        }
        if self.application_id.is_none() {
            self.application_id = super::application_id(line);
        }
        if let Some(event) = event(line)
            && self.limit.allow(&event, Instant::now())
        {
            match event.steps {
                Some((done, total)) => self.progress.progress(done, total, event.message),
                None => self.progress.status(event.message),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tail_keeps_whole_lines_at_the_end() {
        let mut tail = Tail::default();
        let line = "x".repeat(1000);
        for _ in 0..1000 {
            tail.push(&line);
        }
        tail.push("last");
        assert!(tail.text().len() <= 2 * TAIL_BYTES + 1001);
        assert!(tail.text().starts_with('x') && tail.text().ends_with("x\nlast\n"));
        assert!(tail.text().lines().all(|l| l == line || l == "last"), "no line is cut");
    }
}
