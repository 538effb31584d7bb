//! Copies of the fixed demo pack, for tests that edit or install one.

use std::path::Path;

/// Copies `tests/packs/demo` to `to` (created).
pub fn copy_demo(to: &Path) {
    for f in [
        "pack.toml",
        "notes/caching.md",
        "notes/queues.md",
        "decks/caching.toml",
        "decks/queues.toml",
    ] {
        let dest = to.join(f);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(Path::new("tests/packs/demo").join(f), dest).unwrap();
    }
}
