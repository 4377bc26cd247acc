//! Evaluating a block body against its schema into one object value.
//!
//! Used by validation now and by planning later: the object has every attribute of the schema
//! (unset arguments, optional+computed ones included, are their default or null, and so are
//! computed-only attributes, as Terraform sends them), and nested blocks
//! become objects, lists or maps by their nesting mode. `dynamic` blocks are expanded here.

use std::collections::BTreeMap;

use hcl::edit::structure::{Attribute, Block, Body, Structure};
use strata_diagnostics::{Diagnostic, Diagnostics, FileId, Span, did_you_mean};
use strata_eval::EvalContext;
use strata_schema::{AttributeSchema, BlockSchema, NestedBlockSchema, Nesting};
use strata_value::{Type, Value, convert};

use crate::decode::span_of;

/// Evaluates `body` as described by `schema`, reporting every problem.
///
/// `owner` is the span of the block header the body belongs to, where problems with the body
/// as a whole (a missing argument) are reported.
pub fn evaluate_body(
    body: &Body,
    schema: &BlockSchema,
    context: &EvalContext,
    owner: Option<Span>,
    diags: &mut Diagnostics,
) -> Value {
    BodyEvaluator { file: context.file }.body(body, schema, context, owner, diags)
}

struct BodyEvaluator {
    file: FileId,
}

impl BodyEvaluator {
    fn body(
        &self,
        body: &Body,
        schema: &BlockSchema,
        context: &EvalContext,
        owner: Option<Span>,
        diags: &mut Diagnostics,
    ) -> Value {
        let mut object: BTreeMap<String, Value> = BTreeMap::new();
        let mut blocks: BTreeMap<&str, Vec<BlockInstance>> = BTreeMap::new();

        for structure in body.iter() {
            match structure {
                Structure::Attribute(attribute) => {
                    let name = attribute.key.value().as_str();
                    let Some(attribute_schema) = schema.attributes.get(name) else {
                        diags.push(self.unsupported_argument(attribute, schema));
                        continue;
                    };
                    // A repeated argument never gets here: hcl-edit's parser rejects a body
                    // with two attributes of one name.
                    if !attribute_schema.is_argument() {
                        diags.push(
                            Diagnostic::error(
                                "Value for unconfigurable attribute",
                                format!("The attribute \"{name}\" is set by the provider after apply; it cannot be set in configuration."),
                            )
                            .with_subject(span_of(self.file, &attribute.key)),
                        );
                        continue;
                    }
                    let value = self.attribute(attribute, attribute_schema, context, diags);
                    object.insert(name.to_owned(), value);
                }
                Structure::Block(block) => {
                    let ident = block.ident.value().as_str();
                    if ident == "dynamic" {
                        self.dynamic(block, schema, context, &mut blocks, diags);
                        continue;
                    }
                    let Some(nested) = schema.blocks.get(ident) else {
                        diags.push(self.unsupported_block(block, schema));
                        continue;
                    };
                    let Some(key) = self.block_label(block, ident, nested, diags) else { continue };
                    let value = self.body(&block.body, &nested.block, context, span_of(self.file, &block.ident), diags);
                    blocks
                        .entry(schema.blocks.get_key_value(ident).map_or(ident, |(k, _)| k.as_str()))
                        .or_default()
                        .push(BlockInstance { key, value, block });
                }
            }
        }

        for (name, attribute_schema) in &schema.attributes {
            if object.contains_key(name) {
                continue;
            }
            if attribute_schema.required {
                diags.push(self.missing_argument(owner, name));
            }
            // An unset argument, optional+computed ones included, and a computed-only
            // attribute (which a configuration cannot set) are null, as Terraform sends them:
            // the provider decides computed values in its plan (unknown on create, usually the
            // prior one on update; the SDK's default plan does so).
            let value = attribute_schema.default.clone().unwrap_or(Value::Null);
            object.insert(name.clone(), value.with_sensitive(attribute_schema.sensitive));
        }
        for (name, nested) in &schema.blocks {
            let instances = blocks.remove(name.as_str()).unwrap_or_default();
            object.insert(name.clone(), self.nested_value(name, nested, instances, owner, diags));
        }
        Value::Map(object)
    }

