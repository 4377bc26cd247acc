//! Finds block labels written as bare identifiers (`resource aws_instance web`),
//! which `terraform fmt` rewrites to the idiomatic quoted form.

use std::collections::HashSet;

use hcl::edit::Span;
use hcl::edit::structure::{BlockLabel, Body};

/// Byte offsets in the source where a bare-identifier block label starts.
pub(crate) fn bare_label_offsets(body: &Body) -> HashSet<usize> {
    let mut offsets = HashSet::new();
    collect(body, &mut offsets);
    offsets
}

fn collect(body: &Body, offsets: &mut HashSet<usize>) {
    for block in body.iter().filter_map(|structure| structure.as_block()) {
        for label in &block.labels {
            if let BlockLabel::Ident(ident) = label
                && let Some(span) = ident.span()
            {
                offsets.insert(span.start);
            }
        }
        collect(&block.body, offsets);
    }
}
