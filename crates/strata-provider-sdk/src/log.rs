//! The plugin's log: lines on stderr (stdout belongs to the protocol). The engine captures
//! them; `strata --verbose` or `STRATA_LOG=1` shows them as they come.

use std::io::Write;

/// Writes one log line: `LEVEL message`. Never fails (a closed stderr loses the line).
pub fn write(level: &str, message: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{level} {message}");
}

pub fn info(message: &str) {
    write("INFO", message);
}

pub fn warn(message: &str) {
    write("WARN", message);
}

pub fn debug(message: &str) {
    if std::env::var_os("STRATA_LOG").is_some() {
        write("DEBUG", message);
    }
}
