//! The note reader: Markdown laid out once per width, scrolling, links followed in place with
//! back/forward history, a table of contents and search inside the note.

use crate::tui::screens::Screen;
use std::rc::Rc;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Widget};

use crate::content::links;
use crate::content::markdown::{Document, LinkTarget};
use crate::content::{Lab, NoteRef};
use crate::tui::keymap::{Action, Scope};
use crate::tui::markdown::{LayoutCache, Match, NoteView, Rendered, find};
use crate::tui::nav::{Effect, Input, Nav};
use crate::tui::shared::Shared;
use crate::tui::widgets::chrome::{Chrome, centered, frame, overlay_box};
use crate::tui::widgets::cursor::Cursor;
use crate::tui::widgets::{put_line, row_style, text_column, truncate, visible_rows};

pub const SCOPES: &[Scope] = &[Scope::Note];
/// Lines are easier to read when they stop well short of a wide terminal's edge.
pub const MAX_TEXT_WIDTH: u16 = 100;

/// Where the reader is: which note and how far down.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Place {
    pack: String,
    id: String,
    scroll: usize,
}

/// `/` search: the query, whether it is still being typed, and where n/N are.
#[derive(Debug, Clone, Default)]
struct Search {
    query: String,
    typing: bool,
    matches: Vec<Match>,
    current: Option<usize>,
}

pub struct NoteScreen {
    shared: Rc<Shared>,
    place: Place,
    doc: Document,
    layout: LayoutCache,
    selected_link: Option<usize>,
    back: Vec<Place>,
    forward: Vec<Place>,
    toc: Option<Cursor>,
    search: Option<Search>,
    /// The file the note was last loaded from, to find its errors when it stops loading.
    path: Option<String>,
}

/// The text column inside the body: centred, at most [`MAX_TEXT_WIDTH`] wide.
fn text_area(body: Rect) -> Rect {
    text_column(body, MAX_TEXT_WIDTH)
}

impl NoteScreen {
    pub fn new(shared: Rc<Shared>, pack: &str, id: &str, anchor: Option<&str>) -> Self {
        let mut s = NoteScreen {
            shared,
            place: Place {
                pack: pack.to_string(),
                id: id.to_string(),
                scroll: 0,
            },
            doc: Document::default(),
            layout: LayoutCache::new(),
            selected_link: None,
            back: Vec::new(),
            forward: Vec::new(),
            toc: None,
            search: None,
            path: None,
        };
        s.load();
        if let Some(anchor) = anchor {
            s.scroll_to_text(anchor);
        }
        s
    }

    fn note_ref(&self) -> NoteRef {
        NoteRef {
            pack: None,
            id: self.place.id.as_str().into(),
        }
    }

    /// Parses the current note; one that no longer loads shows the errors of its file.
    fn load(&mut self) {
        let note = self.shared.library.note(&self.place.pack, &self.note_ref());
        if let Some((_, n)) = note {
            self.path = Some(n.path.clone());
        }
        let body = match note {
            Some((_, n)) => n.body.to_string(),
            None => self.problems(),
        };
        self.doc = Document::parse(&body);
        self.layout.clear();
        self.selected_link = None;
        self.toc = None;
        self.search = None;
    }

    /// The errors that keep the note out of its pack, as `file:line:col: message` paragraphs
    /// (escaped, so the reader shows them as written); empty when there are none to show.
    /// The note's file is the one it was last loaded from, else `notes/<id>.md` anywhere.
    fn problems(&self) -> String {
        let Some(report) = self
            .shared
            .library
            .reports
            .iter()
            .find(|r| r.id.as_deref() == Some(self.place.pack.as_str()))
        else {
            return String::new();
        };
        let prefix = format!("{}/", report.label);
        let by_stem = format!("/{}.md", self.place.id);
        let ours = |name: &str| {
            let rel = name.strip_prefix(&prefix).unwrap_or(name);
            match &self.path {
                Some(path) => rel == path,
                None => rel.starts_with("notes/") && name.ends_with(&by_stem),
            }
        };
        let lines: Vec<String> = report
            .diagnostics
            .iter()
            .filter(|d| d.is_error() && ours(report.sources.name(d.file)))
            .map(|d| {
                let at = d.span.as_ref().map_or(0, |s| s.start);
                let place = report.sources.position(d.file, at);
                let place = place.strip_prefix(&prefix).unwrap_or(&place);
                escape_markdown(&format!("{place}: {}", d.message))
            })
            .collect();
        if lines.is_empty() {
            return String::new();
        }
        format!(
            "**This note does not load: its file has errors.** Fix them and save; it comes back here.\n\n{}\n",
            lines.join("\n\n")
        )
    }

    fn key(&self) -> String {
        format!("{}:{}", self.place.pack, self.place.id)
    }

