//! The labs rendered to a buffer and snapshotted at 80x24 and 120x40 (both labs, their compare
//! modes, the menu), with a fixed clock so the rate limiter's run is the same every time; plus
//! the keys that change parameters, the clock-driven animation, and a sweep over sizes.

#[path = "support/app.rs"]
mod support;

use std::cell::Cell;
use std::rc::Rc;

use ratatui::crossterm::event::KeyCode;
use support::{NOW, demo};
use sysdeck::content::Lab;
use sysdeck::tui::app::App;
use sysdeck::tui::keymap::{Action, Key, Keymap, Scope};
use sysdeck::tui::nav::Nav;
use sysdeck::tui::shared::Shared;
use sysdeck::tui::snapshot::{ScreenSpec, app_at, render_text};

fn lab(lab: Lab, compare: bool) -> ScreenSpec {
    ScreenSpec::Lab { lab, compare }
}

/// Every lab view worth a picture, as a screen spec plus keys pressed after it.
fn views() -> Vec<(&'static str, ScreenSpec, Vec<Action>)> {
    vec![
        ("labs", ScreenSpec::Labs, vec![]),
        ("ring", lab(Lab::HashRing, false), vec![]),
        ("ring_compare", lab(Lab::HashRing, true), vec![]),
        (
            "ring_after_adding_a_node",
            lab(Lab::HashRing, false),
            vec![Action::More, Action::More, Action::AddItem],
        ),
        (
            "ring_compare_bounded_after_removal",
            lab(Lab::HashRing, true),
            vec![
                Action::PrevAlgo,
                Action::Down,
                Action::Down,
                Action::RemoveItem,
            ],
        ),
        ("limiter", lab(Lab::RateLimiter, false), vec![]),
        ("limiter_compare", lab(Lab::RateLimiter, true), vec![]),
        (
            "limiter_queue_by_hand",
            lab(Lab::RateLimiter, false),
            vec![
                Action::NextAlgo,
                Action::Traffic,
                Action::Traffic,
                Action::Traffic,
                Action::Burst,
                Action::Fire,
                Action::Step,
                Action::Step,
                Action::Burst,
            ],
        ),
        ("cache", lab(Lab::CacheEviction, false), vec![]),
        (
            // A loop of 40 keys through 4 slots, 120 requests in: LRU and FIFO never hit.
            "cache_loop_capacity_4",
            lab(Lab::CacheEviction, false),
            [Action::Traffic, Action::Traffic]
                .into_iter()
                .chain([Action::Less; 3])
                .chain([Action::Step; 120])
                .collect(),
        ),
        ("balancer", lab(Lab::LoadBalancer, false), vec![]),
        (
            // One slow server and s0 hanging from 5s: 8 simulated seconds in, health checks
            // have taken s0 out, and the balancers that count outstanding requests steer
            // round the slow one.
            "balancer_slow_and_hanging",
            lab(Lab::LoadBalancer, false),
            [Action::SlowServer, Action::FailServer, Action::FailServer]
                .into_iter()
                .chain([Action::Step; 80])
                .collect(),
        ),
        ("quorum", lab(Lab::Quorum, false), vec![]),
        (
            // R=1, W=1, eight steps in: two reads have answered from a replica the write missed.
            "quorum_fast_but_stale",
            lab(Lab::Quorum, false),
            [Action::NextPreset]
                .into_iter()
                .chain([Action::Step; 8])
                .collect(),
        ),
    ]
}

fn app(shared: &Rc<Shared>, spec: &ScreenSpec, keys: &[Action], w: u16, h: u16) -> App {
    let mut app = app_at(shared.clone(), spec, w, h);
    keys.iter().for_each(|&a| app.press(a));
    app
}

#[test]
fn labs_at_two_sizes() {
    let f = demo();
    for (name, spec, keys) in views() {
        for (w, h) in [(80, 24), (120, 40)] {
            let text = render_text(&app(&f.shared, &spec, &keys, w, h), w, h);
            insta::assert_snapshot!(format!("{name}_{w}x{h}"), text);
        }
    }
}

#[test]
fn the_cache_lab_at_the_smallest_size() {
    let f = demo();
    let text = render_text(
        &app(&f.shared, &lab(Lab::CacheEviction, false), &[], 60, 18),
        60,
        18,
    );
    insta::assert_snapshot!("cache_60x18", text);
}

