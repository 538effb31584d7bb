//! The app's responsiveness: time to the first frame of home and of the study screen from
//! process start (a 500-card and a 20,000-card pack, first run and warm, with the pack
//! index), and fuzzy finder latency per keystroke over 50,000 entries, inline and through the
//! worker thread.

use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32String};
use sysdeck::content::{Candidate, Library, Origin};
use sysdeck::search::{Index, Searcher};

#[path = "support/synth.rs"]
mod synth;

/// The real binary rendering home (process start, pack loading, index, first frame, exit).
fn first_frame(c: &mut Criterion) {
    let bin = env!("CARGO_BIN_EXE_sysdeck");
    let data = tempfile::tempdir().unwrap();
    c.bench_function("process start to first home frame (built-in packs)", |b| {
        b.iter(|| {
            let out = Command::new(bin)
                .args(["snapshot", "--screen", "home", "--size", "120x40"])
                .env("SYSDECK_DATA_DIR", data.path())
                .output()
                .unwrap();
            assert!(out.status.success());
        })
    });
}

/// The real binary drawing the study screen of a generated pack, through the pack index in
/// `cache` (emptied first when `first_run`).
fn study_screen(bin: &str, pack: &std::path::Path, data: &std::path::Path, first_run: bool) {
    let cache = data.join("cache");
    if first_run {
        let _ = std::fs::remove_dir_all(&cache);
    }
    let out = Command::new(bin)
        .args(["--no-builtin", "--pack"])
        .arg(pack)
        .args(["snapshot", "--screen", "review", "--size", "120x40"])
        .env("SYSDECK_DATA_DIR", data)
        .env("SYSDECK_CACHE_DIR", &cache)
        .output()
        .unwrap();
    assert!(out.status.success());
}

fn start_to_study(c: &mut Criterion) {
    let bin = env!("CARGO_BIN_EXE_sysdeck");
    let dir = tempfile::tempdir().unwrap();
    for (label, notes, cards, questions) in [("500", 25, 500, 125), ("20k", 1_000, 20_000, 5_000)] {
        let pack = dir.path().join(format!("pack-{label}"));
        synth::write_pack(&pack, notes, cards, questions);
        let data = dir.path().join(format!("data-{label}"));
        c.bench_function(
            &format!("process start to study screen, {label} cards, warm"),
            |b| {
                study_screen(bin, &pack, &data, true);
                b.iter(|| study_screen(bin, &pack, &data, false))
            },
        );
        c.bench_function(
            &format!("process start to study screen, {label} cards, first run"),
            |b| b.iter(|| study_screen(bin, &pack, &data, true)),
        );
    }
}

/// Times every prefix of every query, twenty rounds, as keystrokes.
fn per_keystroke(queries: &[&str], mut run: impl FnMut(&str)) -> Vec<Duration> {
    let mut samples = Vec::new();
    for _ in 0..20 {
        for q in queries {
            for end in 1..=q.len() {
                let t = Instant::now();
                run(&q[..end]);
                samples.push(t.elapsed());
            }
            run("");
        }
    }
    samples.sort();
    samples
}

fn report(what: &str, samples: Vec<Duration>) {
    eprintln!(
        "{what}: per keystroke over {} samples: p50 {:?}, p90 {:?}, p99 {:?}, max {:?}",
        samples.len(),
        pct(&samples, 0.5),
        pct(&samples, 0.9),
        pct(&samples, 0.99),
        samples[samples.len() - 1]
    );
}

/// Percentile of sorted durations.
fn pct(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn keystrokes(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("synthetic");
    synth::write_pack(&root, 1_200, 24_000, 6_000);
    let lib = Library::from_candidates(vec![Candidate::disk(&root, Origin::Extra(root.clone()))]);
    let queries = [
        "replica",
        "token bucket",
        "shard leader",
        "qrm",
        "cache window",
    ];

    // Every prefix of every query, typed in order, as the finder sees them.
    let mut index = Index::build(&lib);
    eprintln!("index entries: {}", index.len());
    assert!(index.len() >= 50_000);
    let samples = per_keystroke(&queries, |q| {
        std::hint::black_box(index.query(q, 200));
    });
    report(
        "the finder's index (skim's simple algorithm on windows, bounded; full algorithm orders the results)",
        samples,
    );

    // What the app does per keystroke: send the query to the worker, take the answer with
    // its entries copied out, ready to draw.
    let searcher = Searcher::worker(std::sync::Arc::new(lib.clone()));
    searcher.request("", 200);
    searcher.wait(Duration::from_secs(60)).unwrap();
    let samples = per_keystroke(&queries, |q| {
        searcher.request(q, 200);
        std::hint::black_box(searcher.wait(Duration::from_secs(60)).unwrap());
    });
    report("worker round trip (request to answer on screen)", samples);

    // The same haystacks and keystrokes through nucleo-matcher, for comparison: haystacks
    // converted once, as an index would keep them, and only the top 200 kept per query.
    let haystacks: Vec<Utf32String> = index
        .entries()
        .iter()
        .map(|e| Utf32String::from(e.text.as_str()))
        .collect();
    let mut matcher = Matcher::new(Config::DEFAULT);
    let samples = per_keystroke(&queries, |q| {
        let pattern = Pattern::parse(q, CaseMatching::Ignore, Normalization::Smart);
        let mut scored: Vec<(usize, u32)> = haystacks
            .iter()
            .enumerate()
            .filter_map(|(i, h)| pattern.score(h.slice(..), &mut matcher).map(|s| (i, s)))
            .collect();
        let keep = scored.len().min(200);
        if keep > 0 && keep < scored.len() {
            scored.select_nth_unstable_by(keep, |a, b| b.1.cmp(&a.1));
        }
        scored.truncate(keep);
        std::hint::black_box(scored);
    });
    report("nucleo-matcher (one core, no prefilter)", samples);

    c.bench_function("type `replica` key by key (50k entries)", |b| {
        b.iter(|| {
            index.query("", 200);
            for end in 1..="replica".len() {
                std::hint::black_box(index.query(&"replica"[..end], 200));
            }
        })
    });
    c.bench_function("first keystroke `r` (50k entries)", |b| {
        b.iter(|| {
            index.query("", 200);
            std::hint::black_box(index.query("r", 200));
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = first_frame, start_to_study, keystrokes
}
criterion_main!(benches);
