//! Adapts a [`Diagnostic`] to `miette::Diagnostic` for the human view.

use std::fmt;

use miette::{LabeledSpan, NamedSource, SourceCode};

use crate::{Diagnostic, Severity, SourceFiles};

/// A diagnostic with the source it points into, ready for a miette report handler.
#[derive(Debug)]
pub struct Rendered {
    diagnostic: Diagnostic,
    source: Option<NamedSource<String>>,
    location: Option<String>,
}

impl Rendered {
    pub fn new(diagnostic: &Diagnostic, files: &SourceFiles) -> Rendered {
        let file = diagnostic.subject.and_then(|s| files.get(s.file));
        let source = file.map(|f| NamedSource::new(&f.name, f.text.to_string()).with_language("hcl"));
        let location = diagnostic.subject.zip(file).map(|(span, f)| {
            let p = f.position(span.start);
            format!("{}:{}:{}", f.name, p.line, p.column)
        });
        Rendered { diagnostic: diagnostic.clone(), source, location }
    }
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.summary)
    }
}

impl std::error::Error for Rendered {}

impl miette::Diagnostic for Rendered {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let detail = &self.diagnostic.detail;
        let text = match (&self.location, &self.diagnostic.hint) {
            (Some(loc), Some(hint)) => format!("{detail}\n  at {loc}\nhint: {hint}"),
            (Some(loc), None) => format!("{detail}\n  at {loc}"),
            (None, Some(hint)) => format!("{detail}\nhint: {hint}"),
            (None, None) => detail.clone(),
        };
        Some(Box::new(text))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let subject = self.diagnostic.subject?;
        self.source.as_ref()?;
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            Some("here".to_owned()),
            (subject.start, subject.end.saturating_sub(subject.start)),
        )];
        if let Some(context) = self.diagnostic.context.filter(|c| c.file == subject.file && *c != subject) {
            labels.push(LabeledSpan::new_with_span(
                Some("related".to_owned()),
                (context.start, context.end.saturating_sub(context.start)),
            ));
        }
        Some(Box::new(labels.into_iter()))
    }
}
