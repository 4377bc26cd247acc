//! `[for ...]` and `{for ...}` expressions.

use std::collections::BTreeMap;

use hcl::edit::expr::{Expression, ForExpr};
use strata_diagnostics::Diagnostic;
use strata_value::{Type, Value};

use crate::expression::Evaluator;

impl Evaluator<'_> {
    pub(crate) fn eval_for(&mut self, for_expr: &ForExpr) -> Result<Value, Diagnostic> {
        let intro = &for_expr.intro;
        let collection = self.eval(&intro.collection_expr)?;
        let mut sensitive = false;
        let Some(pairs) = self.iteration_pairs(&intro.collection_expr, collection, &mut sensitive)? else {
            return Ok(Value::Unknown(Type::Any));
        };
        let key_var = intro.key_var.as_ref().map(|k| k.value().as_str());
        let value_var = intro.value_var.value().as_str();

        let mut list = Vec::new();
        let mut object: BTreeMap<String, Value> = BTreeMap::new();
        let mut groups: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        let mut unknown = false;
        for (key, value) in pairs {
            let pushed = self.bind_iteration(key_var, value_var, key, value);
            let step = self.for_step(for_expr);
            self.pop_locals(pushed);
            let Some((k, v)) = step? else { continue };
            match k {
                None => list.push(v),
                Some(k) => {
                    let (k, key_sensitive) = k.unmark();
                    sensitive |= key_sensitive;
                    let Some(name) =
                        k.as_str().map(str::to_owned).or_else(|| k.as_number().map(strata_value::format_number))
                    else {
                        if !k.is_known() {
                            unknown = true;
                            continue;
                        }
                        let key_expr = for_expr.key_expr.as_ref().unwrap_or(&for_expr.value_expr);
                        return Err(self.error(
                            key_expr,
                            "Invalid object key",
                            format!("The key expression produced {}, but a string is required.", k.kind_name()),
                        ));
                    };
                    if for_expr.grouping {
                        groups.entry(name).or_default().push(v);
                    } else if object.insert(name.clone(), v).is_some() {
                        let key_expr = for_expr.key_expr.as_ref().unwrap_or(&for_expr.value_expr);
                        return Err(self.error(
                            key_expr,
                            "Duplicate object key",
                            format!(
                                "Two elements produced the key \"{name}\". Add an ellipsis (...) after the value expression to group values by key."
                            ),
                        ));
                    }
                }
            }
        }
        let result = if unknown {
            Value::Unknown(Type::Any)
        } else if for_expr.key_expr.is_none() {
            Value::List(list)
        } else if for_expr.grouping {
            Value::Map(groups.into_iter().map(|(k, v)| (k, Value::List(v))).collect())
        } else {
            Value::Map(object)
        };
        Ok(result.with_sensitive(sensitive))
    }

    /// One iteration: `None` when the `if` clause filtered it out.
    fn for_step(&mut self, for_expr: &ForExpr) -> Result<Option<(Option<Value>, Value)>, Diagnostic> {
        if let Some(cond) = &for_expr.cond {
            let keep = self.eval(&cond.expr)?;
            match keep.peel() {
                Value::Bool(false) => return Ok(None),
                Value::Bool(true) => {}
                Value::Unknown(_) => {
                    return Err(self.error(
                        &cond.expr,
                        "Invalid 'for' condition",
                        "The filter condition depends on a value that is known only after apply.",
                    ));
                }
                other => {
                    return Err(self.error(
                        &cond.expr,
                        "Invalid 'for' condition",
                        format!("The filter condition must be a bool, but this is {}.", other.kind_name()),
                    ));
                }
            }
        }
        let key = match &for_expr.key_expr {
            Some(expr) => Some(self.eval(expr)?),
            None => None,
        };
        Ok(Some((key, self.eval(&for_expr.value_expr)?)))
    }

    /// The (key, value) pairs to iterate over, or `None` when the collection is unknown.
    pub(crate) fn iteration_pairs(
        &self,
        expr: &Expression,
        collection: Value,
        sensitive: &mut bool,
    ) -> Result<Option<Vec<(Value, Value)>>, Diagnostic> {
        let (collection, marked) = collection.unmark();
        *sensitive |= marked;
        match collection {
            Value::Unknown(_) => Ok(None),
            Value::List(items) => {
                Ok(Some(items.into_iter().enumerate().map(|(i, v)| (Value::from(i as i64), v)).collect()))
            }
            // A set's key is its value, as in HCL.
            Value::Set(items) => Ok(Some(items.into_iter().map(|v| (v.clone(), v)).collect())),
            Value::Map(entries) => Ok(Some(entries.into_iter().map(|(k, v)| (Value::String(k), v)).collect())),
            Value::Null => Err(self.error(
                expr,
                "Iteration over null value",
                "A null value cannot be used as the collection in a 'for' expression.",
            )),
            other => Err(self.error(
                expr,
                "Iteration over non-iterable value",
                format!(
                    "A value of type {} cannot be iterated. A list, set, map or object is required.",
                    other.kind_name()
                ),
            )),
        }
    }

    /// Binds the iteration variables; returns how many to pop afterwards.
    pub(crate) fn bind_iteration(&mut self, key_var: Option<&str>, value_var: &str, key: Value, value: Value) -> usize {
        match key_var {
            Some(key_var) => {
                self.push_local(key_var, key);
                self.push_local(value_var, value);
                2
            }
            None => {
                self.push_local(value_var, value);
                1
            }
        }
    }
}
