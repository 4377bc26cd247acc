//! Values for the root module's input variables, from every source Terraform users know.
//!
//! Precedence, lowest first (later sources override earlier ones), as in Terraform:
//! defaults, `STRATA_VAR_name` environment variables, `strata.hclvars`, `*.auto.hclvars` in
//! lexical order, then `--var-file` and `--var` in command-line order.

use std::collections::BTreeMap;
use std::path::Path;

use hcl::edit::Span as _;
use hcl::edit::structure::Structure;
use strata_diagnostics::{Diagnostic, Diagnostics, SourceFiles, Span};
use strata_eval::EvalContext;
use strata_functions::FunctionContext;
use strata_value::{Type, Value};

use crate::Variable;

/// Where a value came from, for messages.
#[derive(Clone, Debug, PartialEq)]
pub enum VariableSource {
    Environment(String),
    File(Option<Span>),
    CommandLine,
}

/// Values given for root variables, before conversion to their declared types.
#[derive(Clone, Debug, Default)]
pub struct InputValues {
    pub values: BTreeMap<String, (RawValue, VariableSource)>,
}

/// A value as given: environment and `--var` values are text until we know the variable's
/// type (a string variable takes the text as is; others parse it as an HCL expression).
#[derive(Clone, Debug, PartialEq)]
pub enum RawValue {
    Text(String),
    Value(Value),
}

impl InputValues {
    /// Reads environment variables, `strata.hclvars` and `*.auto.hclvars` in `dir`.
    pub fn discover(
        dir: &Path,
        env: impl IntoIterator<Item = (String, String)>,
        files: &mut SourceFiles,
        diags: &mut Diagnostics,
    ) -> InputValues {
        let mut inputs = InputValues::default();
        let mut env: Vec<(String, String)> = env.into_iter().filter(|(k, _)| k.starts_with("STRATA_VAR_")).collect();
        env.sort();
        for (key, value) in env {
            let name = key["STRATA_VAR_".len()..].to_owned();
            inputs.values.insert(name, (RawValue::Text(value), VariableSource::Environment(key)));
        }
        let mut auto: Vec<String> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| n.ends_with(".auto.hclvars"))
            .collect();
        auto.sort();
        let default_file = dir.join("strata.hclvars");
        if default_file.is_file() {
            inputs.read_file(&default_file, files, diags);
        }
        for name in auto {
            inputs.read_file(&dir.join(name), files, diags);
        }
        inputs
    }

    /// Adds a `--var-file`.
    pub fn read_file(&mut self, path: &Path, files: &mut SourceFiles, diags: &mut Diagnostics) {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                diags.push(Diagnostic::error(
                    "Failed to read variables file",
                    format!("Reading {}: {e}.", path.display()),
                ));
                return;
            }
        };
        let file = files.add(path.display().to_string(), path, text.clone());
        let body = match hcl::edit::parser::parse_body(&text) {
            Ok(b) => b,
            Err(e) => {
                let start = files.get(file).map_or(0, |f| f.offset(e.location().line(), e.location().column()));
                diags.push(
                    Diagnostic::error(
                        "Invalid HCL syntax",
                        format!("The variables file could not be parsed: {}.", e.message()),
                    )
                    .with_subject(Span::new(file, start..start + 1)),
                );
                return;
            }
        };
        let context =
            EvalContext::new(file, FunctionContext { base_dir: path.parent().unwrap_or(Path::new(".")).to_path_buf() });
        for structure in body.iter() {
            match structure {
                Structure::Attribute(attribute) => {
                    let span = attribute.key.span().map(|r| Span::new(file, r));
                    match context.eval(&attribute.value) {
                        Ok(value) => {
                            self.values.insert(
                                attribute.key.value().to_string(),
                                (RawValue::Value(value), VariableSource::File(span)),
                            );
                        }
                        Err(d) => diags.push(d),
                    }
                }
                Structure::Block(block) => diags.push(
                    Diagnostic::error(
                        "Unexpected block in variables file",
                        "A variables file holds only `name = value` assignments.",
                    )
                    .with_subject(block.ident.span().map(|r| Span::new(file, r))),
                ),
            }
        }
    }

    /// Adds a `--var name=value`.
    pub fn set_from_command_line(&mut self, assignment: &str, diags: &mut Diagnostics) {
        match assignment.split_once('=') {
            Some((name, value)) if !name.trim().is_empty() => {
                self.values
                    .insert(name.trim().to_owned(), (RawValue::Text(value.to_owned()), VariableSource::CommandLine));
            }
            _ => diags.push(Diagnostic::error(
                "Invalid --var option",
                format!("The option --var {assignment:?} is not of the form NAME=VALUE."),
            )),
        }
    }

    /// Final values of the declared variables: the given value converted to the declared type,
    /// else the default; `None` for a required variable with no value.
    pub fn resolve(
        &self,
        declared: &BTreeMap<String, Variable>,
        diags: &mut Diagnostics,
    ) -> BTreeMap<String, Option<Value>> {
        for (name, (_, source)) in &self.values {
            if declared.contains_key(name) {
                continue;
            }
            let hint = strata_diagnostics::did_you_mean(name, declared.keys().map(String::as_str));
            match source {
                VariableSource::CommandLine => diags.push(
                    Diagnostic::error("Value for undeclared variable", format!("A variable named \"{name}\" was assigned on the command line, but the configuration does not declare it."))
                        .with_optional_hint(hint),
                ),
                VariableSource::File(span) => diags.push(
                    Diagnostic::warning("Value for undeclared variable", format!("The variables file assigns \"{name}\", but the configuration does not declare a variable of that name."))
                        .with_subject(*span)
                        .with_optional_hint(hint),
                ),
                VariableSource::Environment(_) => {} // Terraform ignores these silently too.
            }
        }
        declared
            .iter()
            .map(|(name, variable)| {
                let value = match self.values.get(name) {
                    Some((raw, source)) => convert_input(variable, raw, source, diags),
                    None => variable.default.clone(),
                };
                (name.clone(), value.map(|v| v.with_sensitive(variable.sensitive)))
            })
            .collect()
    }
}

