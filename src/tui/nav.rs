//! What a screen can ask the app to do after handling a key.

use crate::search::Target;

/// A place in the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Nav {
    Home,
    Library {
        pack: Option<String>,
    },
    Topic {
        pack: String,
        id: String,
    },
    Note {
        pack: String,
        id: String,
        anchor: Option<String>,
    },
    Item(Target),
    Finder,
    Diagnostics,
    /// The list of labs.
    Labs,
    Lab(crate::content::Lab),
    /// A lab in the configuration a lab question was made from.
    LabAt(crate::sim::ask::LabSetup),
    /// A review session: today's due and new cards of everything (an empty scope), or all of
    /// a chosen pack's, topic's or tag's at once; or a custom study session over a scope.
    Review(Study),
    /// Custom study of a scope: review ahead, extra new cards today, or cram.
    CustomStudy(crate::srs::Scope),
    /// The card browser: every card of a pack, topic or tag (an empty scope: all packs).
    Cards(crate::srs::Scope),
    /// The statistics screen.
    Stats,
    /// The study settings.
    Settings,
    /// The exam-date planner, on a pack with an exam when given.
    Plan {
        pack: Option<String>,
    },
    /// The quiz launcher, on a pack when given.
    QuizSetup {
        pack: Option<String>,
    },
    /// The questions of a new, resumed or past quiz attempt.
    Quiz(crate::quiz::plan::QuizStart),
    /// Past quiz attempts and score trends.
    QuizHistory,
}

impl Nav {
    /// Studying one topic now: its due cards, then its new ones past today's limit.
    pub fn study(pack: &str, note: &str) -> Nav {
        Nav::Review(crate::srs::Scope::topic(pack, note).into())
    }
}

/// Which cards of a scope a review session holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StudyKind {
    /// Today's due and new cards, within the daily limits (or past them for a topic or tag).
    Today,
    /// Review cards due in the next this many learning days, answered now and saved as usual.
    Ahead(u32),
    /// Every card once, for the night before an exam; the grades are not saved.
    Cram,
}

/// A review session to open: which cards, and of what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Study {
    pub scope: crate::srs::Scope,
    pub kind: StudyKind,
}

impl From<crate::srs::Scope> for Study {
    /// Today's review of `scope`.
    fn from(scope: crate::srs::Scope) -> Study {
        Study {
            scope,
            kind: StudyKind::Today,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// The screen did not use the input; the app applies its global meaning.
    Ignored,
    /// The screen changed; draw again.
    Redraw,
    /// Nothing to do.
    None,
    Back,
    Quit,
    Go(Nav),
    /// Replace the current screen instead of stacking on it (note-to-note links keep one reader).
    Replace(Nav),
    /// A short message that goes with the next key.
    Toast(String),
    /// Something failed: a panel with the error and its causes, until the learner closes it.
    Error(Problem),
}

/// A failure as the learner reads it: what could not be done, then why, cause by cause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub summary: String,
    pub causes: Vec<String>,
}

impl Problem {
    /// `summary` ("Your exam was not saved"), with `error` and each of its sources as causes.
    pub fn new(summary: impl Into<String>, error: &(dyn std::error::Error + 'static)) -> Problem {
        let mut causes = Vec::new();
        let mut next = Some(error);
        while let Some(e) = next {
            causes.push(e.to_string());
            next = e.source();
        }
        Problem {
            summary: summary.into(),
            causes,
        }
    }
}

/// An input after the keymap has been consulted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Action(crate::tui::keymap::Action),
    /// A character typed into a text field (screens that are `typing`).
    Char(char),
    Backspace,
    ScrollUp,
    ScrollDown,
    /// Time passed: sent at the rate a screen asks for with `tick_interval` (animations,
    /// countdowns). Screens read the time from `Shared::now`.
    Tick,
}
