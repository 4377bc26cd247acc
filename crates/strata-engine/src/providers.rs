//! The providers a run uses, by provider configuration address.

use std::collections::BTreeMap;
use std::sync::Arc;

use strata_addrs::ProviderConfigAddr;
use strata_provider::Provider;
use tokio::sync::Semaphore;

/// A provider's own limit on operations in flight, if it declared one.
type Limit = Option<Arc<Semaphore>>;

/// Configured providers and the concurrency limit each declared.
#[derive(Clone, Default)]
pub struct ProviderSet {
    providers: BTreeMap<ProviderConfigAddr, (Arc<dyn Provider>, Limit)>,
}

impl ProviderSet {
    pub fn new() -> ProviderSet {
        ProviderSet::default()
    }

    pub fn insert(&mut self, addr: ProviderConfigAddr, provider: Arc<dyn Provider>) {
        let limit = provider.concurrency_limit().map(|n| Arc::new(Semaphore::new(n.max(1))));
        self.providers.insert(addr, (provider, limit));
    }

    pub fn get(&self, addr: &ProviderConfigAddr) -> Option<&Arc<dyn Provider>> {
        self.providers.get(addr).map(|(p, _)| p)
    }

    /// Every provider with its configuration address.
    pub fn iter(&self) -> impl Iterator<Item = (&ProviderConfigAddr, &Arc<dyn Provider>)> {
        self.providers.iter().map(|(addr, (provider, _))| (addr, provider))
    }

    /// The provider's own limit on operations in flight, if it declared one.
    pub fn limit(&self, addr: &ProviderConfigAddr) -> Option<Arc<Semaphore>> {
        self.providers.get(addr).and_then(|(_, s)| s.clone())
    }
}
