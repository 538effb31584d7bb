//! `sysdeck import csv`: spreadsheets (CSV, TSV) into packs; bad rows reported by line.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn sysdeck(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("sysdeck").unwrap();
    cmd.env("SYSDECK_DATA_DIR", data).env("NO_COLOR", "1");
    cmd
}

fn cards(pack: &Path) -> Vec<toml::Table> {
    let dir = std::fs::read_dir(pack.join("decks")).unwrap();
    let path = dir.map(|e| e.unwrap().path()).next().unwrap();
    let deck: toml::Table = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    deck["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_table().unwrap().clone())
        .collect()
}

fn get<'a>(card: &'a toml::Table, key: &str) -> &'a str {
    card.get(key).and_then(toml::Value::as_str).unwrap_or("")
}

/// Imports `text` saved as `name`, expecting success; the pack must check clean.
fn import(tmp: &Path, name: &str, text: &[u8], extra: &[&str]) -> (Vec<toml::Table>, String) {
    let file = tmp.join(name);
    std::fs::write(&file, text).unwrap();
    let out = tmp.join(format!("pack-{name}").replace('.', "-"));
    let assert = sysdeck(tmp)
        .args(["import", "csv"])
        .arg(&file)
        .arg("-o")
        .arg(&out)
        .args(extra)
        .assert()
        .success();
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    sysdeck(tmp)
        .args(["pack", "check", "--no-builtin", "--deny-warnings"])
        .arg(&out)
        .assert()
        .success();
    (cards(&out), stderr)
}

#[test]
fn a_header_row_names_the_columns_in_any_order() {
    let tmp = tempfile::tempdir().unwrap();
    // RFC 4180: a quoted field may hold the delimiter, a doubled quote and a line break.
    let text = "Tags,Answer,Question\n\
                net basics,\"Names to addresses, mostly\",What does DNS map?\n\
                \"http,web\",\"A \"\"stateless\"\"\nprotocol\",What is HTTP?\n";
    let (cards, stderr) = import(tmp.path(), "deck.csv", text.as_bytes(), &[]);
    assert_eq!(cards.len(), 2, "{stderr}");
    assert_eq!(get(&cards[0], "front"), "What does DNS map?");
    assert_eq!(get(&cards[0], "back"), "Names to addresses, mostly");
    assert_eq!(cards[0]["tags"].as_array().unwrap().len(), 2);
    assert_eq!(get(&cards[1], "back"), "A \"stateless\"\nprotocol");
    assert_eq!(cards[1]["tags"].as_array().unwrap().len(), 2);
}

#[test]
fn tsv_without_a_header_is_front_back_tags() {
    let tmp = tempfile::tempdir().unwrap();
    let text = "der Hund\tthe dog\tgerman\ndie Katze\tthe cat\n";
    let (cards, _) = import(tmp.path(), "words.tsv", text.as_bytes(), &[]);
    assert_eq!(cards.len(), 2);
    assert_eq!(get(&cards[0], "front"), "der Hund");
    assert_eq!(get(&cards[1], "back"), "the cat");
    assert!(cards[1].get("tags").is_none());
}

#[test]
fn the_delimiter_is_detected_or_given() {
    let tmp = tempfile::tempdir().unwrap();
    let (cards, _) = import(
        tmp.path(),
        "semi.csv",
        b"front;back\na;b, with comma\n",
        &[],
    );
    assert_eq!(get(&cards[0], "back"), "b, with comma");
    let (cards, _) = import(
        tmp.path(),
        "pipe.txt",
        b"one,two|three\n",
        &["--delimiter", "|"],
    );
    assert_eq!(get(&cards[0], "front"), "one,two");
}

#[test]
fn bad_rows_are_reported_with_their_lines_and_the_rest_imported() {
    let tmp = tempfile::tempdir().unwrap();
    let mut text = b"front,back\nok one,fine\n,no front\nno back,\n".to_vec();
    text.extend_from_slice(b"caf\xe9,latin-1\n");
    text.extend_from_slice(b"esc\x1b[2J,bell\x07 back\n\nok two,fine\n");
    let (cards, stderr) = import(tmp.path(), "mixed.csv", &text, &[]);
    assert_eq!(cards.len(), 3, "{stderr}");
    assert!(
        stderr.contains("line 3: skipped: the front is empty"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 4: skipped: the back is empty"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 5: skipped: not UTF-8 text"),
        "{stderr}"
    );
    assert!(stderr.contains("3 rows left out"), "{stderr}");
    // Control characters are taken out, the text kept.
    assert_eq!(get(&cards[1], "front"), "esc[2J");
    assert_eq!(get(&cards[2], "front"), "ok two");
}

#[test]
fn a_front_with_deletions_and_no_back_is_a_cloze_card() {
    let tmp = tempfile::tempdir().unwrap();
    let (cards, _) = import(
        tmp.path(),
        "cloze.csv",
        b"\"{{c1::Paris}} is the capital of {{c2::France}}\",\n",
        &[],
    );
    assert_eq!(
        get(&cards[0], "cloze"),
        "{{c1::Paris}} is the capital of {{c2::France}}"
    );
}

#[test]
fn ids_follow_the_front_so_reimporting_keeps_progress() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, _) = import(tmp.path(), "v1.csv", b"q1,a1\nq2,a2\n", &[]);
    let (b, _) = import(tmp.path(), "v2.csv", b"q0,a0\nq2,a2 edited\nq1,a1\n", &[]);
    assert_eq!(get(&a[0], "id"), get(&b[2], "id"));
    assert_eq!(get(&a[1], "id"), get(&b[1], "id"));
    // The same front twice gets two ids.
    let (c, _) = import(tmp.path(), "dup.csv", b"x,1\nx,2\n", &[]);
    assert_ne!(get(&c[0], "id"), get(&c[1], "id"));
}

#[test]
fn a_file_with_no_usable_row_fails() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("empty.csv");
    std::fs::write(&file, "front,back\n,\n").unwrap();
    sysdeck(tmp.path())
        .args(["import", "csv"])
        .arg(&file)
        .arg("-o")
        .arg(tmp.path().join("out"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no usable rows"));
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn a_big_sheet_is_split_into_deck_files_the_checker_accepts() {
    // The checker refuses pack files over 1 MiB; 3,000 rows of 400 bytes make about 1.2 MiB.
    let tmp = tempfile::tempdir().unwrap();
    let text: String = (0..3000)
        .map(|i| format!("question {i},{}\n", "answer ".repeat(57)))
        .collect();
    import(tmp.path(), "big.csv", text.as_bytes(), &[]);
    let pack = tmp.path().join("pack-big-csv");
    let decks = std::fs::read_dir(pack.join("decks")).unwrap().count();
    assert!(decks >= 2, "{decks} deck files");
    sysdeck(tmp.path())
        .args(["pack", "check", "--no-builtin"])
        .arg(&pack)
        .assert()
        .success()
        .stdout(predicate::str::contains("3000 cards"));
}
