//! Rust types as Strata values: [`Field`] (one attribute's type and its conversions),
//! [`BlockField`] (a nested block) and [`Model`] (a whole resource, data source or provider
//! configuration, usually `#[derive(Model)]`).

use std::collections::{BTreeMap, BTreeSet};

use strata_provider::ProviderError;
use strata_schema::{BlockSchema, Nesting};
use strata_value::{Type, Value};

/// A Rust type that holds one attribute's value.
///
/// | Rust | Strata type |
/// |---|---|
/// | `String` | `string` |
/// | `i8`..`i64`, `u8`..`u64`, `isize`, `usize`, `f32`, `f64` | `number` (integers must be whole and in range) |
/// | `bool` | `bool` |
/// | `Vec<T>` | `list(T)` |
/// | `BTreeSet<T>` | `set(T)` |
/// | `BTreeMap<String, T>` | `map(T)` |
/// | `Option<T>` | `T`, null as `None` |
/// | [`Planned<T>`](crate::Planned) | `T`, unknown as `Planned::Unknown` |
/// | a `#[derive(Model)]` struct | `object({...})` (or a nested block with `#[strata(block)]`) |
/// | `Value` | `any`, as it is (marks and unknowns included) |
///
/// Conversions look through sensitive marks (the model re-applies them, see [`Model`]), refuse
/// null unless the type is nullable (`Option`), and refuse an unknown value unless the type is
/// [`Planned`](crate::Planned): an unknown is never turned into a guess.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a Strata attribute type",
    note = "use String, a number, bool, Vec, BTreeSet, BTreeMap<String, _>, Option, Planned, Value or a #[derive(Model)] struct"
)]
pub trait Field: Sized {
    /// True when null is a value of this type (`Option<T>`, `Value`): such an attribute is
    /// optional unless the field says otherwise.
    const NULLABLE: bool = false;

    /// The attribute's type in the schema.
    fn value_type() -> Type;

    /// Reads a value; `path` names the attribute in errors (`node_group.core.count`).
    ///
    /// # Errors
    /// The value is null, unknown or of another type than this field's.
    fn from_value(value: &Value, path: &str) -> Result<Self, ProviderError>;

    /// Writes the value. Plain types write no marks; a model marks its `sensitive` fields.
    fn to_value(&self) -> Value;

    /// What a computed attribute holds while it is unknown (before apply decides it): `None`
    /// for `Option`, `Planned::Unknown` for `Planned`; an error for other types.
    ///
    /// # Errors
    /// This type cannot hold "not decided yet".
    fn unknown_computed(path: &str) -> Result<Self, ProviderError> {
        Err(not_known(path))
    }
}

/// A field type that can be a nested block (`#[strata(block)]`): a `#[derive(Model)]` struct
/// (one block, required), `Option<S>` (at most one), `Vec<S>` (a list of blocks),
/// `BTreeMap<String, S>` (blocks with one label each: `node_group "core" { }`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a nested block",
    note = "a block field is a #[derive(Model)] struct S, Option<S>, Vec<S> or BTreeMap<String, S>"
)]
pub trait BlockField: Field {
    const NESTING: Nesting;
    /// How many blocks the configuration must have when the field does not say
    /// (`#[strata(block, min_items = 1)]`).
    const MIN_ITEMS: usize;

    /// The schema of one block.
    fn block() -> BlockSchema;

    /// Reads the block's value. Absent list and map blocks (null) read as empty.
    ///
    /// # Errors
    /// As [`Field::from_value`].
    fn from_block_value(value: &Value, path: &str) -> Result<Self, ProviderError> {
        Self::from_value(value, path)
    }
}

