//! What `#[derive(Model)]` expands to calls: kept here so generated code stays small and
//! names nothing but `::strata_provider_sdk::__private`. Not a stable interface.

use std::collections::BTreeMap;

pub use strata_provider::ProviderError;
pub use strata_schema::{AttributeSchema, BlockSchema, NestedBlockSchema, Nesting};
pub use strata_value::{Type, Value};

pub use crate::model::{BlockField, Field, Model};
use crate::model::{error_at, join};

pub type Entries = BTreeMap<String, Value>;

/// The attributes of a known object (a model's value).
pub fn object<'v>(value: &'v Value, path: &str) -> Result<&'v Entries, ProviderError> {
    match value.peel() {
        Value::Map(entries) => Ok(entries),
        Value::Unknown(_) => {
            Err(error_at(path, "the object is not known yet (known after apply), but the provider needs it here"))
        }
        other => Err(error_at(path, format!("expected an object, got {}", other.kind_name()))),
    }
}

/// One attribute of a model: a computed one that is still unknown reads as "not decided".
pub fn attribute_field<T: Field>(
    entries: &Entries,
    name: &str,
    path: &str,
    computed: bool,
) -> Result<T, ProviderError> {
    let path = join(path, name);
    let value = entries.get(name).unwrap_or(&Value::Null);
    if computed && !value.is_known() { T::unknown_computed(&path) } else { T::from_value(value, &path) }
}

/// One nested block of a model.
pub fn block_field<T: BlockField>(entries: &Entries, name: &str, path: &str) -> Result<T, ProviderError> {
    T::from_block_value(entries.get(name).unwrap_or(&Value::Null), &join(path, name))
}

/// The flags a field's `#[strata(...)]` sets. `inferred`: it set none of required, optional,
/// computed (nor a default), so the field's type decides.
#[derive(Clone, Copy, Debug)]
pub struct AttributeFlags {
    pub inferred: bool,
    pub required: bool,
    pub optional: bool,
    pub computed: bool,
    pub sensitive: bool,
    pub force_new: bool,
}

pub fn attribute_schema<T: Field>(
    description: &str,
    flags: AttributeFlags,
    allowed: &[&str],
    default: Option<Value>,
) -> AttributeSchema {
    let (required, optional) =
        if flags.inferred { (!T::NULLABLE, T::NULLABLE) } else { (flags.required, flags.optional) };
    AttributeSchema {
        ty: T::value_type(),
        description: description.to_owned(),
        required,
        optional,
        computed: flags.computed,
        sensitive: flags.sensitive,
        force_new: flags.force_new,
        allowed_values: allowed.iter().map(|v| (*v).to_owned()).collect(),
        default,
    }
}

pub fn nested_block_schema<T: BlockField>(
    description: &str,
    min_items: Option<usize>,
    max_items: Option<usize>,
) -> NestedBlockSchema {
    let max_items = match T::NESTING {
        Nesting::Single => Some(1),
        Nesting::List | Nesting::Map => max_items,
    };
    NestedBlockSchema {
        nesting: T::NESTING,
        block: T::block(),
        min_items: min_items.unwrap_or(T::MIN_ITEMS),
        max_items,
        description: description.to_owned(),
    }
}
