//! The quiz launcher: pick the pack, the mode, filters, length and time; see what that would
//! start (and whether the exam is short of questions) before starting; start one of the pack's
//! practice exams, each with its best score so far; resume an exam left unfinished; see
//! readiness per domain; open the history.

use crate::tui::screens::Screen;
use std::rc::Rc;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::format::{domain_name, markdown, pack_name, padded, readiness_lines, section};
use crate::content::Pack;
use crate::progress::AttemptRecord;
use crate::quiz::label::{clock, mode_label};
use crate::quiz::plan::{
    DEFAULT_ROUND, QuizOptions, QuizStart, StartError, plan, seed_from, shortfall_notice,
};
use crate::quiz::{
    AttemptSnapshot, History, Mode, PracticeExamRef, PracticeExams, Readiness, Score, Timer,
    UnixMillis,
};

/// What a dry run of the options gives: the question count, what to say about how it was
/// built, and the exam's whole time when it has one.
type Planned = (usize, Option<String>, Option<UnixMillis>);
use crate::tui::keymap::{Action, Scope};
use crate::tui::nav::{Effect, Input, Nav};
use crate::tui::shared::Shared;
use crate::tui::widgets::chrome::{Chrome, frame};
use crate::tui::widgets::{marker, put_line, row_style, truncate};

pub const SCOPES: &[Scope] = &[Scope::List];
/// Exam length changes in these steps; real exams run for tens of minutes.
const EXAM_MINUTES_STEP: u32 = 5;
/// Per-question limits offered for practice and drill, in seconds; 0 is untimed.
const PER_QUESTION_SECS: [u32; 5] = [0, 30, 60, 90, 120];
/// The longest quiz the launcher offers.
const MAX_COUNT: usize = 200;

/// A line of the launcher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Row {
    Resume,
    Pack,
    Mode,
    Domain,
    Topic,
    Difficulty,
    Count,
    Time,
    Start,
    /// Starts this practice exam of the pack.
    PracticeExam(PracticeExamRef),
    History,
}

/// One practice exam of the selected pack and how the learner did in it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PracticeStatus {
    exam: PracticeExamRef,
    /// Finished attempts.
    taken: usize,
    /// The best of them.
    best: Option<Score>,
}

impl PracticeStatus {
    /// Every practice exam of the pack with the finished attempts of each.
    fn list(pack: &Pack, attempts: &[AttemptRecord]) -> Vec<PracticeStatus> {
        let count = PracticeExams::of(pack).map_or(0, |e| e.len());
        let of = u8::try_from(count).unwrap_or(u8::MAX);
        (1..=of)
            .map(|number| {
                let scores: Vec<&Score> = attempts
                    .iter()
                    .filter(|a| a.mode == Mode::Exam && a.pack.as_deref() == Some(pack.id()))
                    .filter(|a| a.practice_exam.is_some_and(|p| p.number == number))
                    .filter_map(|a| a.score.as_ref())
                    .collect();
                PracticeStatus {
                    exam: PracticeExamRef { number, of },
                    taken: scores.len(),
                    best: scores.into_iter().max_by_key(|s| s.scaled).cloned(),
                }
            })
            .collect()
    }
}

pub struct LauncherScreen {
    shared: Rc<Shared>,
    options: QuizOptions,
    selected: usize,
    /// The selected pack's exam left unfinished, offered first.
    unfinished: Option<AttemptSnapshot>,
    /// The selected pack's practice exams.
    practice: Vec<PracticeStatus>,
    /// The selected pack's readiness for its exam.
    readiness: Option<Readiness>,
    /// What starting now would give, or why it cannot start: text and its style.
    preview: Vec<(String, Style)>,
    /// The whole-attempt time of the exam the options would start, as planned (a shorter
    /// exam keeps the real one's pace).
    planned_ms: Option<UnixMillis>,
    /// A problem to show (a failed start, the store).
    message: Option<String>,
}