    fn attribute(
        &self,
        attribute: &Attribute,
        schema: &AttributeSchema,
        context: &EvalContext,
        diags: &mut Diagnostics,
    ) -> Value {
        let name = attribute.key.value().as_str();
        let value = match context.eval(&attribute.value) {
            Ok(v) => v,
            Err(d) => {
                diags.push(d);
                return Value::Unknown(schema.ty.clone());
            }
        };
        let value = match convert(&value, &schema.ty) {
            Ok(v) => v,
            Err(e) => {
                diags.push(
                    Diagnostic::error(
                        "Incorrect attribute value type",
                        format!(
                            "Inappropriate value for attribute \"{name}\": {}.",
                            e.to_string().trim_end_matches('.')
                        ),
                    )
                    .with_subject(span_of(self.file, &attribute.value))
                    .with_hint(format!("\"{name}\" takes a {}", schema.ty)),
                );
                return Value::Unknown(schema.ty.clone());
            }
        };
        if !schema.allowed_values.is_empty()
            && let Some(text) = value.as_str()
            && !schema.allowed_values.iter().any(|a| a == text)
        {
            let allowed = schema.allowed_values.iter().map(|a| format!("\"{a}\"")).collect::<Vec<_>>().join(", ");
            diags.push(
                Diagnostic::error(
                    "Invalid attribute value",
                    format!("\"{text}\" is not a valid value for \"{name}\"; it must be one of {allowed}."),
                )
                .with_subject(span_of(self.file, &attribute.value))
                .with_optional_hint(did_you_mean(text, schema.allowed_values.iter().map(String::as_str))),
            );
        }
        value.with_sensitive(schema.sensitive)
    }

    /// The key of a block: its label for map nesting, none otherwise.
    fn block_label(
        &self,
        block: &Block,
        ident: &str,
        nested: &NestedBlockSchema,
        diags: &mut Diagnostics,
    ) -> Option<Option<String>> {
        let wanted = usize::from(nested.nesting == Nesting::Map);
        if block.labels.len() == wanted {
            return Some(block.labels.first().map(|l| l.as_str().to_owned()));
        }
        let detail = if wanted == 1 {
            format!("A {ident} block takes one label, its name: {ident} \"NAME\" {{ ... }}.")
        } else {
            format!("A {ident} block takes no labels.")
        };
        let summary = if block.labels.len() < wanted { "Missing block label" } else { "Extraneous block label" };
        diags.push(Diagnostic::error(summary, detail).with_subject(span_of(self.file, &block.ident)));
        None
    }

    fn nested_value(
        &self,
        name: &str,
        nested: &NestedBlockSchema,
        instances: Vec<BlockInstance>,
        owner: Option<Span>,
        diags: &mut Diagnostics,
    ) -> Value {
        let unknown =
            instances.iter().any(|i| i.key.is_none() && !i.value.is_known() && nested.nesting == Nesting::Map);
        let count = instances.len();
        if !unknown && count < nested.min_items {
            diags.push(
                Diagnostic::error(
                    "Insufficient blocks",
                    format!("At least {} \"{name}\" block(s) are required.", nested.min_items),
                )
                .with_subject(owner)
                .with_hint(format!("add a {name} block")),
            );
        }
        if let Some(max) = nested.max_items.filter(|max| count > *max)
            && let Some(extra) = instances.get(max)
        {
            diags.push(
                Diagnostic::error("Too many blocks", format!("No more than {max} \"{name}\" block(s) are allowed."))
                    .with_subject(span_of(self.file, &extra.block.ident)),
            );
        }
        match nested.nesting {
            Nesting::Single => instances.into_iter().next().map_or(Value::Null, |i| i.value),
            Nesting::List => Value::List(instances.into_iter().map(|i| i.value).collect()),
            Nesting::Map => {
                let mut map = BTreeMap::new();
                for instance in instances {
                    let Some(key) = instance.key else { return Value::Unknown(Type::map(nested.block.value_type())) };
                    if map.contains_key(&key) {
                        diags.push(
                            Diagnostic::error(
                                "Duplicate block",
                                format!("A {name} block named \"{key}\" was already defined; names must be unique."),
                            )
                            .with_subject(instance.block.labels.first().and_then(|l| span_of(self.file, l))),
                        );
                        continue;
                    }
                    map.insert(key, instance.value);
                }
                Value::Map(map)
            }
        }
    }

