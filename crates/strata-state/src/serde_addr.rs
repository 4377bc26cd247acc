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
        deserializer.deserialize_str(Parsed(std::marker::PhantomData))
    }
}

/// Parses an address straight from the text the deserializer holds: reading a state of
/// thousands of instances does not copy each address into a `String` first.
struct Parsed<T>(std::marker::PhantomData<T>);

impl<T> de::Visitor<'_> for Parsed<T>
where
    T: FromStr,
    T::Err: Display,
{
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an address as a string")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        text.parse().map_err(E::custom)
    }
}

/// One address of a list, for [`list::deserialize`].
struct Element<T>(T);

impl<'de, T> Deserialize<'de> for Element<T>
where
    T: FromStr,
    T::Err: Display,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(Parsed(std::marker::PhantomData)).map(Element)
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
        Ok(Vec::<Element<T>>::deserialize(deserializer)?.into_iter().map(|Element(address)| address).collect())
    }
}
