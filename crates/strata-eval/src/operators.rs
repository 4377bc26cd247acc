//! Unary and binary operators.

use hcl::edit::expr::{BinaryOp, BinaryOperator, Expression, UnaryOp, UnaryOperator};
use strata_diagnostics::Diagnostic;
use strata_value::{Type, Value, convert};

use crate::expression::Evaluator;

impl Evaluator<'_> {
    pub(crate) fn eval_unary(&mut self, op: &UnaryOp) -> Result<Value, Diagnostic> {
        let operand = self.eval(&op.expr)?;
        let (operand, sensitive) = operand.unmark_deep();
        let result = match op.operator.value() {
            UnaryOperator::Neg => {
                let n = self.operand(&op.expr, operand, &Type::Number, "operand")?;
                n.map(|v| Value::Number(-v.as_number().unwrap_or_default()))
            }
            UnaryOperator::Not => {
                let b = self.operand(&op.expr, operand, &Type::Bool, "operand")?;
                b.map(|v| Value::Bool(!v.as_bool().unwrap_or_default()))
            }
        };
        let result_type = match op.operator.value() {
            UnaryOperator::Neg => Type::Number,
            UnaryOperator::Not => Type::Bool,
        };
        Ok(result.unwrap_or(Value::Unknown(result_type)).with_sensitive(sensitive))
    }

    pub(crate) fn eval_binary(&mut self, op: &BinaryOp) -> Result<Value, Diagnostic> {
        use BinaryOperator::*;
        let operator = *op.operator.value();
        let lhs = self.eval(&op.lhs_expr)?;
        let (lhs, lhs_sensitive) = lhs.unmark_deep();

        // `&&` and `||` decide from a known left side alone, so `x != null && x.y` works.
        if matches!(operator, And | Or)
            && let Some(Value::Bool(b)) = self.operand(&op.lhs_expr, lhs.clone(), &Type::Bool, "left operand")?
            && ((operator == And && !b) || (operator == Or && b))
        {
            return Ok(Value::Bool(b).with_sensitive(lhs_sensitive));
        }

        let rhs = self.eval(&op.rhs_expr)?;
        let (rhs, rhs_sensitive) = rhs.unmark_deep();
        let sensitive = lhs_sensitive || rhs_sensitive;

        let result = match operator {
            Eq | NotEq => {
                if !lhs.is_wholly_known() || !rhs.is_wholly_known() {
                    Value::Unknown(Type::Bool)
                } else {
                    Value::Bool(values_equal(&lhs, &rhs) == (operator == Eq))
                }
            }
            And | Or => {
                let l = self.operand(&op.lhs_expr, lhs, &Type::Bool, "left operand")?;
                let r = self.operand(&op.rhs_expr, rhs, &Type::Bool, "right operand")?;
                match (l, r) {
                    (Some(l), Some(r)) => {
                        let (l, r) = (l.as_bool().unwrap_or_default(), r.as_bool().unwrap_or_default());
                        Value::Bool(if operator == And { l && r } else { l || r })
                    }
                    _ => Value::Unknown(Type::Bool),
                }
            }
            _ => {
                let l = self.operand(&op.lhs_expr, lhs, &Type::Number, "left operand")?;
                let r = self.operand(&op.rhs_expr, rhs, &Type::Number, "right operand")?;
                let is_comparison = matches!(operator, Less | LessEq | Greater | GreaterEq);
                match (l.and_then(|v| v.as_number()), r.and_then(|v| v.as_number())) {
                    (Some(l), Some(r)) => self.arithmetic(op, operator, l, r)?,
                    _ if is_comparison => Value::Unknown(Type::Bool),
                    _ => Value::Unknown(Type::Number),
                }
            }
        };
        Ok(result.with_sensitive(sensitive))
    }

    fn arithmetic(&self, op: &BinaryOp, operator: BinaryOperator, l: f64, r: f64) -> Result<Value, Diagnostic> {
        use BinaryOperator::*;
        Ok(match operator {
            Plus => Value::Number(l + r),
            Minus => Value::Number(l - r),
            Mul => Value::Number(l * r),
            Div | Mod if r == 0.0 => {
                return Err(self.error(
                    &op.rhs_expr,
                    "Division by zero",
                    "The right operand of this division is zero, so the result is undefined.",
                ));
            }
            Div => Value::Number(l / r),
            Mod => Value::Number(l % r),
            Less => Value::Bool(l < r),
            LessEq => Value::Bool(l <= r),
            Greater => Value::Bool(l > r),
            GreaterEq => Value::Bool(l >= r),
            Eq | NotEq | And | Or => unreachable!("handled by eval_binary"),
        })
    }

    /// Converts an operand to the operator's type; `None` when it is unknown.
    fn operand(&self, expr: &Expression, value: Value, ty: &Type, which: &str) -> Result<Option<Value>, Diagnostic> {
        if !value.is_known() {
            return Ok(None);
        }
        if value.is_null() {
            return Err(self.error(
                expr,
                "Invalid operand",
                format!("Unsuitable value for {which}: a {} is required, but this is null.", ty.friendly_name()),
            ));
        }
        convert(&value, ty)
            .map(Some)
            .map_err(|e| self.error(expr, "Invalid operand", format!("Unsuitable value for {which}: {}.", e.message)))
    }
}

/// Structural equality where numbers compare by value and lists/tuples compare alike.
fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y,
        (Value::List(x), Value::List(y)) | (Value::Set(x), Value::Set(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| values_equal(a, b))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|((ka, va), (kb, vb))| ka == kb && values_equal(va, vb))
        }
        _ => a == b,
    }
}
