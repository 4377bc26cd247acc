//! The `timeouts` block of a resource or data source: how long the engine lets its provider
//! take over each kind of operation. Unset means no limit.

use std::time::Duration;

use strata_diagnostics::Span;

/// `timeouts { create = "20m"  update = "5m"  delete = "10m"  read = "1m" }`.
///
/// Handled by the engine for every resource type (providers never see the block): `create`
/// bounds a create (the final plan made during apply included), `update` an update, `delete` a
/// delete, and `read` refreshes, data source reads, imports and the lookup of an interrupted
/// create.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timeouts {
    pub create: Option<Duration>,
    pub update: Option<Duration>,
    pub delete: Option<Duration>,
    pub read: Option<Duration>,
    /// The `timeouts` keyword of the block, when there is one.
    pub span: Option<Span>,
}

/// A duration as timeouts and `--lock-timeout` write it: one or more whole numbers, each with a
/// unit `ms`, `s`, `m` or `h` (`250ms`, `30s`, `5m`, `1h30m`); `0` alone is zero.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    if text == "0" {
        return Some(Duration::ZERO);
    }
    let mut rest = text;
    let mut total = Duration::ZERO;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit())?;
        if digits == 0 {
            return None;
        }
        let number: u64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
        let part = match &rest[..unit_len] {
            "ms" => Duration::from_millis(number),
            "s" => Duration::from_secs(number),
            "m" => Duration::from_secs(number.checked_mul(60)?),
            "h" => Duration::from_secs(number.checked_mul(3600)?),
            _ => return None,
        };
        total = total.checked_add(part)?;
        rest = &rest[unit_len..];
    }
    Some(total)
}

/// The shortest text [`parse_duration`] reads back as `duration` (`2s`, `1m30s`, `250ms`).
pub fn format_duration(duration: Duration) -> String {
    if duration.is_zero() {
        return "0s".to_owned();
    }
    let millis = duration.as_millis();
    let mut out = String::new();
    let (hours, minutes, seconds, millis) =
        (millis / 3_600_000, millis / 60_000 % 60, millis / 1000 % 60, millis % 1000);
    for (amount, unit) in [(hours, "h"), (minutes, "m"), (seconds, "s"), (millis, "ms")] {
        if amount > 0 {
            out.push_str(&format!("{amount}{unit}"));
        }
    }
    if out.is_empty() {
        // Below a millisecond: not writable in configuration, shown as what it rounds up to.
        out.push_str("1ms");
    }
    out
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{format_duration, parse_duration};

    #[test]
    fn parses_and_formats_durations() {
        let cases = [
            ("250ms", Some(Duration::from_millis(250))),
            ("30s", Some(Duration::from_secs(30))),
            ("5m", Some(Duration::from_secs(300))),
            ("1h", Some(Duration::from_secs(3600))),
            ("1h30m", Some(Duration::from_secs(5400))),
            ("2m5s100ms", Some(Duration::from_millis(125_100))),
            ("0", Some(Duration::ZERO)),
            ("0s", Some(Duration::ZERO)),
            ("", None),
            ("30", None),
            ("s", None),
            ("1.5h", None),
            ("-5m", None),
            ("5 m", None),
            ("5min", None),
            ("10d", None),
            ("99999999999999999999h", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_duration(text), want, "{text:?}");
        }
        for text in ["250ms", "30s", "5m", "1h", "1h30m", "2m5s100ms"] {
            assert_eq!(format_duration(parse_duration(text).unwrap()), text);
        }
        assert_eq!(format_duration(Duration::from_secs(90)), "1m30s");
    }
}
