//! `--watch`: editing a pack while the app is open reloads it in place, keeping the screen.

#[path = "support/fifo.rs"]
mod fifo;
#[path = "support/packs.rs"]
mod packs;
#[path = "support/tmux.rs"]
mod tmux;

use packs::copy_demo;
use tmux::Tmux;

#[test]
fn edits_reload_in_place_and_new_errors_show_up() {
    let data = tempfile::tempdir().unwrap();
    let packs = tempfile::tempdir().unwrap();
    let pack = packs.path().join("demo");
    copy_demo(&pack);
    let pack_arg = pack.to_str().unwrap();
    let t = Tmux::start(
        "sysdeck-e2e-watch",
        data.path(),
        &["--no-builtin", "--pack", pack_arg, "--watch"],
        100,
        30,
    );
    t.wait_for("Demo Pack");
    t.keys(&["Enter"]);
    t.wait_for("Message Queues");

    let note = pack.join("notes/caching.md");
    let text = std::fs::read_to_string(&note).unwrap();
    std::fs::write(
        &note,
        text.replace("title = \"Caching\"", "title = \"Caching Revisited\""),
    )
    .unwrap();
    let screen = t.wait_for("Caching Revisited");
    assert!(
        screen.contains("library"),
        "still on the library screen:\n{screen}"
    );

    std::fs::write(pack.join("decks/queues.toml"), "[[cards]\nid = \"x\"\n").unwrap();
    // Esc leaves the topic list (its cursor goes), then the library.
    t.keys(&["Escape"]);
    t.wait_gone("▸ Caching Revisited");
    t.escape("sysdeck › home");
    t.wait_for("1 pack with problems");
    t.keys(&["!"]);
    t.wait_for("error[toml-syntax]");
    t.quit();
}

#[test]
fn a_fifo_added_while_watching_is_skipped_and_the_app_keeps_answering() {
    let data = tempfile::tempdir().unwrap();
    let packs = tempfile::tempdir().unwrap();
    let pack = packs.path().join("demo");
    copy_demo(&pack);
    let t = Tmux::start(
        "sysdeck-e2e-watch-fifo",
        data.path(),
        &["--no-builtin", "--pack", pack.to_str().unwrap(), "--watch"],
        100,
        30,
    );
    t.wait_for("Demo Pack");
    // Reading a FIFO blocks until someone writes to it: the reload must not open it that way.
    let fifo = pack.join("notes/pipe.md");
    fifo::make(&fifo);
    // The FIFO alone is a warning, which home shows no notice for; a broken deck written after
    // it makes the reload visible, and that reload lists the FIFO too.
    std::fs::write(pack.join("decks/queues.toml"), "[[cards]\nid = \"x\"\n").unwrap();
    t.wait_for("1 pack with problems");
    t.keys(&["!"]);
    t.wait_for("special-file");
    t.escape("sysdeck › home");
    t.keys(&["/"]);
    t.wait_for("sysdeck › find");
    t.keys(&["C-c"]);
    t.wait_exit();
}

#[test]
fn a_note_broken_while_open_shows_its_error_and_the_bar_leads_to_the_details() {
    let data = tempfile::tempdir().unwrap();
    let packs = tempfile::tempdir().unwrap();
    let pack = packs.path().join("demo");
    copy_demo(&pack);
    let t = Tmux::start(
        "sysdeck-e2e-watch-note",
        data.path(),
        &["--no-builtin", "--pack", pack.to_str().unwrap(), "--watch"],
        100,
        30,
    );
    t.wait_for("Demo Pack");
    // The pack's library page, its first topic, the topic's note.
    t.keys(&["Enter"]);
    t.wait_for("About");
    t.keys(&["Enter"]);
    t.wait_for("Read the note");
    t.keys(&["Enter"]);
    t.wait_for("A cache keeps a copy");

    let note = pack.join("notes/caching.md");
    let text = std::fs::read_to_string(&note).unwrap();
    std::fs::write(
        &note,
        text.replace("title = \"Caching\"", "titel = \"Caching\""),
    )
    .unwrap();
    let screen = t.wait_for("notes/caching.md:3:1: unknown key");
    assert!(screen.contains("(does not load)"), "{screen}");
    assert!(
        screen.contains("demo: 2 errors · press ! for details"),
        "{screen}"
    );

    t.keys(&["!"]);
    t.wait_for("error[unknown-key]");
    t.keys(&["Escape"]);
    std::fs::write(&note, text).unwrap();
    // The note stays on screen while it is broken: the reload shows in the bar clearing.
    let screen = t.wait_gone("press ! for details");
    assert!(screen.contains("A cache keeps a copy"), "{screen}");
    t.quit();
}
