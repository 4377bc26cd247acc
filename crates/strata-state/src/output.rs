//! Root module outputs.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::sealing::{self, Owner};
use crate::{KeyError, KeySource};

/// The last applied value of a root module output.
///
/// The serde derives give the stored shape only: the state format and [`crate::Operation`]'s
/// serde encrypt a sensitive output's value around them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutputState {
    /// Plain in memory; stored encrypted (whole) when `sensitive`.
    pub value: serde_json::Value,
    /// Shown as `(sensitive value)` unless asked for explicitly.
    #[serde(default)]
    pub sensitive: bool,
}

impl OutputState {
    /// The output as stored: its value encrypted when sensitive.
    pub(crate) fn sealed(&self, name: &str, keys: &KeySource) -> Result<Cow<'_, OutputState>, KeyError> {
        if !self.sensitive {
            return Ok(Cow::Borrowed(self));
        }
        let value = sealing::seal(&self.value, &[Vec::new()], Owner::Output(name), keys)?.into_owned();
        Ok(Cow::Owned(OutputState { value, sensitive: true }))
    }

    /// Decrypts a stored output in place.
    pub(crate) fn open(&mut self, name: &str, keys: &KeySource) -> Result<(), KeyError> {
        if !self.sensitive {
            return Ok(());
        }
        sealing::open(&mut self.value, &[Vec::new()], Owner::Output(name), keys)
    }
}
