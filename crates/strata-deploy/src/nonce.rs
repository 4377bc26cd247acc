//! Unique tokens for temporary file names and fact section markers.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A token that differs between calls and between processes: 16 hex digits.
///
/// Not a secret: it only keeps temporary names from colliding and keeps command output from
/// being mistaken for a section marker by accident.
pub(crate) fn unique_token() -> String {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|elapsed| elapsed.as_nanos()).unwrap_or(0);
    let mut hasher = Sha256::new();
    hasher.update(nanos.to_le_bytes());
    hasher.update(std::process::id().to_le_bytes());
    hasher.update(COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    let digest = hasher.finalize();
    digest[..8].iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_differ() {
        let first = super::unique_token();
        assert_eq!(first.len(), 16);
        assert_ne!(first, super::unique_token());
    }
}
