//! What a file upload writes: bytes held in memory, or a local file streamed from disk.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The content of a file to upload, with its sha256 known before any I/O on the host.
///
/// In fixtures: `{"text": "…"}`, `{"base64": "…"}` or `{"local_file": {"path": …, "sha256": …}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ContentRepr", into = "ContentRepr")]
pub enum FileContent {
    /// Bytes in memory (configuration files, launchers, unit files).
    Inline(Vec<u8>),
    /// A local file streamed when uploaded (archives); `sha256` was computed by
    /// [`FileContent::local_file`] and is checked again while streaming.
    LocalFile { path: PathBuf, sha256: String },
}

impl FileContent {
    /// Text content.
    pub fn text(text: impl Into<String>) -> Self {
        Self::Inline(text.into().into_bytes())
    }

    /// A local file, hashed now so that planning needs no further I/O.
    pub fn local_file(path: impl Into<PathBuf>) -> io::Result<Self> {
        let path = path.into();
        let sha256 = sha256_of_file(&path)?;
        Ok(Self::LocalFile { path, sha256 })
    }

    /// The sha256 of the content, lowercase hex.
    pub fn sha256(&self) -> String {
        match self {
            Self::Inline(bytes) => sha256_hex(bytes),
            Self::LocalFile { sha256, .. } => sha256.clone(),
        }
    }
}

/// The sha256 of `bytes` in lowercase hex, as `sha256sum` prints it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The sha256 of a local file in lowercase hex.
pub fn sha256_of_file(path: &Path) -> io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0; 1 << 20];
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            return Ok(hex(&hasher.finalize()));
        }
        hasher.update(&buffer[..read]);
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum ContentRepr {
    Text(String),
    Base64(String),
    LocalFile { path: PathBuf, sha256: String },
}

impl TryFrom<ContentRepr> for FileContent {
    type Error = String;

    fn try_from(repr: ContentRepr) -> Result<Self, Self::Error> {
        Ok(match repr {
            ContentRepr::Text(text) => Self::text(text),
            ContentRepr::Base64(encoded) => {
                Self::Inline(STANDARD.decode(encoded).map_err(|error| format!("invalid base64 content: {error}"))?)
            }
            ContentRepr::LocalFile { path, sha256 } => Self::LocalFile { path, sha256 },
        })
    }
}

impl From<FileContent> for ContentRepr {
    fn from(content: FileContent) -> Self {
        match content {
            FileContent::Inline(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Self::Text(text),
                Err(error) => Self::Base64(STANDARD.encode(error.into_bytes())),
            },
            FileContent::LocalFile { path, sha256 } => Self::LocalFile { path, sha256 },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_like_sha256sum() {
        assert_eq!(sha256_hex(b"hello\n"), "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), b"hello\n").unwrap();
        assert_eq!(FileContent::local_file(file.path()).unwrap().sha256(), sha256_hex(b"hello\n"));
    }
}
