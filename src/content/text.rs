//! Checks on text that will reach the learner's terminal, and on identifiers.
//!
//! A pack from a stranger must not be able to drive the terminal, so control characters (ESC
//! and friends) and bidirectional overrides are rejected at load time;
//! [`crate::safe_text::escape`] is the second line of defence wherever text is shown.

use std::ops::Range;

use super::context::Ctx;
use super::diagnostic::{Code, Diagnostic};
use crate::safe_text::{is_bidi_control, is_forbidden, may_hold_forbidden};

/// Human name of a forbidden character for messages.
pub fn describe(c: char) -> String {
    match c {
        '\u{1b}' => "U+001B (ESC, starts terminal escape sequences)".to_string(),
        '\r' => "U+000D (carriage return)".to_string(),
        '\0' => "U+0000 (NUL)".to_string(),
        c if is_bidi_control(c) => format!("U+{:04X} (bidirectional override)", c as u32),
        c => format!("U+{:04X} (control character)", c as u32),
    }
}

/// Checks a string value: non-empty and free of forbidden characters. Reports and returns
/// `false` when the value must not be used.
pub(crate) fn check_text(ctx: &mut Ctx<'_>, key: &str, value: &str, span: Range<usize>) -> bool {
    if value.trim().is_empty() {
        let d = Diagnostic::error(Code::EmptyText, ctx.file, format!("`{key}` is empty"))
            .at(span, "empty text")
            .hint(format!(
                "write the {key}, or remove the key if it is optional"
            ));
        ctx.push(d);
        return false;
    }
    if may_hold_forbidden(value)
        && let Some(c) = value.chars().find(|&c| is_forbidden(c))
    {
        let mut d = control(
            ctx,
            format!("`{key}` contains {}", describe(c)),
            span.clone(),
            "text with a control character",
        );
        // `"C:\\beta"` is a backspace to TOML: say so rather than blame the author's text.
        let escape = match c {
            '\u{8}' => Some("\\b"),
            '\u{c}' => Some("\\f"),
            _ => None,
        };
        let escaped = escape.is_some_and(|e| {
            ctx.source
                .get(span)
                .is_some_and(|raw| raw.starts_with('"') && raw.contains(e))
        });
        if escaped {
            d.hint = Some("a backslash in \"...\" starts an escape (`\\b` is a backspace): write `\\\\` for a backslash, or put the text in '...'".into());
        }
        ctx.push(d);
        return false;
    }
    true
}

/// A control-character error at `span`, with the usual hint.
fn control(ctx: &Ctx<'_>, message: String, span: Range<usize>, label: &str) -> Diagnostic {
    Diagnostic::error(Code::ControlCharacter, ctx.file, message)
        .at(span, label)
        .hint("pack text may not hold control characters or terminal escape sequences")
}

/// Scans raw file text (Markdown bodies) and reports each forbidden character with its span.
/// `\r` is allowed before `\n` so files with Windows line endings load.
pub(crate) fn check_raw(ctx: &mut Ctx<'_>, text: &str, base: usize) -> bool {
    let mut ok = true;
    for (i, c) in forbidden_in_file(text) {
        ok = false;
        let at = base + i;
        let d = control(
            ctx,
            format!("the file contains {}", describe(c)),
            at..at + c.len_utf8(),
            "here",
        );
        ctx.push(d);
    }
    ok
}

/// The forbidden characters of a file's text, with their byte offsets; `\r` before `\n` is
/// allowed so files with Windows line endings load.
pub(crate) fn forbidden_in_file(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let scan = may_hold_forbidden(text);
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        if !scan {
            return None;
        }
        while let Some((i, c)) = chars.next() {
            let crlf = c == '\r' && matches!(chars.peek(), Some((_, '\n')));
            if is_forbidden(c) && !crlf {
                return Some((i, c));
            }
        }
        None
    })
}

