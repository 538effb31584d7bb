//! Attacks on the terminal and on the loader through packs and files a stranger controls. Each
//! test builds the hostile input, runs the real binary (or renders the real screen) and checks
//! that nothing reaches the output raw, that nothing hangs, and that the problem is named.

#[path = "support/fifo.rs"]
mod fifo;
#[path = "support/packs.rs"]
mod packs;
#[path = "support/app.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use packs::copy_demo;
use sysdeck::tui::nav::Nav;
use sysdeck::tui::snapshot::render_text;

/// ESC ] 0 ; TITLE BEL: sets the terminal's window title when printed raw.
const SET_TITLE: &str = "\u{1b}]0;PWNED\u{7}";
/// OSC 52: writes the clipboard when printed raw.
const CLIPBOARD: &str = "\u{1b}]52;c;Zm9v\u{7}";

fn sysdeck(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("sysdeck").unwrap();
    cmd.env("SYSDECK_DATA_DIR", data)
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(20));
    cmd
}

/// `sysdeck pack check` of one folder, without the built-in packs.
fn check(data: &Path, pack: &Path) -> std::process::Output {
    sysdeck(data)
        .args(["pack", "check", "--no-builtin"])
        .arg(pack)
        .output()
        .unwrap()
}

/// Characters that must never reach the terminal raw, as the safety rules list them.
fn raw_control(text: &str) -> Option<char> {
    text.chars().find(|&c| {
        let u = c as u32;
        (u < 0x20 && c != '\n' && c != '\t')
            || u == 0x7f
            || (0x80..=0x9f).contains(&u)
            || (0x202a..=0x202e).contains(&u)
            || (0x2066..=0x2069).contains(&u)
    })
}

fn assert_clean(what: &str, text: &str) {
    if let Some(c) = raw_control(text) {
        panic!("{what} holds raw U+{:04X}:\n{text:?}", c as u32);
    }
}

/// The demo pack, with an id, a title and a note body that try to drive the terminal.
fn hostile_pack(dir: &Path) -> PathBuf {
    let pack = dir.join(format!("evil{CLIPBOARD}"));
    copy_demo(&pack);
    let deck = pack.join("decks/attack.toml");
    std::fs::write(
        &deck,
        format!(
            "[[cards]]\nid = \"x{}\"\nfront = \"a\"\nback = \"b\"\n\n[[cards]]\nid = \"bidi\"\nfront = \"\u{202e}txt.exe\"\nback = \"b\"\n",
            SET_TITLE.escape_unicode()
        ),
    )
    .unwrap();
    std::fs::write(
        pack.join("notes/entity.md"),
        "+++\nid = \"entity\"\ntitle = \"Entity\"\nsummary = \"s\"\n+++\n\nHello &#27;]0;PWNED&#7; and [a link](https://x/&#x9b;31m).\n",
    )
    .unwrap();
    pack
}

#[test]
fn pack_check_text_and_json_never_print_control_characters() {
    let data = tempfile::tempdir().unwrap();
    let pack = hostile_pack(data.path());
    let out = check(data.path(), &pack);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_clean("pack check", &text);
    assert!(text.contains(r"\u{1b}]52;c;Zm9v\u{7}"), "{text}");
    // The character references in the note are reported where they stand.
    assert!(
        text.contains("entity.md:7:7") && text.contains("control-character"),
        "{text}"
    );
    assert!(!out.status.success());

    let out = sysdeck(data.path())
        .args(["pack", "check", "--no-builtin", "--format", "json"])
        .arg(&pack)
        .output()
        .unwrap();
    let json = String::from_utf8(out.stdout).unwrap();
    assert_clean("pack check --format json", &json);
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    let path = parsed["packs"][0]["path"].as_str().unwrap();
    assert!(path.ends_with(&format!("evil{CLIPBOARD}")), "{path:?}");
    assert!(json.contains(r"\u001b]52"), "{json}");
}

