//! What every screen reads: the loaded packs, the learner's progress, the theme, the keymap and
//! the finder's index.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;

use ratatui::layout::Rect;

use crate::content::Library;
use crate::progress::Progress;
use crate::search::Searcher;
use crate::srs::Catalog;
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

pub struct Shared {
    /// Shared with the finder's worker thread.
    pub library: Arc<Library>,
    /// The learner's progress over the loaded packs' items: the only way screens read or
    /// change it.
    pub progress: Progress,
    pub theme: Theme,
    pub keymap: Keymap,
    /// Runs the finder's queries (inline unless [`Shared::with_workers`]).
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
    /// `progress` is over the items of `library`.
    pub fn new(
        library: Library,
        progress: Progress,
        theme: Theme,
        keymap: Keymap,
        notices: Vec<String>,
    ) -> Shared {
        let library = Arc::new(library);
        Shared {
            search: Searcher::inline(library.clone()),
            progress,
            library,
            theme,
            keymap,
            viewport: Cell::new(Rect::new(0, 0, 80, 24)),
            notices,
            clock: system_clock(),
        }
    }

    /// Searches and makes exam plans on worker threads, so no screen waits for either (the
    /// app; tests and snapshots work inline to draw each answer at once). Today's plans are
    /// started at once, to be ready before they are asked for.
    pub fn with_workers(mut self) -> Shared {
        self.search = Searcher::worker(self.library.clone());
        self.progress.plan_in_background();
        self.progress.start_exam_plans(self.now());
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

    /// Every reviewable item of the loaded packs.
    pub fn catalog(&self) -> &Catalog {
        self.progress.catalog()
    }

    /// Learning days start at a local hour in this zone.
    pub fn tz(&self) -> &jiff::tz::TimeZone {
        self.progress.tz()
    }

    /// Rows of the body between the title bar and the footer.
    pub fn body_height(&self) -> usize {
        usize::from(self.viewport.get().height.saturating_sub(2))
    }
}
