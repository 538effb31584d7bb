//! Simulated time: integer nanoseconds, so every limiter law holds exactly, plus the duration
//! syntax (`1s`, `500ms`, `2m`) shared by the CLI flags and traffic scripts.

use thiserror::Error;

/// A point in, or a span of, simulated time in nanoseconds since the simulation started.
pub type Nanos = u64;

/// One microsecond in [`Nanos`].
pub const MICROSECOND: Nanos = 1_000;
/// One millisecond in [`Nanos`].
pub const MILLISECOND: Nanos = 1_000_000;
/// One second in [`Nanos`].
pub const SECOND: Nanos = 1_000_000_000;

/// Units accepted by [`parse_duration`], longest suffix first so `ms` wins over `s`.
const UNITS: [(&str, Nanos); 7] = [
    ("ns", 1),
    ("us", MICROSECOND),
    ("µs", MICROSECOND),
    ("ms", MILLISECOND),
    ("s", SECOND),
    ("m", 60 * SECOND),
    ("h", 3_600 * SECOND),
];

/// Why a duration did not parse; the message names the input so it stands on its own.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DurationError {
    #[error("empty duration (write e.g. `1s`, `500ms`, `2m`)")]
    Empty,
    #[error(
        "`{input}` has no unit (write e.g. `{input}s` or `{input}ms`; units: ns, us, ms, s, m, h)"
    )]
    MissingUnit { input: String },
    #[error("`{input}` has an unknown unit (units: ns, us, ms, s, m, h)")]
    UnknownUnit { input: String },
    #[error("`{input}` is not a number followed by a unit (e.g. `1.5s`)")]
    BadNumber { input: String },
    #[error("`{input}` is finer than one nanosecond")]
    TooPrecise { input: String },
    #[error("`{input}` is too long (the limit is about 584 years)")]
    Overflow { input: String },
}

/// Parses `<number><unit>` such as `1s`, `1.5s`, `250ms`, `2m`; a bare `0` needs no unit.
///
/// Decimal fractions are converted exactly with integer arithmetic, never through a float.
pub fn parse_duration(input: &str) -> Result<Nanos, DurationError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(DurationError::Empty);
    }
    let owned = || text.to_string();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let is_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !is_digits(whole) || !is_digits(fraction) {
        return Err(DurationError::BadNumber { input: owned() });
    }
    let fraction = fraction.trim_end_matches('0');
    if unit.is_empty() {
        return match whole.trim_start_matches('0').is_empty() && fraction.is_empty() {
            true => Ok(0),
            false => Err(DurationError::MissingUnit { input: owned() }),
        };
    }
    let scale = UNITS
        .iter()
        .find(|(name, _)| *name == unit.trim())
        .map(|&(_, scale)| scale)
        .ok_or_else(|| DurationError::UnknownUnit { input: owned() })?;
    let overflow = || DurationError::Overflow { input: owned() };
    let whole: u64 = match whole {
        "" => 0,
        digits => digits.parse().map_err(|_| overflow())?,
    };
    let mut nanos = whole.checked_mul(scale).ok_or_else(overflow)?;
    if !fraction.is_empty() {
        let too_precise = || DurationError::TooPrecise { input: owned() };
        let denominator = u32::try_from(fraction.len())
            .ok()
            .and_then(|len| 10u128.checked_pow(len))
            .ok_or_else(too_precise)?;
        let numerator: u128 = fraction.parse().map_err(|_| too_precise())?;
        let scaled = numerator
            .checked_mul(u128::from(scale))
            .ok_or_else(too_precise)?;
        if scaled % denominator != 0 {
            return Err(too_precise());
        }
        let extra = u64::try_from(scaled / denominator).map_err(|_| overflow())?;
        nanos = nanos.checked_add(extra).ok_or_else(overflow)?;
    }
    Ok(nanos)
}

/// Formats a span with the largest unit that keeps it at or above one, e.g. `1.5s`, `333.333ms`.
///
/// Rounds to three decimals: for reading, not for parsing back exactly.
pub fn format_duration(nanos: Nanos) -> String {
    let (name, scale) = UNITS
        .iter()
        .rev()
        .filter(|(name, _)| *name != "µs")
        .find(|&&(_, scale)| nanos >= scale)
        .copied()
        .unwrap_or(("s", SECOND));
    if nanos == 0 {
        return "0s".to_string();
    }
    let value = nanos as f64 / scale as f64;
    let text = format!("{value:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text}{name}")
}

