//! Placeholders in the catalog's templates: `{name}` with `name` lower-case letters, digits
//! and `_`, starting with a letter. A `{` preceded by `$` (shell `${VAR}`) and any other brace
//! are plain text.
//!
//! Who fills them in (see docs/releases.md for the whole list):
//! - per component on a host: `home`, `install_dir`, `artifact_dir`, `conf_dir`, `data_dir`,
//!   `log_dir`, `run_dir`, and another component's `KEY_home` / `KEY_conf_dir`;
//! - per host: `host_ip`, `service_index` (1-based among the hosts running the service);
//! - per cluster: `master_ip`, `cluster_cidr`, `shared_dir`, `java_home`, `zookeeper_connect`,
//!   `spark_master_url`, `metastore_host`, `metastore_password`;
//! - `pid` in stop commands; `index` and `ip` in host entries.

use crate::error::PlaceholderError;

/// Placeholders every template may use.
pub const COMMON: &[&str] = &[
    "home",
    "install_dir",
    "artifact_dir",
    "conf_dir",
    "data_dir",
    "log_dir",
    "run_dir",
    "host_ip",
    "service_index",
    "master_ip",
    "cluster_cidr",
    "shared_dir",
    "java_home",
    "zookeeper_connect",
    "spark_master_url",
    "metastore_host",
    "metastore_password",
];

/// Placeholders only a stop command may use.
pub const STOP_ONLY: &[&str] = &["pid"];

/// Placeholders only host entries may use.
pub const HOST_ENTRY_ONLY: &[&str] = &["index", "ip"];

/// Placeholders resolved when the catalog is loaded (artifact URLs and install commands).
pub const LOAD_TIME: &[&str] = &["version", "upstream_version"];

/// Suffixes naming another component's directories: `spark_home` is SPARK's `home`.
pub const COMPONENT_SUFFIXES: &[&str] = &["_home", "_conf_dir"];

/// The placeholder names a template uses, in order (repeats included).
pub fn names(template: &str) -> Vec<&str> {
    let mut found = Vec::new();
    scan(template, |piece| {
        if let Piece::Placeholder(name) = piece {
            found.push(name);
        }
    });
    found
}

/// Fills every placeholder through `lookup`; a name it does not know is an error.
pub fn expand(template: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Result<String, PlaceholderError> {
    let mut output = String::with_capacity(template.len());
    let mut missing = None;
    scan(template, |piece| match piece {
        Piece::Text(text) => output.push_str(text),
        Piece::Placeholder(name) => match lookup(name) {
            Some(value) => output.push_str(&value),
            None => {
                missing.get_or_insert_with(|| name.to_owned());
            }
        },
    });
    match missing {
        Some(name) => Err(PlaceholderError { name, template: template.to_owned() }),
        None => Ok(output),
    }
}

/// Fills only the placeholders `lookup` knows, leaving the others as they are.
pub fn expand_known(template: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    let mut output = String::with_capacity(template.len());
    scan(template, |piece| match piece {
        Piece::Text(text) => output.push_str(text),
        Piece::Placeholder(name) => match lookup(name) {
            Some(value) => output.push_str(&value),
            None => {
                output.push('{');
                output.push_str(name);
                output.push('}');
            }
        },
    });
    output
}

enum Piece<'a> {
    Text(&'a str),
    Placeholder(&'a str),
}

fn scan<'a>(template: &'a str, mut emit: impl FnMut(Piece<'a>)) {
    let bytes = template.as_bytes();
    let mut text_start = 0;
    let mut position = 0;
    while position < bytes.len() {
        if bytes[position] == b'{'
            && (position == 0 || bytes[position - 1] != b'$')
            && let Some(length) = placeholder_length(&bytes[position + 1..])
        {
            if text_start < position {
                emit(Piece::Text(&template[text_start..position]));
            }
            emit(Piece::Placeholder(&template[position + 1..position + 1 + length]));
            position += length + 2;
            text_start = position;
            continue;
        }
        position += 1;
    }
    if text_start < bytes.len() {
        emit(Piece::Text(&template[text_start..]));
    }
}

/// The length of a name followed by `}` at the start of `rest`.
fn placeholder_length(rest: &[u8]) -> Option<usize> {
    if !rest.first()?.is_ascii_lowercase() {
        return None;
    }
    let length = rest.iter().position(|byte| !(byte.is_ascii_lowercase() || byte.is_ascii_digit() || *byte == b'_'))?;
    (rest[length] == b'}').then_some(length)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(name: &str) -> Option<String> {
        match name {
            "home" => Some("/opt/spark".to_owned()),
            "host_ip" => Some("10.0.0.2".to_owned()),
            _ => None,
        }
    }

    #[test]
    fn expands_names_and_leaves_other_braces() {
        let template = "{home}/bin/x --host {host_ip} ${SPARK_HOME} ${home} {\"a\": 1} {Upper} {}";
        assert_eq!(names(template), ["home", "host_ip"]);
        assert_eq!(
            expand(template, &lookup).unwrap(),
            "/opt/spark/bin/x --host 10.0.0.2 ${SPARK_HOME} ${home} {\"a\": 1} {Upper} {}"
        );
    }

    #[test]
    fn unknown_name_is_an_error() {
        let error = expand("{home}/{nope}", &lookup).unwrap_err();
        assert_eq!(error.name, "nope");
        assert_eq!(expand_known("{home}/{nope}", &lookup), "/opt/spark/{nope}");
    }
}
