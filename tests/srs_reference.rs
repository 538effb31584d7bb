//! The scheduler against its references: Anki's documented learning-step behaviour for each
//! grade on each step, and the FSRS-6 formulas for stability and difficulty on hand-worked
//! cases with the default parameters.

use jiff::{SignedDuration, Timestamp};
use sysdeck::srs::{
    CardState, DayClock, Grade, Interval, ItemKey, Memory, Phase, Preview, Scheduler, Settings,
};

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn scheduler() -> Scheduler {
    let settings = Settings {
        fuzz: false,
        ..Settings::default()
    };
    Scheduler::new(&[], settings, DayClock::utc(4)).unwrap()
}

fn key() -> ItemKey {
    ItemKey::new("p/card")
}

/// What each grade does to a card on a step: (interval shown, phase after, step after).
fn steps_of(preview: &Preview) -> Vec<(Interval, Phase, u8)> {
    preview
        .outcomes()
        .iter()
        .map(|o| (o.interval, o.state.phase, o.state.step))
        .collect()
}

fn graduated(preview: &Preview, grade: Grade) -> bool {
    let outcome = preview.get(grade);
    matches!(outcome.interval, Interval::Days(_)) && outcome.state.phase == Phase::Review
}

/// The Anki manual, Deck Options, "Learning Steps": Again returns the card to the first step,
/// Hard repeats the current step (on the first step it waits the average of the first two
/// steps), Good moves to the next step or graduates after the last, Easy graduates at once.
/// With the default steps 1m 10m: Hard on the first step is (1 + 10) / 2 = 5.5 minutes.
#[test]
fn learning_steps_follow_the_anki_manual_for_every_grade() {
    let s = scheduler();
    let now = at("2026-03-10T12:00:00Z");
    use Interval::Seconds;
    use Phase::Learning;

    let first = s.preview(&key(), None, now).unwrap();
    assert_eq!(
        steps_of(&first)[..3],
        [
            (Seconds(60), Learning, 0),
            (Seconds(330), Learning, 0),
            (Seconds(600), Learning, 1),
        ]
    );
    assert!(graduated(&first, Grade::Easy));
    let hard = &first.get(Grade::Hard).state;
    assert_eq!(hard.due, at("2026-03-10T12:05:30Z"), "Hard waits 5m30s");

    let on_second = &first.get(Grade::Good).state;
    let later = at("2026-03-10T12:10:00Z");
    let second = s.preview(&key(), Some(on_second), later).unwrap();
    assert_eq!(
        steps_of(&second)[..2],
        [(Seconds(60), Learning, 0), (Seconds(600), Learning, 1)]
    );
    assert!(graduated(&second, Grade::Good));
    assert!(graduated(&second, Grade::Easy));
}

/// The same manual, "Relearning Steps": Again on a review card starts the relearning steps (10m
/// by default) and counts a lapse; on a lone relearning step Hard waits 1.5 x 10 = 15 minutes,
/// and Good graduates back to review.
#[test]
fn relearning_steps_follow_the_anki_manual() {
    let s = scheduler();
    let reviewed = s
        .grade(&key(), None, Grade::Easy, at("2026-03-10T12:00:00Z"), 0)
        .unwrap()
        .after;
    let due = reviewed.due;
    let lapse = s.preview(&key(), Some(&reviewed), due).unwrap();
    let again = &lapse.get(Grade::Again).state;
    assert_eq!(lapse.get(Grade::Again).interval, Interval::Seconds(600));
    assert_eq!(
        (again.phase, again.step, again.lapses),
        (Phase::Relearning, 0, 1)
    );
    assert_eq!(
        again.due,
        due.checked_add(SignedDuration::from_mins(10)).unwrap()
    );

    let relearning = s.preview(&key(), Some(again), again.due).unwrap();
    assert_eq!(
        relearning.get(Grade::Again).interval,
        Interval::Seconds(600)
    );
    assert_eq!(relearning.get(Grade::Hard).interval, Interval::Seconds(900));
    assert!(graduated(&relearning, Grade::Good));
}

/// Whether `got` is `want` to four significant figures (the model computes in f32).
fn close(got: f32, want: f64) -> bool {
    (f64::from(got) - want).abs() <= 1e-4 * want.abs().max(1.0)
}

