//! Exam goals: the date a learner plans for in a pack with an exam, the recall wanted, the
//! minutes a day given, and the readiness the plan forecast when the goal was set (kept so a
//! chart can set what happened beside what was expected). Each row is checked when read; one
//! that cannot be used is left out and counted for [`Store::warnings`].

use jiff::civil::Date;
use rusqlite::{Connection, params};
use serde::Serialize;

use super::{Result, Skipped, Store, StoreError, rows};
use crate::srs::time::day_number;

/// The longest runway a goal may have, in days; its forecast has one value a day.
pub const MAX_GOAL_DAYS: i64 = 730;

/// An exam date planned for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExamGoal {
    /// The pack whose `[exam]` this is.
    pub pack: String,
    pub exam: Date,
    /// Expected recall wanted on exam day, 0.5 to 0.99.
    pub target: f64,
    /// Minutes a day the learner gives, 5 to 600.
    pub minutes: u32,
    /// The learning day the goal was set.
    pub set_on: Date,
    /// Blueprint-weighted readiness forecast for each day from `set_on`, as planned then.
    pub forecast: Vec<f64>,
}

pub(crate) const GOAL_COLUMNS: &str = "pack, exam_day, target, minutes, set_day, forecast";

impl ExamGoal {
    /// What is wrong with the goal, if anything, in words for a message.
    pub fn problem(&self) -> Option<String> {
        let days = (self.exam - self.set_on).get_days() as i64;
        if self.pack.is_empty() || self.pack.len() > 200 {
            Some("the pack name is empty or longer than 200 bytes".into())
        } else if !(0.5..=0.99).contains(&self.target) {
            Some(format!(
                "the target {} is not between 0.5 and 0.99",
                self.target
            ))
        } else if !(5..=600).contains(&self.minutes) {
            Some(format!(
                "{} minutes a day is not between 5 and 600",
                self.minutes
            ))
        } else if !(1..=MAX_GOAL_DAYS).contains(&days) {
            Some(format!(
                "the exam is {days} days after the goal was set, not 1 to {MAX_GOAL_DAYS}"
            ))
        } else if self.forecast.len() > MAX_GOAL_DAYS as usize + 1
            || self.forecast.iter().any(|r| !(0.0..=1.0).contains(r))
        {
            Some("the forecast is not a list of shares between 0 and 1, one a day".into())
        } else {
            None
        }
    }
}

/// Writes `goal` over the pack's goal, if it has one; the caller has checked it.
pub(super) fn put(conn: &Connection, goal: &ExamGoal) -> rusqlite::Result<()> {
    let forecast = serde_json::to_string(&goal.forecast).unwrap_or_default();
    conn.execute(
        &format!(
            "INSERT OR REPLACE INTO exam_goal ({GOAL_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
        ),
        params![
            goal.pack,
            day_number(goal.exam),
            goal.target,
            goal.minutes,
            day_number(goal.set_on),
            forecast
        ],
    )?;
    Ok(())
}

impl Store {
    /// Sets (or replaces) the exam goal of `goal.pack`.
    pub fn set_exam_goal(&mut self, goal: &ExamGoal) -> Result<()> {
        if let Some(why) = goal.problem() {
            return Err(StoreError::Invalid(format!(
                "the exam goal was not saved: {why}"
            )));
        }
        self.save("the exam goal", |tx| Ok(put(tx, goal)?))
    }

    /// Removes the exam goal of `pack`; returns whether there was one.
    pub fn clear_exam_goal(&mut self, pack: &str) -> Result<bool> {
        self.save("the removal of the exam goal", |tx| {
            Ok(tx.execute("DELETE FROM exam_goal WHERE pack = ?1", [pack])? > 0)
        })
    }

    /// Every usable exam goal, by pack.
    pub fn exam_goals(&self) -> Result<Vec<ExamGoal>> {
        let sql = format!("SELECT {GOAL_COLUMNS} FROM exam_goal WHERE 1 = ?1 ORDER BY pack");
        let (goals, bad) = rows::lenient(&self.conn, &sql, 1, rows::exam_goal)
            .map_err(|e| StoreError::sql("reading the exam goals", e))?;
        Skipped::rows(&self.skipped.goals, bad);
        Ok(goals)
    }
}
