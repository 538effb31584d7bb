//! The exam plan followed by a simulated learner, through the real queue, scheduler and
//! store: each day the app plans again from what happened, the learner studies that day's
//! session (recalling each card with the probability FSRS gives it), and on exam day every
//! domain's expected recall is within 5 points of the target.
//!
//! The learner's answers follow FSRS's own model: a review is recalled with probability
//! R(t, S) (Ye et al., "A Stochastic Shortest Path Algorithm for Optimizing Spaced Repetition
//! Scheduling", KDD 2022, and the FSRS-6 forgetting curve in fsrs-rs), and first answers to new
//! cards and grades after a recall are drawn with the shares the fsrs-rs simulator uses by
//! default (`SimulatorConfig::default`: first rating 0.24/0.094/0.495/0.171, recalled review
//! 0.224/0.631/0.145 for Hard/Good/Easy).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;
use sysdeck::content::{Library, LoadOptions};
use sysdeck::progress::{ExamPlan, Planning, Progress};
use sysdeck::srs::{Catalog, Grade, Next, Phase, Scope};

const TARGET: f64 = 0.90;

/// A pack with an exam of three domains weighted 50/30/20 and `cards[i]` cards in each.
fn exam_pack(dir: &Path, cards: [usize; 3]) {
    let domains = [("design", 50), ("ops", 30), ("cost", 20)];
    let mut manifest = String::from(
        "[pack]\nid = \"plan\"\nname = \"Plan Pack\"\nversion = \"1.0.0\"\nformat = 1\n\
         description = \"Cards for the exam plan test.\"\nauthors = [\"sysdeck tests\"]\n\
         license = \"CC0-1.0\"\n\n[exam]\nname = \"Plan exam\"\nquestions = 3\nminutes = 10\n\
         pass_score = 700\n",
    );
    std::fs::create_dir_all(dir.join("notes")).unwrap();
    std::fs::create_dir_all(dir.join("decks")).unwrap();
    for ((id, weight), n) in domains.iter().zip(cards) {
        manifest.push_str(&format!(
            "\n[[domains]]\nid = \"{id}\"\nname = \"Domain {id}\"\nweight = {weight}\n"
        ));
        std::fs::write(
            dir.join(format!("notes/{id}.md")),
            format!(
                "+++\nid = \"{id}\"\ntitle = \"Topic {id}\"\nsummary = \"About {id}.\"\ndomain = \"{id}\"\n+++\n\n# Topic {id}\n\nText.\n"
            ),
        )
        .unwrap();
        let mut deck = format!("note = \"{id}\"\n");
        for i in 0..n {
            deck.push_str(&format!(
                "\n[[cards]]\nid = \"{id}-{i}\"\nfront = \"Question {i} of {id}?\"\nback = \"Answer {i}.\"\n"
            ));
        }
        deck.push_str(&format!(
            "\n[[questions]]\nid = \"q-{id}\"\ndomain = \"{id}\"\nstem = \"Which?\"\nexplanation = \"Because.\"\n\
             [[questions.choices]]\ntext = \"A\"\ncorrect = true\nwhy = \"Right.\"\n\
             [[questions.choices]]\ntext = \"B\"\ncorrect = false\nwhy = \"Wrong.\"\n"
        ));
        std::fs::write(dir.join(format!("decks/{id}.toml")), deck).unwrap();
    }
    std::fs::write(dir.join("pack.toml"), manifest).unwrap();
}

fn open(pack: &Path, data: &Path) -> Progress {
    let lib = Library::load(&LoadOptions {
        builtin: false,
        user_dir: None,
        extra: vec![pack.to_path_buf()],
        cache_dir: None,
    });
    assert!(lib.broken().next().is_none(), "the test pack loads cleanly");
    Progress::open_in(data, Catalog::from_library(&lib), jiff::tz::TimeZone::UTC).unwrap()
}

/// One of `shares` (which sum to 1), drawn with `rng`.
fn draw(rng: &mut Pcg64, shares: &[f64]) -> usize {
    let mut x: f64 = rng.random();
    for (i, s) in shares.iter().enumerate() {
        if x < *s {
            return i;
        }
        x -= s;
    }
    shares.len() - 1
}

/// The learner studies today's session from 09:00, answering every card the session shows.
fn study_day(progress: &Progress, rng: &mut Pcg64, start: Timestamp) -> usize {
    let mut session = progress
        .session(
            &Scope {
                pack: Some("plan".into()),
                ..Scope::default()
            },
            start,
        )
        .unwrap();
    let scheduler = session.scheduler().clone();
    let end = start + SignedDuration::from_hours(12);
    let mut now = start;
    let mut answered = 0;
    loop {
        let grade = match session.next(now) {
            Next::Card(entry) => match &entry.state {
                None => Grade::ALL[draw(rng, &[0.24, 0.094, 0.495, 0.171])],
                Some(s) if s.phase == Phase::Review => {
                    let r = f64::from(scheduler.retrievability(s, now));
                    if rng.random::<f64>() < r {
                        Grade::ALL[1 + draw(rng, &[0.224, 0.631, 0.145])]
                    } else {
                        Grade::Again
                    }
                }
                // Learning and relearning steps: recalled minutes later, most of the time.
                Some(_) if rng.random::<f64>() < 0.85 => Grade::Good,
                Some(_) => Grade::Again,
            },
            Next::Wait(t) if t < end => {
                now = t;
                continue;
            }
            _ => break,
        };
        let answer = session.answer(grade, now, 8_000).unwrap();
        progress.grade(&answer, &scheduler).unwrap();
        answered += 1;
        now += SignedDuration::from_secs(15);
    }
    answered
}

