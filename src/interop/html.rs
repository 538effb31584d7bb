//! Anki field HTML to Markdown and back, for the subset Anki's editor writes.
//!
//! One pass over the text with a small state, never recursion: a field a stranger wrote may
//! nest ten thousand `<div>`s, and a tree-building parser would walk that depth. What is not
//! understood is dropped (tags) or kept as text (entities), never passed on as markup.
//!
//! The two directions are inverses on the text sysdeck writes: [`to_html`] escapes `<`, `>`
//! and `&`, turns a hard break into `<br>` and a paragraph break into `<br><br>`, and keeps a
//! soft line break as a newline (HTML and Markdown both show it as a space); [`to_markdown`]
//! reads those back the same way, so a pack survives a trip through Anki unchanged.

use std::collections::HashMap;

/// List nesting shown as indentation at most this deep; deeper items stay at this depth.
const MAX_LIST_INDENT: usize = 8;

/// How media references are rewritten: Anki's file name to the pack's asset name.
pub type MediaNames = HashMap<String, String>;

/// A break waiting to be written before the next text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Pending {
    None,
    Line,
    Paragraph,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum List {
    Bullet,
    Numbered(u32),
}

struct Writer<'a> {
    out: String,
    pending: Pending,
    lists: Vec<List>,
    /// Inside `<pre>`: text is kept verbatim.
    pre: bool,
    /// Inside `<script>` or `<style>`: text is dropped.
    hidden: Option<&'static str>,
    /// The link target of an open `<a>`, written after its text.
    links: Vec<Option<String>>,
    media: &'a MediaNames,
}

