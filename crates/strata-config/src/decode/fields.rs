//! Reading the arguments of a fixed-shape block (variable, output, lifecycle, ...).

use hcl::edit::structure::{Attribute, Block, Structure};
use strata_diagnostics::{Diagnostic, Diagnostics, FileId, Span, did_you_mean};
use strata_eval::EvalContext;
use strata_functions::FunctionContext;
use strata_value::{Type, Value, convert};

use crate::Expr;

pub(crate) fn span_of(file: FileId, node: &impl hcl::edit::Span) -> Option<Span> {
    node.span().map(|r| Span::new(file, r))
}

/// The attributes of one block, checked against the names the block allows.
pub(crate) struct Fields<'b> {
    pub file: FileId,
    pub block: &'b Block,
    attributes: Vec<&'b Attribute>,
}

impl<'b> Fields<'b> {
    /// Reports unknown arguments; `None` only if the block is unusable.
    pub fn new(file: FileId, block: &'b Block, allowed: &[&str], diags: &mut Diagnostics) -> Option<Fields<'b>> {
        let mut attributes: Vec<&Attribute> = Vec::new();
        for attribute in block.body.attributes() {
            let name = attribute.key.value().as_str();
            if !allowed.is_empty() && !allowed.contains(&name) {
                diags.push(unsupported_argument(file, attribute, block.ident.value().as_str(), allowed));
                continue;
            }
            // No duplicate check: hcl-edit's parser already rejects two attributes of one name.
            attributes.push(attribute);
        }
        Some(Fields { file, block, attributes })
    }

    pub fn get(&self, name: &str) -> Option<&'b Attribute> {
        self.attributes.iter().find(|a| a.key.value().as_str() == name).copied()
    }

    pub fn expr(&self, name: &str) -> Option<Expr> {
        self.get(name).map(|a| Expr::new(self.file, a.value.clone()))
    }

    pub fn span(&self, name: &str) -> Option<Span> {
        self.get(name).and_then(|a| span_of(self.file, &a.value))
    }

    /// A required argument, or a "Missing required argument" diagnostic.
    pub fn required(&self, name: &str, diags: &mut Diagnostics) -> Option<&'b Attribute> {
        let found = self.get(name);
        if found.is_none() {
            diags.push(missing_argument(self.file, self.block, name));
        }
        found
    }

    /// A constant of the given type (no references; functions allowed).
    pub fn constant(&self, name: &str, ty: &Type, diags: &mut Diagnostics) -> Option<Value> {
        let attribute = self.get(name)?;
        constant_value(self.file, &attribute.value, ty, diags)
    }

    pub fn constant_string(&self, name: &str, diags: &mut Diagnostics) -> Option<String> {
        self.constant(name, &Type::String, diags).and_then(|v| v.as_str().map(str::to_owned))
    }

    pub fn constant_bool(&self, name: &str, diags: &mut Diagnostics) -> Option<bool> {
        self.constant(name, &Type::Bool, diags).and_then(|v| v.as_bool())
    }

    /// Reports nested blocks other than the allowed ones.
    pub fn unexpected_block(&self, inner: &Block, allowed: &[&str], diags: &mut Diagnostics) {
        let name = inner.ident.value().as_str();
        diags.push(
            Diagnostic::error(
                "Unsupported block type",
                format!("Blocks of type \"{name}\" are not expected in a {} block.", self.block.ident.value()),
            )
            .with_subject(span_of(self.file, &inner.ident))
            .with_optional_hint(did_you_mean(name, allowed.iter().copied())),
        );
    }

    /// Nested blocks, reporting any whose type is not in `allowed`.
    pub fn blocks(&self, allowed: &[&str], diags: &mut Diagnostics) -> Vec<&'b Block> {
        let mut out = Vec::new();
        for structure in self.block.body.iter() {
            if let Structure::Block(inner) = structure {
                if allowed.contains(&inner.ident.value().as_str()) {
                    out.push(inner);
                } else {
                    self.unexpected_block(inner, allowed, diags);
                }
            }
        }
        out
    }
}

pub(crate) fn unsupported_argument(
    file: FileId,
    attribute: &Attribute,
    block_kind: &str,
    allowed: &[&str],
) -> Diagnostic {
    let name = attribute.key.value().as_str();
    Diagnostic::error(
        "Unsupported argument",
        format!("An argument named \"{name}\" is not expected in a {block_kind} block."),
    )
    .with_subject(span_of(file, &attribute.key))
    .with_optional_hint(did_you_mean(name, allowed.iter().copied()))
}

pub(crate) fn missing_argument(file: FileId, block: &Block, name: &str) -> Diagnostic {
    let labels: Vec<String> = block.labels.iter().map(|l| format!(" \"{}\"", l.as_str())).collect();
    Diagnostic::error(
        "Missing required argument",
        format!(
            "The argument \"{name}\" is required, but no definition was found in this {} block.",
            block.ident.value()
        ),
    )
    .with_subject(span_of(file, &block.ident).map(|s| match block.labels.last().and_then(|l| span_of(file, l)) {
        Some(last) => s.to(last),
        None => s,
    }))
    .with_hint(format!("add `{name} = ...` to {}{}", block.ident.value(), labels.concat()))
}

/// Evaluates an expression that may not reference anything, converting it to `ty`.
pub(crate) fn constant_value(
    file: FileId,
    expr: &hcl::edit::expr::Expression,
    ty: &Type,
    diags: &mut Diagnostics,
) -> Option<Value> {
    let references = strata_eval::references(expr, file);
    if let Some(reference) = references.first() {
        diags.push(
            Diagnostic::error(
                "Variables not allowed",
                format!("This value must be a constant, but it refers to \"{}\".", reference.root),
            )
            .with_subject(reference.span),
        );
        return None;
    }
    let context = EvalContext::new(file, FunctionContext { base_dir: ".".into() });
    let value = match context.eval(expr) {
        Ok(v) => v,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    match convert(&value, ty) {
        Ok(v) => Some(v),
        Err(e) => {
            diags.push(
                Diagnostic::error("Incorrect value type", format!("A {} is required here: {e}.", ty.friendly_name()))
                    .with_subject(span_of(file, expr)),
            );
            None
        }
    }
}
