//! Home: the packs with their size and progress, what to do next, and notices about problems.

use std::sync::mpsc::Receiver;

use crate::progress;
use crate::tui::screens::Screen;
use std::rc::Rc;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};

use crate::tui::keymap::{Action, Scope};
use crate::tui::nav::{Effect, Input, Nav};
use crate::tui::screens::coming_up;
use crate::tui::screens::dashboard::{
    Dashboard, panel, progress_spans, render_readiness, render_today,
};
use crate::tui::shared::Shared;
use crate::tui::widgets::chrome::{Chrome, frame};
use crate::tui::widgets::cursor::Cursor;
use crate::tui::widgets::{fit_line, marker, put_line, row_style, truncate, visible_rows};

pub struct HomeScreen {
    shared: Rc<Shared>,
    cursor: Cursor,
    /// Worked out when home is first drawn, not when it is built: an app opened straight on
    /// a review or an exam never pays for it.
    dashboard: std::cell::OnceCell<Dashboard>,
    /// Changes to progress since the panels were computed.
    changes: Receiver<progress::Event>,
    computed_at: jiff::Timestamp,
}

/// How old the panels may get before home is recomputed on showing it again, so due counts
/// follow the clock even when nothing was reviewed.
const STALE_AFTER: jiff::SignedDuration = jiff::SignedDuration::from_secs(60);

pub const SCOPES: &[Scope] = &[Scope::Home, Scope::List];

impl HomeScreen {
    pub fn new(shared: Rc<Shared>) -> Self {
        HomeScreen {
            changes: shared.progress.subscribe(),
            computed_at: shared.now(),
            dashboard: std::cell::OnceCell::new(),
            cursor: Cursor::default(),
            shared,
        }
    }

    /// The progress panels, computed from the progress kept in memory on first use.
    fn dashboard(&self) -> &Dashboard {
        self.dashboard
            .get_or_init(|| Dashboard::compute(&self.shared))
    }

    /// Drops the progress panels: they are computed again, from memory, when next drawn.
    fn refresh(&mut self) {
        self.computed_at = self.shared.now();
        self.dashboard = std::cell::OnceCell::new();
    }
}