/// Reports numeric character references (`&#27;`, `&#x9B;`) that Markdown would turn into a
/// forbidden character: written that way, ESC is as able to drive the terminal as the raw byte.
pub(crate) fn check_entities(ctx: &mut Ctx<'_>, text: &str, base: usize) -> bool {
    let mut ok = true;
    for i in memchr::memmem::find_iter(text.as_bytes(), b"&#") {
        let Some((c, len)) = numeric_reference(&text[i..]) else {
            continue;
        };
        if is_forbidden(c) {
            ok = false;
            let at = base + i;
            let d = control(
                ctx,
                format!("a character reference here stands for {}", describe(c)),
                at..at + len,
                "decodes to a control character",
            );
            ctx.push(d);
        }
    }
    ok
}

/// The character a CommonMark numeric reference at the start of `text` decodes to, and its
/// length: `&#` then up to 7 decimal digits or `x` and up to 6 hex digits, then `;`.
fn numeric_reference(text: &str) -> Option<(char, usize)> {
    let rest = text.strip_prefix("&#")?;
    let (digits, radix, max, lead) = match rest.strip_prefix(['x', 'X']) {
        Some(hex) => (hex, 16, 6, 3),
        None => (rest, 10, 7, 2),
    };
    let n = digits
        .bytes()
        .take_while(|b| (*b as char).is_digit(radix))
        .count();
    if n == 0 || n > max || digits.as_bytes().get(n) != Some(&b';') {
        return None;
    }
    let code = u32::from_str_radix(&digits[..n], radix).ok()?;
    // CommonMark reads U+0000 and invalid code points as U+FFFD, which is harmless.
    let c = char::from_u32(code).filter(|&c| c != '\0')?;
    Some((c, lead + n + 1))
}

/// Ids are `[a-z0-9][a-z0-9-]*`: safe in file names, progress keys and `pack:id` references.
pub fn is_valid_id(id: &str) -> bool {
    let mut bytes = id.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_lowercase() || b.is_ascii_digit())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A valid id close to an invalid one, for hints ("Caching_Basics" -> "caching-basics").
pub fn suggest_id(id: &str) -> String {
    let mut out = String::new();
    for c in id.trim().chars() {
        match c {
            c if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
            _ if !out.is_empty() && !out.ends_with('-') => out.push('-'),
            _ => {}
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(is_valid_id("consistent-hashing"));
        assert!(is_valid_id("q1"));
        assert!(!is_valid_id("-x"));
        assert!(!is_valid_id("Caching"));
        assert!(!is_valid_id(""));
        assert!(!is_valid_id("a_b"));
        assert_eq!(suggest_id("Caching_Basics "), "caching-basics");
    }

    #[test]
    fn the_byte_scan_never_misses_a_forbidden_char() {
        for c in (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| is_forbidden(c))
        {
            assert!(may_hold_forbidden(&c.to_string()), "U+{:04X}", c as u32);
        }
        assert!(!may_hold_forbidden("plain text, é and 日本"));
    }

    #[test]
    fn numeric_references_decode_as_commonmark_reads_them() {
        // CommonMark 0.31, section 2.5: decimal up to 7 digits, hex up to 6, then `;`.
        assert_eq!(numeric_reference("&#27;]0;x"), Some(('\u{1b}', 5)));
        assert_eq!(numeric_reference("&#x9B;"), Some(('\u{9b}', 6)));
        assert_eq!(numeric_reference("&#X202e;"), Some(('\u{202e}', 8)));
        assert_eq!(numeric_reference("&#169;"), Some(('©', 6)));
        assert_eq!(numeric_reference("&#27"), None);
        assert_eq!(numeric_reference("&#12345678;"), None);
        assert_eq!(numeric_reference("&#0;"), None);
        assert_eq!(numeric_reference("&#x;"), None);
    }

    #[test]
    fn forbidden_characters() {
        assert!(is_forbidden('\u{1b}'));
        assert!(is_forbidden('\u{202E}'));
        assert!(is_forbidden('\u{9b}'));
        assert!(!is_forbidden('\n'));
        assert!(!is_forbidden('é'));
    }
}
