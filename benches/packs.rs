//! Loading and checking a large pack: 1,000 notes, 20,000 cards, 5,000 questions.

use criterion::{Criterion, criterion_group, criterion_main};
use sysdeck::content::{Candidate, Library, Origin};

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
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = load
}
criterion_main!(benches);
