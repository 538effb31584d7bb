//! `sysdeck pack install | update | uninstall | export` through the real binary: round trips,
//! refusals, upgrades that keep progress, and one test per attack a hostile archive can make.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/packs.rs"]
mod packs;

use std::io::Write;
use std::path::{Path, PathBuf};

use cli::{install, sysdeck};
use packs::copy_demo;
use predicates::prelude::*;
use sysdeck::srs::{Grade, ItemKey};
use sysdeck::store::Store;

/// A scratch folder with the demo pack in `demo/` and an empty data directory in `data/`.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Scratch {
        let s = Scratch {
            dir: tempfile::tempdir().unwrap(),
        };
        copy_demo(&s.pack());
        s
    }

    fn pack(&self) -> PathBuf {
        self.dir.path().join("demo")
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn installed(&self) -> PathBuf {
        self.data().join("packs/demo")
    }

    fn edit(&self, file: &str, from: &str, to: &str) {
        let path = self.pack().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{from} in {file}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }
}

/// Every file under `dir` with its bytes, hidden ones left out, sorted.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.file_name().unwrap().to_string_lossy().starts_with('.') {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn an_exported_archive_installs_the_same_files_in_either_format() {
    let s = Scratch::new();
    for name in ["demo.tar.gz", "demo.zip", "demo.tgz"] {
        let archive = s.path(name);
        sysdeck(&s.data())
            .args(["pack", "export"])
            .arg(s.pack())
            .arg("-o")
            .arg(&archive)
            .assert()
            .success()
            .stdout(predicate::str::contains("Exported demo 1.2.0"));
        let data = s.path(&format!("data-{name}"));
        install(&data, &archive)
            .success()
            .stdout(predicate::str::contains("Installed demo 1.2.0 into"));
        assert_eq!(tree(&data.join("packs/demo")), tree(&s.pack()), "{name}");
        sysdeck(&data)
            .args(["pack", "list"])
            .assert()
            .success()
            .stdout(predicate::str::contains("demo  Demo Pack  1.2.0    CC0-1.0  user"))
            .stdout(predicate::str::contains(
                "demo: A small pack the screen tests render: stable content that exercises every screen. (by sysdeck tests)",
            ));
    }
}

#[test]
fn pack_list_json_has_the_shared_format_keys() {
    let s = Scratch::new();
    let out = sysdeck(&s.data())
        .arg("--pack")
        .arg(s.pack())
        .args(["pack", "list", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let rows: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let demo = &rows[0];
    assert_eq!(demo["version"], "1.2.0");
    assert_eq!(demo["license"], "CC0-1.0");
    assert_eq!(demo["authors"], serde_json::json!(["sysdeck tests"]));
    assert!(
        demo["description"]
            .as_str()
            .unwrap()
            .starts_with("A small pack")
    );
    assert_eq!(demo["requires"], serde_json::json!([]));
}

#[test]
fn exporting_twice_gives_the_same_bytes() {
    let s = Scratch::new();
    let export = |name: &str| {
        sysdeck(&s.data())
            .args(["pack", "export"])
            .arg(s.pack())
            .arg("-o")
            .arg(s.path(name))
            .assert()
            .success();
        std::fs::read(s.path(name)).unwrap()
    };
    assert_eq!(export("a.tar.gz"), export("b.tar.gz"));
    assert_eq!(export("a.zip"), export("b.zip"));
}

#[test]
fn export_needs_an_archive_extension_and_a_pack_without_errors() {
    let s = Scratch::new();
    sysdeck(&s.data())
        .args(["pack", "export"])
        .arg(s.pack())
        .arg("-o")
        .arg(s.path("demo.rar"))
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "must end in .tar.gz, .tgz or .zip",
        ));
    s.edit(
        "decks/caching.toml",
        "front = \"Hit ratio\"",
        "fornt = \"Hit ratio\"",
    );
    sysdeck(&s.data())
        .args(["pack", "export"])
        .arg(s.pack())
        .arg("-o")
        .arg(s.path("demo.zip"))
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "errors; fix them before sharing it",
        ));
    assert!(!s.path("demo.zip").exists());
}