/// Expected recall at `at` of each domain's cards (unseen count 0), by domain id.
fn recall_by_domain(progress: &Progress, at: Timestamp) -> HashMap<String, f64> {
    let scheduler = progress.scheduler().unwrap();
    let states = sysdeck::srs::replay(&scheduler, &progress.log().unwrap()).unwrap();
    let mut sums: HashMap<String, (f64, usize)> = HashMap::new();
    for e in progress
        .catalog()
        .entries()
        .iter()
        .filter(|e| !e.is_question())
    {
        let domain = e.domain.as_deref().unwrap().to_string();
        let r = states
            .get(&e.key)
            .map_or(0.0, |s| f64::from(scheduler.retrievability(s, at)));
        let slot = sums.entry(domain).or_default();
        slot.0 += r;
        slot.1 += 1;
    }
    sums.into_iter()
        .map(|(d, (s, n))| (d, s / n as f64))
        .collect()
}

/// Follows the plan for `days` days (skipping the days in `skip`) and returns each domain's
/// recall on exam morning, with the recall the first plan forecast for it.
fn follow_plan(
    seed: u64,
    days: i64,
    skip: &[i64],
    cards: [usize; 3],
) -> HashMap<String, (f64, f64)> {
    let pack = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    exam_pack(pack.path(), cards);
    let progress = open(pack.path(), data.path());
    let start: Timestamp = "2027-01-04T09:00:00Z".parse().unwrap();
    let exam = jiff::tz::TimeZone::UTC
        .to_datetime(start + SignedDuration::from_hours(24 * days))
        .date();
    let plan = progress
        .set_exam_goal("plan", exam, TARGET, 60, start)
        .unwrap();
    assert!(plan.plan.on_track(), "{:?}", plan.plan.shortfalls);
    let mut rng = Pcg64::seed_from_u64(seed);
    for day in 0..days {
        if skip.contains(&day) {
            continue;
        }
        study_day(
            &progress,
            &mut rng,
            start + SignedDuration::from_hours(24 * day),
        );
    }
    let recall = recall_by_domain(&progress, start + SignedDuration::from_hours(24 * days));
    recall
        .into_iter()
        .map(|(domain, r)| {
            let d = plan.plan.domains.iter().find(|d| d.id == domain).unwrap();
            (domain, (r, d.on_exam_day))
        })
        .collect()
}

/// Each domain within 5 points of the target (or above it), and of the first plan's forecast.
fn assert_ready(seed: u64, recall: &HashMap<String, (f64, f64)>) {
    assert_eq!(recall.len(), 3);
    for (domain, (actual, forecast)) in recall {
        assert!(
            *actual >= TARGET - 0.05,
            "seed {seed}: {domain} recalls {actual:.3} on exam day, target {TARGET}"
        );
        assert!(
            (actual - forecast).abs() <= 0.05,
            "seed {seed}: {domain} recalls {actual:.3}, the plan forecast {forecast:.3}"
        );
    }
}

#[test]
fn a_learner_who_follows_the_plan_is_ready_on_exam_day() {
    for seed in [1, 2, 3] {
        assert_ready(seed, &follow_plan(seed, 30, &[], [60, 40, 30]));
    }
}

#[test]
fn a_short_runway_is_planned_at_a_faster_pace_and_still_met() {
    // 250 cards in 12 days: the floor pace (every card seen by day 9) is 28 a day.
    assert_ready(11, &follow_plan(11, 12, &[], [120, 80, 50]));
}

#[test]
fn missed_days_are_made_up_by_the_next_plans() {
    let recall = follow_plan(7, 30, &[3, 4, 5, 12, 13], [60, 40, 30]);
    for (domain, (actual, _)) in &recall {
        assert!(
            *actual >= TARGET - 0.05,
            "{domain} recalls {actual:.3} on exam day"
        );
    }
}

/// The exam pack (40, 30 and 20 cards), a start, and an exam four weeks after it.
fn four_weeks_out() -> (tempfile::TempDir, Timestamp, jiff::civil::Date) {
    let pack = tempfile::tempdir().unwrap();
    exam_pack(pack.path(), [40, 30, 20]);
    let start = "2027-01-04T09:00:00Z".parse().unwrap();
    (pack, start, "2027-02-01".parse().unwrap())
}

/// Progress as the app opens it: plans are made on threads of their own.
fn in_the_app(pack: &Path, data: &Path) -> Progress {
    let progress = open(pack, data);
    progress.plan_in_background();
    progress
}

