//! The compiled pack index: a warm start loads exactly what a cold one does, a changed file is
//! compiled again alone, and a missing, unwritable, damaged or foreign cache never keeps a
//! pack from loading.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use proptest::prelude::*;
use sysdeck::content::source::PackDir;
use sysdeck::content::{Candidate, CardKind, Library, LoadOptions, Origin, cache};
use sysdeck::srs::item::Catalog;

fn candidates(packs: &[&Path]) -> Vec<Candidate> {
    packs
        .iter()
        .map(|p| Candidate::disk(p, Origin::Extra(p.to_path_buf())))
        .collect()
}

fn load(packs: &[&Path], cache: Option<&Path>) -> Library {
    Library::from_candidates_in(candidates(packs), cache)
}

/// Everything a load yields that a learner or an author sees.
fn seen(lib: &Library) -> String {
    let reports: String = lib
        .reports
        .iter()
        .map(|r| {
            format!(
                "{} {:?} {:?} {}\n{}",
                r.label,
                r.counts,
                r.skipped,
                r.loaded,
                r.render()
            )
        })
        .collect();
    format!("{:#?}\n{reports}", lib.packs)
}

/// A pack folder on disk, to list.
fn folder(pack: impl AsRef<Path>) -> PackDir {
    let pack = pack.as_ref();
    Candidate::disk(pack, Origin::Extra(pack.to_path_buf())).dir
}

fn compiled(lib: &Library) -> usize {
    lib.reports.iter().map(|r| r.compiled_files).sum()
}

/// A copy of a test pack in a temporary folder, to edit.
fn copy_pack(from: &str, to: &Path) -> PathBuf {
    let dest = to.join(Path::new(from).file_name().unwrap());
    copy_dir(Path::new(from), &dest);
    dest
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else if e.file_type().unwrap().is_file() {
            fs::copy(e.path(), &target).unwrap();
        }
    }
}

