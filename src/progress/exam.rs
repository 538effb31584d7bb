//! Exam goals and their plans. A goal is stored; its plan is worked out from the learner's
//! states once a learning day (the simulations take a moment) and kept, so the queue, home and
//! the plan screen agree all day. The day's plan gives the queue each domain's new cards and
//! the exam-week refreshes ([`crate::srs::ExamDay`]).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use super::memory::Memory;
use super::{Event, Progress};
use crate::srs::exam_day::recall;
use crate::srs::hold::Hold;
use crate::srs::planner::{self, DomainInput, Goal, Known, Model, Plan, PlanError};
use crate::srs::time::{add_days, day_number};
use crate::srs::{Blueprint, Catalog, ExamDay, Scheduler};
use crate::store::ExamGoal;

/// Simulated learners averaged per forecast: enough for smooth curves, few enough that a plan
/// takes well under a second.
const SEEDS: u64 = 8;

/// What can keep an exam plan from being shown.
#[derive(Debug, thiserror::Error)]
pub enum ExamPlanError {
    #[error(transparent)]
    Progress(#[from] super::Error),
    #[error("the pack {0} is not loaded or has no [exam]")]
    NoExam(String),
    #[error("the exam plan could not be made")]
    Plan(#[from] PlanError),
    #[error("the exam plan was being made on a thread that stopped")]
    Lost,
}

/// A goal, its plan as of today, and how readiness went since the goal was set.
#[derive(Debug, Clone, Serialize)]
pub struct ExamPlan {
    pub goal: ExamGoal,
    pub exam_name: String,
    pub today: Date,
    pub plan: Plan,
    /// Practice exam days, fixed from the day the goal was set.
    pub practice: Vec<Date>,
    /// One reading a day from the day the goal was set to the exam.
    pub history: Vec<Reading>,
}

/// Blueprint-weighted readiness on one day: forecast when the goal was set, and what the log
/// says it was (up to today).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Reading {
    pub day: Date,
    pub forecast: Option<f64>,
    pub actual: Option<f64>,
}

impl ExamPlan {
    /// Whether today is one of the practice exam days.
    pub fn practice_today(&self) -> bool {
        self.practice.contains(&self.today)
    }

    /// The next practice exam day from today on.
    pub fn next_practice(&self) -> Option<Date> {
        self.practice.iter().copied().find(|d| *d >= self.today)
    }
}

/// Where a pack's plan stands, for screens that must not wait for one.
#[derive(Debug, Clone)]
pub enum Planning {
    /// No exam goal is set for the pack.
    NoGoal,
    /// The plan is being worked out; ask again.
    Making,
    Ready(Arc<ExamPlan>),
}

/// Plans kept for the learning day they were made on, and plans being made.
#[derive(Debug, Default)]
pub(super) struct PlanCache {
    plans: HashMap<String, (i64, ExamGoal, Arc<ExamPlan>)>,
    making: HashMap<String, Making>,
    /// Why a goal's plan failed when it arrived unasked (see [`Progress::settle_plans`]),
    /// until the pack's plan is asked for.
    failed: HashMap<String, ExamPlanError>,
    /// Whether plans are made on threads of their own (the app) or at once (commands, tests).
    background: bool,
}

impl PlanCache {
    fn get(&self, goal: &ExamGoal, day: i64) -> Option<Arc<ExamPlan>> {
        let (d, g, plan) = self.plans.get(&goal.pack)?;
        (*d == day && g == goal).then(|| plan.clone())
    }
}

/// A plan being simulated for `goal` on `day`; a new goal is stored when its plan arrives.
#[derive(Debug)]
struct Making {
    day: i64,
    goal: ExamGoal,
    new: bool,
    answer: Receiver<Result<Plan, PlanError>>,
}

impl Progress {
    /// The learning day of `now` (days start at the learner's day-start hour).
    pub fn learning_day(&self, now: Timestamp) -> super::Result<Date> {
        self.with_memory(|m| m.scheduler.clock().day_of(now))
    }

    /// Every stored exam goal.
    pub fn exam_goals(&self) -> super::Result<Vec<ExamGoal>> {
        self.with_memory(|m| m.goals.clone())
    }

