//! Spreadsheets in: CSV or TSV rows of front, back and optional tags, read with the `csv`
//! crate (RFC 4180 quoting). A header row is recognised by its column names; a row that
//! cannot be used is reported with its line number and the rest are imported.

use std::collections::HashSet;
use std::path::Path;

use xxhash_rust::xxh3::xxh3_64;

use super::InteropError;
use super::pack_out::{DraftCard, DraftKind, clean_tag, clean_text, validate};
use crate::content::cloze;

/// A spreadsheet file is read whole, up to this size.
pub const MAX_BYTES: u64 = 16 << 20;
/// Rows imported at most; the rest are reported as left out.
const MAX_ROWS: usize = 100_000;

/// The delimiter for `path`: tab for `.tsv`/`.tab`, else the one of `,` `\t` `;` `|` found
/// most often on the first line (outside quotes), else a comma.
pub fn detect_delimiter(path: &Path, bytes: &[u8]) -> u8 {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    if matches!(ext.as_deref(), Some("tsv" | "tab")) {
        return b'\t';
    }
    let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let mut counts = [0usize; 4];
    let mut quoted = false;
    for &b in first {
        match b {
            b'"' => quoted = !quoted,
            _ if quoted => {}
            _ => {
                if let Some(i) = b",\t;|".iter().position(|&d| d == b) {
                    counts[i] += 1;
                }
            }
        }
    }
    let (best, count) = counts
        .iter()
        .enumerate()
        .max_by_key(|&(i, c)| (c, std::cmp::Reverse(i)))
        .unwrap_or((0, &0));
    if *count == 0 { b',' } else { b",\t;|"[best] }
}

/// Which column holds what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Columns {
    front: usize,
    back: usize,
    tags: Option<usize>,
}

/// The columns a header row names, if the row is a header: it names a front and a back.
fn header(cells: &[String]) -> Option<Columns> {
    let find = |names: &[&str]| {
        cells
            .iter()
            .position(|c| names.contains(&c.trim().to_lowercase().as_str()))
    };
    Some(Columns {
        front: find(&["front", "question", "term", "q", "prompt", "text"])?,
        back: find(&["back", "answer", "definition", "a", "response", "extra"])?,
        tags: find(&["tags", "tag", "labels"]),
    })
}

/// What a spreadsheet import made.
#[derive(Debug, Default)]
pub struct Rows {
    pub cards: Vec<DraftCard>,
    /// `line N: why`, one per row left out.
    pub problems: Vec<String>,
    pub header: bool,
}

/// A stable id from the front: editing the back keeps a card's progress.
fn id_for(front: &str, taken: &mut HashSet<String>) -> String {
    let base = format!("c-{:012x}", xxh3_64(front.as_bytes()) >> 16);
    let mut id = base.clone();
    let mut n = 2;
    while !taken.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// One row as a card: front, back, and tags split on spaces or commas. A front with cloze
/// deletions and no back makes a cloze card.
fn card(cells: &[String], cols: Columns, taken: &mut HashSet<String>) -> Result<DraftCard, String> {
    let cell = |i: usize| cells.get(i).map(|c| clean_text(c)).unwrap_or_default();
    let (front, back) = (cell(cols.front), cell(cols.back));
    let tags: Vec<String> = cols
        .tags
        .map(cell)
        .unwrap_or_default()
        .split([' ', ','])
        .filter_map(clean_tag)
        .collect();
    if front.is_empty() {
        return Err("the front is empty".into());
    }
    let kind = if back.is_empty() && front.contains("{{c") && cloze::parse(&front).is_ok() {
        DraftKind::Cloze {
            text: front.clone(),
        }
    } else {
        if back.is_empty() {
            return Err("the back is empty".into());
        }
        DraftKind::Basic {
            front: front.clone(),
            back,
            reverse: false,
        }
    };
    let card = DraftCard {
        id: String::new(),
        kind,
        extra: None,
        tags,
    };
    validate(&card)?;
    Ok(DraftCard {
        id: id_for(&front, taken),
        ..card
    })
}

/// Reads `path` (at most [`MAX_BYTES`]) with `delimiter`, or the detected one.
pub fn import(path: &Path, delimiter: Option<u8>) -> Result<Rows, InteropError> {
    let bytes =
        crate::bounded_read::read(path, MAX_BYTES).map_err(|source| InteropError::Read {
            path: path.to_path_buf(),
            source,
        })?;
    // A byte-order mark from a spreadsheet's "UTF-8 CSV" is not part of the first cell.
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let delimiter = delimiter.unwrap_or_else(|| detect_delimiter(path, bytes));
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut out = Rows::default();
    let mut cols = Columns {
        front: 0,
        back: 1,
        tags: Some(2),
    };
    let mut taken = HashSet::new();
    let mut first = true;
    let mut record = ::csv::ByteRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(line, ::csv::Position::line);
                out.problems.push(format!("line {line}: skipped: {e}"));
                // A broken quote swallows the rest of the file; nothing more can be read.
                if !matches!(e.kind(), ::csv::ErrorKind::Utf8 { .. }) {
                    break;
                }
                continue;
            }
        }
        let line = record.position().map_or(line, ::csv::Position::line);
        let cells: Result<Vec<String>, _> = record
            .iter()
            .map(|c| std::str::from_utf8(c).map(str::to_string))
            .collect();
        let Ok(cells) = cells else {
            out.problems
                .push(format!("line {line}: skipped: not UTF-8 text"));
            first = false;
            continue;
        };
        if std::mem::take(&mut first)
            && let Some(named) = header(&cells)
        {
            cols = named;
            out.header = true;
            continue;
        }
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if out.cards.len() == MAX_ROWS {
            out.problems.push(format!(
                "line {line} and after: skipped: over {MAX_ROWS} rows"
            ));
            break;
        }
        match card(&cells, cols, &mut taken) {
            Ok(card) => out.cards.push(card),
            Err(why) => out.problems.push(format!("line {line}: skipped: {why}")),
        }
    }
    if out.cards.is_empty() {
        return Err(InteropError::Empty(format!(
            "{} has no usable rows{}",
            path.display(),
            out.problems
                .first()
                .map(|p| format!(" ({p})"))
                .unwrap_or_default()
        )));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delimiter_is_the_commonest_outside_quotes() {
        let p = Path::new("x.csv");
        assert_eq!(detect_delimiter(p, b"a,b,c\n"), b',');
        assert_eq!(detect_delimiter(p, b"a\tb\tc\n"), b'\t');
        assert_eq!(detect_delimiter(p, b"\"a,b,c\";d\n"), b';');
        assert_eq!(detect_delimiter(p, b"plain\n"), b',');
        assert_eq!(detect_delimiter(Path::new("x.TSV"), b"a,b\n"), b'\t');
    }

    #[test]
    fn a_header_names_its_columns() {
        let cells = |v: &[&str]| v.iter().map(ToString::to_string).collect::<Vec<_>>();
        assert_eq!(
            header(&cells(&["Tags", "Answer", "Question"])),
            Some(Columns {
                front: 2,
                back: 1,
                tags: Some(0)
            })
        );
        assert_eq!(
            header(&cells(&["What is DNS?", "Names to addresses"])),
            None
        );
    }
}
