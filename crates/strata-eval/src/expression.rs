//! The evaluator's core: one match over the expression tree.

use std::collections::BTreeMap;

use hcl::edit::expr::{Expression, ObjectKey};
use strata_diagnostics::Diagnostic;
use strata_value::{Type, Value};

use crate::EvalContext;
use crate::errors::error_at;

/// Evaluates expressions of one context, with the iteration variables of enclosing `for`
/// expressions and template directives on a stack (innermost last).
pub(crate) struct Evaluator<'a> {
    pub(crate) ctx: &'a EvalContext,
    locals: Vec<(String, Value)>,
}

impl<'a> Evaluator<'a> {
    pub(crate) fn new(ctx: &'a EvalContext) -> Evaluator<'a> {
        Evaluator { ctx, locals: Vec::new() }
    }

    pub(crate) fn push_local(&mut self, name: &str, value: Value) {
        self.locals.push((name.to_owned(), value));
    }

    pub(crate) fn pop_locals(&mut self, count: usize) {
        self.locals.truncate(self.locals.len() - count);
    }

    pub(crate) fn error(&self, node: &impl hcl::edit::Span, summary: &str, detail: impl Into<String>) -> Diagnostic {
        error_at(self.ctx.file, node, summary, detail)
    }

    pub(crate) fn eval(&mut self, expr: &Expression) -> Result<Value, Diagnostic> {
        match expr {
            Expression::Null(_) => Ok(Value::Null),
            Expression::Bool(b) => Ok(Value::Bool(*b.value())),
            Expression::Number(n) => Ok(Value::Number(n.value().as_f64().unwrap_or(f64::NAN))),
            Expression::String(s) => Ok(Value::String(s.value().clone())),
            Expression::Array(array) => {
                let mut items = Vec::with_capacity(array.len());
                for item in array.iter() {
                    items.push(self.eval(item)?);
                }
                Ok(Value::List(items))
            }
            Expression::Object(object) => self.eval_object(object),
            Expression::StringTemplate(template) => self.eval_template(template, false, false),
            Expression::HeredocTemplate(heredoc) => self.eval_template(&heredoc.template, false, false),
            Expression::Parenthesis(inner) => self.eval(inner.inner()),
            Expression::Variable(ident) => self.lookup(ident.value().as_str(), ident),
            Expression::Conditional(conditional) => self.eval_conditional(conditional),
            Expression::FuncCall(call) => self.eval_call(call),
            Expression::Traversal(traversal) => self.eval_traversal(traversal),
            Expression::UnaryOp(op) => self.eval_unary(op),
            Expression::BinaryOp(op) => self.eval_binary(op),
            Expression::ForExpr(for_expr) => self.eval_for(for_expr),
        }
    }

    fn lookup(&self, name: &str, node: &impl hcl::edit::Span) -> Result<Value, Diagnostic> {
        self.lookup_ref(name, node).cloned()
    }

    /// Like `lookup`, without copying the value (scopes hold large objects).
    pub(crate) fn lookup_ref(&self, name: &str, node: &impl hcl::edit::Span) -> Result<&Value, Diagnostic> {
        if let Some((_, value)) = self.locals.iter().rev().find(|(n, _)| n == name) {
            return Ok(value);
        }
        self.ctx.get(name).ok_or_else(|| {
            let mut names: Vec<&str> = self.ctx.scope.keys().chain(self.ctx.extra.keys()).map(String::as_str).collect();
            names.extend(self.locals.iter().map(|(n, _)| n.as_str()));
            self.error(node, "Unknown variable", format!("There is no variable named \"{name}\"."))
                .with_optional_hint(strata_diagnostics::did_you_mean(name, names))
        })
    }

    fn eval_object(&mut self, object: &hcl::edit::expr::Object) -> Result<Value, Diagnostic> {
        let mut entries = BTreeMap::new();
        let mut unknown_key = false;
        let mut sensitive_key = false;
        for (key, value) in object.iter() {
            let key_name = match key {
                ObjectKey::Ident(ident) => ident.value().as_str().to_owned(),
                ObjectKey::Expression(expr) => {
                    let key_value = self.eval(expr)?;
                    if !key_value.is_known() {
                        unknown_key = true;
                        continue;
                    }
                    sensitive_key |= key_value.contains_sensitive();
                    match strata_value::convert(&key_value, &Type::String) {
                        Ok(v) if !v.is_null() => v.peel().as_str().unwrap_or_default().to_owned(),
                        _ => {
                            return Err(self.error(
                                expr,
                                "Invalid object key",
                                format!("An object key must be a string, but this is {}.", key_value.kind_name()),
                            ));
                        }
                    }
                }
            };
            let value = self.eval(value.expr())?;
            if entries.insert(key_name.clone(), value).is_some() {
                return Err(self.error(
                    key,
                    "Duplicate object key",
                    format!("The key \"{key_name}\" is given more than once in this object."),
                ));
            }
        }
        if unknown_key {
            // With a key unknown we cannot know the object's shape.
            return Ok(Value::Unknown(Type::Any));
        }
        Ok(Value::Map(entries).with_sensitive(sensitive_key))
    }

    fn eval_conditional(&mut self, conditional: &hcl::edit::expr::Conditional) -> Result<Value, Diagnostic> {
        let condition = self.eval(&conditional.cond_expr)?;
        let (condition, sensitive) = condition.unmark();
        let condition = match condition {
            Value::Unknown(_) => {
                // Still evaluate both branches so their errors are reported now.
                let when_true = self.eval(&conditional.true_expr)?;
                self.eval(&conditional.false_expr)?;
                return Ok(Value::Unknown(Type::of(&when_true)).with_sensitive(sensitive));
            }
            Value::Null => {
                return Err(self.error(
                    &conditional.cond_expr,
                    "Null condition",
                    "The condition value is null. Conditions must either be true or false.",
                ));
            }
            other => match strata_value::convert(&other, &Type::Bool) {
                Ok(Value::Bool(b)) => b,
                _ => {
                    return Err(self.error(
                        &conditional.cond_expr,
                        "Incorrect condition type",
                        format!("The condition expression must be a bool, but this is {}.", other.kind_name()),
                    ));
                }
            },
        };
        let chosen = if condition { &conditional.true_expr } else { &conditional.false_expr };
        Ok(self.eval(chosen)?.with_sensitive(sensitive))
    }
}