    /// `dynamic "TYPE" { for_each = ..., iterator = NAME, labels = [...], content { ... } }`
    fn dynamic<'b>(
        &self,
        block: &'b Block,
        schema: &'b BlockSchema,
        context: &EvalContext,
        blocks: &mut BTreeMap<&'b str, Vec<BlockInstance<'b>>>,
        diags: &mut Diagnostics,
    ) {
        let [label] = block.labels.as_slice() else {
            diags.push(
                Diagnostic::error(
                    "Invalid dynamic block",
                    "A dynamic block takes one label: the type of the blocks it generates.",
                )
                .with_subject(span_of(self.file, &block.ident)),
            );
            return;
        };
        let ident = label.as_str();
        let Some(nested) = schema.blocks.get(ident) else {
            diags.push(
                Diagnostic::error(
                    "Unsupported block type",
                    format!("Blocks of type \"{ident}\" are not expected here, so they cannot be generated."),
                )
                .with_subject(span_of(self.file, label))
                .with_optional_hint(did_you_mean(ident, schema.blocks.keys().map(String::as_str))),
            );
            return;
        };
        let mut for_each = None;
        let mut iterator = ident.to_owned();
        let mut labels = None;
        for attribute in block.body.attributes() {
            match attribute.key.value().as_str() {
                "for_each" => for_each = Some(&attribute.value),
                "labels" => labels = Some(&attribute.value),
                "iterator" => match &attribute.value {
                    hcl::edit::expr::Expression::Variable(v) => iterator = v.value().as_str().to_owned(),
                    other => diags.push(
                        Diagnostic::error(
                            "Invalid dynamic iterator name",
                            "The iterator argument takes a bare name, such as `group`.",
                        )
                        .with_subject(span_of(self.file, other)),
                    ),
                },
                _ => diags.push(crate::decode::fields::unsupported_argument(
                    self.file,
                    attribute,
                    "dynamic",
                    &["for_each", "iterator", "labels"],
                )),
            }
        }
        let content: Vec<&Block> = block.body.blocks().filter(|b| b.ident.value().as_str() == "content").collect();
        for other in block.body.blocks().filter(|b| b.ident.value().as_str() != "content") {
            diags.push(
                Diagnostic::error("Unsupported block type", "A dynamic block holds only a content block.")
                    .with_subject(span_of(self.file, &other.ident)),
            );
        }
        let (Some(for_each), [content]) = (for_each, content.as_slice()) else {
            diags.push(
                Diagnostic::error(
                    "Invalid dynamic block",
                    "A dynamic block needs a for_each argument and exactly one content block.",
                )
                .with_subject(span_of(self.file, &block.ident)),
            );
            return;
        };
        let key = schema.blocks.get_key_value(ident).map_or(ident, |(k, _)| k.as_str());
        let collection = match context.eval(for_each) {
            Ok(v) => v,
            Err(d) => {
                diags.push(d);
                return;
            }
        };
        let elements: Vec<(Value, Value)> = match collection.peel() {
            Value::List(items) => items.iter().enumerate().map(|(i, v)| (Value::from(i as i64), v.clone())).collect(),
            Value::Set(items) => items.iter().map(|v| (v.clone(), v.clone())).collect(),
            Value::Map(entries) => entries.iter().map(|(k, v)| (Value::from(k.as_str()), v.clone())).collect(),
            Value::Unknown(_) => {
                // Check the content once with an unknown element, then leave the blocks unknown.
                let element =
                    Value::map([("key".to_owned(), Value::unknown()), ("value".to_owned(), Value::unknown())]);
                self.body(
                    &content.body,
                    &nested.block,
                    &context.with(&iterator, element),
                    span_of(self.file, &block.ident),
                    diags,
                );
                blocks.entry(key).or_default().push(BlockInstance {
                    key: None,
                    value: Value::Unknown(nested.block.value_type()),
                    block,
                });
                return;
            }
            other => {
                diags.push(
                    Diagnostic::error(
                        "Invalid dynamic for_each value",
                        format!("for_each of a dynamic block must be a collection, not a {}.", other.kind_name()),
                    )
                    .with_subject(span_of(self.file, for_each)),
                );
                return;
            }
        };
        for (element_key, element_value) in elements {
            let element = Value::map([("key".to_owned(), element_key), ("value".to_owned(), element_value)]);
            let inner = context.with(&iterator, element);
            let label = match (nested.nesting, labels) {
                (Nesting::Map, Some(expr)) => match inner.eval(expr).map(|v| v.peel().clone()) {
                    Ok(Value::List(items)) if items.len() == 1 => items[0].as_str().map(str::to_owned),
                    Ok(_) => {
                        diags.push(
                            Diagnostic::error(
                                "Invalid dynamic block label",
                                "labels must be a list of one string, the block name.",
                            )
                            .with_subject(span_of(self.file, expr)),
                        );
                        None
                    }
                    Err(d) => {
                        diags.push(d);
                        None
                    }
                },
                (Nesting::Map, None) => {
                    diags.push(
                        Diagnostic::error(
                            "Missing block label",
                            format!("Generated {ident} blocks need a name: add labels = [NAME] to the dynamic block."),
                        )
                        .with_subject(span_of(self.file, &block.ident)),
                    );
                    return;
                }
                _ => None,
            };
            let value = self.body(&content.body, &nested.block, &inner, span_of(self.file, &block.ident), diags);
            blocks.entry(key).or_default().push(BlockInstance { key: label, value, block });
        }
    }

    fn unsupported_argument(&self, attribute: &Attribute, schema: &BlockSchema) -> Diagnostic {
        let name = attribute.key.value().as_str();
        let is_block = schema.blocks.contains_key(name);
        let detail = if is_block {
            format!("\"{name}\" is a block, not an argument: write {name} {{ ... }} without the equals sign.")
        } else {
            format!("An argument named \"{name}\" is not expected here.")
        };
        Diagnostic::error("Unsupported argument", detail)
            .with_subject(span_of(self.file, &attribute.key))
            .with_optional_hint(did_you_mean(name, schema.argument_names()))
    }

    fn unsupported_block(&self, block: &Block, schema: &BlockSchema) -> Diagnostic {
        let name = block.ident.value().as_str();
        let detail = if schema.attributes.contains_key(name) {
            format!("\"{name}\" is an argument, not a block: write {name} = ... instead.")
        } else {
            format!("Blocks of type \"{name}\" are not expected here.")
        };
        Diagnostic::error("Unsupported block type", detail)
            .with_subject(span_of(self.file, &block.ident))
            .with_optional_hint(did_you_mean(name, schema.blocks.keys().map(String::as_str)))
    }

    fn missing_argument(&self, owner: Option<Span>, name: &str) -> Diagnostic {
        Diagnostic::error(
            "Missing required argument",
            format!("The argument \"{name}\" is required, but no definition was found."),
        )
        .with_subject(owner)
        .with_hint(format!("add `{name} = ...` to this block"))
    }
}

