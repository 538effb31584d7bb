//! Opening the TUI, and `sysdeck snapshot`.

use std::io::Write;
use std::rc::Rc;

use crate::clock::Clock;
use crate::content::{Library, PendingIndexes};
use crate::progress::Progress;
use crate::tui::app::App;
use crate::tui::config::Config;
use crate::tui::keymap::Keymap;
use crate::tui::nav::Nav;
use crate::tui::shared::Shared;
use crate::tui::snapshot::{app_at, render_text};
use crate::tui::terminal::{RunOptions, run as run_terminal};
use crate::tui::theme::Theme;
use anyhow::{Context, Result};

use crate::cli::{GlobalArgs, SnapshotArgs};

/// How long a change waits for another instance's write before the screen says it is waiting.
const BUSY_WAIT: std::time::Duration = std::time::Duration::from_millis(200);

/// Theme and keys from the user's config; problems and `news` become notices on home.
fn shared(library: Library, progress: Progress, clock: Clock, news: Vec<String>) -> Shared {
    // Short, so a write that meets another instance's lock shows "waiting" instead of freezing.
    let busy = progress
        .set_busy_timeout(BUSY_WAIT)
        .err()
        .map(|e| e.to_string());
    let config_path = crate::paths::default_config_dir().map(|d| d.join("config.toml"));
    let (config, problem) = match &config_path {
        Some(p) => Config::load(p),
        None => (Config::default(), None),
    };
    let (keymap, mut notices) = Keymap::with_overrides(&config.keys);
    notices.extend(problem);
    notices.extend(busy);
    notices.extend(news);
    // Replays in the store follow the loaded packs' renamed ids (aliases).
    let renames = progress.catalog().renames();
    if let Err(e) = progress.remember_renames(&renames) {
        notices.push(format!("Renamed ids not recorded: {e}"));
    }
    let theme = Theme::resolve(config.theme, std::env::var_os("NO_COLOR").is_some());
    Shared::new(library, progress, theme, keymap, notices).with_clock(Rc::new(move || clock.now()))
}

pub fn run(
    global: &GlobalArgs,
    library: Library,
    pending: PendingIndexes,
    progress: Progress,
    clock: Clock,
) -> Result<()> {
    run_at(global, library, pending, progress, clock, None)
}

/// Opens the app with `start` (when given) on top of home, so esc leads back to home. The
/// pack indexes the load left to write are written once the first frame is on screen.
pub fn run_at(
    global: &GlobalArgs,
    library: Library,
    pending: PendingIndexes,
    progress: Progress,
    clock: Clock,
    start: Option<Nav>,
) -> Result<()> {
    let watch = if global.watch {
        let mut paths = global.packs.clone();
        if let Ok(d) = crate::commands::data_dir(global) {
            let user = d.join("packs");
            if user.is_dir() {
                paths.push(user);
            }
        }
        paths
    } else {
        Vec::new()
    };
    let news = crate::commands::pack::share::announcements(global);
    // In the terminal the finder and exam plans work on threads of their own; a snapshot
    // draws each answer at once.
    let mut app = App::new(Rc::new(
        shared(library, progress, clock, news).with_workers(),
    ));
    app.set_watching(global.watch);
    if let Some(nav) = start {
        app.go(nav, false);
    }
    let opts = RunOptions {
        mouse: !global.no_mouse,
        watch,
    };
    let load = crate::commands::load_options(global);
    let cache_problem = run_terminal(
        app,
        opts,
        move || pending.write(),
        move || Library::load(&load),
        |app, lib| match app.shared().progress.reopen(&lib) {
            Ok(progress) => app.reload(Rc::new(
                shared(lib, progress, clock, Vec::new()).with_workers(),
            )),
            Err(e) => app.notify(format!("Packs not reloaded: {e}")),
        },
    )
    .context("the terminal failed")?;
    // Told once the terminal is restored, where a warning before the app opened was read.
    if let Some(problem) = cache_problem {
        crate::commands::warn_cache(&problem);
    }
    Ok(())
}

pub fn snapshot(
    args: &SnapshotArgs,
    library: Library,
    progress: Progress,
    clock: Clock,
) -> Result<()> {
    let (w, h) = args.size;
    // One instant for the whole render, to the second, so what is drawn from the clock (an
    // attempt's seed, a lab question's numbers) is the same on every run at the same --now.
    let now = clock.now();
    let at = jiff::Timestamp::from_second(now.as_second()).unwrap_or(now);
    let app = app_at(
        Rc::new(shared(library, progress, clock, Vec::new()).with_clock(Rc::new(move || at))),
        &args.screen,
        w,
        h,
    );
    let text = render_text(&app, w, h);
    crate::safe_text::stdout().write_all(text.as_bytes())?;
    Ok(())
}
