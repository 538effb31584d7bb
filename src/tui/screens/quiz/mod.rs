//! Quizzes: the launcher, the question screen (exam, practice and drill, with the navigator,
//! the submit confirmation, results and review), and the history of attempts.
//!
//! The [`crate::quiz`] engine decides everything about an attempt; these screens draw it, feed
//! it keys and ticks, and commit what it asks to the store as it happens.

pub mod format;
pub mod history;
pub mod launcher;
pub mod overlay;
pub mod question;
pub mod results;
pub mod screen;

use std::rc::Rc;

pub use crate::quiz::plan::{QuizOptions, QuizStart, StartError};
pub use history::HistoryScreen;
pub use launcher::LauncherScreen;
pub use screen::QuizScreen;

use super::Screen;
use crate::quiz::plan::{exam_pack, plan, seed_from, shortfall_notice};
use crate::quiz::{History, Mode, QuizSession};
use crate::tui::nav::Nav;
use crate::tui::shared::Shared;

/// The screen a quiz start opens on: the questions, or the launcher saying what went wrong.
///
/// A new exam of a pack whose last exam was left unfinished opens the launcher instead, which
/// offers to resume it: starting over is the learner's choice, never a side effect.
pub fn open(shared: Rc<Shared>, start: QuizStart) -> Box<dyn Screen> {
    let launcher = |shared: Rc<Shared>, options: QuizOptions, problem: Option<String>| {
        Box::new(LauncherScreen::new(shared, options, problem)) as Box<dyn Screen>
    };
    match start {
        QuizStart::New(options) => {
            if unfinished_exam(&shared, &options) {
                return launcher(shared, options, None);
            }
            match start_new(&shared, &options) {
                Ok(screen) => Box::new(screen),
                Err(e) => launcher(shared, options, Some(e.to_string())),
            }
        }
        QuizStart::Resume { pack } => match resume(&shared, &pack) {
            Ok(screen) => Box::new(screen),
            Err(e) => launcher(
                shared,
                QuizOptions::new(Some(pack), Mode::Exam),
                Some(e.to_string()),
            ),
        },
        QuizStart::Review { attempt } => match review(&shared, attempt) {
            Ok(screen) => Box::new(screen),
            Err(e) => launcher(
                shared,
                QuizOptions::new(None, Mode::Practice),
                Some(e.to_string()),
            ),
        },
    }
}

/// Whether these options ask for an exam of a pack that has one waiting to be resumed.
fn unfinished_exam(shared: &Shared, options: &QuizOptions) -> bool {
    if options.mode != Mode::Exam {
        return false;
    }
    let Ok(pack) = exam_pack(&shared.library, options.pack.as_deref()) else {
        return false;
    };
    matches!(shared.progress.unfinished_exam(pack.id()), Ok(Some(_)))
}

/// Where the questions return to when the attempt ends: the launcher on the same pack.
fn launcher_nav(session: &QuizSession) -> Nav {
    Nav::QuizSetup {
        pack: session.spec().pack.clone(),
    }
}

fn start_new(shared: &Rc<Shared>, options: &QuizOptions) -> Result<QuizScreen, StartError> {
    let history = History::new(shared.progress.past_answers()?);
    let now = shared.now();
    let planned = plan(
        &shared.library,
        &history,
        options,
        seed_from(now),
        now.as_millisecond(),
    )?;
    let pack = planned
        .session
        .spec()
        .pack
        .as_deref()
        .and_then(|id| shared.library.pack(id));
    let notice = shortfall_notice(pack, &planned);
    let exit = launcher_nav(&planned.session);
    Ok(QuizScreen::new(
        shared.clone(),
        planned.session,
        notice,
        Some(exit),
    ))
}

fn resume(shared: &Rc<Shared>, pack: &str) -> Result<QuizScreen, StartError> {
    let snapshot = shared
        .progress
        .unfinished_exam(pack)?
        .ok_or_else(|| StartError::NothingToResume(pack.to_string()))?;
    let now = shared.now().as_millisecond();
    let session = QuizSession::resume(snapshot, &shared.library.packs, now)?;
    let exit = launcher_nav(&session);
    Ok(QuizScreen::new(shared.clone(), session, None, Some(exit)))
}

fn review(shared: &Rc<Shared>, attempt: i64) -> Result<QuizScreen, StartError> {
    let snapshot = shared
        .progress
        .attempt_snapshot(attempt)?
        .ok_or(StartError::NoAttempt(attempt))?;
    let now = shared.now().as_millisecond();
    let session = QuizSession::resume(snapshot, &shared.library.packs, now)?;
    Ok(QuizScreen::new(shared.clone(), session, None, None))
}