fn index_files(cache: &Path) -> Vec<PathBuf> {
    match fs::read_dir(cache.join("packs")) {
        Ok(rd) => rd.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn a_warm_start_shows_every_pack_and_diagnostic_as_a_cold_one() {
    let mut packs: Vec<PathBuf> = fs::read_dir("tests/packs/broken")
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    packs.sort();
    packs.extend(
        [
            "tests/packs/demo",
            "tests/packs/exams",
            "tests/packs/links",
            "tests/packs/lab-questions",
        ]
        .map(PathBuf::from),
    );
    for pack in &packs {
        let tmp = tempfile::tempdir().unwrap();
        let cold = seen(&load(&[pack], None));
        let first = load(&[pack], Some(tmp.path()));
        assert_eq!(seen(&first), cold, "{}: first run", pack.display());
        let warm = load(&[pack], Some(tmp.path()));
        assert_eq!(seen(&warm), cold, "{}: warm start", pack.display());
        assert!(first.cache_problem.is_none() && warm.cache_problem.is_none());
        // Symlinked packs point outside the copy; the rest must come from the index whole,
        // every pack with a usable manifest from its image at once.
        if !pack.ends_with("symlink-escape") {
            assert_eq!(
                compiled(&warm),
                0,
                "{}: nothing compiled again",
                pack.display()
            );
            assert!(
                warm.reports.iter().all(|r| r.from_image == r.id.is_some()),
                "{}: read from the pack image",
                pack.display()
            );
        }
    }
}

/// The pack at `pack` loaded from its sources, and again through an index written for it.
fn cold_and_warm(pack: &str) -> (Library, Library) {
    let tmp = tempfile::tempdir().unwrap();
    let pack = Path::new(pack);
    load(&[pack], Some(tmp.path()));
    (load(&[pack], None), load(&[pack], Some(tmp.path())))
}

#[test]
fn a_warm_start_reads_a_files_texts_only_when_one_of_them_is_shown() {
    let (cold, warm) = cold_and_warm("tests/packs/demo");
    let (cold, warm) = (&cold.packs[0], &warm.packs[0]);
    let front = |p: &sysdeck::content::Pack, id: &str| match &p
        .cards
        .iter()
        .find(|c| c.id == id)
        .unwrap()
        .kind
    {
        CardKind::Basic { front, .. } => front.clone(),
        CardKind::Cloze { text } => text.clone(),
    };
    assert!(warm.notes.iter().all(|n| !n.body.is_read()));
    assert!(warm.questions.iter().all(|q| !q.stem.is_read()));
    // decks/caching.toml and decks/queues.toml each have a heap of their own.
    let (cache_aside, at_least_once) = (front(warm, "cache-aside"), front(warm, "at-least-once"));
    assert!(!cache_aside.is_read() && !at_least_once.is_read());
    assert_eq!(cache_aside, front(cold, "cache-aside"));
    assert!(
        front(warm, "stampede").is_read(),
        "the same file's texts come with it"
    );
    assert!(!at_least_once.is_read(), "another file's do not");
    assert_eq!(warm.notes[0].body, cold.notes[0].body);
    assert!(!warm.notes[1].body.is_read());
}

#[test]
fn a_warm_start_decodes_only_the_cards_and_questions_a_screen_shows() {
    let (cold, warm) = cold_and_warm("tests/packs/demo");
    let (cards, questions) = (&warm.packs[0].cards, &warm.packs[0].questions);
    let encoded = || !cards.are_decoded() && !questions.are_decoded();
    assert!(
        from_image(&warm) && encoded(),
        "the load's own checks read heads only"
    );
    // What a review start does: the catalog, then the face of one item.
    let catalog = Catalog::from_library(&warm);
    assert_eq!(catalog.len(), Catalog::from_library(&cold).len());
    assert!(encoded(), "the catalog reads the items' heads only");
    for question in [false, true] {
        let entry = catalog
            .entries()
            .iter()
            .find(|e| e.is_question() == question)
            .unwrap();
        let face = entry.item().face(&warm).unwrap();
        assert_eq!(Some(face), entry.item().face(&cold));
    }
    assert!(encoded(), "one card and one question are decoded alone");
    // A screen that lists every item decodes them all, the same as from the sources.
    let all = |p: &sysdeck::content::Pack| format!("{:?} {:?}", p.cards, p.questions);
    assert_eq!(all(&warm.packs[0]), all(&cold.packs[0]));
    assert!(cards.are_decoded() && questions.are_decoded());
}

#[test]
fn lab_questions_come_back_from_the_index_with_their_generator_and_lazy_template() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = Path::new("tests/packs/lab-questions");
    let cold = load(&[pack], None);
    load(&[pack], Some(tmp.path()));
    let warm = load(&[pack], Some(tmp.path()));
    assert_eq!(compiled(&warm), 0);
    let find = |lib: &Library| {
        let q = lib.packs[0].questions.iter().find(|q| q.id == "ring-join");
        q.unwrap().clone()
    };
    let (cold, warm) = (find(&cold), find(&warm));
    let template = warm.lab.as_ref().unwrap().template.as_ref().unwrap();
    assert!(
        !template.is_read(),
        "the template stays in the index until asked for"
    );
    assert_eq!(warm.lab, cold.lab);
    // The same seed makes the same question from either.
    let (a, b) = (cold.generated(5).unwrap(), warm.generated(5).unwrap());
    assert_eq!((a.0.stem, a.1), (b.0.stem, b.1));
}

#[test]
fn a_changed_file_is_compiled_again_alone_and_the_index_follows() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = copy_pack("tests/packs/demo", tmp.path());
    let cache = tmp.path().join("cache");
    let first = load(&[&pack], Some(&cache));
    assert!(compiled(&first) > 2);
    let deck = fs::read_dir(pack.join("decks"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let text = fs::read_to_string(&deck).unwrap();
    fs::write(
        &deck,
        format!("{text}\n[[cards]]\nid = \"added-card\"\nfront = \"New?\"\nback = \"Yes.\"\n"),
    )
    .unwrap();
    let edited = load(&[&pack], Some(&cache));
    assert_eq!(compiled(&edited), 1, "only the edited deck");
    assert!(edited.packs[0].cards.iter().any(|c| c.id == "added-card"));
    assert_eq!(seen(&edited), seen(&load(&[&pack], None)));
    // The same bytes written again (a new stamp) keep their work: they hash the same.
    fs::write(&deck, fs::read(&deck).unwrap()).unwrap();
    let touched = load(&[&pack], Some(&cache));
    assert_eq!(compiled(&touched), 0);
    // The rewritten index knows the edit: the next start compiles nothing.
    let next = load(&[&pack], Some(&cache));
    assert_eq!(compiled(&next), 0);
    assert!(next.packs[0].cards.iter().any(|c| c.id == "added-card"));
}

fn from_image(lib: &Library) -> bool {
    lib.reports.iter().all(|r| r.from_image)
}

/// Flips one byte of an index.
fn flip(index: &Path, at: impl FnOnce(&[u8]) -> usize) {
    let mut bytes = fs::read(index).unwrap();
    let at = at(&bytes);
    bytes[at] ^= 0x20;
    fs::write(index, bytes).unwrap();
}

// A file changed less than two seconds before the index was written is checked by hash on
// the next start, not trusted by its stamp: these tests use the repository's own packs, whose
// files are older than that, rather than fresh copies.
#[test]
fn a_start_with_no_file_changed_reads_the_whole_pack_from_its_image() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = Path::new("tests/packs/demo");
    let cache = tmp.path().join("cache");
    let first = load(&[pack], Some(&cache));
    assert!(!from_image(&first), "a first run has no index yet");
    let warm = load(&[pack], Some(&cache));
    assert!(from_image(&warm));
    assert_eq!(compiled(&warm), 0);
    assert_eq!(seen(&warm), seen(&load(&[pack], None)));
}

/// A pack compiled once into a fresh cache under `tmp`: the cache and its one index file.
fn indexed(pack: &Path, tmp: &Path) -> (PathBuf, PathBuf) {
    let cache = tmp.join("cache");
    load(&[pack], Some(&cache));
    let [index] = index_files(&cache).try_into().unwrap();
    (cache, index)
}

#[test]
fn a_damaged_image_gives_way_to_each_files_work_and_is_written_again() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = Path::new("tests/packs/demo");
    let cold = seen(&load(&[pack], None));
    let (cache, index) = indexed(pack, tmp.path());
    // The image is the last part of the index.
    flip(&index, |b| b.len() - 1);
    let lib = load(&[pack], Some(&cache));
    assert_eq!(seen(&lib), cold);
    assert!(!from_image(&lib));
    assert_eq!(compiled(&lib), 0, "the files' works are sound");
    assert!(lib.cache_problem.is_none());
    assert!(from_image(&load(&[pack], Some(&cache))));
}

