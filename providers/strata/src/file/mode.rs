//! File modes as configuration spells them: three or four octal digits ("644", "0755").

use strata_value::Value;

/// The permission bits `text` names, or `None` unless it is 3-4 octal digits.
pub fn parse(text: &str) -> Option<u32> {
    let digits_ok = (3..=4).contains(&text.len()) && text.bytes().all(|b| (b'0'..=b'7').contains(&b));
    digits_ok.then(|| u32::from_str_radix(text, 8).ok()).flatten()
}

/// The mode attribute for bits found on disk. Keeps `reference`'s spelling ("644" or "0644")
/// when it means the same bits, so refreshing never shows a difference that is only spelling.
pub fn describe(bits: u32, reference: &Value) -> Value {
    match reference.as_str() {
        Some(text) if parse(text) == Some(bits) => reference.clone(),
        _ => Value::from(format!("{bits:04o}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_three_or_four_octal_digits() {
        let cases: &[(&str, Option<u32>)] = &[
            ("644", Some(0o644)),
            ("0644", Some(0o644)),
            ("0755", Some(0o755)),
            ("4755", Some(0o4755)),
            ("7777", Some(0o7777)),
            ("64", None),
            ("00644", None),
            ("0648", None),
            ("rw-", None),
            ("", None),
            ("+644", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text), *expected, "mode {text:?}");
        }
    }

    #[test]
    fn describe_keeps_the_spelling_of_equal_bits() {
        assert_eq!(describe(0o644, &Value::from("644")), Value::from("644"));
        assert_eq!(describe(0o644, &Value::from("0644")), Value::from("0644"));
        assert_eq!(describe(0o600, &Value::from("644")), Value::from("0600"));
        assert_eq!(describe(0o644, &Value::Null), Value::from("0644"));
    }
}