/// A struct whose fields are a block's attributes and nested blocks: a resource's state, a
/// data source's, or the provider's configuration. Write it with `#[derive(Model)]`:
///
/// ```
/// use std::collections::BTreeMap;
/// use strata_provider_sdk::Model;
///
/// /// A group of machines.
/// #[derive(Model)]
/// struct Cluster {
///     /// Cluster name.
///     #[strata(required, force_new)]
///     name: String,
///     /// Release to install.
///     #[strata(optional, allowed = "1.0,2.0", default = "2.0")]
///     release: String,
///     /// Labels for every node.
///     tags: Option<BTreeMap<String, String>>,
///     /// Administrator password.
///     #[strata(sensitive)]
///     password: Option<String>,
///     /// Assigned on create.
///     #[strata(computed)]
///     id: Option<String>,
///     /// A group of nodes with one role.
///     #[strata(block, min_items = 1)]
///     node_group: BTreeMap<String, NodeGroup>,
/// }
///
/// #[derive(Model)]
/// struct NodeGroup {
///     /// Number of nodes.
///     #[strata(default = 1)]
///     count: u32,
/// }
///
/// let schema = Cluster::schema();
/// assert!(schema.attributes["name"].required && schema.attributes["name"].force_new);
/// assert!(schema.attributes["tags"].optional);
/// assert!(schema.blocks.contains_key("node_group"));
/// assert_eq!(Cluster::description(), "A group of machines.");
/// ```
///
/// Field options (`#[strata(...)]`; doc comments become descriptions):
/// - `required`, `optional`, `computed` (with `optional`: the provider fills it in when the
///   configuration leaves it unset). Without any of them, an `Option<T>` field is optional and
///   any other is required. A computed field must be `Option<T>` (or `Planned<T>`): it is
///   `None` while unknown, before apply decides it.
/// - `sensitive`: never shown; the value is always marked sensitive.
/// - `force_new`: a change replaces the object (the default plan says so).
/// - `allowed = "a,b"` or `allowed = ["a", "b"]`: the only values allowed.
/// - `default = LITERAL`: the value when unset (the engine fills it in before planning).
/// - `rename = "type"`: the attribute's name when it is not the field's (`r#type` works too).
/// - `description = "..."`: instead of the doc comment.
/// - `block` (with `min_items = N`, `max_items = N`): a nested block instead of an attribute,
///   for a field of a [`BlockField`] type. A model field without `block` is an object attribute.
///
/// Sensitive marks: a model holds plain values. [`Model::encode`] marks the `sensitive` fields;
/// the SDK also re-applies every mark the engine sent on the value a result was made from
/// (config, planned, prior state), so a value from a sensitive variable stays marked.
pub trait Model: Field + Send + Sync + 'static {
    /// The struct's doc comment: the resource's description.
    fn description() -> &'static str;

    /// The block this model is.
    fn schema() -> BlockSchema;

    /// Reads a whole object. Computed attributes that are still unknown become `None`; any
    /// other unknown is an error naming the attribute.
    ///
    /// # Errors
    /// An attribute is missing a value, unknown, or of the wrong type.
    fn decode(value: &Value) -> Result<Self, ProviderError> {
        Self::from_value(value, "")
    }

    /// Writes a whole object, `sensitive` fields marked.
    fn encode(&self) -> Value {
        self.to_value()
    }
}

pub(crate) fn join(path: &str, name: &str) -> String {
    if path.is_empty() { name.to_owned() } else { format!("{path}.{name}") }
}

pub(crate) fn error_at(path: &str, message: impl Into<String>) -> ProviderError {
    if path.is_empty() { ProviderError::new(message) } else { ProviderError::at(path, message) }
}

fn not_known(path: &str) -> ProviderError {
    error_at(path, "the value is not known yet (known after apply), but the provider needs it here")
}

/// The value's plain form, refusing null and unknown.
fn known<'v>(value: &'v Value, path: &str, expected: &str) -> Result<&'v Value, ProviderError> {
    match value.peel() {
        Value::Unknown(_) => Err(not_known(path)),
        Value::Null => {
            Err(error_at(path, format!("expected {expected}, got null (a field that may be null is an Option<T>)")))
        }
        plain => Ok(plain),
    }
}

fn wrong(path: &str, expected: &str, value: &Value) -> ProviderError {
    error_at(path, format!("expected {expected}, got {}", value.kind_name()))
}

impl Field for String {
    fn value_type() -> Type {
        Type::String
    }
    fn from_value(value: &Value, path: &str) -> Result<Self, ProviderError> {
        match known(value, path, "a string")? {
            Value::String(s) => Ok(s.clone()),
            other => Err(wrong(path, "a string", other)),
        }
    }
    fn to_value(&self) -> Value {
        Value::String(self.clone())
    }
}

impl Field for bool {
    fn value_type() -> Type {
        Type::Bool
    }
    fn from_value(value: &Value, path: &str) -> Result<Self, ProviderError> {
        match known(value, path, "a bool")? {
            Value::Bool(b) => Ok(*b),
            other => Err(wrong(path, "a bool", other)),
        }
    }
    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }
}

fn number(value: &Value, path: &str) -> Result<f64, ProviderError> {
    match known(value, path, "a number")? {
        Value::Number(n) => Ok(*n),
        other => Err(wrong(path, "a number", other)),
    }
}

impl Field for f64 {
    fn value_type() -> Type {
        Type::Number
    }
    fn from_value(value: &Value, path: &str) -> Result<Self, ProviderError> {
        number(value, path)
    }
    fn to_value(&self) -> Value {
        Value::Number(*self)
    }
}

impl Field for f32 {
    fn value_type() -> Type {
        Type::Number
    }
    fn from_value(value: &Value, path: &str) -> Result<Self, ProviderError> {
        Ok(number(value, path)? as f32)
    }
    fn to_value(&self) -> Value {
        Value::Number(f64::from(*self))
    }
}

