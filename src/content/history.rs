//! Checks that need the learner's review history: an id that has progress and is no longer in
//! its pack was renamed (progress is lost unless the item lists it in `aliases`) or removed.
//!
//! The history comes in as plain item ids; reading it is the caller's business, so the check
//! stays a pure function of the pack and the ids.

use std::collections::{BTreeSet, HashSet};

use super::diagnostic::{Code, Diagnostic, did_you_mean};
use super::library::PackReport;
use super::pack::Pack;

/// Most ids named one by one in the "no longer in this pack" warning.
const MAX_LISTED: usize = 20;

/// Warnings for the ids in `reviewed` (item ids of `pack` with review or quiz history) that
/// the pack no longer has: one per id that looks renamed, pointing at the likely new id, and
/// one listing the rest.
pub fn check(pack: &Pack, report: &PackReport, reviewed: &BTreeSet<String>) -> Vec<Diagnostic> {
    let items = pack
        .cards
        .iter()
        .map(|c| (c.id.as_str(), c.aliases.as_slice()))
        .chain(
            pack.questions
                .iter()
                .map(|q| (q.id.as_str(), q.aliases.as_slice())),
        );
    let mut live: HashSet<&str> = HashSet::new();
    let mut fresh: Vec<&str> = Vec::new();
    for (id, aliases) in items {
        live.insert(id);
        live.extend(aliases.iter().map(String::as_str));
        let has_history = reviewed.contains(id) || aliases.iter().any(|a| reviewed.contains(a));
        if !has_history {
            fresh.push(id);
        }
    }
    let mut out = Vec::new();
    let mut removed = Vec::new();
    for old in reviewed.iter().filter(|id| !live.contains(id.as_str())) {
        let renamed = did_you_mean(old, fresh.iter().copied())
            .and_then(|new| Some((new, report.sites.as_ref()?.get(new)?)));
        match renamed {
            Some((new, (file, span))) => out.push(
                Diagnostic::warning(
                    Code::RenamedId,
                    *file,
                    format!(
                        "`{new}` looks like `{old}` renamed; the review history of `{old}` would not carry over"
                    ),
                )
                .at(span.clone(), format!("has no history; `{old}` has"))
                .hint(format!(
                    "add aliases = [\"{old}\"] to this item to keep its progress"
                )),
            ),
            None => removed.push(old.as_str()),
        }
    }
    if !removed.is_empty()
        && let Some((file, span)) = &report.manifest_site
    {
        let mut listed = removed
            .iter()
            .take(MAX_LISTED)
            .map(|id| format!("`{id}`"))
            .collect::<Vec<_>>()
            .join(", ");
        if removed.len() > MAX_LISTED {
            listed.push_str(&format!(" and {} more", removed.len() - MAX_LISTED));
        }
        let d = Diagnostic::warning(
            Code::RemovedId,
            *file,
            format!(
                "{} with review history {} no longer in this pack: {listed}",
                crate::words::count(removed.len(), "id"),
                if removed.len() == 1 { "is" } else { "are" },
            ),
        )
        .at(span.clone(), "this pack")
        .hint("their progress is kept in case they return; if one was renamed, add aliases = [\"old-id\"] to its new version");
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Candidate, Library, Origin};

    fn demo() -> Library {
        let dir = std::path::Path::new("tests/packs/demo");
        Library::from_candidates(vec![Candidate::disk(dir, Origin::Extra(dir.into()))])
    }

    #[test]
    fn a_renamed_id_points_at_its_likely_new_name_and_the_rest_are_listed() {
        let lib = demo();
        let pack = &lib.packs[0];
        let report = &lib.reports[0];
        let card = &pack.cards[0].id;
        let reviewed: BTreeSet<String> = [format!("{card}-old"), "long-gone-item".to_string()]
            .into_iter()
            .collect();
        let diags = check(pack, report, &reviewed);
        let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["renamed-id", "removed-id"], "{diags:?}");
        assert!(
            diags[0]
                .hint
                .as_deref()
                .unwrap()
                .contains(&format!("{card}-old"))
        );
        assert!(
            diags[1].message.contains("`long-gone-item`"),
            "{}",
            diags[1].message
        );
    }

    #[test]
    fn ids_kept_as_aliases_or_still_present_are_quiet() {
        let lib = demo();
        let mut pack = lib.packs[0].clone();
        pack.cards[0].aliases.push("before-rename".into());
        let reviewed: BTreeSet<String> = [pack.cards[0].id.to_string(), "before-rename".into()]
            .into_iter()
            .collect();
        assert!(check(&pack, &lib.reports[0], &reviewed).is_empty());
    }
}
