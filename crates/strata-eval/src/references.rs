//! What an expression refers to, found without evaluating it.

use hcl::edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl::edit::template::{Directive, Element, Template};
use strata_diagnostics::{FileId, Span};

use crate::errors::span_of;

/// A reference as written: the root name and the static steps after it
/// (`emr_cluster.analytics.id` → root `emr_cluster`, steps `analytics`, `id`). Index steps
/// with a literal key are included; the first dynamic step (a computed index, a splat) ends
/// the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawReference {
    pub root: String,
    pub steps: Vec<ReferenceStep>,
    pub span: Option<Span>,
}

/// One static step of a reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReferenceStep {
    /// `.name`
    Attribute(String),
    /// `["key"]` or `[0]`, as text
    Index(String),
}

impl ReferenceStep {
    pub fn name(&self) -> &str {
        match self {
            ReferenceStep::Attribute(n) | ReferenceStep::Index(n) => n,
        }
    }

    pub fn is_attribute(&self) -> bool {
        matches!(self, ReferenceStep::Attribute(_))
    }
}

impl RawReference {
    /// The name of step `i`, if there is one.
    pub fn step(&self, i: usize) -> Option<&str> {
        self.steps.get(i).map(ReferenceStep::name)
    }
}

/// Every reference in an expression, in source order. Names bound by `for` expressions and
/// template `for` directives are not references.
pub fn references(expr: &Expression, file: FileId) -> Vec<RawReference> {
    let mut walker = Walker { file, bound: Vec::new(), out: Vec::new() };
    walker.expr(expr);
    walker.out
}

struct Walker {
    file: FileId,
    bound: Vec<String>,
    out: Vec<RawReference>,
}

impl Walker {
    fn root(&mut self, name: &str, span: Option<Span>, steps: Vec<ReferenceStep>) {
        if !self.bound.iter().any(|b| b == name) {
            self.out.push(RawReference { root: name.to_owned(), steps, span });
        }
    }

    fn expr(&mut self, expr: &Expression) {
        match expr {
            Expression::Null(_) | Expression::Bool(_) | Expression::Number(_) | Expression::String(_) => {}
            Expression::Array(array) => array.iter().for_each(|e| self.expr(e)),
            Expression::Object(object) => {
                for (key, value) in object.iter() {
                    if let ObjectKey::Expression(k) = key {
                        // A bare `name = ...` key parses as an identifier, not a reference; a
                        // key expression that is a lone variable is also a literal name in HCL.
                        if !matches!(k, Expression::Variable(_)) {
                            self.expr(k);
                        }
                    }
                    self.expr(value.expr());
                }
            }
            Expression::StringTemplate(template) => self.template(template),
            Expression::HeredocTemplate(heredoc) => self.template(&heredoc.template),
            Expression::Parenthesis(inner) => self.expr(inner.inner()),
            Expression::Variable(ident) => {
                let span = span_of(self.file, ident);
                self.root(ident.value().as_str(), span, Vec::new());
            }
            Expression::Conditional(c) => {
                self.expr(&c.cond_expr);
                self.expr(&c.true_expr);
                self.expr(&c.false_expr);
            }
            Expression::FuncCall(call) => call.args.iter().for_each(|e| self.expr(e)),
            Expression::Traversal(traversal) => {
                let mut steps = Vec::new();
                let mut complete = true;
                for op in traversal.operators.iter() {
                    match op.value() {
                        TraversalOperator::GetAttr(name) if complete => {
                            steps.push(ReferenceStep::Attribute(name.value().as_str().to_owned()));
                        }
                        TraversalOperator::Index(Expression::String(s)) if complete => {
                            steps.push(ReferenceStep::Index(s.value().clone()));
                        }
                        TraversalOperator::Index(Expression::Number(n)) if complete => {
                            steps.push(ReferenceStep::Index(n.value().to_string()));
                        }
                        TraversalOperator::LegacyIndex(i) if complete => {
                            steps.push(ReferenceStep::Index(i.value().to_string()))
                        }
                        TraversalOperator::Index(index) => {
                            complete = false;
                            self.expr(index);
                        }
                        _ => complete = false,
                    }
                }
                match &traversal.expr {
                    Expression::Variable(ident) => {
                        let span = span_of(self.file, traversal);
                        self.root(ident.value().as_str(), span, steps);
                    }
                    other => self.expr(other),
                }
            }
            Expression::UnaryOp(op) => self.expr(&op.expr),
            Expression::BinaryOp(op) => {
                self.expr(&op.lhs_expr);
                self.expr(&op.rhs_expr);
            }
            Expression::ForExpr(for_expr) => {
                self.expr(&for_expr.intro.collection_expr);
                let bound = self.bind(
                    for_expr.intro.key_var.as_ref().map(|k| k.value().as_str()),
                    for_expr.intro.value_var.value().as_str(),
                );
                if let Some(key) = &for_expr.key_expr {
                    self.expr(key);
                }
                self.expr(&for_expr.value_expr);
                if let Some(cond) = &for_expr.cond {
                    self.expr(&cond.expr);
                }
                self.bound.truncate(self.bound.len() - bound);
            }
        }
    }

    fn bind(&mut self, key: Option<&str>, value: &str) -> usize {
        self.bound.extend(key.map(str::to_owned));
        self.bound.push(value.to_owned());
        1 + usize::from(key.is_some())
    }

    fn template(&mut self, template: &Template) {
        for element in template.iter() {
            match element {
                Element::Literal(_) => {}
                Element::Interpolation(i) => self.expr(&i.expr),
                Element::Directive(directive) => self.directive(directive),
            }
        }
    }

    fn directive(&mut self, directive: &Directive) {
        match directive {
            Directive::If(d) => {
                self.expr(&d.if_expr.cond_expr);
                self.template(&d.if_expr.template);
                if let Some(e) = &d.else_expr {
                    self.template(&e.template);
                }
            }
            Directive::For(d) => {
                self.expr(&d.for_expr.collection_expr);
                let bound = self.bind(
                    d.for_expr.key_var.as_ref().map(|k| k.value().as_str()),
                    d.for_expr.value_var.value().as_str(),
                );
                self.template(&d.for_expr.template);
                self.bound.truncate(self.bound.len() - bound);
            }
        }
    }
}
