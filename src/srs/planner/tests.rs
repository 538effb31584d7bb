//! The planner against hand-worked cases: the FSRS forgetting curve for cards left alone, the
//! new-card floor, shortfalls whose suggested dates are the first that work, and the practice
//! exams' spacing.

use std::sync::Arc;

use super::*;

fn model() -> Model {
    Model {
        parameters: Arc::new(fsrs::DEFAULT_PARAMETERS.to_vec()),
        desired_retention: 0.9,
        learning_steps: 2,
        relearning_steps: 1,
        reviews_per_day: 9999,
        seeds: 2,
    }
}

fn unseen(id: &str, weight: f64, new: usize) -> DomainInput {
    DomainInput {
        id: id.into(),
        name: id.to_uppercase(),
        weight,
        known: Vec::new(),
        new,
    }
}

fn goal(days_left: i64, target: f64, minutes: u32) -> Goal {
    Goal {
        days_left,
        target,
        minutes,
    }
}

#[test]
fn a_card_left_alone_forgets_along_the_fsrs_curve() {
    // FSRS-6 forgetting curve (open-spaced-repetition, "The Algorithm", FSRS-6):
    // R(t, S) = (1 + f t / S)^-w20 with f = 0.9^(-1/w20) - 1. Default w20 = 0.1542, so
    // f = 0.98035 and a card of stability 100 days, last seen today and due in 1000 days,
    // keeps R(10, 100) = 1.098035^-0.1542 = 0.98568 on an exam 10 days away.
    let known = Known {
        stability: 100.0,
        difficulty: 5.0,
        last: 0,
        due: 1000,
    };
    let domain = DomainInput {
        known: vec![known],
        ..unseen("a", 1.0, 0)
    };
    let plan = plan(&model(), &[domain], goal(10, 0.9, 60)).unwrap();
    assert!(
        (plan.on_exam_day - 0.98568).abs() < 1e-4,
        "{}",
        plan.on_exam_day
    );
    assert!(
        (plan.now - 1.0).abs() < 1e-9,
        "recall right after a review is 1"
    );
    assert_eq!(plan.domains[0].new_per_day, 0);
    assert!(plan.on_track());
    assert_eq!(plan.days.len(), 10);
    assert!(plan.days.iter().all(|d| d.reviews == 0.0), "nothing is due");
}

#[test]
fn new_cards_are_all_seen_by_four_fifths_of_the_runway() {
    // 100 cards, 30 days: the last 6 days are for review, so ceil(100 / 24) = 5 a day even
    // when a lower rate would reach an easy target.
    let plan = plan(&model(), &[unseen("a", 1.0, 100)], goal(30, 0.5, 600)).unwrap();
    assert_eq!(plan.domains[0].new_per_day, 5);
    let introduced: f64 = plan.days.iter().map(|d| d.new[0]).sum();
    assert!((introduced - 100.0).abs() < 1e-9, "{introduced}");
    assert!(plan.days[20..].iter().all(|d| d.new[0] == 0.0));
}

#[test]
fn a_higher_target_never_asks_for_fewer_new_cards() {
    // Three days for 300 cards: the floor of 150 a day forecasts about 94% (the week-before
    // refreshes do much of the work), so only a target above that moves the rate.
    let rate = |target| {
        plan(&model(), &[unseen("a", 1.0, 300)], goal(3, target, 600))
            .unwrap()
            .domains[0]
            .new_per_day
    };
    let rates: Vec<usize> = [0.5, 0.8, 0.9, 0.94].into_iter().map(rate).collect();
    assert!(rates.windows(2).all(|w| w[0] <= w[1]), "{rates:?}");
    assert_eq!(rates[0], 150, "ceil(300 / floor(0.8 * 3))");
    assert!(rates[0] < rates[3], "the target moves the rate: {rates:?}");
}

