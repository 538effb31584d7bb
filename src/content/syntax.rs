//! TOML syntax errors as an author needs them: at the slip's real start (an unterminated string
//! at its opening quote, not where the parser gave up), in words, with the fix.
//!
//! A file that does not parse is also split at its top-level table headers, so that one broken
//! card costs that card only: each piece is parsed on its own and the others still load.

use std::ops::Range;

use toml::de::Error as TomlError;

/// What a TOML syntax error looks like to an author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Explained {
    /// Where the slip starts, in the coordinates of the text that was parsed.
    pub span: Range<usize>,
    pub message: String,
    pub label: String,
    pub hint: Option<String>,
    /// A second place worth showing (the first definition of a duplicate key).
    pub related: Option<(Range<usize>, String)>,
}

/// Splits a document at its top-level table headers (`[pack]`, `[[cards]]`, ...). The first
/// piece holds the keys before any header and may be empty. Sub-tables such as
/// `[[questions.choices]]` stay with the table they belong to.
pub(crate) fn pieces(text: &str) -> Vec<Range<usize>> {
    let mut starts = vec![0];
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if at > 0 && is_top_header(line) {
            starts.push(at);
        }
        at += line.len();
    }
    starts.push(text.len());
    starts.windows(2).map(|w| w[0]..w[1]).collect()
}

fn is_top_header(line: &str) -> bool {
    let line = line.trim_start();
    let Some(rest) = line.strip_prefix('[') else {
        return false;
    };
    let name = rest.trim_start_matches('[').trim_start();
    let name_end = name
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(name.len());
    name_end > 0 && !name[name_end..].starts_with('.')
}

/// The top-level table a piece starts with (`cards` for `[[cards]]`), if any.
pub(crate) fn header_name(piece: &str) -> Option<&str> {
    let line = piece.trim_start().lines().next()?;
    if !is_top_header(line) {
        return None;
    }
    let name = line.trim_start().trim_start_matches('[').trim_start();
    let end = name
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(name.len());
    Some(&name[..end])
}

/// The `id = "..."` a piece sets, read line by line: a piece that does not parse can still be
/// named in the message that says it was skipped.
pub(crate) fn piece_id(piece: &str) -> Option<&str> {
    piece.lines().find_map(|line| {
        let rest = line.trim_start().strip_prefix("id")?.trim_start();
        let value = rest.strip_prefix('=')?.trim();
        let value = value.strip_prefix(['"', '\'']).unwrap_or(value);
        let end = value
            .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(value.len());
        Some(&value[..end]).filter(|id| !id.is_empty())
    })
}

/// Explains the errors `toml` reported for `text`: one explanation, for the slip that caused
/// them (later errors are usually the parser losing its footing after it).
pub(crate) fn explain(text: &str, errors: &[TomlError]) -> Explained {
    let spans: Vec<(Range<usize>, &str)> = errors
        .iter()
        .map(|e| (e.span().unwrap_or(0..0), e.message()))
        .collect();
    if let Some((span, _)) = spans.iter().find(|(_, m)| m.contains("duplicate key")) {
        return duplicate(text, span.clone());
    }
    if spans.iter().any(|(_, m)| m.contains("unclosed array"))
        && let Some(open) = unclosed_bracket(text)
    {
        return Explained {
            span: open..open + 1,
            message: "a list is never closed with `]`".into(),
            label: "this `[` has no matching `]`".into(),
            hint: Some("end the list on its last item: tags = [\"a\", \"b\"]".into()),
            related: None,
        };
    }
    let Some((span, message)) = spans.iter().min_by_key(|(s, _)| s.start) else {
        return generic(text, 0..0, "invalid TOML");
    };
    let (span, message) = (span.clone(), *message);
    if message.starts_with("invalid multi-line") {
        return unclosed_multiline(text, span);
    }
    if message.starts_with("invalid basic string") || message.starts_with("invalid literal string")
    {
        return unclosed_string(text, span);
    }
    if message.starts_with("unexpected key or value")
        && let Some(explained) = early_end(text, span.clone())
    {
        return explained;
    }
    if message.starts_with("string values must be quoted") {
        return unquoted(text, span);
    }
    if message.starts_with("unclosed array table") || message.starts_with("unclosed table") {
        return Explained {
            span: line_of(text, span.start),
            message: "a table header is missing its closing bracket".into(),
            label: "this header is not closed".into(),
            hint: Some("write headers as [[cards]], [[questions]] or [exam]".into()),
            related: None,
        };
    }
    if message.starts_with("missing escaped value") || message.starts_with("invalid escape") {
        let backslash = text[..span.start.min(text.len())]
            .rfind('\\')
            .unwrap_or(span.start);
        let end = text[backslash + 1..]
            .chars()
            .next()
            .map_or(backslash + 1, |c| backslash + 1 + c.len_utf8());
        return Explained {
            span: backslash..end,
            message: format!(
                "`{}` is not an escape sequence: a backslash in \"...\" starts one",
                &text[backslash..end]
            ),
            label: "not an escape".into(),
            hint: Some(
                "write `\\\\` for a backslash, or put the text in '...', which has no escapes"
                    .into(),
            ),
            related: None,
        };
    }
    if message.starts_with("invalid unquoted key") || message.starts_with("key with no value") {
        let line = line_of(text, span.start);
        let l = &text[line.clone()];
        if let Some(colon) = l.find(':').filter(|&c| !l[..c].contains(['=', '"', '\''])) {
            let at = line.start + colon;
            return Explained {
                span: at..at + 1,
                message: "`key: value` is YAML; TOML writes `key = value`".into(),
                label: "expected `=` here".into(),
                hint: Some(format!("write {} = ...", l[..colon].trim())),
                related: None,
            };
        }
    }
    if message.starts_with("key with no value") {
        return Explained {
            span: nonempty(text, span),
            message: "a key without `= value`".into(),
            label: "expected `=` here".into(),
            hint: Some("write key = \"value\"".into()),
            related: None,
        };
    }
    generic(text, span, message)
}

