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

/// An address field whose text repeats from one entry to the next (every instance's provider,
/// the root of a fan-out in every instance's dependencies): the last text read and what it
/// parsed to are kept per address type, so a repeat is a comparison and a copy. Parsing was a
/// quarter of reading a state of 5,000 instances.
pub(crate) mod repeated {
    use super::*;

    pub(crate) fn deserialize<'de, T, D>(deserializer: D) -> Result<T, D::Error>
    where
        T: FromStr + Clone + 'static,
        T::Err: Display,
        D: Deserializer<'de>,
    {
        deserializer.deserialize_str(Remembered(std::marker::PhantomData))
    }
}

/// An address type, the last text of that type parsed, and its address.
type LastParsed = (std::any::TypeId, String, Box<dyn std::any::Any>);

thread_local! {
    /// What [`Remembered`] parsed last, per address type.
    static LAST_PARSED: std::cell::RefCell<Vec<LastParsed>> = const { std::cell::RefCell::new(Vec::new()) };
}

struct Remembered<T>(std::marker::PhantomData<T>);

impl<T> de::Visitor<'_> for Remembered<T>
where
    T: FromStr + Clone + 'static,
    T::Err: Display,
{
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an address as a string")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        let kind = std::any::TypeId::of::<T>();
        let hit = LAST_PARSED.with_borrow(|last| {
            last.iter()
                .find(|(k, t, _)| *k == kind && t == text)
                .and_then(|(_, _, parsed)| parsed.downcast_ref::<T>().cloned())
        });
        if let Some(parsed) = hit {
            return Ok(parsed);
        }
        let parsed: T = text.parse().map_err(E::custom)?;
        LAST_PARSED.with_borrow_mut(|last| {
            let entry = (kind, text.to_owned(), Box::new(parsed.clone()) as Box<dyn std::any::Any>);
            match last.iter_mut().find(|(k, _, _)| *k == kind) {
                Some(slot) => *slot = entry,
                None => last.push(entry),
            }
        });
        Ok(parsed)
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

/// One address of a list, for [`list::deserialize`]: lists of dependencies repeat.
struct Element<T>(T);

impl<'de, T> Deserialize<'de> for Element<T>
where
    T: FromStr + Clone + 'static,
    T::Err: Display,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(Remembered(std::marker::PhantomData)).map(Element)
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
        T: FromStr + Clone + 'static,
        T::Err: Display,
        D: Deserializer<'de>,
    {
        Ok(Vec::<Element<T>>::deserialize(deserializer)?.into_iter().map(|Element(address)| address).collect())
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use strata_addrs::{AbsResourceAddr, ProviderConfigAddr};

    #[derive(Deserialize)]
    struct Entry {
        #[serde(with = "super::repeated")]
        provider: ProviderConfigAddr,
        #[serde(with = "super::list")]
        dependencies: Vec<AbsResourceAddr>,
    }

    /// Repeats, changes and changes back: each entry gets what its own text says.
    #[test]
    fn remembered_addresses_are_those_of_their_own_text() {
        let json = r#"[
            {"provider": "provider.a", "dependencies": ["x.root"]},
            {"provider": "provider.a", "dependencies": ["x.root", "x.other"]},
            {"provider": "provider.b.alias", "dependencies": ["x.root"]},
            {"provider": "provider.a", "dependencies": ["module.m.x.root"]}
        ]"#;
        let entries: Vec<Entry> = serde_json::from_str(json).unwrap();
        let providers: Vec<String> = entries.iter().map(|e| e.provider.to_string()).collect();
        assert_eq!(providers, ["provider.a", "provider.a", "provider.b.alias", "provider.a"]);
        let dependencies: Vec<Vec<String>> =
            entries.iter().map(|e| e.dependencies.iter().map(ToString::to_string).collect()).collect();
        assert_eq!(dependencies, [vec!["x.root"], vec!["x.root", "x.other"], vec!["x.root"], vec!["module.m.x.root"]]);
        let bad: Result<Vec<Entry>, _> = serde_json::from_str(
            r#"[{"provider": "provider.a", "dependencies": []}, {"provider": "nonsense!", "dependencies": []}]"#,
        );
        assert!(bad.is_err());
    }
}
