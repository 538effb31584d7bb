//! Choosing each domain's new cards per day, checking the plan against the learner's minutes,
//! and saying what would be reachable when the target is not.

use serde::Serialize;

use super::PlanError;
use super::forecast::{Forecast, Known, Model, forecast};

/// What the learner asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Goal {
    /// Days from today to the exam (at least 1).
    pub days_left: i64,
    /// Expected recall wanted on exam day in every domain, e.g. 0.90.
    pub target: f64,
    /// Minutes a day the learner can give.
    pub minutes: u32,
}

/// One domain of the exam, as the learner stands today.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainInput {
    pub id: String,
    pub name: String,
    /// Blueprint weight (any scale; only ratios count).
    pub weight: f64,
    pub known: Vec<Known>,
    /// Cards never studied.
    pub new: usize,
}

/// One domain's part of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DomainPlan {
    pub id: String,
    pub name: String,
    /// Share of the blueprint, 0 to 1.
    pub weight: f64,
    pub cards: usize,
    pub new_left: usize,
    pub new_per_day: usize,
    /// Expected recall today and on exam day.
    pub now: f64,
    pub on_exam_day: f64,
    pub reaches_target: bool,
}

/// One day of the plan, all domains together (expected values).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayPlan {
    /// Days from today.
    pub day: i64,
    /// New cards of each domain, in the order of [`Plan::domains`].
    pub new: Vec<f64>,
    pub reviews: f64,
    pub minutes: f64,
    /// Blueprint-weighted expected recall at the end of the day.
    pub readiness: f64,
}

/// Why the goal is not met as asked, and what would meet it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Shortfall {
    /// Even all new cards today leave these domains short of the target by exam day; the
    /// first exam date that reaches it, if one within two years does.
    NotInTime {
        domains: Vec<String>,
        reachable_in_days: Option<i64>,
    },
    /// The plan needs more minutes than the learner gives on its busiest day; the first exam
    /// date whose plan fits the learner's minutes, if one within two years does.
    OverBudget {
        peak_minutes: f64,
        day: i64,
        fits_in_days: Option<i64>,
    },
}

/// The plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub days_left: i64,
    pub target: f64,
    pub minutes: u32,
    pub domains: Vec<DomainPlan>,
    /// Blueprint-weighted expected recall today and on exam day.
    pub now: f64,
    pub on_exam_day: f64,
    pub days: Vec<DayPlan>,
    pub shortfalls: Vec<Shortfall>,
}

impl Plan {
    /// Whether every domain reaches the target within the learner's minutes.
    pub fn on_track(&self) -> bool {
        self.shortfalls.is_empty()
    }

    /// Today's row.
    pub fn today(&self) -> Option<&DayPlan> {
        self.days.first()
    }
}

/// Plans every domain: the fewest new cards a day that reach the target, but at least enough
/// to see every card by 80% of the runway (so the last days are for review), then the day
/// totals and any shortfall.
pub fn plan(model: &Model, domains: &[DomainInput], goal: Goal) -> Result<Plan, PlanError> {
    if !(0.5..=0.99).contains(&goal.target) {
        return Err(PlanError::Target(goal.target));
    }
    if goal.days_left < 1 {
        return Err(PlanError::NoDaysLeft);
    }
    let total_weight: f64 = domains
        .iter()
        .filter(|d| d.new + d.known.len() > 0)
        .map(|d| d.weight.max(0.0))
        .sum();
    let mut chosen = Vec::new();
    let mut short = Vec::new();
    for d in domains {
        let (per_day, f) = choose_rate(model, d, goal)?;
        if f.on_exam_day < goal.target && d.new + d.known.len() > 0 {
            short.push(d.id.clone());
        }
        chosen.push((per_day, f));
    }
    let share = |d: &DomainInput| {
        if total_weight > 0.0 && d.new + d.known.len() > 0 {
            d.weight.max(0.0) / total_weight
        } else {
            0.0
        }
    };
    let now_recall = |d: &DomainInput| {
        let total = d.new + d.known.len();
        if total == 0 {
            return 0.0;
        }
        let sum = d.known.iter().fold(0.0, |sum, k| {
            sum + crate::srs::exam_day::recall(-k.last as f64, k.stability, model.decay())
        });
        sum / total as f64
    };
    let domain_plans: Vec<DomainPlan> = domains
        .iter()
        .zip(&chosen)
        .map(|(d, (per_day, f))| DomainPlan {
            id: d.id.clone(),
            name: d.name.clone(),
            weight: share(d),
            cards: d.new + d.known.len(),
            new_left: d.new,
            new_per_day: *per_day,
            now: now_recall(d),
            on_exam_day: f.on_exam_day,
            reaches_target: f.on_exam_day >= goal.target || d.new + d.known.len() == 0,
        })
        .collect();
    let days: Vec<DayPlan> = (0..goal.days_left as usize)
        .map(|i| {
            let row = |f: &Forecast| f.days[i];
            DayPlan {
                day: i as i64,
                new: chosen.iter().map(|(_, f)| row(f).new).collect(),
                reviews: chosen.iter().map(|(_, f)| row(f).reviews).sum(),
                minutes: chosen.iter().map(|(_, f)| row(f).seconds).sum::<f64>() / 60.0,
                readiness: domains
                    .iter()
                    .zip(&chosen)
                    .map(|(d, (_, f))| share(d) * row(f).recall)
                    .sum(),
            }
        })
        .collect();
    let weighted = |value: &dyn Fn(&DomainPlan) -> f64| -> f64 {
        domain_plans.iter().map(|d| d.weight * value(d)).sum()
    };
    let mut shortfalls = Vec::new();
    if !short.is_empty() {
        shortfalls.push(Shortfall::NotInTime {
            reachable_in_days: reachable_in(model, domains, goal)?,
            domains: short,
        });
    }
    if let Some(busiest) = days
        .iter()
        .max_by(|a, b| a.minutes.total_cmp(&b.minutes))
        .filter(|d| d.minutes > f64::from(goal.minutes))
    {
        shortfalls.push(Shortfall::OverBudget {
            peak_minutes: busiest.minutes,
            day: busiest.day,
            fits_in_days: fits_in(model, domains, goal)?,
        });
    }
    Ok(Plan {
        days_left: goal.days_left,
        target: goal.target,
        minutes: goal.minutes,
        now: weighted(&|d| d.now),
        on_exam_day: weighted(&|d| d.on_exam_day),
        domains: domain_plans,
        days,
        shortfalls,
    })
}

