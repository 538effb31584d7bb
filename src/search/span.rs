//! Where a fuzzy pattern fits in a text, found byte-wise with `memchr`.
//!
//! The finder scores with skim's simple (greedy) algorithm, fzf's v1: the score of one window
//! of the text, which ends where a greedy left-to-right match of the pattern first completes
//! and starts where a greedy right-to-left match from there ends. Finding that window with
//! SIMD byte searches and handing skim only the window means skim converts and scans a dozen
//! characters instead of the whole entry, and texts the pattern does not fit are rejected
//! without calling skim at all. (Given a whole text, skim 0.3 starts its window early when
//! the match does not start at the first character, keeping a start relative to the first
//! match as if absolute; scoring the window itself does not copy that.)
//!
//! Matching follows skim's ignore-case rule: ASCII letters match either case, every other
//! character only itself. A non-ASCII character is searched as its UTF-8 bytes, which can
//! only be found at a character boundary.

use std::ops::Range;

use memchr::{memchr, memchr2, memmem, memrchr, memrchr2};

/// Where a greedy left-to-right match of `pattern` from byte `from` ends (the byte after its
/// last character). Greedy matches compose: the end for `abcd` is the end for `d` from the
/// end for `abc`, which is how the finder narrows as a query grows.
pub fn forward(text: &str, pattern: &str, from: usize) -> Option<usize> {
    let hay = text.as_bytes();
    pattern.chars().try_fold(from, |from, p| {
        find(hay, from, p).map(|at| at + p.len_utf8())
    })
}

/// The window of a greedy match of `pattern` that ends at byte `end` (see [`forward`]): the
/// latest start a match ending there can have; the byte range of the text skim's simple
/// algorithm scores the pattern on. For a one-character pattern the range also holds the
/// character before the match, whose kind skim's bonus looks at.
pub fn window_ending(text: &str, pattern: &str, end: usize) -> Option<Range<usize>> {
    let hay = text.as_bytes();
    let mut chars = pattern.chars();
    let last = chars.next_back()?;
    if chars.next().is_none() {
        return Some(char_before(text, end - last.len_utf8())..end);
    }
    let mut limit = end;
    if pattern.is_ascii() {
        // A window is a few bytes long: looking back byte by byte finds each character
        // before a SIMD search would be set up.
        for p in pattern.bytes().rev() {
            limit = hay[..limit].iter().rposition(|&b| same_ascii(b, p))?;
        }
        return Some(limit..end);
    }
    for p in pattern.chars().rev() {
        limit = rfind(&hay[..limit], p)?;
    }
    Some(limit..end)
}

/// How many of `pattern`'s characters skim surely matches right after a gap in `window` (see
/// [`window_ending`]), where a match earns no bonus. Skim matches the window left to right
/// from its first character: the second pattern character comes after a gap unless it is the
/// window's second character, and the last one unless the window's character before it is
/// the pattern's one before it (for two characters, these are one character).
pub fn matches_after_gaps(window: &str, pattern: &str) -> i64 {
    let mut ahead = pattern.chars().skip(1);
    let mut back = pattern.chars().rev().skip(1);
    let (Some(second), Some(before_last)) = (ahead.next(), back.next()) else {
        return 0;
    };
    let same = |c: Option<char>, p: char| c.is_some_and(|c| c.eq_ignore_ascii_case(&p));
    let after_first = !same(window.chars().nth(1), second);
    let before_last_gap = !same(window.chars().rev().nth(1), before_last);
    if ahead.next().is_none() {
        i64::from(after_first || before_last_gap)
    } else {
        i64::from(after_first) + i64::from(before_last_gap)
    }
}

/// Whether byte `b` of a text is the ASCII character `p` under skim's ignore-case rule; the
/// bytes of other characters are never ASCII, so they never match.
fn same_ascii(b: u8, p: u8) -> bool {
    if p.is_ascii_alphabetic() {
        b | 0x20 == p | 0x20
    } else {
        b == p
    }
}

/// The start of the character before byte `at` (or `at` itself at the start of the text).
fn char_before(text: &str, at: usize) -> usize {
    text[..at].char_indices().next_back().map_or(at, |(i, _)| i)
}

/// The first occurrence of `p` at or after byte `from`.
fn find(hay: &[u8], from: usize, p: char) -> Option<usize> {
    let rest = &hay[from..];
    let found = if p.is_ascii_alphabetic() {
        let b = p as u8;
        memchr2(b.to_ascii_lowercase(), b.to_ascii_uppercase(), rest)
    } else if p.is_ascii() {
        memchr(p as u8, rest)
    } else {
        memmem::find(rest, p.encode_utf8(&mut [0; 4]).as_bytes())
    };
    found.map(|i| from + i)
}

