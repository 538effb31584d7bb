//! Field-by-field checks of one record of a progress file. Everything in the file is untrusted:
//! a key, time or number the app could never have written is refused with the field's name,
//! before anything reaches the database, where one absurd value (a review dated 9999) would
//! otherwise break every later statistic.

use jiff::{SignedDuration, Timestamp};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::content::text::is_valid_id;
use crate::quiz::{AnswerRecord, AttemptSnapshot, QuestionKey, Score, Timer, UnixMillis};
use crate::srs::time::to_millis;
use crate::srs::{DayClock, Grade, ItemKey, Phase, ReviewLog, Scheduler, Settings};
use crate::store::{Enrolment, ExamGoal, StoredAttempt, StoredParameters};

/// The earliest time a record may carry: before sysdeck, and before FSRS.
const EARLIEST: Timestamp = Timestamp::constant(946_684_800, 0); // 2000-01-01T00:00:00Z
/// How far past the importer's clock a record may be, for a machine whose clock runs ahead.
const AHEAD: SignedDuration = SignedDuration::from_hours(24);
/// Longest key: a pack id, an item id and a side, each far shorter in any real pack.
const MAX_KEY: usize = 256;
/// Longest interval or gap in days: a century, past FSRS's own 36,500-day ceiling.
const MAX_DAYS: u32 = 36_525;
/// Longest time spent on one answer or one attempt: a year.
const MAX_DURATION_MS: i64 = 366 * 86_400_000;
/// Most questions in one attempt, and choices in one question.
const MAX_QUESTIONS: usize = 10_000;
const MAX_CHOICE: usize = 99;
/// How much of a value from the file a message quotes.
const QUOTE: usize = 80;

/// One record of the file, checked.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Record {
    Settings(Settings),
    Parameters(StoredParameters),
    Enrolled(Enrolment),
    Suspended(Enrolment),
    Reset(Enrolment),
    Review(ReviewLog),
    Attempt(Box<StoredAttempt>),
    ExamGoal(ExamGoal),
}

/// What is wrong with a record: the field (dotted, e.g. `review.grade`) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Problem {
    pub field: Option<String>,
    pub message: String,
}

impl Problem {
    pub(super) fn new(field: Option<String>, message: impl AsRef<str>) -> Problem {
        Problem {
            field,
            message: quoted(message.as_ref(), 4 * QUOTE),
        }
    }

