//! Words for messages and screens, written once: counted nouns ("1 card", "3 cards") and
//! one-line previews of longer text.

/// `n noun`, the noun in the plural (with `s`) unless `n` is one.
pub fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", s(n))
}

/// The plural ending for `n` of something: `""` for one, else `"s"`.
pub fn s(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `text` on one line: every run of whitespace, line breaks included, becomes one space, so
/// a stem written over several lines keeps the space between its words.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `12345` as `12,345`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(count(0, "topic"), "0 topics");
        assert_eq!(count(1, "topic"), "1 topic");
        assert_eq!(count(2, "id"), "2 ids");
    }

    #[test]
    fn thousands_are_grouped_by_three() {
        assert_eq!(thousands(10_000), "10,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn a_line_break_between_words_becomes_a_space() {
        assert_eq!(
            one_line("within 60 seconds\nwith  a  burst\n"),
            "within 60 seconds with a burst"
        );
    }
}