    /// The body area for the current terminal size.
    fn text_rect(&self) -> Rect {
        let v = self.shared.viewport.get();
        text_area(Rect::new(0, 1, v.width, v.height.saturating_sub(2)))
    }

    fn rendered(&self) -> Rc<Rendered> {
        let width = self.text_rect().width.max(1);
        self.layout
            .get(&self.key(), width, &self.doc, &self.shared.theme)
    }

    fn page(&self) -> usize {
        usize::from(self.text_rect().height).max(1)
    }

    fn max_scroll(&self) -> usize {
        self.rendered().lines.len().saturating_sub(self.page())
    }

    fn scroll_by(&mut self, delta: isize) {
        let max = self.max_scroll() as isize;
        self.place.scroll = (self.place.scroll as isize + delta).clamp(0, max) as usize;
    }

    /// Keeps `line` on screen, a few lines from the top when it has to move.
    fn reveal(&mut self, line: usize) {
        let page = self.page();
        if line < self.place.scroll || line >= self.place.scroll + page {
            self.place.scroll = line.saturating_sub(2).min(self.max_scroll());
        }
    }

    fn scroll_to_text(&mut self, text: &str) {
        let rendered = self.rendered();
        let probe: String = text
            .split_whitespace()
            .take(4)
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(m) = find(&rendered, &probe).first() {
            self.place.scroll = m.line.saturating_sub(2).min(self.max_scroll());
        }
    }

    /// Tab / shift-Tab: the next link in reading order, starting from the visible part.
    fn cycle_link(&mut self, forward: bool) {
        let rendered = self.rendered();
        let count = rendered.link_count();
        if count == 0 {
            return;
        }
        let next = match self.selected_link {
            Some(l) if forward => (l + 1) % count,
            Some(l) => (l + count - 1) % count,
            None => {
                let first_visible = rendered.links.iter().find(|s| s.line >= self.place.scroll);
                first_visible.map_or(0, |s| s.link)
            }
        };
        self.selected_link = Some(next);
        if let Some(spot) = rendered.link(next) {
            let line = spot.line;
            self.reveal(line);
        }
    }

    /// Replaces the note in place, remembering where we were.
    fn open(&mut self, pack: &str, id: &str) {
        self.back.push(self.place.clone());
        self.forward.clear();
        self.place = Place {
            pack: pack.to_string(),
            id: id.to_string(),
            scroll: 0,
        };
        self.path = None;
        self.load();
    }

    /// Scrolls to the heading a link's `#anchor` names (see [`links::slug`]); the top of the
    /// note when it has no such heading.
    fn scroll_to_anchor(&mut self, anchor: &str) {
        let rendered = self.rendered();
        let slugs = links::unique_slugs(rendered.headings.iter().map(|h| h.title.as_str()));
        if let Some(i) = slugs.iter().position(|s| s == anchor) {
            let line = rendered.headings[i].line;
            self.place.scroll = line.min(self.max_scroll());
        }
    }

    /// Opens a note of the current pack by its file path, as a relative link names it.
    fn note_at(&self, relative: &str) -> Option<String> {
        let pack = self.shared.library.pack(&self.place.pack)?;
        let here = pack.note(&self.place.id)?;
        let path = links::resolve(&here.path, relative)?;
        pack.notes
            .iter()
            .find(|n| n.path == path)
            .map(|n| n.id.to_string())
    }

    fn follow(&mut self) -> Effect {
        let rendered = self.rendered();
        let Some(spot) = self.selected_link.and_then(|l| rendered.link(l)) else {
            return Effect::None;
        };
        let (pack, id, anchor) = match &spot.target {
            LinkTarget::Note(r, anchor) => {
                if self.shared.library.note(&self.place.pack, r).is_none() {
                    return Effect::Toast(format!("No note `{r}` is loaded."));
                }
                (
                    r.pack_or(&self.place.pack).to_string(),
                    r.id.to_string(),
                    anchor,
                )
            }
            LinkTarget::Relative { path, anchor } if path.is_empty() => {
                if let Some(a) = anchor {
                    self.scroll_to_anchor(a);
                }
                return Effect::Redraw;
            }
            LinkTarget::Relative { path, anchor } => match self.note_at(path) {
                Some(id) => (self.place.pack.clone(), id, anchor),
                None => return Effect::Toast(format!("No note at `{path}`.")),
            },
            LinkTarget::File(path) => return Effect::Toast(format!("File: {path}")),
            LinkTarget::Web(url) => return Effect::Toast(format!("Web link: {url}")),
        };
        self.open(&pack, &id);
        if let Some(a) = anchor {
            self.scroll_to_anchor(a);
        }
        Effect::Redraw
    }