    /// The goal for `pack`'s exam, if one is set.
    pub fn exam_goal(&self, pack: &str) -> super::Result<Option<ExamGoal>> {
        self.with_memory(|m| m.goals.iter().find(|g| g.pack == pack).cloned())
    }

    /// Sets a goal: plans it from today's states, and stores it with the plan's day-by-day
    /// forecast, against which later days are measured.
    pub fn set_exam_goal(
        &self,
        pack: &str,
        exam: Date,
        target: f64,
        minutes: u32,
        now: Timestamp,
    ) -> Result<Arc<ExamPlan>, ExamPlanError> {
        self.begin_exam_goal(pack, exam, target, minutes, now)?;
        let making = self.plans.borrow_mut().making.remove(pack);
        let making = making.ok_or_else(|| ExamPlanError::NoExam(pack.to_string()))?;
        let answer = making.answer.recv().map_err(|_| ExamPlanError::Lost)?;
        self.finish(making, answer, now)
    }

    /// Starts planning a new goal; [`Progress::planning`] stores it once its plan is made.
    /// A goal begun earlier for the pack and not yet stored is dropped.
    pub fn begin_exam_goal(
        &self,
        pack: &str,
        exam: Date,
        target: f64,
        minutes: u32,
        now: Timestamp,
    ) -> Result<(), ExamPlanError> {
        let today = self.with_memory(|m| m.scheduler.clock().day_of(now))?;
        let goal = ExamGoal {
            pack: pack.to_string(),
            exam,
            target,
            minutes,
            set_on: today,
            forecast: Vec::new(),
        };
        self.start(goal, true, now)
    }

    /// Starts making `goal`'s plan for today: on a thread of its own in the app, at once
    /// otherwise.
    fn start(&self, goal: ExamGoal, new: bool, now: Timestamp) -> Result<(), ExamPlanError> {
        let (day, work) = self.with_memory(|m| {
            let day = day_number(m.scheduler.clock().day_of(now));
            PlanWork::new(m, &goal, now).map(|work| (day, work))
        })??;
        let (tx, answer) = channel();
        if self.plans.borrow().background {
            let sender = tx.clone();
            let spawned = std::thread::Builder::new()
                .name("exam-plan".into())
                .spawn(move || sender.send(work.run()));
            if spawned.is_err() {
                // No thread to be had: the work went with it, so it is made again, here.
                let work = self.with_memory(|m| PlanWork::new(m, &goal, now))??;
                let _ = tx.send(work.run());
            }
        } else {
            let _ = tx.send(work.run());
        }
        let pack = goal.pack.clone();
        let making = Making {
            day,
            goal,
            new,
            answer,
        };
        self.plans.borrow_mut().making.insert(pack, making);
        Ok(())
    }

    /// A plan that arrived: a new goal is stored with its forecast first; then the plan is
    /// dressed with its history and kept as the day's.
    fn finish(
        &self,
        making: Making,
        answer: Result<Plan, PlanError>,
        now: Timestamp,
    ) -> Result<Arc<ExamPlan>, ExamPlanError> {
        let plan = answer?;
        let mut goal = making.goal;
        if making.new {
            goal.forecast = plan
                .days
                .iter()
                .map(|d| d.readiness.clamp(0.0, 1.0))
                .collect();
            self.store.borrow_mut().set_exam_goal(&goal)?;
            self.update_memory(|m, store| {
                m.goals = store.exam_goals()?;
                Ok(())
            });
            // Kept as read back, so the day's cache matches the stored goal exactly.
            goal = self.exam_goal(&goal.pack)?.unwrap_or(goal);
        }
        let plan = Arc::new(self.with_memory(|m| dress(m, &goal, plan, now))??);
        let pack = goal.pack.clone();
        self.plans
            .borrow_mut()
            .plans
            .insert(pack, (making.day, goal, plan.clone()));
        if making.new {
            self.emit(Event::Goal);
        }
        Ok(plan)
    }

