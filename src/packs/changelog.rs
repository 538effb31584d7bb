//! A pack's `CHANGELOG.md`, read the way most projects write one ("Keep a Changelog"): a
//! level-two heading per release naming its version (`## [1.2.0] - 2026-03-01`, `## v1.2`),
//! newest first. An update shows the sections after the version it replaced.

use std::path::Path;

use semver::Version;

use crate::content::source::MAX_FILE_BYTES;

pub const CHANGELOG_FILE: &str = "CHANGELOG.md";

/// One release's section: its heading line and the text below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub version: Version,
    pub text: String,
}

/// The changelog of a pack folder, if it has a readable one.
pub fn read(pack_dir: &Path) -> Option<String> {
    crate::bounded_read::read_to_string(&pack_dir.join(CHANGELOG_FILE), MAX_FILE_BYTES).ok()
}

/// The version a heading names: the first word that is one, with `[`, `]` and a leading `v`
/// taken off; `1.2` is read as `1.2.0`.
fn heading_version(heading: &str) -> Option<Version> {
    heading.split_whitespace().find_map(|word| {
        let word = word.trim_matches(|c| c == '[' || c == ']');
        let word = word.strip_prefix(['v', 'V']).unwrap_or(word);
        Version::parse(word).ok().or_else(|| {
            let parts = word.split('.').count();
            (parts == 2).then(|| Version::parse(&format!("{word}.0")).ok())?
        })
    })
}

/// Every release section, in the file's order. Headings inside code fences are text.
pub fn sections(text: &str) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        let version = line
            .strip_prefix("## ")
            .filter(|_| !fenced)
            .and_then(heading_version);
        match (version, out.last_mut()) {
            (Some(version), _) => out.push(Section {
                version,
                text: format!("{line}\n"),
            }),
            (None, Some(section)) if !line.starts_with("# ") => {
                section.text.push_str(line);
                section.text.push('\n');
            }
            _ => {}
        }
    }
    for s in &mut out {
        s.text = format!("{}\n", s.text.trim_end());
    }
    out
}

/// The sections of releases after `from` up to and including `to`, newest first.
pub fn between(text: &str, from: &Version, to: &Version) -> Vec<Section> {
    let mut found: Vec<Section> = sections(text)
        .into_iter()
        .filter(|s| &s.version > from && &s.version <= to)
        .collect();
    found.sort_by(|a, b| b.version.cmp(&a.version));
    found
}

/// The first change a section lists (its first list item, else its first line of text), for
/// a one-line notice.
pub fn first_change(section: &Section) -> Option<String> {
    let lines = || section.text.lines().skip(1).map(str::trim);
    let item = lines().find_map(|l| l.strip_prefix("- ").or_else(|| l.strip_prefix("* ")));
    item.or_else(|| lines().find(|l| !l.is_empty() && !l.starts_with('#')))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = "# Changelog\n\n## [Unreleased]\n\n- nothing yet\n\n\
## [1.2.0] - 2026-03-01\n\n### Added\n- Pods note\n- 12 cards\n\n\
## v1.1\n\nRenamed `svc` to `services`.\n\n```\n## 0.9.0 inside a fence\n```\n\n\
## [1.0.0] - 2026-01-01\n\n- First release\n";

    #[test]
    fn releases_are_found_by_their_headings() {
        let versions: Vec<String> = sections(LOG)
            .iter()
            .map(|s| s.version.to_string())
            .collect();
        assert_eq!(versions, ["1.2.0", "1.1.0", "1.0.0"]);
        assert!(sections(LOG)[1].text.contains("## 0.9.0 inside a fence"));
    }

    #[test]
    fn an_update_shows_what_came_after_the_old_version() {
        let v = |s: &str| Version::parse(s).unwrap();
        let new = between(LOG, &v("1.0.0"), &v("1.2.0"));
        let versions: Vec<String> = new.iter().map(|s| s.version.to_string()).collect();
        assert_eq!(versions, ["1.2.0", "1.1.0"]);
        assert_eq!(first_change(&new[0]).as_deref(), Some("Pods note"));
        assert_eq!(
            first_change(&new[1]).as_deref(),
            Some("Renamed `svc` to `services`.")
        );
        assert!(between(LOG, &v("1.2.0"), &v("1.2.0")).is_empty());
    }
}