#[test]
fn a_user_pack_folder_named_with_an_escape_sequence_is_shown_escaped_everywhere() {
    let data = tempfile::tempdir().unwrap();
    hostile_pack(&data.path().join("packs"));
    for args in [
        &["pack", "list"][..],
        &["pack", "list", "--format", "json"],
        &["stats"],
        &["stats", "--json"],
    ] {
        let out = sysdeck(data.path()).args(args).output().unwrap();
        assert_clean(
            &format!("{args:?} stdout"),
            &String::from_utf8_lossy(&out.stdout),
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert_clean(&format!("{args:?} stderr"), &err);
    }
    let out = sysdeck(data.path()).args(["stats"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(r"evil\u{1b}]52;c;Zm9v\u{7}"), "{err}");
}

#[test]
fn the_diagnostics_screen_shows_hostile_text_escaped() {
    let data = tempfile::tempdir().unwrap();
    let pack = hostile_pack(data.path());
    let f = support::fixture(&[pack.to_str().unwrap()]);
    let mut app = sysdeck::tui::app::App::new(f.shared.clone());
    app.resize(120, 40);
    app.go(Nav::Diagnostics, false);
    let screen = render_text(&app, 120, 40);
    assert_clean("diagnostics screen", &screen);
    assert!(screen.contains(r"\u{1b}"), "{screen}");
}

/// A pack folder holding every file-system trap at once.
fn trapped_pack(dir: &Path) -> PathBuf {
    let pack = dir.join("trapped");
    copy_demo(&pack);
    let fifo = pack.join("notes/pipe.md");
    fifo::make(&fifo);
    for link in ["a", "b", "c"] {
        std::os::unix::fs::symlink(".", pack.join("notes").join(link)).unwrap();
    }
    std::os::unix::fs::symlink("..", pack.join("decks/up")).unwrap();
    let mut deep = pack.join("decks");
    for _ in 0..20 {
        deep = deep.join("d");
    }
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(deep.join("lost.toml"), "").unwrap();
    let big = std::fs::File::create(pack.join("decks/huge.toml")).unwrap();
    big.set_len(3 * 1024 * 1024 * 1024).unwrap();
    std::fs::write(pack.join("decks/brackets.toml"), "[".repeat(1024 * 1024)).unwrap();
    pack
}

#[test]
fn fifos_loops_deep_folders_and_huge_files_never_hang_the_loader() {
    let data = tempfile::tempdir().unwrap();
    let pack = trapped_pack(data.path());
    let start = Instant::now();
    let out = check(data.path(), &pack);
    let took = start.elapsed();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert!(text.len() < 64 * 1024, "{} bytes of output", text.len());
    for (code, path) in [
        ("special-file", "notes/pipe.md"),
        ("symlink-loop", "notes/a"),
        ("symlink-loop", "notes/b"),
        ("symlink-loop", "notes/c"),
        ("symlink-loop", "decks/up"),
        ("too-deep", "decks/d/d/d"),
        ("file-too-large", "decks/huge.toml"),
        ("toml-syntax", "decks/brackets.toml"),
    ] {
        let named = text
            .split("\n\n")
            .any(|block| block.contains(code) && block.contains(path));
        assert!(named, "no {code} for {path}:\n{text}");
    }
    // The rest of the pack still loads.
    assert!(text.contains("2 notes, "), "{text}");
}

#[test]
fn a_traffic_file_that_is_a_device_or_a_fifo_is_refused_at_once() {
    let data = tempfile::tempdir().unwrap();
    let fifo = data.path().join("traffic");
    fifo::make(&fifo);
    for path in [Path::new("/dev/zero"), fifo.as_path()] {
        let out = sysdeck(data.path())
            .args(["sim", "limiter", "--traffic"])
            .arg(path)
            .output()
            .unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("not a regular file"), "{err}");
    }
}

/// Runs sysdeck with stdout (and, if asked, stderr) on a pipe whose reader is already gone.
fn into_closed_pipe(data: &Path, args: &[&str], stderr_too: bool) -> std::process::Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let stderr = if stderr_too {
        Stdio::from(writer.try_clone().unwrap())
    } else {
        Stdio::piped()
    };
    let child = Process::new(env!("CARGO_BIN_EXE_sysdeck"))
        .env("SYSDECK_DATA_DIR", data)
        .args(args)
        .stdout(writer)
        .stderr(stderr)
        .spawn()
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_pipe_ends_commands_quietly() {
    let data = tempfile::tempdir().unwrap();
    for args in [&["stats"][..], &["pack", "list"], &["sim", "ring"]] {
        for stderr_too in [false, true] {
            let out = into_closed_pipe(data.path(), args, stderr_too);
            assert_eq!(
                out.status.code(),
                Some(0),
                "{args:?} (stderr on the pipe: {stderr_too}): {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                out.stderr.is_empty(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

#[test]
fn an_integer_too_large_is_called_too_large_not_the_wrong_type() {
    let data = tempfile::tempdir().unwrap();
    let pack = data.path().join("big");
    copy_demo(&pack);
    std::fs::write(
        pack.join("decks/big.toml"),
        "[[cards]]\nid = \"big\"\nfront = \"a\"\nback = \"b\"\n\n[[questions]]\nid = \"q-big\"\ndomain = \"ops\"\ndifficulty = 99999999999999999999\nstem = \"s\"\nexplanation = \"e\"\n[[questions.choices]]\ntext = \"a\"\ncorrect = true\nwhy = \"w\"\n[[questions.choices]]\ntext = \"b\"\nwhy = \"w\"\n",
    )
    .unwrap();
    let out = check(data.path(), &pack);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("`difficulty` is too large a number to use"),
        "{text}"
    );
    assert!(!text.contains("found an integer"), "{text}");
}