impl Writer<'_> {
    fn text(&mut self, text: &str) {
        if self.hidden.is_some() || text.is_empty() {
            return;
        }
        if self.pre {
            self.flush();
            self.out.push_str(text);
            return;
        }
        // Runs of spaces and tabs show as one space in HTML; a newline is a soft break.
        let mut collapsed = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                ' ' | '\t' | '\u{a0}' => {
                    if !collapsed.ends_with([' ', '\n']) {
                        collapsed.push(' ');
                    }
                }
                '\n' | '\r' => {
                    if collapsed.ends_with(' ') {
                        collapsed.pop();
                    }
                    if !collapsed.ends_with('\n') {
                        collapsed.push('\n');
                    }
                }
                c => collapsed.push(c),
            }
        }
        if self.at_line_start() {
            let trimmed = collapsed.trim_start();
            if trimmed.is_empty() {
                return;
            }
            collapsed = trimmed.to_string();
        }
        self.flush();
        self.out.push_str(&collapsed);
    }

    fn at_line_start(&self) -> bool {
        self.out.is_empty() || self.out.ends_with('\n') || self.pending != Pending::None
    }

    /// Writes the pending break, if any text came before it.
    fn flush(&mut self) {
        let pending = std::mem::replace(&mut self.pending, Pending::None);
        let trimmed = self.out.trim_end_matches([' ', '\n']).len();
        if trimmed == 0 {
            self.out.clear();
            return;
        }
        match pending {
            Pending::None => {}
            Pending::Line => {
                self.out.truncate(trimmed);
                self.out.push_str("\\\n");
            }
            Pending::Paragraph => {
                self.out.truncate(trimmed);
                self.out.push_str("\n\n");
            }
        }
    }

    /// A break from a block's edge: the edges of neighbouring blocks make one break.
    fn brk(&mut self, level: Pending) {
        self.pending = self.pending.max(level);
    }

    /// `<br>`: two in a row make a paragraph, as they look on screen.
    fn line_break(&mut self) {
        self.pending = match self.pending {
            Pending::None => Pending::Line,
            _ => Pending::Paragraph,
        };
    }

    /// Inline markup (`**`, `` ` ``) written where it stands.
    fn mark(&mut self, mark: &str) {
        if self.hidden.is_none() {
            self.flush();
            self.out.push_str(mark);
        }
    }

    fn list_item(&mut self) {
        if self.out.trim().is_empty() {
            self.pending = Pending::None;
        } else {
            self.pending = self.pending.max(Pending::Line);
            self.flush();
            // A list item starts a plain line, not a hard break.
            if self.out.ends_with("\\\n") {
                self.out.truncate(self.out.len() - 2);
                self.out.push('\n');
            }
        }
        let depth = self.lists.len().clamp(1, MAX_LIST_INDENT) - 1;
        self.out.push_str(&"  ".repeat(depth));
        match self.lists.last_mut() {
            Some(List::Numbered(n)) => {
                *n += 1;
                let n = *n;
                self.out.push_str(&format!("{n}. "));
            }
            _ => self.out.push_str("- "),
        }
    }

    fn tag(&mut self, raw: &str) {
        let (closing, name, attrs) = parse_tag(raw);
        let name = name.as_str();
        if let Some(hidden) = self.hidden {
            if closing && name == hidden {
                self.hidden = None;
            }
            return;
        }
        match (name, closing) {
            ("script" | "style" | "head" | "title", false) => {
                self.hidden = match name {
                    "script" => Some("script"),
                    "style" => Some("style"),
                    "head" => Some("head"),
                    _ => Some("title"),
                }
            }
            ("br", _) => self.line_break(),
            ("div" | "tr" | "li" | "dt" | "dd", true) => self.brk(Pending::Line),
            ("div" | "tr" | "dt" | "dd", false) => self.brk(Pending::Line),
            ("p" | "blockquote" | "table" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6", _) => {
                self.brk(Pending::Paragraph);
                if !closing && name.starts_with('h') && name.len() == 2 {
                    let level = name[1..].parse::<usize>().unwrap_or(1);
                    self.flush();
                    self.out.push_str(&"#".repeat(level));
                    self.out.push(' ');
                }
            }
            ("ul" | "ol", false) => {
                self.brk(Pending::Line);
                self.lists.push(if name == "ul" {
                    List::Bullet
                } else {
                    List::Numbered(0)
                });
            }
            ("ul" | "ol", true) => {
                self.lists.pop();
                self.brk(if self.lists.is_empty() {
                    Pending::Paragraph
                } else {
                    Pending::Line
                });
            }
            ("li", false) => self.list_item(),
            ("hr", _) => {
                self.brk(Pending::Paragraph);
                self.flush();
                self.out.push_str("---");
                self.brk(Pending::Paragraph);
            }
            ("b" | "strong", _) => self.mark("**"),
            ("i" | "em", _) => self.mark("*"),
            ("s" | "strike" | "del", _) => self.mark("~~"),
            ("code" | "kbd" | "tt", _) if !self.pre => self.mark("`"),
            ("pre", false) => {
                self.brk(Pending::Paragraph);
                self.flush();
                self.out.push_str("```\n");
                self.pre = true;
            }
            ("pre", true) => {
                if self.pre {
                    if !self.out.ends_with('\n') {
                        self.out.push('\n');
                    }
                    self.out.push_str("```");
                    self.pre = false;
                }
                self.brk(Pending::Paragraph);
            }
            ("a", false) => {
                let href = attr(attrs, "href").filter(|h| is_web_link(h));
                if href.is_some() {
                    self.mark("[");
                }
                self.links.push(href);
            }
            ("a", true) => {
                if let Some(Some(href)) = self.links.pop() {
                    self.out.push_str(&format!("]({href})"));
                }
            }
            ("img", _) => {
                if let Some(src) = attr(attrs, "src") {
                    let alt = attr(attrs, "alt").unwrap_or_default();
                    let alt = alt.replace(['[', ']'], "");
                    match self.media.get(&src) {
                        Some(name) => self.mark(&format!("![{alt}]({})", asset_link(name))),
                        None if is_web_link(&src) => self.mark(&format!("![{alt}]({src})")),
                        // A picture the package does not carry: say it was there.
                        None => self.mark(&format!("[image: {}]", src.replace(['[', ']'], ""))),
                    }
                }
            }
            _ => {}
        }
    }
}