/// Progress as the app opens it, with the four-week goal begun: its plan is being made.
fn begun_in_the_app(
    pack: &Path,
    data: &Path,
    exam: jiff::civil::Date,
    start: Timestamp,
) -> Progress {
    let progress = in_the_app(pack, data);
    progress
        .begin_exam_goal("plan", exam, TARGET, 60, start)
        .unwrap();
    progress
}

/// Polls where `pack`'s plan stands until it is ready (a deadline, not a sleep); while it is
/// being made, a goal being set is not stored yet.
fn wait_ready(progress: &Progress, now: Timestamp, storing: bool) -> Arc<ExamPlan> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match progress.planning("plan", now).unwrap() {
            Planning::Ready(plan) => return plan,
            Planning::Making if storing => {
                assert!(progress.exam_goal("plan").unwrap().is_none());
            }
            Planning::Making => {}
            Planning::NoGoal => panic!("the goal was lost"),
        }
        assert!(Instant::now() < deadline, "no plan within a minute");
        std::thread::yield_now();
    }
}

/// The app makes plans on threads of their own. A goal begun there is stored once its plan
/// arrives, with the forecast a goal set at once gets; a later launch starts the day's plan at
/// once; and a queue asked for meanwhile waits for that plan instead of going without it.
#[test]
fn plans_made_on_a_thread_of_their_own_match_plans_made_at_once() {
    let (pack, start, exam) = four_weeks_out();

    let at_once = tempfile::tempdir().unwrap();
    let expected = open(pack.path(), at_once.path())
        .set_exam_goal("plan", exam, TARGET, 60, start)
        .unwrap();

    let data = tempfile::tempdir().unwrap();
    let progress = begun_in_the_app(pack.path(), data.path(), exam, start);
    let events = progress.subscribe();
    let made = wait_ready(&progress, start, true);
    assert_eq!(made.plan, expected.plan);
    let stored = progress.exam_goal("plan").unwrap().unwrap();
    assert_eq!(stored.forecast, expected.goal.forecast);
    assert_eq!(events.try_recv(), Ok(sysdeck::progress::Event::Goal));

    // The next day, in a new process: the day's plan starts at launch, and the queue built
    // at once is the plan's (its new cards), not the daily limit's.
    let next_day = start + SignedDuration::from_hours(24);
    let again = in_the_app(pack.path(), data.path());
    again.start_exam_plans(next_day);
    let session = again.session(&Scope::default(), next_day).unwrap();
    let planned = match again.planning("plan", next_day).unwrap() {
        Planning::Ready(plan) => plan,
        other => panic!("the queue was built without the day's plan: {other:?}"),
    };
    let new_today: usize = planned.plan.domains.iter().map(|d| d.new_per_day).sum();
    let limit = again.scheduler().unwrap().settings().new_per_day as usize;
    assert_ne!(
        new_today, limit,
        "the plan's new cards must differ from the limit's"
    );
    assert_eq!(session.counts().new, new_today);
}

/// A date chosen just before leaving the app is kept: closing waits for its plan and stores
/// the goal with its forecast.
#[test]
fn a_goal_begun_is_kept_when_the_app_closes_before_its_plan_arrives() {
    let (pack, start, exam) = four_weeks_out();
    let data = tempfile::tempdir().unwrap();
    let progress = begun_in_the_app(pack.path(), data.path(), exam, start);
    drop(progress);
    let goal = open(pack.path(), data.path())
        .exam_goal("plan")
        .unwrap()
        .expect("the goal was stored");
    assert_eq!(goal.exam, exam);
    assert_eq!(
        goal.forecast.len(),
        28,
        "a forecast for each of the 28 days to the exam"
    );
}

/// A goal begun on the plan screen counts even when the learner moves on at once: the queue
/// built next waits for its plan and takes the plan's new cards, and the app's loop
/// (`settle_plans`) stores a plan that arrives while another screen is open.
#[test]
fn a_goal_begun_reaches_the_queue_and_the_store_without_the_plan_screen() {
    let (pack, start, exam) = four_weeks_out();

    let data = tempfile::tempdir().unwrap();
    let progress = begun_in_the_app(pack.path(), data.path(), exam, start);
    let session = progress.session(&Scope::default(), start).unwrap();
    let goal = progress
        .exam_goal("plan")
        .unwrap()
        .expect("stored for the queue");
    let plan = wait_ready(&progress, start, false);
    assert_eq!(plan.goal, goal);
    let planned: usize = plan.plan.domains.iter().map(|d| d.new_per_day).sum();
    assert_eq!(session.counts().new, planned);

    let other = tempfile::tempdir().unwrap();
    let progress = begun_in_the_app(pack.path(), other.path(), exam, start);
    let events = progress.subscribe();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !progress.settle_plans(start) {
        assert!(Instant::now() < deadline, "the plan never arrived");
        std::thread::yield_now();
    }
    assert!(progress.exam_goal("plan").unwrap().is_some());
    assert_eq!(events.try_recv(), Ok(sysdeck::progress::Event::Goal));
}
