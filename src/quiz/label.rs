//! How attempts and their times are named, the same in the app and on the command line.

use super::{Mode, PracticeExamRef, UnixMillis};

/// `m:ss`, or `h:mm:ss` from an hour up; negative spans read as zero.
pub fn clock(ms: UnixMillis) -> String {
    let secs = ms.max(0) / 1000;
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// The mode as a title word.
pub fn mode_label(mode: Mode) -> &'static str {
    match mode {
        Mode::Exam => "Exam",
        Mode::Practice => "Practice",
        Mode::Drill => "Drill",
    }
}

/// What an attempt is: its mode, or which practice exam.
pub fn attempt_label(mode: Mode, practice_exam: Option<PracticeExamRef>) -> String {
    practice_exam.map_or_else(|| mode_label(mode).to_string(), |p| p.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_read_like_a_timer() {
        assert_eq!(clock(0), "0:00");
        assert_eq!(clock(61_999), "1:01");
        assert_eq!(clock(130 * 60_000), "2:10:00");
        assert_eq!(clock(-5), "0:00");
    }
}