    /// Removes `pack`'s goal; returns whether there was one.
    pub fn clear_exam_goal(&self, pack: &str) -> super::Result<bool> {
        let removed = self.store.borrow_mut().clear_exam_goal(pack)?;
        self.update_memory(|m, store| {
            m.goals = store.exam_goals()?;
            Ok(())
        });
        let mut cache = self.plans.borrow_mut();
        cache.plans.remove(pack);
        cache.making.remove(pack);
        drop(cache);
        self.emit(Event::Goal);
        Ok(removed)
    }

    /// Today's plan for `pack`'s goal, if a goal is set: made once a learning day. Waits
    /// for a plan being made; screens ask [`Progress::planning`] instead.
    pub fn exam_plan(
        &self,
        pack: &str,
        now: Timestamp,
    ) -> Result<Option<Arc<ExamPlan>>, ExamPlanError> {
        loop {
            match self.planning(pack, now)? {
                Planning::NoGoal => return Ok(None),
                Planning::Ready(plan) => return Ok(Some(plan)),
                Planning::Making => {
                    let making = self.plans.borrow_mut().making.remove(pack);
                    if let Some(making) = making {
                        let answer = making.answer.recv().map_err(|_| ExamPlanError::Lost)?;
                        return self.finish(making, answer, now).map(Some);
                    }
                }
            }
        }
    }

    /// Where today's plan for `pack` stands, without waiting: a goal begun and planned is
    /// stored now; a stored goal without today's plan has one started.
    pub fn planning(&self, pack: &str, now: Timestamp) -> Result<Planning, ExamPlanError> {
        if let Some(e) = self.plans.borrow_mut().failed.remove(pack) {
            return Err(e);
        }
        if self.collect(pack, now)? {
            return Ok(Planning::Making);
        }
        let Some(goal) = self.exam_goal(pack)? else {
            return Ok(Planning::NoGoal);
        };
        let day = self.with_memory(|m| day_number(m.scheduler.clock().day_of(now)))?;
        if self.plans.borrow().get(&goal, day).is_none() {
            self.start(goal.clone(), false, now)?;
            if self.collect(pack, now)? {
                return Ok(Planning::Making);
            }
        }
        let plan = self.plans.borrow().get(&goal, day);
        plan.map(Planning::Ready).ok_or(ExamPlanError::Lost)
    }

    /// Takes in `pack`'s plan if one was being made and has arrived; true while it is still
    /// being made.
    fn collect(&self, pack: &str, now: Timestamp) -> Result<bool, ExamPlanError> {
        let arrived = {
            let mut cache = self.plans.borrow_mut();
            match cache.making.get(pack).map(|m| m.answer.try_recv()) {
                None => return Ok(false),
                Some(Err(TryRecvError::Empty)) => return Ok(true),
                Some(answer) => (cache.making.remove(pack), answer),
            }
        };
        match arrived {
            (Some(making), Ok(answer)) => self.finish(making, answer, now).map(|_| false),
            _ => Err(ExamPlanError::Lost),
        }
    }

    /// Starts today's plan for every goal that has none yet, so it is ready when asked for.
    pub fn start_exam_plans(&self, now: Timestamp) {
        for goal in self.exam_goals().unwrap_or_default() {
            let _ = self.planning(&goal.pack, now);
        }
    }

    /// Waits for the plans of goals begun and not yet stored, and stores them: the learner
    /// chose those dates, and the queue, a reload or leaving must not go without them.
    pub(super) fn finish_new_goals(&self, now: Timestamp) {
        let begun: Vec<Making> = {
            let mut cache = self.plans.borrow_mut();
            let packs: Vec<String> = cache
                .making
                .iter()
                .filter(|(_, m)| m.new)
                .map(|(pack, _)| pack.clone())
                .collect();
            packs
                .iter()
                .filter_map(|p| cache.making.remove(p))
                .collect()
        };
        for making in begun {
            let pack = making.goal.pack.clone();
            let answer = making.answer.recv().map_err(|_| ExamPlanError::Lost);
            if let Err(e) = answer.and_then(|a| self.finish(making, a, now)) {
                self.plans.borrow_mut().failed.insert(pack, e);
            }
        }
    }

