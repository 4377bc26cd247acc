//! The local copy of a job's driver log, `<state_dir>/emr/jobs/<job id>/driver.log` (mode
//! 0600): every line of stdout and stderr as it arrives over SSH, written by [`DriverLog`] while
//! the job runs. `log_path` points at it and `strata logs ADDR` prints it.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use strata_provider_sdk::ProviderError;

use super::driver::DRIVER_LOG;

/// The local copy stops growing here; the master keeps the whole log.
const LOCAL_LOG_LIMIT: u64 = 64 << 20;

/// The directory of job `id`'s local files.
pub fn job_dir(state_dir: &Path, id: &str) -> PathBuf {
    state_dir.join("emr").join("jobs").join(id)
}

/// Where job `id`'s local driver log is.
pub fn log_path(state_dir: &Path, id: &str) -> PathBuf {
    job_dir(state_dir, id).join(DRIVER_LOG)
}

/// Removes job `id`'s local files (absent is fine).
pub fn remove(state_dir: &Path, id: &str) -> Result<(), ProviderError> {
    let directory = job_dir(state_dir, id);
    match std::fs::remove_dir_all(&directory) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            Err(ProviderError::new(format!("removing {}: {error}", directory.display())))
        }
        _ => Ok(()),
    }
}

/// The local log being written. A write that fails stops the copy (the job goes on; the
/// master keeps its log) and is reported by [`DriverLog::finish`].
pub struct DriverLog {
    path: PathBuf,
    file: Option<BufWriter<File>>,
    written: u64,
    error: Option<String>,
    /// Where the whole log is, named when the local copy is cut.
    remote: String,
}

impl DriverLog {
    /// Creates (truncates) the log of job `id`; `remote` names the master's copy.
    pub fn create(state_dir: &Path, id: &str, remote: String) -> Result<DriverLog, ProviderError> {
        let directory = job_dir(state_dir, id);
        let failed = |action: &str, path: &Path, error: std::io::Error| {
            ProviderError::new(format!("{action} {}: {error}", path.display()))
        };
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&directory)
            .map_err(|error| failed("creating", &directory, error))?;
        let path = directory.join(DRIVER_LOG);
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&path)
            .map_err(|error| failed("creating", &path, error))?;
        Ok(DriverLog { path, file: Some(BufWriter::new(file)), written: 0, error: None, remote })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one line.
    pub fn line(&mut self, line: &str) {
        let Some(file) = &mut self.file else { return };
        let size = line.len() as u64 + 1;
        let result = if self.written + size > LOCAL_LOG_LIMIT {
            let note = format!(
                "[strata: the local copy stops at {} MiB; the whole log is {}]\n",
                LOCAL_LOG_LIMIT >> 20,
                self.remote
            );
            let result = file.write_all(note.as_bytes()).and_then(|()| file.flush());
            self.file = None;
            result
        } else {
            self.written += size;
            file.write_all(line.as_bytes()).and_then(|()| file.write_all(b"\n"))
        };
        if let Err(error) = result {
            self.error = Some(format!("writing {}: {error}", self.path.display()));
            self.file = None;
        }
    }

    /// Flushes the log; the first write error, if any.
    pub fn finish(mut self) -> Result<(), String> {
        if let Some(mut file) = self.file.take()
            && let Err(error) = file.flush()
        {
            self.error.get_or_insert(format!("writing {}: {error}", self.path.display()));
        }
        self.error.map_or(Ok(()), Err)
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn the_local_copy_is_private_and_goes_with_its_job() {
        let state_dir = std::env::temp_dir().join(format!("strata-emr-log-{}", std::process::id()));
        let mut log = DriverLog::create(&state_dir, "j1", "on m: /var/lib/strata/jobs/j1/driver.log".into()).unwrap();
        log.line("one");
        log.line("two");
        let path = log.path().to_path_buf();
        log.finish().unwrap();
        assert_eq!(path, log_path(&state_dir, "j1"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "one\ntwo\n");
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::metadata(job_dir(&state_dir, "j1")).unwrap().permissions().mode() & 0o777, 0o700);
        remove(&state_dir, "j1").unwrap();
        assert!(!job_dir(&state_dir, "j1").exists());
        remove(&state_dir, "j1").unwrap();
        let _ = std::fs::remove_dir_all(&state_dir);
    }
}
