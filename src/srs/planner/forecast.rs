//! One domain's future under a new-cards-per-day rate, from the `fsrs` crate's simulator:
//! each day's new cards, reviews and minutes, and the domain's expected recall up to the exam.
//! Several seeds are averaged, and the same seeds serve every rate, so two rates differ by the
//! rate and not by luck.

use std::sync::Arc;

use fsrs::{PostSchedulingContext, PostSchedulingFn, SimulatorConfig};

use super::PlanError;
use crate::srs::exam_day::{needs_refresh, refresh_day};

/// A reviewed card of the domain, with days counted from today (today is 0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Known {
    pub stability: f32,
    pub difficulty: f32,
    /// Day of the last review: 0 or before.
    pub last: i64,
    /// Day the card is due; before 0 when overdue.
    pub due: i64,
}

/// What the simulation needs from the learner's scheduler.
#[derive(Debug, Clone)]
pub struct Model {
    /// All 21 FSRS parameters.
    pub parameters: Arc<Vec<f32>>,
    pub desired_retention: f32,
    pub learning_steps: usize,
    pub relearning_steps: usize,
    pub reviews_per_day: usize,
    /// Simulated learners averaged per forecast.
    pub seeds: u64,
}

impl Model {
    pub fn decay(&self) -> f32 {
        self.parameters[20]
    }
}

/// One day of a forecast, averaged over the seeds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Day {
    pub new: f64,
    pub reviews: f64,
    pub seconds: f64,
    /// Expected share of the domain's cards recalled that day (unseen cards count 0).
    pub recall: f64,
}

/// A domain's forecast up to the exam.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    /// Study days from today to the day before the exam.
    pub days: Vec<Day>,
    /// Expected share of the domain's cards recalled on exam day.
    pub on_exam_day: f64,
}

/// Simulates the domain's `known` cards and `new` unseen ones with `per_day` new cards a day
/// until the exam `exam` days from today, refreshing weak cards in the week before it.
pub fn forecast(
    model: &Model,
    known: &[Known],
    new: usize,
    per_day: usize,
    exam: i64,
) -> Result<Forecast, PlanError> {
    let span = usize::try_from(exam)
        .ok()
        .filter(|&e| e > 0)
        .ok_or(PlanError::NoDaysLeft)?;
    let total = known.len() + new;
    let mut out = Forecast {
        days: vec![Day::default(); span],
        on_exam_day: 0.0,
    };
    if total == 0 {
        return Ok(out);
    }
    let decay = model.decay();
    let refresh = PostSchedulingFn::new(move |ctx: PostSchedulingContext<'_>| {
        let card = ctx.card;
        let today = ctx.today as i64;
        let due = today + card.interval as i64;
        if needs_refresh(today, due, exam, card.stability, decay) {
            let salt = card.id.unsigned_abs().wrapping_mul(0x9E37_79B9_7F4A_7C15);
            if let Some(day) = refresh_day(today, exam, salt) {
                return (day - today) as f32;
            }
        }
        card.interval
    });
    let config = SimulatorConfig {
        deck_size: total,
        learn_span: span,
        max_cost_perday: f32::INFINITY,
        learn_limit: per_day,
        review_limit: model.reviews_per_day.max(1),
        post_scheduling_fn: Some(refresh),
        learning_step_count: model.learning_steps,
        relearning_step_count: model.relearning_steps,
        ..SimulatorConfig::default()
    };
    let cards: Vec<fsrs::Card> = known
        .iter()
        .enumerate()
        .map(|(i, k)| fsrs::Card {
            id: i as i64 + 1,
            difficulty: k.difficulty,
            stability: k.stability,
            last_date: k.last as f32,
            // The simulator takes recall on the due day: an overdue card is reviewed today.
            due: k.due.max(0) as f32,
            interval: (k.due - k.last).max(1) as f32,
            lapses: 0,
            desired_retention: model.desired_retention,
            parameters: model.parameters.clone(),
        })
        .collect();
    let runs = model.seeds.max(1);
    for seed in 0..runs {
        let result = fsrs::simulate(
            &config,
            &model.parameters,
            model.desired_retention,
            Some(seed),
            Some(cards.clone()),
        )
        .map_err(PlanError::Simulation)?;
        for (i, day) in out.days.iter_mut().enumerate() {
            day.new += result.learn_cnt_per_day[i] as f64;
            day.reviews += result.review_cnt_per_day[i] as f64;
            day.seconds += f64::from(result.cost_per_day[i]);
            day.recall += f64::from(result.memorized_cnt_per_day[i]) / total as f64;
        }
        let recalled: f64 = result
            .cards
            .iter()
            .filter(|c| c.last_date.is_finite())
            .map(|c| f64::from(c.retention_on(exam as f32)))
            .sum();
        out.on_exam_day += recalled / total as f64;
    }
    let n = runs as f64;
    for day in &mut out.days {
        day.new /= n;
        day.reviews /= n;
        day.seconds /= n;
        day.recall /= n;
    }
    out.on_exam_day /= n;
    Ok(out)
}