impl LauncherScreen {
    /// The launcher on `options`, with a message when a start just failed.
    /// A practice exam asked for is selected rather than started: the launcher opens when
    /// an unfinished exam must be resumed or set aside first.
    pub fn new(shared: Rc<Shared>, mut options: QuizOptions, message: Option<String>) -> Self {
        let asked = options.practice_exam.take();
        let mut s = LauncherScreen {
            shared,
            options,
            selected: 0,
            unfinished: None,
            practice: Vec::new(),
            readiness: None,
            preview: Vec::new(),
            planned_ms: None,
            message,
        };
        s.pack_changed();
        let rows = s.rows();
        let practice = rows
            .iter()
            .position(|r| matches!(r, Row::PracticeExam(p) if Some(p.number) == asked));
        let start = rows.iter().position(|&r| r == Row::Start);
        s.selected = practice.or(start).unwrap_or(0);
        if s.unfinished.is_some() {
            s.selected = 0;
        }
        s
    }

    /// The launcher for a pack (else the first with an exam): its exam when it has one, else
    /// practice.
    pub fn for_pack(shared: Rc<Shared>, pack: Option<&str>) -> Self {
        let packs = &shared.library.packs;
        let chosen = pack
            .and_then(|id| shared.library.pack(id))
            .or_else(|| packs.iter().find(|p| p.manifest.exam.is_some()));
        let mode = match chosen {
            Some(p) if p.manifest.exam.is_some() => Mode::Exam,
            _ => Mode::Practice,
        };
        let options = QuizOptions::new(chosen.map(|p| p.id().to_string()), mode);
        LauncherScreen::new(shared, options, None)
    }

    fn pack(&self) -> Option<&Pack> {
        self.options
            .pack
            .as_deref()
            .and_then(|id| self.shared.library.pack(id))
    }

    fn rows(&self) -> Vec<Row> {
        let mut rows = Vec::new();
        if self.unfinished.is_some() {
            rows.push(Row::Resume);
        }
        rows.extend([Row::Pack, Row::Mode]);
        if self.options.mode != Mode::Exam {
            rows.extend([Row::Domain, Row::Topic, Row::Difficulty]);
        }
        rows.extend([Row::Count, Row::Time, Row::Start]);
        if self.options.mode == Mode::Exam {
            rows.extend(self.practice.iter().map(|p| Row::PracticeExam(p.exam)));
        }
        rows.push(Row::History);
        rows
    }

    /// Re-reads what depends on the pack: the unfinished exam, the practice exams, readiness,
    /// the preview.
    fn pack_changed(&mut self) {
        let shared = self.shared.clone();
        let progress = &shared.progress;
        let now = shared.now();
        self.unfinished = None;
        self.practice.clear();
        self.readiness = None;
        if let Some(pack) = self.pack() {
            let unfinished = progress.unfinished_exam(pack.id());
            let practice = progress.attempts().map(|a| PracticeStatus::list(pack, &a));
            let readiness = progress.readiness(pack, now);
            match (unfinished, practice, readiness) {
                (Ok(u), Ok(p), Ok(r)) => {
                    self.unfinished = u;
                    self.practice = p;
                    self.readiness = Some(r);
                }
                (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
                    self.message = Some(e.to_string())
                }
            }
        }
        self.options_changed();
    }

    /// Draws the quiz these options would start, to say what it holds before it starts.
    fn options_changed(&mut self) {
        let len = self.rows().len();
        self.selected = self.selected.min(len - 1);
        let theme = &self.shared.theme;
        let planned = self.dry_run(&self.options);
        self.planned_ms = planned.as_ref().ok().and_then(|p| p.2);
        self.preview = match planned {
            Ok((count, notice, _)) => {
                let mut lines = vec![(self.summary(count), theme.base)];
                lines.extend(notice.map(|n| (format!("⚠ {n}"), theme.warn)));
                lines
            }
            Err(e) => vec![(format!("✗ {e}"), theme.error)],
        };
    }

    /// The question count, build notice and exam time of the quiz `options` give.
    fn dry_run(&self, options: &QuizOptions) -> Result<Planned, StartError> {
        let shared = &self.shared;
        let history = History::new(shared.progress.past_answers()?);
        let now = shared.now();
        let planned = plan(
            &shared.library,
            &history,
            options,
            seed_from(now),
            now.as_millisecond(),
        )?;
        let total = match planned.session.spec().timer {
            Timer::Total { ms } => Some(ms),
            Timer::Untimed | Timer::PerQuestion { .. } => None,
        };
        Ok((
            planned.session.len(),
            shortfall_notice(self.pack(), &planned),
            total,
        ))
    }