impl Screen for HomeScreen {
    fn scopes(&self) -> &'static [Scope] {
        SCOPES
    }

    fn enabled(&self, action: Action) -> bool {
        match action {
            Action::Diagnostics => self.shared.library.broken().next().is_some(),
            Action::Open | Action::Exam | Action::BrowseCards => {
                !self.shared.library.packs.is_empty()
            }
            _ => true,
        }
    }

    fn handle(&mut self, input: Input) -> Effect {
        let packs = &self.shared.library.packs;
        let Input::Action(action) = input else {
            return Effect::Ignored;
        };
        match action {
            Action::Up => self.cursor.step(-1, packs.len()),
            Action::Down => self.cursor.step(1, packs.len()),
            Action::Top => self.cursor.first(),
            Action::Bottom => self.cursor.last(packs.len()),
            Action::Open => {
                return match packs.get(self.cursor.selected) {
                    Some(p) => Effect::Go(Nav::Library {
                        pack: Some(p.id().to_string()),
                    }),
                    None => Effect::None,
                };
            }
            Action::Labs => return Effect::Go(Nav::Labs),
            Action::Exam => {
                let pack = packs.get(self.cursor.selected).map(|p| p.id().to_string());
                return Effect::Go(Nav::QuizSetup { pack });
            }
            Action::Review => {
                return Effect::Go(Nav::Review(crate::srs::Scope::default().into()));
            }
            Action::CustomStudy => {
                let pack = packs.get(self.cursor.selected).map(|p| p.id().to_string());
                return Effect::Go(Nav::CustomStudy(crate::srs::Scope {
                    pack,
                    ..crate::srs::Scope::default()
                }));
            }
            Action::BrowseCards => {
                return match packs.get(self.cursor.selected) {
                    Some(p) => Effect::Go(Nav::Cards(crate::srs::Scope {
                        pack: Some(p.id().to_string()),
                        ..crate::srs::Scope::default()
                    })),
                    None => Effect::None,
                };
            }
            Action::Stats => return Effect::Go(Nav::Stats),
            Action::Settings => return Effect::Go(Nav::Settings),
            Action::ExamPlan => {
                let pack = packs.get(self.cursor.selected);
                let pack = pack
                    .filter(|p| p.manifest.exam.is_some())
                    .map(|p| p.id().to_string());
                return Effect::Go(Nav::Plan { pack });
            }
            Action::DrillWeakest => {
                let pack = self.shared.library.packs.get(self.cursor.selected);
                return match pack.and_then(|p| coming_up::drill_weakest(self.dashboard(), p.id())) {
                    Some(nav) => Effect::Go(nav),
                    None => Effect::Toast(
                        "No weak domain yet: an exam or a practice round shows which one it is."
                            .into(),
                    ),
                };
            }
            Action::Diagnostics if self.shared.library.broken().next().is_some() => {
                return Effect::Go(Nav::Diagnostics);
            }
            _ => return Effect::Ignored,
        }
        Effect::Redraw
    }

    fn reload(&mut self, shared: Rc<Shared>) {
        self.changes = shared.progress.subscribe();
        self.shared = shared;
        let len = self.shared.library.packs.len();
        self.cursor.step(0, len);
        self.refresh();
    }

    /// Back from a review or an exam: the panels are recomputed when progress changed or
    /// time moved on, and left alone otherwise.
    fn on_show(&mut self) {
        let changed = self.changes.try_iter().count() > 0;
        if changed || self.shared.now().duration_since(self.computed_at) >= STALE_AFTER {
            self.refresh();
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer) {
        let shared = &*self.shared;
        let theme = &shared.theme;
        let body = frame(area, buf, shared, Chrome::new(&["home"]));
        let notices = notices(shared);
        let packs_h = (shared.library.packs.len() as u16 * 2 + 2).max(TODAY_HEIGHT);
        let start_h = (start_lines(shared).len() as u16).div_ceil(2) + 2;
        let selected = shared.library.packs.get(self.cursor.selected);
        let ready_h = selected
            .filter(|p| p.manifest.exam.is_some())
            .map_or(0, |p| p.manifest.domains.len() as u16 + 3);
        let notice_h = notices.len().min(3) as u16;
        // The "Coming up" panel only where it fits whole below everything else. Notices keep
        // a row free under them: while watching packs, the problems bar covers the last one.
        let coming_h = coming_up::height(self.dashboard().by_pack.len());
        let spare = u16::from(notice_h > 0);
        let coming_h = if packs_h + start_h + ready_h + notice_h + coming_h + spare <= body.height {
            coming_h
        } else {
            0
        };
        let [top, start_area, ready_area, coming_area, notice_area] = Layout::vertical([
            Constraint::Max(packs_h),
            Constraint::Length(start_h),
            Constraint::Length(ready_h),
            Constraint::Length(coming_h),
            Constraint::Length(notice_h),
        ])
        .areas(body);
        if coming_h > 0 {
            let pack = selected.map(crate::content::Pack::id);
            coming_up::render(self.dashboard(), shared, pack, coming_area, buf);
        }
        if let Some(pack) = selected {
            render_readiness(self.dashboard(), shared, pack.id(), ready_area, buf);
        }
        let [packs_area, today_area] =
            Layout::horizontal([Constraint::Min(30), Constraint::Length(30)]).areas(top);
        self.render_packs(packs_area, buf);
        render_today(self.dashboard(), today_area, buf, theme);

        let inner = panel(start_area, buf, theme, "Start", false);
        let half = inner.width / 2;
        for (i, line) in start_lines(shared).iter().enumerate() {
            let col = Rect {
                x: inner.x + if i % 2 == 0 { 0 } else { half },
                width: half,
                ..inner
            };
            put_line(buf, col, inner.y + (i / 2) as u16, line);
        }
        for (row, n) in notices.iter().take(3).enumerate() {
            put_line(buf, notice_area, notice_area.y + row as u16, n);
        }
    }
}

