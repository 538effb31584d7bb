//! The built-in packs, embedded from `content/` at build time so an installed binary works from
//! any directory.

use include_dir::{Dir, include_dir};

static CONTENT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/content");

/// Every folder under `content/` that holds a `pack.toml`, by folder name.
pub fn packs() -> impl Iterator<Item = (&'static str, &'static Dir<'static>)> {
    CONTENT.dirs().filter_map(|d| {
        let name = d.path().file_name()?.to_str()?;
        d.get_file(d.path().join("pack.toml"))?;
        Some((name, d))
    })
}