fn generic(text: &str, span: Range<usize>, message: &str) -> Explained {
    Explained {
        span: nonempty(text, span),
        message: "invalid TOML".into(),
        label: message.trim().to_string(),
        hint: None,
        related: None,
    }
}

/// A span of at least one byte (codespan draws nothing for an empty one), inside the text.
fn nonempty(text: &str, span: Range<usize>) -> Range<usize> {
    if !span.is_empty() {
        return span;
    }
    let start = span.start.min(text.len());
    let end = text[start..]
        .chars()
        .next()
        .map_or(start, |c| start + c.len_utf8());
    start..end.max(start)
}

/// The byte range of the line holding `at`, without its newline.
fn line_of(text: &str, at: usize) -> Range<usize> {
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    start..end
}

/// Where a `key = value` line's value starts, and the key.
fn value_start(text: &str, line: Range<usize>) -> Option<(usize, &str)> {
    let l = &text[line.clone()];
    let eq = l.find('=')?;
    let key = l[..eq].trim();
    let after = &l[eq + 1..];
    let skip = after.len() - after.trim_start().len();
    Some((line.start + eq + 1 + skip, key))
}

/// An unterminated `"..."` or `'...'`: point at its opening quote.
fn unclosed_string(text: &str, err: Range<usize>) -> Explained {
    // The parser stops at the end of the line (or just after it): the string opened there.
    let here = line_of(text, err.start);
    let above = line_of(text, here.start.saturating_sub(1));
    let open = [here, above]
        .into_iter()
        .filter_map(|l| value_start(text, l).map(|(v, _)| v))
        .find(|&v| matches!(text.as_bytes().get(v), Some(b'"' | b'\'')))
        .unwrap_or(err.start.min(text.len()));
    let quote = if text.as_bytes().get(open) == Some(&b'\'') {
        "'"
    } else {
        "\""
    };
    Explained {
        span: nonempty(text, open..open + 1),
        message: format!("a string is never closed: the closing `{quote}` is missing"),
        label: "this string starts here and runs to the end of the line".into(),
        hint: Some(format!(
            "end the string with `{quote}` on the same line; for text over several lines use \"\"\"...\"\"\""
        )),
        related: None,
    }
}

/// An unterminated `"""..."""` or `'''...'''`: point at the last opening triple quote.
fn unclosed_multiline(text: &str, err: Range<usize>) -> Explained {
    let before = &text[..err.start.min(text.len())];
    let open = ["\"\"\"", "'''"]
        .iter()
        .filter_map(|q| before.rfind(q).map(|i| (i, *q)))
        .max_by_key(|(i, _)| *i);
    let (span, quote) = match open {
        Some((i, q)) => (i..i + 3, q),
        None => (nonempty(text, err), "\"\"\""),
    };
    Explained {
        span,
        message: format!("a multi-line string is never closed: the closing `{quote}` is missing"),
        label: "this string starts here and is never closed".into(),
        hint: Some(format!("end the text with `{quote}`")),
        related: None,
    }
}

