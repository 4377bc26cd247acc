//! What a job's driver says, read as it runs: pure functions over its output lines, tested with
//! captured driver logs (`testdata/emr/jobs/`).
//!
//! - [`wrap`]: the command run on the master, keeping the whole log in the job's directory;
//! - [`event`]: a line worth showing in the progress display (the application id, a Spark job
//!   started or finished, tasks of a stage, an error), and [`RateLimit`] so a chatty driver
//!   shows a few lines a second;
//! - [`error_lines`]: the lines that say why a driver failed, for the diagnostic.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use strata_deploy::shell_quote;

/// The driver's whole log (stdout and stderr, as written) in the job's directory on the master.
pub const DRIVER_LOG: &str = "driver.log";
/// Where the wrapper keeps the driver's exit code while `tee` copies its output.
const EXIT_CODE_FILE: &str = ".exit_code";
/// At most this many lines explain a failure.
const ERROR_LINES: usize = 40;
/// A line of an explanation is cut after this many characters.
const ERROR_LINE_CHARS: usize = 300;

/// `command`, run in `directory`, with its stdout and stderr still separate for the caller and
/// both appended to [`DRIVER_LOG`] (mode 0600) as they come; exits with the command's exit
/// code. Plain POSIX sh (no `pipefail`): the code goes through a file, and the command runs in
/// a subshell so that an `exit` in it cannot skip writing the file.
pub fn wrap(directory: &str, command: &str) -> String {
    format!(
        "cd {directory} && : > {DRIVER_LOG} && chmod 600 {DRIVER_LOG} && rm -f {EXIT_CODE_FILE} && \
         {{ {{ ( {command} ); echo $? > {EXIT_CODE_FILE}; }} 2>&1 1>&3 3>&- | tee -a {DRIVER_LOG} >&2; }} 3>&1 \
         | tee -a {DRIVER_LOG}; exit \"$(cat {EXIT_CODE_FILE} 2>/dev/null || echo 125)\"",
        directory = shell_quote(directory),
    )
}

/// A line worth showing while the job runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub message: String,
    /// Tasks finished and in all, for a stage's progress.
    pub steps: Option<(u64, u64)>,
    /// Shown even when lines come fast (the application id, a job's start and end, errors).
    pub milestone: bool,
}

impl Event {
    fn milestone(message: impl Into<String>) -> Event {
        Event { message: message.into(), steps: None, milestone: true }
    }

    fn progress(message: impl Into<String>, steps: Option<(u64, u64)>) -> Event {
        Event { message: message.into(), steps, milestone: false }
    }
}

/// A log4j line of Spark's (`26/11/26 10:33:21 INFO DAGScheduler: Job 0 finished: ...`) as
/// (level, logger, message).
fn log_line(line: &str) -> Option<(&str, &str, &str)> {
    let mut parts = line.splitn(5, ' ');
    let (date, time, level, logger, message) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let digits = |text: &str, separator: char| {
        text.len() == 8 && text.split(separator).all(|part| part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit()))
    };
    let known_level = matches!(level, "TRACE" | "DEBUG" | "INFO" | "WARN" | "ERROR" | "FATAL");
    (digits(date, '/') && digits(time, ':') && known_level).then_some((level, logger.strip_suffix(':')?, message))
}

/// The number after `prefix` at the start of `text`, and the rest.
fn number_after<'a>(text: &'a str, prefix: &str) -> Option<(&'a str, &'a str)> {
    let rest = text.strip_prefix(prefix)?;
    let end = rest.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(rest.len());
    (end > 0).then(|| rest.split_at(end))
}

/// `(3/4)` at the end of a line.
fn trailing_count(text: &str) -> Option<(u64, u64)> {
    let inner = text.trim_end().strip_suffix(')')?;
    let (done, total) = inner[inner.rfind('(')? + 1..].split_once('/')?;
    Some((done.parse().ok()?, total.parse().ok()?))
}

/// Whether a line reads like an exception or error report (`ValueError: ...`,
/// `org.apache.spark.SparkException: ...`, `Error: Failed to load class ...`).
fn is_exception(line: &str) -> bool {
    if line.starts_with("Exception in thread") || line.starts_with("Caused by: ") {
        return true;
    }
    let Some((name, _)) = line.split_once(':') else { return false };
    !name.is_empty()
        && !name.contains(char::is_whitespace)
        && (name.ends_with("Error") || name.ends_with("Exception") || name.ends_with("Exit"))
}

