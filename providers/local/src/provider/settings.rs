//! The `provider "local" { }` block ([`Settings`]) and the network it names.
//!
//! One provider configuration is one [`Network`]. Its name is derived from the working
//! directory of the run (the plugin's current directory, which is the engine's) and the state
//! directory: [`network_name`] is the directory's base name, made safe, then `-` and ten hex
//! digits of a SHA-256 over both paths, such as `analytics-3f9a0c1d2e`. The same directory and
//! state directory always give the same network, and two projects never share one, even with
//! the same base name.
//!
//! `bucket_root` (where `local_bucket` makes its directories) is read by [`bucket_root`]
//! beside [`Settings`]: buckets do not belong to the network.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use strata_provider::ProviderError;
use strata_value::Value;

use crate::buckets::DEFAULT_BUCKET_ROOT;
use crate::state_dir::check_state_dir;
use crate::{DEFAULT_STATE_DIR, Network, Subnet};

/// How many characters of the working directory's base name a network name keeps.
const BASE_NAME_LENGTH: usize = 20;
/// How many hex digits of the hash a network name ends with.
const HASH_DIGITS: usize = 10;

/// The evaluated provider block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// `subnet`; `None`: the network's recorded subnet, or the default for a new network.
    pub subnet: Option<Subnet>,
    /// `state_dir`, absolute (a relative one is taken from the working directory).
    pub state_dir: PathBuf,
    /// `auto_install`: install openssh-server with apt when it is missing.
    pub auto_install: bool,
    /// The network of this provider configuration.
    pub network: String,
}

impl Settings {
    /// Reads the provider block evaluated by the engine; `working_dir` is the run's.
    pub fn from_config(config: &Value, working_dir: &Path) -> Result<Settings, ProviderError> {
        let subnet = match known(config, "subnet")? {
            None => None,
            Some(value) => {
                let text =
                    value.as_str().ok_or_else(|| invalid("subnet", "must be a string such as \"10.77.0.0/24\""))?;
                let subnet: Subnet =
                    text.parse().map_err(|reason| invalid("subnet", &format!("{text:?}: {reason}")))?;
                subnet.check_host_network().map_err(|reason| invalid("subnet", &format!("{text:?}: {reason}")))?;
                Some(subnet)
            }
        };
        let state_dir = match known(config, "state_dir")? {
            None => PathBuf::from(DEFAULT_STATE_DIR),
            Some(value) => {
                let text = value.as_str().ok_or_else(|| invalid("state_dir", "must be a string (a directory)"))?;
                working_dir.join(text)
            }
        };
        let state_dir = check_state_dir(&state_dir).map_err(|error| invalid("state_dir", &error.to_string()))?;
        let auto_install = match known(config, "auto_install")? {
            None => false,
            Some(value) => value.as_bool().ok_or_else(|| invalid("auto_install", "must be true or false"))?,
        };
        let network = network_name(working_dir, &state_dir);
        Ok(Settings { subnet, state_dir, auto_install, network })
    }

    /// The private key every host of the network lets root log in with (a path; the key
    /// itself is made when the network is first opened).
    pub fn client_key_path(&self) -> PathBuf {
        Network::client_key_path_for(&self.state_dir, &self.network)
    }
}

/// `bucket_root` of the provider block, absolute (a relative one is taken from the working
/// directory); default [`DEFAULT_BUCKET_ROOT`]. A root under a directory hosts bind privately
/// (`/tmp`, `/opt`, ...) is accepted, but hosts then do not see the buckets (see
/// `docs/local-provider.md`).
pub fn bucket_root(config: &Value, working_dir: &Path) -> Result<PathBuf, ProviderError> {
    match known(config, "bucket_root")? {
        None => Ok(PathBuf::from(DEFAULT_BUCKET_ROOT)),
        Some(value) => match value.as_str() {
            Some(text) if !text.is_empty() => Ok(working_dir.join(text)),
            _ => Err(invalid("bucket_root", "must be a directory path such as \"/mnt/buckets\"")),
        },
    }
}

/// The network name for a working directory and a state directory (see the module doc).
pub fn network_name(working_dir: &Path, state_dir: &Path) -> String {
    let base: String = working_dir
        .file_name()
        .map(|name| name.to_string_lossy().to_lowercase())
        .unwrap_or_default()
        .chars()
        .map(|c| if c.is_ascii_lowercase() || c.is_ascii_digit() { c } else { '-' })
        .collect();
    let mut base: String = base.trim_matches('-').chars().take(BASE_NAME_LENGTH).collect();
    base = base.trim_end_matches('-').to_string();
    while base.contains("--") {
        base = base.replace("--", "-");
    }
    if !base.starts_with(|c: char| c.is_ascii_lowercase()) {
        base.insert(0, 'p');
    }
    let mut hasher = Sha256::new();
    hasher.update(working_dir.as_os_str().as_encoded_bytes());
    hasher.update([0]);
    hasher.update(state_dir.as_os_str().as_encoded_bytes());
    let hex: String = hasher.finalize().iter().map(|byte| format!("{byte:02x}")).collect();
    format!("{base}-{}", &hex[..HASH_DIGITS])
}

