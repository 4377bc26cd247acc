//! `#[derive(Model)]` for `strata-provider-sdk`: a struct with named fields becomes a resource
//! (or data source, or provider configuration) model. The derive writes the struct's
//! [`BlockSchema`] and its conversions from and to `strata_value::Value`; the meaning of every
//! option is documented on `strata_provider_sdk::Model`, which re-exports this macro. Generated
//! code names only `::strata_provider_sdk::__private`, so a provider depends on the SDK alone.
//!
//! [`BlockSchema`]: https://docs.rs/strata-schema

mod attrs;

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as TokenStream2};
use quote::quote;
use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, Type, parse_macro_input};

use crate::attrs::{FieldOptions, field_options, struct_description};

/// Derives `strata_provider_sdk::Model` (and `Field`, `BlockField`) for a struct with named
/// fields. See `strata_provider_sdk::Model` for the `#[strata(...)]` options.
#[proc_macro_derive(Model, attributes(strata))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match expand(&input) {
        Ok(tokens) => tokens.into(),
        Err(error) => error.to_compile_error().into(),
    }
}

/// One field, read.
struct ModelField {
    ident: syn::Ident,
    ty: Type,
    name: String,
    options: FieldOptions,
}

fn expand(input: &DeriveInput) -> syn::Result<TokenStream2> {
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(&input.generics, "a strata Model cannot have generic parameters"));
    }
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new(Span::call_site(), "a strata Model must be a struct with named fields"));
    };
    let Fields::Named(named) = &data.fields else {
        return Err(syn::Error::new_spanned(&data.fields, "a strata Model must be a struct with named fields"));
    };
    let description = struct_description(&input.attrs)?;
    let mut fields = Vec::new();
    for field in &named.named {
        let ident = field.ident.clone().expect("named field");
        let options = field_options(&field.attrs)?;
        check(&ident, &field.ty, &options)?;
        let name = options.rename.clone().unwrap_or_else(|| ident.unraw().to_string());
        fields.push(ModelField { ident, ty: field.ty.clone(), name, options });
    }

    let ident = &input.ident;
    let decode = fields.iter().map(decode_field);
    let encode = fields.iter().map(encode_field);
    let schema = fields.iter().map(schema_field);
    Ok(quote! {
        const _: () = {
            use ::strata_provider_sdk::__private as __sdk;

            impl __sdk::Field for #ident {
                fn value_type() -> __sdk::Type {
                    <Self as __sdk::Model>::schema().value_type()
                }

                fn from_value(value: &__sdk::Value, path: &str) -> ::std::result::Result<Self, __sdk::ProviderError> {
                    let entries = __sdk::object(value, path)?;
                    ::std::result::Result::Ok(#ident { #(#decode)* })
                }

                fn to_value(&self) -> __sdk::Value {
                    let mut entries = __sdk::Entries::new();
                    #(#encode)*
                    __sdk::Value::Map(entries)
                }
            }

            impl __sdk::Model for #ident {
                fn description() -> &'static str {
                    #description
                }

                fn schema() -> __sdk::BlockSchema {
                    let mut block = __sdk::BlockSchema::new();
                    #(#schema)*
                    block
                }
            }

            impl __sdk::BlockField for #ident {
                const NESTING: __sdk::Nesting = __sdk::Nesting::Single;
                const MIN_ITEMS: usize = 1;

                fn block() -> __sdk::BlockSchema {
                    <Self as __sdk::Model>::schema()
                }
            }
        };
    })
}

/// Options that contradict each other, or the field's type, are compile errors.
fn check(ident: &syn::Ident, ty: &Type, options: &FieldOptions) -> syn::Result<()> {
    let error = |message: &str| Err(syn::Error::new_spanned(ident, message));
    if options.block {
        if options.has_attribute_options() {
            return error(
                "a nested block takes only `block`, `min_items`, `max_items`, `rename` and `description`; \
                 required/optional/computed/sensitive/force_new/allowed/default are for attributes",
            );
        }
        return Ok(());
    }
    if options.min_items.is_some() || options.max_items.is_some() {
        return error("`min_items`/`max_items` are for nested blocks: add `block`");
    }
    if options.required && (options.optional || options.computed) {
        return error("an attribute is either `required`, or `optional` and/or `computed`");
    }
    if options.required && options.default.is_some() {
        return error("a required attribute cannot have a `default`");
    }
    if options.computed && !is_nullable_wrapper(ty) {
        return error(
            "a computed attribute is unknown until apply: declare it as Option<T> (None while unknown) or Planned<T>",
        );
    }
    Ok(())
}

/// `Option<...>` or `Planned<...>`, by the last path segment.
fn is_nullable_wrapper(ty: &Type) -> bool {
    let Type::Path(path) = ty else { return false };
    path.path.segments.last().is_some_and(|s| s.ident == "Option" || s.ident == "Planned")
}

fn decode_field(field: &ModelField) -> TokenStream2 {
    let ModelField { ident, ty, name, options } = field;
    if options.block {
        quote!(#ident: __sdk::block_field::<#ty>(entries, #name, path)?,)
    } else {
        let computed = options.computed;
        quote!(#ident: __sdk::attribute_field::<#ty>(entries, #name, path, #computed)?,)
    }
}

fn encode_field(field: &ModelField) -> TokenStream2 {
    let ModelField { ident, ty, name, options } = field;
    let sensitive = options.sensitive;
    quote! {
        entries.insert(
            ::std::string::String::from(#name),
            <#ty as __sdk::Field>::to_value(&self.#ident).with_sensitive(#sensitive),
        );
    }
}

fn schema_field(field: &ModelField) -> TokenStream2 {
    let ModelField { ty, name, options, .. } = field;
    let description = options.description.clone().unwrap_or_default();
    if options.block {
        let min_items = option_tokens(options.min_items);
        let max_items = option_tokens(options.max_items);
        return quote! {
            block.blocks.insert(
                ::std::string::String::from(#name),
                __sdk::nested_block_schema::<#ty>(#description, #min_items, #max_items),
            );
        };
    }
    // No flag: Option<T> is optional, anything else required; a default alone makes it optional.
    let inferred = !(options.required || options.optional || options.computed);
    let optional = options.optional || (inferred && options.default.is_some());
    let required = options.required;
    let (computed, sensitive, force_new) = (options.computed, options.sensitive, options.force_new);
    let allowed = &options.allowed;
    let default = match &options.default {
        Some(value) => quote!(::std::option::Option::Some(#value)),
        None => quote!(::std::option::Option::None),
    };
    let inferred = inferred && options.default.is_none();
    quote! {
        block.attributes.insert(
            ::std::string::String::from(#name),
            __sdk::attribute_schema::<#ty>(
                #description,
                __sdk::AttributeFlags {
                    inferred: #inferred,
                    required: #required,
                    optional: #optional,
                    computed: #computed,
                    sensitive: #sensitive,
                    force_new: #force_new,
                },
                &[#(#allowed),*],
                #default,
            ),
        );
    }
}

fn option_tokens(value: Option<usize>) -> TokenStream2 {
    match value {
        Some(n) => quote!(::std::option::Option::Some(#n)),
        None => quote!(::std::option::Option::None),
    }
}