#[test]
fn a_pack_with_errors_is_refused_with_its_diagnostics() {
    let s = Scratch::new();
    s.edit(
        "decks/caching.toml",
        "front = \"Hit ratio\"",
        "fornt = \"Hit ratio\"",
    );
    install(&s.data(), &s.pack())
        .failure()
        .stdout(predicate::str::contains("error[unknown-key]"))
        .stdout(predicate::str::contains("Not installed"));
    assert!(!s.installed().exists());
    // Nothing is left in staging either.
    let staging = s.data().join(".staging");
    let left = std::fs::read_dir(&staging).map_or(0, Iterator::count);
    assert_eq!(left, 0);
}

#[test]
fn another_pack_with_the_same_id_needs_force() {
    let s = Scratch::new();
    install(&s.data(), &s.pack()).success();
    let other = s.path("other/demo");
    copy_demo(&other);
    let text = std::fs::read_to_string(other.join("pack.toml")).unwrap();
    std::fs::write(
        other.join("pack.toml"),
        text.replace("Demo Pack", "Someone Else's Demo"),
    )
    .unwrap();
    install(&s.data(), &other)
        .failure()
        .stderr(predicate::str::contains(
            "a different pack with the id `demo` is installed: \"Demo Pack\" by sysdeck tests",
        ))
        .stderr(predicate::str::contains("--force"));
    sysdeck(&s.data())
        .args(["pack", "install", "--force"])
        .arg(&other)
        .assert()
        .success();
    let installed = std::fs::read_to_string(s.installed().join("pack.toml")).unwrap();
    assert!(installed.contains("Someone Else's Demo"));
}