/// The link to an asset: in angle brackets when the name has a space, which would otherwise
/// end a CommonMark link destination (spec 0.31, §6.3).
pub fn asset_link(name: &str) -> String {
    if name.contains(' ') {
        format!("<../assets/{name}>")
    } else {
        format!("../assets/{name}")
    }
}

fn is_web_link(href: &str) -> bool {
    let lower = href.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:"))
        && !href.contains([' ', '(', ')', '<', '>', '\n'])
}

/// `</b>` -> (true, "b", ""); `<img src="a.png">` -> (false, "img", `src="a.png"`).
fn parse_tag(raw: &str) -> (bool, String, &str) {
    let inner = raw.trim_start_matches('<').trim_end_matches('>');
    let inner = inner.trim_end_matches('/');
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let end = inner
        .find(|c: char| c.is_ascii_whitespace() || c == '/')
        .unwrap_or(inner.len());
    (closing, inner[..end].to_ascii_lowercase(), &inner[end..])
}

/// The value of attribute `name` (quoted with `"` or `'`, or bare), entities decoded.
fn attr(attrs: &str, name: &str) -> Option<String> {
    let lower = attrs.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find(name).map(|i| i + from) {
        from = at + name.len();
        let before_ok = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
        let rest = attrs[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let rest = rest[1..].trim_start();
        let value = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or_default(),
            _ => rest
                .split(|c: char| c.is_ascii_whitespace())
                .next()
                .unwrap_or_default(),
        };
        return Some(decode_entities(value));
    }
    None
}

/// Named entities Anki's editor and common pastes write; others stay as written.
fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "times" => '×',
        "divide" => '÷',
        "deg" => '°',
        "middot" => '·',
        "bull" => '•',
        "copy" => '©',
        "reg" => '®',
        "euro" => '€',
        "pound" => '£',
        "larr" => '←',
        "rarr" => '→',
        "harr" => '↔',
        "le" => '≤',
        "ge" => '≥',
        "ne" => '≠',
        "plusmn" => '±',
        _ => return None,
    })
}