#[test]
fn the_cache_lab_follows_capacity_trace_and_skew() {
    let f = demo();
    let (w, h) = (100, 30);
    let mut cache = app(&f.shared, &lab(Lab::CacheEviction, false), &[], w, h);
    let before = render_text(&cache, w, h);
    assert!(
        before.contains("capacity 8 · Zipf over 40 keys, skew 0.9"),
        "{before}"
    );
    assert!(before.contains("600/2,000"), "{before}");
    cache.press(Action::More);
    (0..600).for_each(|_| cache.press(Action::Step));
    let after = render_text(&cache, w, h);
    assert!(after.contains("capacity 10 ·"), "{after}");
    assert_ne!(
        figure(&before, "│ L LRU"),
        figure(&after, "│ L LRU"),
        "a larger cache hits more"
    );
    cache.press(Action::Longer);
    let skewed = render_text(&cache, w, h);
    assert!(skewed.contains("skew 1 ·"), "{skewed}");
    assert!(
        skewed.contains("paused · 0/2,000"),
        "a new setting starts over: {skewed}"
    );
    cache.press(Action::Traffic);
    assert!(render_text(&cache, w, h).contains("each 40 followed by a scan of 40 new keys"));
    cache.press(Action::Traffic);
    cache.press(Action::Longer);
    let looped = render_text(&cache, w, h);
    assert!(looped.contains("loop over 40 keys"), "{looped}");
    // Every policy's glyph is in the table, so the chart reads without colour.
    for row in [
        "│ O OPT",
        "│ L LRU",
        "│ F FIFO",
        "│ U LFU",
        "│ A ARC",
        "│ 2 2Q",
    ] {
        assert!(looped.contains(row), "{row}: {looped}");
    }
}

#[test]
fn the_cache_lab_plays_on_ticks_and_stops_at_the_end() {
    let f = demo();
    let mut app = App::new(f.shared.clone());
    app.resize(100, 30);
    app.go(Nav::Lab(Lab::CacheEviction), false);
    assert!(app.tick_interval().is_some(), "the lab opens playing");
    (0..10).for_each(|_| app.tick());
    assert!(render_text(&app, 100, 30).contains("▶ 5/tick · 50/2,000"));
    app.press(Action::Faster);
    app.tick();
    assert!(render_text(&app, 100, 30).contains("▶ 10/tick · 60/2,000"));
    (0..400).for_each(|_| app.tick());
    let text = render_text(&app, 100, 30);
    assert!(text.contains("■ done · 2,000/2,000"), "{text}");
    assert_eq!(
        app.tick_interval(),
        None,
        "nothing ticks once the trace is done"
    );
    app.press(Action::PlayPause);
    assert!(render_text(&app, 100, 30).contains("▶ 10/tick · 0/2,000"));
}

#[test]
fn the_quorum_lab_at_the_smallest_size() {
    let f = demo();
    let text = render_text(
        &app(&f.shared, &lab(Lab::Quorum, false), &[], 60, 18),
        60,
        18,
    );
    insta::assert_snapshot!("quorum_60x18", text);
}

/// Steps the lab until the current step's outcome contains `needle`; the screen then.
fn step_until(app: &mut App, needle: &str, w: u16, h: u16) -> String {
    for _ in 0..60 {
        app.press(Action::Step);
        let text = render_text(app, w, h);
        if text.lines().any(|l| l.contains('›') && l.contains(needle)) {
            return text;
        }
    }
    panic!("no step came out {needle}");
}