    fn history(&mut self, back: bool) {
        let (from, to) = if back {
            (&mut self.back, &mut self.forward)
        } else {
            (&mut self.forward, &mut self.back)
        };
        if let Some(place) = from.pop() {
            to.push(self.place.clone());
            let scroll = place.scroll;
            self.place = place;
            self.path = None;
            self.load();
            self.place.scroll = scroll.min(self.max_scroll());
        }
    }

    fn run_search(&mut self) {
        let rendered = self.rendered();
        let scroll = self.place.scroll;
        if let Some(s) = &mut self.search {
            s.matches = if s.query.is_empty() {
                Vec::new()
            } else {
                find(&rendered, &s.query)
            };
            s.current = s
                .matches
                .iter()
                .position(|m| m.line >= scroll)
                .or((!s.matches.is_empty()).then_some(0));
        }
        self.reveal_match();
    }

    fn reveal_match(&mut self) {
        let line = self
            .search
            .as_ref()
            .and_then(|s| s.current.and_then(|c| s.matches.get(c)))
            .map(|m| m.line);
        if let Some(line) = line {
            self.reveal(line);
        }
    }

    fn step_match(&mut self, forward: bool) {
        if let Some(s) = &mut self.search
            && !s.matches.is_empty()
        {
            let n = s.matches.len();
            s.current = Some(match s.current {
                Some(c) if forward => (c + 1) % n,
                Some(c) => (c + n - 1) % n,
                None => 0,
            });
        }
        self.reveal_match();
    }

    fn handle_search_typing(&mut self, input: Input) -> Effect {
        let Some(s) = &mut self.search else {
            return Effect::Ignored;
        };
        match input {
            Input::Char(c) => s.query.push(c),
            Input::Backspace => {
                s.query.pop();
            }
            Input::Action(Action::Open) => {
                s.typing = false;
                return Effect::Redraw;
            }
            Input::Action(Action::Back) => {
                self.search = None;
                return Effect::Redraw;
            }
            _ => return Effect::None,
        }
        self.run_search();
        Effect::Redraw
    }

    fn handle_toc(&mut self, input: Input) -> Effect {
        let rendered = self.rendered();
        let Some(cursor) = &mut self.toc else {
            return Effect::Ignored;
        };
        let len = rendered.headings.len();
        match input {
            Input::Action(Action::Up) | Input::ScrollUp => cursor.step(-1, len),
            Input::Action(Action::Down) | Input::ScrollDown => cursor.step(1, len),
            Input::Action(Action::Top) => cursor.first(),
            Input::Action(Action::Bottom) => cursor.last(len),
            Input::Action(Action::Open) => {
                let line = rendered.headings.get(cursor.selected).map(|h| h.line);
                self.toc = None;
                if let Some(line) = line {
                    self.place.scroll = line.min(self.max_scroll());
                }
            }
            Input::Action(Action::Back | Action::Toc) => self.toc = None,
            _ => return Effect::None,
        }
        Effect::Redraw
    }

    fn lab(&self) -> Option<Lab> {
        self.shared
            .library
            .note(&self.place.pack, &self.note_ref())
            .and_then(|(_, n)| n.lab)
    }
}

