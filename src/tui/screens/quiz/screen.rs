//! The quiz screen: one attempt from the first question to the review. It feeds keys and clock
//! ticks to the [`QuizSession`] and carries out what comes back at once: every save goes to the
//! store before the next key, a finished attempt is recorded with its answers and its results
//! shown, and leaving an exam keeps it for the launcher to offer again.

use crate::tui::screens::Screen;
use std::rc::Rc;
use std::time::Duration;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::format::{domain_name, markdown, pack_name};
use super::overlay::{draw_confirmation, draw_navigator, navigator_columns};
use super::question::question_lines;
use super::results::results_lines;
use crate::quiz::label::{attempt_label, clock, mode_label};
use crate::quiz::{
    self, AnswerStatus, Feedback, Mode, Phase, QuestionView, QuizSession, Readiness, ReviewFilter,
    Timer,
};
use crate::tui::keymap::{Action, Scope};
use crate::tui::nav::{Effect, Input, Nav, Problem};
use crate::tui::shared::Shared;
use crate::tui::widgets::chrome::{Chrome, frame};
use crate::tui::widgets::{put_line, text_column, truncate};

pub const SCOPES: &[Scope] = &[Scope::Quiz];
/// Text reads best well short of a wide terminal's edge.
const MAX_TEXT_WIDTH: u16 = 100;
/// How often a timed attempt redraws its clock.
const TICK: Duration = Duration::from_secs(1);
/// The most rows the build notice (a short exam) takes above the question.
const NOTICE_ROWS: usize = 2;

/// What a finished attempt shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Finished {
    Results,
    Review,
}

pub struct QuizScreen {
    shared: Rc<Shared>,
    session: QuizSession,
    finished: Finished,
    /// The selected cell while the navigator grid is open.
    navigator: Option<usize>,
    scroll: usize,
    /// Said above every question: how the exam differs from what was asked for.
    notice: Option<String>,
    /// The last marking in practice, to say when a question's own clock locked it.
    feedback: Option<Feedback>,
    /// Where leaving goes: `None` pops back (a past attempt opened from the history).
    exit: Option<Nav>,
    /// Which questions the review goes through.
    filter: ReviewFilter,
    /// The exam pack's readiness as of the results, for the results to show.
    readiness: Option<Readiness>,
}

/// What carrying out the session's effects came to.
#[derive(Default)]
struct Applied {
    exit: bool,
    /// The store's complaint, shown instead of moving on.
    problem: Option<Problem>,
}

impl QuizScreen {
    pub fn new(
        shared: Rc<Shared>,
        session: QuizSession,
        notice: Option<String>,
        exit: Option<Nav>,
    ) -> Self {
        let readiness = readiness_after(&shared, &session);
        QuizScreen {
            shared,
            session,
            finished: Finished::Results,
            navigator: None,
            scroll: 0,
            notice,
            feedback: None,
            exit,
            filter: ReviewFilter::default(),
            readiness,
        }
    }

    fn now(&self) -> quiz::UnixMillis {
        self.shared.now().as_millisecond()
    }

    fn handle_answering(&mut self, action: Action) -> Effect {
        let step = match action {
            Action::Choose(i) => quiz::Action::Choose(usize::from(i)),
            Action::NextQuestion => quiz::Action::Next,
            Action::PrevQuestion => quiz::Action::Prev,
            Action::Flag => quiz::Action::Flag,
            Action::Submit => quiz::Action::RequestSubmit,
            // Enter checks a practice answer, and once checked moves on.
            Action::Check if self.session.spec().mode.immediate_feedback() => {
                if self.session.current_question().locked {
                    quiz::Action::Next
                } else {
                    quiz::Action::Reveal
                }
            }
            Action::Back => quiz::Action::Quit,
            Action::Navigator => return self.open_navigator(),
            Action::SendToReview if self.session.spec().mode.immediate_feedback() => {
                return self.send_missed();
            }
            _ => return self.handle_scroll(action),
        };
        self.run(step)
    }

