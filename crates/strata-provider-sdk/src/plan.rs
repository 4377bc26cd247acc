//! [`Plan`]: a resource's planned change, made by the default rules and open to the
//! resource's own. Planning works on values, not models, because the configuration may hold
//! unknowns (an argument that refers to another resource's computed attribute); typed
//! helpers read and write single attributes as [`Planned`] values.

use std::marker::PhantomData;

use strata_provider::{PlanResponse, ProviderError};
use strata_schema::{BlockSchema, Nesting};
use strata_value::{Type, Value};

use crate::marks::keep_marks;
use crate::{Field, Model, Planned};

/// One planned change of a resource of model `M`.
///
/// [`Plan::new`] applies the default rules:
/// - every argument is planned as configured;
/// - a computed attribute the configuration leaves unset (a computed-only one always) keeps
///   its prior value on update and is unknown on create. An optional+computed argument the
///   configuration sets to an unknown value stays unknown;
/// - a `force_new` attribute whose planned value differs from the prior one (or is unknown)
///   requires replacement; so does a nested block holding such an attribute.
///
/// A resource's [`Resource::plan`](crate::Resource::plan) may then change it: mark more
/// attributes unknown (an update that changes them), fill in values, require replacement.
#[derive(Debug)]
pub struct Plan<M> {
    schema: BlockSchema,
    prior: Option<Value>,
    config: Value,
    planned: Value,
    requires_replace: Vec<String>,
    model: PhantomData<fn() -> M>,
}

impl<M: Model> Plan<M> {
    /// The default plan of `config` over `prior` (`None`: a create).
    pub fn new(prior: Option<Value>, config: Value) -> Plan<M> {
        let schema = M::schema();
        let planned = plan_block(&schema, &config, prior.as_ref());
        let requires_replace = match &prior {
            Some(prior) => replaced_attributes(&schema, prior, &planned),
            None => Vec::new(),
        };
        Plan { schema, prior, config, planned, requires_replace, model: PhantomData }
    }

    /// True when the object does not exist yet.
    pub fn is_create(&self) -> bool {
        self.prior.is_none()
    }

    /// The prior state as a model (`None` on create).
    ///
    /// # Errors
    /// The state does not fit the model (see [`Model::decode`]).
    pub fn prior(&self) -> Result<Option<M>, ProviderError> {
        self.prior.as_ref().map(M::decode).transpose()
    }

    pub fn prior_value(&self) -> Option<&Value> {
        self.prior.as_ref()
    }

    pub fn config_value(&self) -> &Value {
        &self.config
    }

    pub fn planned_value(&self) -> &Value {
        &self.planned
    }

    /// One configured attribute (or nested block), read as `T`.
    ///
    /// # Errors
    /// The schema has no such attribute, or its value is not a `T`.
    pub fn config<T: Field>(&self, name: &str) -> Result<Planned<T>, ProviderError> {
        self.check_name(name)?;
        Planned::from_value(attribute(&self.config, name), name)
    }

    /// One planned attribute (or nested block), read as `T`.
    ///
    /// # Errors
    /// As [`Plan::config`].
    pub fn planned<T: Field>(&self, name: &str) -> Result<Planned<T>, ProviderError> {
        self.check_name(name)?;
        Planned::from_value(attribute(&self.planned, name), name)
    }

    /// Plans attribute `name` as `value` (a `T`, or a [`Planned<T>`] to plan it unknown). It
    /// stays marked sensitive when the schema or the value it replaces says so.
    ///
    /// # Errors
    /// The schema has no such attribute.
    pub fn set<T: Field>(&mut self, name: &str, value: T) -> Result<(), ProviderError> {
        self.check_name(name)?;
        let sensitive = self.schema.attributes.get(name).is_some_and(|a| a.sensitive);
        let new = value.to_value().with_sensitive(sensitive);
        if let Value::Map(entries) = unmarked_object(&mut self.planned) {
            let new = match entries.get(name) {
                Some(old) => keep_marks(new, old),
                None => new,
            };
            entries.insert(name.to_owned(), new);
        }
        Ok(())
    }

    /// Plans attribute `name` as unknown: apply decides it.
    ///
    /// # Errors
    /// The schema has no such attribute.
    pub fn set_unknown(&mut self, name: &str) -> Result<(), ProviderError> {
        self.check_name(name)?;
        let ty = match (self.schema.attributes.get(name), self.schema.blocks.get(name)) {
            (Some(attribute), _) => attribute.ty.clone(),
            (None, Some(nested)) => match nested.nesting {
                Nesting::Single => nested.block.value_type(),
                Nesting::List => Type::list(nested.block.value_type()),
                Nesting::Map => Type::map(nested.block.value_type()),
            },
            (None, None) => Type::Any,
        };
        self.set(name, Value::Unknown(ty))
    }

    /// Makes the change a replacement because of `name`.
    ///
    /// # Errors
    /// The schema has no such attribute.
    pub fn require_replace(&mut self, name: &str) -> Result<(), ProviderError> {
        self.check_name(name)?;
        if !self.requires_replace.iter().any(|n| n == name) {
            self.requires_replace.push(name.to_owned());
        }
        Ok(())
    }

    /// The attributes whose change requires replacement so far.
    pub fn requires_replace(&self) -> &[String] {
        &self.requires_replace
    }

    pub fn into_response(self) -> PlanResponse {
        PlanResponse { planned: self.planned, requires_replace: self.requires_replace }
    }

