//! The one place untrusted text is made safe for a terminal.
//!
//! Packs, progress files, settings and file names come from strangers. A control character
//! (ESC, the single-byte CSI U+009B, BEL ...) lets them set the window title, write the clipboard
//! through OSC 52 or redraw the screen; a bidirectional override makes shown text differ from its
//! bytes. Every string that reaches the terminal, in the CLI, JSON output and the TUI alike, passes
//! through [`escape`], which shows such characters as `\u{1b}` instead of sending them.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Write};

use codespan_reporting::term::termcolor::{ColorSpec, HyperlinkSpec, WriteColor};
use serde::Serialize;

/// A character that must never reach the terminal raw: C0 controls other than newline and tab,
/// DEL, the C1 range (U+0080-U+009F) and the bidirectional overrides and isolates.
pub fn is_forbidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c)
}

/// Bidirectional formatting characters can make displayed text differ from the bytes.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A cheap byte scan that is false for almost all text and never false when a forbidden char
/// is present: each is an ASCII control, DEL, or a sequence led by 0xC2 (C1) or 0xE2 (bidi).
/// Scanned in blocks with no early exit inside one, which the compiler turns into SIMD
/// compares: the checker runs it over every text of a pack, 16 MB for a large one.
pub fn may_hold_forbidden(text: &str) -> bool {
    text.as_bytes()
        .chunks(SCAN_BLOCK)
        .any(|block| block.iter().fold(false, |hit, &b| hit | suspicious(b)))
}

const SCAN_BLOCK: usize = 64;

/// A byte that starts or is a forbidden character (see [`may_hold_forbidden`]); written with
/// `&` and `|` so that no byte's test branches.
const fn suspicious(b: u8) -> bool {
    ((b < 0x20) & (b != b'\n') & (b != b'\t')) | (b == 0x7f) | (b == 0xc2) | (b == 0xe2)
}

/// The display form of untrusted text: every forbidden character written as `\u{..}`.
/// Borrowed (no copy) when the text is clean, which is almost always.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !may_hold_forbidden(text) || !text.chars().any(is_forbidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    Cow::Owned(out)
}

/// [`escape`] on one line: newlines and tabs become spaces too, for list rows and titles.
pub fn escape_line(text: &str) -> Cow<'_, str> {
    match escape(text) {
        Cow::Borrowed(t) if !t.contains(['\n', '\t']) => Cow::Borrowed(t),
        shown => Cow::Owned(shown.replace(['\n', '\t'], " ")),
    }
}

fn push_escaped(out: &mut String, c: char) {
    if is_forbidden(c) {
        out.push_str(&format!("\\u{{{:x}}}", c as u32));
    } else {
        out.push(c);
    }
}

/// Formats untrusted text escaped: `format!("pack {}", Safe(&id))`.
pub struct Safe<'a>(pub &'a str);

impl fmt::Display for Safe<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&escape(self.0))
    }
}

/// JSON for output: `serde_json` escapes only U+0000-U+001F, so DEL, C1 and bidi characters are
/// written as `\uXXXX` here. They can only stand inside strings (JSON's own syntax is ASCII), where
/// that escape means the same character, so the document still parses to the same value.
pub fn to_json<T: Serialize + ?Sized>(value: &T, pretty: bool) -> serde_json::Result<String> {
    let text = if pretty {
        serde_json::to_string_pretty(value)?
    } else {
        serde_json::to_string(value)?
    };
    if !may_hold_forbidden(&text) || !text.chars().any(is_forbidden) {
        return Ok(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_forbidden(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

/// Writes `value` as pretty [`to_json`] and a newline: the form of every `--json` output.
pub fn write_json<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    let text = to_json(value, true).map_err(io::Error::other)?;
    out.write_all(text.as_bytes())?;
    out.write_all(b"\n")
}

/// A writer that escapes forbidden characters in everything written through it. Output is
/// UTF-8; a character split across two writes is held until its last byte arrives.
pub struct SafeWriter<W: Write> {
    inner: W,
    /// The first bytes of a UTF-8 sequence whose rest has not been written yet.
    pending: Vec<u8>,
}

impl<W: Write> SafeWriter<W> {
    pub fn new(inner: W) -> Self {
        SafeWriter {
            inner,
            pending: Vec::new(),
        }
    }

    /// Writes `bytes` escaped; bytes that are not UTF-8 are shown as U+FFFD.
    fn write_escaped(&mut self, bytes: &[u8]) -> io::Result<()> {
        let mut buf = std::mem::take(&mut self.pending);
        buf.extend_from_slice(bytes);
        let mut rest = buf.as_slice();
        let mut out = String::new();
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => {
                    out.push_str(&escape(text));
                    rest = &[];
                    break;
                }
                Err(e) => {
                    let (good, bad) = rest.split_at(e.valid_up_to());
                    out.push_str(&escape(std::str::from_utf8(good).unwrap_or_default()));
                    match e.error_len() {
                        Some(n) => {
                            out.push('\u{FFFD}');
                            rest = &bad[n..];
                        }
                        None => {
                            rest = bad;
                            break;
                        }
                    }
                }
            }
        }
        self.pending = rest.to_vec();
        self.inner.write_all(out.as_bytes())
    }
}

impl<W: Write> Write for SafeWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.write_escaped(bytes)?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Colours pass through to the terminal; the text between them is escaped. This lets
/// `codespan-reporting` colour diagnostics without any quoted pack text reaching the terminal raw.
impl<W: WriteColor> WriteColor for SafeWriter<W> {
    fn supports_color(&self) -> bool {
        self.inner.supports_color()
    }

    fn set_color(&mut self, spec: &ColorSpec) -> io::Result<()> {
        self.inner.set_color(spec)
    }

    fn reset(&mut self) -> io::Result<()> {
        self.inner.reset()
    }

    fn set_hyperlink(&mut self, _link: &HyperlinkSpec) -> io::Result<()> {
        // Hyperlinks carry a URI to the terminal unescaped; diagnostics never need one.
        Ok(())
    }

    fn supports_hyperlinks(&self) -> bool {
        false
    }
}

/// Standard output through [`SafeWriter`], for every command that prints.
pub fn stdout() -> SafeWriter<io::StdoutLock<'static>> {
    SafeWriter::new(io::stdout().lock())
}