#[test]
fn the_quorum_lab_follows_n_r_w() {
    let f = demo();
    let (w, h) = (100, 30);
    let mut quorum = app(
        &f.shared,
        &lab(Lab::Quorum, false),
        &[Action::NextPreset],
        w,
        h,
    );
    let stale = step_until(&mut quorum, "! stale", w, h);
    assert!(
        stale.contains("fast but stale ·[N=3] R=1  W=1 · R+W=2 ≤ N"),
        "{stale}"
    );
    assert!(stale.contains("stale: R=1 read replica-"), "{stale}");
    assert!(stale.contains("which missed v"), "{stale}");
    assert_ne!(figure(&stale, "reads"), "", "{stale}");
    // R up to 2 is R + W = N: still no guaranteed overlap.
    quorum.press(Action::Right);
    quorum.press(Action::More);
    let even = render_text(&quorum, w, h);
    assert!(
        even.contains("[R=2]") && even.contains("R+W=3 ≤ N"),
        "{even}"
    );
    // R up to 3: R + W > N, and the same step reads fresh.
    quorum.press(Action::More);
    let fresh = render_text(&quorum, w, h);
    assert!(fresh.contains("[R=3]"), "{fresh}");
    assert!(fresh.contains("R+W=4 > N"), "{fresh}");
    assert!(fresh.contains("  0 stale"), "{fresh}");
    // N up to 4 with R=3, W=1: overlap is gone again.
    quorum.press(Action::Left);
    quorum.press(Action::More);
    let wider = render_text(&quorum, w, h);
    assert!(
        wider.contains("[N=4]") && wider.contains("R+W=4 ≤ N"),
        "{wider}"
    );
    assert!(wider.contains("replica-4"), "{wider}");
}

#[test]
fn a_sloppy_quorum_reads_stale_across_the_partition_and_hands_off() {
    let f = demo();
    let (w, h) = (120, 40);
    let keys = [Action::NextPreset; 3];
    let mut quorum = app(&f.shared, &lab(Lab::Quorum, false), &keys, w, h);
    let stale = step_until(&mut quorum, "! stale", w, h);
    assert!(stale.contains("sloppy quorum ·"), "{stale}");
    assert!(stale.contains("network split A | B"), "{stale}");
    assert!(stale.contains("held by replica-1, spare-"), "{stale}");
    insta::assert_snapshot!("quorum_sloppy_stale_read_120x40", stale);
    let healed = step_until(&mut quorum, "heal", w, h);
    assert!(healed.contains("back to replica-"), "{healed}");
    assert!(healed.contains("← handoff"), "{healed}");
    // The same timeline with a strict quorum: A's writes fail instead, nothing reads stale.
    quorum.press(Action::Sloppy);
    let strict = render_text(&quorum, w, h);
    assert!(
        strict.contains("· strict ·") && strict.contains("  0 stale"),
        "{strict}"
    );
    assert!(!strict.contains("  0 failed     0 lost"), "{strict}");
}

#[test]
fn crashing_a_node_inserts_a_step_and_stepping_back_undoes_the_view() {
    let f = demo();
    let (w, h) = (100, 30);
    let mut quorum = app(
        &f.shared,
        &lab(Lab::Quorum, false),
        &[Action::Step; 3],
        w,
        h,
    );
    quorum.press(Action::Down);
    quorum.press(Action::FailRecover);
    let crashed = render_text(&quorum, w, h);
    // The snapshot spec opens the lab at step 12; three steps on, the crash is step 16.
    assert!(crashed.contains("step 16/39"), "{crashed}");
    assert!(crashed.contains("› 16 crash replica-2"), "{crashed}");
    assert!(crashed.contains("▸ replica-2   down"), "{crashed}");
    quorum.press(Action::StepBack);
    let before = render_text(&quorum, w, h);
    assert!(before.contains("▸ replica-2   up"), "{before}");
    quorum.press(Action::Step);
    quorum.press(Action::FailRecover);
    assert!(render_text(&quorum, w, h).contains("recover replica-2"));
    quorum.press(Action::Partition);
    let split = render_text(&quorum, w, h);
    assert!(
        split.contains("partition: client A + replica-1, spare-1, spare-2"),
        "{split}"
    );
    quorum.press(Action::ReadRepair);
    assert!(render_text(&quorum, w, h).contains("repair on"));
    quorum.press(Action::Restart);
    assert!(render_text(&quorum, w, h).contains("step 0/38"));
}