    fn handle_finished(&mut self, action: Action) -> Effect {
        match (self.finished, action) {
            (_, Action::SendToReview) => self.send_missed(),
            (_, Action::Navigator) => self.open_navigator(),
            (Finished::Results, Action::Check) => {
                let first = self.session.filtered(&self.filter).first().copied();
                self.go_to(first)
            }
            (Finished::Results, Action::Back) => self.leave(),
            (Finished::Review, Action::Back) => {
                self.finished = Finished::Results;
                self.scroll = 0;
                Effect::Redraw
            }
            (Finished::Review, Action::NextQuestion | Action::Check) => self.step_filtered(1),
            (Finished::Review, Action::PrevQuestion) => self.step_filtered(-1),
            (_, Action::FilterIncorrect) => {
                let incorrect = !self.filter.incorrect;
                self.refilter(ReviewFilter {
                    incorrect,
                    ..self.filter.clone()
                })
            }
            (_, Action::FilterFlagged) => {
                let flagged = !self.filter.flagged;
                self.refilter(ReviewFilter {
                    flagged,
                    ..self.filter.clone()
                })
            }
            (_, Action::FilterDomain) => {
                let domain = self.next_domain();
                self.refilter(ReviewFilter {
                    domain,
                    ..self.filter.clone()
                })
            }
            _ => self.handle_scroll(action),
        }
    }

    /// The domain after the one the review is narrowed to, or none after the last.
    fn next_domain(&self) -> Option<String> {
        let domains = self.session.domains();
        let next = match &self.filter.domain {
            None => 0,
            Some(d) => domains.iter().position(|x| x == d).map_or(0, |i| i + 1),
        };
        domains.get(next).map(|d| (*d).to_string())
    }

    /// Narrows the review (opening it from the results) and shows the first question kept
    /// when the one on screen is not.
    fn refilter(&mut self, filter: ReviewFilter) -> Effect {
        self.filter = filter;
        self.finished = Finished::Review;
        self.scroll = 0;
        let kept = self.session.filtered(&self.filter);
        match kept.first() {
            Some(&first) if !kept.contains(&self.session.current()) => {
                self.run(quiz::Action::Goto(first))
            }
            _ => Effect::Redraw,
        }
    }

    /// The next (`1`) or previous (`-1`) question the review's filter keeps.
    fn step_filtered(&mut self, step: isize) -> Effect {
        let kept = self.session.filtered(&self.filter);
        let current = self.session.current();
        let target = if step > 0 {
            kept.iter().find(|&&i| i > current)
        } else {
            kept.iter().rev().find(|&&i| i < current)
        };
        match target {
            Some(&i) => self.run(quiz::Action::Goto(i)),
            None => Effect::None,
        }
    }

    /// The note of the question on screen, once its answer is shown (in the review, or
    /// checked in practice): reading it cannot give the answer away then.
    fn note(&self) -> Option<Nav> {
        if self.showing_results() {
            return None;
        }
        let view = self.session.current_question();
        view.marking?;
        let (pack, note) = self.shared.library.note(&view.id.pack, view.note?)?;
        Some(Nav::Note {
            pack: pack.id().to_string(),
            id: note.id.to_string(),
            anchor: None,
        })
    }

    /// The lab a lab question was made in, on its numbers, once its answer is shown (the
    /// lab would give the answer away before).
    fn lab(&self) -> Option<Nav> {
        if self.showing_results() {
            return None;
        }
        self.session.current_question().marking?;
        let setup = self.session.items()[self.session.current()].setup.clone()?;
        Some(Nav::LabAt(setup))
    }

