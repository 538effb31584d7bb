//! Cloze text: `{{c1::answer}}` or `{{c1::answer::hint}}` deletions, one card per number.

use std::collections::BTreeSet;
use std::ops::Range;

/// One deletion in a cloze text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deletion {
    pub number: u32,
    pub answer: String,
    pub hint: Option<String>,
    /// Byte range of the whole `{{...}}` in the text.
    pub range: Range<usize>,
}

/// What is wrong with a cloze text, and where (byte range in the text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClozeError {
    pub message: String,
    pub range: Range<usize>,
}

fn err(message: impl Into<String>, range: Range<usize>) -> ClozeError {
    ClozeError {
        message: message.into(),
        range,
    }
}

/// Parses every deletion, requiring at least one and balanced braces.
pub fn parse(text: &str) -> Result<Vec<Deletion>, ClozeError> {
    let mut out = Vec::new();
    let mut rest = 0;
    while let Some(open) = text[rest..].find("{{").map(|i| i + rest) {
        if let Some(stray) = text[rest..open].find("}}") {
            let at = rest + stray;
            return Err(err("`}}` without a matching `{{`", at..at + 2));
        }
        let Some(close) = text[open + 2..].find("}}").map(|i| i + open + 2) else {
            return Err(err("`{{` is never closed with `}}`", open..open + 2));
        };
        let inner = &text[open + 2..close];
        let range = open..close + 2;
        if inner.contains("{{") {
            return Err(err("cloze deletions cannot be nested", range));
        }
        out.push(parse_inner(inner, range)?);
        rest = close + 2;
    }
    if let Some(stray) = text[rest..].find("}}") {
        let at = rest + stray;
        return Err(err("`}}` without a matching `{{`", at..at + 2));
    }
    if out.is_empty() {
        if let Some(single) = single_braces(text) {
            return Err(err(
                "a deletion takes double braces: `{{c1::answer}}`, not `{c1::answer}`",
                single,
            ));
        }
        return Err(err(
            "cloze text has no deletion like `{{c1::answer}}`",
            0..text.len(),
        ));
    }
    Ok(out)
}

/// A `{c1::answer}` written with single braces, the likeliest reason a text has no deletion.
fn single_braces(text: &str) -> Option<Range<usize>> {
    let start = text.match_indices("{c").map(|(i, _)| i).find(|&i| {
        text[i + 2..].starts_with(|c: char| c.is_ascii_digit()) && !text[..i].ends_with('{')
    })?;
    let end = text[start..]
        .find('}')
        .map_or(text.len(), |e| start + e + 1);
    Some(start..end)
}

fn parse_inner(inner: &str, range: Range<usize>) -> Result<Deletion, ClozeError> {
    let mut parts = inner.splitn(3, "::");
    let tag = parts.next().unwrap_or_default();
    let number = tag
        .strip_prefix('c')
        .and_then(|n| n.parse::<u32>().ok())
        .filter(|&n| n >= 1)
        .ok_or_else(|| {
            err(
                format!("`{tag}` is not a cloze number; write c1, c2, ..."),
                range.clone(),
            )
        })?;
    let answer = parts
        .next()
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .ok_or_else(|| err("the deletion has no answer", range.clone()))?;
    let hint = parts.next().map(str::trim).filter(|h| !h.is_empty());
    Ok(Deletion {
        number,
        answer: answer.to_string(),
        hint: hint.map(str::to_string),
        range,
    })
}

/// The card numbers a cloze text generates.
pub fn numbers(deletions: &[Deletion]) -> BTreeSet<u32> {
    deletions.iter().map(|d| d.number).collect()
}

/// The text with deletion `number` blanked (showing its hint) and the others filled in.
pub fn front(text: &str, deletions: &[Deletion], number: u32) -> String {
    fill(text, deletions, |d| {
        if d.number == number {
            format!("[{}]", d.hint.as_deref().unwrap_or("..."))
        } else {
            d.answer.clone()
        }
    })
}

/// The text with every deletion filled in, the asked one emphasised.
pub fn back(text: &str, deletions: &[Deletion], number: u32) -> String {
    fill(text, deletions, |d| {
        if d.number == number {
            format!("**{}**", d.answer)
        } else {
            d.answer.clone()
        }
    })
}

fn fill(text: &str, deletions: &[Deletion], show: impl Fn(&Deletion) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for d in deletions {
        out.push_str(&text[at..d.range.start]);
        out.push_str(&show(d));
        at = d.range.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_answers_and_hints() {
        let t =
            "A ring of N moves {{c1::1/(N+1)}} of keys; modulo moves {{c2::N/(N+1)::fraction}}.";
        let d = parse(t).unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!(d[1].hint.as_deref(), Some("fraction"));
        assert_eq!(numbers(&d).into_iter().collect::<Vec<_>>(), vec![1, 2]);
        assert_eq!(
            front(t, &d, 2),
            "A ring of N moves 1/(N+1) of keys; modulo moves [fraction]."
        );
        assert_eq!(
            back(t, &d, 1),
            "A ring of N moves **1/(N+1)** of keys; modulo moves N/(N+1)."
        );
    }

    #[test]
    fn rejects_malformed_text() {
        for bad in [
            "no deletion",
            "open {{c1::x",
            "stray }} here {{c1::x}}",
            "{{c0::x}}",
            "{{x::y}}",
            "{{c1::}}",
            "{{c1::a {{c2::b}} }}",
            "{{c1::x}} then }}",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let single = parse("Alpha comes {c1::before} beta.").unwrap_err();
        assert_eq!(single.range, 12..24);
        assert!(single.message.contains("double braces"));
    }
}