#[test]
fn an_older_version_from_elsewhere_and_a_hand_made_folder_need_force() {
    let s = Scratch::new();
    install(&s.data(), &s.pack()).success();
    let older = s.path("older/demo");
    copy_demo(&older);
    let text = std::fs::read_to_string(older.join("pack.toml")).unwrap();
    std::fs::write(older.join("pack.toml"), text.replace("1.2.0", "1.0.0")).unwrap();
    install(&s.data(), &older)
        .failure()
        .stderr(predicate::str::contains(
            "`demo` 1.2.0 is installed, which is newer than 1.0.0",
        ));

    let s = Scratch::new();
    copy_demo(&s.installed());
    install(&s.data(), &s.pack())
        .failure()
        .stderr(predicate::str::contains(
            "was not installed with `sysdeck pack install`",
        ));
    sysdeck(&s.data())
        .args(["pack", "uninstall", "demo"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("may be your own work"));
    assert!(s.installed().join("pack.toml").exists());
}

#[test]
fn the_packs_folder_is_made_on_first_run() {
    let s = Scratch::new();
    sysdeck(&s.data()).args(["stats"]).assert().success();
    assert!(s.data().join("packs").is_dir());
}

/// Grades `key` once in the progress store of `data`.
fn grade(data: &Path, key: &str) {
    let mut store = Store::open_in(data).unwrap();
    let s = store.scheduler(jiff::tz::TimeZone::UTC).unwrap();
    let now: jiff::Timestamp = "2026-03-10T12:00:00Z".parse().unwrap();
    let a = s
        .grade(&ItemKey::new(key), None, Grade::Good, now, 0)
        .unwrap();
    store.record(&a, &s).unwrap();
}

#[test]
fn uninstall_keeps_progress_unless_told_to_forget_it() {
    let s = Scratch::new();
    install(&s.data(), &s.pack()).success();
    grade(&s.data(), "demo/cache-aside");
    grade(&s.data(), "demo/hit-ratio#reverse");
    sysdeck(&s.data())
        .args(["pack", "uninstall", "demo"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Removed demo"))
        .stdout(predicate::str::contains(
            "Its progress is kept (2 reviews, 2 card states, 0 questions sent to review)",
        ));
    assert!(!s.installed().exists());
    install(&s.data(), &s.pack()).success();
    sysdeck(&s.data())
        .args(["pack", "uninstall", "demo", "--forget"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Forgetting its progress: 2 reviews, 2 card states, 0 questions sent to review.",
        ));
    let store = Store::open_in(&s.data()).unwrap();
    assert!(store.pack_progress("demo").unwrap().is_empty());
    sysdeck(&s.data())
        .args(["pack", "uninstall", "../demo"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no pack `../demo` is installed"));
}

const CHANGELOG: &str = "# Changelog\n\n## [1.3.0] - 2026-04-01\n\n- Renamed cache-aside to lazy-loading\n\n## [1.2.0] - 2026-03-01\n\n- First shared version\n";

#[test]
fn an_update_keeps_progress_through_a_rename_and_prints_the_new_changes() {
    let s = Scratch::new();
    install(&s.data(), &s.pack()).success();
    grade(&s.data(), "demo/cache-aside");
    // The author renames the card, keeps the old id as an alias, and bumps the version.
    s.edit(
        "decks/caching.toml",
        "id = \"cache-aside\"",
        "id = \"lazy-loading\"\naliases = [\"cache-aside\"]",
    );
    s.edit("pack.toml", "version = \"1.2.0\"", "version = \"1.3.0\"");
    std::fs::write(s.pack().join("CHANGELOG.md"), CHANGELOG).unwrap();
    sysdeck(&s.data())
        .args(["pack", "update"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Installed demo 1.3.0 (was 1.2.0)"))
        .stdout(predicate::str::contains("What changed since 1.2.0"))
        .stdout(predicate::str::contains(
            "Renamed cache-aside to lazy-loading",
        ))
        .stdout(predicate::str::contains("First shared version").not());
    let store = Store::open_in(&s.data()).unwrap();
    let renames = store.renames().unwrap();
    assert_eq!(
        renames.formers(&ItemKey::new("demo/lazy-loading")),
        [ItemKey::new("demo/cache-aside")]
    );
    // The renamed card is not new: it carries the state learnt under its old id.
    let lib = sysdeck::content::Library::load(&sysdeck::content::LoadOptions {
        builtin: false,
        user_dir: Some(s.data().join("packs")),
        ..Default::default()
    });
    let catalog = sysdeck::srs::Catalog::from_library(&lib);
    let entry = catalog.get(&ItemKey::new("demo/lazy-loading")).unwrap();
    let states = store.states().unwrap();
    assert_eq!(
        catalog.state(entry, &states),
        states.get(&ItemKey::new("demo/cache-aside"))
    );
    assert!(catalog.state(entry, &states).is_some());
}

#[test]
fn update_names_a_source_that_is_gone() {
    let s = Scratch::new();
    install(&s.data(), &s.pack()).success();
    std::fs::remove_dir_all(s.pack()).unwrap();
    sysdeck(&s.data())
        .args(["pack", "update", "demo"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("`demo` not updated from"));
    assert!(
        s.installed().join("pack.toml").exists(),
        "the installed pack stays"
    );
}

// Hostile archives: each is refused whole, nothing is installed and nothing is written
// outside the data directory.

/// A tar.gz whose entries are written header byte by header byte, so names and types the
/// `tar` crate's safe builder refuses can be made.
fn raw_tar(entries: &[(&str, tar::EntryType, &[u8], Option<&str>)]) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut b = tar::Builder::new(gz);
    for (name, kind, data, link) in entries {
        let mut h = tar::Header::new_gnu();
        {
            let old = h.as_old_mut();
            old.name[..name.len()].copy_from_slice(name.as_bytes());
            if let Some(link) = link {
                old.linkname[..link.len()].copy_from_slice(link.as_bytes());
            }
        }
        h.set_entry_type(*kind);
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append(&h, *data).unwrap();
    }
    b.into_inner().unwrap().finish().unwrap()
}

const MANIFEST: &[u8] =
    b"[pack]\nid = \"evil\"\nname = \"Evil\"\nversion = \"1.0.0\"\nformat = 1\n";

fn refused(s: &Scratch, name: &str, bytes: &[u8], why: &str) {
    let archive = s.path(name);
    std::fs::write(&archive, bytes).unwrap();
    install(&s.data(), &archive)
        .failure()
        .stderr(predicate::str::contains(why));
    assert!(!s.data().join("packs/evil").exists(), "{name}");
}

#[test]
fn an_absolute_path_in_a_tar_is_refused() {
    let s = Scratch::new();
    let target = s.path("planted");
    let name = target.to_str().unwrap().to_string();
    let bytes = raw_tar(&[
        ("evil/pack.toml", tar::EntryType::Regular, MANIFEST, None),
        (&name, tar::EntryType::Regular, b"x", None),
    ]);
    refused(
        &s,
        "abs.tar.gz",
        &bytes,
        "an absolute path leads outside the pack",
    );
    assert!(!target.exists());
}

#[test]
fn a_dot_dot_path_in_a_tar_is_refused() {
    let s = Scratch::new();
    let bytes = raw_tar(&[
        ("evil/pack.toml", tar::EntryType::Regular, MANIFEST, None),
        ("evil/../../../planted", tar::EntryType::Regular, b"x", None),
    ]);
    refused(&s, "dots.tar.gz", &bytes, "`..` leads outside the pack");
    assert!(!s.path("planted").exists());
    assert!(!s.data().join("planted").exists());
}

#[test]
fn a_symlink_in_a_tar_is_refused() {
    let s = Scratch::new();
    let bytes = raw_tar(&[
        ("evil/pack.toml", tar::EntryType::Regular, MANIFEST, None),
        ("evil/notes", tar::EntryType::Symlink, b"", Some("/etc")),
    ]);
    refused(&s, "link.tar.gz", &bytes, "links are not installed");
}

#[test]
fn a_hard_link_in_a_tar_is_refused() {
    let s = Scratch::new();
    let bytes = raw_tar(&[
        ("evil/pack.toml", tar::EntryType::Regular, MANIFEST, None),
        (
            "evil/notes/a.md",
            tar::EntryType::Link,
            b"",
            Some("/etc/passwd"),
        ),
    ]);
    refused(&s, "hard.tar.gz", &bytes, "links are not installed");
}

#[test]
fn devices_and_fifos_in_a_tar_are_refused() {
    let s = Scratch::new();
    for (i, kind) in [
        tar::EntryType::Char,
        tar::EntryType::Block,
        tar::EntryType::Fifo,
    ]
    .into_iter()
    .enumerate()
    {
        let bytes = raw_tar(&[
            ("evil/pack.toml", tar::EntryType::Regular, MANIFEST, None),
            ("evil/notes/dev.md", kind, b"", None),
        ]);
        refused(
            &s,
            &format!("dev{i}.tar.gz"),
            &bytes,
            "special entries are not installed",
        );
    }
}

#[test]
fn a_tar_with_too_many_entries_is_refused() {
    let s = Scratch::new();
    let names: Vec<String> = (0..10_001)
        .map(|i| format!("evil/assets/{i}.txt"))
        .collect();
    let mut entries = vec![("evil/pack.toml", tar::EntryType::Regular, MANIFEST, None)];
    entries.extend(
        names
            .iter()
            .map(|n| (n.as_str(), tar::EntryType::Regular, &b""[..], None)),
    );
    refused(
        &s,
        "many.tar.gz",
        &raw_tar(&entries),
        "more than 10000 files and folders",
    );
}

#[test]
fn a_tar_that_inflates_past_the_size_limit_is_refused() {
    let s = Scratch::new();
    // 65 MiB of zeros: a few hundred KiB compressed.
    let zeros = vec![0u8; 65 * 1024 * 1024];
    let bytes = raw_tar(&[
        ("evil/pack.toml", tar::EntryType::Regular, MANIFEST, None),
        (
            "evil/assets/zeros.bin",
            tar::EntryType::Regular,
            &zeros,
            None,
        ),
    ]);
    assert!(bytes.len() < 1024 * 1024);
    refused(&s, "bomb.tar.gz", &bytes, "more than 64 MiB unpacked");
}

#[test]
fn a_repeated_entry_is_refused() {
    let s = Scratch::new();
    let bytes = raw_tar(&[
        ("evil/pack.toml", tar::EntryType::Regular, MANIFEST, None),
        ("evil/pack.toml", tar::EntryType::Regular, MANIFEST, None),
    ]);
    refused(&s, "twice.tar.gz", &bytes, "pack.toml` appears twice");
}

#[test]
fn a_file_that_is_not_an_archive_is_refused() {
    let s = Scratch::new();
    refused(
        &s,
        "junk.tar.gz",
        b"not gzip at all",
        "not a readable tar.gz archive",
    );
    refused(
        &s,
        "junk.zip",
        b"PK not really",
        "not a readable zip archive",
    );
    let other = s.path("notes.txt");
    std::fs::write(&other, "x").unwrap();
    install(&s.data(), &other)
        .failure()
        .stderr(predicate::str::contains(
            "is not a pack folder or an archive",
        ));
}

/// A zip with the given entries; `unix` sets an entry's mode (type bits included).
fn zip_with(entries: &[(&str, &[u8], Option<u32>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data, unix) in entries {
        let mut options = zip::write::SimpleFileOptions::default();
        if let Some(mode) = unix {
            options = options.unix_permissions(*mode);
        }
        zip.start_file(*name, options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn a_dot_dot_or_absolute_path_in_a_zip_is_refused() {
    let s = Scratch::new();
    let dots = zip_with(&[
        ("evil/pack.toml", MANIFEST, None),
        ("evil/../../planted", b"x", None),
    ]);
    refused(&s, "dots.zip", &dots, "`..` leads outside the pack");
    let abs = zip_with(&[
        ("evil/pack.toml", MANIFEST, None),
        ("/tmp/planted", b"x", None),
    ]);
    refused(
        &s,
        "abs.zip",
        &abs,
        "an absolute path leads outside the pack",
    );
    assert!(!s.path("planted").exists());
}

#[test]
fn a_symlink_in_a_zip_is_refused() {
    let s = Scratch::new();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("evil/pack.toml", options).unwrap();
    zip.write_all(MANIFEST).unwrap();
    zip.add_symlink("evil/notes", "/etc", options).unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    refused(&s, "link.zip", &bytes, "links are not installed");
}

/// Sets the Unix mode (type bits included) of `name`'s central-directory record: the high
/// half of its external attributes (APPNOTE 4.3.12), which zip writers mask to permissions.
fn set_unix_mode(zip: &mut [u8], name: &str, mode: u32) {
    let sig = [0x50, 0x4b, 0x01, 0x02];
    let at = (0..zip.len() - 46)
        .find(|&i| {
            zip[i..i + 4] == sig && {
                let len = u16::from_le_bytes([zip[i + 28], zip[i + 29]]) as usize;
                zip.get(i + 46..i + 46 + len) == Some(name.as_bytes())
            }
        })
        .unwrap();
    // Made by Unix (upper byte 3), so readers take the high half as a mode.
    zip[at + 5] = 3;
    zip[at + 38..at + 42].copy_from_slice(&(mode << 16).to_le_bytes());
}

#[test]
fn a_device_in_a_zip_is_refused() {
    let s = Scratch::new();
    let mut bytes = zip_with(&[
        ("evil/pack.toml", MANIFEST, None),
        ("evil/notes/dev.md", b"", None),
    ]);
    // 0o020644: a character device's type bits with ordinary permissions.
    set_unix_mode(&mut bytes, "evil/notes/dev.md", 0o020_644);
    refused(&s, "dev.zip", &bytes, "special entries are not installed");
}

#[test]
fn a_zip_that_inflates_past_the_size_limit_is_refused() {
    let s = Scratch::new();
    let zeros = vec![0u8; 65 * 1024 * 1024];
    let bytes = zip_with(&[
        ("evil/pack.toml", MANIFEST, None),
        ("evil/assets/z.bin", &zeros, None),
    ]);
    assert!(bytes.len() < 1024 * 1024);
    refused(&s, "bomb.zip", &bytes, "more than 64 MiB unpacked");
}