    fn summary(&self, count: usize) -> String {
        let questions = format!("{count} question{}", if count == 1 { "" } else { "s" });
        match (
            self.options.mode,
            self.pack().and_then(|p| p.manifest.exam.as_ref()),
        ) {
            (Mode::Exam, Some(exam)) => format!(
                "{questions} by domain weight · {} · pass mark {} of 1000",
                clock(self.exam_ms()),
                exam.pass_score
            ),
            (Mode::Drill, _) => format!(
                "{questions}: your misses, most recent first, then your weakest domains · {}",
                self.time_label()
            ),
            _ => format!(
                "{questions}, marked as you go, not seen lately first · {}",
                self.time_label()
            ),
        }
    }

    fn exam_ms(&self) -> UnixMillis {
        let pack_minutes = self
            .pack()
            .and_then(|p| p.manifest.exam.as_ref())
            .map_or(0, |e| e.minutes);
        self.options
            .limit_ms
            .or(self.planned_ms)
            .unwrap_or(UnixMillis::from(pack_minutes) * 60_000)
    }

    fn time_label(&self) -> String {
        match (self.options.mode, self.options.limit_ms) {
            (Mode::Exam, _) => format!("{} minutes", self.exam_ms() / 60_000),
            (_, None) => "untimed".to_string(),
            (_, Some(ms)) => format!("{} s per question", ms / 1000),
        }
    }

    /// The length asked for: as set, else the exam's or a default round.
    fn count(&self) -> usize {
        let default = match self.options.mode {
            Mode::Exam => self
                .pack()
                .and_then(|p| p.manifest.exam.as_ref())
                .map_or(0, |e| e.questions as usize),
            Mode::Practice | Mode::Drill => DEFAULT_ROUND,
        };
        self.options.count.unwrap_or(default)
    }

    /// The packs this mode can use: exams need an `[exam]`; the others take every pack.
    fn pack_choices(&self) -> Vec<Option<String>> {
        let packs = self.shared.library.packs.iter();
        match self.options.mode {
            Mode::Exam => packs
                .filter(|p| p.manifest.exam.is_some())
                .map(|p| Some(p.id().to_string()))
                .collect(),
            Mode::Practice | Mode::Drill => std::iter::once(None)
                .chain(
                    packs
                        .filter(|p| !p.questions.is_empty())
                        .map(|p| Some(p.id().to_string())),
                )
                .collect(),
        }
    }

    fn mode_choices(&self) -> Vec<Mode> {
        let exam = self.pack().is_some_and(|p| p.manifest.exam.is_some());
        let mut modes = vec![Mode::Practice, Mode::Drill];
        if exam {
            modes.insert(0, Mode::Exam);
        }
        modes
    }

    fn domain_choices(&self) -> Vec<Option<String>> {
        let domains = self.pack().map(|p| &p.manifest.domains[..]).unwrap_or(&[]);
        std::iter::once(None)
            .chain(domains.iter().map(|d| Some(d.id.clone())))
            .collect()
    }

    /// The notes the pack's questions belong to, in the pack's note order.
    fn topic_choices(&self) -> Vec<Option<String>> {
        let mut topics = vec![None];
        if let Some(pack) = self.pack() {
            for note in &pack.notes {
                let asked = pack
                    .questions
                    .iter()
                    .any(|q| q.note.as_ref().is_some_and(|n| n.id == note.id));
                if asked {
                    topics.push(Some(note.id.to_string()));
                }
            }
        }
        topics
    }

