//! The provider block read into paths and a subnet pool ([`Resolved`]), with the defaults.

use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};

use strata_provider_local::{DEFAULT_STATE_DIR, Subnet, check_state_dir};
use strata_provider_sdk::ProviderError;

use crate::model::Settings;

/// Where component artifacts are cached: outside every directory a namespace host binds
/// privately, so every host sees it.
pub const DEFAULT_COMPONENT_CACHE: &str = "/var/cache/strata/components";
/// Where clusters' shared directories are: outside every directory a namespace host binds
/// privately, so every node of a cluster sees its directory.
pub const DEFAULT_SHARED_ROOT: &str = "/srv/strata/clusters";
/// The range clusters' networks come from, one /24 each.
pub const DEFAULT_SUBNET_POOL: &str = "10.232.0.0/16";

/// The provider block with defaults filled in and paths made absolute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub state_dir: PathBuf,
    pub subnet_pool: Subnet,
    pub component_cache: PathBuf,
    pub shared_root: PathBuf,
}

impl Resolved {
    /// `settings` as configured (`None`: no provider block), relative paths taken from
    /// `working_dir`.
    pub fn new(settings: Option<&Settings>, working_dir: &Path) -> Result<Resolved, ProviderError> {
        let settings = settings.cloned().unwrap_or_default();
        let state_dir = working_dir.join(settings.state_dir.as_deref().unwrap_or(DEFAULT_STATE_DIR));
        let state_dir = check_state_dir(&state_dir)
            .map_err(|error| ProviderError::new(format!("provider \"emr\": state_dir: {error}")))?;
        let pool_text = settings.subnet_pool.as_deref().unwrap_or(DEFAULT_SUBNET_POOL);
        let subnet_pool: Subnet = pool_text
            .parse()
            .map_err(|reason| ProviderError::new(format!("provider \"emr\": subnet_pool {pool_text:?}: {reason}")))?;
        subnet_pool
            .check_host_network()
            .map_err(|reason| ProviderError::new(format!("provider \"emr\": subnet_pool {pool_text:?}: {reason}")))?;
        let component_cache = working_dir.join(settings.component_cache.as_deref().unwrap_or(DEFAULT_COMPONENT_CACHE));
        let shared_root = working_dir.join(settings.shared_root.as_deref().unwrap_or(DEFAULT_SHARED_ROOT));
        Ok(Resolved { state_dir, subnet_pool, component_cache, shared_root })
    }

    /// The directory every node of cluster `id` sees (`{shared_dir}`).
    pub fn shared_dir(&self, id: &str) -> PathBuf {
        self.shared_root.join(id)
    }

    /// The subnets a new cluster network may take, in order: each /24 of the pool (the pool
    /// itself when it is smaller).
    pub fn candidate_subnets(&self) -> Vec<Subnet> {
        let pool = self.subnet_pool;
        if pool.prefix_len() >= 24 {
            return vec![pool];
        }
        let count = 1u32 << (24 - pool.prefix_len());
        let base = u32::from(pool.network());
        (0..count).filter_map(|i| Subnet::new(Ipv4Addr::from(base + (i << 8)), 24).ok()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_candidates() {
        let resolved = Resolved::new(None, Path::new("/srv/project")).unwrap();
        assert_eq!(resolved.state_dir, Path::new(DEFAULT_STATE_DIR));
        assert_eq!(resolved.component_cache, Path::new(DEFAULT_COMPONENT_CACHE));
        let candidates = resolved.candidate_subnets();
        assert_eq!(candidates.len(), 256);
        assert_eq!(candidates[1].to_string(), "10.232.1.0/24");
        let settings = Settings {
            subnet_pool: Some("10.205.7.0/24".into()),
            state_dir: Some("state".into()),
            ..Settings::default()
        };
        let resolved = Resolved::new(Some(&settings), Path::new("/srv/project")).unwrap();
        assert_eq!(resolved.candidate_subnets(), ["10.205.7.0/24".parse().unwrap()]);
        assert_eq!(resolved.state_dir, Path::new("/srv/project/state"));
        let bad = Settings { subnet_pool: Some("8.8.8.0/24".into()), ..Settings::default() };
        assert!(Resolved::new(Some(&bad), Path::new("/")).unwrap_err().message.contains("private"));
    }
}
