//! Where an attribute path a provider names (`release`, `node_group.core.count`,
//! `config.spark-defaults.conf`, `tags["env"]`) is written in a resource block, so that a
//! provider's complaint about it points at a file, line and column like any other diagnostic.
//!
//! Paths follow the SDK's convention: a nested block's label is a path step of its own, and a
//! label may hold dots (`config.spark-defaults.conf`), so labels are matched against the rest
//! of the path rather than split on dots.

use hcl::edit::structure::Body;
use strata_diagnostics::Span;

use crate::ResourceBody;
use crate::decode::span_of;

impl ResourceBody {
    /// The span of the expression (or block) `path` names, as deep as the configuration
    /// writes it; `None` when not even its first step is written here (an argument left
    /// unset, a computed attribute).
    pub fn span_of_path(&self, path: &str) -> Option<Span> {
        find(self, &self.body, path)
    }
}

fn find(resource: &ResourceBody, body: &Body, path: &str) -> Option<Span> {
    let end = path.find(['.', '[']).unwrap_or(path.len());
    let (name, rest) = path.split_at(end);
    if let Some(attribute) = body.attributes().find(|a| a.key.value().as_str() == name) {
        // Deeper steps are inside the value (an object or list): its span is the place.
        return span_of(resource.file, &attribute.value);
    }
    let blocks: Vec<_> = body.blocks().filter(|b| b.ident.value().as_str() == name).collect();
    let first = blocks.first()?;
    if rest.is_empty() {
        return span_of(resource.file, &first.ident);
    }
    for block in &blocks {
        let Some(label) = block.labels.first().map(|l| l.as_str().to_owned()) else {
            // A block without a label: the path goes on inside it.
            let inner = rest.strip_prefix('.').unwrap_or(rest);
            return find(resource, &block.body, inner).or_else(|| span_of(resource.file, &block.ident));
        };
        let after = rest
            .strip_prefix('.')
            .and_then(|r| r.strip_prefix(label.as_str()))
            .or_else(|| rest.strip_prefix(&format!("[{}]", quoted(&label))));
        match after {
            Some("") => {
                return span_of(resource.file, &block.ident)
                    .zip(block_labels_end(resource, block))
                    .map(|(ident, label)| ident.to(label));
            }
            Some(inner) if inner.starts_with('.') => {
                return find(resource, &block.body, &inner[1..]).or_else(|| span_of(resource.file, &block.ident));
            }
            _ => {}
        }
    }
    span_of(resource.file, &first.ident)
}

fn block_labels_end(resource: &ResourceBody, block: &hcl::edit::structure::Block) -> Option<Span> {
    block.labels.last().and_then(|label| span_of(resource.file, label))
}

/// `label` as an HCL string literal.
fn quoted(label: &str) -> String {
    format!("\"{}\"", label.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use strata_diagnostics::{FileId, SourceFiles};

    use crate::ResourceBody;

    const TEXT: &str = r#"name    = "analytics"
release = "STRATA-9.9.9"
node_group "master" {
  role  = "MASTER"
  count = 1
}
node_group "core" {
  role  = "CORE"
  count = -1
}
config "spark-defaults.conf" {
  values = { "spark.executor.memory" = "512m" }
}
"#;

    fn resource() -> (ResourceBody, SourceFiles) {
        let mut files = SourceFiles::new();
        let file: FileId = files.add("main.hcl", "main.hcl", TEXT);
        let body = hcl::edit::parser::parse_body(TEXT).unwrap();
        (ResourceBody { file, body }, files)
    }

    /// `path` → the text at its span (first line), or `None`.
    fn at(path: &str) -> Option<String> {
        let (resource, _) = resource();
        let span = resource.span_of_path(path)?;
        Some(TEXT[span.start..span.end].lines().next().unwrap_or_default().to_owned())
    }

    #[test]
    fn provider_paths_point_at_what_the_configuration_wrote() {
        assert_eq!(at("release").as_deref(), Some("\"STRATA-9.9.9\""));
        assert_eq!(at("node_group.core.count").as_deref(), Some("-1"));
        assert_eq!(at("node_group[\"core\"].count").as_deref(), Some("-1"));
        assert_eq!(at("node_group.master.role").as_deref(), Some("\"MASTER\""));
        // A label with dots, and a step inside an object value.
        assert_eq!(
            at("config.spark-defaults.conf.values").as_deref(),
            Some("{ \"spark.executor.memory\" = \"512m\" }")
        );
        assert_eq!(at("config.spark-defaults.conf").as_deref(), Some("config \"spark-defaults.conf\""));
        // Unknown label: the first block of that type; unset argument: nothing.
        assert_eq!(at("node_group.gateway.count").as_deref(), Some("node_group"));
        assert_eq!(at("services"), None);
    }
}
