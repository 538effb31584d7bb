//! Reading a progress file a line at a time, within limits on its size and its lines, checking
//! every record and collecting every bad line rather than stopping at the first.

use std::io::{self, BufRead, Read};

use jiff::Timestamp;
use serde_json::Value;
use thiserror::Error;

use super::check::{self, Bounds, Problem, Record};
use super::{FORMAT, VERSION};
use crate::store::Progress;

/// How much of a file an import reads.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The whole file, in bytes.
    pub file_bytes: u64,
    /// One line, in bytes (a quiz attempt is the longest record, a few kilobytes).
    pub line_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file_bytes: 256 << 20,
            line_bytes: 1 << 20,
        }
    }
}

/// A line that could not be imported, and why; the text is safe to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// Counted from 1.
    pub line: usize,
    pub problem: String,
}

/// What a file held: the progress from its good lines, and its bad lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub progress: Progress,
    /// The format version the file declared (1: bare review-log rows, no header).
    pub version: u32,
    pub bad: Vec<BadLine>,
}

/// Why a file could not be read at all.
#[derive(Debug, Error)]
pub enum ReadError {
    #[error("reading failed")]
    Io(#[from] io::Error),
    #[error("the file is larger than {} MiB, more than any progress file", limit >> 20)]
    TooLarge { limit: u64 },
    #[error(
        "this is not a sysdeck progress file: line {line} is neither its header nor a review-log \
         row ({problem})"
    )]
    NotProgress { line: usize, problem: String },
    #[error(
        "the file was written by a newer sysdeck (format version {found}; this one reads up to \
         {VERSION}); update sysdeck to import it"
    )]
    Newer { found: u64 },
    #[error("the file holds no progress (it is empty)")]
    Empty,
}

/// Reads and checks a whole progress file. A record dated more than a day after `now`, or
/// before 2000, is a bad line.
pub fn read(reader: impl BufRead, limits: Limits, now: Timestamp) -> Result<Parsed, ReadError> {
    let bounds = Bounds::at(now);
    let mut lines = Lines::new(reader, limits);
    let mut parsed = Parsed {
        progress: Progress::default(),
        version: 0,
        bad: Vec::new(),
    };
    while let Some(Line { number: line, text }) = lines.next_line()? {
        let not_progress = |problem: String| ReadError::NotProgress { line, problem };
        let record = match (text, parsed.version) {
            (Err(problem), 0) => return Err(not_progress(problem)),
            (Err(problem), _) => Err(Problem::new(None, problem)),
            (Ok(text), 0) => {
                let (version, row) = first_line(line, &text, &bounds)?;
                parsed.version = version;
                match row {
                    Some(row) => row,
                    None => continue,
                }
            }
            (Ok(text), version) => next_line(&text, version, &bounds),
        };
        if let Err(problem) = record.and_then(|record| add(&mut parsed.progress, record)) {
            let problem = problem.to_string();
            parsed.bad.push(BadLine { line, problem });
        }
    }
    match parsed.version {
        0 => Err(ReadError::Empty),
        _ => Ok(parsed),
    }
}

/// The first non-blank line, number `line`: the header, or in a version 1 file its first row.
/// Returns the version and, for a row, its record or what is wrong with it.
fn first_line(
    line: usize,
    text: &str,
    bounds: &Bounds,
) -> Result<(u32, Option<Result<Record, Problem>>), ReadError> {
    let not_progress = |problem: String| ReadError::NotProgress { line, problem };
    let value: Value = match serde_json::from_str(text) {
        Ok(value @ Value::Object(_)) => value,
        Ok(_) => return Err(not_progress("not a JSON object".into())),
        Err(e) => return Err(not_progress(check::quoted(&format!("not JSON: {e}"), 200))),
    };
    let Some(format) = value.get("format") else {
        let row = check::review("row", value, bounds).map(Record::Review);
        return Ok((1, Some(row)));
    };
    if format != FORMAT {
        let problem = format!("its format is {format}, not \"{FORMAT}\"");
        return Err(not_progress(check::quoted(&problem, 200)));
    }
    match value.get("version").and_then(Value::as_u64) {
        Some(found) if found > u64::from(VERSION) => Err(ReadError::Newer { found }),
        Some(found) if found == u64::from(VERSION) => Ok((VERSION, None)),
        _ => Err(not_progress(format!("its version is not {VERSION}"))),
    }
}

