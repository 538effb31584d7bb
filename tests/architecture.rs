//! The layers of docs/ARCHITECTURE.md, checked on the source: each outside crate stays in the
//! room that owns it, screens reach progress only through the progress service, and a screen
//! is one trait impl with one place that opens it.

use std::fs;
use std::path::{Path, PathBuf};

fn sources(dir: &str) -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = fs::read_to_string(&path).unwrap();
                out.push((path, text));
            }
        }
    }
    let mut out = Vec::new();
    walk(Path::new(dir), &mut out);
    out.sort();
    out
}

/// The code of a file with comments left out, so a doc comment may name what code may not use.
fn code(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn offenders(dir: &str, needles: &[&str]) -> Vec<String> {
    sources(dir)
        .into_iter()
        .filter(|(_, text)| needles.iter().any(|n| code(text).contains(n)))
        .map(|(path, _)| path.display().to_string())
        .collect()
}

#[test]
fn screens_reach_progress_only_through_the_service() {
    let found = offenders(
        "src/tui",
        &[
            "crate::store",
            "rusqlite",
            "crate::commands",
            "RefCell<Store>",
        ],
    );
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn each_outside_crate_stays_in_its_room() {
    // An Anki collection is a SQLite file too, but a format to convert, not the progress
    // store: its reader and writer keep to src/interop/anki (docs/ARCHITECTURE.md).
    for (krate, rooms) in [
        ("rusqlite::", &["src/store", "src/interop/anki"][..]),
        ("fsrs::", &["src/srs"][..]),
        ("ratatui::", &["src/tui"][..]),
    ] {
        let found: Vec<String> = offenders("src", &[krate])
            .into_iter()
            .filter(|p| !rooms.iter().any(|room| p.starts_with(room)))
            .collect();
        assert!(found.is_empty(), "{krate} outside {rooms:?}: {found:#?}");
    }
}

#[test]
fn the_library_does_not_depend_on_the_terminal_screens() {
    for room in [
        "src/quiz",
        "src/srs",
        "src/content",
        "src/progress",
        "src/store",
        "src/sim",
    ] {
        let found = offenders(room, &["crate::tui"]);
        assert!(found.is_empty(), "{found:#?}");
    }
}

#[test]
fn a_screen_is_one_trait_impl_opened_in_one_place() {
    let screens = sources("src/tui/screens");
    let impls = screens
        .iter()
        .filter(|(_, t)| t.contains("impl Screen for "))
        .count();
    assert!(impls >= 15, "{impls} screens implement the trait");
    let opened: Vec<String> = sources("src/tui")
        .into_iter()
        .filter(|(_, t)| code(t).contains("Nav::Stats =>"))
        .map(|(p, _)| p.display().to_string())
        .collect();
    assert_eq!(
        opened,
        ["src/tui/app.rs"],
        "places that open screens by Nav"
    );
    let enums: Vec<String> = sources("src/tui")
        .into_iter()
        .filter(|(_, t)| code(t).contains("enum Screen {"))
        .map(|(p, _)| p.display().to_string())
        .collect();
    assert!(enums.is_empty(), "a hand-matched screen enum: {enums:?}");
}

#[test]
fn the_binary_only_parses_and_reports() {
    let main = code(&fs::read_to_string("src/main.rs").unwrap());
    assert!(main.lines().count() < 40, "main.rs grew: {main}");
    assert!(!main.contains("mod "), "main.rs declares modules: {main}");
}

/// The sibling modules a file names through `super::`.
fn siblings(text: &str) -> Vec<String> {
    let code = code(text);
    let mut out = Vec::new();
    for (i, _) in code.match_indices("super::") {
        let rest = &code[i + "super::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let braces = rest.starts_with('{');
        if braces {
            let inner = rest[1..].split('}').next().unwrap_or_default();
            for part in inner.split(',') {
                let head = part.trim().split("::").next().unwrap_or_default();
                if part.contains("::") && !head.is_empty() {
                    out.push(head.to_string());
                }
            }
        } else if rest[name.len()..].starts_with("::") {
            out.push(name);
        }
    }
    out
}

#[test]
fn no_two_modules_of_a_room_use_each_other() {
    let files = sources("src");
    let module = |p: &Path| -> Option<(PathBuf, String)> {
        let stem = p.file_stem()?.to_str()?.to_string();
        (stem != "mod" && stem != "tests").then(|| (p.parent().unwrap().to_path_buf(), stem))
    };
    let mut edges = Vec::new();
    for (path, text) in &files {
        if let Some((dir, name)) = module(path) {
            for other in siblings(text) {
                edges.push((dir.clone(), name.clone(), other));
            }
        }
    }
    let cycles: Vec<String> = edges
        .iter()
        .filter(|(dir, a, b)| a < b && edges.contains(&(dir.clone(), b.clone(), a.clone())))
        .map(|(dir, a, b)| format!("{}: {a} <-> {b}", dir.display()))
        .collect();
    assert!(cycles.is_empty(), "{cycles:#?}");
}