/// The front of card `id` as the pack's own files give it.
fn front_in_sources(pack: &Path, id: &str) -> String {
    match &load(&[pack], None).packs[0]
        .cards
        .iter()
        .find(|c| c.id == id)
        .unwrap()
        .kind
    {
        CardKind::Basic { front, .. } => front.to_string(),
        CardKind::Cloze { text } => text.to_string(),
    }
}

/// Flips a byte of `text` where the index holds it: texts lie in their file's heap as
/// written, and the image only points at them.
fn damage_text(index: &Path, text: &str) {
    flip(index, |b| {
        b.windows(text.len())
            .position(|w| w == text.as_bytes())
            .expect("the text is in the index")
    });
}

#[test]
fn a_damaged_text_heap_is_compiled_again_from_its_file_when_read() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = Path::new("tests/packs/demo");
    let cold = seen(&load(&[pack], None));
    let (cache, index) = indexed(pack, tmp.path());
    damage_text(&index, &front_in_sources(pack, "cache-aside"));
    let lib = load(&[pack], Some(&cache));
    // A start reads only the heaps its first screen shows, so the damage is found on reading.
    assert!(from_image(&lib));
    assert_eq!(compiled(&lib), 0);
    assert_eq!(seen(&lib), cold, "no text is unavailable");
    assert!(!index.exists(), "the damaged index is removed");
    let again = load(&[pack], Some(&cache));
    assert_eq!(seen(&again), cold);
    assert!(!from_image(&again), "the next start compiles the pack");
    assert!(
        from_image(&load(&[pack], Some(&cache))),
        "and writes it again"
    );
}

#[test]
fn an_image_serves_only_the_roster_it_was_made_for() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = Path::new("tests/packs/broken/duplicate-id");
    let cache = tmp.path().join("cache");
    load(&[pack], Some(&cache));
    assert!(from_image(&load(&[pack], Some(&cache))));
    // The same folder under another name shares the index; diagnostics name files by it.
    let other = Path::new("tests/packs/broken/./duplicate-id");
    let lib = load(&[other], Some(&cache));
    assert!(!from_image(&lib));
    assert_eq!(seen(&lib), seen(&load(&[other], None)));
    assert!(lib.reports[0].render().contains("broken/./duplicate-id/"));
    assert!(from_image(&load(&[other], Some(&cache))));
}

