//! A topic page: the note's summary, and links to its note, cards, questions, lab and related
//! topics.

use crate::tui::screens::Screen;
use std::rc::Rc;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};

use crate::content::{CardKind, Note, NoteRef, Pack, cloze};
use crate::search::Target;
use crate::tui::keymap::{Action, Scope};
use crate::tui::nav::{Effect, Input, Nav};
use crate::tui::shared::Shared;
use crate::tui::widgets::chrome::{Chrome, frame};
use crate::tui::widgets::cursor::Cursor;
use crate::tui::widgets::{marker, put_line, row_style, truncate, visible_rows};

pub const SCOPES: &[Scope] = &[Scope::Topic, Scope::List];

/// One selectable row of the page, or a section heading.
#[derive(Debug, Clone)]
enum Row {
    Section(String),
    Go { label: String, nav: Nav },
}

pub struct TopicScreen {
    shared: Rc<Shared>,
    pack: String,
    id: String,
    rows: Vec<Row>,
    cursor: Cursor,
}

fn card_label(kind: &CardKind) -> String {
    match kind {
        CardKind::Basic { front, reverse, .. } => {
            format!("{front}{}", if *reverse { "  ⇄" } else { "" })
        }
        CardKind::Cloze { text } => match cloze::parse(text) {
            Ok(d) => cloze::front(text, &d, d.first().map_or(1, |x| x.number)),
            Err(_) => text.to_string(),
        },
    }
}

/// Whether an item of `pack` refers to its note `id`.
fn belongs(r: Option<&NoteRef>, pack: &str, id: &str) -> bool {
    r.is_some_and(|r| r.pack_or(pack) == pack && r.id == id)
}

/// A titled group of rows with its count; nothing when the group is empty.
fn push_section(rows: &mut Vec<Row>, title: &str, items: Vec<Row>) {
    if !items.is_empty() {
        rows.push(Row::Section(format!("{title} ({})", items.len())));
        rows.extend(items);
    }
}

fn build_rows(shared: &Shared, pack: &Pack, note: &Note) -> Vec<Row> {
    let pid = pack.id();
    let mut rows = vec![
        Row::Section("Study".into()),
        Row::Go {
            label: format!("Read the note: {}", note.title),
            nav: Nav::Note {
                pack: pid.to_string(),
                id: note.id.to_string(),
                anchor: None,
            },
        },
    ];
    if let Some(lab) = note.lab {
        rows.push(Row::Go {
            label: format!("Open the lab: {}", crate::tui::screens::labs::title(lab)),
            nav: Nav::Lab(lab),
        });
    }
    let item = |target: Target, label: String| Row::Go {
        label: crate::words::one_line(&label),
        nav: Nav::Item(target),
    };
    let cards: Vec<Row> = pack
        .cards
        .iter()
        .filter(|c| belongs(c.note.as_ref(), pid, &note.id))
        .map(|c| {
            item(
                Target::Card {
                    pack: pid.to_string(),
                    id: c.id.to_string(),
                },
                card_label(&c.kind),
            )
        })
        .collect();
    let questions: Vec<Row> = pack
        .questions
        .iter()
        .filter(|q| belongs(q.note.as_ref(), pid, &note.id))
        .map(|q| {
            item(
                Target::Question {
                    pack: pid.to_string(),
                    id: q.id.to_string(),
                },
                q.stem.to_string(),
            )
        })
        .collect();
    if !cards.is_empty() {
        // Still under "Study", right after the note.
        rows.push(Row::Go {
            label: study_label(shared, pid, &note.id),
            nav: Nav::study(pid, &note.id),
        });
        let key = shared.keymap.key_for(Action::CustomStudy);
        rows.push(Row::Go {
            label: format!(
                "Custom study{}: review ahead, extra new cards, cram",
                key.map_or_else(String::new, |k| format!(" ({k})"))
            ),
            nav: Nav::CustomStudy(crate::srs::Scope::topic(pid, &note.id)),
        });
    }
    push_section(&mut rows, "Cards", cards);
    push_section(&mut rows, "Questions", questions);
    let related: Vec<_> = note
        .related
        .iter()
        .filter_map(|r| shared.library.note(pid, r))
        .collect();
    if !related.is_empty() {
        rows.push(Row::Section("Related topics".into()));
        rows.extend(related.iter().map(|(p, n)| Row::Go {
            label: if p.id() == pid {
                n.title.clone()
            } else {
                format!("{} ({})", n.title, p.manifest.name)
            },
            nav: Nav::Topic {
                pack: p.id().to_string(),
                id: n.id.to_string(),
            },
        }));
    }
    rows
}

/// The study row, with what studying the topic now would show.
fn study_label(shared: &Shared, pack: &str, note: &str) -> String {
    let scope = crate::srs::Scope::topic(pack, note);
    let Ok(session) = shared.progress.session(&scope, shared.now()) else {
        return "Study this topic now".into();
    };
    let c = session.counts();
    let due = c.learning + c.review;
    match (due, c.new) {
        (0, 0) => "Study this topic now: nothing due, no new cards".into(),
        (due, 0) => format!("Study this topic now: {due} due"),
        (0, new) => format!("Study this topic now: {new} new"),
        (due, new) => format!("Study this topic now: {due} due, then {new} new"),
    }
}