    /// Takes in every plan that has arrived, without waiting: a goal begun on the plan screen
    /// is stored (and announced) even when the learner has moved on to another screen.
    /// Returns whether any arrived.
    pub fn settle_plans(&self, now: Timestamp) -> bool {
        let packs: Vec<String> = self.plans.borrow().making.keys().cloned().collect();
        let mut arrived = false;
        for pack in packs {
            match self.collect(&pack, now) {
                Ok(making) => arrived |= !making,
                Err(e) => {
                    self.plans.borrow_mut().failed.insert(pack, e);
                    arrived = true;
                }
            }
        }
        arrived
    }

    /// Makes plans on threads of their own from now on (the app), so no screen waits for
    /// one; commands and tests make them at once.
    pub fn plan_in_background(&self) {
        self.plans.borrow_mut().background = true;
    }

    /// What today's plans ask of the queue: one entry per goal whose exam is still ahead.
    pub(super) fn exam_days(&self, now: Timestamp) -> Vec<ExamDay> {
        self.finish_new_goals(now);
        let goals = self.exam_goals().unwrap_or_default();
        goals
            .iter()
            .filter_map(|g| {
                let plan = self.exam_plan(&g.pack, now).ok()??;
                let decay = self.with_memory(|m| m.scheduler.parameters()[20]).ok()?;
                Some(exam_day(&plan, decay))
            })
            .collect()
    }
}

/// The queue's share of a plan: each domain's new cards for today, weakest on exam day first.
fn exam_day(plan: &ExamPlan, decay: f32) -> ExamDay {
    let mut domains: Vec<_> = plan.plan.domains.iter().collect();
    domains.sort_by(|a, b| a.on_exam_day.total_cmp(&b.on_exam_day));
    ExamDay {
        pack: plan.goal.pack.clone(),
        exam_day: day_number(plan.goal.exam),
        decay,
        new_cards: domains
            .into_iter()
            .map(|d| (d.id.clone(), d.new_per_day as u32))
            .collect(),
    }
}

/// A plan made for `goal`, with the goal's practice days and readiness history beside it.
fn dress(
    m: &Memory,
    goal: &ExamGoal,
    plan: Plan,
    now: Timestamp,
) -> Result<ExamPlan, ExamPlanError> {
    let blueprint = blueprint(&m.catalog, &goal.pack)?;
    let clock = m.scheduler.clock();
    let today = clock.day_of(now);
    let runway = (goal.exam - goal.set_on).get_days().into();
    let practice = planner::practice_days(runway)
        .into_iter()
        .map(|d| add_days(goal.set_on, d))
        .collect();
    Ok(ExamPlan {
        history: history(m, blueprint, goal, now),
        exam_name: blueprint.exam.clone(),
        goal: goal.clone(),
        today,
        plan,
        practice,
    })
}

fn blueprint<'c>(catalog: &'c Catalog, pack: &str) -> Result<&'c Blueprint, ExamPlanError> {
    catalog
        .blueprint(pack)
        .filter(|b| !b.domains.is_empty())
        .ok_or_else(|| ExamPlanError::NoExam(pack.to_string()))
}

/// The simulation that plans a goal, owning its inputs so it can run on any thread.
struct PlanWork {
    model: Model,
    domains: Vec<DomainInput>,
    goal: Goal,
}

impl PlanWork {
    /// The work of planning `goal` from the learner's states at `now`.
    fn new(m: &Memory, goal: &ExamGoal, now: Timestamp) -> Result<PlanWork, ExamPlanError> {
        let blueprint = blueprint(&m.catalog, &goal.pack)?;
        let today = m.scheduler.clock().day_of(now);
        Ok(PlanWork {
            model: model(&m.scheduler),
            domains: domain_inputs(m, blueprint, now),
            goal: Goal {
                days_left: (goal.exam - today).get_days().into(),
                target: goal.target,
                minutes: goal.minutes,
            },
        })
    }

    fn run(self) -> Result<Plan, PlanError> {
        planner::plan(&self.model, &self.domains, self.goal)
    }
}

/// What the simulator needs from the learner's scheduler.
fn model(s: &Scheduler) -> Model {
    let settings = s.settings();
    Model {
        parameters: Arc::new(s.parameters().to_vec()),
        desired_retention: settings.desired_retention,
        learning_steps: settings.learning_steps.len(),
        relearning_steps: settings.relearning_steps.len(),
        reviews_per_day: settings.reviews_per_day as usize,
        seeds: SEEDS,
    }
}

