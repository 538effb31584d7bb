//! The progress file that `sysdeck progress export` writes and `import` reads: JSON lines, a
//! header naming the format and its version, then one record per line (settings, FSRS
//! parameters, questions sent to review, suspended cards, card resets, review-log rows, quiz
//! attempts, exam goals), each an object with one key naming its kind:
//!
//! ```text
//! {"format":"sysdeck-progress","version":2}
//! {"settings":{"learning_steps":[1,10],...}}
//! {"review":{"item":"system-design/cap","at":"2026-03-10T09:00:00Z","grade":3,...}}
//! ```
//!
//! One record per line keeps a bad record to itself, so an import names the line and field at
//! fault. Version 1 files, bare review-log rows with no header, still import.
//!
//! `suspended`, `reset` and `exam_goal` records came later within version 2: a file is written
//! with them only when there are some, so a progress without them exports exactly as before,
//! and a sysdeck that predates them imports everything else and names those lines as unknown.

mod check;
mod read;
mod target;

pub use read::{BadLine, Limits, Parsed, ReadError, read};
pub use target::{TargetError, check_target};

use std::io::{self, Write};

use serde::Serialize;

use crate::srs::{ReviewLog, Settings};
use crate::store::{Enrolment, ExamGoal, Progress, StoredAttempt, StoredParameters};

/// The header's `format`.
pub const FORMAT: &str = "sysdeck-progress";
/// The version this build writes, and the newest it reads.
pub const VERSION: u32 = 2;

#[derive(Serialize)]
struct Header {
    format: &'static str,
    version: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum Record<'a> {
    Settings(&'a Settings),
    Parameters(&'a StoredParameters),
    Enrolled(&'a Enrolment),
    Suspended(&'a Enrolment),
    Reset(&'a Enrolment),
    Review(&'a ReviewLog),
    Attempt(&'a StoredAttempt),
    ExamGoal(&'a ExamGoal),
}

/// Writes `progress` as a progress file; the same progress always gives the same bytes.
pub fn write(progress: &Progress, out: &mut dyn Write) -> io::Result<()> {
    line(
        out,
        &Header {
            format: FORMAT,
            version: VERSION,
        },
    )?;
    let records = progress
        .settings
        .iter()
        .map(Record::Settings)
        .chain(progress.parameters.iter().map(Record::Parameters))
        .chain(progress.enrolments.iter().map(Record::Enrolled))
        .chain(progress.suspensions.iter().map(Record::Suspended))
        .chain(progress.resets.iter().map(Record::Reset))
        .chain(progress.reviews.iter().map(Record::Review))
        .chain(progress.attempts.iter().map(Record::Attempt))
        .chain(progress.goals.iter().map(Record::ExamGoal));
    for record in records {
        line(out, &record)?;
    }
    Ok(())
}

/// One record as a JSON line, with control and bidi characters written as `\uXXXX`, so the
/// file is safe to print to a terminal and still reads back to the same values.
fn line(out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    let text = crate::safe_text::to_json(value, false).map_err(io::Error::other)?;
    out.write_all(text.as_bytes())?;
    out.write_all(b"\n")
}
