//! What `#[strata(...)]` and doc comments say about a struct and its fields.

use proc_macro2::TokenStream;
use quote::quote;
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, Lit, LitStr, Token};

/// The options of one field.
#[derive(Default)]
pub(crate) struct FieldOptions {
    pub required: bool,
    pub optional: bool,
    pub computed: bool,
    pub sensitive: bool,
    pub force_new: bool,
    pub allowed: Vec<String>,
    /// An expression building the default `Value`.
    pub default: Option<TokenStream>,
    pub rename: Option<String>,
    pub description: Option<String>,
    pub block: bool,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
}

impl FieldOptions {
    /// True when an option only an attribute (not a nested block) can have is set.
    pub(crate) fn has_attribute_options(&self) -> bool {
        self.required
            || self.optional
            || self.computed
            || self.sensitive
            || self.force_new
            || !self.allowed.is_empty()
            || self.default.is_some()
    }
}

/// Reads every `#[strata(...)]` of a field.
pub(crate) fn field_options(attrs: &[Attribute]) -> syn::Result<FieldOptions> {
    let mut options = FieldOptions { description: doc_comment(attrs), ..FieldOptions::default() };
    for attr in attrs.iter().filter(|a| a.path().is_ident("strata")) {
        attr.parse_nested_meta(|meta| {
            let path = &meta.path;
            if path.is_ident("required") {
                options.required = true;
            } else if path.is_ident("optional") {
                options.optional = true;
            } else if path.is_ident("computed") {
                options.computed = true;
            } else if path.is_ident("sensitive") {
                options.sensitive = true;
            } else if path.is_ident("force_new") {
                options.force_new = true;
            } else if path.is_ident("block") {
                options.block = true;
            } else if path.is_ident("allowed") {
                let input = meta.value()?;
                if input.peek(syn::token::Bracket) {
                    let content;
                    syn::bracketed!(content in input);
                    let items = Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?;
                    options.allowed = items.iter().map(LitStr::value).collect();
                } else {
                    let list: LitStr = input.parse()?;
                    options.allowed =
                        list.value().split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
                }
            } else if path.is_ident("default") {
                let input = meta.value()?;
                let negative = input.peek(Token![-]);
                if negative {
                    input.parse::<Token![-]>()?;
                }
                let sign = if negative { -1.0 } else { 1.0 };
                let lit: Lit = input.parse()?;
                options.default = Some(match &lit {
                    Lit::Str(s) if !negative => quote!(__sdk::Value::String(::std::string::String::from(#s))),
                    Lit::Bool(b) if !negative => quote!(__sdk::Value::Bool(#b)),
                    Lit::Int(i) => {
                        let n = sign * i.base10_parse::<f64>()?;
                        quote!(__sdk::Value::Number(#n))
                    }
                    Lit::Float(f) => {
                        let n = sign * f.base10_parse::<f64>()?;
                        quote!(__sdk::Value::Number(#n))
                    }
                    _ => return Err(meta.error("`default` takes a string, number or bool literal")),
                });
            } else if path.is_ident("rename") {
                options.rename = Some(meta.value()?.parse::<LitStr>()?.value());
            } else if path.is_ident("description") {
                options.description = Some(meta.value()?.parse::<LitStr>()?.value());
            } else if path.is_ident("min_items") {
                options.min_items = Some(meta.value()?.parse::<syn::LitInt>()?.base10_parse()?);
            } else if path.is_ident("max_items") {
                options.max_items = Some(meta.value()?.parse::<syn::LitInt>()?.base10_parse()?);
            } else {
                return Err(meta.error(
                    "unknown strata option; expected one of required, optional, computed, sensitive, force_new, \
                     allowed, default, rename, description, block, min_items, max_items",
                ));
            }
            Ok(())
        })?;
    }
    Ok(options)
}

/// The struct's description: `#[strata(description = "...")]`, else its doc comment.
pub(crate) fn struct_description(attrs: &[Attribute]) -> syn::Result<String> {
    let mut description = doc_comment(attrs);
    for attr in attrs.iter().filter(|a| a.path().is_ident("strata")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("description") {
                description = Some(meta.value()?.parse::<LitStr>()?.value());
                Ok(())
            } else {
                Err(meta.error("the only strata option of a struct is `description`"))
            }
        })?;
    }
    Ok(description.unwrap_or_default())
}

/// Doc comment lines: lines of a paragraph joined by a space, paragraphs by a blank line.
fn doc_comment(attrs: &[Attribute]) -> Option<String> {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut any = false;
    for attr in attrs.iter().filter(|a| a.path().is_ident("doc")) {
        let syn::Meta::NameValue(name_value) = &attr.meta else { continue };
        let Expr::Lit(syn::ExprLit { lit: Lit::Str(text), .. }) = &name_value.value else { continue };
        any = true;
        for line in text.value().split('\n') {
            let line = line.trim();
            if line.is_empty() {
                if !current.is_empty() {
                    paragraphs.push(std::mem::take(&mut current));
                }
            } else {
                if !current.is_empty() {
                    current.push(' ');
                }
                current.push_str(line);
            }
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    any.then(|| paragraphs.join("\n\n"))
}