/// A string that ended before the author meant it to: a quote inside `"..."`, an apostrophe
/// inside `'...'`.
fn early_end(text: &str, err: Range<usize>) -> Option<Explained> {
    let line = line_of(text, err.start);
    let (value, _) = value_start(text, line.clone())?;
    let bytes = text.as_bytes();
    let quote = *bytes.get(value).filter(|b| matches!(b, b'"' | b'\''))?;
    let end = err.start.checked_sub(1)?;
    // The parser read `"...` up to a quote and then found more text on the line.
    let closing = (value + 1..=end).rev().find(|&i| bytes[i] == quote)?;
    let rest = &text[closing + 1..line.end];
    // Only a quote later on the line makes it an early end; anything else is stray text.
    if !rest.contains(char::from(quote)) {
        return None;
    }
    let next_key = rest.trim_start().split_once('=').is_some_and(|(k, _)| {
        rest.starts_with(char::is_whitespace)
            && !k.trim().is_empty()
            && k.trim()
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    });
    if next_key {
        return Some(Explained {
            span: closing + 1..line.end,
            message: "two keys on one line".into(),
            label: "a second key after the value".into(),
            hint: Some("put each key = value on its own line".into()),
            related: None,
        });
    }
    Some(if quote == b'"' {
        Explained {
            span: closing..closing + 1,
            message: "a `\"` inside a string ends it early".into(),
            label: "the string ends here".into(),
            hint: Some(
                "write `\\\"` for a quote inside a string, or put the text in '...' instead".into(),
            ),
            related: None,
        }
    } else {
        Explained {
            span: closing..closing + 1,
            message: "an apostrophe inside a '...' string ends it early".into(),
            label: "the string ends here".into(),
            hint: Some("put text with an apostrophe in \"...\" instead".into()),
            related: None,
        }
    })
}

/// Curly quotes from a word processor, or a value with no quotes at all.
fn unquoted(text: &str, err: Range<usize>) -> Explained {
    let span = nonempty(text, err);
    let word = &text[span.clone()];
    if let Some(curly) = word.chars().find(|c| {
        matches!(
            c,
            '\u{201C}' | '\u{201D}' | '\u{2018}' | '\u{2019}' | '\u{AB}' | '\u{BB}' | '\u{201E}'
        )
    }) {
        return Explained {
            span,
            message: format!("`{curly}` is a curly quote, which TOML does not read as a quote"),
            label: "curly quotes".into(),
            hint: Some(
                "use straight quotes: \"...\" (an editor's smart quotes turn them curly)".into(),
            ),
            related: None,
        };
    }
    let key = value_start(text, line_of(text, span.start)).map_or("key", |(_, k)| k);
    Explained {
        span,
        message: "a text value needs quotes".into(),
        label: "not quoted".into(),
        hint: Some(format!("write {key} = \"{}\"", word.trim())),
        related: None,
    }
}

/// A key set twice (or a table declared twice): name both places.
fn duplicate(text: &str, err: Range<usize>) -> Explained {
    let span = nonempty(text, err);
    let key = text[span.clone()].trim().trim_matches('"').to_string();
    let line = line_of(text, span.start);
    let is_header = text[line.clone()].trim_start().starts_with('[');
    let first = text[..line.start]
        .match_indices(key.as_str())
        .map(|(i, _)| i)
        .find(|&i| {
            let l = line_of(text, i);
            let before = text[l.start..i].trim();
            let after = text[i + key.len()..l.end].trim_start();
            if is_header {
                before.trim_start_matches('[').is_empty() && after.starts_with(']')
            } else {
                before.is_empty() && after.starts_with('=')
            }
        });
    let (message, label, first_label) = if is_header {
        (
            format!("the table `[{key}]` is declared twice"),
            "declared again here",
            "first declared here",
        )
    } else {
        (
            format!("`{key}` is set twice"),
            "set again here",
            "first set here",
        )
    };
    Explained {
        span,
        message,
        label: label.into(),
        hint: Some("keep one of them".into()),
        related: first.map(|i| (i..i + key.len(), first_label.to_string())),
    }
}