impl Screen for NoteScreen {
    fn scopes(&self) -> &'static [Scope] {
        SCOPES
    }

    fn handle(&mut self, input: Input) -> Effect {
        if self.typing() {
            return self.handle_search_typing(input);
        }
        if self.toc.is_some() {
            return self.handle_toc(input);
        }
        let page = self.page() as isize;
        let Input::Action(action) = input else {
            match input {
                Input::ScrollUp => self.scroll_by(-3),
                Input::ScrollDown => self.scroll_by(3),
                _ => return Effect::Ignored,
            }
            return Effect::Redraw;
        };
        match action {
            Action::Up => self.scroll_by(-1),
            Action::Down => self.scroll_by(1),
            Action::PageUp => self.scroll_by(-page),
            Action::PageDown => self.scroll_by(page),
            Action::HalfPageUp => self.scroll_by(-page / 2),
            Action::HalfPageDown => self.scroll_by(page / 2),
            Action::Top => self.place.scroll = 0,
            Action::Bottom => self.place.scroll = self.max_scroll(),
            Action::NextLink => self.cycle_link(true),
            Action::PrevLink => self.cycle_link(false),
            Action::Open => return self.follow(),
            Action::HistoryBack => self.history(true),
            Action::HistoryForward => self.history(false),
            Action::Toc => {
                let rendered = self.rendered();
                if rendered.headings.is_empty() {
                    return Effect::Toast("This note has no headings.".into());
                }
                self.toc = Some(Cursor {
                    selected: rendered.heading_at(self.place.scroll).unwrap_or(0),
                    offset: 0,
                });
            }
            Action::Search => {
                self.search = Some(Search {
                    typing: true,
                    ..Search::default()
                });
            }
            Action::NextMatch => self.step_match(true),
            Action::PrevMatch => self.step_match(false),
            Action::Back if self.search.is_some() => self.search = None,
            Action::Review => return Effect::Go(Nav::study(&self.place.pack, &self.place.id)),
            Action::OpenLab => {
                let lab = self
                    .shared
                    .library
                    .note(&self.place.pack, &self.note_ref())
                    .and_then(|(_, n)| n.lab);
                return match lab {
                    Some(lab) => Effect::Go(Nav::Lab(lab)),
                    None => Effect::Toast("This note has no lab.".into()),
                };
            }
            _ => return Effect::Ignored,
        }
        Effect::Redraw
    }

    fn reload(&mut self, shared: Rc<Shared>) {
        self.shared = shared;
        self.load();
        let max = self.max_scroll();
        self.place.scroll = self.place.scroll.min(max);
    }

    fn typing(&self) -> bool {
        self.search.as_ref().is_some_and(|s| s.typing)
    }

    fn render(&self, area: Rect, buf: &mut Buffer) {
        let shared = &*self.shared;
        let theme = &shared.theme;
        let note = shared.library.note(&self.place.pack, &self.note_ref());
        let (pack_name, title) = note
            .map(|(p, n)| (p.manifest.name.as_str(), n.title.as_str()))
            .unwrap_or(("", "(missing note)"));
        let (pack_name, title) = match note {
            Some(_) => (pack_name, title),
            None => (
                shared
                    .library
                    .pack(&self.place.pack)
                    .map_or("", |p| p.manifest.name.as_str()),
                if self.doc.blocks.is_empty() {
                    title
                } else {
                    "(does not load)"
                },
            ),
        };
        let body_rect = Rect {
            y: area.y + 1,
            height: area.height.saturating_sub(2),
            ..area
        };
        let text = text_area(body_rect);
        let rendered = self
            .layout
            .get(&self.key(), text.width.max(1), &self.doc, theme);
        let total = rendered.lines.len();
        let pct = if total <= usize::from(text.height) {
            100
        } else {
            (self.place.scroll + usize::from(text.height)).min(total) * 100 / total
        };
        let mut status = format!("{pct}% ");
        if let Some(s) = &self.search
            && !s.query.is_empty()
        {
            let at = s.current.map_or(0, |c| c + 1);
            status = format!("{at}/{} matches  {status}", s.matches.len());
        }
        if self.lab().is_some() {
            status = format!("o: open lab  {status}");
        }
        let crumbs = [pack_name, title];
        let chrome = Chrome::new(&crumbs).status(&status);
        let body = frame(area, buf, shared, chrome);
        let text = text_area(body);
        let (matches, current) = self
            .search
            .as_ref()
            .map_or((&[][..], None), |s| (&s.matches[..], s.current));
        NoteView {
            rendered: &rendered,
            scroll: self.place.scroll,
            selected_link: self.selected_link,
            matches,
            current_match: current,
            theme,
        }
        .render(text, buf);

        if let Some(s) = self.search.as_ref().filter(|s| s.typing) {
            let y = body.bottom().saturating_sub(1);
            let row = Rect {
                y,
                height: 1,
                ..body
            };
            Clear.render(row, buf);
            let line = Line::from(vec![
                Span::styled(" /", theme.accent),
                Span::styled(
                    truncate(&s.query, usize::from(body.width).saturating_sub(4)),
                    theme.base,
                ),
                Span::styled("▏", theme.accent),
            ]);
            put_line(buf, row, y, &line);
        }
        if let Some(cursor) = &self.toc {
            render_toc(&rendered, cursor, body, buf, shared);
        }
    }
}

/// Text that Markdown shows as written: every ASCII punctuation character escaped.
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn render_toc(rendered: &Rendered, cursor: &Cursor, body: Rect, buf: &mut Buffer, shared: &Shared) {
    let theme = &shared.theme;
    let h = (rendered.headings.len() as u16 + 2).min(body.height);
    let rect = centered(body, 56, h);
    let inner = overlay_box(rect, buf, " Contents ", theme);
    for (i, y) in visible_rows(inner, cursor, rendered.headings.len(), 1) {
        let h = &rendered.headings[i];
        let sel = i == cursor.selected;
        let style = row_style(buf, inner, y, 1, sel, theme);
        let style = if sel { style } else { theme.heading(h.level) };
        let indent = "  ".repeat(usize::from(h.level.saturating_sub(1)));
        let w = usize::from(inner.width).saturating_sub(indent.len() + 1);
        put_line(
            buf,
            inner,
            y,
            &Line::styled(format!("{indent} {}", truncate(&h.title, w)), style),
        );
    }
}
