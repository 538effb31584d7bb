//! Diagnostics for pack authors: what is wrong, where (file, line, column, span), and a hint.
//!
//! Rendering goes through `codespan-reporting`, so line/column arithmetic and the caret drawing
//! are the library's, not ours.

use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use std::sync::{Arc, OnceLock};

use codespan_reporting::files::{self, Files, SimpleFile};
use codespan_reporting::term::{self, Config};
use serde::Serialize;

use crate::safe_text::{is_forbidden, may_hold_forbidden};

/// Index of a file in a [`SourceMap`].
pub type FileId = usize;

/// Every file a pack check looked at, kept so diagnostics can quote it.
///
/// Most files never get a diagnostic, so a file's text is read (for files on disk or in the
/// binary) and its line index and printable copy are built only when a diagnostic is first
/// placed or drawn in it: a warm start keeps no copy of the pack's text.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    entries: Vec<SourceEntry>,
}

/// Where a registered file's text comes from when it is first needed.
#[derive(Debug, Clone)]
pub enum SourceText {
    /// Already in memory (file problems, packs built in memory).
    Text(Arc<str>),
    /// A pack file on disk, read again on demand with the same limits as loading.
    Disk(std::path::PathBuf),
    /// A pack file embedded in the binary.
    Static(&'static [u8]),
}

#[derive(Debug, Clone)]
struct SourceEntry {
    name: String,
    source: SourceText,
    text: OnceLock<Arc<str>>,
    file: OnceLock<SimpleFile<String, Arc<str>>>,
}

impl SourceEntry {
    fn text(&self) -> &Arc<str> {
        self.text.get_or_init(|| match &self.source {
            SourceText::Text(t) => t.clone(),
            SourceText::Static(bytes) => Arc::from(decoded(bytes).as_ref()),
            SourceText::Disk(path) => {
                match crate::bounded_read::read(path, super::source::MAX_FILE_BYTES) {
                    Ok(bytes) => Arc::from(decoded(&bytes).as_ref()),
                    Err(_) => Arc::from(""),
                }
            }
        })
    }

    /// The file as codespan reads it. Forbidden characters are replaced by visible ones of
    /// the same UTF-8 length, so quoting a line never sends a stranger's escape sequence to
    /// the terminal and byte spans stay valid.
    fn file(&self) -> &SimpleFile<String, Arc<str>> {
        self.file
            .get_or_init(|| SimpleFile::new(self.name.clone(), Arc::from(printable(self.text()))))
    }
}

/// A pack file's bytes as diagnostics quote them: the text, or for a file that is not UTF-8
/// the valid part followed by U+FFFD (where the problem is reported).
pub fn decoded(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(e) => {
            let valid = String::from_utf8_lossy(&bytes[..e.valid_up_to()]);
            std::borrow::Cow::Owned(format!("{valid}\u{FFFD}"))
        }
    }
}

impl SourceMap {
    /// Registers a file whose text is at hand.
    pub fn add(&mut self, name: impl Into<String>, text: &str) -> FileId {
        self.register(name, SourceText::Text(Arc::from(text)))
    }

    /// Registers a file whose text is read when a diagnostic first needs it.
    pub fn register(&mut self, name: impl Into<String>, source: SourceText) -> FileId {
        self.entries.push(SourceEntry {
            name: name.into(),
            source,
            text: OnceLock::new(),
            file: OnceLock::new(),
        });
        self.entries.len() - 1
    }

    pub fn name(&self, id: FileId) -> &str {
        self.entries.get(id).map_or("?", |e| e.name.as_str())
    }

    pub fn text(&self, id: FileId) -> &str {
        self.entries.get(id).map_or("", |e| e.text())
    }

    /// One-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, id: FileId, byte: usize) -> (usize, usize) {
        let byte = byte.min(self.text(id).len());
        self.location(id, byte)
            .map(|l| (l.line_number, l.column_number))
            .unwrap_or((1, 1))
    }

    /// Length in bytes of the line holding `byte`.
    fn line_len_at(&self, id: FileId, byte: usize) -> usize {
        let text = self.text(id).as_bytes();
        let byte = byte.min(text.len());
        let start = text[..byte]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let end = text[byte..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(text.len(), |i| byte + i);
        end - start
    }

    /// `file:line:col` of a location, as shown in hints.
    pub fn position(&self, id: FileId, byte: usize) -> String {
        let (line, col) = self.line_col(id, byte);
        format!("{}:{line}:{col}", self.name(id))
    }

    fn entry(&self, id: FileId) -> Result<&SimpleFile<String, Arc<str>>, files::Error> {
        self.entries
            .get(id)
            .map(SourceEntry::file)
            .ok_or(files::Error::FileMissing)
    }
}