    fn check_name(&self, name: &str) -> Result<(), ProviderError> {
        if self.schema.attributes.contains_key(name) || self.schema.blocks.contains_key(name) {
            Ok(())
        } else {
            Err(ProviderError::new(format!("the provider's plan names \"{name}\", which is not in the schema")))
        }
    }
}

/// The object's map, with a top-level mark moved onto its attributes so they can be changed.
fn unmarked_object(value: &mut Value) -> &mut Value {
    if let Value::Sensitive(inner) = value {
        let (plain, _) = std::mem::replace(inner.as_mut(), Value::Null).unmark();
        let marked = match plain {
            Value::Map(entries) => Value::Map(entries.into_iter().map(|(k, v)| (k, v.mark_sensitive())).collect()),
            other => other.mark_sensitive(),
        };
        *value = marked;
    }
    value
}

fn attribute<'v>(object: &'v Value, name: &str) -> &'v Value {
    match object.peel() {
        Value::Map(entries) => entries.get(name).unwrap_or(&Value::Null),
        // An unknown object: every attribute is unknown.
        Value::Unknown(_) => object.peel(),
        _ => &Value::Null,
    }
}

/// The default plan of one block: `config` with computed attributes filled in from `prior`
/// or left unknown.
fn plan_block(schema: &BlockSchema, config: &Value, prior: Option<&Value>) -> Value {
    let Value::Map(entries) = config.peel() else { return config.clone() };
    let prior_entries = prior.and_then(|p| p.peel().as_mapping());
    let mut planned = entries.clone();
    for (name, attribute) in &schema.attributes {
        if !attribute.computed {
            continue;
        }
        let configured = entries.get(name).unwrap_or(&Value::Null);
        let unset = !attribute.is_argument() || configured.is_null();
        if !unset {
            continue;
        }
        let value = match prior_entries {
            Some(prior) => prior.get(name).cloned().unwrap_or(Value::Null),
            None => Value::Unknown(attribute.ty.clone()),
        };
        let marked = configured.is_sensitive() || attribute.sensitive;
        planned.insert(name.clone(), value.with_sensitive(marked));
    }
    for (name, nested) in &schema.blocks {
        let Some(configured) = entries.get(name) else { continue };
        let prior = prior_entries.and_then(|p| p.get(name));
        let value = match (nested.nesting, configured.peel()) {
            (Nesting::Single, _) => plan_block(&nested.block, configured, prior),
            (Nesting::List, Value::List(items)) => Value::List(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let prior = prior.and_then(|p| p.as_sequence()).and_then(|p| p.get(i));
                        plan_block(&nested.block, item, prior)
                    })
                    .collect(),
            ),
            (Nesting::Map, Value::Map(blocks)) => Value::Map(
                blocks
                    .iter()
                    .map(|(key, item)| {
                        let prior = prior.and_then(|p| p.as_mapping()).and_then(|p| p.get(key));
                        (key.clone(), plan_block(&nested.block, item, prior))
                    })
                    .collect(),
            ),
            _ => configured.clone(),
        };
        planned.insert(name.clone(), value.with_sensitive(configured.is_sensitive()));
    }
    Value::Map(planned).with_sensitive(config.is_sensitive())
}

/// Top-level attributes and nested blocks whose `force_new` attributes change.
fn replaced_attributes(schema: &BlockSchema, prior: &Value, planned: &Value) -> Vec<String> {
    let mut names = Vec::new();
    for (name, attribute) in &schema.attributes {
        if attribute.force_new && differs(attribute_of(prior, name), attribute_of(planned, name)) {
            names.push(name.clone());
        }
    }
    for (name, nested) in &schema.blocks {
        if block_forces_new(nested.nesting, &nested.block, attribute_of(prior, name), attribute_of(planned, name)) {
            names.push(name.clone());
        }
    }
    names
}

fn attribute_of<'v>(object: &'v Value, name: &str) -> &'v Value {
    match object.peel() {
        Value::Map(entries) => entries.get(name).unwrap_or(&Value::Null),
        other => other,
    }
}

/// A change, ignoring marks; an unknown value may be one.
fn differs(prior: &Value, planned: &Value) -> bool {
    !planned.is_wholly_known() || prior.clone().unmark_deep().0 != planned.clone().unmark_deep().0
}

/// True when the block type has a `force_new` attribute at any depth.
fn has_force_new(block: &BlockSchema) -> bool {
    block.attributes.values().any(|a| a.force_new) || block.blocks.values().any(|n| has_force_new(&n.block))
}

/// A nested block forces replacement when a `force_new` attribute inside changes, or when
/// blocks of a type with such attributes are added or removed.
fn block_forces_new(nesting: Nesting, block: &BlockSchema, prior: &Value, planned: &Value) -> bool {
    if !has_force_new(block) {
        return false;
    }
    let one = |prior: &Value, planned: &Value| match (prior.peel(), planned.peel()) {
        (Value::Map(_), Value::Map(_)) => !replaced_attributes(block, prior, planned).is_empty(),
        _ => differs(prior, planned),
    };
    match (nesting, prior.peel(), planned.peel()) {
        (Nesting::Single, _, _) => one(prior, planned),
        (Nesting::List, Value::List(a), Value::List(b)) => {
            a.len() != b.len() || a.iter().zip(b).any(|(x, y)| one(x, y))
        }
        (Nesting::Map, Value::Map(a), Value::Map(b)) => {
            a.keys().ne(b.keys()) || a.iter().any(|(key, x)| b.get(key).is_some_and(|y| one(x, y)))
        }
        _ => differs(prior, planned),
    }
}
