//! Which state a backend or lock works on: a schema and a state name, with the SQL naming it.

use std::path::PathBuf;

use sha2::{Digest, Sha256};

/// The schema used when the configuration names none.
pub const DEFAULT_SCHEMA: &str = "strata";
/// The state (workspace) name used when none is given.
pub const DEFAULT_STATE_NAME: &str = "default";
/// The version of the table layout this build reads and writes (the `meta` table's
/// `layout_version`).
pub const LAYOUT_VERSION: u64 = 1;

/// A state in a database: its schema, its name, and the quoted table names of that schema.
#[derive(Clone, Debug)]
pub(crate) struct Location {
    pub(crate) schema: String,
    pub(crate) name: String,
    pub(crate) states: String,
    pub(crate) journal: String,
    pub(crate) locks: String,
    pub(crate) meta: String,
}

impl Location {
    pub(crate) fn new(schema: &str, name: &str) -> Location {
        let quoted = quote_identifier(schema);
        Location {
            schema: schema.to_owned(),
            name: name.to_owned(),
            states: format!("{quoted}.states"),
            journal: format!("{quoted}.journal"),
            locks: format!("{quoted}.locks"),
            meta: format!("{quoted}.meta"),
        }
    }

    /// What errors name the state by: `pg:SCHEMA/NAME` (the error types carry a path).
    pub(crate) fn path(&self) -> PathBuf {
        PathBuf::from(format!("pg:{}/{}", self.schema, self.name))
    }

    /// The schema as a quoted SQL identifier.
    pub(crate) fn quoted_schema(&self) -> String {
        quote_identifier(&self.schema)
    }
}

/// `"name"`, with embedded quotes doubled: any schema name is safe to splice into SQL.
pub(crate) fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The advisory lock key of the state `name` in `schema`: the first 8 bytes of
/// `sha256("strata-state-lock\0" + schema + "\0" + name)`, big-endian. Stable across versions
/// and machines, since every Strata locking the same state must compute the same key.
pub fn lock_key(schema: &str, name: &str) -> i64 {
    key(&["strata-state-lock", schema, name])
}

/// The key serializing creation of `schema`'s tables (concurrent `CREATE ... IF NOT EXISTS`
/// can otherwise fail with a duplicate-key error).
pub(crate) fn schema_init_key(schema: &str) -> i64 {
    key(&["strata-schema-init", schema])
}

fn key(parts: &[&str]) -> i64 {
    let mut hasher = Sha256::new();
    for (index, part) in parts.iter().enumerate() {
        if index > 0 {
            hasher.update([0]);
        }
        hasher.update(part.as_bytes());
    }
    let digest = hasher.finalize();
    let mut first = [0; 8];
    first.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(quote_identifier("strata"), "\"strata\"");
        assert_eq!(quote_identifier("a\"b; drop"), "\"a\"\"b; drop\"");
        assert_eq!(Location::new("x\"y", "n").journal, "\"x\"\"y\".journal");
    }

    #[test]
    fn lock_keys_are_stable_and_distinct() {
        // Fixed: changing it would let an old and a new Strata hold "the same" lock at once.
        // sha256("strata-state-lock\0strata\0default")[..8] as a big-endian i64.
        assert_eq!(lock_key("strata", "default"), -3_899_140_090_597_913_079);
        assert_ne!(lock_key("strata", "default"), lock_key("strata", "prod"));
        // The separator keeps ("ab", "c") and ("a", "bc") apart.
        assert_ne!(lock_key("ab", "c"), lock_key("a", "bc"));
        assert_ne!(lock_key("strata", "default"), schema_init_key("strata"));
    }

    #[test]
    fn locations_print_as_pg_paths() {
        assert_eq!(Location::new("strata", "default").path(), PathBuf::from("pg:strata/default"));
    }
}