/// Whether a line starts a Spark error report (`[TABLE_OR_VIEW_NOT_FOUND] The table ...`).
fn is_error_class(line: &str) -> bool {
    line.strip_prefix('[').and_then(|rest| rest.split_once("] ")).is_some_and(|(class, _)| {
        !class.is_empty()
            && class.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_' || b == b'.')
    })
}

/// Lines every driver prints that never explain a failure.
const NOISE: &[&str] = &[
    "WARNING: Using incubator modules",
    "Using Spark's default log4j profile",
    "Setting default log level to",
    "To adjust logging level use",
];

/// The progress worth showing in a line of the driver's output, if any.
pub fn event(line: &str) -> Option<Event> {
    let line = line.trim_end();
    let Some((level, logger, message)) = log_line(line) else {
        // spark-sql logs at WARN, but prints its application id.
        if let Some((_, id)) = line.split_once("Application Id: ") {
            return Some(Event::milestone(format!("running as {id}")));
        }
        return (is_exception(line) || is_error_class(line)).then(|| Event::milestone(line));
    };
    if matches!(level, "ERROR" | "FATAL") {
        return Some(Event::milestone(format!("{level} {logger}: {message}")));
    }
    if let Some(id) = message.strip_prefix("Connected to Spark cluster with app ID ") {
        return Some(Event::milestone(format!("running as {id}")));
    }
    if logger == "DAGScheduler" {
        if let Some((job, rest)) = number_after(message, "Got job ") {
            let what = rest.trim_start().strip_prefix('(').and_then(|r| r.split_once(')')).map_or("", |(w, _)| w);
            return Some(Event::milestone(format!("Spark job {job} started: {what}")));
        }
        if let Some((job, rest)) = number_after(message, "Job ") {
            if rest.starts_with(" finished:") || rest.starts_with(" failed:") {
                return Some(Event::milestone(format!("Spark job {job}{rest}")));
            }
            return None;
        }
        if message.starts_with("Submitting ") && message.contains(" missing tasks from ") {
            return Some(Event::progress(message.split(" (").next().unwrap_or(message), None));
        }
        if message.contains("Stage ") && message.contains(") finished in ") {
            return Some(Event::milestone(message));
        }
        return None;
    }
    if logger == "TaskSetManager" {
        if let Some(rest) = message.strip_prefix("Finished task ") {
            let stage = rest.split(" in stage ").nth(1).and_then(|r| r.split_whitespace().next()).unwrap_or("?");
            return Some(Event::progress(format!("stage {stage}: tasks finished"), trailing_count(message)));
        }
        if level == "WARN" && message.starts_with("Lost task ") {
            return Some(Event::milestone(message));
        }
    }
    None
}

/// Lets a few lines a second through: progress at most every 250 ms (a stage of 10,000 tasks
/// shows a count, not 10,000 lines), milestones always unless ten were shown in the last second.
#[derive(Debug, Default)]
pub struct RateLimit {
    last_progress: Option<Instant>,
    milestones: VecDeque<Instant>,
}

impl RateLimit {
    const PROGRESS: Duration = Duration::from_millis(250);
    const MILESTONES_PER_SECOND: usize = 10;

    /// Whether `event`, seen at `now`, is shown.
    pub fn allow(&mut self, event: &Event, now: Instant) -> bool {
        if event.milestone {
            while self
                .milestones
                .front()
                .is_some_and(|shown| now.saturating_duration_since(*shown) >= Duration::from_secs(1))
            {
                self.milestones.pop_front();
            }
            let allowed = self.milestones.len() < Self::MILESTONES_PER_SECOND;
            if allowed {
                self.milestones.push_back(now);
            }
            return allowed;
        }
        let allowed = self.last_progress.is_none_or(|last| now.saturating_duration_since(last) >= Self::PROGRESS);
        if allowed {
            self.last_progress = Some(now);
        }
        allowed
    }
}