/// Formats a span to three significant figures with the largest fitting unit, e.g. `66.8ms`,
/// `225ms`, `1.01s`: for table columns, where [`format_duration`]'s three decimals are too wide.
pub fn format_short(nanos: Nanos) -> String {
    let full = format_duration(nanos);
    let split = full
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(full.len());
    let (number, unit) = full.split_at(split);
    let value: f64 = number.parse().unwrap_or(0.0);
    let decimals = match value {
        v if v >= 100.0 => 0,
        v if v >= 10.0 => 1,
        _ => 2,
    };
    let text = format!("{value:.decimals$}");
    let text = match text.contains('.') {
        true => text.trim_end_matches('0').trim_end_matches('.'),
        false => &text,
    };
    format!("{text}{unit}")
}

/// Seconds as a float, for rates and for JSON readers who do not want nanoseconds.
pub fn as_seconds(nanos: Nanos) -> f64 {
    nanos as f64 / SECOND as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units_and_fractions_exactly() {
        assert_eq!(parse_duration("1s"), Ok(SECOND));
        assert_eq!(parse_duration("500ms"), Ok(500 * MILLISECOND));
        assert_eq!(parse_duration("2m"), Ok(120 * SECOND));
        assert_eq!(parse_duration("1.5s"), Ok(1_500 * MILLISECOND));
        assert_eq!(parse_duration(".25s"), Ok(250 * MILLISECOND));
        assert_eq!(parse_duration("7us"), Ok(7_000));
        assert_eq!(parse_duration("7µs"), Ok(7_000));
        assert_eq!(parse_duration("3ns"), Ok(3));
        assert_eq!(parse_duration("1h"), Ok(3_600 * SECOND));
        assert_eq!(parse_duration(" 0 "), Ok(0));
        assert_eq!(parse_duration("0.000"), Ok(0));
        assert_eq!(parse_duration("1.10000s"), Ok(1_100 * MILLISECOND));
    }

    #[test]
    fn rejects_bad_input_with_a_reason() {
        assert_eq!(parse_duration(""), Err(DurationError::Empty));
        assert!(matches!(
            parse_duration("5"),
            Err(DurationError::MissingUnit { .. })
        ));
        assert!(matches!(
            parse_duration("5 fortnights"),
            Err(DurationError::UnknownUnit { .. })
        ));
        assert!(matches!(
            parse_duration("1.2.3s"),
            Err(DurationError::BadNumber { .. })
        ));
        assert!(matches!(
            parse_duration("-1s"),
            Err(DurationError::BadNumber { .. })
        ));
        assert!(matches!(
            parse_duration(".s"),
            Err(DurationError::BadNumber { .. })
        ));
        assert!(matches!(
            parse_duration("."),
            Err(DurationError::BadNumber { .. })
        ));
        assert!(matches!(
            parse_duration("1.5ns"),
            Err(DurationError::TooPrecise { .. })
        ));
        assert!(matches!(
            parse_duration("99999999999h"),
            Err(DurationError::Overflow { .. })
        ));
        let message = parse_duration("5").unwrap_err().to_string();
        assert!(message.contains("`5s`"), "{message}");
    }

    #[test]
    fn formats_with_the_largest_fitting_unit() {
        assert_eq!(format_duration(0), "0s");
        assert_eq!(format_duration(SECOND), "1s");
        assert_eq!(format_duration(1_500 * MILLISECOND), "1.5s");
        assert_eq!(format_duration(SECOND / 3), "333.333ms");
        assert_eq!(format_duration(90 * SECOND), "1.5m");
        assert_eq!(format_duration(42), "42ns");
        assert_eq!(format_duration(2_500), "2.5us");
    }

    #[test]
    fn short_formats_keep_three_figures() {
        assert_eq!(format_short(66_782_000), "66.8ms");
        assert_eq!(format_short(225_402_000), "225ms");
        assert_eq!(format_short(1_008_000_000), "1.01s");
        assert_eq!(format_short(10 * MILLISECOND), "10ms");
        assert_eq!(format_short(0), "0s");
        assert_eq!(format_short(999_999), "1000us");
    }
}