/// A line after the first: a record, or in a version 1 file a bare review-log row.
fn next_line(text: &str, version: u32, bounds: &Bounds) -> Result<Record, Problem> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| Problem::new(None, format!("not JSON: {e}")))?;
    match version {
        1 => check::review("row", value, bounds).map(Record::Review),
        _ => check::record(value, bounds),
    }
}

/// Adds a checked record; a file has at most one settings and one parameters record.
fn add(progress: &mut Progress, record: Record) -> Result<(), Problem> {
    let twice = |kind: &str| Problem::new(None, format!("a second {kind} record"));
    match record {
        Record::Settings(_) if progress.settings.is_some() => return Err(twice("settings")),
        Record::Parameters(_) if progress.parameters.is_some() => {
            return Err(twice("parameters"));
        }
        Record::Settings(s) => progress.settings = Some(s),
        Record::Parameters(p) => progress.parameters = Some(p),
        Record::Enrolled(e) => progress.enrolments.push(e),
        Record::Suspended(e) => progress.suspensions.push(e),
        Record::Reset(e) => progress.resets.push(e),
        Record::Review(r) => progress.reviews.push(r),
        Record::Attempt(a) => progress.attempts.push(*a),
        Record::ExamGoal(g) => progress.goals.push(g),
    }
    Ok(())
}

/// One non-blank line: its number, and its text or why it is unusable.
struct Line {
    number: usize,
    text: Result<String, String>,
}

/// The lines of a reader, each cut off at the line limit and the whole at the file limit; a
/// UTF-8 byte order mark and CRLF endings are accepted.
struct Lines<R> {
    reader: io::Take<R>,
    limits: Limits,
    number: usize,
    buf: Vec<u8>,
}

impl<R: BufRead> Lines<R> {
    fn new(reader: R, limits: Limits) -> Self {
        Lines {
            reader: reader.take(limits.file_bytes.saturating_add(1)),
            limits,
            number: 0,
            buf: Vec::new(),
        }
    }

    /// The next non-blank line; `None` at the end.
    fn next_line(&mut self) -> Result<Option<Line>, ReadError> {
        loop {
            self.buf.clear();
            let cap = self.limits.line_bytes as u64 + 1;
            if self.read_some(cap)? == 0 {
                return Ok(None);
            }
            self.number += 1;
            if !self.buf.ends_with(b"\n") && self.buf.len() > self.limits.line_bytes {
                self.skip_rest()?;
                let problem = format!("longer than {} bytes", self.limits.line_bytes);
                return Ok(Some(Line {
                    number: self.number,
                    text: Err(problem),
                }));
            }
            let mut bytes = self.buf.as_slice();
            if self.number == 1 {
                bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            }
            let text = match std::str::from_utf8(bytes) {
                Ok(text) => text.trim(),
                Err(_) => {
                    let problem = "not UTF-8 text".to_string();
                    return Ok(Some(Line {
                        number: self.number,
                        text: Err(problem),
                    }));
                }
            };
            if !text.is_empty() {
                return Ok(Some(Line {
                    number: self.number,
                    text: Ok(text.to_string()),
                }));
            }
        }
    }

    /// Reads up to `cap` bytes of the current line into `buf`; refuses a file over the limit.
    fn read_some(&mut self, cap: u64) -> Result<usize, ReadError> {
        let n = (&mut self.reader)
            .take(cap)
            .read_until(b'\n', &mut self.buf)?;
        if self.reader.limit() == 0 {
            return Err(ReadError::TooLarge {
                limit: self.limits.file_bytes,
            });
        }
        Ok(n)
    }

    /// Discards the rest of an over-long line.
    fn skip_rest(&mut self) -> Result<(), ReadError> {
        loop {
            self.buf.clear();
            let n = self.read_some(64 << 10)?;
            if n == 0 || self.buf.ends_with(b"\n") {
                return Ok(());
            }
        }
    }
}