/// Rows of the Today panel plus its borders.
const TODAY_HEIGHT: u16 = 7;

impl HomeScreen {
    fn render_packs(&self, area: Rect, buf: &mut Buffer) {
        let shared = &*self.shared;
        let theme = &shared.theme;
        let inner = panel(area, buf, theme, "Packs", true);
        let packs = &shared.library.packs;
        if packs.is_empty() {
            let hint = "No packs loaded. Create one with `sysdeck pack new NAME`.";
            put_line(buf, inner, inner.y, &Line::styled(hint, theme.muted));
            return;
        }
        let w = usize::from(inner.width);
        for (i, y) in visible_rows(inner, &self.cursor, packs.len(), 2) {
            let pack = &packs[i];
            let selected = i == self.cursor.selected;
            let style = row_style(buf, inner, y, 2, selected, theme);
            let info = format!(
                "{}{}",
                crate::words::count(pack.notes.len(), "topic"),
                if pack.manifest.exam.is_some() {
                    " · exam"
                } else {
                    ""
                }
            );
            let name_w = w.saturating_sub(info.len() + 3);
            let name = format!("{:<name_w$}", truncate(&pack.manifest.name, name_w));
            put_line(
                buf,
                inner,
                y,
                &Line::from(vec![
                    Span::styled(marker(selected), theme.accent),
                    Span::styled(name, style.patch(theme.strong)),
                    Span::styled(info, theme.muted),
                ]),
            );
            let mut second = vec![Span::raw("    ")];
            let progress = self.dashboard().pack(pack.id());
            second.extend(progress_spans(progress, 12.min(w / 4), theme));
            // Cards as they are studied (a reversed card is two, a cloze one per gap), the
            // count the card browser and the review show too.
            let cards = progress.map_or(pack.cards.len(), |p| p.items as usize);
            second.push(Span::styled(
                format!("  {cards} cards · {} questions", pack.questions.len()),
                theme.muted,
            ));
            put_line(buf, inner, y + 1, &fit_line(&Line::from(second), w));
        }
    }
}

/// What can be started from home: every binding of the home scope, with its key.
fn start_lines(shared: &Shared) -> Vec<Line<'static>> {
    let theme = &shared.theme;
    shared
        .keymap
        .bindings()
        .iter()
        .filter(|b| b.scope == Scope::Home)
        .filter(|b| b.action != Action::Diagnostics || shared.library.broken().next().is_some())
        // Offered in the "Coming up" panel, next to the domain it drills.
        .filter(|b| b.action != Action::DrillWeakest)
        .filter_map(|b| {
            let key = b.keys.first()?;
            Some(Line::from(vec![
                Span::styled(format!(" {key:>6}  "), theme.key_hint),
                Span::styled(b.description, theme.base),
            ]))
        })
        .collect()
}

/// Warnings worth a line on home: packs with errors and config problems.
fn notices(shared: &Shared) -> Vec<Line<'static>> {
    let theme = &shared.theme;
    let mut out = Vec::new();
    let broken: Vec<&str> = shared.library.broken().map(|r| r.label.as_str()).collect();
    if !broken.is_empty() {
        let key = shared
            .keymap
            .key_for(Action::Diagnostics)
            .map(|k| k.to_string())
            .unwrap_or_default();
        out.push(Line::from(vec![
            Span::styled(" ⚠ ", theme.warn),
            Span::styled(
                format!(
                    "{} with problems: {}. ",
                    crate::words::count(broken.len(), "pack"),
                    broken.join(", ")
                ),
                theme.warn,
            ),
            Span::styled(format!("Press {key} for details."), theme.muted),
        ]));
    }
    for n in &shared.notices {
        out.push(Line::from(vec![
            Span::styled(" ⚠ ", theme.warn),
            Span::styled(n.clone(), theme.warn),
        ]));
    }
    out
}