/// codespan reads each file through its own lazily built line index.
impl<'a> Files<'a> for SourceMap {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, files::Error> {
        Ok(self.entry(id)?.name().as_str())
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, files::Error> {
        Ok(self.entry(id)?.source().as_ref())
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, files::Error> {
        self.entry(id)?.line_index((), byte_index)
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, files::Error> {
        self.entry(id)?.line_range((), line_index)
    }
}

fn printable(text: &str) -> String {
    if !may_hold_forbidden(text) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if !is_forbidden(c) || c == '\r' {
                c
            } else {
                match c.len_utf8() {
                    1 => '?',
                    2 => '\u{BF}',
                    _ => '\u{FFFD}',
                }
            }
        })
        .collect()
}

/// Longest source line a diagnostic quotes; a longer one is named by position only, so a
/// one-line file of a megabyte cannot turn each diagnostic into a megabyte of output.
const MAX_QUOTED_LINE: usize = 400;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// What kind of problem a diagnostic reports; the kebab-case name is stable for scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub enum Code {
    TomlSyntax,
    FrontMatter,
    UnknownKey,
    MissingKey,
    WrongType,
    BadId,
    DuplicateId,
    DuplicatePack,
    DanglingReference,
    UnloadedPack,
    UnknownDomain,
    UnknownLab,
    UnknownGenerator,
    UnknownPlaceholder,
    BadCloze,
    BadChoices,
    ChoiceCount,
    MissingWhy,
    EmptyText,
    ControlCharacter,
    NotUtf8,
    FileTooLarge,
    SymlinkEscape,
    IoError,
    MissingManifest,
    BadVersion,
    UnsupportedFormat,
    BadWeights,
    BadValue,
    EmptyDomain,
    IgnoredFile,
    MissingSummary,
    SpecialFile,
    SymlinkLoop,
    TooDeep,
    TooManyProblems,
    ChooseInStem,
    RenamedId,
    RemovedId,
    UnknownAnchor,
    UnresolvedLink,
    MissingAsset,
    BadInclude,
    MissingRequirement,
    BadLicense,
}

impl Code {
    /// Every code, in the order the authoring guide lists them.
    pub const ALL: [Code; 45] = [
        Code::TomlSyntax,
        Code::FrontMatter,
        Code::UnknownKey,
        Code::MissingKey,
        Code::WrongType,
        Code::BadValue,
        Code::BadId,
        Code::DuplicateId,
        Code::DanglingReference,
        Code::UnknownAnchor,
        Code::UnresolvedLink,
        Code::MissingAsset,
        Code::BadInclude,
        Code::UnloadedPack,
        Code::UnknownDomain,
        Code::UnknownLab,
        Code::UnknownGenerator,
        Code::UnknownPlaceholder,
        Code::BadCloze,
        Code::BadChoices,
        Code::ChoiceCount,
        Code::ChooseInStem,
        Code::MissingWhy,
        Code::MissingSummary,
        Code::EmptyText,
        Code::ControlCharacter,
        Code::NotUtf8,
        Code::FileTooLarge,
        Code::SymlinkEscape,
        Code::SymlinkLoop,
        Code::SpecialFile,
        Code::TooDeep,
        Code::IoError,
        Code::IgnoredFile,
        Code::MissingManifest,
        Code::BadVersion,
        Code::UnsupportedFormat,
        Code::BadWeights,
        Code::BadLicense,
        Code::MissingRequirement,
        Code::EmptyDomain,
        Code::DuplicatePack,
        Code::RenamedId,
        Code::RemovedId,
        Code::TooManyProblems,
    ];

