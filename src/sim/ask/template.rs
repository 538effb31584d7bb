//! Stems with `{name}` placeholders, filled with a question's numbers.

use std::ops::Range;

use super::Ask;

/// The placeholders a stem of `ask` may use.
pub fn placeholders(ask: Ask) -> &'static [&'static str] {
    match ask {
        Ask::KeysMovedOnJoin => &["nodes", "vnodes", "keys", "after"],
        Ask::KeysMovedOnLeave => &["nodes", "vnodes", "keys", "after", "leaving"],
        Ask::TokenBucketAdmits => &[
            "rate", "burst", "requests", "overload", "offered", "gap", "interval",
        ],
        Ask::BusiestWindow => &["limit", "traffic"],
    }
}

/// Every `{name}` in `text` (a name of lowercase letters, digits, `-` and `_`), with its byte
/// range including the braces. Other braces are plain text.
pub fn scan(text: &str) -> Vec<(Range<usize>, &str)> {
    let mut out = Vec::new();
    let mut rest = 0;
    while let Some(open) = text[rest..].find('{').map(|i| rest + i) {
        let name_len = text[open + 1..]
            .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'))
            .unwrap_or(text.len() - open - 1);
        let close = open + 1 + name_len;
        if name_len > 0 && text[close..].starts_with('}') {
            out.push((open..close + 1, &text[open + 1..close]));
            rest = close + 1;
        } else {
            rest = open + 1;
        }
    }
    out
}

/// `text` with each known placeholder replaced by its value; unknown ones stay as written
/// (the checker has already reported them).
pub(super) fn fill(text: &str, values: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (range, name) in scan(text) {
        if let Some((_, value)) = values.iter().find(|(n, _)| *n == name) {
            out.push_str(&text[at..range.start]);
            out.push_str(value);
            at = range.end;
        }
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_found_and_filled() {
        let text = "A {nodes}-node ring, {x y} and {} stay; {vnodes} each {unknown}.";
        let names: Vec<&str> = scan(text).into_iter().map(|(_, n)| n).collect();
        assert_eq!(names, ["nodes", "vnodes", "unknown"]);
        assert_eq!(scan(text)[0].0, 2..9);
        let filled = fill(
            text,
            &[("nodes", "5".to_string()), ("vnodes", "100".to_string())],
        );
        assert_eq!(
            filled,
            "A 5-node ring, {x y} and {} stay; 100 each {unknown}."
        );
    }

    #[test]
    fn every_default_stem_uses_only_its_placeholders() {
        for ask in Ask::ALL {
            for (_, name) in scan(ask.default_stem()) {
                assert!(placeholders(ask).contains(&name), "{}: {name}", ask.id());
            }
        }
    }
}
