//! Fitting FSRS parameters to the learner's own history (`fsrs::compute_parameters`) and
//! measuring the fit (`FSRS::evaluate`), keeping the new parameters only when they predict the
//! learner's recall better than the current ones.

use std::collections::BTreeMap;

use fsrs::{ComputeParametersInput, FSRS, FSRSItem, FSRSReview};
use serde::Serialize;

use super::SrsError;
use super::key::ItemKey;
use super::state::ReviewLog;
use super::time::DayClock;

/// Training items needed before fitting more than FSRS's initial stabilities: below 64,
/// `compute_parameters` itself stops short of a full fit.
pub const MIN_ITEMS: usize = 64;

/// How well parameters predict the history: lower is better for both.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Evaluation {
    pub log_loss: f32,
    pub rmse: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum FitOutcome {
    /// Too little history: `need` training items, `have` so far. The parameters stay.
    NotEnoughData { have: usize, need: usize },
    /// The fitted parameters predict better and replace the old ones.
    Improved,
    /// The fit was no better, so the old parameters stay.
    NotImproved,
}

/// The result of one optimisation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fit {
    pub outcome: FitOutcome,
    /// Reviews that count for training: each one on a later day than the card's previous.
    pub items: usize,
    pub before: Option<Evaluation>,
    pub after: Option<Evaluation>,
    /// The parameters to use from now on (the old ones unless `Improved`).
    pub parameters: Vec<f32>,
}

/// FSRS training items: for every review on a later learning day than its predecessor, the
/// card's history up to it. Day gaps are recomputed from the times, so a merged log is right.
pub fn training_items(log: &[ReviewLog], clock: &DayClock) -> Vec<FSRSItem> {
    let mut by_item: BTreeMap<&ItemKey, Vec<&ReviewLog>> = BTreeMap::new();
    for row in log {
        by_item.entry(&row.item).or_default().push(row);
    }
    let mut items = Vec::new();
    for rows in by_item.values_mut() {
        rows.sort_by_key(|r| r.at);
        let mut reviews = Vec::with_capacity(rows.len());
        for (i, r) in rows.iter().enumerate() {
            let delta_t = i
                .checked_sub(1)
                .map_or(0, |p| clock.days_between(rows[p].at, r.at).max(0) as u32);
            reviews.push(FSRSReview {
                rating: u32::from(r.grade.number()),
                delta_t,
            });
            if delta_t > 0 {
                items.push(FSRSItem {
                    reviews: reviews.clone(),
                });
            }
        }
    }
    items
}

fn evaluate(parameters: &[f32], items: &[FSRSItem]) -> Result<Evaluation, SrsError> {
    let model = FSRS::new(parameters).map_err(SrsError::Parameters)?;
    let e = model
        .evaluate(items.to_vec(), |_| true)
        .map_err(|source| SrsError::Optimize {
            step: "evaluating parameters",
            source,
        })?;
    Ok(Evaluation {
        log_loss: e.log_loss,
        rmse: e.rmse_bins,
    })
}

/// Fits parameters to `log`, starting from `current` (empty for the defaults).
pub fn optimize(log: &[ReviewLog], clock: &DayClock, current: &[f32]) -> Result<Fit, SrsError> {
    let items = training_items(log, clock);
    let current = fsrs::check_and_fill_parameters(current).map_err(SrsError::Parameters)?;
    if items.len() < MIN_ITEMS {
        return Ok(Fit {
            outcome: FitOutcome::NotEnoughData {
                have: items.len(),
                need: MIN_ITEMS,
            },
            items: items.len(),
            before: None,
            after: None,
            parameters: current,
        });
    }
    let before = evaluate(&current, &items)?;
    let fitted = fsrs::compute_parameters(ComputeParametersInput {
        train_set: items.clone(),
        ..ComputeParametersInput::default()
    })
    .map_err(|source| SrsError::Optimize {
        step: "fitting FSRS parameters",
        source,
    })?;
    let after = evaluate(&fitted, &items)?;
    let improved = after.log_loss < before.log_loss;
    Ok(Fit {
        outcome: if improved {
            FitOutcome::Improved
        } else {
            FitOutcome::NotImproved
        },
        items: items.len(),
        before: Some(before),
        after: Some(after),
        parameters: if improved { fitted } else { current },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srs::time::shift;
    use crate::srs::{Grade, Phase};
    use jiff::{SignedDuration, Timestamp};

    fn row(item: &str, day: i64, grade: Grade) -> ReviewLog {
        let t0: Timestamp = "2026-01-01T12:00:00Z".parse().unwrap();
        ReviewLog {
            item: ItemKey::new(item),
            at: shift(t0, SignedDuration::from_hours(24 * day)),
            grade,
            kind: Phase::Review,
            elapsed_days: 0,
            scheduled_days: 0,
            duration_ms: 0,
        }
    }

    #[test]
    fn items_are_histories_up_to_each_later_day_review() {
        let log = vec![
            row("p/a", 0, Grade::Good),
            row("p/a", 0, Grade::Good),
            row("p/a", 3, Grade::Again),
            row("p/b", 0, Grade::Easy),
        ];
        let items = training_items(&log, &DayClock::utc(4));
        assert_eq!(items.len(), 1);
        let deltas: Vec<u32> = items[0].reviews.iter().map(|r| r.delta_t).collect();
        assert_eq!(deltas, [0, 0, 3]);
        assert_eq!(items[0].reviews[2].rating, 1);
    }

    #[test]
    fn too_little_history_keeps_the_parameters() {
        let fit = optimize(&[row("p/a", 0, Grade::Good)], &DayClock::utc(4), &[]).unwrap();
        assert_eq!(
            fit.outcome,
            FitOutcome::NotEnoughData {
                have: 0,
                need: MIN_ITEMS
            }
        );
        assert_eq!(fit.parameters, fsrs::DEFAULT_PARAMETERS.to_vec());
    }
}
