//! Attribute access, indexing and splats.

use hcl::edit::Decorated;
use hcl::edit::expr::{Traversal, TraversalOperator};
use strata_diagnostics::Diagnostic;
use strata_value::{Type, Value, convert, format_number};

use crate::expression::Evaluator;

impl Evaluator<'_> {
    pub(crate) fn eval_traversal(&mut self, traversal: &Traversal) -> Result<Value, Diagnostic> {
        let operators: Vec<&Decorated<TraversalOperator>> = traversal.operators.iter().collect();
        // Fast path: walk leading attribute steps by reference, so `emr_cluster.a.id` does not
        // copy the object of every emr_cluster in the module.
        if let hcl::edit::expr::Expression::Variable(root) = &traversal.expr {
            let mut current = self.lookup_ref(root.value().as_str(), root)?;
            let mut taken = 0;
            for operator in &operators {
                let next = match (operator.value(), current) {
                    (TraversalOperator::GetAttr(name), Value::Map(entries)) => entries.get(name.value().as_str()),
                    _ => None,
                };
                match next {
                    Some(value) => {
                        current = value;
                        taken += 1;
                    }
                    None => break,
                }
            }
            let start = current.clone();
            return self.apply_operators(start, &operators[taken..]);
        }
        let base = self.eval(&traversal.expr)?;
        self.apply_operators(base, &operators)
    }

    fn apply_operators(
        &mut self,
        mut value: Value,
        operators: &[&Decorated<TraversalOperator>],
    ) -> Result<Value, Diagnostic> {
        let mut i = 0;
        while i < operators.len() {
            let operator = operators[i];
            match operator.value() {
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    // An attribute splat applies only the attribute accesses right after it; a
                    // full splat applies everything that follows.
                    let full = matches!(operator.value(), TraversalOperator::FullSplat(_));
                    let rest = &operators[i + 1..];
                    let take = if full {
                        rest.len()
                    } else {
                        rest.iter().take_while(|op| matches!(op.value(), TraversalOperator::GetAttr(_))).count()
                    };
                    value = self.splat(value, &rest[..take])?;
                    i += 1 + take;
                }
                TraversalOperator::GetAttr(name) => {
                    value = self.get_attr(value, name.value().as_str(), operator)?;
                    i += 1;
                }
                TraversalOperator::Index(expr) => {
                    let key = self.eval(expr)?;
                    value = self.index(value, key, operator)?;
                    i += 1;
                }
                TraversalOperator::LegacyIndex(index) => {
                    value = self.index(value, Value::Number(*index.value() as f64), operator)?;
                    i += 1;
                }
            }
        }
        Ok(value)
    }

    fn splat(&mut self, value: Value, rest: &[&Decorated<TraversalOperator>]) -> Result<Value, Diagnostic> {
        let (value, sensitive) = value.unmark();
        let items = match value {
            Value::Unknown(_) => return Ok(Value::Unknown(Type::Any).with_sensitive(sensitive)),
            Value::Null => Vec::new(),
            Value::List(items) | Value::Set(items) => items,
            // A splat on a single value treats it as a one-element list, as in HCL.
            other => vec![other],
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            out.push(self.apply_operators(item, rest)?);
        }
        Ok(Value::List(out).with_sensitive(sensitive))
    }

    fn get_attr(&self, value: Value, name: &str, node: &Decorated<TraversalOperator>) -> Result<Value, Diagnostic> {
        let (value, sensitive) = value.unmark();
        match value {
            Value::Unknown(Type::Object(attrs)) => {
                Ok(Value::Unknown(attrs.get(name).map_or(Type::Any, |a| a.ty.clone())).with_sensitive(sensitive))
            }
            Value::Unknown(_) => Ok(Value::Unknown(Type::Any).with_sensitive(sensitive)),
            Value::Null => Err(self.error(
                node,
                "Attempt to get attribute from null value",
                format!("This value is null, so it does not have any attributes; \"{name}\" cannot be read."),
            )),
            Value::Map(mut entries) => match entries.remove(name) {
                Some(v) => Ok(v.with_sensitive(sensitive)),
                None => {
                    let hint = strata_diagnostics::did_you_mean(name, entries.keys().map(String::as_str));
                    Err(self
                        .error(
                            node,
                            "Unsupported attribute",
                            format!("This object does not have an attribute named \"{name}\"."),
                        )
                        .with_optional_hint(hint))
                }
            },
            other => Err(self.error(
                node,
                "Unsupported attribute",
                format!("Can't access attribute \"{name}\" on a value of type {}.", other.kind_name()),
            )),
        }
    }

    fn index(&self, value: Value, key: Value, node: &Decorated<TraversalOperator>) -> Result<Value, Diagnostic> {
        let (value, value_sensitive) = value.unmark();
        let (key, key_sensitive) = key.unmark_deep();
        let sensitive = value_sensitive || key_sensitive;
        if !value.is_known() || !key.is_known() {
            return Ok(Value::Unknown(Type::Any).with_sensitive(sensitive));
        }
        let invalid = |detail: String| self.error(node, "Invalid index", detail);
        match value {
            Value::Null => Err(invalid("This value is null, so it cannot be indexed.".into())),
            Value::List(items) => {
                let index = convert(&key, &Type::Number)
                    .ok()
                    .and_then(|k| k.as_number())
                    .filter(|n| n.fract() == 0.0)
                    .ok_or_else(|| invalid(format!("A list is indexed by a whole number, not by {key}.")))?;
                if index < 0.0 || index as usize >= items.len() {
                    return Err(invalid(format!(
                        "The index {} is out of range: this list has {} element(s).",
                        format_number(index),
                        items.len()
                    )));
                }
                Ok(items.into_iter().nth(index as usize).unwrap_or(Value::Null).with_sensitive(sensitive))
            }
            Value::Map(mut entries) => {
                let name = convert(&key, &Type::String)
                    .ok()
                    .and_then(|k| k.as_str().map(str::to_owned))
                    .ok_or_else(|| invalid(format!("An object or map is indexed by a string, not by {key}.")))?;
                entries.remove(&name).map(|v| v.with_sensitive(sensitive)).ok_or_else(|| {
                    invalid(format!("The given key \"{name}\" does not identify an element in this collection."))
                        .with_optional_hint(strata_diagnostics::did_you_mean(&name, entries.keys().map(String::as_str)))
                })
            }
            Value::Set(_) => Err(invalid(
                "Elements of a set cannot be indexed, because a set has no order. Convert it with tolist() first."
                    .into(),
            )),
            other => Err(invalid(format!("A value of type {} cannot be indexed.", other.kind_name()))),
        }
    }
}
