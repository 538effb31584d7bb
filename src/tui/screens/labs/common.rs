//! Pieces both labs draw with: series colours from the theme, panels, the header of settings
//! and keys, number formats, value ladders, playback and the square a braille circle needs.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};
use unicode_width::UnicodeWidthStr;

use std::time::Duration;

use crate::tui::keymap::Action;
use crate::tui::nav::Effect;
use crate::tui::shared::Shared;
use crate::tui::theme::Theme;
use crate::tui::widgets::chrome::{Chrome, frame};
use crate::tui::widgets::{fit_line, put_line};

/// Colours for nodes and compared limiters, taken from the theme's distinct hues so a light,
/// dark or monochrome theme stays in charge (monochrome gives one colour; glyphs then differ).
pub fn palette(theme: &Theme) -> [Style; 6] {
    [
        theme.accent,
        theme.ok,
        theme.warn,
        theme.error,
        theme.info,
        theme.heading(3),
    ]
}

/// The `index`-th series style, wrapping around the palette.
pub fn series(theme: &Theme, index: usize) -> Style {
    let colours = palette(theme);
    colours[index % colours.len()]
}

/// A style's foreground as a canvas colour (the canvas paints colours, not styles).
pub fn colour(style: Style) -> Color {
    style.fg.unwrap_or(Color::Reset)
}

/// A bordered panel with a title; the focused one uses the focus border.
pub fn panel<'a>(title: impl Into<Line<'a>>, theme: &Theme, focus: bool) -> Block<'a> {
    Block::bordered()
        .title(title)
        .title_style(theme.title)
        .border_style(if focus {
            theme.border_focus
        } else {
            theme.border
        })
}

/// Draws `block` and returns the area inside it.
pub fn boxed(block: Block<'_>, area: Rect, buf: &mut Buffer) -> Rect {
    let inner = block.inner(area);
    block.render(area, buf);
    inner
}

/// One control in a lab's key line: the actions whose keys are shown and what they change.
pub struct Control {
    pub actions: &'static [Action],
    pub label: String,
}

impl Control {
    pub fn new(actions: &'static [Action], label: impl Into<String>) -> Control {
        Control {
            actions,
            label: label.into(),
        }
    }

    /// `a/x node`: the keys come from the keymap, so user overrides show up here too.
    fn spans(&self, shared: &Shared) -> Vec<Span<'static>> {
        let theme = &shared.theme;
        let keys: Vec<String> = self
            .actions
            .iter()
            .filter_map(|&a| shared.keymap.key_for(a).map(|k| k.to_string()))
            .collect();
        vec![
            Span::styled(keys.join("/"), theme.key_hint),
            Span::styled(format!(" {}", self.label), theme.muted),
        ]
    }
}

/// The two-part header every lab draws: what is being simulated (one line), then the controls,
/// wrapped onto as many lines as `max_rows` allows. Returns the rows used.
pub fn header(
    area: Rect,
    buf: &mut Buffer,
    shared: &Shared,
    setup: Line<'_>,
    controls: &[Control],
    max_rows: u16,
) -> u16 {
    if area.height == 0 {
        return 0;
    }
    put_line(
        buf,
        area,
        area.y,
        &fit_line(&setup, usize::from(area.width)),
    );
    let limit = max_rows.min(area.height);
    let mut row = 1u16;
    let mut spans: Vec<Span<'static>> = vec![Span::raw(" ")];
    let mut used = 1usize;
    for control in controls {
        let piece = control.spans(shared);
        let width: usize = piece.iter().map(|s| s.content.width()).sum::<usize>() + 2;
        if used + width > usize::from(area.width) && used > 1 {
            if row + 1 >= limit {
                break;
            }
            put_line(
                buf,
                area,
                area.y + row,
                &Line::from(std::mem::take(&mut spans)),
            );
            row += 1;
            spans = vec![Span::raw(" ")];
            used = 1;
        }
        spans.extend(piece);
        spans.push(Span::raw("  "));
        used += width;
    }
    if row < limit && used > 1 {
        put_line(buf, area, area.y + row, &Line::from(spans));
        row += 1;
    }
    row
}

/// Draws a lab's frame and its [`header`] (up to three rows); returns the body below the header.
pub fn lab_frame(
    area: Rect,
    buf: &mut Buffer,
    shared: &Shared,
    chrome: Chrome<'_>,
    setup: Line<'_>,
    controls: &[Control],
) -> Rect {
    let body = frame(area, buf, shared, chrome);
    let used = header(body, buf, shared, setup, controls, 3);
    Rect {
        y: body.y + used,
        height: body.height - used,
        ..body
    }
}

/// A muted label padded to `width` columns, then the figures: the rows of the statistics panels.
pub fn labelled(
    theme: &Theme,
    label: &str,
    width: usize,
    figures: Vec<Span<'static>>,
) -> Line<'static> {
    let mut spans = vec![Span::styled(format!("{label:<width$}"), theme.muted)];
    spans.extend(figures);
    Line::from(spans)
}

pub use crate::words::thousands;

/// A share as a percentage with one decimal.
pub fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// The next value up or down a ladder of settings; a value between rungs moves to a neighbour.
pub fn step<T: Copy + PartialOrd>(ladder: &[T], current: T, up: bool) -> T {
    let next = if up {
        ladder.iter().find(|&&v| v > current)
    } else {
        ladder.iter().rev().find(|&&v| v < current)
    };
    next.copied().unwrap_or(current)
}

