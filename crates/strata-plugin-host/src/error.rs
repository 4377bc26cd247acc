//! Why a plugin could not be started.

use std::path::PathBuf;

#[derive(thiserror::Error, Debug)]
pub enum PluginError {
    #[error("no executable \"{file}\" for provider \"{name}\" in any of: {}", searched.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))]
    NotFound { name: String, file: String, searched: Vec<PathBuf> },
    #[error("cannot start provider \"{name}\" ({}): {source}", path.display())]
    Spawn { name: String, path: PathBuf, source: std::io::Error },
    #[error("provider \"{name}\" speaks plugin protocol version {plugin}; this Strata speaks version {engine}")]
    VersionMismatch { name: String, plugin: u32, engine: u32 },
    #[error("provider \"{name}\" failed the handshake: {message}")]
    Handshake { name: String, message: String },
    #[error("provider \"{name}\" sent an invalid schema: {message}")]
    Schema { name: String, message: String },
}