    /// What the review filter keeps, for the line under the header: "2 of 5 shown: incorrect
    /// · Security", or that none is.
    fn filter_line(&self) -> Option<Line<'static>> {
        if self.filter.is_empty() || self.showing_results() {
            return None;
        }
        let theme = &self.shared.theme;
        let mut what = Vec::new();
        if self.filter.incorrect {
            what.push("incorrect".to_string());
        }
        if self.filter.flagged {
            what.push("flagged".to_string());
        }
        if let Some(d) = &self.filter.domain {
            let pack = self.session.spec().pack.as_deref();
            what.push(domain_name(&self.shared.library, pack, d));
        }
        let kept = self.session.filtered(&self.filter).len();
        let text = match kept {
            0 => format!("No question is {}; this one is shown.", what.join(" and ")),
            n => format!(
                "Reviewing {n} of {}: {}",
                self.session.len(),
                what.join(" · ")
            ),
        };
        Some(Line::styled(text, theme.info))
    }

    fn handle_navigator(&mut self, action: Action, selected: usize) -> Effect {
        let count = self.session.len();
        let v = self.shared.viewport.get();
        let body = Rect::new(0, 1, v.width, v.height.saturating_sub(2));
        let cols = navigator_columns(body, count) as isize;
        let delta = match action {
            Action::NextQuestion => 1,
            Action::PrevQuestion => -1,
            Action::Down => cols,
            Action::Up => -cols,
            Action::Check => {
                self.navigator = None;
                return self.go_to(Some(selected));
            }
            Action::Navigator | Action::Back => {
                self.navigator = None;
                return Effect::Redraw;
            }
            _ => return Effect::Ignored,
        };
        let target = (selected as isize + delta).clamp(0, count as isize - 1);
        self.navigator = Some(target as usize);
        Effect::Redraw
    }

    fn open_navigator(&mut self) -> Effect {
        self.navigator = Some(self.session.current());
        Effect::Redraw
    }

    /// Goes to a question (the first when `None`): within the attempt, or from the results
    /// into the review.
    fn go_to(&mut self, index: Option<usize>) -> Effect {
        if self.session.phase() == Phase::Finished {
            self.finished = Finished::Review;
            self.scroll = 0;
        }
        let target = index.unwrap_or(0);
        if target == self.session.current() {
            return Effect::Redraw;
        }
        self.run(quiz::Action::Goto(target))
    }

    /// Feeds one action to the session at the current time and carries out its effects.
    fn run(&mut self, action: quiz::Action) -> Effect {
        let before = self.session.current();
        let effects = self.session.handle(action, self.now());
        if self.session.current() != before {
            self.scroll = 0;
        }
        let applied = self.apply(effects);
        match applied.problem {
            Some(problem) => Effect::Error(problem),
            None if applied.exit => self.leave(),
            None => Effect::Redraw,
        }
    }

    fn apply(&mut self, effects: Vec<quiz::Effect>) -> Applied {
        let mut applied = Applied::default();
        for effect in effects {
            match effect {
                quiz::Effect::Save(snapshot) => {
                    if let Err(e) = self.shared.progress.save_attempt(&snapshot) {
                        applied.problem = Some(Problem::new("This attempt was not saved", &e));
                    }
                }
                quiz::Effect::Feedback(feedback) => self.feedback = Some(feedback),
                quiz::Effect::Finished(outcome) => {
                    if let Err(e) = self.shared.progress.finish_attempt(&outcome) {
                        applied.problem = Some(Problem::new("The result was not saved", &e));
                    }
                    self.finished = Finished::Results;
                    self.navigator = None;
                    self.scroll = 0;
                    self.readiness = readiness_after(&self.shared, &self.session);
                }
                quiz::Effect::Exit => applied.exit = true,
            }
        }
        applied
    }

    /// Closes the attempt (an exam is kept to resume, practice is recorded) and then does
    /// `then`, unless the store failed, which the learner must hear about first.
    fn leave_app(&mut self, then: Effect) -> Effect {
        let effects = self.session.handle(quiz::Action::Quit, self.now());
        match self.apply(effects).problem {
            Some(problem) => Effect::Error(problem),
            None => then,
        }
    }

    fn leave(&self) -> Effect {
        match &self.exit {
            Some(nav) => Effect::Replace(nav.clone()),
            None => Effect::Back,
        }
    }

    /// Sends every question marked wrong so far to spaced repetition.
    fn send_missed(&mut self) -> Effect {
        let keys: Vec<quiz::QuestionKey> = self
            .session
            .navigator()
            .iter()
            .filter(|c| c.correct == Some(false))
            .map(|c| self.session.items()[c.index].key.clone())
            .collect();
        if keys.is_empty() {
            return Effect::Toast("No missed questions to send.".into());
        }
        let now = self.now();
        match self.shared.progress.enroll_questions(&keys, now) {
            Ok(added) => Effect::Toast(format!(
                "{added} of {} missed question{} sent to spaced repetition{}",
                keys.len(),
                if keys.len() == 1 { "" } else { "s" },
                if added < keys.len() {
                    " (the others were there already)"
                } else {
                    ""
                }
            )),
            Err(e) => Effect::Error(Problem::new("The missed questions were not sent", &e)),
        }
    }

    fn handle_scroll(&mut self, action: Action) -> Effect {
        let page = self.shared.body_height().max(2) as isize;
        match action {
            Action::Up => self.scroll_by(-1),
            Action::Down => self.scroll_by(1),
            Action::PageUp => self.scroll_by(-page + 1),
            Action::PageDown => self.scroll_by(page - 1),
            Action::HalfPageUp => self.scroll_by(-page / 2),
            Action::HalfPageDown => self.scroll_by(page / 2),
            Action::Top => self.scroll_by(-(self.scroll as isize)),
            Action::Bottom => self.scroll_by(isize::MAX / 2),
            _ => Effect::Ignored,
        }
    }

    fn scroll_by(&mut self, delta: isize) -> Effect {
        let v = self.shared.viewport.get();
        let body = Rect::new(0, 1, v.width, v.height.saturating_sub(2));
        let (_, content) = self.split(text_column(body, MAX_TEXT_WIDTH));
        let (_, max) = fit(self.content(content.width).len(), content.height);
        self.scroll = self.scroll.saturating_add_signed(delta).min(max);
        Effect::Redraw
    }

    fn showing_results(&self) -> bool {
        self.session.phase() == Phase::Finished && self.finished == Finished::Results
    }

    /// The scrolled part of the screen: the question, or the results.
    fn content(&self, width: u16) -> Vec<Line<'static>> {
        if self.showing_results() {
            results_lines(&self.shared, &self.session, self.readiness.as_ref(), width)
        } else {
            question_lines(&self.session.current_question(), width, &self.shared.theme)
        }
    }

    /// The header and notice above the content, then the content's area.
    fn split(&self, text: Rect) -> (Vec<Line<'static>>, Rect) {
        let mut header = vec![self.header_line(usize::from(text.width))];
        header.extend(self.filter_line());
        if let Some(notice) = &self.notice {
            let warn = self.shared.theme.warn;
            header.extend(
                markdown(notice, text.width, &self.shared.theme)
                    .into_iter()
                    .take(NOTICE_ROWS)
                    .map(|l| l.patch_style(warn)),
            );
        }
        header.push(Line::default());
        let rows = (header.len() as u16).min(text.height);
        let content = Rect {
            y: text.y + rows,
            height: text.height - rows,
            ..text
        };
        (header, content)
    }

    /// What this question is: its number and domain, and its state on the right. "Choose two"
    /// is said once, under the stem. A running exam hides the domain, as the real one does: it
    /// would hint at the answer; the review afterwards shows it.
    fn header_line(&self, width: usize) -> Line<'static> {
        let theme = &self.shared.theme;
        if self.showing_results() {
            let title = match self.session.spec().mode {
                Mode::Exam => self.exam_name(),
                mode => format!("{} results", mode_label(mode)),
            };
            return Line::styled(title, theme.heading(2));
        }
        let view = self.session.current_question();
        let number = format!("Question {} of {}", view.index + 1, view.count);
        let state = self.state_spans(&view);
        let mut spans = vec![Span::styled(number.clone(), theme.strong)];
        let exam_running =
            self.session.spec().mode == Mode::Exam && self.session.phase() != Phase::Finished;
        if let Some(domain) = view.domain.filter(|_| !exam_running) {
            // The domain gives way to the number and the state, which the learner needs more.
            let used = number.width() + 3 + state.iter().map(Span::width).sum::<usize>();
            let name = domain_name(&self.shared.library, Some(&view.id.pack), domain);
            let room = width.saturating_sub(used + 3);
            if room > 3 {
                spans.push(Span::styled(
                    format!(" · {}", truncate(&name, room)),
                    theme.muted,
                ));
            }
        }
        spans.push(Span::raw("   "));
        spans.extend(state);
        Line::from(spans)
    }

    /// Flagged, answered or not, and the verdict once the key is shown.
    fn state_spans(&self, view: &QuestionView<'_>) -> Vec<Span<'static>> {
        let theme = &self.shared.theme;
        let mut spans = Vec::new();
        if view.flagged {
            spans.push(Span::styled("⚑ flagged  ", theme.warn));
        }
        match view.marking {
            Some(m) => {
                let (text, style) = if m.correct {
                    ("✓ Correct", theme.ok)
                } else {
                    ("✗ Incorrect", theme.error)
                };
                spans.push(Span::styled(text, style));
                let timed_out = self
                    .feedback
                    .is_some_and(|f| f.timed_out && f.index == view.index);
                if timed_out {
                    spans.push(Span::styled(" — time ran out", theme.warn));
                }
                if self.session.phase() == Phase::Finished {
                    let spent = format!(" · {} on it", clock(view.time_ms));
                    spans.push(Span::styled(spent, theme.muted));
                }
            }
            None => spans.push(match view.status {
                AnswerStatus::Answered => Span::styled("answered", theme.muted),
                AnswerStatus::Incomplete => Span::styled("choose more", theme.warn),
                AnswerStatus::Unanswered => Span::styled("not answered", theme.muted),
            }),
        }
        spans
    }

    /// The exam's name from its pack, and which practice exam it was.
    fn exam_name(&self) -> String {
        let spec = self.session.spec();
        let name = spec
            .pack
            .as_deref()
            .and_then(|p| self.shared.library.pack(p))
            .and_then(|p| p.manifest.exam.as_ref())
            .map_or_else(|| "Exam results".to_string(), |e| e.name.clone());
        match spec.practice_exam {
            Some(p) => format!("{name} · {p}"),
            None => name,
        }
    }

    /// The clock for the title bar.
    fn status(&self) -> String {
        let now = self.now();
        if self.session.phase() == Phase::Finished {
            return format!("time used {} ", clock(self.session.used_ms(now)));
        }
        match (self.session.spec().timer, self.session.remaining_ms(now)) {
            (Timer::Total { .. }, Some(ms)) => format!("⏱ {} left ", clock(ms)),
            (Timer::PerQuestion { .. }, Some(ms)) => format!("⏱ {} for this one ", clock(ms)),
            _ => "untimed ".to_string(),
        }
    }
}

