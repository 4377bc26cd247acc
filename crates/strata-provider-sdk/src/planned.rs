//! [`Planned<T>`]: a value that may not be known until apply.

use strata_provider::ProviderError;
use strata_value::{Type, Value};

use crate::Field;

/// A value during planning: known, or unknown until apply ("known after apply"). What plan
/// helpers such as [`Plan::config`](crate::Plan::config) return, and a field type for a model
/// that must tell "unknown" from "null" (`Option<T>` says null).
///
/// A value that is unknown anywhere inside (a list with one unknown element) is `Unknown` as a
/// whole: nothing is guessed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Planned<T> {
    Known(T),
    Unknown,
}

impl<T> Planned<T> {
    pub fn is_known(&self) -> bool {
        matches!(self, Planned::Known(_))
    }

    /// The value when known.
    pub fn known(self) -> Option<T> {
        match self {
            Planned::Known(value) => Some(value),
            Planned::Unknown => None,
        }
    }

    pub fn as_ref(&self) -> Planned<&T> {
        match self {
            Planned::Known(value) => Planned::Known(value),
            Planned::Unknown => Planned::Unknown,
        }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Planned<U> {
        match self {
            Planned::Known(value) => Planned::Known(f(value)),
            Planned::Unknown => Planned::Unknown,
        }
    }
}

impl<T: Field> Field for Planned<T> {
    const NULLABLE: bool = T::NULLABLE;

    fn value_type() -> Type {
        T::value_type()
    }

    fn from_value(value: &Value, path: &str) -> Result<Self, ProviderError> {
        if value.is_wholly_known() { T::from_value(value, path).map(Planned::Known) } else { Ok(Planned::Unknown) }
    }

    fn to_value(&self) -> Value {
        match self {
            Planned::Known(value) => value.to_value(),
            Planned::Unknown => Value::Unknown(T::value_type()),
        }
    }

    fn unknown_computed(_path: &str) -> Result<Self, ProviderError> {
        Ok(Planned::Unknown)
    }
}
