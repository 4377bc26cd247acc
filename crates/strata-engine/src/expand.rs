//! `count` and `for_each`: which instances a resource has.

use std::collections::BTreeMap;

use strata_addrs::{InstanceKey, ModulePath};
use strata_config::Resource;
use strata_diagnostics::{Diagnostic, Diagnostics};
use strata_eval::{EvalContext, RawReference};
use strata_value::{Type, Value};

use crate::values::{Instances, Values};

/// The instance keys, each with the names (`count`, `each`) its expressions see.
/// `None` when they cannot be known now (a diagnostic says why).
pub(crate) fn expand(
    values: &mut Values<'_>,
    module: &ModulePath,
    resource: &Resource,
    diags: &mut Diagnostics,
) -> Option<Instances> {
    match repetition(values, module, resource.count.as_ref(), resource.for_each.as_ref()) {
        Ok(keys) => Some(keys),
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

/// The instances of a resource or a module call with these `count`/`for_each` arguments,
/// evaluated in `module` (for a module call: the calling module's instance).
pub(crate) fn repetition(
    values: &mut Values<'_>,
    module: &ModulePath,
    count: Option<&strata_config::Expr>,
    for_each: Option<&strata_config::Expr>,
) -> Result<Instances, Diagnostic> {
    if let Some(expr) = count {
        let value = evaluate(values, module, expr)?;
        let invalid =
            |detail: &str| Diagnostic::error("Invalid count argument", detail.to_owned()).with_subject(expr.span());
        if !value.is_known() {
            return Err(invalid("The \"count\" value depends on values that cannot be determined until apply, so Strata cannot predict how many instances will be created.")
                .with_hint("derive count from variables, locals or attributes known before apply, or apply the resources it depends on first with --target"));
        }
        let n = match strata_value::convert(value.peel(), &Type::Number).ok().and_then(|v| v.as_number()) {
            Some(n) if n >= 0.0 && n.fract() == 0.0 => n as i64,
            _ => return Err(invalid("The \"count\" value must be a whole number, zero or more.")),
        };
        return Ok((0..n).map(|i| (InstanceKey::Int(i), Repeat::Count)).collect());
    }
    if let Some(expr) = for_each {
        let value = evaluate(values, module, expr)?;
        let invalid =
            |detail: &str| Diagnostic::error("Invalid for_each argument", detail.to_owned()).with_subject(expr.span());
        if !value.is_wholly_known() {
            return Err(invalid(
                "The \"for_each\" value depends on values that cannot be determined until apply, so Strata cannot predict which instances will be created.",
            ));
        }
        if value.is_sensitive() {
            return Err(invalid(
                "Sensitive values cannot be used as for_each arguments: the instance keys would reveal them.",
            ));
        }
        let pairs: Vec<(String, Value)> = match value.peel() {
            Value::Map(entries) => entries.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            Value::Set(items) => {
                let mut pairs = Vec::new();
                for item in items {
                    let Some(s) = item.as_str() else {
                        return Err(invalid("A set used for for_each must hold strings."));
                    };
                    pairs.push((s.to_owned(), item.clone()));
                }
                pairs
            }
            _ => return Err(invalid("The \"for_each\" value must be a map, or a set of strings.")),
        };
        return Ok(pairs.into_iter().map(|(k, v)| (InstanceKey::String(k), Repeat::Each(v))).collect());
    }
    Ok(vec![(InstanceKey::None, Repeat::Single)])
}

/// What sets one instance apart from its siblings, besides its key: nothing (`count`), or the
/// `for_each` element's value. The names its expressions see (`count.index`, `each.key`,
/// `each.value`) are made from it only while the instance is evaluated: holding them as maps for
/// every instance of a 5,000-instance `count` took about 6 MB of a plan's peak memory.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) enum Repeat {
    /// Neither `count` nor `for_each`.
    #[default]
    Single,
    /// An instance of `count`: `count.index` is its key.
    Count,
    /// An instance of `for_each`: `each.key` is its key, `each.value` this value.
    Each(Value),
}

impl Repeat {
    /// The names the instance with this key sees: `count` or `each`, or none.
    pub(crate) fn names(&self, key: &InstanceKey) -> BTreeMap<String, Value> {
        match (self, key) {
            (Repeat::Count, InstanceKey::Int(i)) => {
                BTreeMap::from([("count".to_owned(), Value::map([("index".to_owned(), Value::from(*i))]))])
            }
            (Repeat::Each(value), InstanceKey::String(k)) => {
                let each =
                    Value::map([("key".to_owned(), Value::from(k.as_str())), ("value".to_owned(), value.clone())]);
                BTreeMap::from([("each".to_owned(), each)])
            }
            _ => BTreeMap::new(),
        }
    }
}

fn evaluate(values: &mut Values<'_>, module: &ModulePath, expr: &strata_config::Expr) -> Result<Value, Diagnostic> {
    values.context(module, expr, &BTreeMap::new()).and_then(|c| c.eval(&expr.expr))
}

/// The context one instance's body is evaluated in.
pub(crate) fn instance_context(
    values: &mut Values<'_>,
    module: &ModulePath,
    resource: &Resource,
    references: &[RawReference],
    extra: BTreeMap<String, Value>,
) -> Result<EvalContext, Diagnostic> {
    values.context_for(module, resource.body.file, references, &extra, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(entries: &[(&str, Value)]) -> Value {
        Value::map(entries.iter().map(|(k, v)| ((*k).to_owned(), v.clone())))
    }

    /// The names an instance sees come from its key and what its `Repeat` keeps.
    #[test]
    fn an_instance_sees_count_or_each_made_from_its_key() {
        let cases: Vec<(Repeat, InstanceKey, BTreeMap<String, Value>)> = vec![
            (Repeat::Single, InstanceKey::None, BTreeMap::new()),
            (
                Repeat::Count,
                InstanceKey::Int(3),
                BTreeMap::from([("count".to_owned(), map(&[("index", Value::from(3))]))]),
            ),
            (
                Repeat::Each(Value::from("eu-central-1")),
                InstanceKey::String("eu".into()),
                BTreeMap::from([(
                    "each".to_owned(),
                    map(&[("key", Value::from("eu")), ("value", Value::from("eu-central-1"))]),
                )]),
            ),
            // A key of another kind than the repetition (never made by `repetition`): no names.
            (Repeat::Count, InstanceKey::String("x".into()), BTreeMap::new()),
        ];
        for (repeat, key, expected) in cases {
            assert_eq!(repeat.names(&key), expected, "{repeat:?} {key:?}");
        }
    }
}