#[test]
fn weights_are_shares_of_the_domains_that_have_cards() {
    let domains = [
        unseen("a", 30.0, 10),
        unseen("b", 10.0, 10),
        unseen("empty", 60.0, 0),
    ];
    let plan = plan(&model(), &domains, goal(20, 0.8, 600)).unwrap();
    let weights: Vec<f64> = plan.domains.iter().map(|d| d.weight).collect();
    assert_eq!(weights, [0.75, 0.25, 0.0]);
    assert!(
        plan.domains[2].reaches_target,
        "nothing to learn is nothing short"
    );
}

#[test]
fn a_target_out_of_time_names_the_first_exam_date_that_reaches_it() {
    let domains = [unseen("a", 1.0, 60), unseen("b", 1.0, 0)];
    let target = 0.97;
    let short = plan(&model(), &domains, goal(2, target, 600)).unwrap();
    let Some(Shortfall::NotInTime {
        domains: named,
        reachable_in_days: Some(first),
    }) = short.shortfalls.first().cloned()
    else {
        panic!("{:?}", short.shortfalls)
    };
    assert_eq!(named, ["a"], "only the domain with cards falls short");
    assert!(first > 2);
    let reaches = |days| {
        !plan(&model(), &domains, goal(days, target, 600))
            .unwrap()
            .shortfalls
            .iter()
            .any(|s| matches!(s, Shortfall::NotInTime { .. }))
    };
    assert!(reaches(first), "the suggested date reaches the target");
    assert!(!reaches(first - 1), "and is the first that does");
}

#[test]
fn a_plan_over_the_minutes_names_the_first_exam_date_that_fits() {
    let domains = [unseen("a", 1.0, 200)];
    let over = plan(&model(), &domains, goal(10, 0.8, 10)).unwrap();
    let Some(Shortfall::OverBudget {
        peak_minutes,
        fits_in_days: Some(first),
        ..
    }) = over
        .shortfalls
        .iter()
        .find(|s| matches!(s, Shortfall::OverBudget { .. }))
        .cloned()
    else {
        panic!("{:?}", over.shortfalls)
    };
    assert!(peak_minutes > 10.0);
    let peak = |days| {
        plan(&model(), &domains, goal(days, 0.8, 10))
            .unwrap()
            .days
            .iter()
            .map(|d| d.minutes)
            .fold(0.0, f64::max)
    };
    assert!(
        peak(first) <= 10.0,
        "the suggested date fits: {}",
        peak(first)
    );
    assert!(peak(first - 1) > 10.0, "and is the first that does");
}

#[test]
fn a_later_exam_never_forecasts_less() {
    let domains = [unseen("a", 2.0, 120), unseen("b", 1.0, 80)];
    let at = |days| {
        plan(&model(), &domains, goal(days, 0.9, 600))
            .unwrap()
            .on_exam_day
    };
    let forecasts: Vec<f64> = [7, 14, 28, 56].into_iter().map(at).collect();
    assert!(
        forecasts.windows(2).all(|w| w[1] >= w[0] - 0.01),
        "{forecasts:?}"
    );
}

#[test]
fn goals_that_cannot_be_planned_are_refused() {
    let domains = [unseen("a", 1.0, 10)];
    assert!(matches!(
        plan(&model(), &domains, goal(10, 0.3, 60)),
        Err(PlanError::Target(_))
    ));
    assert!(matches!(
        plan(&model(), &domains, goal(0, 0.9, 60)),
        Err(PlanError::NoDaysLeft)
    ));
}

#[test]
fn practice_exams_fall_at_a_half_three_quarters_and_nine_tenths_of_the_runway() {
    // Spacing the tests out, with the last a few days before the exam, follows Cepeda et al.
    // (2008), "Spacing effects in learning": the best gap grows with the time to the test.
    assert_eq!(practice_days(30), [15, 22, 27]);
    assert_eq!(practice_days(10), [5, 7]);
    assert_eq!(practice_days(3), [1]);
    assert!(practice_days(2).is_empty());
}