    fn at(field: impl Into<String>, message: impl AsRef<str>) -> Problem {
        Problem::new(Some(field.into()), message)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "field `{field}`: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Text from the file made safe to print ([`crate::safe_text::escape`]) and cut to `max`
/// characters.
pub(super) fn quoted(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if text.chars().nth(max).is_some() {
        out.push('…');
    }
    crate::safe_text::escape(&out).into_owned()
}

/// The checks that depend on when the import happens.
#[derive(Debug, Clone, Copy)]
pub(super) struct Bounds {
    latest: Timestamp,
}

impl Bounds {
    /// Times up to a day past `now` are accepted.
    pub(super) fn at(now: Timestamp) -> Bounds {
        Bounds {
            latest: now.saturating_add(AHEAD).unwrap_or(now),
        }
    }

    fn time(&self, field: &str, time: Timestamp) -> Result<Timestamp, Problem> {
        if time < EARLIEST || time > self.latest {
            return Err(Problem::at(
                field,
                format!(
                    "{time} is outside 2000-01-01 to {} (a day past now)",
                    self.latest.strftime("%Y-%m-%d")
                ),
            ));
        }
        Ok(to_millis(time))
    }

    fn millis(&self, field: &str, ms: UnixMillis) -> Result<UnixMillis, Problem> {
        let time = Timestamp::from_millisecond(ms)
            .map_err(|_| Problem::at(field, format!("{ms} is not a time in milliseconds")))?;
        self.time(field, time).map(|_| ms)
    }
}

/// Checks one line of a current-format file: an object with one key naming the record's kind.
pub(super) fn record(value: Value, bounds: &Bounds) -> Result<Record, Problem> {
    let Value::Object(map) = value else {
        return Err(Problem::new(None, "a record is a JSON object"));
    };
    let mut entries = map.into_iter();
    let (Some((kind, body)), None) = (entries.next(), entries.next()) else {
        return Err(Problem::new(
            None,
            "a record is an object with one key naming its kind \
             (settings, parameters, enrolled, suspended, reset, review, attempt or exam_goal)",
        ));
    };
    match kind.as_str() {
        "settings" => settings(body).map(Record::Settings),
        "parameters" => parameters(body, bounds).map(Record::Parameters),
        "enrolled" => mark("enrolled", false, body, bounds).map(Record::Enrolled),
        "suspended" => mark("suspended", true, body, bounds).map(Record::Suspended),
        "reset" => mark("reset", true, body, bounds).map(Record::Reset),
        "review" => review("review", body, bounds).map(Record::Review),
        "attempt" => attempt(body, bounds).map(|a| Record::Attempt(Box::new(a))),
        "exam_goal" => exam_goal(body, bounds).map(Record::ExamGoal),
        other => Err(Problem::new(
            None,
            format!(
                "`{}` is not a kind of record (settings, parameters, enrolled, suspended, reset, \
                 review, attempt or exam_goal)",
                quoted(other, QUOTE)
            ),
        )),
    }
}

/// The named fields of one record's object; any other field is refused.
struct Fields {
    prefix: &'static str,
    map: Map<String, Value>,
}

impl Fields {
    fn of(prefix: &'static str, value: Value, known: &[&str]) -> Result<Fields, Problem> {
        let Value::Object(map) = value else {
            return Err(Problem::at(prefix, "must be a JSON object"));
        };
        if let Some(unknown) = map.keys().find(|k| !known.contains(&k.as_str())) {
            return Err(Problem::at(
                prefix,
                format!(
                    "unknown field `{}` (expected {})",
                    quoted(unknown, QUOTE),
                    known.join(", ")
                ),
            ));
        }
        Ok(Fields { prefix, map })
    }

    fn name(&self, field: &str) -> String {
        format!("{}.{field}", self.prefix)
    }

    /// The field as `T`; `null` and a missing field are the same to an `Option`.
    fn get<T: DeserializeOwned>(&mut self, field: &str) -> Result<T, Problem> {
        let value = self.map.remove(field).unwrap_or(Value::Null);
        let missing = value.is_null();
        serde_json::from_value(value).map_err(|e| match missing {
            true => Problem::at(self.name(field), "is missing"),
            false => Problem::at(self.name(field), e.to_string()),
        })
    }

    fn time(&mut self, field: &str, bounds: &Bounds) -> Result<Timestamp, Problem> {
        let time = self.get(field)?;
        bounds.time(&self.name(field), time)
    }

    fn days(&mut self, field: &str) -> Result<u32, Problem> {
        let days: u32 = self.get(field)?;
        match days <= MAX_DAYS {
            true => Ok(days),
            false => Err(Problem::at(
                self.name(field),
                format!("{days} days is more than {MAX_DAYS}"),
            )),
        }
    }
}

/// `pack/item`, `pack/item#reverse` or `pack/item#cN` (a cloze deletion, N from 1), with ids
/// `[a-z0-9][a-z0-9-]*`; a question key has no `#` part.
fn key(field: &str, text: &str, sides: bool) -> Result<(), Problem> {
    let bad = |why: &str| {
        Problem::at(
            field,
            format!("`{}` is not a progress key: {why}", quoted(text, QUOTE)),
        )
    };
    if text.len() > MAX_KEY {
        return Err(bad(&format!("longer than {MAX_KEY} bytes")));
    }
    let (base, side) = match text.split_once('#') {
        Some((base, side)) => (base, Some(side)),
        None => (text, None),
    };
    let Some((pack, item)) = base.split_once('/') else {
        return Err(bad("expected `pack/item`"));
    };
    if !is_valid_id(pack) || !is_valid_id(item) {
        return Err(bad(
            "pack and item ids are lowercase letters, digits and dashes, starting with a letter or digit",
        ));
    }
    let side_ok = |side: &str| {
        side == "reverse"
            || side.strip_prefix('c').is_some_and(|n| {
                !n.is_empty()
                    && !n.starts_with('0')
                    && n.len() <= 4
                    && n.bytes().all(|b| b.is_ascii_digit())
            })
    };
    match side {
        None => Ok(()),
        Some(side) if sides && side_ok(side) => Ok(()),
        Some(_) if sides => Err(bad("the part after `#` is `reverse` or `c1`, `c2`, ...")),
        Some(_) => Err(bad("a question key has no `#` part")),
    }
}

fn id(field: &str, text: &str) -> Result<(), Problem> {
    match is_valid_id(text) && text.len() <= MAX_KEY {
        true => Ok(()),
        false => Err(Problem::at(
            field,
            format!(
                "`{}` is not an id (lowercase letters, digits and dashes)",
                quoted(text, QUOTE)
            ),
        )),
    }
}

fn duration(field: &str, ms: i64) -> Result<(), Problem> {
    match (0..=MAX_DURATION_MS).contains(&ms) {
        true => Ok(()),
        false => Err(Problem::at(
            field,
            format!("{ms}ms is not a duration from 0 to a year"),
        )),
    }
}

/// A review-log row; `prefix` is `review`, or `row` in a version 1 file of bare rows.
pub(super) fn review(
    prefix: &'static str,
    value: Value,
    bounds: &Bounds,
) -> Result<ReviewLog, Problem> {
    let known = [
        "item",
        "at",
        "grade",
        "kind",
        "elapsed_days",
        "scheduled_days",
        "duration_ms",
    ];
    let mut f = Fields::of(prefix, value, &known)?;
    let item: String = f.get("item")?;
    key(&f.name("item"), &item, true)?;
    let at = f.time("at", bounds)?;
    let grade: u8 = f.get("grade")?;
    let grade = Grade::from_number(grade).ok_or_else(|| {
        Problem::at(
            f.name("grade"),
            format!("{grade} is not a grade from 1 to 4"),
        )
    })?;
    let kind: Phase = f.get("kind")?;
    let elapsed_days = f.days("elapsed_days")?;
    let scheduled_days = f.days("scheduled_days")?;
    // A u32 of milliseconds: at most the 49.7 days the review screen can record.
    let duration_ms: u32 = f.get("duration_ms")?;
    Ok(ReviewLog {
        item: ItemKey::new(item),
        at,
        grade,
        kind,
        elapsed_days,
        scheduled_days,
        duration_ms,
    })
}

/// An item and a time: a question sent to review, or a card (any side) suspended or reset.
fn mark(
    kind: &'static str,
    sides: bool,
    value: Value,
    bounds: &Bounds,
) -> Result<Enrolment, Problem> {
    let mut f = Fields::of(kind, value, &["item", "at"])?;
    let item: String = f.get("item")?;
    key(&f.name("item"), &item, sides)?;
    let at = f.time("at", bounds)?;
    Ok(Enrolment {
        item: ItemKey::new(item),
        at,
    })
}

/// An exam goal: a pack id, dates the app could have written (set no later than a day from
/// now) and the ranges a goal keeps to ([`ExamGoal::problem`]).
fn exam_goal(value: Value, bounds: &Bounds) -> Result<ExamGoal, Problem> {
    let known = ["pack", "exam", "target", "minutes", "set_on", "forecast"];
    let mut f = Fields::of("exam_goal", value, &known)?;
    let pack: String = f.get("pack")?;
    id(&f.name("pack"), &pack)?;
    let set_on: jiff::civil::Date = f.get("set_on")?;
    let start = jiff::tz::TimeZone::UTC
        .to_timestamp(set_on.to_datetime(jiff::civil::Time::midnight()))
        .map_err(|e| Problem::at(f.name("set_on"), e.to_string()))?;
    bounds.time(&f.name("set_on"), start)?;
    let goal = ExamGoal {
        pack,
        exam: f.get("exam")?,
        target: f.get("target")?,
        minutes: f.get("minutes")?,
        set_on,
        forecast: f.get("forecast")?,
    };
    match goal.problem() {
        Some(why) => Err(Problem::at("exam_goal", why)),
        None => Ok(goal),
    }
}

fn settings(value: Value) -> Result<Settings, Problem> {
    let known: Vec<String> = match serde_json::to_value(Settings::default()) {
        Ok(Value::Object(map)) => map.into_iter().map(|(k, _)| k).collect(),
        _ => Vec::new(),
    };
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    let mut f = Fields::of("settings", value, &known)?;
    let map = Value::Object(std::mem::take(&mut f.map));
    let settings: Settings =
        serde_json::from_value(map).map_err(|e| Problem::at("settings", e.to_string()))?;
    settings
        .validate()
        .map_err(|e| Problem::at("settings", e.to_string()))?;
    Ok(settings)
}

fn parameters(value: Value, bounds: &Bounds) -> Result<StoredParameters, Problem> {
    let known = ["parameters", "fitted_at", "items", "log_loss", "rmse"];
    let mut f = Fields::of("parameters", value, &known)?;
    let weights: Vec<f32> = f.get("parameters")?;
    // The scheduler refuses weights FSRS cannot use (wrong count, out of range).
    Scheduler::new(&weights, Settings::default(), DayClock::utc(4))
        .map_err(|e| Problem::at(f.name("parameters"), e.to_string()))?;
    let fitted_at = f.time("fitted_at", bounds)?;
    let items: u32 = f.get("items")?;
    let mut metric = |field: &str| -> Result<Option<f32>, Problem> {
        let value: Option<f32> = f.get(field)?;
        match value {
            Some(x) if !(x.is_finite() && x >= 0.0) => Err(Problem::at(
                f.name(field),
                format!("{x} is not a non-negative number"),
            )),
            other => Ok(other),
        }
    };
    Ok(StoredParameters {
        parameters: weights,
        fitted_at,
        items: items as usize,
        log_loss: metric("log_loss")?,
        rmse: metric("rmse")?,
    })
}

fn attempt(value: Value, bounds: &Bounds) -> Result<StoredAttempt, Problem> {
    let known = ["snapshot", "score", "abandoned_at", "answers"];
    let mut f = Fields::of("attempt", value, &known)?;
    let snapshot: AttemptSnapshot = f.get("snapshot")?;
    let score: Option<Score> = f.get("score")?;
    let abandoned_at: Option<UnixMillis> = f.get("abandoned_at")?;
    let answers: Vec<AnswerRecord> = f.get("answers")?;
    check_snapshot(&snapshot, bounds)?;
    if let Some(at) = abandoned_at {
        bounds.millis("attempt.abandoned_at", at)?;
    }
    match (&score, snapshot.finished_at) {
        (Some(score), Some(_)) => check_score(score)?,
        (None, None) if answers.is_empty() => {}
        (None, None) => {
            return Err(Problem::at(
                "attempt.answers",
                "an unfinished attempt has no marked answers",
            ));
        }
        (Some(_), None) => {
            return Err(Problem::at(
                "attempt.score",
                "an unfinished attempt has no score",
            ));
        }
        (None, Some(_)) => return Err(Problem::at("attempt.score", "is missing")),
    }
    for (i, a) in answers.iter().enumerate() {
        let field = |name: &str| format!("attempt.answers[{i}].{name}");
        question(&field("key"), &a.key)?;
        choices(&field("chosen"), &a.chosen)?;
        duration(&field("time_ms"), a.time_ms)?;
        bounds.millis(&field("answered_at"), a.answered_at)?;
    }
    Ok(StoredAttempt {
        snapshot,
        score,
        abandoned_at,
        answers,
    })
}

fn question(field: &str, key_: &QuestionKey) -> Result<(), Problem> {
    key(field, &key_.to_string(), false)
}

fn choices(field: &str, chosen: &[usize]) -> Result<(), Problem> {
    match chosen.len() <= MAX_CHOICE && chosen.iter().all(|&c| c < MAX_CHOICE) {
        true => Ok(()),
        false => Err(Problem::at(
            field,
            format!("choices are indexes below {MAX_CHOICE}"),
        )),
    }
}

fn check_snapshot(s: &AttemptSnapshot, bounds: &Bounds) -> Result<(), Problem> {
    let field = |name: &str| format!("attempt.snapshot.{name}");
    if let Some(pack) = &s.spec.pack {
        id(&field("spec.pack"), pack)?;
    }
    for (i, domain) in s.spec.domains.iter().enumerate() {
        id(&field(&format!("spec.domains[{i}]")), domain)?;
    }
    if let Timer::Total { ms } | Timer::PerQuestion { ms } = s.spec.timer {
        duration(&field("spec.timer.ms"), ms)?;
    }
    if s.spec.pass_score.is_some_and(|p| p > 1000) {
        return Err(Problem::at(
            field("spec.pass_score"),
            "is on the 100 to 1000 scale",
        ));
    }
    bounds.millis(&field("started_at"), s.started_at)?;
    bounds.millis(&field("updated_at"), s.updated_at)?;
    if s.updated_at < s.started_at {
        return Err(Problem::at(field("updated_at"), "is before started_at"));
    }
    if let Some(finished) = s.finished_at {
        bounds.millis(&field("finished_at"), finished)?;
        if finished < s.started_at {
            return Err(Problem::at(field("finished_at"), "is before started_at"));
        }
    }
    duration(&field("used_ms"), s.used_ms)?;
    if s.questions.is_empty() || s.questions.len() > MAX_QUESTIONS {
        return Err(Problem::at(
            field("questions"),
            format!("an attempt has 1 to {MAX_QUESTIONS} questions"),
        ));
    }
    if s.current >= s.questions.len() {
        return Err(Problem::at(field("current"), "is past the last question"));
    }
    for (i, q) in s.questions.iter().enumerate() {
        let field = |name: &str| field(&format!("questions[{i}].{name}"));
        question(&field("key"), &q.key)?;
        choices(&field("chosen"), &q.chosen)?;
        duration(&field("time_ms"), q.time_ms)?;
        if let Some(at) = q.answered_at {
            bounds.millis(&field("answered_at"), at)?;
        }
    }
    Ok(())
}

fn check_score(score: &Score) -> Result<(), Problem> {
    let field = |name: &str| format!("attempt.score.{name}");
    if score.correct > score.total || score.total > MAX_QUESTIONS {
        return Err(Problem::at(field("correct"), "is more than the total"));
    }
    if score.scaled > 1000 {
        return Err(Problem::at(field("scaled"), "is on the 100 to 1000 scale"));
    }
    duration(&field("used_ms"), score.used_ms)?;
    for (i, d) in score.domains.iter().enumerate() {
        if let Some(domain) = &d.domain {
            id(&field(&format!("domains[{i}].domain")), domain)?;
        }
        if d.correct > d.total || d.total > score.total {
            return Err(Problem::at(
                field(&format!("domains[{i}].correct")),
                "is more than the total",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_have_the_pack_item_shape() {
        for good in ["sd/cache-aside", "sd/card#reverse", "aws-saa/q1", "p/c#c12"] {
            assert_eq!(key("f", good, true), Ok(()), "{good}");
        }
        for bad in [
            "/",
            "sd",
            "sd/",
            "/card",
            "Sd/card",
            "sd/-x",
            "sd/card#",
            "sd/card#c0",
            "sd/card#up",
            "sd/a/b",
            "sd/card#c1#c2",
            "sd/ca rd",
        ] {
            assert!(key("f", bad, true).is_err(), "{bad}");
        }
        assert!(
            key("f", "sd/q#reverse", false).is_err(),
            "questions have no side"
        );
        assert!(key("f", &format!("sd/{}", "a".repeat(300)), true).is_err());
    }

    #[test]
    fn quoted_text_escapes_controls_and_is_cut() {
        assert_eq!(quoted("a\u{1b}[2Jb\u{202e}c", 80), "a\\u{1b}[2Jb\\u{202e}c");
        assert_eq!(quoted("abcdef", 3), "abc…");
        assert_eq!(quoted("plain é", 80), "plain é");
    }
}