/// The attribute `name` of the block when set; an error when it is not known yet.
fn known<'v>(config: &'v Value, name: &str) -> Result<Option<&'v Value>, ProviderError> {
    match config.as_mapping().and_then(|entries| entries.get(name)) {
        None => Ok(None),
        Some(value) if value.is_null() => Ok(None),
        Some(value) if !value.is_known() => {
            Err(invalid(name, "must be known before apply (it cannot depend on a resource)"))
        }
        Some(value) => Ok(Some(value)),
    }
}

fn invalid(name: &str, reason: &str) -> ProviderError {
    ProviderError::new(format!("provider \"local\": {name} {reason}"))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn config(entries: &[(&str, Value)]) -> Value {
        Value::Map(entries.iter().map(|(name, value)| (name.to_string(), value.clone())).collect::<BTreeMap<_, _>>())
    }

    #[test]
    fn network_names_are_stable_valid_and_distinct() {
        let state = Path::new("/var/lib/strata/local");
        let name = network_name(Path::new("/home/ana/Analytics Prod"), state);
        assert!(name.starts_with("analytics-prod-"), "{name}");
        assert_eq!(name, network_name(Path::new("/home/ana/Analytics Prod"), state));
        assert_ne!(name, network_name(Path::new("/home/bo/Analytics Prod"), state));
        assert_ne!(name, network_name(Path::new("/home/ana/Analytics Prod"), Path::new("/var/lib/other")));
        for dir in ["/", "/srv/2024_cluster", "/x/--__--", "/y/a-very-long-project-directory-name-indeed"] {
            let name = network_name(Path::new(dir), state);
            assert!(crate::names::check_network_name(&name).is_ok(), "{dir} -> {name}");
        }
        assert!(network_name(Path::new("/srv/2024_cluster"), state).starts_with("p2024-cluster-"));
    }

    #[test]
    fn reads_the_provider_block() {
        let work = Path::new("/srv/project");
        let settings = Settings::from_config(&config(&[]), work).unwrap();
        assert_eq!(settings.state_dir, Path::new(DEFAULT_STATE_DIR));
        assert_eq!((settings.subnet, settings.auto_install), (None, false));
        let settings = Settings::from_config(
            &config(&[
                ("subnet", Value::from("10.77.0.0/24")),
                ("state_dir", Value::from("state/hosts")),
                ("auto_install", Value::from(true)),
            ]),
            work,
        )
        .unwrap();
        assert_eq!(settings.subnet, Some("10.77.0.0/24".parse().unwrap()));
        assert_eq!(settings.state_dir, Path::new("/srv/project/state/hosts"));
        assert!(settings.auto_install);
        assert_eq!(
            settings.client_key_path(),
            Path::new("/srv/project/state/hosts/networks").join(&settings.network).join("client_ed25519")
        );

        for (entries, expected) in [
            (vec![("subnet", Value::from("10.77.0.0/33"))], "subnet \"10.77.0.0/33\""),
            (vec![("subnet", Value::Unknown(strata_value::Type::String))], "subnet must be known"),
            (vec![("state_dir", Value::from("/tmp/hosts"))], "must not be under /tmp"),
            (vec![("auto_install", Value::from("yes"))], "auto_install must be true or false"),
        ] {
            let error = Settings::from_config(&config(&entries), work).unwrap_err();
            assert!(error.message.contains(expected), "{}", error.message);
        }
    }

    #[test]
    fn reads_the_bucket_root() {
        let work = Path::new("/srv/project");
        assert_eq!(bucket_root(&config(&[]), work).unwrap(), Path::new("/mnt/buckets"));
        let relative = config(&[("bucket_root", Value::from("data/buckets"))]);
        assert_eq!(bucket_root(&relative, work).unwrap(), Path::new("/srv/project/data/buckets"));
        let absolute = config(&[("bucket_root", Value::from("/srv/buckets"))]);
        assert_eq!(bucket_root(&absolute, work).unwrap(), Path::new("/srv/buckets"));
        for (value, expected) in [
            (Value::from(""), "bucket_root must be a directory path"),
            (Value::from(true), "bucket_root must be a directory path"),
            (Value::Unknown(strata_value::Type::String), "bucket_root must be known"),
        ] {
            let error = bucket_root(&config(&[("bucket_root", value)]), work).unwrap_err();
            assert!(error.message.contains(expected), "{}", error.message);
        }
    }
}
