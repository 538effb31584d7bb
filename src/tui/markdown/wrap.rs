//! Measuring and wrapping styled text. The unit is the grapheme cluster, measured the way
//! ratatui's buffer draws it, so an emoji sequence or a CJK character is never split and a line
//! that measures `width` here occupies exactly `width` cells on screen.

use ratatui::buffer::CellWidth;
use ratatui::style::Style;
use unicode_segmentation::UnicodeSegmentation as _;

/// Stands in for a character wider than the whole line (a CJK character at width 1).
const TOO_WIDE: &str = "…";

/// The graphemes of `s` with the cells each occupies (control characters, which the buffer
/// never draws, none). ASCII, most of any note, skips the Unicode tables: segmentation is most
/// of the cost of a layout.
pub(super) fn graphemes(s: &str) -> Graphemes<'_> {
    if s.is_ascii() {
        Graphemes::Ascii(s)
    } else {
        Graphemes::Unicode(s.graphemes(true))
    }
}

pub(super) enum Graphemes<'s> {
    Ascii(&'s str),
    Unicode(unicode_segmentation::Graphemes<'s>),
}

impl<'s> Iterator for Graphemes<'s> {
    type Item = (&'s str, usize);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Graphemes::Ascii(rest) => {
                let (g, tail) = rest.split_at_checked(1)?;
                *rest = tail;
                Some((g, usize::from(!g.as_bytes()[0].is_ascii_control())))
            }
            Graphemes::Unicode(iter) => {
                let g = iter.next()?;
                let width = if g.contains(char::is_control) {
                    0
                } else {
                    usize::from(g.cell_width())
                };
                Some((g, width))
            }
        }
    }
}

/// Cells a string occupies when drawn.
pub(super) fn text_width(s: &str) -> usize {
    graphemes(s).map(|(_, width)| width).sum()
}

/// A stretch of inline text in one style, the wrapper's input. `\n` in the text is a hard
/// break; `link` is the index of the link the text belongs to.
#[derive(Debug, Clone)]
pub(super) struct Run {
    pub text: String,
    pub style: Style,
    pub link: Option<usize>,
}

impl Run {
    pub fn new(text: impl Into<String>, style: Style, link: Option<usize>) -> Run {
        Run {
            text: text.into(),
            style,
            link,
        }
    }
}

/// A piece of an output row in one style, with its width measured once.
#[derive(Debug, Clone)]
pub(super) struct Seg {
    pub text: String,
    pub style: Style,
    pub link: Option<usize>,
    pub width: usize,
}

/// One output line under construction. `heading` marks the first row of a heading, so its
/// position survives the indentation and reordering of rows that nesting does.
#[derive(Debug, Clone, Default)]
pub(super) struct Row {
    pub segs: Vec<Seg>,
    pub width: usize,
    pub heading: Option<(u8, String)>,
}

impl Row {
    pub fn from_text(text: &str, style: Style) -> Row {
        let mut row = Row::default();
        row.push(text, text_width(text), style, None);
        row
    }

    /// `count` copies of a one-cell `symbol`: rules and borders.
    pub fn filled(symbol: &str, count: usize, style: Style) -> Row {
        Row::from_text(&symbol.repeat(count), style)
    }

    pub fn is_empty(&self) -> bool {
        self.segs.is_empty()
    }

    /// Appends text of a known width, joining the last piece when style and link agree so a
    /// line holds as few spans as possible.
    pub fn push(&mut self, text: &str, width: usize, style: Style, link: Option<usize>) {
        if text.is_empty() {
            return;
        }
        self.width += width;
        match self.segs.last_mut() {
            Some(last) if last.style == style && last.link == link => {
                last.text.push_str(text);
                last.width += width;
            }
            _ => self.segs.push(Seg {
                text: text.to_string(),
                style,
                link,
                width,
            }),
        }
    }

    pub fn pad(&mut self, count: usize, style: Style) {
        self.push(&" ".repeat(count), count, style, None);
    }

    pub fn append(&mut self, other: Row) {
        for seg in other.segs {
            self.push(&seg.text, seg.width, seg.style, seg.link);
        }
    }

