//! Unix permission bits, written in octal (`0644`) in fixtures and commands.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Permission bits of a remote file or directory (`0o644`), shown as `0644`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mode(pub u32);

impl Mode {
    /// `0644`: the default for files.
    pub const FILE: Mode = Mode(0o644);
    /// `0755`: the default for directories.
    pub const DIRECTORY: Mode = Mode(0o755);
    /// `0700`: private executables such as service launchers.
    pub const PRIVATE_EXECUTABLE: Mode = Mode(0o700);

    /// The permission bits (including set-id and sticky bits).
    pub fn bits(self) -> u32 {
        self.0 & 0o7777
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{:04o}", self.bits())
    }
}

impl fmt::Debug for Mode {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "Mode({self})")
    }
}

/// A mode that is not 1 to 4 octal digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an octal file mode such as 0644")]
pub struct InvalidMode(pub String);

impl FromStr for Mode {
    type Err = InvalidMode;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let digits = text.trim();
        let valid = !digits.is_empty() && digits.len() <= 4 && digits.bytes().all(|byte| (b'0'..=b'7').contains(&byte));
        if !valid {
            return Err(InvalidMode(text.to_owned()));
        }
        u32::from_str_radix(digits, 8).map(Mode).map_err(|_| InvalidMode(text.to_owned()))
    }
}

impl Serialize for Mode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Mode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_octal() {
        assert_eq!("644".parse::<Mode>(), Ok(Mode(0o644)));
        assert_eq!("4755".parse::<Mode>(), Ok(Mode(0o4755)));
        assert_eq!(Mode(0o600).to_string(), "0600");
        assert!("0x1".parse::<Mode>().is_err());
        assert!("98".parse::<Mode>().is_err());
        assert!("".parse::<Mode>().is_err());
    }
}
