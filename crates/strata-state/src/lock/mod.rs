//! The state lock: one writer at a time per state file.

mod error;
mod info;
mod state_lock;

pub use error::LockError;
pub use info::LockInfo;
pub use state_lock::{StateLock, force_unlock};