/// The lines of a failed driver's output that say why: Python tracebacks (from
/// `Traceback (most recent call last):` to the exception), Spark error reports
/// (`[ERROR_CLASS] ...` to the next blank or log line), exception and `Caused by:` lines,
/// `ERROR` log lines; when there are none, the last lines of stdout and those of stderr that
/// are neither Spark's log nor its usual notices. At most 40 lines of 300 characters.
pub fn error_lines<'a>(stdout: &'a str, stderr: &'a str) -> Vec<String> {
    let mut found = Vec::new();
    for text in [stdout, stderr] {
        let (mut in_traceback, mut in_report) = (false, false);
        for line in text.lines() {
            let line = line.trim_end();
            if line.starts_with("Traceback (most recent call last):") {
                in_traceback = true;
            }
            if in_traceback {
                found.push(line);
                // The exception line ends a traceback: the first unindented line after its head.
                in_traceback = line.starts_with(char::is_whitespace) || line.starts_with("Traceback");
                continue;
            }
            in_report = (in_report || is_error_class(line)) && !line.is_empty() && log_line(line).is_none();
            if in_report {
                found.push(line);
                continue;
            }
            match log_line(line) {
                Some(("ERROR" | "FATAL", _, _)) => found.push(line),
                Some(_) => {}
                None if is_exception(line) => found.push(line),
                None => {}
            }
        }
    }
    if found.is_empty() {
        // Nothing recognisable: the end of stdout (a `SystemExit` message, a script's last
        // words) and of stderr without Spark's log and notices.
        let last = |text: &'a str, keep: &dyn Fn(&str) -> bool| -> Vec<&'a str> {
            let lines: Vec<&str> =
                text.lines().map(str::trim_end).filter(|line| !line.is_empty() && keep(line)).collect();
            lines[lines.len().saturating_sub(10)..].to_vec()
        };
        found = last(stdout, &|_| true);
        found.extend(last(stderr, &|line| {
            log_line(line).is_none() && !NOISE.iter().any(|noise| line.starts_with(noise))
        }));
    }
    let skip = found.len().saturating_sub(ERROR_LINES);
    found[skip..]
        .iter()
        .map(|line| match line.char_indices().nth(ERROR_LINE_CHARS) {
            Some((cut, _)) => format!("{}…", &line[..cut]),
            None => (*line).to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn fixture(name: &str) -> String {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/emr/jobs").join(name);
        std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
    }

    /// `actual` against the golden file `name`; `STRATA_UPDATE_GOLDEN=1` rewrites it.
    fn check_golden(name: &str, actual: &str) {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/emr/jobs").join(name);
        if std::env::var_os("STRATA_UPDATE_GOLDEN").is_some() {
            std::fs::write(&path, actual).unwrap();
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(expected == actual, "{} differs (STRATA_UPDATE_GOLDEN=1 rewrites it):\n{actual}", path.display());
    }

    /// Every event of a captured driver run (stdout, then stderr), one per line.
    fn events(run: &str) -> String {
        let text = fixture(&format!("{run}.stdout.log")) + &fixture(&format!("{run}.stderr.log"));
        let mut out = String::new();
        for line in text.lines() {
            if let Some(event) = event(line) {
                let kind = if event.milestone { "milestone" } else { "progress " };
                let steps = event.steps.map(|(done, total)| format!(" ({done}/{total})")).unwrap_or_default();
                out.push_str(&format!("{kind} {}{steps}\n", event.message));
            }
        }
        out
    }

    #[test]
    fn captured_drivers_show_their_progress() {
        for run in ["pi", "fail", "sql"] {
            check_golden(&format!("{run}.progress.txt"), &events(run));
        }
    }

    #[test]
    fn captured_failures_are_explained_by_their_error_lines() {
        for run in ["pi", "fail", "sql"] {
            let lines = error_lines(&fixture(&format!("{run}.stdout.log")), &fixture(&format!("{run}.stderr.log")));
            check_golden(&format!("{run}.errors.txt"), &(lines.join("\n") + "\n"));
        }
    }

    #[test]
    fn exceptions_and_errors_are_found_anywhere() {
        let stderr = "WARNING: Using incubator modules: jdk.incubator.vector\n\
                      Error: Failed to load class org.example.Missing.\n";
        assert_eq!(error_lines("", stderr), ["Error: Failed to load class org.example.Missing."]);
        let java = "26/11/26 10:00:00 INFO SparkContext: Running Spark\n\
                    Exception in thread \"main\" org.apache.spark.SparkException: Job aborted\n\
                    \tat org.apache.spark.scheduler.DAGScheduler.failJobAndIndependentStages(DAGScheduler.scala:2898)\n\
                    Caused by: java.io.IOException: No space left on device\n";
        assert_eq!(
            error_lines("", java),
            [
                "Exception in thread \"main\" org.apache.spark.SparkException: Job aborted",
                "Caused by: java.io.IOException: No space left on device"
            ]
        );
        assert_eq!(error_lines("only stdout\n", ""), ["only stdout"]);
        // `raise SystemExit("...")`: Python prints the message alone.
        let stderr = "WARNING: Using incubator modules: jdk.incubator.vector\n\
                      26/11/26 10:00:00 INFO ShutdownHookManager: Shutdown hook called\n";
        assert_eq!(error_lines("no input today\n", stderr), ["no input today"]);
        assert_eq!(error_lines("last words\n", "killed\n"), ["last words", "killed"]);
        let long = "E".repeat(1000) + "rror: x";
        assert_eq!(error_lines("", &format!("{long}\n"))[0].chars().count(), ERROR_LINE_CHARS + 1);
        let many: String = (0..100).map(|i| format!("26/11/26 10:00:00 ERROR X: failure {i}\n")).collect();
        let lines = error_lines("", &many);
        assert_eq!(lines.len(), ERROR_LINES);
        assert!(lines[ERROR_LINES - 1].ends_with("failure 99"), "the last ones are kept");
    }

    #[test]
    fn the_rate_limit_keeps_milestones_and_counts_a_few_times_a_second() {
        let start = Instant::now();
        let progress = Event::progress("stage 0.0: tasks finished", Some((1, 4)));
        let milestone = Event::milestone("running as app-1");
        let mut limit = RateLimit::default();
        let at = |ms| start + Duration::from_millis(ms);
        assert!(limit.allow(&progress, at(0)));
        assert!(!limit.allow(&progress, at(100)));
        assert!(limit.allow(&milestone, at(100)), "milestones do not wait for progress");
        assert!(limit.allow(&milestone, at(101)));
        assert!(limit.allow(&progress, at(250)));
        let shown = (0..10_000).filter(|i| limit.allow(&progress, at(1000 + i / 10))).count();
        assert_eq!(shown, 4, "10,000 progress lines in one second: four shown");
        let shown = (0..1000).filter(|i| limit.allow(&milestone, at(5000 + i))).count();
        assert_eq!(shown, 10, "1,000 errors in one second: ten shown");
        assert!(limit.allow(&milestone, at(6000)));
    }

    #[test]
    fn the_wrapper_keeps_the_log_and_the_exit_code() {
        assert_eq!(
            wrap("/var/lib/strata/jobs/j1", "sh 'x.sh'"),
            "cd '/var/lib/strata/jobs/j1' && : > driver.log && chmod 600 driver.log && rm -f .exit_code && \
             { { ( sh 'x.sh' ); echo $? > .exit_code; } 2>&1 1>&3 3>&- | tee -a driver.log >&2; } 3>&1 \
             | tee -a driver.log; exit \"$(cat .exit_code 2>/dev/null || echo 125)\""
        );
    }

    #[test]
    fn the_wrapper_runs_in_posix_sh() {
        let directory = tempfile_dir();
        let command = wrap(directory.to_str().unwrap(), "echo out; echo err >&2; exit 3");
        let output = std::process::Command::new("/bin/sh").arg("-c").arg(&command).output().unwrap();
        assert_eq!(output.status.code(), Some(3));
        assert_eq!(String::from_utf8_lossy(&output.stdout), "out\n");
        assert_eq!(String::from_utf8_lossy(&output.stderr), "err\n");
        let mut log: Vec<String> =
            std::fs::read_to_string(directory.join(DRIVER_LOG)).unwrap().lines().map(str::to_owned).collect();
        log.sort();
        assert_eq!(log, ["err", "out"]);
        let _ = std::fs::remove_dir_all(directory);
    }

    fn tempfile_dir() -> PathBuf {
        let directory = std::env::temp_dir().join(format!("strata-emr-wrap-{}", std::process::id()));
        std::fs::create_dir_all(&directory).unwrap();
        directory
    }
}
