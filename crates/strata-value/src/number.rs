//! Number formatting.

/// Formats a number the way users wrote it: integers without a fraction.
pub fn format_number(n: f64) -> String {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e16 { format!("{}", n as i64) } else { format!("{n}") }
}