#[test]
fn a_new_domain_compiles_the_pack_again() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = copy_pack("tests/packs/exams", tmp.path());
    let cache = tmp.path().join("cache");
    load(&[&pack], Some(&cache));
    let manifest = pack.join("pack.toml");
    let text = fs::read_to_string(&manifest).unwrap();
    fs::write(
        &manifest,
        format!("{text}\n[[domains]]\nid = \"extra\"\nname = \"Extra\"\nweight = 0\n"),
    )
    .unwrap();
    let after = load(&[&pack], Some(&cache));
    assert_eq!(seen(&after), seen(&load(&[&pack], None)));
    assert!(compiled(&after) > 0);
}

#[test]
fn garbage_truncated_or_foreign_indexes_are_rebuilt_silently() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = Path::new("tests/packs/demo");
    let cold = seen(&load(&[pack], None));
    let (cache, index) = indexed(pack, tmp.path());
    let good = fs::read(&index).unwrap();
    let mut flipped = good.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x40;
    let mut foreign = good.clone();
    foreign[..8].copy_from_slice(b"NOTMINE!");
    let damaged: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"garbage".repeat(1000),
        good[..good.len() / 3].to_vec(),
        good[..20].to_vec(),
        flipped,
        foreign,
    ];
    for bytes in damaged {
        fs::write(&index, &bytes).unwrap();
        let lib = load(&[pack], Some(&cache));
        assert_eq!(seen(&lib), cold);
        assert!(lib.cache_problem.is_none(), "rebuilt without a word");
        // A damaged text heap is found only when read (as `seen` reads every text): its index
        // is removed then, and the start after compiles and writes it again.
        load(&[pack], Some(&cache));
        assert_eq!(
            compiled(&load(&[pack], Some(&cache))),
            0,
            "and rebuilt whole"
        );
    }
}

#[test]
fn a_cache_that_cannot_be_written_costs_one_warning_and_nothing_else() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = Path::new("tests/packs/demo");
    // A file where the cache folder should be: no folder can be made there, even by root.
    let blocked = tmp.path().join("not-a-folder");
    fs::write(&blocked, "").unwrap();
    let lib = load(&[pack], Some(&blocked));
    assert_eq!(seen(&lib), seen(&load(&[pack], None)));
    let problem = lib.cache_problem.expect("the write problem is named");
    assert!(problem.contains("cannot write the pack index"), "{problem}");
}

#[test]
fn an_index_left_to_the_caller_is_written_only_when_it_asks_or_lets_go() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = Path::new("tests/packs/demo");
    let opts = |cache: &Path| LoadOptions {
        builtin: false,
        user_dir: None,
        extra: vec![pack.to_path_buf()],
        cache_dir: Some(cache.to_path_buf()),
    };
    let asked = tmp.path().join("asked");
    let (lib, pending) = Library::load_deferring_indexes(&opts(&asked));
    assert!(
        index_files(&asked).is_empty(),
        "written before it was asked"
    );
    assert_eq!(seen(&lib), seen(&load(&[pack], None)));
    assert_eq!(lib.cache_problem, None);
    assert_eq!(pending.write(), None);
    assert_eq!(index_files(&asked).len(), 1);
    let (warm, pending) = Library::load_deferring_indexes(&opts(&asked));
    assert!(
        from_image(&warm),
        "the written index serves the next start whole"
    );
    drop(pending);

    let dropped = tmp.path().join("dropped");
    let (_, pending) = Library::load_deferring_indexes(&opts(&dropped));
    assert!(index_files(&dropped).is_empty());
    drop(pending);
    assert_eq!(
        index_files(&dropped).len(),
        1,
        "a dropped write still happens"
    );

    let blocked = tmp.path().join("not-a-folder");
    fs::write(&blocked, "").unwrap();
    let (_, pending) = Library::load_deferring_indexes(&opts(&blocked));
    let problem = pending.write().expect("the write problem is named");
    assert!(problem.contains("cannot write the pack index"), "{problem}");
}

#[test]
fn two_loads_at_once_never_leave_a_torn_index() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = copy_pack("tests/packs/demo", tmp.path());
    let cache = tmp.path().join("cache");
    let cold = seen(&load(&[&pack], None));
    for _ in 0..5 {
        let _ = fs::remove_dir_all(&cache);
        let libs: Vec<Library> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..3)
                .map(|_| s.spawn(|| load(&[&pack], Some(&cache))))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for lib in &libs {
            assert_eq!(seen(lib), cold);
        }
        assert_eq!(
            index_files(&cache).len(),
            1,
            "one index, no temporary files left"
        );
        assert_eq!(compiled(&load(&[&pack], Some(&cache))), 0);
    }
}