struct BlockInstance<'b> {
    key: Option<String>,
    value: Value,
    block: &'b Block,
}

#[cfg(test)]
mod tests {
    use strata_schema::AttributeSchema as A;

    use super::*;

    /// Unset arguments are null (optional+computed ones too: the provider decides them) or
    /// their default; computed-only attributes are null too.
    #[test]
    fn unset_attributes_are_null_or_their_default() {
        let schema = BlockSchema::new()
            .attribute("name", A::optional(Type::String, ""))
            .attribute("zone", A { computed: true, ..A::optional(Type::String, "") })
            .attribute("size", A { default: Some(Value::Number(2.0)), ..A::optional(Type::Number, "") })
            .attribute("id", A::computed(Type::String, ""));
        let body: Body = "name = \"x\"\n".parse().unwrap();
        let context = EvalContext::new(FileId(0), strata_functions::FunctionContext { base_dir: ".".into() });
        let mut diags = Diagnostics::new();
        let value = evaluate_body(&body, &schema, &context, None, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        let expected = Value::map([
            ("name".to_owned(), Value::from("x")),
            ("zone".to_owned(), Value::Null),
            ("size".to_owned(), Value::Number(2.0)),
            ("id".to_owned(), Value::Null),
        ]);
        assert_eq!(value, expected);
    }
}
