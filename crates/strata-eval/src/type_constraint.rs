//! The type constraint syntax of `variable` blocks: `string`, `list(number)`,
//! `object({ name = string, size = optional(number, 1) })`, `any`.

use std::collections::BTreeMap;

use hcl::edit::expr::{Expression, ObjectKey};
use strata_diagnostics::{Diagnostic, FileId};
use strata_value::{ObjectAttr, Type};

use crate::errors::error_at;

/// Parses a type constraint expression.
pub fn parse_type_constraint(expr: &Expression, file: FileId) -> Result<Type, Diagnostic> {
    parse(expr, file, false).map(|(t, _)| t)
}

const KEYWORDS: [&str; 4] = ["string", "number", "bool", "any"];
const CONSTRUCTORS: [&str; 6] = ["list", "set", "map", "object", "tuple", "optional"];

/// Returns the type and, for `optional(...)` inside objects, the optional flag and default.
fn parse(expr: &Expression, file: FileId, in_object: bool) -> Result<(Type, Option<ObjectAttr>), Diagnostic> {
    let invalid = |node: &Expression, detail: String| {
        error_at(file, node, "Invalid type specification", detail).with_hint(
            "write a primitive type (string, number, bool), any, or list(T), set(T), map(T), tuple([T, ...]) or object({ name = T })",
        )
    };
    match expr {
        Expression::Variable(ident) => match ident.value().as_str() {
            "string" => Ok((Type::String, None)),
            "number" => Ok((Type::Number, None)),
            "bool" => Ok((Type::Bool, None)),
            "any" => Ok((Type::Any, None)),
            other => Err(invalid(expr, format!("The keyword \"{other}\" is not a valid type."))
                .with_optional_hint(strata_diagnostics::did_you_mean(other, KEYWORDS.into_iter().chain(CONSTRUCTORS)))),
        },
        Expression::FuncCall(call) => {
            let name = call.name.name.value().as_str();
            let args: Vec<&Expression> = call.args.iter().collect();
            let single = |args: &[&Expression]| -> Result<Type, Diagnostic> {
                match args {
                    [inner] => Ok(parse(inner, file, false)?.0),
                    _ => Err(invalid(
                        expr,
                        format!("The {name}() type constructor takes exactly one argument, the element type."),
                    )),
                }
            };
            match name {
                "list" => Ok((Type::list(single(&args)?), None)),
                "set" => Ok((Type::set(single(&args)?), None)),
                "map" => Ok((Type::map(single(&args)?), None)),
                "tuple" => match args.as_slice() {
                    [Expression::Array(items)] => {
                        let types =
                            items.iter().map(|e| parse(e, file, false).map(|(t, _)| t)).collect::<Result<_, _>>()?;
                        Ok((Type::Tuple(types), None))
                    }
                    _ => Err(invalid(expr, "The tuple() type constructor takes a list of element types.".into())),
                },
                "object" => match args.as_slice() {
                    [Expression::Object(object)] => {
                        let mut attrs = BTreeMap::new();
                        for (key, value) in object.iter() {
                            let name = match key {
                                ObjectKey::Ident(ident) => ident.value().as_str().to_owned(),
                                ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
                                ObjectKey::Expression(Expression::Variable(v)) => v.value().as_str().to_owned(),
                                ObjectKey::Expression(e) => {
                                    return Err(invalid(e, "Object attribute names must be plain names.".into()));
                                }
                            };
                            let (ty, optional) = parse(value.expr(), file, true)?;
                            attrs.insert(name, optional.unwrap_or(ObjectAttr { ty, optional: false, default: None }));
                        }
                        Ok((Type::Object(std::sync::Arc::new(attrs)), None))
                    }
                    _ => Err(invalid(expr, "The object() type constructor takes an object of attribute types.".into())),
                },
                "optional" if in_object => {
                    let (ty, default) = match args.as_slice() {
                        [inner] => (parse(inner, file, false)?.0, None),
                        [inner, default] => {
                            let ty = parse(inner, file, false)?.0;
                            let context = crate::EvalContext::new(
                                file,
                                strata_functions::FunctionContext { base_dir: ".".into() },
                            );
                            let default = context.eval(default)?;
                            let default = strata_value::convert(&default, &ty).map_err(|e| {
                                invalid(args[1], format!("The default value does not fit the type: {e}."))
                            })?;
                            (ty, Some(default))
                        }
                        _ => {
                            return Err(invalid(
                                expr,
                                "optional() takes a type and, optionally, a default value.".into(),
                            ));
                        }
                    };
                    Ok((ty.clone(), Some(ObjectAttr { ty, optional: true, default })))
                }
                "optional" => Err(invalid(expr, "optional() is only valid for attributes of an object type.".into())),
                other => Err(invalid(expr, format!("\"{other}\" is not a type constructor."))
                    .with_optional_hint(strata_diagnostics::did_you_mean(other, CONSTRUCTORS))),
            }
        }
        other => Err(invalid(other, "A type constraint must be a type keyword or a type constructor call.".into())),
    }
}
