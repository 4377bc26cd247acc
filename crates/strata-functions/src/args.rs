//! The arguments of one call, read with the function's parameter names at hand so every error
//! names the parameter: `Invalid value for "separator": a string is required, but have a list.`

use std::collections::BTreeMap;

use strata_value::{Type, Value, convert};

use crate::registry::Spec;
use crate::{FunctionContext, FunctionError};

/// Arguments with their marks already stripped (see `marks.rs`).
pub(crate) struct Args<'a> {
    pub(crate) spec: &'static Spec,
    pub(crate) values: Vec<Value>,
    /// Which arguments carried a sensitive mark, so messages never quote them.
    sensitive: Vec<bool>,
    pub(crate) ctx: &'a FunctionContext,
}

impl<'a> Args<'a> {
    pub(crate) fn new(spec: &'static Spec, values: Vec<Value>, sensitive: Vec<bool>, ctx: &'a FunctionContext) -> Self {
        Args { spec, values, sensitive, ctx }
    }

    pub(crate) fn len(&self) -> usize {
        self.values.len()
    }

    /// The argument at `index`, whatever it is (null and unknown included).
    pub(crate) fn value(&self, index: usize) -> &Value {
        &self.values[index]
    }

    /// An optional argument, if given.
    pub(crate) fn optional(&self, index: usize) -> Option<&Value> {
        self.values.get(index)
    }

    /// The argument at `index`, which must not be null.
    pub(crate) fn non_null(&self, index: usize) -> Result<&Value, FunctionError> {
        let value = self.value(index);
        if value.is_null() { Err(self.invalid(index, "argument must not be null")) } else { Ok(value) }
    }

    /// An argument error: `Invalid value for "<param>": <message>.`
    pub(crate) fn invalid(&self, index: usize, message: impl AsRef<str>) -> FunctionError {
        FunctionError::Argument {
            name: self.spec.name().to_owned(),
            index,
            message: format!("Invalid value for \"{}\": {}.", self.spec.param(index), message.as_ref()),
        }
    }

    /// A failed call; `message` is a clause without a final period.
    pub(crate) fn failed(&self, message: impl AsRef<str>) -> FunctionError {
        FunctionError::Failed { name: self.spec.name().to_owned(), message: format!("{}.", message.as_ref()) }
    }

    /// `text` quoted for a message, or a placeholder when argument `index` is sensitive.
    pub(crate) fn quote(&self, index: usize, text: &str) -> String {
        if self.sensitive.get(index).copied().unwrap_or(false) {
            "(sensitive value)".to_owned()
        } else {
            format!("{text:?}")
        }
    }

    pub(crate) fn string(&self, index: usize) -> Result<String, FunctionError> {
        let value = self.non_null(index)?;
        self.primitive(index, value, &Type::String).map(|v| v.as_str().unwrap_or_default().to_owned())
    }

    pub(crate) fn number(&self, index: usize) -> Result<f64, FunctionError> {
        let value = self.non_null(index)?;
        self.primitive(index, value, &Type::Number).map(|v| v.as_number().unwrap_or_default())
    }

    /// A number without a fractional part.
    pub(crate) fn integer(&self, index: usize) -> Result<i64, FunctionError> {
        let n = self.number(index)?;
        if n.fract() != 0.0 || !n.is_finite() || n.abs() > 9.0e15 {
            let shown = if self.sensitive[index] { "(sensitive value)".to_owned() } else { n.to_string() };
            return Err(self.invalid(index, format!("a whole number is required, but have {shown}")));
        }
        Ok(n as i64)
    }

    /// The elements of a list, tuple or set.
    pub(crate) fn sequence(&self, index: usize) -> Result<&[Value], FunctionError> {
        let value = self.non_null(index)?;
        value
            .as_sequence()
            .ok_or_else(|| self.invalid(index, format!("a list is required, but have {}", describe(value))))
    }

    /// The entries of a map or object.
    pub(crate) fn mapping(&self, index: usize) -> Result<&BTreeMap<String, Value>, FunctionError> {
        let value = self.non_null(index)?;
        value
            .as_mapping()
            .ok_or_else(|| self.invalid(index, format!("a map is required, but have {}", describe(value))))
    }

    /// A list of strings; numbers and bools are converted.
    pub(crate) fn strings(&self, index: usize) -> Result<Vec<String>, FunctionError> {
        self.sequence(index)?
            .iter()
            .enumerate()
            .map(|(position, item)| self.element_string(index, position, item))
            .collect()
    }

    /// A list of numbers; strings holding numbers are converted.
    pub(crate) fn numbers(&self, index: usize) -> Result<Vec<f64>, FunctionError> {
        let items = self.sequence(index)?;
        let mut out = Vec::with_capacity(items.len());
        for (position, item) in items.iter().enumerate() {
            if item.is_null() {
                return Err(self.invalid(index, format!("element {position} must not be null")));
            }
            match convert_primitive(item, &Type::Number) {
                Some(Value::Number(n)) => out.push(n),
                _ => {
                    let message = format!("element {position}: {}", self.mismatch(index, item, &Type::Number));
                    return Err(self.invalid(index, message));
                }
            }
        }
        Ok(out)
    }

    /// Element `position` of argument `index` as a string.
    pub(crate) fn element_string(&self, index: usize, position: usize, item: &Value) -> Result<String, FunctionError> {
        if item.is_null() {
            return Err(self.invalid(index, format!("element {position} must not be null")));
        }
        match convert_primitive(item, &Type::String) {
            Some(Value::String(s)) => Ok(s),
            _ => Err(self.invalid(index, format!("element {position}: {}", self.mismatch(index, item, &Type::String)))),
        }
    }

    /// `value` (argument `index` or part of it) converted to a primitive type.
    pub(crate) fn primitive(&self, index: usize, value: &Value, target: &Type) -> Result<Value, FunctionError> {
        convert_primitive(value, target).ok_or_else(|| self.invalid(index, self.mismatch(index, value, target)))
    }

    /// Why `value` does not convert to `target`, without quoting a sensitive value.
    fn mismatch(&self, index: usize, value: &Value, target: &Type) -> String {
        let required = match target {
            Type::Number => "a number",
            Type::Bool => "a bool",
            _ => "a string",
        };
        match value.as_str() {
            Some(text) => format!("{required} is required, but {} is not {required}", self.quote(index, text)),
            None => format!("{required} is required, but have {}", describe(value)),
        }
    }
}

/// A primitive converted to another primitive type (number to string, "2" to number, ...).
pub(crate) fn convert_primitive(value: &Value, target: &Type) -> Option<Value> {
    match value.peel() {
        Value::String(_) | Value::Number(_) | Value::Bool(_) => convert(value, target).ok(),
        _ => None,
    }
}

/// "a list", "a string", "null": what a value is, for messages.
pub(crate) fn describe(value: &Value) -> &'static str {
    match value.peel() {
        Value::Null => "null",
        Value::Bool(_) => "a bool",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::List(_) => "a list",
        Value::Set(_) => "a set",
        Value::Map(_) => "a map",
        Value::Unknown(_) => "an unknown value",
        Value::Sensitive(_) => "a sensitive value",
    }
}
