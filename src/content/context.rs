//! Where diagnostics go while one file is read, and how spans inside it map to the file.

use std::ops::Range;

use super::diagnostic::{Diagnostic, FileId};

/// Where diagnostics go while one file is read; `offset` shifts spans of embedded TOML
/// (front matter) back into file coordinates.
pub(crate) struct Ctx<'d> {
    pub file: FileId,
    pub offset: usize,
    /// The whole file, for trimming spans to a line.
    pub source: &'d str,
    pub diags: &'d mut Vec<Diagnostic>,
}

impl Ctx<'_> {
    pub fn span(&self, r: Range<usize>) -> Range<usize> {
        r.start + self.offset..r.end + self.offset
    }

    /// The first line of a (file-coordinate) span: a table's span covers its whole body, but a
    /// "missing key" error reads best under the table's header alone.
    pub fn first_line(&self, r: Range<usize>) -> Range<usize> {
        let body = self.source.get(r.clone()).unwrap_or("");
        let body = body.trim_end();
        let len = body.find('\n').unwrap_or(body.len()).max(1);
        r.start..(r.start + len).min(self.source.len().max(r.start + 1))
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }
}