    /// Puts `prefix` in front, keeping this row's heading mark.
    pub fn prepend(&mut self, prefix: &Row) {
        let mut row = prefix.clone();
        row.heading = self.heading.take();
        row.append(std::mem::take(self));
        *self = row;
    }

    /// The row without trailing spaces: a gutter or indent in front of an empty line.
    pub fn trimmed(&self) -> Row {
        let mut row = Row::default();
        let text: String = self.segs.iter().map(|s| s.text.as_str()).collect();
        let keep = text.trim_end().len();
        let mut taken = 0;
        for seg in &self.segs {
            let n = seg.text.len().min(keep - taken);
            let piece = &seg.text[..n];
            row.push(piece, text_width(piece), seg.style, seg.link);
            taken += n;
        }
        row
    }
}

/// A grapheme with what it is drawn with.
struct Glyph<'r> {
    text: &'r str,
    width: usize,
    run: &'r Run,
}

/// CJK punctuation that may not begin a line: it stays with the character before it.
fn is_closing_punctuation(g: &str) -> bool {
    matches!(
        g,
        "。" | "、"
            | "，"
            | "．"
            | "！"
            | "？"
            | "："
            | "；"
            | "）"
            | "」"
            | "』"
            | "】"
            | "〉"
            | "》"
    )
}

/// Greedy word wrap into rows of at most `width` (at least 1) cells. Spaces separate words
/// and vanish at line ends; CJK text, which has no spaces, may break before and after any wide
/// character except before closing punctuation; a word longer than a line continues on the
/// current line and is cut.
pub(super) fn wrap(runs: &[Run], width: usize) -> Vec<Row> {
    let mut w = Wrapper::new(width);
    for run in runs {
        for (text, width) in graphemes(&run.text) {
            match text {
                "\n" => {
                    w.place_word();
                    w.new_row();
                }
                " " => {
                    w.place_word();
                    w.space.push(Glyph {
                        text,
                        width: 1,
                        run,
                    });
                }
                _ => {
                    let after_wide = w.word.last().is_some_and(|g| g.width > 1);
                    if (width > 1 || after_wide) && !is_closing_punctuation(text) {
                        w.place_word();
                    }
                    w.word.push(Glyph { text, width, run });
                }
            }
        }
    }
    w.place_word();
    w.finish()
}

/// Cuts one line of text into rows of at most `width` cells, keeping every space: code.
pub(super) fn hard_wrap(text: &str, width: usize, style: Style) -> Vec<Row> {
    let run = Run::new(text, style, None);
    let mut w = Wrapper::new(width);
    for (text, width) in graphemes(&run.text) {
        w.emit_cut(&Glyph {
            text,
            width,
            run: &run,
        });
    }
    let mut rows = w.finish();
    if rows.is_empty() {
        rows.push(Row::default());
    }
    rows
}

struct Wrapper<'r> {
    width: usize,
    rows: Vec<Row>,
    row: Row,
    /// Spaces seen since the last word: drawn only if another word follows on the same row.
    space: Vec<Glyph<'r>>,
    word: Vec<Glyph<'r>>,
}

impl<'r> Wrapper<'r> {
    fn new(width: usize) -> Self {
        Wrapper {
            width: width.max(1),
            rows: Vec::new(),
            row: Row::default(),
            space: Vec::new(),
            word: Vec::new(),
        }
    }

    fn finish(mut self) -> Vec<Row> {
        if !self.row.is_empty() {
            self.rows.push(self.row);
        }
        self.rows
    }

    fn new_row(&mut self) {
        self.space.clear();
        self.rows.push(std::mem::take(&mut self.row));
    }

    fn place_word(&mut self) {
        if self.word.is_empty() {
            return;
        }
        let word = std::mem::take(&mut self.word);
        let word_width: usize = word.iter().map(|g| g.width).sum();
        let space_width = if self.row.width == 0 {
            0
        } else {
            self.space.iter().map(|g| g.width).sum()
        };
        let room = self.width - self.row.width;
        if space_width + word_width <= room {
            self.emit_space();
        } else if word_width <= self.width {
            self.new_row();
        } else if self.row.width > 0 && space_width < room {
            // Too long for any line: start it here rather than leave a ragged gap.
            self.emit_space();
        } else if self.row.width > 0 {
            self.new_row();
        }
        for g in &word {
            self.emit_cut(g);
        }
        self.space.clear();
    }