/// Once an attempt is finished, the readiness of its pack when the pack has an exam: the
/// results say where the learner now stands. `None` before that, or when it cannot be read
/// (the results stand without it).
fn readiness_after(shared: &Shared, session: &QuizSession) -> Option<Readiness> {
    if session.phase() != Phase::Finished {
        return None;
    }
    let pack = shared.library.pack(session.spec().pack.as_deref()?)?;
    pack.manifest.exam.as_ref()?;
    shared.progress.readiness(pack, shared.now()).ok()
}

impl Screen for QuizScreen {
    fn scopes(&self) -> &'static [Scope] {
        SCOPES
    }

    fn enabled(&self, action: Action) -> bool {
        let answering = matches!(
            action,
            Action::Choose(_) | Action::Flag | Action::Submit | Action::Check
        );
        if self.navigator.is_some() {
            return matches!(
                action,
                Action::Check | Action::Navigator | Action::NextQuestion | Action::Back
            );
        }
        let practice = self.session.spec().mode.immediate_feedback();
        let filter = matches!(
            action,
            Action::FilterIncorrect | Action::FilterFlagged | Action::FilterDomain
        );
        if action == Action::OpenNote {
            return self.note().is_some();
        }
        if action == Action::OpenLab {
            return self.lab().is_some();
        }
        // A practice of one question (opened on its own) has no other question to go to,
        // flag or submit: leaving records it.
        let alone = self.session.len() == 1;
        let elsewhere = matches!(action, Action::NextQuestion | Action::Navigator)
            || practice && matches!(action, Action::Flag | Action::Submit);
        if alone && elsewhere {
            return false;
        }
        let locked = self.session.current_question().locked;
        match self.session.phase() {
            Phase::Finished => match self.finished {
                Finished::Results => {
                    filter
                        || matches!(
                            action,
                            Action::Check | Action::SendToReview | Action::Navigator | Action::Back
                        )
                }
                // Enter steps on like `n` here; the footer offers `n` and keeps its room for
                // the filters.
                Finished::Review => !answering,
            },
            Phase::Confirming => matches!(action, Action::Check | Action::Back),
            Phase::Answering => match action {
                // Once checked, enter moves on; the last question has nowhere to go.
                Action::Check => {
                    practice && (!locked || self.session.current() + 1 < self.session.len())
                }
                Action::Choose(_) => !locked,
                Action::SendToReview => practice,
                _ => !filter,
            },
        }
    }

    fn handle(&mut self, input: Input) -> Effect {
        let action = match input {
            Input::Tick if self.session.phase() == Phase::Finished => return Effect::None,
            Input::Tick => return self.run(quiz::Action::Tick),
            Input::ScrollUp => return self.scroll_by(-3),
            Input::ScrollDown => return self.scroll_by(3),
            Input::Action(action) => action,
            Input::Char(_) | Input::Backspace => return Effect::Ignored,
        };
        let running = self.session.phase() != Phase::Finished;
        match action {
            // q goes back one level from anywhere in a running attempt, saving it first.
            Action::Quit if running => {
                let back = self.leave();
                return self.leave_app(back);
            }
            Action::GoHome if running => return self.leave_app(Effect::Go(Nav::Home)),
            _ => {}
        }
        if let Some(selected) = self.navigator {
            return self.handle_navigator(action, selected);
        }
        if action == Action::OpenNote {
            return self.note().map_or(Effect::None, Effect::Go);
        }
        if action == Action::OpenLab {
            return self.lab().map_or(Effect::None, Effect::Go);
        }
        match (self.session.phase(), action) {
            (Phase::Finished, _) => self.handle_finished(action),
            (Phase::Confirming, Action::Check) => self.run(quiz::Action::ConfirmSubmit),
            (Phase::Confirming, Action::Back) => self.run(quiz::Action::Cancel),
            (Phase::Confirming, _) => Effect::Ignored,
            (Phase::Answering, _) => self.handle_answering(action),
        }
    }

    fn reload(&mut self, shared: Rc<Shared>) {
        self.shared = shared;
    }

    /// Once a second while a clock runs; never once the attempt is over.
    fn tick_interval(&self) -> Option<Duration> {
        let running = self.session.phase() != Phase::Finished;
        (running && self.session.spec().timer != Timer::Untimed).then_some(TICK)
    }

    fn render(&self, area: Rect, buf: &mut Buffer) {
        let shared = &*self.shared;
        let theme = &shared.theme;
        let spec = self.session.spec();
        let pack = pack_name(&shared.library, spec.pack.as_deref());
        let stage = match (self.session.phase(), self.finished) {
            (Phase::Finished, Finished::Results) => "Results".to_string(),
            (Phase::Finished, Finished::Review) => "Review".to_string(),
            _ => attempt_label(spec.mode, spec.practice_exam),
        };
        let status = self.status();
        let crumbs = [pack.as_str(), stage.as_str()];
        let body = frame(area, buf, shared, Chrome::new(&crumbs).status(&status));
        let text = text_column(body, MAX_TEXT_WIDTH);
        let (header, content) = self.split(text);
        for (y, line) in (text.y..content.y).zip(&header) {
            put_line(buf, text, y, line);
        }
        let lines = self.content(content.width);
        let (rows, max) = fit(lines.len(), content.height);
        let scroll = self.scroll.min(max);
        for (y, line) in (content.y..content.y + rows).zip(&lines[scroll..]) {
            put_line(buf, content, y, line);
        }
        if scroll < max {
            let more = "▼ more";
            let x = content.right().saturating_sub(more.width() as u16);
            buf.set_string(x, content.y + rows, more, theme.muted);
        }
        if let Some(selected) = self.navigator {
            let cells = self.session.navigator();
            draw_navigator(body, buf, &cells, selected, &shared.keymap, theme);
        } else if self.session.phase() == Phase::Confirming {
            let remaining = self.session.remaining_ms(self.now());
            let open = self.session.confirmation();
            draw_confirmation(body, buf, &open, remaining, &shared.keymap, theme);
        }
    }
}

/// The rows `len` lines get in `height` rows, and how far they scroll. When they overflow, the
/// last row is kept for "▼ more", so the mark never covers an option.
fn fit(len: usize, height: u16) -> (u16, usize) {
    if len <= usize::from(height) {
        (height, 0)
    } else {
        let rows = height.saturating_sub(1);
        (rows, len - usize::from(rows))
    }
}
