//! Long fuzzing runs of the parsers that read strangers' input: the pack loader, the note
//! renderer, the progress importer and the compiled pack index. Mutated valid inputs and random bytes, for as long as
//! `SYSDECK_FUZZ_SECONDS` says (default 20 per target). Ignored by `cargo test`, so CI's time
//! budget is not spent here; run them with
//!
//! ```sh
//! SYSDECK_FUZZ_SECONDS=600 cargo test --release --test fuzz_long -- --ignored --nocapture
//! ```

use std::time::{Duration, Instant};

use jiff::Timestamp;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use sysdeck::content::markdown::Document;
use sysdeck::content::parse::parse_pack;
use sysdeck::content::source::{Listing, RawFile};
use sysdeck::content::{Candidate, Library, Origin, cache};
use sysdeck::export::{self, Limits};
use sysdeck::safe_text::is_forbidden;
use sysdeck::srs::{Grade, ItemKey};
use sysdeck::store::Store;
use sysdeck::tui::markdown::layout;
use sysdeck::tui::theme::Theme;

#[path = "support/mutate.rs"]
mod mutate;
use mutate::{apply, edit};

const MANIFEST: &str = include_str!("../content/aws-saa/pack.toml");
const NOTE: &str = include_str!("fixtures/markdown-all.md");
const DECK: &str = include_str!("../content/system-design/decks/caching.toml");

