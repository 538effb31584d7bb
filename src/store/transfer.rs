//! Everything in the progress database a learner would miss on a new machine, read out for an
//! export and merged back in by an import: settings, FSRS parameters, questions sent to review,
//! suspended cards, card resets, the review log, quiz attempts with their answers, and exam
//! goals. Card
//! states are not carried; they are derived from the log (after each card's latest reset) and
//! replayed after an import. Burials are not carried either: they end with the learning day.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::goals::ExamGoal;
use super::quiz::{StoredAttempt, all_attempts, import_attempt};
use super::settings::{put_parameters, put_settings};
use super::{Result, Store, StoreError, StoredParameters};
use crate::srs::{DayClock, Hold, ItemKey, ReviewLog, Scheduler, Settings};

/// An item and when something happened to it: a question sent to review, a card suspended,
/// or a card reset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Enrolment {
    pub item: ItemKey,
    pub at: Timestamp,
}

/// All of one learner's progress, in a fixed order so the same progress always exports the same.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Progress {
    /// `None` when the learner never changed a setting, so an import keeps the other machine's.
    pub settings: Option<Settings>,
    /// The parameters in force, if `optimize` ever fitted any.
    pub parameters: Option<StoredParameters>,
    /// By item.
    pub enrolments: Vec<Enrolment>,
    /// Suspended cards, by item.
    pub suspensions: Vec<Enrolment>,
    /// Card resets, by item then time.
    pub resets: Vec<Enrolment>,
    /// By time, then item.
    pub reviews: Vec<ReviewLog>,
    /// By start time, then seed.
    pub attempts: Vec<StoredAttempt>,
    /// Exam dates planned for, by pack.
    pub goals: Vec<ExamGoal>,
}

/// What an import changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ImportReport {
    /// Review-log rows new to this store, and rows it already had (same item and time).
    pub reviews_added: usize,
    pub reviews_present: usize,
    pub enrolments_added: usize,
    pub enrolments_present: usize,
    /// Suspensions and resets new to this store.
    pub suspensions_added: usize,
    pub resets_added: usize,
    /// Attempts added or brought up to date, and attempts left as they were.
    pub attempts_changed: usize,
    pub attempts_present: usize,
    /// Exam goals taken from the file: new packs, or set later there than here.
    pub goals_taken: usize,
    /// The file's settings replaced this store's.
    pub settings_replaced: bool,
    pub parameters: ParametersImport,
    /// Card states after the replay.
    pub states: usize,
}

/// What became of the file's FSRS parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParametersImport {
    /// The file has none.
    #[default]
    NoneInFile,
    /// They were fitted later than this store's, or this store had none: now in force.
    Adopted,
    /// This store's were fitted at the same time or later, so they stay.
    KeptOurs,
}

impl Store {
    /// Reads out everything an export carries.
    pub fn export_progress(&self) -> Result<Progress> {
        let ctx = "reading progress to export";
        let settings = match has_settings(&self.conn).map_err(|e| StoreError::sql(ctx, e))? {
            true => Some(self.settings()?),
            false => None,
        };
        Ok(Progress {
            settings,
            parameters: self.parameters()?,
            enrolments: enrolments(&self.conn).map_err(|e| StoreError::sql(ctx, e))?,
            suspensions: self
                .holds()?
                .into_iter()
                .filter(|h| h.hold == Hold::Suspended)
                .map(|h| Enrolment {
                    item: h.item,
                    at: h.at,
                })
                .collect(),
            resets: self
                .resets()?
                .into_iter()
                .map(|(item, at)| Enrolment { item, at })
                .collect(),
            reviews: self.log()?,
            attempts: all_attempts(&self.conn).map_err(|e| StoreError::sql(ctx, e))?,
            goals: self.exam_goals()?,
        })
    }

