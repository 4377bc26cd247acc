//! Why a state key could not be found, made, or used.

use std::io;
use std::path::{Path, PathBuf};

/// A problem with the key of a state's encrypted sensitive values. Each message says where the
/// key was looked up and how to provide it; [`crate::StateError::Key`] adds which state.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// Reading needs a key and there is none.
    #[error("{}", missing(file, *environment))]
    Missing {
        file: PathBuf,
        /// Whether `STRATA_STATE_KEY` was looked at too (it is, except for an explicit key file).
        environment: bool,
    },
    #[error("{origin} is not a valid state key ({reason}): a state key is 32 random bytes in base64, 44 characters")]
    Invalid { origin: String, reason: String },
    #[error(
        "could not {action} the state key file {}: {source}; sensitive values in the state are \
         encrypted with the key in this file unless STRATA_STATE_KEY is set",
        file.display()
    )]
    KeyFile {
        action: &'static str,
        file: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("could not get random bytes from the operating system to encrypt sensitive values: {reason}")]
    Random { reason: String },
    #[error(
        "the sensitive value at {location} is encrypted with key {written_with}, but the key from \
         {origin} is {key_id}: that is not this state's key; provide the key the state was written \
         with (in STRATA_STATE_KEY, or in the key file)"
    )]
    WrongKey { location: String, written_with: String, key_id: String, origin: String },
    #[error(
        "the sensitive value at {location} does not decrypt with key {key_id} from {origin}, the key \
         it names: it was altered, or moved here from another attribute or resource"
    )]
    Undecryptable { location: String, key_id: String, origin: String },
    #[error("the encrypted value at {location} is malformed: {reason}")]
    Malformed { location: String, reason: String },
}

fn missing(file: &Path, environment: bool) -> String {
    let file = file.display();
    if environment {
        format!(
            "it holds encrypted sensitive values, but there is no key to decrypt them: STRATA_STATE_KEY is \
             not set and the key file {file} does not exist; set STRATA_STATE_KEY to the key (base64) the \
             state was written with, or put that key in {file}"
        )
    } else {
        format!(
            "it holds encrypted sensitive values, but there is no key to decrypt them: the key file {file} \
             does not exist; put the key (base64) the state was written with in {file}"
        )
    }
}