    /// Steps a setting left (`-1`) or right (`1`).
    fn change(&mut self, row: Row, step: isize) {
        match row {
            Row::Pack => {
                let choices = self.pack_choices();
                self.options.pack = cycle(&choices, &self.options.pack, step);
                if !self.mode_choices().contains(&self.options.mode) {
                    self.options.mode = Mode::Practice;
                }
                self.options.domain = None;
                self.options.topic = None;
                self.pack_changed();
                return;
            }
            Row::Mode => {
                let mode = cycle(&self.mode_choices(), &self.options.mode, step);
                self.set_mode(mode);
            }
            Row::Domain => {
                self.options.domain = cycle(&self.domain_choices(), &self.options.domain, step);
            }
            Row::Topic => {
                self.options.topic = cycle(&self.topic_choices(), &self.options.topic, step);
            }
            Row::Difficulty => {
                let levels = [None, Some(1), Some(2), Some(3)];
                self.options.difficulty = cycle(&levels, &self.options.difficulty, step);
            }
            Row::Count => {
                let next = self.count().saturating_add_signed(step);
                self.options.count = Some(next.clamp(1, MAX_COUNT));
            }
            Row::Time => self.options.limit_ms = self.stepped_time(step),
            Row::Resume | Row::Start | Row::PracticeExam(_) | Row::History => return,
        }
        self.options_changed();
    }

    /// Switching mode resets the length and time, whose meaning differs per mode.
    fn set_mode(&mut self, mode: Mode) {
        let o = &mut self.options;
        if o.mode != mode {
            o.mode = mode;
            o.count = None;
            o.limit_ms = None;
        }
        if mode == Mode::Exam {
            o.domain = None;
            o.topic = None;
            o.difficulty = None;
        }
    }

    fn stepped_time(&self, step: isize) -> Option<UnixMillis> {
        match self.options.mode {
            Mode::Exam => {
                let minutes = (self.exam_ms() / 60_000) as u32;
                let next = if step > 0 {
                    minutes + EXAM_MINUTES_STEP
                } else {
                    minutes.saturating_sub(EXAM_MINUTES_STEP).max(1)
                };
                Some(UnixMillis::from(next) * 60_000)
            }
            Mode::Practice | Mode::Drill => {
                let secs = self.options.limit_ms.map_or(0, |ms| (ms / 1000) as u32);
                let next = cycle(&PER_QUESTION_SECS, &secs, step);
                (next > 0).then(|| UnixMillis::from(next) * 1000)
            }
        }
    }

    fn activate(&mut self, row: Row) -> Effect {
        match row {
            Row::History => Effect::Go(Nav::QuizHistory),
            Row::Resume => match &self.options.pack {
                Some(pack) => Effect::Replace(Nav::Quiz(QuizStart::Resume { pack: pack.clone() })),
                None => Effect::None,
            },
            Row::PracticeExam(p) => self.start(Some(p.number)),
            _ => self.start(None),
        }
    }

    /// Starts a new attempt (a practice exam, or as the options say); an unfinished exam of
    /// the pack is set aside for it.
    fn start(&mut self, practice_exam: Option<u8>) -> Effect {
        let options = QuizOptions {
            practice_exam,
            ..self.options.clone()
        };
        if let Err(e) = self.dry_run(&options) {
            self.message = Some(e.to_string());
            return Effect::Redraw;
        }
        if self.options.mode == Mode::Exam
            && let Some(old) = self.unfinished.take()
        {
            let now = self.shared.now().as_millisecond();
            if let Err(e) = self.shared.progress.abandon_attempt(&old, now) {
                self.message = Some(e.to_string());
                return Effect::Redraw;
            }
        }
        Effect::Replace(Nav::Quiz(QuizStart::New(options)))
    }

    fn value(&self, row: Row) -> String {
        let o = &self.options;
        let library = &self.shared.library;
        let any = |v: Option<String>| v.unwrap_or_else(|| "any".to_string());
        match row {
            Row::Pack => pack_name(library, o.pack.as_deref()),
            Row::Mode => mode_label(o.mode).to_string(),
            Row::Domain => any(o
                .domain
                .as_deref()
                .map(|d| domain_name(library, o.pack.as_deref(), d))),
            Row::Topic => any(o.topic.as_deref().map(|t| {
                self.pack()
                    .and_then(|p| p.note(t))
                    .map_or_else(|| t.to_string(), |n| n.title.clone())
            })),
            Row::Difficulty => any(o.difficulty.map(|d| format!("{d} of 3"))),
            Row::Count => self.count().to_string(),
            Row::Time => self.time_label(),
            Row::Resume | Row::Start | Row::PracticeExam(_) | Row::History => String::new(),
        }
    }