/// The fewest new cards a day, from the floor that sees every card by 80% of the runway, whose
/// forecast reaches the target (binary search; recall on exam day rises with the rate); all of
/// them today when no rate does.
fn choose_rate(model: &Model, d: &DomainInput, goal: Goal) -> Result<(usize, Forecast), PlanError> {
    let run = |n: usize| forecast(model, &d.known, d.new, n, goal.days_left);
    if d.new == 0 {
        return Ok((0, run(0)?));
    }
    let runway = (0.8 * goal.days_left as f64).floor().max(1.0);
    let floor = ((d.new as f64 / runway).ceil() as usize).clamp(1, d.new);
    let at_floor = run(floor)?;
    if at_floor.on_exam_day >= goal.target {
        return Ok((floor, at_floor));
    }
    let at_most = run(d.new)?;
    if at_most.on_exam_day < goal.target {
        return Ok((d.new, at_most));
    }
    let (mut lo, mut hi, mut best) = (floor, d.new, at_most);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        let f = run(mid)?;
        if f.on_exam_day >= goal.target {
            hi = mid;
            best = f;
        } else {
            lo = mid;
        }
    }
    Ok((hi, best))
}

/// The first exam date, in days from today, by which every domain can reach the target at
/// the plan's pace; `None` past two years.
fn reachable_in(
    model: &Model,
    domains: &[DomainInput],
    goal: Goal,
) -> Result<Option<i64>, PlanError> {
    first_day(goal.days_left, |days| {
        for d in domains.iter().filter(|d| d.new + d.known.len() > 0) {
            let (_, f) = choose_rate(
                model,
                d,
                Goal {
                    days_left: days,
                    ..goal
                },
            )?;
            if f.on_exam_day < goal.target {
                return Ok(false);
            }
        }
        Ok(true)
    })
}

/// The first exam date, in days from today, whose plan needs no more than the learner's
/// minutes on any day; `None` past two years.
fn fits_in(model: &Model, domains: &[DomainInput], goal: Goal) -> Result<Option<i64>, PlanError> {
    first_day(goal.days_left, |days| {
        let mut minutes = vec![0.0; days as usize];
        for d in domains {
            let (_, f) = choose_rate(
                model,
                d,
                Goal {
                    days_left: days,
                    ..goal
                },
            )?;
            for (m, day) in minutes.iter_mut().zip(&f.days) {
                *m += day.seconds / 60.0;
            }
        }
        Ok(minutes.iter().all(|m| *m <= f64::from(goal.minutes)))
    })
}

/// The first runway longer than `short` days (which falls short) for which `meets` holds,
/// found by doubling, then halving the gap, on the ground that a longer runway never hurts;
/// `None` past two years.
fn first_day(
    short: i64,
    meets: impl Fn(i64) -> Result<bool, PlanError>,
) -> Result<Option<i64>, PlanError> {
    const HORIZON: i64 = 730;
    let mut hi = short.max(1);
    while !meets(hi)? {
        if hi >= HORIZON {
            return Ok(None);
        }
        hi = (hi * 2).min(HORIZON);
    }
    let mut lo = short;
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if meets(mid)? {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Ok(Some(hi))
}

/// Practice exam days (days from when the goal was set) for a runway of `days`: at half,
/// three quarters and nine tenths of it, so each comes back after a gap of about a tenth to a
/// fifth of the time left (Cepeda et al., Psychological Science 19:1095, 2008), and never in
/// the last day before the exam. Fewer when the runway is short.
pub fn practice_days(days: i64) -> Vec<i64> {
    let mut out: Vec<i64> = [0.5, 0.75, 0.9]
        .iter()
        .map(|f| (f * days as f64).floor() as i64)
        .filter(|&d| d >= 1 && d <= days - 2)
        .collect();
    out.dedup();
    out
}
