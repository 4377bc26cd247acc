//! Combining many fact commands into one script, and splitting its output by section.
//!
//! Section `i` of the script prints, on stdout and on stderr,
//!
//! ```text
//! @strata-fact:<token>:<i>:begin
//! <output of command i>
//! @strata-fact:<token>:<i>:end:<exit code>      (stderr: without the exit code)
//! ```
//!
//! with a newline always printed before the end marker, so the section is exactly the
//! command's output even when it does not end in a newline. Each command runs in a subshell
//! with stdin from `/dev/null`, so an `exit` or a failure cannot stop the other sections.
//! The token is fresh for every gathering, so a file's contents cannot fake a marker.

use crate::facts::FactError;
use crate::shell::quote;

/// What one command of a combined script printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub exit_code: i32,
    pub stdout: String,
    pub stderr: String,
}

fn marker(token: &str, index: usize, edge: &str) -> String {
    format!("@strata-fact:{token}:{index}:{edge}")
}

/// One script running every command in order, each in its own delimited section.
pub fn combine(commands: &[String], token: &str) -> String {
    let mut script = String::new();
    for (index, command) in commands.iter().enumerate() {
        let begin = quote(&marker(token, index, "begin"));
        let end = quote(&marker(token, index, "end"));
        let command = if command.trim().is_empty() { ":" } else { command.as_str() };
        script.push_str(&format!(
            "printf '%s\\n' {begin}; printf '%s\\n' {begin} >&2\n\
             (\n{command}\n) </dev/null\n\
             strata_status=$?\n\
             printf '\\n%s:%s\\n' {end} \"$strata_status\"; printf '\\n%s\\n' {end} >&2\n"
        ));
    }
    script
}

/// Takes the output of a [`combine`]d script of `count` commands apart.
///
/// Every stdout section must be complete (a missing one means the script was cut short);
/// a missing stderr section is read as empty, since stderr may have been truncated.
pub fn split(stdout: &str, stderr: &str, token: &str, count: usize) -> Result<Vec<Section>, FactError> {
    let mut sections = Vec::with_capacity(count);
    let mut stdout_rest = stdout;
    let mut stderr_rest = stderr;
    for index in 0..count {
        let begin = format!("{}\n", marker(token, index, "begin"));
        let end = format!("\n{}:", marker(token, index, "end"));
        let missing = || FactError::MissingSection { index };

        let start = stdout_rest.find(&begin).ok_or_else(missing)? + begin.len();
        let length = stdout_rest[start..].find(&end).ok_or_else(missing)?;
        let section_stdout = &stdout_rest[start..start + length];
        let after_end = &stdout_rest[start + length + end.len()..];
        let status_line = after_end.split('\n').next().unwrap_or("");
        let exit_code = status_line.trim().parse().map_err(|_| missing())?;
        stdout_rest = &after_end[status_line.len()..];

        let stderr_end = format!("\n{}\n", marker(token, index, "end"));
        let mut section_stderr = "";
        if let Some(position) = stderr_rest.find(&begin) {
            let start = position + begin.len();
            if let Some(length) = stderr_rest[start..].find(&stderr_end) {
                section_stderr = &stderr_rest[start..start + length];
                stderr_rest = &stderr_rest[start + length + stderr_end.len()..];
            }
        }
        sections.push(Section { exit_code, stdout: section_stdout.to_owned(), stderr: section_stderr.to_owned() });
    }
    Ok(sections)
}
