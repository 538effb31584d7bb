//! Loading and checking a large pack (1,000 notes, 20,000 cards, 5,000 questions), and the
//! review catalog built from it.

use criterion::{Criterion, criterion_group, criterion_main};
use sysdeck::content::{Candidate, Library, Origin};
use sysdeck::srs::Catalog;

#[path = "support/synth.rs"]
mod synth;

/// Peak resident memory of this process so far, from /proc (Linux only).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn load(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("synthetic");
    synth::write_pack(&root, 1_000, 20_000, 5_000);
    let before = peak_rss_kib();
    let lib = Library::from_candidates(vec![Candidate::disk(&root, Origin::Extra(root.clone()))]);
    let pack = &lib.packs[0];
    assert_eq!(
        (pack.notes.len(), pack.cards.len(), pack.questions.len()),
        (1_000, 20_000, 5_000)
    );
    assert_eq!(lib.error_count(), 0, "{}", lib.reports[0].render());
    drop(lib);
    if let (Some(b), Some(a)) = (before, peak_rss_kib()) {
        eprintln!("peak RSS before load {b} KiB, after one load {a} KiB");
    }
    c.bench_function("load and check 1k notes / 20k cards / 5k questions", |b| {
        b.iter(|| {
            Library::from_candidates(vec![Candidate::disk(&root, Origin::Extra(root.clone()))])
        })
    });
    let cache = dir.path().join("cache");
    let through_index = || {
        Library::from_candidates_in(
            vec![Candidate::disk(&root, Origin::Extra(root.clone()))],
            Some(&cache),
        )
    };
    c.bench_function(
        "first run: load, check and write the pack index (20k cards)",
        |b| {
            b.iter(|| {
                let _ = std::fs::remove_dir_all(&cache);
                through_index()
            })
        },
    );
    through_index();
    let before = peak_rss_kib();
    let warm = through_index();
    assert_eq!(warm.reports[0].compiled_files, 0);
    drop(warm);
    if let (Some(b), Some(a)) = (before, peak_rss_kib()) {
        eprintln!("peak RSS before warm load {b} KiB, after {a} KiB");
    }
    c.bench_function("warm start: load from the pack index (20k cards)", |b| {
        b.iter(through_index)
    });
    // The other large step before a warm start's first frame: one review entry per card
    // face and question, with its topic, domain, tags and place.
    let lib = through_index();
    c.bench_function(
        "catalog of the loaded pack (20k cards, 5k questions)",
        |b| b.iter(|| Catalog::from_library(&lib)),
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = load
}
criterion_main!(benches);