    fn label(&self, row: Row) -> String {
        match row {
            Row::Resume => match &self.unfinished {
                Some(s) => {
                    let answered = s.questions.iter().filter(|q| !q.chosen.is_empty()).count();
                    let left = s
                        .remaining_ms()
                        .map_or(String::new(), |ms| format!(", {} left", clock(ms)));
                    let which = match s.spec.practice_exam {
                        Some(p) => p.to_string().to_lowercase(),
                        None => "the unfinished exam".to_string(),
                    };
                    format!(
                        "▶ Resume {which}: {answered} of {} answered{left}",
                        s.questions.len()
                    )
                }
                None => String::new(),
            },
            Row::Pack => "Pack".into(),
            Row::Mode => "Mode".into(),
            Row::Domain => "Domain".into(),
            Row::Topic => "Topic".into(),
            Row::Difficulty => "Difficulty".into(),
            Row::Count => "Questions".into(),
            Row::Time => "Time".into(),
            Row::Start if self.unfinished.is_some() && self.options.mode == Mode::Exam => {
                "▶ Start a new exam (sets the unfinished one aside)".into()
            }
            Row::Start if !self.practice.is_empty() && self.options.mode == Mode::Exam => {
                "▶ Start exam: a random draw".into()
            }
            Row::Start => format!("▶ Start {}", mode_label(self.options.mode).to_lowercase()),
            Row::PracticeExam(p) => format!("▶ {p}"),
            Row::History => "  History and score trends ›".into(),
        }
    }

    /// How the learner did in a practice exam: in progress, its best score and verdict, or not
    /// taken yet.
    fn practice_spans(&self, number: u8) -> Vec<Span<'static>> {
        let theme = &self.shared.theme;
        let Some(status) = self.practice.iter().find(|p| p.exam.number == number) else {
            return Vec::new();
        };
        let open = self
            .unfinished
            .as_ref()
            .and_then(|u| u.spec.practice_exam)
            .is_some_and(|p| p.number == number);
        let mut spans = Vec::new();
        if open {
            spans.push(Span::styled("  in progress", theme.warn));
        }
        let Some(best) = &status.best else {
            if !open {
                spans.push(Span::styled("  not taken yet", theme.muted));
            }
            return spans;
        };
        spans.push(Span::styled(
            format!("  best {}", best.scaled),
            theme.strong,
        ));
        match best.passed() {
            Some(true) => spans.push(Span::styled(" pass", theme.ok)),
            Some(false) => spans.push(Span::styled(" fail", theme.error)),
            None => {}
        }
        let times = match status.taken {
            1 => "taken once".to_string(),
            n => format!("taken {n} times"),
        };
        spans.push(Span::styled(format!(" · {times}"), theme.muted));
        spans
    }

    fn draw_rows(&self, area: Rect, buf: &mut Buffer) {
        let theme = &self.shared.theme;
        let width = usize::from(area.width);
        for (i, row) in self.rows().into_iter().enumerate() {
            let y = area.y + i as u16;
            if y >= area.bottom() {
                break;
            }
            let selected = i == self.selected;
            let style = row_style(buf, area, y, 1, selected, theme);
            let value = self.value(row);
            let mut spans = vec![Span::styled(marker(selected), theme.accent)];
            if let Row::PracticeExam(p) = row {
                spans.push(Span::styled(format!("{:<25}", self.label(row)), style));
                spans.extend(self.practice_spans(p.number));
            } else if value.is_empty() {
                spans.push(Span::styled(truncate(&self.label(row), width - 2), style));
            } else {
                let shown = truncate(&value, width.saturating_sub(20));
                spans.push(Span::styled(
                    format!("{:<12}", self.label(row)),
                    theme.muted,
                ));
                spans.push(Span::styled("‹ ", theme.accent));
                spans.push(Span::styled(shown, style.patch(theme.strong)));
                spans.push(Span::styled(" ›", theme.accent));
            }
            put_line(buf, area, y, &Line::from(spans).patch_style(style));
        }
    }

    /// The readiness panel's lines: the pack's readiness, or what to choose to see one.
    fn readiness_lines(&self, width: u16) -> Vec<Line<'static>> {
        let theme = &self.shared.theme;
        match (&self.readiness, self.options.pack.as_deref()) {
            (Some(r), Some(pack)) if !r.domains.is_empty() => {
                readiness_lines(r, &self.shared.library, pack, usize::from(width), theme)
            }
            _ => vec![Line::styled(
                "Choose a pack with domains to see how ready you are.",
                theme.muted,
            )],
        }
    }
}

