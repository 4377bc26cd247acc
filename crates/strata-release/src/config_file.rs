//! Config files a component writes: their place, format and default values.

use std::fmt;

use crate::error::PlaceholderError;
use crate::placeholder;

/// A file written on every host that has its component.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigFile {
    /// Unique in the release (`spark-defaults.conf`); what a cluster's `config "NAME"` names.
    pub name: String,
    /// Where it is written (template).
    pub path: String,
    pub format: ConfigFormat,
    /// Default values in file order (values are templates).
    pub defaults: Vec<(String, String)>,
    /// Entries repeated for every host running a service (ZooKeeper's `server.N`).
    pub host_entries: Option<HostEntries>,
    /// File mode (octal text) when it must not be world-readable (it holds a password).
    pub mode: Option<String>,
}

/// One entry per host running `service`: `{index}` is the host's 1-based position among
/// them, `{ip}` its address.
#[derive(Debug, Clone, PartialEq)]
pub struct HostEntries {
    pub service: String,
    pub key: String,
    pub value: String,
}

impl ConfigFile {
    /// The defaults with placeholders filled in, followed by the host entries (one per IP in
    /// `service_hosts`, in order). User values are merged over the result with
    /// [`crate::merge_config`].
    pub fn expanded_defaults(
        &self,
        lookup: &dyn Fn(&str) -> Option<String>,
        service_hosts: &[&str],
    ) -> Result<Vec<(String, String)>, PlaceholderError> {
        let mut entries = Vec::with_capacity(self.defaults.len() + service_hosts.len());
        for (key, value) in &self.defaults {
            entries.push((placeholder::expand(key, lookup)?, placeholder::expand(value, lookup)?));
        }
        if let Some(host_entries) = &self.host_entries {
            for (position, ip) in service_hosts.iter().enumerate() {
                let index = (position + 1).to_string();
                let per_host = |name: &str| match name {
                    "index" => Some(index.clone()),
                    "ip" => Some((*ip).to_owned()),
                    _ => lookup(name),
                };
                entries.push((
                    placeholder::expand(&host_entries.key, &per_host)?,
                    placeholder::expand(&host_entries.value, &per_host)?,
                ));
            }
        }
        Ok(entries)
    }
}

/// How a config file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConfigFormat {
    /// Java properties, `key=value` (`zoo.cfg`): read as ISO-8859-1, so other characters are
    /// written as `\uXXXX`.
    Properties,
    /// `key value`, one per line (`spark-defaults.conf`, read by Java as properties in UTF-8).
    KeyValue,
    /// Shell variables, `export NAME='value'` (`spark-env.sh`, sourced by the start scripts).
    Env,
    /// Hadoop configuration XML, `<property><name/><value/></property>` (`hive-site.xml`).
    Xml,
    /// PostgreSQL's `name = 'value'` (`postgresql.conf`).
    Postgresql,
    /// Whitespace-separated columns, the key holding all but the last (`pg_hba.conf`: key
    /// `host metastore hive 10.0.0.0/24`, value `scram-sha-256`).
    Columns,
}

impl ConfigFormat {
    pub const ALL: [ConfigFormat; 6] =
        [Self::Properties, Self::KeyValue, Self::Env, Self::Xml, Self::Postgresql, Self::Columns];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Properties => "properties",
            Self::KeyValue => "key-value",
            Self::Env => "env",
            Self::Xml => "xml",
            Self::Postgresql => "postgresql",
            Self::Columns => "columns",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|format| format.as_str() == text)
    }
}

impl fmt::Display for ConfigFormat {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}