    /// Merges `progress` into this store and replays every card state, in one transaction:
    /// rows already here are skipped, so importing twice changes nothing. The file's settings
    /// replace this store's; its parameters do if they were fitted later, and an exam goal does
    /// when it was set on the same day or later. Learning days are counted in `tz`.
    pub fn import_progress(&mut self, progress: &Progress, tz: TimeZone) -> Result<ImportReport> {
        let ctx = "importing progress";
        let ours = self.parameters()?;
        let our_goals = self.exam_goals()?;
        let parameters = match (&progress.parameters, &ours) {
            (None, _) => ParametersImport::NoneInFile,
            (Some(theirs), Some(ours)) if theirs.fitted_at <= ours.fitted_at => {
                ParametersImport::KeptOurs
            }
            (Some(_), _) => ParametersImport::Adopted,
        };
        let settings = match &progress.settings {
            Some(s) => s.clone(),
            None => self.settings()?,
        };
        let weights = match (parameters, &progress.parameters, &ours) {
            (ParametersImport::Adopted, Some(theirs), _) => theirs.parameters.clone(),
            (_, _, Some(ours)) => ours.parameters.clone(),
            _ => Vec::new(),
        };
        let clock = DayClock::new(tz, settings.day_start_hour);
        let scheduler =
            Scheduler::new(&weights, settings, clock).map_err(|e| StoreError::srs(ctx, e))?;

        let tx = self.write().map_err(|e| StoreError::sql(ctx, e))?;
        let sql = |e| StoreError::sql(ctx, e);
        if let Some(s) = &progress.settings {
            put_settings(&tx, s).map_err(sql)?;
        }
        if let (ParametersImport::Adopted, Some(theirs)) = (parameters, &progress.parameters) {
            put_parameters(&tx, theirs).map_err(sql)?;
        }
        let marks = |insert: &str, rows: &[Enrolment]| -> rusqlite::Result<usize> {
            let mut stmt = tx.prepare_cached(insert)?;
            rows.iter()
                .map(|e| stmt.execute(params![e.item.as_str(), e.at.as_millisecond()]))
                .sum()
        };
        let enrolments_added = marks(
            "INSERT OR IGNORE INTO enrolled_question (item, enrolled_at) VALUES (?1, ?2)",
            &progress.enrolments,
        )
        .map_err(sql)?;
        let suspensions_added = marks(
            "INSERT OR IGNORE INTO card_hold (item, kind, held_at) VALUES (?1, 'suspended', ?2)",
            &progress.suspensions,
        )
        .map_err(sql)?;
        let resets_added = marks(
            "INSERT OR IGNORE INTO card_reset (item, reset_at) VALUES (?1, ?2)",
            &progress.resets,
        )
        .map_err(sql)?;
        let reviews_added = super::log::import_rows(&tx, &progress.reviews).map_err(sql)?;
        let mut attempts_changed = 0;
        for attempt in &progress.attempts {
            attempts_changed += usize::from(import_attempt(&tx, attempt).map_err(sql)?);
        }
        let mut goals_taken = 0;
        for goal in &progress.goals {
            let newer = our_goals
                .iter()
                .find(|g| g.pack == goal.pack)
                .is_none_or(|g| g.set_on <= goal.set_on && g != goal);
            if newer {
                super::goals::put(&tx, goal).map_err(sql)?;
                goals_taken += 1;
            }
        }
        let states = super::states::rebuild_in(&tx, &scheduler)?;
        tx.commit().map_err(sql)?;
        Ok(ImportReport {
            reviews_added,
            reviews_present: progress.reviews.len() - reviews_added,
            enrolments_added,
            enrolments_present: progress.enrolments.len() - enrolments_added,
            suspensions_added,
            resets_added,
            attempts_changed,
            attempts_present: progress.attempts.len() - attempts_changed,
            goals_taken,
            settings_replaced: progress.settings.is_some(),
            parameters,
            states,
        })
    }
}

/// Whether the learner ever saved settings (they are saved all together).
fn has_settings(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row("SELECT 1 FROM settings LIMIT 1", [], |_| Ok(()))
        .optional()
        .map(|row| row.is_some())
}

fn enrolments(conn: &Connection) -> rusqlite::Result<Vec<Enrolment>> {
    let mut stmt =
        conn.prepare_cached("SELECT item, enrolled_at FROM enrolled_question ORDER BY item")?;
    let rows = stmt.query_map([], |r| {
        let at: i64 = r.get(1)?;
        Ok(Enrolment {
            item: ItemKey::new(r.get::<_, String>(0)?),
            at: Timestamp::from_millisecond(at).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    1,
                    rusqlite::types::Type::Integer,
                    e.to_string().into(),
                )
            })?,
        })
    })?;
    rows.collect()
}
