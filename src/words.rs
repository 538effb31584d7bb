//! Counted nouns for messages and screens: "1 card", "3 cards", written once.

/// `n noun`, the noun in the plural (with `s`) unless `n` is one.
pub fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", s(n))
}

/// The plural ending for `n` of something: `""` for one, else `"s"`.
pub fn s(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
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
}
