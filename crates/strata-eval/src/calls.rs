//! Function calls. `try`, `can` and `templatefile` live here because they evaluate
//! expressions; everything else is in `strata-functions`.

use hcl::edit::expr::{Expression, FuncCall};
use strata_diagnostics::{Diagnostic, did_you_mean};
use strata_functions::{Arity, FunctionError};
use strata_value::{Type, Value};

use crate::EvalContext;
use crate::expression::Evaluator;

const EVALUATOR_FUNCTIONS: [&str; 3] = ["try", "can", "templatefile"];

impl Evaluator<'_> {
    pub(crate) fn eval_call(&mut self, call: &FuncCall) -> Result<Value, Diagnostic> {
        let name = call.name.name.value().as_str();
        let arg_exprs: Vec<&Expression> = call.args.iter().collect();
        match name {
            "try" => return self.eval_try(call, &arg_exprs),
            "can" => return self.eval_can(call, &arg_exprs),
            _ => {}
        }
        if call.name.is_namespaced() || (!strata_functions::exists(name) && name != "templatefile") {
            let candidates = strata_functions::names().chain(EVALUATOR_FUNCTIONS);
            return Err(self
                .error(&call.name.name, "Call to unknown function", format!("There is no function named \"{name}\"."))
                .with_optional_hint(did_you_mean(name, candidates)));
        }

        let mut args = Vec::with_capacity(arg_exprs.len());
        for expr in &arg_exprs {
            args.push(self.eval(expr)?);
        }
        if call.args.expand_final() {
            // `f(a, list...)` spreads the last argument.
            let last = args.pop().unwrap_or(Value::Null);
            match last.peel() {
                Value::List(items) | Value::Set(items) => args.extend(items.iter().cloned()),
                Value::Unknown(_) => return Ok(Value::Unknown(Type::Any)),
                _ => {
                    let node = arg_exprs.last().copied();
                    return Err(self.error_at_optional(
                        node,
                        call,
                        "Invalid expanding argument value",
                        "The expanding argument (indicated by ...) must be a list or tuple.",
                    ));
                }
            }
        }

        if name == "templatefile" {
            return self.templatefile(call, &arg_exprs, args);
        }
        strata_functions::call(name, args, &self.ctx.functions).map_err(|e| self.function_error(call, &arg_exprs, e))
    }

    fn error_at_optional(&self, node: Option<&Expression>, call: &FuncCall, summary: &str, detail: &str) -> Diagnostic {
        match node {
            Some(expr) => self.error(expr, summary, detail),
            None => self.error(call, summary, detail),
        }
    }

    fn function_error(&self, call: &FuncCall, args: &[&Expression], error: FunctionError) -> Diagnostic {
        let signature = strata_functions::signature(call.name.name.value().as_str());
        let with_signature = |d: Diagnostic| match signature {
            Some(s) => d.with_hint(format!("the function is called as {s}")),
            None => d,
        };
        match error.clone() {
            FunctionError::Unknown { name } => {
                self.error(call, "Call to unknown function", format!("There is no function named \"{name}\"."))
            }
            FunctionError::Arity { expected, got, .. } => {
                let summary = if got < minimum(expected) {
                    "Not enough function arguments"
                } else {
                    "Too many function arguments"
                };
                let detail = error.to_string();
                with_signature(self.error(call, summary, detail))
            }
            FunctionError::Argument { index, message, .. } => with_signature(self.error_at_optional(
                args.get(index).copied(),
                call,
                "Invalid function argument",
                &message,
            )),
            FunctionError::Failed { name, message } => {
                self.error(call, "Error in function call", format!("Call to function \"{name}\" failed: {message}"))
            }
        }
    }

    /// `try(a, b, ...)`: the first argument that evaluates without error.
    fn eval_try(&mut self, call: &FuncCall, args: &[&Expression]) -> Result<Value, Diagnostic> {
        if args.is_empty() {
            return Err(self.error(
                call,
                "Not enough function arguments",
                "Function \"try\" expects at least one argument.",
            ));
        }
        let mut last_error = None;
        for expr in args {
            match self.eval(expr) {
                // An unknown result might still fail after apply, so the whole call is unknown.
                Ok(value) if !value.is_wholly_known() => return Ok(Value::Unknown(Type::of(&value))),
                Ok(value) => return Ok(value),
                Err(e) => last_error = Some(e),
            }
        }
        let detail = last_error.map(|e| e.detail).unwrap_or_default();
        Err(self.error(
            call,
            "Error in function call",
            format!("Call to function \"try\" failed: no expression succeeded. The last one failed with: {detail}"),
        ))
    }

    /// `can(expr)`: whether the expression evaluates without error.
    fn eval_can(&mut self, call: &FuncCall, args: &[&Expression]) -> Result<Value, Diagnostic> {
        let [expr] = args else {
            return Err(self.error(
                call,
                if args.is_empty() { "Not enough function arguments" } else { "Too many function arguments" },
                format!("Function \"can\" expects exactly one argument, but {} were given.", args.len()),
            ));
        };
        Ok(match self.eval(expr) {
            Ok(value) if !value.is_wholly_known() => Value::Unknown(Type::Bool),
            Ok(_) => Value::Bool(true),
            Err(_) => Value::Bool(false),
        })
    }

    /// `templatefile(path, vars)`: renders a template file with only `vars` in scope.
    fn templatefile(
        &mut self,
        call: &FuncCall,
        exprs: &[&Expression],
        mut args: Vec<Value>,
    ) -> Result<Value, Diagnostic> {
        if args.len() != 2 {
            return Err(self.error(
                call,
                if args.len() < 2 { "Not enough function arguments" } else { "Too many function arguments" },
                format!("Function \"templatefile\" expects 2 arguments (path, vars), but {} were given.", args.len()),
            ));
        }
        let vars = args.pop().unwrap_or(Value::Null);
        let path = args.pop().unwrap_or(Value::Null);
        if !path.is_known() || !vars.is_known() {
            return Ok(Value::Unknown(Type::String));
        }
        let Some(path) = path.as_str() else {
            return Err(self.error(
                exprs[0],
                "Invalid function argument",
                "Invalid value for \"path\": a string is required.",
            ));
        };
        let (vars, sensitive) = vars.unmark();
        let Value::Map(vars) = vars else {
            return Err(self.error(
                exprs[1],
                "Invalid function argument",
                "Invalid value for \"vars\": an object is required.",
            ));
        };
        let full_path = self.ctx.functions.base_dir.join(path);
        let fail = |detail: String| {
            self.error(call, "Error in function call", format!("Call to function \"templatefile\" failed: {detail}"))
        };
        let text = std::fs::read_to_string(&full_path)
            .map_err(|e| fail(format!("cannot read {}: {e}.", full_path.display())))?;
        let template = hcl::edit::parser::parse_template(&text).map_err(|e| {
            fail(format!("{}:{}:{}: {}", path, e.location().line(), e.location().column(), e.message()))
        })?;
        let context = EvalContext {
            file: self.ctx.file,
            scope: std::sync::Arc::new(vars),
            extra: Default::default(),
            functions: self.ctx.functions.clone(),
        };
        let rendered = Evaluator::new(&context)
            .eval_template(&template, false, false)
            .map_err(|e| fail(format!("in {path}: {}: {}", e.summary, e.detail)))?;
        Ok(rendered.with_sensitive(sensitive))
    }
}

fn minimum(arity: Arity) -> usize {
    match arity {
        Arity::Exact(n) | Arity::AtLeast(n) | Arity::Range(n, _) => n,
    }
}
