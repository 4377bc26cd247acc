//! Source files and spans into them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Index of a file in a [`SourceFiles`] registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(file: FileId, range: std::ops::Range<usize>) -> Span {
        Span { file, start: range.start, end: range.end.max(range.start) }
    }

    /// The smallest span covering both (same file assumed; `self` wins otherwise).
    pub fn to(self, other: Span) -> Span {
        if self.file != other.file {
            return self;
        }
        Span { file: self.file, start: self.start.min(other.start), end: self.end.max(other.end) }
    }
}

/// A one-based line and column (columns count characters, not bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub byte: usize,
}

/// One loaded file: the path users see and its text.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path as shown to users (relative to the working directory where possible).
    pub name: String,
    pub path: PathBuf,
    pub text: Arc<str>,
    line_starts: Vec<usize>,
}

impl SourceFile {
    fn new(name: String, path: PathBuf, text: Arc<str>) -> SourceFile {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile { name, path, text, line_starts }
    }

    /// Line and column of a byte offset (clamped to the text).
    pub fn position(&self, byte: usize) -> Position {
        let mut byte = byte.min(self.text.len());
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        let line_index = match self.line_starts.binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let line_start = self.line_starts[line_index];
        let column = self.text[line_start..byte].chars().count() + 1;
        Position { line: line_index + 1, column, byte }
    }

    /// Byte offset of a one-based line and column (clamped).
    pub fn offset(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        let end_of_line = rest.find('\n').unwrap_or(rest.len());
        let in_line = rest[..end_of_line].char_indices().nth(column.saturating_sub(1)).map_or(end_of_line, |(i, _)| i);
        start + in_line
    }
}

/// Registry of every file a command read, so diagnostics can point into them.
#[derive(Clone, Debug, Default)]
pub struct SourceFiles {
    files: Vec<SourceFile>,
}

impl SourceFiles {
    pub fn new() -> SourceFiles {
        SourceFiles::default()
    }

    pub fn add(&mut self, name: impl Into<String>, path: impl AsRef<Path>, text: impl Into<Arc<str>>) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile::new(name.into(), path.as_ref().to_path_buf(), text.into()));
        id
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i as u32), f))
    }

    /// The source text a span covers.
    pub fn snippet(&self, span: Span) -> Option<&str> {
        self.get(span.file)?.text.get(span.start..span.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_chars() {
        let mut files = SourceFiles::new();
        let id = files.add("a.hcl", "a.hcl", "ab\nçd = 1\n");
        let file = files.get(id).unwrap();
        assert_eq!(file.position(0), Position { line: 1, column: 1, byte: 0 });
        assert_eq!(file.position(3), Position { line: 2, column: 1, byte: 3 });
        // `ç` is two bytes; `d` is the second character of line 2.
        assert_eq!(file.position(5), Position { line: 2, column: 2, byte: 5 });
        assert_eq!(file.offset(2, 2), 5);
        assert_eq!(file.position(1000).line, 3);
    }
}
