//! A card on its own, opened from the finder or a topic page: both its sides and, under them,
//! where its facts come from when the pack says. A question opened the same way is asked as a
//! practice of one instead (see `quiz::open`), so its key is never shown before an answer.

use crate::tui::screens::Screen;
use std::rc::Rc;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use crate::content::markdown::Document;
use crate::content::{CardKind, NoteRef, Pack, cloze};
use crate::search::Target;
use crate::tui::keymap::{Action, Scope};
use crate::tui::markdown::{LayoutCache, NoteView};
use crate::tui::nav::{Effect, Input, Nav};
use crate::tui::screens::note::MAX_TEXT_WIDTH;
use crate::tui::shared::Shared;
use crate::tui::widgets::chrome::{Chrome, frame};
use crate::tui::widgets::{put_line, source_line, text_column};

pub const SCOPES: &[Scope] = &[Scope::List];

pub struct ItemScreen {
    shared: Rc<Shared>,
    target: Target,
    doc: Document,
    title: String,
    /// The item's `source`, kept below the text.
    source: Option<String>,
    layout: LayoutCache,
    scroll: usize,
}

/// The note a card belongs to, from its head: no card is decoded for it.
fn card_note<'p>(pack: &'p Pack, target: &Target) -> Option<&'p NoteRef> {
    match target {
        Target::Card { id, .. } => pack.cards.heads().find(|c| c.id == id)?.note,
        Target::Question { .. } | Target::Note { .. } => None,
    }
}

/// A card's `source`.
fn card_source(pack: &Pack, target: &Target) -> Option<String> {
    match target {
        Target::Card { id, .. } => pack.cards.find(id)?.source.clone(),
        Target::Question { .. } | Target::Note { .. } => None,
    }
}

/// The item as Markdown, so it renders like a note.
fn describe(pack: &Pack, target: &Target) -> Option<(String, String)> {
    match target {
        Target::Card { id, .. } => {
            let card = pack.cards.find(id)?;
            let mut md = match &card.kind {
                CardKind::Basic {
                    front,
                    back,
                    reverse,
                } => format!(
                    "## Front\n\n{front}\n\n## Back\n\n{back}\n{}",
                    if *reverse {
                        "\n*Also asked the other way round.*\n"
                    } else {
                        ""
                    }
                ),
                CardKind::Cloze { text } => {
                    let d = cloze::parse(text).ok()?;
                    let mut md = String::from("## Cloze\n\n");
                    for n in cloze::numbers(&d) {
                        md.push_str(&format!("- **c{n}:** {}\n", cloze::front(text, &d, n)));
                    }
                    md.push_str(&format!("\n## Answer\n\n{}\n", cloze::back(text, &d, 0)));
                    md
                }
            };
            if let Some(extra) = &card.extra {
                md.push_str(&format!("\n> {extra}\n"));
            }
            Some(("Card".into(), md))
        }
        Target::Question { .. } | Target::Note { .. } => None,
    }
}

impl ItemScreen {
    pub fn new(shared: Rc<Shared>, target: Target) -> Self {
        let mut s = ItemScreen {
            shared,
            target,
            doc: Document::default(),
            title: String::new(),
            source: None,
            layout: LayoutCache::new(),
            scroll: 0,
        };
        s.load();
        s
    }

    fn pack_id(&self) -> &str {
        match &self.target {
            Target::Card { pack, .. }
            | Target::Question { pack, .. }
            | Target::Note { pack, .. } => pack,
        }
    }

    fn load(&mut self) {
        let pack = self.shared.library.pack(self.pack_id());
        self.source = pack.and_then(|p| card_source(p, &self.target));
        let found = pack.and_then(|p| describe(p, &self.target));
        let (title, md) = found.unwrap_or_else(|| {
            (
                "Missing".into(),
                "This item is no longer in its pack.".into(),
            )
        });
        self.title = title;
        self.doc = Document::parse(&md);
        self.layout.clear();
    }

    /// The note the item belongs to, for `enter`.
    fn note(&self) -> Option<Nav> {
        let pack = self.shared.library.pack(self.pack_id())?;
        let note = card_note(pack, &self.target)?;
        let (p, n) = self.shared.library.note(pack.id(), note)?;
        Some(Nav::Topic {
            pack: p.id().to_string(),
            id: n.id.to_string(),
        })
    }

    /// The text's area and, when the item has a source and there is room, the source's row
    /// below it after a blank one.
    fn areas(&self, body: Rect) -> (Rect, Option<Rect>) {
        let text = text_column(body, MAX_TEXT_WIDTH);
        if self.source.is_none() || text.height < 3 {
            return (text, None);
        }
        let above = Rect {
            height: text.height - 2,
            ..text
        };
        let row = Rect {
            y: text.bottom() - 1,
            height: 1,
            ..text
        };
        (above, Some(row))
    }

    fn max_scroll(&self) -> usize {
        let v = self.shared.viewport.get();
        let (text, _) = self.areas(Rect::new(0, 1, v.width, v.height.saturating_sub(2)));
        let rendered = self.layout.get(
            self.pack_id(),
            text.width.max(1),
            &self.doc,
            &self.shared.theme,
        );
        rendered
            .lines
            .len()
            .saturating_sub(usize::from(text.height))
    }
}

impl Screen for ItemScreen {
    fn scopes(&self) -> &'static [Scope] {
        SCOPES
    }

    fn handle(&mut self, input: Input) -> Effect {
        let page = self.shared.body_height().max(1) as isize;
        let delta = match input {
            Input::Action(Action::Up) | Input::ScrollUp => -1,
            Input::Action(Action::Down) | Input::ScrollDown => 1,
            Input::Action(Action::PageUp | Action::HalfPageUp) => -page / 2,
            Input::Action(Action::PageDown | Action::HalfPageDown) => page / 2,
            Input::Action(Action::Top) => -(self.scroll as isize),
            Input::Action(Action::Open) => return self.note().map_or(Effect::None, Effect::Go),
            _ => return Effect::Ignored,
        };
        self.scroll = (self.scroll as isize + delta).clamp(0, self.max_scroll() as isize) as usize;
        Effect::Redraw
    }

    fn reload(&mut self, shared: Rc<Shared>) {
        self.shared = shared;
        self.load();
    }

    fn render(&self, area: Rect, buf: &mut Buffer) {
        let shared = &*self.shared;
        let pack = shared
            .library
            .pack(self.pack_id())
            .map(|p| p.manifest.name.as_str())
            .unwrap_or("");
        let body = frame(
            area,
            buf,
            shared,
            Chrome::new(&[pack, &self.title]).status("enter: its topic "),
        );
        let (text, source_row) = self.areas(body);
        if let (Some(url), Some(row)) = (&self.source, source_row) {
            put_line(buf, row, row.y, &source_line(url, row.width, &shared.theme));
        }
        let rendered = self
            .layout
            .get(self.pack_id(), text.width.max(1), &self.doc, &shared.theme);
        let max = rendered
            .lines
            .len()
            .saturating_sub(usize::from(text.height));
        NoteView {
            rendered: &rendered,
            scroll: self.scroll.min(max),
            selected_link: None,
            matches: &[],
            current_match: None,
            theme: &shared.theme,
        }
        .render(text, buf);
    }
}