#[test]
fn the_binary_starts_from_sources_with_one_warning_when_the_cache_is_unusable() {
    let tmp = tempfile::tempdir().unwrap();
    let blocked = tmp.path().join("blocked");
    fs::write(&blocked, "").unwrap();
    let run = |cache: &Path| {
        Command::cargo_bin("sysdeck")
            .unwrap()
            .env("SYSDECK_DATA_DIR", tmp.path().join("data"))
            .args(["--cache-dir", cache.to_str().unwrap()])
            .args(["--no-builtin", "--pack", "tests/packs/demo"])
            .args(["snapshot", "--screen", "home", "--size", "100x30"])
            .output()
            .unwrap()
    };
    let out = run(&blocked);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("warning:").count(), 1, "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Demo"));
    // Garbage where the index should be: rebuilt without a word.
    let cache = tmp.path().join("cache");
    assert!(run(&cache).status.success());
    for index in index_files(&cache) {
        fs::write(index, b"\x00\xffgarbage").unwrap();
    }
    let out = run(&cache);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Demo"));
}

#[test]
fn without_a_cache_flag_the_index_goes_beside_the_given_data() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    Command::cargo_bin("sysdeck")
        .unwrap()
        .env("SYSDECK_DATA_DIR", &data)
        .env_remove("SYSDECK_CACHE_DIR")
        .args(["--no-builtin", "--pack", "tests/packs/demo", "pack", "list"])
        .assert()
        .success();
    assert_eq!(index_files(&data.join("cache")).len(), 1);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Whatever bytes the index holds, the pack loads as from its sources.
    #[test]
    fn any_bytes_in_the_index_load_the_pack_as_its_sources(
        cut in 0usize..4096, flips in prop::collection::vec((0usize..1 << 20, any::<u8>()), 0..8),
        junk in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let pack = Path::new("tests/packs/exams");
        let (cache, index) = indexed(pack, tmp.path());
        let mut bytes = fs::read(&index).unwrap();
        for (at, x) in flips {
            let n = bytes.len();
            bytes[at % n] ^= x;
        }
        bytes.truncate(bytes.len().saturating_sub(cut));
        bytes.extend(junk);
        cache::probe(&bytes);
        fs::write(&index, &bytes).unwrap();
        let lib = load(&[pack], Some(&cache));
        prop_assert_eq!(seen(&lib), seen(&load(&[pack], None)));
    }
}

#[test]
fn a_full_disk_under_the_cache_costs_one_warning_and_nothing_else() {
    let tmp = tempfile::tempdir().unwrap();
    let mount = tmp.path().join("small");
    fs::create_dir(&mount).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&mount)
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        println!("skipped: cannot mount a small tmpfs here");
        return;
    }
    // Fill it, then ask for an index of a pack bigger than what is left.
    let _ = fs::write(mount.join("filler"), vec![0u8; 64 * 1024]);
    let pack = Path::new("tests/packs/demo");
    let lib = load(&[pack], Some(&mount.join("cache")));
    let cold = seen(&load(&[pack], None));
    let _ = std::process::Command::new("umount").arg(&mount).status();
    assert_eq!(seen(&lib), cold);
    assert!(lib.cache_problem.is_some());
}

#[test]
fn listing_stamps_notes_and_decks_and_leaves_reading_them_to_the_checker() {
    let demo = folder("tests/packs/demo");
    let listing = demo.list();
    // Only the manifest is read while listing: a large pack's files are read on every core
    // as they are checked, a chunk at a time, instead of one by one before any checking.
    assert!(listing.manifest.is_some());
    assert!(listing.files.is_empty(), "{:?}", listing.files.len());
    assert!(listing.unread.len() > 2);
    assert!(listing.unread.iter().all(|u| u.stamp.size > 0));
}

#[test]
fn a_file_gone_between_listing_and_checking_is_reported_like_any_unreadable_file() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = copy_pack("tests/packs/demo", tmp.path());
    let listing = folder(&pack).list();
    let gone = listing
        .unread
        .iter()
        .find(|u| u.rel.starts_with("decks/"))
        .unwrap()
        .clone();
    fs::remove_file(&gone.path).unwrap();
    let parsed = sysdeck::content::parse::parse_pack("demo", listing);
    let d = parsed
        .diagnostics
        .iter()
        .find(|d| d.message.starts_with("cannot read:"))
        .expect("a diagnostic for the vanished deck");
    assert_eq!(d.code.as_str(), "io-error");
    assert_eq!(parsed.sources.name(d.file), format!("demo/{}", gone.rel));
}