#[test]
fn the_quorum_lab_plays_a_step_a_tick_and_stops_at_the_end() {
    let f = demo();
    let mut app = App::new(f.shared.clone());
    app.resize(100, 30);
    app.go(Nav::Lab(Lab::Quorum), false);
    assert_eq!(app.tick_interval(), None, "the lab opens paused");
    app.press(Action::PlayPause);
    assert!(app.tick_interval().is_some());
    (0..5).for_each(|_| app.tick());
    assert!(render_text(&app, 100, 30).contains("▶ a step per 500ms · step 5/38"));
    app.press(Action::Faster);
    (0..50).for_each(|_| app.tick());
    let text = render_text(&app, 100, 30);
    assert!(text.contains("■ end · step 38/38"), "{text}");
    assert_eq!(app.tick_interval(), None);
    // The footer offers no key of the other labs.
    assert!(
        !text.contains("algorithm") && !text.contains("compare"),
        "{text}"
    );
}

#[test]
fn ring_lookup_explains_a_typed_key() {
    let f = demo();
    let mut app = app(&f.shared, &lab(Lab::HashRing, false), &[], 100, 30);
    app.press(Action::Search);
    // `q` and `a` are text while the field is open, not quit and add.
    "quay\u{7}".chars().for_each(|c| app.type_char(c));
    assert!(!app.should_quit());
    let text = render_text(&app, 100, 30);
    assert!(text.contains("key quay▏"), "{text}");
    assert!(text.contains("first point clockwise"), "{text}");
    assert!(text.contains("6 nodes"), "{text}");
    insta::assert_snapshot!("ring_lookup_100x30", text);
    for algo in ["jumped through", "highest wins", "table slot", "may hold"] {
        app.press(Action::NextAlgo);
        let text = render_text(&app, 100, 30);
        assert!(text.contains(algo), "{algo}: {text}");
    }
    app.press(Action::Back);
    let text = render_text(&app, 100, 30);
    assert!(!text.contains("Look up a key"), "{text}");
}

/// The value right after `label` on the first line that has it.
fn figure<'a>(text: &'a str, label: &str) -> &'a str {
    let line = text.lines().find(|l| l.contains(label)).unwrap_or("");
    let rest = &line[line.find(label).map_or(0, |i| i + label.len())..];
    rest.split_whitespace().next().unwrap_or("")
}

#[test]
fn changing_a_parameter_changes_the_numbers() {
    let f = demo();
    let (w, h) = (120, 40);
    let mut ring = app(&f.shared, &lab(Lab::HashRing, false), &[], w, h);
    let before = render_text(&ring, w, h);
    ring.press(Action::More);
    let after = render_text(&ring, w, h);
    assert!(before.contains("6 nodes × 10 vnodes"), "{before}");
    assert!(after.contains("6 nodes × 20 vnodes"), "{after}");
    let (a, b) = (figure(&before, "rel. stdev"), figure(&after, "rel. stdev"));
    assert_ne!(a, b, "more virtual nodes change the spread");
    ring.press(Action::Longer);
    let keys = render_text(&ring, w, h);
    assert!(keys.contains("30,000 keys"), "{keys}");
    ring.press(Action::AddItem);
    let added = render_text(&ring, w, h);
    assert!(added.contains("7 nodes"), "{added}");
    assert!(added.contains("of keys on add node-6"), "{added}");
    assert!(added.contains("1/(N+1) = 1/7 = 14.3%"), "{added}");

    let mut limiter = app(&f.shared, &lab(Lab::RateLimiter, false), &[], w, h);
    let before = render_text(&limiter, w, h);
    limiter.press(Action::More);
    (0..30).for_each(|_| limiter.press(Action::Step));
    let after = render_text(&limiter, w, h);
    assert!(
        before.contains("10 per 1s · bursts of 20 every 2s · capacity 10,"),
        "{before}"
    );
    assert!(
        after.contains("20 per 1s · bursts of 40 every 2s · capacity 20,"),
        "{after}"
    );
    assert_ne!(figure(&before, "│admitted"), figure(&after, "│admitted"));
    limiter.press(Action::Longer);
    let longer = render_text(&limiter, w, h);
    assert!(longer.contains("20 per 2s"), "{longer}");
    assert!(
        longer.contains("t = 0s"),
        "a new setting starts the run over: {longer}"
    );
}

