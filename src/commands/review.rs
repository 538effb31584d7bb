//! `sysdeck review`: checks the filters against the loaded packs, then opens the app on the
//! review screen: today's cards, or a custom study session (ahead, cram, extra new cards).

use crate::clock::Clock;
use crate::content::Library;
use crate::srs::{Catalog, Scope};
use crate::tui::nav::{Nav, Study, StudyKind};
use anyhow::{Context, Result, bail};

use crate::cli::GlobalArgs;
use crate::cli::review::ReviewArgs;

pub fn run(args: &ReviewArgs, global: &GlobalArgs, clock: Clock) -> Result<std::process::ExitCode> {
    let (library, pending) = crate::commands::load_library_for_app(global);
    let scope = args.filters.scope();
    check_pack(&library, &scope)?;
    // The database is opened only once the filters match, so a typo leaves nothing behind.
    // A topic or tag is matched against the catalog first, which then serves the progress;
    // with neither, and items to match, the database opens while the catalog is built.
    let progress = if plainly_matches(&library, &scope) {
        let progress = crate::commands::open_progress(global, &library)?;
        check_matches(progress.catalog(), &scope)?;
        progress
    } else {
        let catalog = Catalog::from_library(&library);
        check_matches(&catalog, &scope)?;
        crate::commands::open_progress_over(global, catalog)?
    };
    if let (Some(cards), Some(pack)) = (args.extra_new, &scope.pack) {
        if progress.new_left(pack, clock.now())? == 0 {
            bail!("`{pack}` has no new cards left to learn: --extra-new would add none");
        }
        progress
            .add_extra_new(pack, cards, clock.now())
            .context("the extra new cards were not saved")?;
    }
    let kind = match (args.ahead, args.cram) {
        (Some(days), _) => StudyKind::Ahead(days),
        (None, true) => StudyKind::Cram,
        (None, false) => StudyKind::Today,
    };
    let nav = Nav::Review(Study { scope, kind });
    super::app::run_at(global, library, pending, progress, clock, Some(nav))?;
    Ok(std::process::ExitCode::SUCCESS)
}

/// Refuses a pack id that names no loaded pack, so a typo is reported rather than shown as
/// "nothing due".
fn check_pack(library: &Library, scope: &Scope) -> Result<()> {
    if let Some(id) = &scope.pack
        && library.pack(id).is_none()
    {
        let ids: Vec<&str> = library
            .packs
            .iter()
            .map(super::super::content::Pack::id)
            .collect();
        bail!(
            "no loaded pack has the id `{id}`; the loaded packs are: {}",
            if ids.is_empty() {
                "none".to_string()
            } else {
                ids.join(", ")
            }
        );
    }
    Ok(())
}

/// Whether the filters match without a look at the catalog: no topic or tag, and a card or
/// question in the packs they name.
fn plainly_matches(library: &Library, scope: &Scope) -> bool {
    scope.topic.is_none()
        && scope.tag.is_none()
        && library
            .packs
            .iter()
            .filter(|p| scope.pack.as_deref().is_none_or(|id| p.id() == id))
            .any(|p| !p.cards.is_empty() || !p.questions.is_empty())
}

/// Refuses filters that together match no card.
fn check_matches(catalog: &Catalog, scope: &Scope) -> Result<()> {
    if !catalog.entries().iter().any(|e| e.in_scope(scope)) {
        bail!("no card matches {}", describe(scope));
    }
    Ok(())
}

/// The filters as given on the command line, for messages.
fn describe(scope: &Scope) -> String {
    let flags = [
        ("--pack-id", &scope.pack),
        ("--topic", &scope.topic),
        ("--tag", &scope.tag),
    ];
    let given: Vec<String> = flags
        .iter()
        .filter_map(|(flag, value)| value.as_ref().map(|v| format!("{flag} {v}")))
        .collect();
    if given.is_empty() {
        "(no cards are loaded)".to_string()
    } else {
        given.join(" ")
    }
}
