//! Blocks with one label (`service "spark-master" { ... }`) and string maps, deserialized in
//! file order: hcl-rs hands them over as objects keyed by label, which keep their order.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};

/// Labelled entries in the order they were written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Labeled<T>(pub Vec<(String, T)>);

impl<T> Default for Labeled<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Labeled<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LabeledVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for LabeledVisitor<T> {
            type Value = Labeled<T>;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("labelled blocks or an object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some((label, value)) = map.next_entry::<String, T>()? {
                    entries.push((label, value));
                }
                Ok(Labeled(entries))
            }
        }

        deserializer.deserialize_map(LabeledVisitor(PhantomData))
    }
}