#[test]
fn the_limiter_plays_in_simulated_time_from_the_injected_clock() {
    let f = demo();
    let start: jiff::Timestamp = NOW.parse().unwrap();
    let clock = Rc::new(Cell::new(start));
    let shared = Rc::try_unwrap(f.shared).ok().expect("one owner");
    let seen = clock.clone();
    let shared = Rc::new(shared.with_clock(Rc::new(move || seen.get())));
    let mut app = App::new(shared);
    app.resize(100, 30);
    app.go(Nav::Lab(Lab::RateLimiter), false);
    assert!(app.tick_interval().is_some(), "a lab opens playing");
    let advance = |app: &mut App, ms: i64| {
        clock.set(clock.get() + jiff::SignedDuration::from_millis(ms));
        app.tick();
    };
    (0..10).for_each(|_| advance(&mut app, 100));
    assert!(render_text(&app, 100, 30).contains("t = 1s"));
    // Faster: two simulated seconds per real one.
    app.press(Action::Faster);
    (0..10).for_each(|_| advance(&mut app, 100));
    assert!(render_text(&app, 100, 30).contains("▶ 2× · t = 3s"));
    // A long gap (a suspended terminal) counts as a short one.
    advance(&mut app, 60_000);
    assert!(render_text(&app, 100, 30).contains("t = 3.5s"));
    app.press(Action::PlayPause);
    assert_eq!(app.tick_interval(), None);
    advance(&mut app, 1_000);
    let text = render_text(&app, 100, 30);
    assert!(text.contains("⏸ paused · t = 3.5s"), "{text}");
    // Burst at 3.5s: the bucket holds 10 tokens again after the burst at 2s.
    app.press(Action::Burst);
    let text = render_text(&app, 100, 30);
    assert!(text.contains(" 0/10"), "{text}");
}

#[test]
fn home_and_notes_open_the_labs() {
    let f = demo();
    let mut app = app_at(f.shared.clone(), &ScreenSpec::Home, 100, 30);
    assert!(render_text(&app, 100, 30).contains("open the labs"));
    app.press(Action::Labs);
    let menu = render_text(&app, 100, 30);
    assert!(menu.contains("Rate limiter"), "{menu}");
    app.press(Action::Open);
    assert!(render_text(&app, 100, 30).contains("› Hash ring"));
    app.press(Action::Back);
    app.press(Action::Down);
    app.press(Action::Open);
    assert!(render_text(&app, 100, 30).contains("› Rate limiter"));

    let mut app = app_at(f.shared.clone(), &ScreenSpec::Home, 100, 30);
    app.go(
        Nav::Note {
            pack: "demo".into(),
            id: "queues".into(),
            anchor: None,
        },
        false,
    );
    app.press(Action::OpenLab);
    let text = render_text(&app, 100, 30);
    assert!(text.contains("› Rate limiter"), "{text}");
}

#[test]
fn lab_keys_leave_the_global_ones_alone() {
    let map = Keymap::default();
    let globals = [
        (Key::ch('q'), Action::Quit),
        (Key::ch('?'), Action::Help),
        (Key::plain(KeyCode::Esc), Action::Back),
        (Key::ctrl('p'), Action::Finder),
        (Key::ch('H'), Action::GoHome),
        (Key::ch('L'), Action::Library),
        (Key::ch('j'), Action::Down),
        (Key::ch('k'), Action::Up),
        (Key::plain(KeyCode::Up), Action::Up),
        (Key::plain(KeyCode::Down), Action::Down),
    ];
    for (key, action) in globals {
        assert_eq!(map.lookup(key, &[Scope::Lab]), Some(action), "{key}");
    }
    assert_eq!(map.lookup(Key::ch(' '), &[Scope::Lab]), Some(Action::Fire));
    assert_eq!(map.lookup(Key::ch('b'), &[Scope::Lab]), Some(Action::Burst));
    assert_eq!(
        map.lookup(Key::ch('/'), &[Scope::Lab]),
        Some(Action::Search)
    );
}

