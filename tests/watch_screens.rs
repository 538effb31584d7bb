//! What an author sees under `--watch`: the problems bar on every screen, and a note whose file
//! broke showing its errors in place. Rendered to a buffer and snapshotted.

#[path = "support/packs.rs"]
mod packs;

use std::path::Path;
use std::rc::Rc;

use sysdeck::content::source::PackDir;
use sysdeck::content::{Candidate, Library, Origin};
use sysdeck::progress::Progress;
use sysdeck::srs::Catalog;
use sysdeck::tui::app::App;
use sysdeck::tui::keymap::{Action, Keymap};
use sysdeck::tui::nav::Nav;
use sysdeck::tui::shared::Shared;
use sysdeck::tui::snapshot::render_text;
use sysdeck::tui::theme::Theme;

/// The pack at `dir` loaded under the stable label `demo`, with a store in `data`.
fn shared(dir: &Path, data: &Path) -> Rc<Shared> {
    let lib = Library::from_candidates(vec![Candidate {
        dir: PackDir::Disk(dir.to_path_buf()),
        origin: Origin::Extra(dir.to_path_buf()),
        label: "demo".into(),
    }]);
    let progress =
        Progress::open_in(data, Catalog::from_library(&lib), jiff::tz::TimeZone::UTC).unwrap();
    let now: jiff::Timestamp = "2026-11-23T10:00:00Z".parse().unwrap();
    Rc::new(
        Shared::new(lib, progress, Theme::dark(), Keymap::default(), Vec::new())
            .with_clock(Rc::new(move || now)),
    )
}

fn edit(file: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.contains(from));
    std::fs::write(file, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn an_open_note_whose_file_breaks_shows_its_errors_in_place() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = tmp.path().join("demo");
    packs::copy_demo(&pack);
    let mut app = App::new(shared(&pack, tmp.path()));
    app.set_watching(true);
    app.resize(80, 24);
    app.go(
        Nav::Note {
            pack: "demo".into(),
            id: "caching".into(),
            anchor: None,
        },
        false,
    );
    edit(
        &pack.join("notes/caching.md"),
        "title = \"Caching\"",
        "titel = \"Caching\"",
    );
    app.reload(shared(&pack, tmp.path()));
    let text = render_text(&app, 80, 24);
    assert!(text.contains("notes/caching.md:3:1"), "{text}");
    assert!(!text.contains("(missing note)"), "{text}");
    insta::assert_snapshot!("watch_broken_note_80x24", text);

    // Fixed and saved: the note is back.
    edit(
        &pack.join("notes/caching.md"),
        "titel = \"Caching\"",
        "title = \"Caching\"",
    );
    app.reload(shared(&pack, tmp.path()));
    let text = render_text(&app, 80, 24);
    assert!(text.contains("A cache keeps a copy"), "{text}");
    assert!(!text.contains("does not load"), "{text}");
}

#[test]
fn every_screen_shows_the_problems_bar_and_its_key_opens_the_details() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = tmp.path().join("demo");
    packs::copy_demo(&pack);
    std::fs::write(pack.join("decks/queues.toml"), "[[cards]\nid = \"x\"\n").unwrap();
    let mut app = App::new(shared(&pack, tmp.path()));
    app.resize(80, 24);
    app.go(
        Nav::Library {
            pack: Some("demo".into()),
        },
        false,
    );
    let quiet = render_text(&app, 80, 24);
    assert!(
        !quiet.contains("press ! for details"),
        "only under --watch:\n{quiet}"
    );

    app.set_watching(true);
    let text = render_text(&app, 80, 24);
    assert!(
        text.contains("⚠ demo: 1 error, 1 warning · press ! for details"),
        "{text}"
    );
    insta::assert_snapshot!("watch_problems_bar_library_80x24", text);

    // `!` is a home key, but with the bar showing it opens the details from any screen.
    app.press(Action::Diagnostics);
    let details = render_text(&app, 80, 24);
    assert!(details.contains("error[toml-syntax]"), "{details}");
}