    /// The code with this kebab-case name.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Code::TomlSyntax => "toml-syntax",
            Code::FrontMatter => "front-matter",
            Code::UnknownKey => "unknown-key",
            Code::MissingKey => "missing-key",
            Code::WrongType => "wrong-type",
            Code::BadId => "bad-id",
            Code::DuplicateId => "duplicate-id",
            Code::DuplicatePack => "duplicate-pack",
            Code::DanglingReference => "dangling-reference",
            Code::UnloadedPack => "unloaded-pack",
            Code::UnknownDomain => "unknown-domain",
            Code::UnknownLab => "unknown-lab",
            Code::UnknownGenerator => "unknown-generator",
            Code::UnknownPlaceholder => "unknown-placeholder",
            Code::BadCloze => "bad-cloze",
            Code::BadChoices => "bad-choices",
            Code::ChoiceCount => "choice-count",
            Code::MissingWhy => "missing-why",
            Code::EmptyText => "empty-text",
            Code::ControlCharacter => "control-character",
            Code::NotUtf8 => "not-utf8",
            Code::FileTooLarge => "file-too-large",
            Code::SymlinkEscape => "symlink-escape",
            Code::IoError => "io-error",
            Code::MissingManifest => "missing-manifest",
            Code::BadVersion => "bad-version",
            Code::UnsupportedFormat => "unsupported-format",
            Code::BadWeights => "bad-weights",
            Code::BadValue => "bad-value",
            Code::EmptyDomain => "empty-domain",
            Code::IgnoredFile => "ignored-file",
            Code::MissingSummary => "missing-summary",
            Code::SpecialFile => "special-file",
            Code::SymlinkLoop => "symlink-loop",
            Code::TooDeep => "too-deep",
            Code::TooManyProblems => "too-many-problems",
            Code::ChooseInStem => "choose-in-stem",
            Code::RenamedId => "renamed-id",
            Code::RemovedId => "removed-id",
            Code::UnknownAnchor => "unknown-anchor",
            Code::UnresolvedLink => "unresolved-link",
            Code::MissingAsset => "missing-asset",
            Code::BadInclude => "bad-include",
            Code::MissingRequirement => "missing-requirement",
            Code::BadLicense => "bad-license",
        }
    }
}

/// A secondary place a diagnostic points at, e.g. where a duplicate id was first defined.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Related {
    pub file: FileId,
    pub span: Range<usize>,
    pub label: String,
}

