//! What every screen reads: the loaded packs, the theme, the keymap and the finder's index.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use ratatui::layout::Rect;

use crate::content::Library;
use crate::search::Searcher;
use crate::srs::Catalog;
use crate::store::Store;
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

pub struct Shared {
    /// Shared with the finder's worker thread.
    pub library: Arc<Library>,
    /// Every reviewable item of the loaded packs, for the scheduler and statistics.
    pub catalog: Catalog,
    /// The progress database. Borrowed mutably only for one write at a time.
    pub store: RefCell<Store>,
    /// Learning days start at a local hour in this zone.
    pub tz: jiff::tz::TimeZone,
    pub theme: Theme,
    pub keymap: Keymap,
    /// Runs the finder's queries (inline unless [`Shared::with_search_worker`]).
    pub search: Searcher,
    /// The terminal size, set by the app loop so screens can page by the visible height.
    pub viewport: Cell<Rect>,
    /// Problems with the user's config, shown on home.
    pub notices: Vec<String>,
    /// The only clock screens read, so tests and snapshots can fix the time.
    pub clock: Clock,
}

/// Where "now" comes from.
pub type Clock = Rc<dyn Fn() -> jiff::Timestamp>;

/// The wall clock.
pub fn system_clock() -> Clock {
    Rc::new(jiff::Timestamp::now)
}

impl Shared {
    pub fn new(
        library: Library,
        store: Store,
        theme: Theme,
        keymap: Keymap,
        notices: Vec<String>,
    ) -> Shared {
        let library = Arc::new(library);
        Shared {
            search: Searcher::inline(library.clone()),
            catalog: Catalog::from_library(&library),
            store: RefCell::new(store),
            tz: jiff::tz::TimeZone::system(),
            library,
            theme,
            keymap,
            viewport: Cell::new(Rect::new(0, 0, 80, 24)),
            notices,
            clock: system_clock(),
        }
    }

    /// Searches on a worker thread, so typing in the finder never waits for a search (the
    /// app; tests and snapshots search inline to draw each answer at once).
    pub fn with_search_worker(mut self) -> Shared {
        self.search = Searcher::worker(self.library.clone());
        self
    }

    /// Fixes the time zone (tests, snapshots).
    pub fn with_tz(mut self, tz: jiff::tz::TimeZone) -> Shared {
        self.tz = tz;
        self
    }

    /// Replaces the clock (tests, snapshots).
    pub fn with_clock(mut self, clock: Clock) -> Shared {
        self.clock = clock;
        self
    }

    pub fn now(&self) -> jiff::Timestamp {
        (self.clock)()
    }

    /// Rows of the body between the title bar and the footer.
    pub fn body_height(&self) -> usize {
        usize::from(self.viewport.get().height.saturating_sub(2))
    }
}
