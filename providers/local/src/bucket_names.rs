//! Bucket names and object keys (pure): what `local_bucket.name` and
//! `local_bucket_object.key` may be.
//!
//! Bucket names follow Alibaba Cloud OSS (and, within these rules, S3): 3 to 63 lowercase
//! letters, digits and hyphens, starting and ending with a letter or digit. The same names are
//! valid in the cloud, so a configuration moves between the `local` provider and an object
//! store unchanged. A name is also a single directory name under the bucket root, so nothing
//! in it can climb out (no `/`, no `.`).
//!
//! An object key is a relative path inside its bucket: `/`-separated segments, none empty, `.`
//! or `..`, no NUL, at most 1023 bytes (the OSS limit) and 255 bytes per segment (a file name's
//! limit on Linux file systems). A key can therefore never name the bucket itself or anything
//! outside it.

use crate::error::{Error, Result};

/// The longest object key OSS accepts, in bytes (S3 allows 1024).
const MAX_KEY_BYTES: usize = 1023;
/// The longest file name (one key segment) Linux file systems accept, in bytes.
const MAX_SEGMENT_BYTES: usize = 255;

/// Checks a bucket name (see the module doc).
pub fn check_bucket_name(name: &str) -> Result<()> {
    let invalid = |reason| Err(Error::InvalidName { what: "bucket name", value: name.to_string(), reason });
    if !(3..=63).contains(&name.len()) {
        return invalid("it must be 3 to 63 characters long");
    }
    if !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return invalid("it may hold only lowercase letters (a-z), digits (0-9) and '-'");
    }
    if name.starts_with('-') || name.ends_with('-') {
        return invalid("it must start and end with a lowercase letter or a digit");
    }
    Ok(())
}

/// Checks an object key (see the module doc).
pub fn check_object_key(key: &str) -> Result<()> {
    let invalid = |reason| Err(Error::InvalidName { what: "object key", value: key.to_string(), reason });
    if key.is_empty() {
        return invalid("it must not be empty");
    }
    if key.len() > MAX_KEY_BYTES {
        return invalid("it must be at most 1023 bytes long");
    }
    if key.contains('\0') {
        return invalid("it must not contain a NUL character");
    }
    if key.starts_with('/') {
        return invalid("it is a path relative to the bucket and must not start with '/'");
    }
    for segment in key.split('/') {
        match segment {
            "" => return invalid("it must not have empty segments ('//' or a trailing '/')"),
            "." | ".." => return invalid("it must not have '.' or '..' segments"),
            _ if segment.len() > MAX_SEGMENT_BYTES => {
                return invalid("each '/'-separated segment must be at most 255 bytes long");
            }
            _ => {}
        }
    }
    Ok(())
}

/// How many `/`-separated segments a valid key has (the directories between the object and
/// its bucket, plus one).
pub(crate) fn key_depth(key: &str) -> usize {
    key.split('/').count()
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    /// One row of `testdata/local-buckets/names.json`: a value and its verdict, `"ok"` or a
    /// part of the error message.
    #[derive(Deserialize)]
    struct Case {
        value: String,
        verdict: String,
    }

    #[derive(Deserialize)]
    struct Table {
        bucket_names: Vec<Case>,
        object_keys: Vec<Case>,
    }

    fn check(cases: &[Case], what: &str, checker: fn(&str) -> Result<()>, failures: &mut Vec<String>) {
        for case in cases {
            let verdict = match checker(&case.value) {
                Ok(()) => "ok".to_string(),
                Err(error) => error.to_string(),
            };
            let expected = if case.verdict == "ok" { verdict == "ok" } else { verdict.contains(&case.verdict) };
            if !expected {
                failures.push(format!("{what} {:?}: expected {:?}, got {verdict:?}", case.value, case.verdict));
            }
        }
    }

    #[test]
    fn names_and_keys_table() {
        let table: Table = serde_json::from_str(include_str!("../../../testdata/local-buckets/names.json")).unwrap();
        let mut failures = Vec::new();
        check(&table.bucket_names, "bucket name", check_bucket_name, &mut failures);
        check(&table.object_keys, "object key", check_object_key, &mut failures);
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn depth_counts_segments() {
        assert_eq!(key_depth("a.csv"), 1);
        assert_eq!(key_depth("input/2026/a.csv"), 3);
    }
}