/// The first `[` of a value list that is still open when the next `key =` line or the end of
/// the text comes. Strings and comments are skipped.
fn unclosed_bracket(text: &str) -> Option<usize> {
    let mut open: Vec<usize> = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let starts_key = trimmed
            .split_once('=')
            .is_some_and(|(k, _)| !k.trim().is_empty() && !k.contains(['"', '[', ',']));
        if !open.is_empty() && starts_key {
            return open.first().copied();
        }
        if open.is_empty() && trimmed.starts_with('[') {
            at += line.len();
            continue; // a table header
        }
        let mut quote: Option<char> = None;
        let mut escaped = false;
        for (i, c) in line.char_indices() {
            match (quote, c) {
                (Some('"'), '\\') if !escaped => {
                    escaped = true;
                    continue;
                }
                (Some(q), c) if c == q && !escaped => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') => break,
                (None, '[') => open.push(at + i),
                (None, ']') => {
                    open.pop();
                }
                (None, _) => {}
            }
            escaped = false;
        }
        at += line.len();
    }
    open.first().copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use toml::de::DeTable;

    fn explained(text: &str) -> Explained {
        let (_, errors) = DeTable::parse_recoverable(text);
        assert!(!errors.is_empty(), "{text} parsed");
        explain(text, &errors)
    }

    fn at(text: &str, e: &Explained) -> String {
        text[e.span.clone()].to_string()
    }

    #[test]
    fn pieces_split_at_top_level_headers_only() {
        let t = "note = \"a\"\n\n[[cards]]\nid = \"x\"\n[[questions]]\nid = \"q\"\n[[questions.choices]]\ntext = \"t\"\n";
        let p: Vec<&str> = pieces(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(p.len(), 3);
        assert!(p[2].contains("[[questions.choices]]"));
        assert_eq!(header_name(p[1]), Some("cards"));
        assert_eq!(header_name(p[0]), None);
        assert_eq!(piece_id(p[2]), Some("q"));
    }

    #[test]
    fn an_unterminated_string_is_shown_at_its_opening_quote() {
        let t = "id = \"a\"\nfront = \"What is alpha?\nback = \"b\"\n";
        let e = explained(t);
        assert_eq!(e.span.start, t.find("\"What").unwrap());
        assert!(e.message.contains("never closed"), "{e:?}");
    }

    #[test]
    fn an_inner_quote_is_named() {
        let t = "front = \"Say \"hi\" now\"\n";
        let e = explained(t);
        assert_eq!(e.span.start, t.find("\"hi").unwrap());
        assert_eq!(e.message, "a `\"` inside a string ends it early");
        let t = "front = 'it's here'\n";
        let e = explained(t);
        assert_eq!(e.span.start, t.find("'s").unwrap());
        assert!(e.message.contains("apostrophe"), "{e:?}");
    }

    #[test]
    fn curly_quotes_and_bare_words() {
        let t = "front = \u{201C}curly\u{201D}\n";
        assert!(explained(t).message.contains("curly quote"));
        let e = explained("id = alpha\n");
        assert_eq!(e.hint.as_deref(), Some("write id = \"alpha\""));
    }

    #[test]
    fn an_unclosed_list_is_shown_at_its_bracket() {
        let t = "id = \"a\"\ntags = [\"a\", \"b\"\nfront = \"x\"\n";
        let e = explained(t);
        assert_eq!(at(t, &e), "[");
        assert_eq!(e.span.start, t.find('[').unwrap());
    }

    #[test]
    fn a_duplicate_key_names_both_places() {
        let t = "id = \"a\"\nfront = \"x\"\nfront = \"y\"\n";
        let e = explained(t);
        assert_eq!(e.message, "`front` is set twice");
        assert_eq!(e.span.start, t.rfind("front").unwrap());
        assert_eq!(e.related.unwrap().0.start, t.find("front").unwrap());
    }

    #[test]
    fn yaml_keys_bad_escapes_and_two_keys_on_a_line() {
        let t = "id = \"a\"\nback: \"b\"\n";
        let e = explained(t);
        assert_eq!(at(t, &e), ":");
        assert!(e.message.contains("YAML"), "{e:?}");
        let t = "back = \"C:\\docs\"\n";
        let e = explained(t);
        assert_eq!(at(t, &e), "\\d");
        let t = "front = \"x\" back = \"y\"\n";
        assert_eq!(explained(t).message, "two keys on one line");
    }

    #[test]
    fn an_unclosed_multiline_string_points_at_its_start() {
        let t = "id = \"a\"\nstem = \"\"\"abc\nback = \"b\"\n";
        let e = explained(t);
        assert_eq!(e.span.start, t.find("\"\"\"").unwrap());
    }
}