/// The last occurrence of `p` that ends within `hay`.
fn rfind(hay: &[u8], p: char) -> Option<usize> {
    if p.is_ascii_alphabetic() {
        let b = p as u8;
        memrchr2(b.to_ascii_lowercase(), b.to_ascii_uppercase(), hay)
    } else if p.is_ascii() {
        memrchr(p as u8, hay)
    } else {
        memmem::rfind(hay, p.encode_utf8(&mut [0; 4]).as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use fuzzy_matcher::FuzzyMatcher;
    use fuzzy_matcher::skim::SkimMatcherV2;
    use proptest::prelude::*;

    use super::{Range, forward, window_ending};

    /// The window of the first greedy match, from the start of the text.
    fn window(text: &str, pattern: &str) -> Option<Range<usize>> {
        window_ending(text, pattern, forward(text, pattern, 0)?)
    }

    fn skim() -> SkimMatcherV2 {
        SkimMatcherV2::default().ignore_case().element_limit(1)
    }

    /// The window's score, as the finder computes it.
    fn windowed(text: &str, pattern: &str) -> Option<i64> {
        let w = window(text, pattern)?;
        skim().fuzzy_match(&text[w], pattern)
    }

    #[test]
    fn the_window_is_the_shortest_match_ending_where_the_greedy_one_ends() {
        // Greedy forward: r(0) e(1) p(7) ends at 8; backward from there: p(7) e(6) r(5).
        assert_eq!(window("rex, rep-rep", "rep"), Some(5..8));
        assert_eq!(window("abc", "abd"), None);
        assert_eq!(window("", "a"), None);
    }

    #[test]
    fn a_grown_pattern_continues_from_where_the_shorter_one_ended() {
        let text = "read replicas replicate";
        let rep = forward(text, "rep", 0).unwrap();
        let replica = forward(text, "lica", rep);
        assert_eq!(replica, forward(text, "replica", 0));
        assert_eq!(
            window_ending(text, "replica", replica.unwrap()),
            Some(5..12)
        );
    }

    #[test]
    fn case_folds_for_ascii_letters_only() {
        assert_eq!(window("Token BUCKET", "bucket"), Some(6..12));
        // The Kelvin sign is not an ASCII K, as in skim.
        assert_eq!(window("\u{212A}ey", "key"), None);
        assert_eq!(window("Ünïcode ü", "ü"), Some(9..12));
    }

    #[test]
    fn one_character_keeps_the_character_before_for_its_bonus() {
        assert_eq!(window("a_b", "b"), Some(1..3));
        assert_eq!(window("éb", "b"), Some(0..3));
        assert_eq!(window("b", "b"), Some(0..1));
    }

    /// The window by its definition, checked over every pair of character positions: the
    /// earliest end of any in-order match, then the latest start of a match ending there.
    fn shortest_window(text: &str, pattern: &str) -> Option<Range<usize>> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let p: Vec<char> = pattern.chars().collect();
        let fits = |s: usize, e: usize| {
            let mut want = p.iter().peekable();
            for &(_, c) in &chars[s..=e] {
                if want.peek().is_some_and(|w| w.eq_ignore_ascii_case(&c)) {
                    want.next();
                }
            }
            want.peek().is_none()
        };
        let end = (0..chars.len()).find(|&e| fits(0, e))?;
        let start = (0..=end).rev().find(|&s| fits(s, end))?;
        let byte = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
        Some(byte(start)..byte(end + 1))
    }

    #[test]
    fn where_the_match_starts_the_text_the_score_is_skims_own() {
        let cases = [
            ("Consistent Hashing", "cnsstnt hshng"),
            ("replicas and replication lag", "replica"),
            ("read-your-writes consistency", "ryw"),
            ("a_b", "b"),
            ("AbcAbc", "c"),
            ("snake_case_Camel", "sc"),
            ("Überblick über Caches", "Üb"),
            ("tok  tok bucket", "tok bu"),
        ];
        let m = skim();
        for (text, pattern) in cases {
            assert_eq!(
                windowed(text, pattern),
                m.fuzzy_match(text, pattern),
                "{pattern:?} in {text:?}"
            );
        }
    }

    proptest! {
        /// Over texts and patterns drawn from a small alphabet (so matches are common) with
        /// separators, case and multi-byte letters, the window is the shortest one by its
        /// definition (fzf's v1: a forward scan for the end, a backward scan for the start).
        #[test]
        fn the_window_is_the_shortest_by_definition(
            text in "[abAB _\\-éü\u{212A}1]{0,40}",
            pattern in "[abAB _éü1k]{2,5}",
        ) {
            prop_assert_eq!(window(&text, &pattern), shortest_window(&text, &pattern));
        }

        /// When the text starts with the pattern's first character, skim's simple algorithm
        /// scores exactly the window, so scoring the window alone changes nothing. (Further
        /// in, skim 0.3 starts its window early: it keeps a start relative to the first match
        /// as if it were absolute, which the finder does not copy.)
        #[test]
        fn from_the_first_character_windowed_scores_equal_skims(
            rest in "[abAB _\\-éü\u{212A}1]{0,40}",
            pattern in "[abAB _éü1k]{1,5}",
        ) {
            let text = format!("{}{rest}", pattern.chars().next().unwrap());
            prop_assert_eq!(windowed(&text, &pattern), skim().fuzzy_match(&text, &pattern));
        }
    }
}