/// Each blueprint domain's flashcards as they stand at `now`: reviewed ones with their memory,
/// and how many were never studied. Suspended cards are out of study, so out of the plan;
/// questions sent to review count through quiz answers instead.
fn domain_inputs(m: &Memory, blueprint: &Blueprint, now: Timestamp) -> Vec<DomainInput> {
    let clock = m.scheduler.clock();
    let today = day_number(clock.day_of(now));
    let day = |t: Timestamp| day_number(clock.day_of(t)) - today;
    blueprint
        .domains
        .iter()
        .map(|d| {
            let mut input = DomainInput {
                id: d.id.clone(),
                name: d.name.clone(),
                weight: f64::from(d.weight),
                known: Vec::new(),
                new: 0,
            };
            let cards = m.catalog.entries().iter().filter(|e| {
                e.domain.as_deref() == Some(d.id.as_str())
                    && !e.is_question()
                    && m.catalog.hold(&e.key) != Some(Hold::Suspended)
            });
            for e in cards {
                match m.catalog.state(e, &m.states) {
                    Some(s) => input.known.push(Known {
                        stability: s.memory.stability,
                        difficulty: s.memory.difficulty,
                        last: day(s.last_review).min(0),
                        due: day(s.due),
                    }),
                    None => input.new += 1,
                }
            }
            input
        })
        .collect()
}

/// Blueprint-weighted readiness on each day from the goal's day to the exam: the forecast made
/// then, and, up to today, the recall the log gives at the end of each day (today: now).
fn history(m: &Memory, blueprint: &Blueprint, goal: &ExamGoal, now: Timestamp) -> Vec<Reading> {
    let clock = m.scheduler.clock();
    let today = clock.day_of(now);
    let total: u32 = blueprint.domains.iter().map(|d| d.weight).sum();
    let entries: Vec<_> = m
        .catalog
        .entries()
        .iter()
        .filter(|e| !e.is_question() && e.key.pack() == goal.pack)
        .filter_map(|e| {
            let d = blueprint
                .domains
                .iter()
                .position(|d| e.domain.as_deref() == Some(d.id.as_str()))?;
            Some((e, d))
        })
        .collect();
    let mut per_domain = vec![0usize; blueprint.domains.len()];
    for (_, d) in &entries {
        per_domain[*d] += 1;
    }
    let decay = m.scheduler.parameters()[20];
    let readiness = |states: &HashMap<_, _>, at: Timestamp| -> f64 {
        let mut sum = vec![0.0; per_domain.len()];
        for (e, d) in &entries {
            if let Some(s) = m.catalog.state(e, states) {
                let days = at.duration_since(s.last_review).as_secs_f64() / 86_400.0;
                sum[*d] += recall(days, s.memory.stability, decay);
            }
        }
        let weight = |i: usize| f64::from(blueprint.domains[i].weight) / f64::from(total.max(1));
        (0..sum.len())
            .filter(|&i| per_domain[i] > 0)
            .map(|i| weight(i) * sum[i] / per_domain[i] as f64)
            .sum()
    };
    // Replays the pack's log rows day by day, reading the day's end before the next day's rows.
    let rows: Vec<_> = m
        .log
        .iter()
        .filter(|r| r.item.pack() == goal.pack)
        .collect();
    let mut states = HashMap::new();
    let mut next = 0;
    let days = (goal.exam - goal.set_on).get_days();
    (0..=days)
        .map(|i| {
            let day = add_days(goal.set_on, i64::from(i));
            let actual = (day <= today).then(|| {
                let end = if day == today {
                    now
                } else {
                    clock.start_of(add_days(day, 1))
                };
                while next < rows.len() && rows[next].at < end {
                    let r = rows[next];
                    if let Ok(a) = m.scheduler.grade(
                        &r.item,
                        states.get(&r.item),
                        r.grade,
                        r.at,
                        r.duration_ms,
                    ) {
                        states.insert(r.item.clone(), a.after);
                    }
                    next += 1;
                }
                readiness(&states, end)
            });
            Reading {
                day,
                forecast: goal.forecast.get(i as usize).copied(),
                actual,
            }
        })
        .collect()
}
