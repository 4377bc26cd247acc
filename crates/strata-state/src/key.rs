//! The key that encrypts sensitive values in the state.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::Generate;
use sha2::{Digest, Sha256};

use crate::KeyError;

/// 32 random bytes: the XChaCha20-Poly1305 key of a state's sensitive values. Written as
/// base64 (44 characters) in `STRATA_STATE_KEY` and in `.strata/state.key`.
///
/// Its [`StateKey::id`] is stored with every encrypted value, so reading with the wrong key
/// says so instead of looking like corruption. `Debug` shows only the id.
#[derive(Clone, PartialEq, Eq)]
pub struct StateKey([u8; 32]);

impl StateKey {
    /// A new random key from the operating system's generator.
    pub fn generate() -> Result<StateKey, KeyError> {
        <[u8; 32]>::try_generate().map(StateKey).map_err(|e| KeyError::Random { reason: e.to_string() })
    }

    /// Parses the base64 form; `origin` names where the text came from, for the error.
    pub fn from_base64(text: &str, origin: &str) -> Result<StateKey, KeyError> {
        let invalid = |reason: String| KeyError::Invalid { origin: origin.to_owned(), reason };
        let bytes = STANDARD.decode(text.trim()).map_err(|e| invalid(format!("not base64: {e}")))?;
        let bytes: [u8; 32] =
            bytes.try_into().map_err(|bytes: Vec<u8>| invalid(format!("{} bytes instead of 32", bytes.len())))?;
        Ok(StateKey(bytes))
    }

    /// The base64 form, as `STRATA_STATE_KEY` and the key file hold it.
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0)
    }

    /// A short public name for the key (8 hex digits): the first 4 bytes of
    /// `sha256("strata-state-key-id\0" + key)`. Says which key wrote a value without revealing it.
    pub fn id(&self) -> String {
        self.id_bytes().iter().map(|b| format!("{b:02x}")).collect()
    }

    pub(crate) fn id_bytes(&self) -> [u8; 4] {
        let digest = Sha256::new().chain_update(b"strata-state-key-id\0").chain_update(self.0).finalize();
        [digest[0], digest[1], digest[2], digest[3]]
    }

    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for StateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StateKey(id {})", self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_through_base64_and_hide_their_bytes() {
        let key = StateKey::generate().unwrap();
        let text = key.to_base64();
        assert_eq!(text.len(), 44);
        assert_eq!(StateKey::from_base64(&format!("{text}\n"), "test").unwrap(), key);
        assert_ne!(StateKey::generate().unwrap(), key);
        let debug = format!("{key:?}");
        assert!(debug.contains(&key.id()) && !debug.contains(&text), "{debug}");
    }

    #[test]
    fn ids_are_stable() {
        let key = StateKey([7; 32]);
        assert_eq!(key.id().len(), 8);
        assert_eq!(key.id(), StateKey([7; 32]).id());
        assert_ne!(key.id(), StateKey([8; 32]).id());
    }

    #[test]
    fn malformed_keys_are_errors_naming_their_origin() {
        let short = StateKey::from_base64("AAAA", "STRATA_STATE_KEY").unwrap_err().to_string();
        assert!(short.starts_with("STRATA_STATE_KEY is not a valid state key (3 bytes instead of 32)"), "{short}");
        let garbage = StateKey::from_base64("not base64!", "the key file k").unwrap_err().to_string();
        assert!(garbage.starts_with("the key file k is not a valid state key (not base64"), "{garbage}");
    }
}