    fn emit_space(&mut self) {
        let space = std::mem::take(&mut self.space);
        if self.row.width > 0 {
            for g in &space {
                self.emit(g.text, g.width, g.run);
            }
        }
    }

    /// Emits a glyph, starting a new row first when it does not fit on this one.
    fn emit_cut(&mut self, g: &Glyph<'_>) {
        if self.row.width + g.width > self.width && self.row.width > 0 {
            self.new_row();
        }
        if g.width > self.width {
            self.emit(TOO_WIDE, 1, g.run);
        } else {
            self.emit(g.text, g.width, g.run);
        }
    }

    fn emit(&mut self, text: &str, width: usize, run: &Run) {
        self.row.push(text, width, run.style, run.link);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(rows: &[Row]) -> Vec<String> {
        rows.iter()
            .map(|r| r.segs.iter().map(|s| s.text.as_str()).collect())
            .collect()
    }

    fn runs(text: &str) -> Vec<Run> {
        vec![Run::new(text, Style::new(), None)]
    }

    #[test]
    fn wraps_at_spaces() {
        let rows = wrap(&runs("the quick brown fox jumps"), 10);
        assert_eq!(plain(&rows), ["the quick", "brown fox", "jumps"]);
        assert!(rows.iter().all(|r| r.width <= 10));
    }

    #[test]
    fn cuts_long_words_and_fills_the_line() {
        let rows = wrap(&runs("see abcdefghijklmnop"), 8);
        assert_eq!(plain(&rows), ["see abcd", "efghijkl", "mnop"]);
        let rows = wrap(&runs("abcdefghij"), 4);
        assert_eq!(plain(&rows), ["abcd", "efgh", "ij"]);
    }

    #[test]
    fn cjk_breaks_between_characters() {
        let rows = wrap(&runs("日本語のテキスト"), 7);
        assert_eq!(plain(&rows), ["日本語", "のテキ", "スト"]);
        assert!(rows.iter().all(|r| r.width <= 7));
        // A wide character never fits in one cell.
        assert_eq!(plain(&wrap(&runs("日本"), 1)), ["…", "…"]);
        // Closing punctuation never starts a line.
        assert_eq!(plain(&wrap(&runs("日本語。"), 6)), ["日本", "語。"]);
    }

    #[test]
    fn keeps_styles_across_wraps() {
        let bold = Style::new().bold();
        let text = vec![
            Run::new("plain ", Style::new(), None),
            Run::new("bold words here", bold, Some(0)),
        ];
        let rows = wrap(&text, 11);
        assert_eq!(plain(&rows), ["plain bold", "words here"]);
        assert_eq!(rows[0].segs[1].style, bold);
        assert_eq!(rows[1].segs.len(), 1);
        assert_eq!(rows[1].segs[0].style, bold);
        assert_eq!(rows[1].segs[0].link, Some(0));
    }

    #[test]
    fn hard_breaks_and_emoji() {
        let rows = wrap(&runs("a\nb 👨‍👩‍👧 c"), 20);
        assert_eq!(plain(&rows), ["a", "b 👨‍👩‍👧 c"]);
        assert_eq!(rows[1].width, 6);
    }

    #[test]
    fn hard_wrap_keeps_spaces() {
        let rows = hard_wrap("  if x {", 4, Style::new());
        assert_eq!(plain(&rows), ["  if", " x {"]);
        assert_eq!(plain(&hard_wrap("", 4, Style::new())), [""]);
    }

    #[test]
    fn trimmed_drops_trailing_spaces() {
        let mut row = Row::from_text("▌ ", Style::new());
        row.pad(2, Style::new().bold());
        assert_eq!(plain(&[row.trimmed()]), ["▌"]);
        assert_eq!(row.trimmed().width, 1);
    }

    #[test]
    fn widths_match_the_buffer() {
        assert_eq!(text_width("abc"), 3);
        assert_eq!(text_width("日本"), 4);
        // Every symbol the layout draws is one cell, as the layout assumes.
        let symbols = "•◦▪☐☑▌─━⟨⟩◆◇▸↪┌┬┐├┼┤└┴┘│…";
        assert_eq!(text_width(symbols), symbols.chars().count());
    }
}