/// Whether an animated lab is playing and how fast, as a rung on a ladder of speeds: kept in
/// one place so every lab's play, pause and speed keys behave alike.
#[derive(Debug, Clone, Copy)]
pub struct Playback<T: 'static> {
    ladder: &'static [T],
    rung: usize,
    playing: bool,
}

impl<T: Copy> Playback<T> {
    /// Starts at `ladder[rung]`, playing or paused.
    pub fn new(ladder: &'static [T], rung: usize, playing: bool) -> Self {
        Playback {
            ladder,
            rung,
            playing,
        }
    }

    pub fn speed(&self) -> T {
        self.ladder[self.rung]
    }

    pub fn playing(&self) -> bool {
        self.playing
    }

    pub fn toggle(&mut self) {
        self.playing = !self.playing;
    }

    pub fn pause(&mut self) {
        self.playing = false;
    }

    /// One rung up the ladder, staying on the top one.
    pub fn faster(&mut self) -> Effect {
        self.rung = (self.rung + 1).min(self.ladder.len() - 1);
        Effect::Redraw
    }

    /// One rung down the ladder, staying on the bottom one.
    pub fn slower(&mut self) -> Effect {
        self.rung = self.rung.saturating_sub(1);
        Effect::Redraw
    }

    /// `tick` while playing; no ticks while paused.
    pub fn interval(&self, tick: Duration) -> Option<Duration> {
        self.playing.then_some(tick)
    }
}

/// The next (or previous) item of `all` after `current`, going round, that `free` accepts;
/// `None` when no other item does.
pub fn cycle<T: Copy + PartialEq>(
    all: &[T],
    current: T,
    forward: bool,
    free: impl Fn(T) -> bool,
) -> Option<T> {
    let n = all.len();
    let at = all.iter().position(|&a| a == current).unwrap_or(0);
    (1..n)
        .map(|k| {
            if forward {
                all[(at + k) % n]
            } else {
                all[(at + n - k) % n]
            }
        })
        .find(|&a| free(a))
}

/// The largest area inside `area` whose braille dots form a square (a cell is 2 dots wide and
/// 4 tall), centred, so a circle drawn in it comes out round.
pub fn square(area: Rect) -> Rect {
    let dots = (area.width.saturating_mul(2)).min(area.height.saturating_mul(4));
    let width = dots / 2;
    let height = dots / 4;
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

/// A bar of `width` cells filled to `value / scale`, with a `│` at `mark / scale` (the ideal
/// or the limit) drawn over it.
pub fn marked_bar(
    buf: &mut Buffer,
    area: Rect,
    (value, mark, scale): (f64, Option<f64>, f64),
    fill: Style,
    mark_style: Style,
) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let width = usize::from(area.width);
    let ratio = if scale > 0.0 { value / scale } else { 0.0 };
    let text = crate::tui::widgets::bar(ratio, width);
    buf.set_stringn(area.x, area.y, &text, width, fill);
    if let Some(mark) = mark.filter(|_| scale > 0.0) {
        let col = ((mark / scale) * width as f64).round() as usize;
        let col = col.min(width - 1) as u16;
        buf[(area.x + col, area.y)]
            .set_symbol("│")
            .set_style(mark_style);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_numbers() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(percent(0.0909), "9.1%");
    }

    #[test]
    fn ladders_step_to_neighbours() {
        let ladder = [1, 2, 5, 10];
        assert_eq!(step(&ladder, 2, true), 5);
        assert_eq!(step(&ladder, 10, true), 10);
        assert_eq!(step(&ladder, 1, false), 1);
        assert_eq!(step(&ladder, 3, false), 2);
        assert_eq!(step(&ladder, 3, true), 5);
    }

    #[test]
    fn playback_clamps_at_the_ends_of_its_ladder() {
        static LADDER: [u32; 3] = [1, 2, 5];
        let mut p = Playback::new(&LADDER, 1, true);
        p.faster();
        p.faster();
        assert_eq!(p.speed(), 5);
        p.slower();
        p.slower();
        p.slower();
        assert_eq!(p.speed(), 1);
        assert_eq!(
            p.interval(Duration::from_millis(50)),
            Some(Duration::from_millis(50))
        );
        p.toggle();
        assert_eq!(p.interval(Duration::from_millis(50)), None);
        p.toggle();
        p.pause();
        assert!(!p.playing());
    }

    #[test]
    fn cycles_round_skipping_taken_items() {
        let all = [1, 2, 3, 4];
        assert_eq!(cycle(&all, 4, true, |_| true), Some(1));
        assert_eq!(cycle(&all, 1, false, |_| true), Some(4));
        assert_eq!(cycle(&all, 1, true, |a| a != 2), Some(3));
        assert_eq!(cycle(&all, 1, true, |_| false), None);
    }

    #[test]
    fn squares_are_round_in_braille() {
        let s = square(Rect::new(0, 0, 80, 10));
        assert_eq!((s.width, s.height), (20, 10));
        assert_eq!(s.x, 30);
        let s = square(Rect::new(0, 0, 10, 40));
        assert_eq!((s.width, s.height), (10, 5));
        assert_eq!(square(Rect::new(3, 3, 0, 0)).width, 0);
    }
}