fn convert_input(
    variable: &Variable,
    raw: &RawValue,
    source: &VariableSource,
    diags: &mut Diagnostics,
) -> Option<Value> {
    let value = match raw {
        RawValue::Value(v) => v.clone(),
        // Text for a primitive type converts like a string would ("3" → 3, "true" → true).
        RawValue::Text(text) if matches!(variable.ty, Type::String | Type::Number | Type::Bool) => {
            Value::String(text.clone())
        }
        RawValue::Text(text) => match hcl::edit::parser::parse_expr(text) {
            Ok(expr) => {
                let context =
                    EvalContext::new(strata_diagnostics::FileId(u32::MAX), FunctionContext { base_dir: ".".into() });
                match context.eval(&expr) {
                    Ok(v) => v,
                    Err(_) if matches!(variable.ty, Type::Any) => Value::String(text.clone()),
                    Err(d) => {
                        diags.push(invalid_value(variable, source, &d.detail));
                        return None;
                    }
                }
            }
            Err(_) if matches!(variable.ty, Type::Any) => Value::String(text.clone()),
            Err(e) => {
                diags.push(invalid_value(variable, source, e.message()));
                return None;
            }
        },
    };
    if value.is_null() && !variable.nullable {
        diags.push(invalid_value(variable, source, "the variable is not nullable, but null was given"));
        return None;
    }
    match strata_value::convert(&value, &variable.ty) {
        Ok(v) => Some(v),
        Err(e) => {
            diags.push(invalid_value(variable, source, &e.to_string()));
            None
        }
    }
}

fn invalid_value(variable: &Variable, source: &VariableSource, problem: &str) -> Diagnostic {
    let from = match source {
        VariableSource::Environment(key) => format!("the environment variable {key}"),
        VariableSource::File(_) => "a variables file".to_owned(),
        VariableSource::CommandLine => "the command line".to_owned(),
    };
    let subject = match source {
        VariableSource::File(span) => *span,
        _ => variable.decl_span,
    };
    Diagnostic::error(
        "Invalid value for input variable",
        format!(
            "The value for variable \"{}\" from {from} is not valid: {}.",
            variable.name,
            problem.trim_end_matches('.')
        ),
    )
    .with_subject(subject)
    .with_hint(format!("variable \"{}\" takes a {}", variable.name, variable.ty))
}
