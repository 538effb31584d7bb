//! `sysdeck cards`: the card browser's rows on the command line, filtered by pack and by
//! missed/leech state.

#[path = "support/progress.rs"]
mod progress;

use progress::{import_reviews, sysdeck};

fn rows(data: &std::path::Path, args: &[&str]) -> Vec<serde_json::Value> {
    let out = sysdeck(data)
        .args(["--now", "2026-03-10T12:00:00Z", "cards", "--json"])
        .args(args)
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

#[test]
fn cards_lists_a_packs_cards_with_their_state_and_filters_them() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    import_reviews(&data, 1);
    let all = rows(&data, &["--pack-id", "system-design"]);
    // The imported review is of a card no loaded pack has: it is not listed.
    assert!(!all.is_empty());
    assert!(
        all.iter()
            .all(|r| r["key"].as_str().unwrap().starts_with("system-design/"))
    );
    assert!(all.iter().all(|r| r["status"] == "new" && r["lapses"] == 0));
    assert!(
        all.iter()
            .all(|r| !r["front"].as_str().unwrap().contains('\n'))
    );
    assert!(
        rows(&data, &["--missed"]).is_empty(),
        "nothing sent to review yet"
    );
    assert!(rows(&data, &["--leeches"]).is_empty());
    sysdeck(&data)
        .args(["cards", "--pack-id", "system-design"])
        .assert()
        .success()
        .stdout(predicates::str::contains("new"));
    sysdeck(&data)
        .args(["cards", "--missed", "--leeches"])
        .assert()
        .failure();
}