/// Whether the first line of a file is a progress file's header or a version 1 review row.
pub(super) fn looks_like_progress(first_line: &[u8]) -> bool {
    let bytes = first_line
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(first_line);
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => {
            map.get("format").is_some_and(|f| f == FORMAT)
                || ["item", "at", "grade"].iter().all(|k| map.contains_key(*k))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::{AnswerState, AttemptSnapshot, QuestionKey, SessionSpec};
    use crate::srs::{Grade, ItemKey, Phase, ReviewLog, Settings};
    use crate::store::{Enrolment, StoredAttempt, StoredParameters};

    const NOW: &str = "2026-03-10T12:00:00Z";

    fn now() -> Timestamp {
        NOW.parse().unwrap()
    }

    fn parse(text: &str) -> Result<Parsed, ReadError> {
        read(text.as_bytes(), Limits::default(), now())
    }

    fn review(at: &str) -> ReviewLog {
        ReviewLog {
            item: ItemKey::new("sd/cache-aside#reverse"),
            at: at.parse().unwrap(),
            grade: Grade::Good,
            kind: Phase::Review,
            elapsed_days: 3,
            scheduled_days: 7,
            duration_ms: 4_250,
        }
    }

    /// One of each record, as a store would export them.
    fn everything() -> Progress {
        let t0 = now().as_millisecond() - 3_600_000;
        let snapshot = AttemptSnapshot {
            spec: SessionSpec::practice(Some("sd"), None),
            seed: u64::MAX,
            started_at: t0,
            updated_at: t0 + 5_000,
            finished_at: None,
            auto_submitted: false,
            used_ms: 5_000,
            current: 0,
            questions: vec![AnswerState {
                key: QuestionKey::new("sd", "q1"),
                chosen: vec![2],
                flagged: true,
                time_ms: 5_000,
                answered_at: Some(t0 + 4_000),
                locked: false,
            }],
        };
        Progress {
            settings: Some(Settings {
                new_per_day: 7,
                ..Settings::default()
            }),
            parameters: Some(StoredParameters {
                parameters: crate::srs::Scheduler::new(
                    &[],
                    Settings::default(),
                    crate::srs::DayClock::utc(4),
                )
                .unwrap()
                .parameters()
                .to_vec(),
                fitted_at: "2026-03-01T08:00:00Z".parse().unwrap(),
                items: 640,
                log_loss: Some(0.31),
                rmse: None,
            }),
            enrolments: vec![Enrolment {
                item: ItemKey::new("sd/q1"),
                at: "2026-03-02T10:00:00.123Z".parse().unwrap(),
            }],
            suspensions: vec![Enrolment {
                item: ItemKey::new("sd/cache-aside#reverse"),
                at: "2026-03-09T10:00:00Z".parse().unwrap(),
            }],
            resets: vec![Enrolment {
                item: ItemKey::new("sd/cache-aside#reverse"),
                at: "2026-03-08T10:00:00Z".parse().unwrap(),
            }],
            reviews: vec![
                review("2026-03-01T09:00:00Z"),
                review("2026-03-08T09:00:00.5Z"),
            ],
            attempts: vec![StoredAttempt {
                snapshot,
                score: None,
                abandoned_at: Some(t0 + 60_000),
                answers: Vec::new(),
            }],
            goals: vec![crate::store::ExamGoal {
                pack: "sd".into(),
                exam: jiff::civil::date(2026, 4, 20),
                target: 0.9,
                minutes: 45,
                set_on: jiff::civil::date(2026, 3, 8),
                forecast: vec![0.25, 0.5],
            }],
        }
    }

    fn written(progress: &Progress) -> String {
        let mut out = Vec::new();
        super::super::write(progress, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn problems(parsed: &Parsed) -> Vec<(usize, &str)> {
        parsed
            .bad
            .iter()
            .map(|b| (b.line, b.problem.as_str()))
            .collect()
    }

    #[test]
    fn what_is_written_reads_back_the_same() {
        let progress = everything();
        let text = written(&progress);
        assert!(text.starts_with("{\"format\":\"sysdeck-progress\",\"version\":2}\n"));
        let parsed = parse(&text).unwrap();
        assert_eq!(problems(&parsed), []);
        assert_eq!(parsed.version, 2);
        assert_eq!(parsed.progress, progress);
        assert_eq!(written(&parsed.progress), text);
    }

    #[test]
    fn a_byte_order_mark_crlf_and_blank_lines_are_fine() {
        let text = written(&everything()).replace('\n', "\r\n\r\n");
        let parsed = parse(&format!("\u{feff}{text}")).unwrap();
        assert_eq!(problems(&parsed), []);
        assert_eq!(parsed.progress, everything());
    }

    #[test]
    fn version_1_rows_without_a_header_still_read() {
        let rows: String = everything()
            .reviews
            .iter()
            .map(|r| serde_json::to_string(r).unwrap() + "\n")
            .collect();
        let parsed = parse(&rows).unwrap();
        assert_eq!(parsed.version, 1);
        assert_eq!(parsed.progress.reviews, everything().reviews);
    }

    #[test]
    fn every_bad_line_is_named_with_its_field() {
        let good = serde_json::to_value(review("2026-03-01T09:00:00Z")).unwrap();
        let with = |field: &str, value: serde_json::Value| {
            let mut row = good.clone();
            row[field] = value;
            serde_json::json!({ "review": row }).to_string()
        };
        let lines = [
            "{\"format\":\"sysdeck-progress\",\"version\":2}".to_string(),
            with("at", "9999-12-30T00:00:00Z".into()),
            with("at", "1999-12-31T23:59:59Z".into()),
            with("item", "/".into()),
            with("item", "sd/x\u{1b}[2J".into()),
            with("grade", 7.into()),
            with("duration_ms", (-5).into()),
            with("scheduled_days", 99_999.into()),
            with("kind", "lapsed".into()),
            "{\"review\":{\"item\":\"sd/x\",\"extra\":1}}".into(),
            "{\"tip\":{}}".into(),
            "not json".into(),
            with("grade", 4.into()),
        ];
        let parsed = parse(&lines.join("\n")).unwrap();
        let bad = problems(&parsed);
        let fields: Vec<(usize, &str)> = bad
            .iter()
            .map(|(line, p)| (*line, p.split(':').next().unwrap()))
            .collect();
        assert_eq!(
            fields,
            [
                (2, "field `review.at`"),
                (3, "field `review.at`"),
                (4, "field `review.item`"),
                (5, "field `review.item`"),
                (6, "field `review.grade`"),
                (7, "field `review.duration_ms`"),
                (8, "field `review.scheduled_days`"),
                (9, "field `review.kind`"),
                (10, "field `review`"),
                (
                    11,
                    "`tip` is not a kind of record (settings, parameters, enrolled, suspended, reset, review, attempt or exam_goal)"
                ),
                (12, "not JSON"),
            ]
        );
        assert!(
            bad[1 - 1].1.contains("outside 2000-01-01 to 2026-03-11"),
            "{bad:?}"
        );
        assert!(
            bad[4 - 1].1.contains("\\u{1b}") && !bad[3].1.contains('\u{1b}'),
            "{bad:?}"
        );
        assert_eq!(parsed.progress.reviews.len(), 1, "the good line");
    }

    #[test]
    fn an_over_long_line_is_a_bad_line_and_reading_goes_on() {
        let limits = Limits {
            line_bytes: 2_000,
            ..Limits::default()
        };
        let huge = format!("{{\"review\":{{\"item\":\"sd/{}\"}}}}", "a".repeat(10_000));
        let text = written(&everything()).replacen('\n', &format!("\n{huge}\n"), 1);
        let parsed = read(text.as_bytes(), limits, now()).unwrap();
        assert_eq!(problems(&parsed), [(2, "longer than 2000 bytes")]);
        assert_eq!(parsed.progress, everything());
    }

    #[test]
    fn files_that_are_not_progress_are_refused_whole() {
        let small = Limits {
            file_bytes: 100,
            ..Limits::default()
        };
        let big = written(&everything());
        assert!(matches!(
            read(big.as_bytes(), small, now()),
            Err(ReadError::TooLarge { limit: 100 })
        ));
        assert!(matches!(
            parse("{\"format\":\"sysdeck-progress\",\"version\":3}\n"),
            Err(ReadError::Newer { found: 3 })
        ));
        assert!(matches!(
            parse("SQLite format 3\0..."),
            Err(ReadError::NotProgress { line: 1, .. })
        ));
        assert!(matches!(
            parse("{\"format\":\"anki\"}"),
            Err(ReadError::NotProgress { line: 1, .. })
        ));
        assert!(matches!(parse("\u{feff}\n\n"), Err(ReadError::Empty)));
    }

    #[test]
    fn a_second_settings_record_is_a_bad_line() {
        let text = written(&everything());
        let settings = text.lines().nth(1).unwrap();
        let parsed = parse(&format!("{text}{settings}\n")).unwrap();
        let last = text.lines().count() + 1;
        assert_eq!(problems(&parsed), [(last, "a second settings record")]);
    }

    #[test]
    fn recognises_progress_files_by_their_first_line() {
        assert!(looks_like_progress(
            b"{\"format\":\"sysdeck-progress\",\"version\":2}\n"
        ));
        assert!(looks_like_progress(
            b"\xEF\xBB\xBF{\"item\":\"sd/x\",\"at\":\"2026-01-01T00:00:00Z\",\"grade\":3}"
        ));
        assert!(!looks_like_progress(b"# my notes\n"));
        assert!(!looks_like_progress(b"{\"format\":\"other\"}"));
    }
}
