//! Attribute paths as plans and diagnostics print them: `a.b`, `m["not an identifier"]`, `l[0]`.

use strata_value::Value;

/// Appends the step `name` to `path`: `.name` (no dot first) for an identifier, `["name"]`
/// (HCL string syntax) otherwise.
pub fn push(path: &mut String, name: &str) {
    let identifier = name.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if identifier {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(name);
    } else {
        path.push_str(&format!("[{}]", Value::from(name).to_hcl()));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn steps() {
        let mut path = String::new();
        for step in ["services_status", "core-1/spark-worker", "x"] {
            super::push(&mut path, step);
        }
        assert_eq!(path, "services_status[\"core-1/spark-worker\"].x");
    }
}
