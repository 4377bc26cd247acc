//! Uploading a file atomically over SFTP, verified by the host's own `sha256sum`.
//!
//! The content is written to a temporary file beside the target (same directory, so the same
//! filesystem), then one command checks the temporary file's sha256 on the host, sets the mode
//! and renames it over the target. A file whose checksum does not match is removed and never
//! becomes visible under the target name.

use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;

use sha2::{Digest, Sha256};
use ssh2::{OpenFlags, OpenType};

use crate::connect::{Connection, millis};
use crate::content::{FileContent, hex};
use crate::error::DeployError;
use crate::exec::ExecOptions;
use crate::mode::Mode;
use crate::nonce::unique_token;
use crate::shell::{file_name, parent, quote};

/// A file now on the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uploaded {
    pub path: String,
    /// The sha256 the host computed, equal to the content's.
    pub sha256: String,
    pub bytes: u64,
}

const CHUNK: usize = 1 << 20;

impl Connection {
    /// Writes `content` to `remote_path` (absolute; its directory must exist) with `mode`.
    pub fn upload(&mut self, content: &FileContent, remote_path: &str, mode: Mode) -> Result<Uploaded, DeployError> {
        let host = self.host.name.clone();
        let temporary = format!(
            "{}/.{}.strata-{}.tmp",
            parent(remote_path).trim_end_matches('/'),
            file_name(remote_path),
            unique_token()
        );
        let written = self.write_temporary(content, &temporary);
        let (sha256, bytes) = match written {
            Ok(written) => written,
            Err(error) => {
                self.remove_best_effort(&temporary);
                return Err(error);
            }
        };
        if let FileContent::LocalFile { path, sha256: planned } = content
            && *planned != sha256
        {
            self.remove_best_effort(&temporary);
            return Err(DeployError::ChecksumMismatch {
                host,
                path: format!("{} (local, changed since it was hashed)", path.display()),
                expected: planned.clone(),
                actual: sha256,
            });
        }

        let script = format!(
            "tmp={tmp}; sum=$(sha256sum < \"$tmp\") || exit 1; sum=${{sum%% *}}\n\
             if [ \"$sum\" != {expected} ]; then rm -f -- \"$tmp\"; printf 'mismatch %s\\n' \"$sum\"; exit 0; fi\n\
             chmod {mode} -- \"$tmp\" && mv -f -- \"$tmp\" {target} && printf 'ok %s\\n' \"$sum\"",
            tmp = quote(&temporary),
            expected = quote(&sha256),
            target = quote(remote_path),
        );
        let output = self.run_checked(&script, &ExecOptions::default())?;
        let text = output.stdout_text();
        match text.trim().split_once(' ') {
            Some(("ok", actual)) if actual == sha256 => Ok(Uploaded { path: remote_path.to_owned(), sha256, bytes }),
            Some(("mismatch", actual)) => Err(DeployError::ChecksumMismatch {
                host,
                path: remote_path.to_owned(),
                expected: sha256,
                actual: actual.to_owned(),
            }),
            _ => Err(DeployError::UnexpectedOutput {
                host,
                action: format!("verifying the upload of {remote_path}"),
                output: text.trim().to_owned(),
            }),
        }
    }

    /// Writes the content to `temporary` and returns its sha256 and length, computed while
    /// writing.
    fn write_temporary(&mut self, content: &FileContent, temporary: &str) -> Result<(String, u64), DeployError> {
        let host = self.host.name.clone();
        // A command run before may have left a shorter timeout on the session.
        self.session.set_blocking(true);
        self.session.set_timeout(millis(self.io_timeout));
        let sftp = self.sftp()?;
        let flags = OpenFlags::WRITE | OpenFlags::CREATE | OpenFlags::TRUNCATE | OpenFlags::EXCLUSIVE;
        let mut remote = sftp
            .open_mode(Path::new(temporary), flags, 0o600, OpenType::File)
            .map_err(DeployError::ssh(&host, format!("create {temporary}")))?;
        let mut hasher = Sha256::new();
        let mut bytes = 0u64;
        let write_error = || DeployError::io(&host, format!("write {temporary}"));
        match content {
            FileContent::Inline(data) => {
                for chunk in data.chunks(CHUNK) {
                    remote.write_all(chunk).map_err(write_error())?;
                    hasher.update(chunk);
                }
                bytes = data.len() as u64;
            }
            FileContent::LocalFile { path, .. } => {
                let local_error = |source| DeployError::LocalFile { path: path.clone(), source };
                let mut local = File::open(path).map_err(local_error)?;
                let mut buffer = vec![0; CHUNK];
                loop {
                    let read = local
                        .read(&mut buffer)
                        .map_err(|source| DeployError::LocalFile { path: path.clone(), source })?;
                    if read == 0 {
                        break;
                    }
                    remote.write_all(&buffer[..read]).map_err(write_error())?;
                    hasher.update(&buffer[..read]);
                    bytes += read as u64;
                }
            }
        }
        // fsync@openssh.com is an extension; without it the rename still gives atomicity.
        let _ = remote.fsync();
        remote.close().map_err(DeployError::ssh(&host, format!("close {temporary}")))?;
        Ok((hex(&hasher.finalize()), bytes))
    }

    fn remove_best_effort(&mut self, path: &str) {
        if let Ok(sftp) = self.sftp() {
            let _ = sftp.unlink(Path::new(path));
        }
    }
}