fn memories(preview: &Preview) -> Vec<Memory> {
    preview.outcomes().iter().map(|o| o.state.memory).collect()
}

fn assert_memories(preview: &Preview, want: [(f64, f64); 4], case: &str) {
    for (grade, (got, (s, d))) in Grade::ALL.iter().zip(memories(preview).iter().zip(want)) {
        assert!(
            close(got.stability, s) && close(got.difficulty, d),
            "{case}, {grade:?}: got {got:?}, want S {s} D {d}"
        );
    }
}

/// FSRS-6 as written in the FSRS wiki ("The Algorithm") with its default parameters
/// w = 0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
/// 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542.
///
/// First review: S0(G) = w[G-1]; D0(G) = w4 - e^(w5 (G-1)) + 1, clamped to [1, 10]:
/// D0(1) = 6.4133, D0(2) = 6.4133 - e^0.8334 + 1 = 5.11217, D0(3) = 6.4133 - e^1.6668 + 1
/// = 2.11810, D0(4) = 6.4133 - e^2.5002 + 1 = -4.77163, clamped to 1.
#[test]
fn fsrs6_first_review_sets_initial_stability_and_difficulty() {
    let p = scheduler()
        .preview(&key(), None, at("2026-03-10T12:00:00Z"))
        .unwrap();
    assert_memories(
        &p,
        [
            (0.212, 6.4133),
            (1.2931, 5.112171),
            (2.3065, 2.118104),
            (8.2956, 1.0),
        ],
        "new card",
    );
}

/// A review card with S = 10 and D = 5 answered 10 days later, when R = 0.9 by the forgetting
/// curve's construction (R(t = S) = 0.9):
///
/// - difficulty: D' = D - w6 (G - 3) (10 - D) / 9, then D'' = w7 D0(4) + (1 - w7) D' with the
///   unclamped D0(4) = -4.771631, clamped to [1, 10]: 8.341762, 6.665995, 4.990228, 3.314461;
/// - recall: S' = S (e^w8 (11 - D) S^-w9 (e^(w10 (1 - R)) - 1) x (w15 if Hard, w16 if Easy) + 1)
///   = 23.24688 (Hard), 32.02673 (Good), 51.25386 (Easy);
/// - lapse: S' = min(w11 D^-w12 ((S + 1)^w13 - 1) e^(w14 (1 - R)), S / e^(w17 w18)) = 1.391987.
#[test]
fn fsrs6_review_updates_stability_and_difficulty() {
    let s = scheduler();
    let last = at("2026-03-01T12:00:00Z");
    let card = CardState {
        phase: Phase::Review,
        step: 0,
        memory: Memory {
            stability: 10.0,
            difficulty: 5.0,
        },
        due: at("2026-03-11T04:00:00Z"),
        last_review: last,
        scheduled_days: 10,
        reps: 3,
        lapses: 0,
    };
    let p = s
        .preview(&key(), Some(&card), at("2026-03-11T12:00:00Z"))
        .unwrap();
    assert_eq!(p.elapsed_days, 10);
    assert_memories(
        &p,
        [
            (1.391987, 8.341762),
            (23.24688, 6.665995),
            (32.02673, 4.990228),
            (51.25386, 3.314461),
        ],
        "review after 10 days",
    );
    // At 90% desired retention the interval is the stability: Good is 32 days.
    assert_eq!(p.get(Grade::Good).interval, Interval::Days(32));

    // The same card answered again on the same day: FSRS-6's short-term stability,
    // S' = S e^(w17 (G - 3 + w18)) S^-w19, not below S for Hard and up:
    // Again 3.051249, Hard and Good 10 (the factor is below 1), Easy 15.53431.
    let same_day = s
        .preview(&key(), Some(&card), at("2026-03-01T13:00:00Z"))
        .unwrap();
    assert_eq!(same_day.elapsed_days, 0);
    let stabilities: Vec<f32> = memories(&same_day).iter().map(|m| m.stability).collect();
    for (got, want) in stabilities.iter().zip([3.051249, 10.0, 10.0, 15.53431]) {
        assert!(close(*got, want), "same day: {stabilities:?}");
    }
}
