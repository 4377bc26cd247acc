//! Why a desired state cannot be reached by an operation.

/// A desired state that conflicts with the host or is invalid in itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OperationError {
    #[error("the path {path:?} is not absolute")]
    RelativePath { path: String },

    #[error("{path} exists and is not a regular file; remove it first")]
    NotAFile { path: String },

    #[error("{path} exists and is not a directory; remove it first")]
    NotADirectory { path: String },

    #[error("{path} exists and is not a symbolic link; remove it first")]
    NotALink { path: String },

    #[error("invalid service name {name:?}: use letters, digits, `.`, `_`, `-` and `@`, not starting with `.`")]
    InvalidServiceName { name: String },

    #[error("invalid environment variable name {name:?}: use letters, digits and `_`, not starting with a digit")]
    InvalidEnvironmentName { name: String },

    #[error("refusing to clean {path:?} before extracting: it is the root directory")]
    UnsafeDestination { path: String },
}