/// Decodes `&amp;`, `&#65;`, `&#x41;` and the named entities above. A numeric reference to
/// NUL, a surrogate or past U+10FFFF becomes U+FFFD, as HTML5 says.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..]
            .char_indices()
            .take(12)
            .find(|&(_, c)| c == ';')
            .map(|(i, _)| i + 1);
        let decoded = end.and_then(|end| {
            let body = &rest[1..end];
            let c = if let Some(num) = body.strip_prefix('#') {
                let value = match num.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => num.parse::<u32>().ok(),
                }?;
                Some(
                    char::from_u32(value)
                        .filter(|&c| c != '\0')
                        .unwrap_or('\u{fffd}'),
                )
            } else {
                named_entity(body)
            }?;
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Markdown for an Anki field's HTML. `[sound:NAME]` references keep their form, with NAME
/// rewritten through `media` like an image's.
pub fn to_markdown(html: &str, media: &MediaNames) -> String {
    let mut w = Writer {
        out: String::with_capacity(html.len()),
        pending: Pending::None,
        lists: Vec::new(),
        pre: false,
        hidden: None,
        links: Vec::new(),
        media,
    };
    let mut rest = html;
    while !rest.is_empty() {
        let Some(at) = rest.find('<') else {
            w.text(&decode_entities(rest));
            break;
        };
        w.text(&decode_entities(&rest[..at]));
        rest = &rest[at..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let starts_tag = rest[1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
        if !starts_tag {
            w.text("<");
            rest = &rest[1..];
            continue;
        }
        // With no `>` left the rest is text: looking again at each `<` would be quadratic.
        let Some(end) = rest.find('>') else {
            w.text(&decode_entities(rest));
            break;
        };
        w.tag(&rest[..=end]);
        rest = &rest[end + 1..];
    }
    if w.pre {
        w.out.push_str("\n```");
    }
    let text = w.out.trim_end().to_string();
    rename_sounds(&text, media)
}

/// `[sound:a.mp3]` with its name rewritten to the pack's asset name.
fn rename_sounds(text: &str, media: &MediaNames) -> String {
    if !text.contains("[sound:") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("[sound:") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 7..];
        match after.find(']') {
            Some(end) => {
                let name = &after[..end];
                let name = media.get(name).map_or(name, String::as_str);
                out.push_str(&format!("[sound:{name}]"));
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[at..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Anki field HTML for sysdeck Markdown: the inverse of [`to_markdown`] on what it writes.
/// Markdown emphasis goes as written; images under `assets/` become `<img>` of that file.
pub fn to_html(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() + 16);
    let mut rest = markdown;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("\\\n") {
            out.push_str("<br>");
            rest = after;
        } else if let Some(after) = rest.strip_prefix("\n\n") {
            out.push_str("<br><br>");
            rest = after.trim_start_matches('\n');
        } else if let Some((name, after)) = asset_image(rest) {
            out.push_str(&format!("<img src=\"{}\">", escape(name)));
            rest = after;
        } else {
            let c = rest.chars().next().unwrap_or_default();
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                c => out.push(c),
            }
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// `![](../assets/NAME)` or `![](<../assets/NAME>)` at the start of `text`: NAME and what
/// follows.
fn asset_image(text: &str) -> Option<(&str, &str)> {
    let (name, rest) = if let Some(after) = text.strip_prefix("![](<../assets/") {
        let end = after.find(">)")?;
        (&after[..end], &after[end + 2..])
    } else {
        let after = text.strip_prefix("![](../assets/")?;
        let end = after.find(')')?;
        (&after[..end], &after[end + 1..])
    };
    (!name.is_empty() && !name.contains(['/', '\\', '\n', '<', '>'])).then_some((name, rest))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Text with its tags removed and entities decoded, as Anki's sort field and checksum use.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        rest = rest[at..].find('>').map_or("", |end| &rest[at + end + 1..]);
    }
    out.push_str(rest);
    decode_entities(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(html: &str) -> String {
        to_markdown(html, &MediaNames::new())
    }

    #[test]
    fn inline_markup_becomes_commonmark_emphasis() {
        // CommonMark 0.31 §6.2: `*a*` is <em>, `**a**` is <strong>; GFM `~~a~~` is <del>;
        // §6.1 a code span is text between backticks.
        assert_eq!(md("<b>bold</b> and <i>it</i>"), "**bold** and *it*");
        assert_eq!(md("<strong>s</strong><em>e</em>"), "**s***e*");
        assert_eq!(md("<s>gone</s> <code>x()</code>"), "~~gone~~ `x()`");
        assert_eq!(
            md("<span style=\"color:red\">plain</span> <u>u</u>"),
            "plain u"
        );
    }

    #[test]
    fn anki_lines_and_paragraphs_become_breaks() {
        // Anki's editor writes each line as a <div> and a blank line as <div><br></div>;
        // CommonMark §6.7: a backslash at the end of a line is a hard line break.
        assert_eq!(
            md("one<div>two</div><div>three</div>"),
            "one\\\ntwo\\\nthree"
        );
        assert_eq!(md("a<br>b"), "a\\\nb");
        assert_eq!(md("a<br><br>b"), "a\n\nb");
        assert_eq!(md("<div>a</div><div><br></div><div>b</div>"), "a\n\nb");
        assert_eq!(md("<p>one</p><p>two</p>"), "one\n\ntwo");
        // Breaks at the ends are dropped, as Anki's trailing <br> shows nothing.
        assert_eq!(md("<br>text<br>"), "text");
    }

    #[test]
    fn entities_decode_as_html_says() {
        // HTML Living Standard §13.2.5.80: a numeric reference to 0 or past U+10FFFF is
        // U+FFFD; named references from the entity table.
        assert_eq!(
            md("a &amp; b &lt;c&gt; &quot;d&quot; &nbsp;e"),
            "a & b <c> \"d\" e"
        );
        assert_eq!(md("&#65;&#x42;&#0;&#x110000;"), "AB\u{fffd}\u{fffd}");
        assert_eq!(md("&unknown; & alone"), "&unknown; & alone");
        assert_eq!(md("&mdash;&hellip;&rarr;"), "—…→");
    }

    #[test]
    fn lists_links_images_and_code_blocks() {
        assert_eq!(md("<ul><li>a</li><li>b</li></ul>"), "- a\n- b");
        assert_eq!(
            md("Steps:<ol><li>one</li><li>two</li></ol>"),
            "Steps:\n1. one\n2. two"
        );
        assert_eq!(
            md("<a href=\"https://aws.amazon.com/s3/\">S3</a> <a href=\"javascript:x\">no</a>"),
            "[S3](https://aws.amazon.com/s3/) no"
        );
        let media = MediaNames::from([("cat.jpg".to_string(), "cat.jpg".to_string())]);
        assert_eq!(
            to_markdown(
                "<img src=\"cat.jpg\"> <img src='gone.png'> [sound:cat.jpg]",
                &media
            ),
            "![](../assets/cat.jpg) [image: gone.png] [sound:cat.jpg]"
        );
        assert_eq!(
            md("<pre>fn a() {\n  1\n}</pre>"),
            "```\nfn a() {\n  1\n}\n```"
        );
        assert_eq!(md("<h2>Title</h2>body"), "## Title\n\nbody");
    }

    #[test]
    fn scripts_styles_comments_and_stray_brackets() {
        assert_eq!(md("a<script>alert(1)</script>b<style>p{}</style>c"), "abc");
        assert_eq!(md("x<!-- note -->y"), "xy");
        assert_eq!(md("1 < 2 and 3 <4"), "1 < 2 and 3 <4");
        assert_eq!(md("a <b unclosed"), "a <b unclosed");
        // Anki's cloze syntax is plain text to HTML and passes through.
        assert_eq!(md("{{c1::<b>Paris</b>::city}}"), "{{c1::**Paris**::city}}");
    }

    #[test]
    fn hostile_nesting_and_unclosed_tags_stay_linear() {
        let deep = "<div>".repeat(100_000) + "x" + &"</div>".repeat(100_000);
        assert_eq!(md(&deep), "x");
        let lists = "<ul><li>".repeat(50_000);
        assert!(md(&lists).len() < 2_000_000);
        let start = std::time::Instant::now();
        let unclosed = "<a".repeat(200_000);
        assert_eq!(md(&unclosed).len(), unclosed.len());
        let amps = "&#".repeat(200_000);
        assert_eq!(md(&amps), amps);
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn what_sysdeck_writes_comes_back_unchanged() {
        for text in [
            "What does **DNS** map?",
            "a < b && c > d",
            "line\\\nnext line",
            "para\n\nnext para",
            "soft\nbreak",
            "{{c1::N}} nodes and ![](../assets/ring.png)",
            "a picture ![](<../assets/my ring.png>) with a space",
            "`code` with \"quotes\" and 'apostrophes'",
        ] {
            let media = MediaNames::from([
                ("ring.png".to_string(), "ring.png".to_string()),
                ("my ring.png".to_string(), "my ring.png".to_string()),
            ]);
            assert_eq!(
                to_markdown(&to_html(text), &media),
                text,
                "{}",
                to_html(text)
            );
        }
        assert_eq!(to_html("a < b\\\nc\n\nd"), "a &lt; b<br>c<br><br>d");
    }
}