macro_rules! integer_fields {
    ($($ty:ty),*) => {$(
        impl Field for $ty {
            fn value_type() -> Type {
                Type::Number
            }
            fn from_value(value: &Value, path: &str) -> Result<Self, ProviderError> {
                let n = number(value, path)?;
                if n.fract() != 0.0 || n < <$ty>::MIN as f64 || n > <$ty>::MAX as f64 {
                    return Err(error_at(
                        path,
                        format!("expected a whole number from {} to {}, got {n}", <$ty>::MIN, <$ty>::MAX),
                    ));
                }
                Ok(n as $ty)
            }
            fn to_value(&self) -> Value {
                Value::Number(*self as f64)
            }
        }
    )*};
}

integer_fields!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

impl Field for Value {
    const NULLABLE: bool = true;
    fn value_type() -> Type {
        Type::Any
    }
    fn from_value(value: &Value, _path: &str) -> Result<Self, ProviderError> {
        Ok(value.clone())
    }
    fn to_value(&self) -> Value {
        self.clone()
    }
    fn unknown_computed(_path: &str) -> Result<Self, ProviderError> {
        Ok(Value::unknown())
    }
}

impl<T: Field> Field for Option<T> {
    const NULLABLE: bool = true;
    fn value_type() -> Type {
        T::value_type()
    }
    fn from_value(value: &Value, path: &str) -> Result<Self, ProviderError> {
        if value.is_null() { Ok(None) } else { T::from_value(value, path).map(Some) }
    }
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, T::to_value)
    }
    fn unknown_computed(_path: &str) -> Result<Self, ProviderError> {
        Ok(None)
    }
}

fn sequence<'v>(value: &'v Value, path: &str, expected: &str) -> Result<&'v [Value], ProviderError> {
    match known(value, path, expected)? {
        Value::List(items) | Value::Set(items) => Ok(items),
        other => Err(wrong(path, expected, other)),
    }
}

fn elements<T: Field>(items: &[Value], path: &str) -> Result<Vec<T>, ProviderError> {
    items.iter().enumerate().map(|(i, item)| T::from_value(item, &format!("{path}[{i}]"))).collect()
}

impl<T: Field> Field for Vec<T> {
    fn value_type() -> Type {
        Type::list(T::value_type())
    }
    fn from_value(value: &Value, path: &str) -> Result<Self, ProviderError> {
        elements(sequence(value, path, "a list")?, path)
    }
    fn to_value(&self) -> Value {
        Value::List(self.iter().map(T::to_value).collect())
    }
}

impl<T: Field + Ord> Field for BTreeSet<T> {
    fn value_type() -> Type {
        Type::set(T::value_type())
    }
    fn from_value(value: &Value, path: &str) -> Result<Self, ProviderError> {
        Ok(elements(sequence(value, path, "a set")?, path)?.into_iter().collect())
    }
    fn to_value(&self) -> Value {
        Value::set(self.iter().map(T::to_value))
    }
}

impl<T: Field> Field for BTreeMap<String, T> {
    fn value_type() -> Type {
        Type::map(T::value_type())
    }
    fn from_value(value: &Value, path: &str) -> Result<Self, ProviderError> {
        match known(value, path, "a map")? {
            Value::Map(entries) => {
                entries.iter().map(|(key, item)| Ok((key.clone(), T::from_value(item, &join(path, key))?))).collect()
            }
            other => Err(wrong(path, "a map", other)),
        }
    }
    fn to_value(&self) -> Value {
        Value::Map(self.iter().map(|(key, item)| (key.clone(), item.to_value())).collect())
    }
}

impl<S: Model> BlockField for Option<S> {
    const NESTING: Nesting = Nesting::Single;
    const MIN_ITEMS: usize = 0;
    fn block() -> BlockSchema {
        S::schema()
    }
}

impl<S: Model> BlockField for Vec<S> {
    const NESTING: Nesting = Nesting::List;
    const MIN_ITEMS: usize = 0;
    fn block() -> BlockSchema {
        S::schema()
    }
    fn from_block_value(value: &Value, path: &str) -> Result<Self, ProviderError> {
        if value.is_null() { Ok(Vec::new()) } else { Self::from_value(value, path) }
    }
}

impl<S: Model> BlockField for BTreeMap<String, S> {
    const NESTING: Nesting = Nesting::Map;
    const MIN_ITEMS: usize = 0;
    fn block() -> BlockSchema {
        S::schema()
    }
    fn from_block_value(value: &Value, path: &str) -> Result<Self, ProviderError> {
        if value.is_null() { Ok(BTreeMap::new()) } else { Self::from_value(value, path) }
    }
}