/// The choice `step` places from `current` in `choices`, wrapping; the first when `current`
/// is not among them.
fn cycle<T: Clone + PartialEq>(choices: &[T], current: &T, step: isize) -> T {
    let len = choices.len() as isize;
    let at = choices.iter().position(|c| c == current);
    let next = match at {
        Some(i) => (i as isize + step).rem_euclid(len),
        None => 0,
    };
    choices[next as usize].clone()
}

impl Screen for LauncherScreen {
    fn scopes(&self) -> &'static [Scope] {
        SCOPES
    }

    fn handle(&mut self, input: Input) -> Effect {
        let Input::Action(action) = input else {
            return Effect::Ignored;
        };
        let rows = self.rows();
        let row = rows[self.selected.min(rows.len() - 1)];
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(rows.len() - 1),
            Action::Top => self.selected = 0,
            Action::Bottom => self.selected = rows.len() - 1,
            Action::Left => self.change(row, -1),
            Action::Right => self.change(row, 1),
            Action::Open => return self.activate(row),
            _ => return Effect::Ignored,
        }
        Effect::Redraw
    }

    fn reload(&mut self, shared: Rc<Shared>) {
        self.shared = shared;
        if self.pack().is_none() {
            self.options.pack = None;
        }
        self.pack_changed();
    }

    fn render(&self, area: Rect, buf: &mut Buffer) {
        let shared = &*self.shared;
        let theme = &shared.theme;
        let body = frame(
            area,
            buf,
            shared,
            Chrome::new(&["quiz"]).status("←/→ change · enter start "),
        );
        let problem = self.message.iter().map(|m| (format!("✗ {m}"), theme.error));
        let notes: Vec<Line<'static>> = problem
            .chain(self.preview.iter().cloned())
            .flat_map(|(text, style)| {
                let lines = markdown(&text, body.width.saturating_sub(2), theme);
                lines.into_iter().map(move |l| l.patch_style(style))
            })
            .collect();
        let rows = self.rows().len() as u16;
        let readiness = self.readiness_lines(body.width.saturating_sub(4));
        let [settings, preview, readiness_area] = Layout::vertical([
            Constraint::Length(rows + 2),
            Constraint::Length(notes.len() as u16 + 1),
            Constraint::Length(readiness.len() as u16 + 2),
        ])
        .areas(body);
        let inner = section(" Quiz ", theme.border_focus, settings, buf, theme);
        self.draw_rows(inner, buf);
        let preview = padded(preview);
        for (y, line) in (preview.y..preview.bottom()).zip(&notes) {
            put_line(buf, preview, y, line);
        }
        let title = match self.pack() {
            Some(p) => format!(" Readiness · {} ", p.manifest.name),
            None => " Readiness ".to_string(),
        };
        let inner = section(&title, theme.border, readiness_area, buf, theme);
        for (y, line) in (inner.y..inner.bottom()).zip(&readiness) {
            put_line(buf, inner, y, line);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::cycle;

    #[test]
    fn settings_cycle_both_ways_and_start_over_when_unknown() {
        let choices = [None, Some(1), Some(2)];
        assert_eq!(cycle(&choices, &None, 1), Some(1));
        assert_eq!(cycle(&choices, &None, -1), Some(2));
        assert_eq!(cycle(&choices, &Some(2), 1), None);
        assert_eq!(cycle(&choices, &Some(9), 1), None);
    }
}
