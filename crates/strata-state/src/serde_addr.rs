//! Serde for typed addresses: they are stored as the text they print and parsed back, so the
//! files read like the configuration (`module.etl.emr_cluster.a["x"]`).
//!
//! Used with `#[serde(with = "...")]`; addresses themselves carry no serde derives because
//! `strata-addrs` is below every file format.

use std::fmt::Display;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serializer, de};

/// One address as a string.
pub(crate) mod one {
    use super::*;

    pub(crate) fn serialize<T: Display, S: Serializer>(address: &T, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(address)
    }

    pub(crate) fn deserialize<'de, T, D>(deserializer: D) -> Result<T, D::Error>
    where
        T: FromStr,
        T::Err: Display,
        D: Deserializer<'de>,
    {
        String::deserialize(deserializer)?.parse().map_err(de::Error::custom)
    }
}

/// A list of addresses as a list of strings.
pub(crate) mod list {
    use serde::ser::SerializeSeq;

    use super::*;

    pub(crate) fn serialize<T: Display, S: Serializer>(addresses: &[T], serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(addresses.len()))?;
        for address in addresses {
            seq.serialize_element(&address.to_string())?;
        }
        seq.end()
    }

    pub(crate) fn deserialize<'de, T, D>(deserializer: D) -> Result<Vec<T>, D::Error>
    where
        T: FromStr,
        T::Err: Display,
        D: Deserializer<'de>,
    {
        Vec::<String>::deserialize(deserializer)?
            .into_iter()
            .map(|text| text.parse().map_err(de::Error::custom))
            .collect()
    }
}
