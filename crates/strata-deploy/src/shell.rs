//! Quoting for the POSIX shell commands the facts and operations build.

/// Quotes `text` as one word for a POSIX shell: `it's` → `'it'\''s'`.
pub fn quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('\'');
    for character in text.chars() {
        if character == '\'' {
            quoted.push_str("'\\''");
        } else {
            quoted.push(character);
        }
    }
    quoted.push('\'');
    quoted
}

/// The directory part of an absolute remote path (`/a/b` → `/a`, `/a` → `/`).
pub fn parent(path: &str) -> &str {
    match path.trim_end_matches('/').rfind('/') {
        Some(0) | None => "/",
        Some(index) => &path[..index],
    }
}

/// The last component of a remote path (`/a/b` → `b`).
pub fn file_name(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_single_quotes_and_keeps_everything_else() {
        assert_eq!(quote("plain"), "'plain'");
        assert_eq!(quote("it's $HOME"), "'it'\\''s $HOME'");
        assert_eq!(quote(""), "''");
    }

    #[test]
    fn splits_paths() {
        assert_eq!(parent("/opt/spark/conf"), "/opt/spark");
        assert_eq!(parent("/opt"), "/");
        assert_eq!(file_name("/opt/spark/conf"), "conf");
        assert_eq!(file_name("/opt/spark/"), "spark");
    }
}
