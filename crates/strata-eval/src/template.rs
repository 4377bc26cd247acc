//! String templates: interpolations, `%{ if }` and `%{ for }` directives, strip markers.

use hcl::edit::template::{Directive, Element, StringTemplate, Template};
use strata_diagnostics::Diagnostic;
use strata_value::{Type, Value, format_number};

use crate::expression::Evaluator;

/// A template renders to text, or to unknown when any part is unknown.
struct Rendering {
    text: String,
    unknown: bool,
    sensitive: bool,
    /// Set by a `~` after an element: strip leading white space of the next literal.
    strip_next: bool,
}

impl Evaluator<'_> {
    pub(crate) fn eval_template(
        &mut self,
        template: &impl AsTemplate,
        strip_leading: bool,
        strip_trailing: bool,
    ) -> Result<Value, Diagnostic> {
        let template = template.as_template();
        // A template that is one interpolation yields the value itself, as in HCL (`"${var.list}"`).
        if let Some(Element::Interpolation(interpolation)) = template.as_single_element() {
            return self.eval(&interpolation.expr);
        }
        let mut rendering =
            Rendering { text: String::new(), unknown: false, sensitive: false, strip_next: strip_leading };
        self.render(template, &mut rendering)?;
        if strip_trailing {
            let trimmed = rendering.text.trim_end().len();
            rendering.text.truncate(trimmed);
        }
        let value = if rendering.unknown { Value::Unknown(Type::String) } else { Value::String(rendering.text) };
        Ok(value.with_sensitive(rendering.sensitive))
    }

    fn render(&mut self, template: &Template, out: &mut Rendering) -> Result<(), Diagnostic> {
        for element in template.iter() {
            match element {
                Element::Literal(literal) => {
                    let text =
                        if std::mem::take(&mut out.strip_next) { literal.trim_start() } else { literal.as_str() };
                    out.text.push_str(text);
                }
                Element::Interpolation(interpolation) => {
                    strip_before(out, interpolation.strip.strip_start());
                    let value = self.eval(&interpolation.expr)?;
                    self.append(&interpolation.expr, value, out)?;
                    out.strip_next = interpolation.strip.strip_end();
                }
                Element::Directive(directive) => self.render_directive(directive, out)?,
            }
        }
        Ok(())
    }

    fn render_directive(&mut self, directive: &Directive, out: &mut Rendering) -> Result<(), Diagnostic> {
        match directive {
            Directive::If(if_directive) => {
                let if_expr = &if_directive.if_expr;
                strip_before(out, if_expr.strip.strip_start());
                let condition = self.eval(&if_expr.cond_expr)?;
                let (condition, sensitive) = condition.unmark();
                out.sensitive |= sensitive;
                let branch = match condition {
                    Value::Unknown(_) => {
                        out.unknown = true;
                        return Ok(());
                    }
                    Value::Bool(b) => b,
                    other => {
                        return Err(self.error(
                            &if_expr.cond_expr,
                            "Incorrect condition type",
                            format!(
                                "The condition of an if directive must be a bool, but this is {}.",
                                other.kind_name()
                            ),
                        ));
                    }
                };
                if branch {
                    out.strip_next = if_expr.strip.strip_end();
                    self.render(&if_expr.template, out)?;
                } else if let Some(else_expr) = &if_directive.else_expr {
                    out.strip_next = else_expr.strip.strip_end();
                    self.render(&else_expr.template, out)?;
                }
                strip_before(out, if_directive.endif_expr.strip.strip_start());
                out.strip_next = if_directive.endif_expr.strip.strip_end();
            }
            Directive::For(for_directive) => {
                let for_expr = &for_directive.for_expr;
                strip_before(out, for_expr.strip.strip_start());
                let collection = self.eval(&for_expr.collection_expr)?;
                let key_var = for_expr.key_var.as_ref().map(|k| k.value().as_str());
                let value_var = for_expr.value_var.value().as_str();
                let Some(pairs) = self.iteration_pairs(&for_expr.collection_expr, collection, &mut out.sensitive)?
                else {
                    out.unknown = true;
                    return Ok(());
                };
                for (key, value) in pairs {
                    let pushed = self.bind_iteration(key_var, value_var, key, value);
                    out.strip_next = for_expr.strip.strip_end();
                    let rendered = self.render(&for_expr.template, out);
                    self.pop_locals(pushed);
                    rendered?;
                    strip_before(out, for_directive.endfor_expr.strip.strip_start());
                }
                out.strip_next = for_directive.endfor_expr.strip.strip_end();
            }
        }
        Ok(())
    }

    fn append(&self, expr: &hcl::edit::expr::Expression, value: Value, out: &mut Rendering) -> Result<(), Diagnostic> {
        let (value, sensitive) = value.unmark_deep();
        out.sensitive |= sensitive;
        match value {
            Value::Unknown(_) => out.unknown = true,
            Value::String(s) => out.text.push_str(&s),
            Value::Number(n) => out.text.push_str(&format_number(n)),
            Value::Bool(b) => out.text.push_str(if b { "true" } else { "false" }),
            Value::Null => {
                return Err(self.error(
                    expr,
                    "Invalid template interpolation value",
                    "The expression result is null. Cannot include a null value in a string template.",
                ));
            }
            other => {
                return Err(self.error(
                    expr,
                    "Invalid template interpolation value",
                    format!(
                        "Cannot include a {} in a string template: a string is required. Use jsonencode() or join() to turn it into a string.",
                        other.kind_name()
                    ),
                ));
            }
        }
        Ok(())
    }
}

fn strip_before(out: &mut Rendering, strip: bool) {
    if strip {
        let trimmed = out.text.trim_end().len();
        out.text.truncate(trimmed);
    }
}

/// String templates and heredocs both hold a [`Template`].
pub(crate) trait AsTemplate {
    fn as_template(&self) -> &Template;
}

impl AsTemplate for Template {
    fn as_template(&self) -> &Template {
        self
    }
}

impl AsTemplate for StringTemplate {
    fn as_template(&self) -> &Template {
        self
    }
}
