//! Structural comparison of HCL sources, blind to layout.
//!
//! `hcl::from_str::<hcl::Body>` keeps templates as raw text, so `"${ x }"` and
//! `"${x}"` would differ although only spacing changed; bare and quoted block
//! labels differ too. [`structure`] normalizes both, recursively, so equality
//! means "same meaning".

use hcl::expr::{Expression, Heredoc, ObjectKey, Operation, TemplateExpr, TraversalOperator};
use hcl::template::{Directive, Element, Template};
use hcl::{Block, BlockLabel, Body, Structure};

/// Parses `source` with hcl-rs and normalizes what formatting may change.
pub fn structure(source: &str) -> Result<Body, hcl::Error> {
    let body: Body = hcl::from_str(source)?;
    Ok(normalize_body(body))
}

fn normalize_body(body: Body) -> Body {
    Body(body.into_inner().into_iter().map(normalize_structure).collect())
}

fn normalize_structure(structure: Structure) -> Structure {
    match structure {
        Structure::Attribute(mut attribute) => {
            attribute.expr = normalize(attribute.expr);
            Structure::Attribute(attribute)
        }
        Structure::Block(block) => Structure::Block(Block {
            identifier: block.identifier,
            labels: block
                .labels
                .into_iter()
                .map(|label| match label {
                    BlockLabel::Identifier(identifier) => BlockLabel::String(identifier.to_string()),
                    label => label,
                })
                .collect(),
            body: normalize_body(block.body),
        }),
    }
}

fn normalize(expression: Expression) -> Expression {
    match expression {
        Expression::Array(items) => Expression::Array(items.into_iter().map(normalize).collect()),
        Expression::Object(object) => Expression::Object(
            object
                .into_iter()
                .map(|(key, value)| {
                    let key = match key {
                        ObjectKey::Expression(key) => ObjectKey::Expression(normalize(key)),
                        key => key,
                    };
                    (key, normalize(value))
                })
                .collect(),
        ),
        Expression::TemplateExpr(template) => Expression::TemplateExpr(Box::new(normalize_template_expr(*template))),
        Expression::Traversal(mut traversal) => {
            traversal.expr = normalize(traversal.expr);
            for operator in &mut traversal.operators {
                if let TraversalOperator::Index(index) = operator {
                    normalize_in_place(index);
                }
            }
            Expression::Traversal(traversal)
        }
        Expression::FuncCall(mut call) => {
            call.args = call.args.into_iter().map(normalize).collect();
            Expression::FuncCall(call)
        }
        Expression::Parenthesis(inner) => Expression::Parenthesis(Box::new(normalize(*inner))),
        Expression::Conditional(mut conditional) => {
            normalize_in_place(&mut conditional.cond_expr);
            normalize_in_place(&mut conditional.true_expr);
            normalize_in_place(&mut conditional.false_expr);
            Expression::Conditional(conditional)
        }
        Expression::Operation(mut operation) => {
            match &mut *operation {
                Operation::Unary(unary) => normalize_in_place(&mut unary.expr),
                Operation::Binary(binary) => {
                    normalize_in_place(&mut binary.lhs_expr);
                    normalize_in_place(&mut binary.rhs_expr);
                }
            }
            Expression::Operation(operation)
        }
        Expression::ForExpr(mut for_expr) => {
            normalize_in_place(&mut for_expr.collection_expr);
            normalize_in_place(&mut for_expr.value_expr);
            if let Some(key) = &mut for_expr.key_expr {
                normalize_in_place(key);
            }
            if let Some(condition) = &mut for_expr.cond_expr {
                normalize_in_place(condition);
            }
            Expression::ForExpr(for_expr)
        }
        other => other,
    }
}

fn normalize_in_place(expression: &mut Expression) {
    *expression = normalize(std::mem::replace(expression, Expression::Null));
}

/// Re-prints a template from its parsed form, so only its meaning is compared.
fn normalize_template_expr(template_expr: TemplateExpr) -> TemplateExpr {
    let mut template = Template::from_expr(&template_expr).expect("template parses");
    normalize_template(&mut template);
    let text = hcl::format::to_string(&template).expect("template prints");
    match template_expr {
        TemplateExpr::QuotedString(_) => TemplateExpr::QuotedString(text),
        TemplateExpr::Heredoc(heredoc) => TemplateExpr::Heredoc(Heredoc { template: text, ..heredoc }),
    }
}

fn normalize_template(template: &mut Template) {
    for element in template.elements_mut() {
        match element {
            Element::Literal(_) => {}
            Element::Interpolation(interpolation) => normalize_in_place(&mut interpolation.expr),
            Element::Directive(directive) => match &mut **directive {
                Directive::If(if_directive) => {
                    normalize_in_place(&mut if_directive.cond_expr);
                    normalize_template(&mut if_directive.true_template);
                    if let Some(false_template) = &mut if_directive.false_template {
                        normalize_template(false_template);
                    }
                }
                Directive::For(for_directive) => {
                    normalize_in_place(&mut for_directive.collection_expr);
                    normalize_template(&mut for_directive.template);
                }
            },
        }
    }
}