impl TopicScreen {
    pub fn new(shared: Rc<Shared>, pack: &str, id: &str) -> Self {
        let mut s = TopicScreen {
            shared,
            pack: pack.to_string(),
            id: id.to_string(),
            rows: Vec::new(),
            cursor: Cursor::default(),
        };
        s.rebuild();
        s.cursor.selected = s.first_selectable(0, 1);
        s
    }

    fn rebuild(&mut self) {
        let lib = &self.shared.library;
        self.rows = match lib.note(
            &self.pack,
            &NoteRef {
                pack: None,
                id: self.id.as_str().into(),
            },
        ) {
            Some((pack, note)) => build_rows(&self.shared, pack, note),
            None => Vec::new(),
        };
    }

    fn note(&self) -> Option<(&Pack, &Note)> {
        self.shared.library.note(
            &self.pack,
            &NoteRef {
                pack: None,
                id: self.id.as_str().into(),
            },
        )
    }

    /// The nearest selectable row from `from` in direction `dir` (section headings are skipped).
    fn first_selectable(&self, from: usize, dir: isize) -> usize {
        let mut i = from as isize;
        while i >= 0 && (i as usize) < self.rows.len() {
            if matches!(self.rows[i as usize], Row::Go { .. }) {
                return i as usize;
            }
            i += dir;
        }
        self.cursor.selected
    }

    fn list_height(&self) -> usize {
        self.shared.body_height().saturating_sub(8)
    }
}

impl Screen for TopicScreen {
    fn scopes(&self) -> &'static [Scope] {
        SCOPES
    }

    fn handle(&mut self, input: Input) -> Effect {
        let Input::Action(action) = input else {
            return Effect::Ignored;
        };
        let len = self.rows.len();
        let page = self.shared.body_height().saturating_sub(8).max(1) as isize;
        let (delta, dir) = match action {
            Action::Up => (-1, -1),
            Action::Down => (1, 1),
            Action::PageUp | Action::HalfPageUp => (-page, -1),
            Action::PageDown | Action::HalfPageDown => (page, 1),
            Action::Top => (-(len as isize), 1),
            Action::Bottom => (len as isize, -1),
            Action::Open => {
                return match self.rows.get(self.cursor.selected) {
                    Some(Row::Go { nav, .. }) => Effect::Go(nav.clone()),
                    _ => Effect::None,
                };
            }
            Action::Review => return Effect::Go(Nav::study(&self.pack, &self.id)),
            Action::BrowseCards => {
                return Effect::Go(Nav::Cards(crate::srs::Scope::topic(&self.pack, &self.id)));
            }
            Action::CustomStudy => {
                let scope = crate::srs::Scope::topic(&self.pack, &self.id);
                return Effect::Go(Nav::CustomStudy(scope));
            }
            _ => return Effect::Ignored,
        };
        let mut c = self.cursor;
        c.step(delta, len);
        self.cursor.selected = self.first_selectable(c.selected, dir);
        self.cursor.settle(self.list_height());
        Effect::Redraw
    }

    fn reload(&mut self, shared: Rc<Shared>) {
        self.shared = shared;
        self.rebuild();
        self.cursor.step(0, self.rows.len());
    }

    /// Back from studying the topic: the study row's counts have changed.
    fn on_show(&mut self) {
        self.rebuild();
    }

    fn render(&self, area: Rect, buf: &mut Buffer) {
        let shared = &*self.shared;
        let theme = &shared.theme;
        let Some((pack, note)) = self.note() else {
            let body = frame(area, buf, shared, Chrome::new(&["topic"]));
            put_line(
                buf,
                body,
                body.y,
                &Line::styled("This topic is no longer in its pack.", theme.warn),
            );
            return;
        };
        let body = frame(
            area,
            buf,
            shared,
            Chrome::new(&[&pack.manifest.name, &note.title]),
        );
        let [head, list] =
            Layout::vertical([Constraint::Length(6), Constraint::Min(0)]).areas(body);
        let domain = note
            .domain
            .as_deref()
            .and_then(|d| pack.domain(d))
            .map(|d| d.name.clone());
        let mut meta = Vec::new();
        if let Some(d) = domain {
            meta.push(Span::styled(d, theme.info));
            meta.push(Span::raw("  "));
        }
        if !note.tags.is_empty() {
            meta.push(Span::styled(
                format!("#{}", note.tags.join(" #")),
                theme.muted,
            ));
        }
        let text = vec![
            Line::styled(
                truncate(&note.title, usize::from(head.width)),
                theme.heading(1),
            ),
            Line::from(meta),
            Line::raw(""),
            Line::styled(truncate(&note.summary, 400), theme.base),
        ];
        Paragraph::new(text)
            .wrap(Wrap { trim: true })
            .render(head.inner(ratatui::layout::Margin::new(1, 0)), buf);

        let block = Block::bordered().border_style(theme.border);
        let inner = block.inner(list);
        block.render(list, buf);
        let w = usize::from(inner.width);
        for (i, y) in visible_rows(inner, &self.cursor, self.rows.len(), 1) {
            let line = match &self.rows[i] {
                Row::Section(title) => Line::styled(truncate(title, w), theme.heading(3)),
                Row::Go { label, .. } => {
                    let sel = i == self.cursor.selected;
                    let style = row_style(buf, inner, y, 1, sel, theme);
                    Line::from(vec![
                        Span::styled(format!(" {}", marker(sel)), theme.accent),
                        Span::styled(truncate(label, w.saturating_sub(3)), style),
                    ])
                }
            };
            put_line(buf, inner, y, &line);
        }
    }
}