fn budget() -> Duration {
    let secs = std::env::var("SYSDECK_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    Duration::from_secs(secs)
}

/// Runs `check` on inputs drawn from `strategy` until the time budget is spent; prints how
/// many inputs it tried, and panics with the (shrunk) input on the first failure.
fn fuzz<S: Strategy>(name: &str, strategy: S, check: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    const ROUND: u32 = 512;
    let config = Config {
        cases: ROUND,
        failure_persistence: None,
        ..Config::default()
    };
    // A runner stops after `cases` successes, so each round gets a fresh one, seeded from here.
    let mut seeds = TestRunner::default();
    let start = Instant::now();
    let mut execs: u64 = 0;
    while start.elapsed() < budget() {
        let mut runner = TestRunner::new_with_rng(config.clone(), seeds.new_rng());
        if let Err(e) = runner.run(&strategy, &check) {
            panic!("{name}: failed after {execs} inputs: {e}");
        }
        execs += u64::from(ROUND);
    }
    println!(
        "{name}: {execs} inputs in {:.0} s ({:.0}/s), no failure",
        start.elapsed().as_secs_f64(),
        execs as f64 / start.elapsed().as_secs_f64()
    );
}

fn file(rel: &str, bytes: Vec<u8>) -> RawFile {
    RawFile::in_memory(rel, bytes)
}

fn clean(what: &str, text: &str) -> Result<(), TestCaseError> {
    match text.chars().find(|&c| is_forbidden(c)) {
        Some(c) => Err(TestCaseError::fail(format!(
            "{what} holds raw U+{:04X}: {text:?}",
            c as u32
        ))),
        None => Ok(()),
    }
}

#[test]
#[ignore = "long fuzzing run; see the module docs"]
fn fuzz_pack_loader() {
    let mutated = (
        prop::collection::vec(edit(), 0..6),
        prop::collection::vec(edit(), 0..10),
        prop::collection::vec(edit(), 0..10),
    )
        .prop_map(|(m, n, d)| (apply(MANIFEST, &m), apply(NOTE, &n), apply(DECK, &d)));
    let random = (
        prop::collection::vec(any::<u8>(), 0..400),
        prop::collection::vec(any::<u8>(), 0..400),
        prop::collection::vec(any::<u8>(), 0..400),
    );
    fuzz(
        "pack loader",
        prop_oneof![4 => mutated, 1 => random],
        |(manifest, note, deck)| {
            let parsed = parse_pack(
                "fuzz",
                Listing {
                    manifest: Some(file("pack.toml", manifest)),
                    files: vec![file("decks/d.toml", deck), file("notes/n.md", note)],
                    problems: Vec::new(),
                    ..Listing::default()
                },
            );
            for diag in &parsed.diagnostics {
                clean("a rendered diagnostic", &diag.render(&parsed.sources))?;
            }
            Ok(())
        },
    );
}

#[test]
#[ignore = "long fuzzing run; see the module docs"]
fn fuzz_markdown_renderer() {
    let mutated = prop::collection::vec(edit(), 0..12).prop_map(|e| apply(NOTE, &e));
    let random = prop::collection::vec(any::<u8>(), 0..600);
    let theme = Theme::dark();
    fuzz(
        "markdown renderer",
        (prop_oneof![4 => mutated, 1 => random], 1u16..240),
        |(bytes, width)| {
            let text = String::from_utf8_lossy(&bytes);
            let rendered = layout(&Document::parse(&text), width, &theme);
            for line in &rendered.lines {
                prop_assert!(line.width() <= usize::from(width), "{line:?} at {width}");
                for span in &line.spans {
                    clean("a rendered line", &span.content)?;
                }
            }
            Ok(())
        },
    );
}

/// A real progress file to mutate: a few graded cards written by the exporter itself.
fn seed_export() -> String {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let scheduler = store.scheduler(jiff::tz::TimeZone::UTC).unwrap();
    let start: Timestamp = "2026-11-01T10:00:00Z".parse().unwrap();
    for (i, grade) in [Grade::Good, Grade::Again, Grade::Easy, Grade::Hard]
        .iter()
        .enumerate()
    {
        let key = ItemKey::new(format!("system-design/card-{}", i % 2));
        let before = store.state(&key).unwrap();
        let at = start + jiff::SignedDuration::from_hours(30 * i as i64);
        let answer = scheduler
            .grade(&key, before.as_ref(), *grade, at, 4_000)
            .unwrap();
        store.record(&answer, &scheduler).unwrap();
    }
    let mut out = Vec::new();
    export::write(&store.export_progress().unwrap(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
#[ignore = "long fuzzing run; see the module docs"]
fn fuzz_progress_importer() {
    let seed = seed_export();
    let mutated = prop::collection::vec(edit(), 0..10).prop_map(move |e| apply(&seed, &e));
    let random = prop::collection::vec(any::<u8>(), 0..600);
    let now: Timestamp = "2026-12-05T00:00:00Z".parse().unwrap();
    fuzz(
        "progress importer",
        prop_oneof![4 => mutated, 1 => random],
        |bytes| {
            match export::read(&bytes[..], Limits::default(), now) {
                Ok(parsed) => {
                    for bad in &parsed.bad {
                        clean("a bad-line message", &bad.problem)?;
                    }
                }
                Err(e) => clean("an import error", &e.to_string())?,
            }
            Ok(())
        },
    );
}

/// An index the loader wrote for the demo pack: the seed the index fuzzer mutates.
fn seed_index() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let pack = std::path::Path::new("tests/packs/demo");
    let cand = Candidate::disk(pack, Origin::Extra(pack.to_path_buf()));
    let path = cache::index_path(dir.path(), &cand);
    Library::from_candidates_in(vec![cand], Some(dir.path()));
    std::fs::read(path).unwrap()
}

#[test]
#[ignore = "long fuzzing run; see the module docs"]
fn fuzz_pack_index() {
    let seed = seed_index();
    assert!(cache::probe(&seed) > 0, "the seed decodes");
    let len = seed.len();
    let edits = (
        prop::collection::vec((0..len, any::<u8>()), 0..16),
        // Mostly whole, so the flips reach the works behind the table.
        prop_oneof![3 => Just(len), 1 => 0..len],
        prop::collection::vec(any::<u8>(), 0..32),
    );
    // The decoder behind the hashes: flipped bytes, cuts and junk never panic it.
    fuzz("pack index", edits, |(flips, keep, junk)| {
        let mut bytes = seed.clone();
        for (at, x) in flips {
            bytes[at] ^= x;
        }
        bytes.truncate(keep.max(1));
        bytes.extend(junk);
        cache::probe(&bytes);
        Ok(())
    });
    fuzz(
        "pack index, random bytes",
        prop::collection::vec(any::<u8>(), 0..4096),
        |bytes| {
            cache::probe(&bytes);
            Ok(())
        },
    );
}