/// Standard error through [`SafeWriter`], for warnings and errors.
pub fn stderr() -> SafeWriter<io::StderrLock<'static>> {
    SafeWriter::new(io::stderr().lock())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The characters the terminal must never receive raw, as the safety rules list them.
    fn listed(c: char) -> bool {
        let u = c as u32;
        (u < 0x20 && c != '\n' && c != '\t')
            || u == 0x7f
            || (0x80..=0x9f).contains(&u)
            || (0x202a..=0x202e).contains(&u)
            || (0x2066..=0x2069).contains(&u)
    }

    #[test]
    fn escape_sequences_are_shown_not_sent() {
        assert_eq!(escape("x\u{1b}]0;TITLE\u{7}"), "x\\u{1b}]0;TITLE\\u{7}");
        assert_eq!(escape("a\u{9b}31m"), "a\\u{9b}31m");
        assert_eq!(escape("\u{202e}txt.exe"), "\\u{202e}txt.exe");
        assert_eq!(escape("line\n\ttab"), "line\n\ttab");
        assert!(matches!(escape("plain"), Cow::Borrowed(_)));
        assert_eq!(escape_line("a\nb\u{1b}"), "a b\\u{1b}");
    }

    #[test]
    fn json_escapes_what_serde_json_leaves_raw() {
        let s = to_json(&["\u{1b}[2J", "\u{9b}", "\u{7f}", "\u{2066}"], false).unwrap();
        assert_eq!(s, r#"["\u001b[2J","\u009b","\u007f","\u2066"]"#);
        let back: Vec<String> = serde_json::from_str(&s).unwrap();
        assert_eq!(back, ["\u{1b}[2J", "\u{9b}", "\u{7f}", "\u{2066}"]);
    }

    #[test]
    fn writer_escapes_characters_split_across_writes() {
        let mut w = SafeWriter::new(Vec::new());
        let csi = "\u{9b}".as_bytes();
        w.write_all(b"a").unwrap();
        w.write_all(&csi[..1]).unwrap();
        w.write_all(&csi[1..]).unwrap();
        w.write_all("é\u{1b}".as_bytes()).unwrap();
        w.write_all(&[0xff, b'z']).unwrap();
        assert_eq!(
            String::from_utf8(w.inner).unwrap(),
            "a\\u{9b}é\\u{1b}\u{FFFD}z"
        );
    }

    /// Every listed character, at every place around a block's edges, is found by the scan.
    #[test]
    fn the_block_scan_finds_every_listed_character_wherever_it_falls() {
        let listed_chars = (0..=0x10ffff_u32)
            .filter_map(char::from_u32)
            .filter(|&c| listed(c));
        for c in listed_chars {
            for at in [
                0,
                1,
                SCAN_BLOCK - 2,
                SCAN_BLOCK - 1,
                SCAN_BLOCK,
                2 * SCAN_BLOCK + 5,
            ] {
                let text = format!("{}{c}{}", "a".repeat(at), "b".repeat(70));
                assert!(may_hold_forbidden(&text), "{c:?} at {at}");
            }
        }
        assert!(!may_hold_forbidden(
            &"plain text\twith\nbreaks é ü 日本".repeat(20)
        ));
        assert!(!may_hold_forbidden(""));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn display_form_holds_no_listed_character(s in any::<String>()) {
            let shown = escape(&s);
            prop_assert!(!shown.chars().any(listed), "{shown:?}");
            let line = escape_line(&s);
            prop_assert!(!line.chars().any(|c| listed(c) || c == '\n'));
            let json = to_json(&s, true).unwrap();
            prop_assert!(!json.chars().any(listed));
            prop_assert_eq!(serde_json::from_str::<String>(&json).unwrap(), s.clone());
            let mut w = SafeWriter::new(Vec::new());
            for chunk in s.as_bytes().chunks(3) {
                w.write_all(chunk).unwrap();
            }
            let written = String::from_utf8(w.inner).unwrap();
            prop_assert!(!written.chars().any(listed));
        }
    }
}
