//! A command's output line by line as it arrives: [`Connection::run_lines`] runs a command like
//! [`Connection::run`] (same timeout, same bounded [`CommandOutput`]) and hands every line of
//! stdout and stderr to a callback as soon as it is read, so a long job can show progress and
//! keep a whole log while it runs. The callback runs on the thread that reads the channel: it
//! should be quick (append to a file, send on a channel), never block.

use crate::connect::Connection;
use crate::error::DeployError;
use crate::exec::{CommandOutput, ExecOptions};

/// Which stream a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputStream {
    Stdout,
    Stderr,
}

/// Bytes → lines: `\n`-terminated, a trailing `\r` removed, decoded lossily. A line longer
/// than its limit is handed over in pieces of the limit, so memory stays bounded whatever the
/// command writes.
#[derive(Debug)]
pub struct LineSplitter {
    partial: Vec<u8>,
    max_line: usize,
}

impl LineSplitter {
    /// Lines of at most `max_line` bytes (at least 1).
    pub fn new(max_line: usize) -> LineSplitter {
        LineSplitter { partial: Vec::new(), max_line: max_line.max(1) }
    }

    /// Takes the next chunk; `emit` gets each line it completes.
    pub fn push(&mut self, mut bytes: &[u8], emit: &mut dyn FnMut(&str)) {
        while !bytes.is_empty() {
            let room = self.max_line - self.partial.len();
            match bytes.iter().take(room + 1).position(|&byte| byte == b'\n') {
                Some(end) => {
                    self.partial.extend_from_slice(&bytes[..end]);
                    bytes = &bytes[end + 1..];
                    self.emit(emit);
                }
                None if bytes.len() >= room => {
                    self.partial.extend_from_slice(&bytes[..room]);
                    bytes = &bytes[room..];
                    self.emit(emit);
                }
                None => {
                    self.partial.extend_from_slice(bytes);
                    bytes = &[];
                }
            }
        }
    }

    /// The last line, when the output did not end with a newline.
    pub fn finish(&mut self, emit: &mut dyn FnMut(&str)) {
        if !self.partial.is_empty() {
            self.emit(emit);
        }
    }

    fn emit(&mut self, emit: &mut dyn FnMut(&str)) {
        let line = self.partial.strip_suffix(b"\r").unwrap_or(&self.partial);
        emit(&String::from_utf8_lossy(line));
        self.partial.clear();
    }
}

/// The longest line handed to a callback; longer ones come in pieces.
pub const MAX_LINE: usize = 16 * 1024;

impl Connection {
    /// Runs `command` like [`Connection::run`] and calls `on_line` with every line of its
    /// stdout and stderr as it arrives (lines beyond [`ExecOptions::max_output`] too: the limit
    /// bounds what the returned output keeps, not what the callback sees). The lines of a
    /// command that times out are handed over before the error is returned.
    pub fn run_lines(
        &mut self,
        command: &str,
        options: &ExecOptions,
        mut on_line: impl FnMut(OutputStream, &str),
    ) -> Result<CommandOutput, DeployError> {
        let mut stdout = LineSplitter::new(MAX_LINE);
        let mut stderr = LineSplitter::new(MAX_LINE);
        let mut observer = |stream: OutputStream, bytes: &[u8]| {
            let splitter = if stream == OutputStream::Stdout { &mut stdout } else { &mut stderr };
            splitter.push(bytes, &mut |line| on_line(stream, line));
        };
        let result = self.run_observed(command, options, &mut observer);
        stdout.finish(&mut |line| on_line(OutputStream::Stdout, line));
        stderr.finish(&mut |line| on_line(OutputStream::Stderr, line));
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(chunks: &[&[u8]], max_line: usize) -> Vec<String> {
        let mut splitter = LineSplitter::new(max_line);
        let mut lines = Vec::new();
        for chunk in chunks {
            splitter.push(chunk, &mut |line| lines.push(line.to_owned()));
        }
        splitter.finish(&mut |line| lines.push(line.to_owned()));
        lines
    }

    #[test]
    fn lines_are_whole_whatever_the_chunks() {
        assert_eq!(split(&[b"one\ntw", b"o\r\n", b"", b"\nthree"], 100), ["one", "two", "", "three"]);
        assert_eq!(split(&[b"a\n"], 100), ["a"]);
        assert!(split(&[], 100).is_empty());
        assert_eq!(split(&[b"caf\xc3", b"\xa9 \xff\n"], 100), ["café \u{fffd}"]);
    }

    #[test]
    fn long_lines_come_in_pieces_of_the_limit() {
        assert_eq!(split(&[b"abcdefg\nhi"], 3), ["abc", "def", "g", "hi"]);
        assert_eq!(split(&[b"ab", b"cd", b"e\n"], 3), ["abc", "de"]);
        // A line exactly as long as the limit is one line, not a piece and an empty line.
        assert_eq!(split(&[b"abc\nd"], 3), ["abc", "d"]);
    }
}
