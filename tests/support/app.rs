//! An app over fixed packs, a fresh progress store, a fixed clock and UTC, so screen tests are
//! deterministic. The clock stands still unless a test moves it with [`Fixture::advance`].

use std::cell::Cell;
use std::path::Path;
use std::rc::Rc;

use sysdeck::content::{Candidate, Library, Origin};
use sysdeck::progress::Progress;
use sysdeck::srs::Catalog;
use sysdeck::store::Store;
use sysdeck::tui::keymap::Keymap;
use sysdeck::tui::shared::Shared;
use sysdeck::tui::theme::Theme;
use tempfile::TempDir;

/// The moment every screen test happens at.
pub const NOW: &str = "2026-11-23T10:00:00Z";

/// Shared state plus the temporary data directory it lives in (dropped with it).
pub struct Fixture {
    pub shared: Rc<Shared>,
    /// The data directory the progress in `shared` lives in (removed with the fixture).
    data: TempDir,
    /// What `shared.now()` returns.
    now: Rc<Cell<jiff::Timestamp>>,
}

impl Fixture {
    /// A second connection to the progress database, as another process would have: what the
    /// app committed, and a way to change it behind the app's back.
    #[allow(
        dead_code,
        reason = "only the tests of screens that save progress look"
    )]
    pub fn store(&self) -> Store {
        Store::open_in(self.data.path()).unwrap()
    }

    /// Moves the app's clock forward (answer times, learning steps coming due).
    #[allow(dead_code, reason = "only the tests of timed screens move the clock")]
    pub fn advance(&self, by: jiff::SignedDuration) {
        self.now.set(self.now.get() + by);
    }
}

/// Loads the given pack folders (no built-in packs) into an app-ready `Shared`.
pub fn fixture(packs: &[&str]) -> Fixture {
    let lib = Library::from_candidates(
        packs
            .iter()
            .map(|p| Candidate::disk(Path::new(p), Origin::Extra(Path::new(p).to_path_buf())))
            .collect(),
    );
    let data = tempfile::tempdir().unwrap();
    let progress = Progress::open_in(
        data.path(),
        Catalog::from_library(&lib),
        jiff::tz::TimeZone::UTC,
    )
    .unwrap();
    let now = Rc::new(Cell::new(NOW.parse().unwrap()));
    let clock = now.clone();
    let shared = Shared::new(lib, progress, Theme::dark(), Keymap::default(), Vec::new())
        .with_clock(Rc::new(move || clock.get()));
    Fixture {
        shared: Rc::new(shared),
        data,
        now,
    }
}

/// The demo pack alone.
#[allow(dead_code, reason = "the hostile-input tests build their own packs")]
pub fn demo() -> Fixture {
    let f = fixture(&["tests/packs/demo"]);
    assert_eq!(f.shared.library.error_count(), 0);
    f
}

/// A way to bring a fresh app (on home) to the screen under test.
#[allow(dead_code, reason = "only the screen tests with scenarios use it")]
pub type Setup = fn(&Fixture, &mut sysdeck::tui::app::App);

/// A fresh demo fixture and app at `w`x`h`, brought to a scenario's screen by `setup`.
#[allow(dead_code, reason = "only the screen tests with scenarios use it")]
pub fn run(setup: Setup, w: u16, h: u16) -> (Fixture, sysdeck::tui::app::App) {
    let fx = demo();
    let mut app = sysdeck::tui::snapshot::app_at(
        fx.shared.clone(),
        &sysdeck::tui::snapshot::ScreenSpec::Home,
        w,
        h,
    );
    setup(&fx, &mut app);
    (fx, app)
}

/// Snapshots each `(name, setup)` scenario at 80x24 and 120x40 as `{name}_{w}x{h}`. A macro,
/// so that insta files the snapshots under the calling test file.
#[allow(unused_macros, reason = "only the screen tests with scenarios use it")]
macro_rules! snapshot_at_two_sizes {
    ($scenarios:expr) => {
        for (name, setup) in $scenarios {
            for (w, h) in [(80, 24), (120, 40)] {
                let (_fx, app) = support::run(setup, w, h);
                let text = sysdeck::tui::snapshot::render_text(&app, w, h);
                insta::assert_snapshot!(format!("{name}_{w}x{h}"), text);
            }
        }
    };
}