#[test]
fn any_size_renders_without_panicking() {
    let f = demo();
    let mut sizes = vec![(1, 1), (59, 17), (60, 18), (61, 19), (200, 60)];
    sizes.extend(
        (1..=200)
            .step_by(13)
            .flat_map(|w| (1..=60).step_by(7).map(move |h| (w, h))),
    );
    for (name, spec, keys) in views() {
        let mut app = app(&f.shared, &spec, &keys, 80, 24);
        for &(w, h) in &sizes {
            app.resize(w, h);
            let text = render_text(&app, w, h);
            assert_eq!(text.lines().count(), usize::from(h), "{name} at {w}x{h}");
        }
    }
    let mut app = app(&f.shared, &lab(Lab::HashRing, false), &[], 60, 18);
    app.press(Action::Search);
    "a-very-long-key-name-that-will-not-fit"
        .chars()
        .for_each(|c| app.type_char(c));
    for &(w, h) in &sizes {
        render_text(&app, w, h);
    }
}

#[test]
fn the_balancer_lab_at_the_smallest_size() {
    let f = demo();
    let text = render_text(
        &app(&f.shared, &lab(Lab::LoadBalancer, false), &[], 60, 18),
        60,
        18,
    );
    insta::assert_snapshot!("balancer_60x18", text);
}

#[test]
fn the_balancer_lab_follows_load_fleet_and_focus() {
    let f = demo();
    let (w, h) = (120, 40);
    let mut lb = app(&f.shared, &lab(Lab::LoadBalancer, false), &[], w, h);
    let before = render_text(&lb, w, h);
    assert!(
        before.contains("8 servers · 90% load · 720 req/s · 10ms exp service · all healthy"),
        "{before}"
    );
    // 8 servers at 90%: M/M/1 per server under random assignment, mean 10ms/(1-0.9).
    assert!(before.contains("10ms/(1-0.9) = 100ms"), "{before}");
    lb.press(Action::Less);
    (0..60).for_each(|_| lb.press(Action::Step));
    let lighter = render_text(&lb, w, h);
    assert!(
        lighter.contains("8 servers · 80% load · 640 req/s"),
        "{lighter}"
    );
    assert!(lighter.contains("10ms/(1-0.8) = 50ms"), "{lighter}");
    assert_ne!(
        figure(&before, "│  random"),
        figure(&lighter, "│  random"),
        "less load, shorter queues"
    );
    lb.press(Action::AddItem);
    let grown = render_text(&lb, w, h);
    assert!(
        grown.contains("9 servers · 80% load · 720 req/s"),
        "{grown}"
    );
    assert!(grown.contains("│s8 "), "every server gets a row: {grown}");
    assert!(
        grown.contains("t = 0s"),
        "a new setting starts over: {grown}"
    );
    lb.press(Action::FailServer);
    let refusing = render_text(&lb, w, h);
    assert!(!refusing.contains("all healthy") && refusing.contains("1 refusing"));
    assert!(refusing.contains("│s0  !"), "{refusing}");
    lb.press(Action::FailServer);
    assert!(render_text(&lb, w, h).contains("1 hanging 1s"));
    lb.press(Action::SlowServer);
    let slow = render_text(&lb, w, h);
    assert!(slow.contains("1 slow 4x, 1 hanging 1s"), "{slow}");
    assert!(slow.contains("│s1  ~"), "{slow}");
    lb.press(Action::Traffic);
    assert!(
        render_text(&lb, w, h).contains("10ms "),
        "service times change"
    );
    lb.press(Action::NextAlgo);
    let focus = render_text(&lb, w, h);
    assert!(focus.contains("▸ hash ring"), "{focus}");
    assert!(focus.contains("Servers under hash ring"), "{focus}");
}

#[test]
fn the_balancer_lab_plays_on_ticks() {
    let f = demo();
    let mut app = App::new(f.shared.clone());
    app.resize(100, 30);
    app.go(Nav::Lab(Lab::LoadBalancer), false);
    assert!(app.tick_interval().is_some(), "the lab opens playing");
    (0..20).for_each(|_| app.tick());
    assert!(render_text(&app, 100, 30).contains("▶ 50ms/tick · t = 1s"));
    app.press(Action::Faster);
    (0..10).for_each(|_| app.tick());
    assert!(render_text(&app, 100, 30).contains("▶ 100ms/tick · t = 2s"));
    app.press(Action::PlayPause);
    assert_eq!(app.tick_interval(), None, "nothing ticks while paused");
    app.press(Action::Step);
    let text = render_text(&app, 100, 30);
    assert!(text.contains("⏸ paused · t = 2.1s"), "{text}");
}