/// One problem in one file of a pack.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    pub file: FileId,
    /// Byte range in the file; `None` for problems with the file as a whole.
    pub span: Option<Range<usize>>,
    pub label: Option<String>,
    pub hint: Option<String>,
    pub related: Option<Related>,
    /// Facts shown under the diagnostic, before the hint (what a syntax error cost).
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn error(code: Code, file: FileId, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, file, message)
    }

    pub fn warning(code: Code, file: FileId, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, file, message)
    }

    fn new(severity: Severity, code: Code, file: FileId, message: impl Into<String>) -> Self {
        Self {
            severity,
            code,
            message: message.into(),
            file,
            span: None,
            label: None,
            hint: None,
            related: None,
            notes: Vec::new(),
        }
    }

    pub fn at(mut self, span: Range<usize>, label: impl Into<String>) -> Self {
        self.span = Some(span);
        self.label = Some(label.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn hint_opt(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn related(mut self, file: FileId, span: Range<usize>, label: impl Into<String>) -> Self {
        self.related = Some(Related {
            file,
            span,
            label: label.into(),
        });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn to_codespan(&self, sources: &SourceMap) -> CsDiagnostic<FileId> {
        let base = match self.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        };
        let mut labels = Vec::new();
        let mut notes = Vec::new();
        let mut quotable = |file: FileId, span: &Range<usize>| {
            let ok = sources.line_len_at(file, span.start) <= MAX_QUOTED_LINE;
            if !ok {
                notes.push(format!(
                    "at {} (the line is too long to quote)",
                    sources.position(file, span.start)
                ));
            }
            ok
        };
        if let Some(span) = self.span.as_ref().filter(|s| quotable(self.file, s)) {
            labels.push(
                Label::primary(self.file, span.clone())
                    .with_message(self.label.clone().unwrap_or_default()),
            );
        }
        if let Some(rel) = self.related.as_ref().filter(|r| quotable(r.file, &r.span)) {
            labels.push(Label::secondary(rel.file, rel.span.clone()).with_message(&rel.label));
        }
        if self.span.is_none() {
            notes.push(format!("in {}", sources.name(self.file)));
        }
        notes.extend(self.notes.iter().map(|n| format!("note: {n}")));
        if let Some(hint) = &self.hint {
            notes.push(format!("help: {hint}"));
        }
        base.with_code(self.code.as_str())
            .with_message(&self.message)
            .with_labels(labels)
            .with_notes(notes)
    }

    /// The diagnostic as plain text: header, the offending line with a caret, the hint. Shown
    /// escaped: messages quote ids and file names as a stranger wrote them.
    pub fn render(&self, sources: &SourceMap) -> String {
        let cs = self.to_codespan(sources);
        let text = term::emit_into_string(&Config::default(), sources, &cs)
            .unwrap_or_else(|_| format!("{}: {}\n", self.code.as_str(), self.message));
        crate::safe_text::escape(&text).into_owned()
    }

    /// Writes the diagnostic with colours (when the stream supports them).
    pub fn emit_colored(
        &self,
        sources: &SourceMap,
        out: &mut dyn term::termcolor::WriteColor,
    ) -> std::io::Result<()> {
        let cs = self.to_codespan(sources);
        term::emit_to_write_style(out, &Config::default(), sources, &cs)
            .map_err(std::io::Error::other)
    }

    /// The machine-readable form used by `pack check --format json`: one-based lines and
    /// columns (in characters) of the start and end of each span, so editors can underline it.
    pub fn to_json(&self, sources: &SourceMap) -> JsonDiagnostic {
        let at = self
            .span
            .as_ref()
            .map(|s| JsonSpan::of(sources, self.file, s, self.label.clone()));
        let (line, column) = at.as_ref().map_or((1, 1), |a| (a.line, a.column));
        let (end_line, end_column) = at.as_ref().map_or((1, 1), |a| (a.end_line, a.end_column));
        JsonDiagnostic {
            file: sources.name(self.file).to_string(),
            line,
            column,
            end_line,
            end_column,
            severity: self.severity,
            code: self.code.as_str(),
            message: self.message.clone(),
            label: self.label.clone(),
            hint: self.hint.clone(),
            notes: self.notes.clone(),
            related: self
                .related
                .iter()
                .map(|r| JsonSpan::of(sources, r.file, &r.span, Some(r.label.clone())))
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonDiagnostic {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// Where the span ends (exclusive column), on `end_line`.
    pub end_line: usize,
    pub end_column: usize,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    /// What the caret under the span says.
    pub label: Option<String>,
    pub hint: Option<String>,
    pub notes: Vec<String>,
    /// Secondary places, such as where a duplicate id was first defined.
    pub related: Vec<JsonSpan>,
}

/// A span in a file, as lines and columns, with what it is.
#[derive(Debug, Clone, Serialize)]
pub struct JsonSpan {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub message: Option<String>,
}

impl JsonSpan {
    fn of(sources: &SourceMap, file: FileId, span: &Range<usize>, message: Option<String>) -> Self {
        let (line, column) = sources.line_col(file, span.start);
        let (end_line, end_column) = sources.line_col(file, span.end.max(span.start));
        JsonSpan {
            file: sources.name(file).to_string(),
            line,
            column,
            end_line,
            end_column,
            message,
        }
    }
}

/// The closest candidate to a misspelt word, for "did you mean" hints.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_listed_once() {
        let names: std::collections::HashSet<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names.len(), Code::ALL.len());
        for c in Code::ALL {
            assert_eq!(Code::from_name(c.as_str()), Some(c));
        }
    }

    #[test]
    fn suggests_close_words_only() {
        let keys = ["domain", "difficulty", "stem"];
        assert_eq!(did_you_mean("domian", keys), Some("domain"));
        assert_eq!(did_you_mean("difficuly", keys), Some("difficulty"));
        assert_eq!(did_you_mean("zebra", keys), None);
    }

    #[test]
    fn quoted_lines_never_carry_escape_sequences() {
        let mut map = SourceMap::default();
        let text = "a \u{1b}]0;x\u{7} \u{202e}b \u{9b}c";
        let f = map.add("n.md", text);
        let quoted = Files::source(&map, f).unwrap();
        assert_eq!(quoted.len(), text.len());
        assert!(!quoted.chars().any(is_forbidden));
        assert_eq!(map.text(f), text, "the original text is kept for positions");
    }

    #[test]
    fn renders_caret_under_span() {
        let mut map = SourceMap::default();
        let f = map.add("decks/a.toml", "id = \"x\"\nfornt = \"y\"\n");
        let d = Diagnostic::error(Code::UnknownKey, f, "unknown key `fornt`")
            .at(9..14, "not a card key")
            .hint("did you mean `front`?");
        let text = d.render(&map);
        assert!(text.contains("decks/a.toml:2:1"), "{text}");
        assert!(text.contains("^^^^^"), "{text}");
        assert!(text.contains("help: did you mean `front`?"), "{text}");
        let json = d.to_json(&map);
        assert_eq!((json.line, json.column), (2, 1));
    }
}
