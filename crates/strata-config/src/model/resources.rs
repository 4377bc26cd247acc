//! A module's resource blocks: looked up by hash, walked in address order.

use std::hash::BuildHasher;
use std::sync::OnceLock;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;
use strata_addrs::ResourceAddr;

use crate::Resource;

/// The resource blocks of one module, each under its own address (`Resource::addr`).
///
/// Lookups hash the address: planning a fan-out of 5,000 resources looks resources up some
/// 25,000 times (decoding, validation, dependencies, refresh, the walk), and a B-tree keyed by
/// addresses that share their type name compared strings ~60 times per lookup. Walks go in
/// address order, as listings, the dependency graph and messages always have; that order is
/// sorted once, when first walked.
#[derive(Clone, Debug, Default)]
pub struct Resources {
    /// In the order they were added. Boxed: a resource is 1.2 KB, which growing the vector
    /// would copy again and again (6 MB for 5,000 resources).
    #[allow(clippy::vec_box)]
    items: Vec<Box<Resource>>,
    /// Positions in `items`, found by the hash of their address (which is not stored twice).
    index: HashTable<usize>,
    /// Positions in `items` in address order; reset by every insert.
    ordered: OnceLock<Vec<usize>>,
}

fn hash(addr: &ResourceAddr) -> u64 {
    FxBuildHasher.hash_one(addr)
}

impl Resources {
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn get(&self, addr: &ResourceAddr) -> Option<&Resource> {
        let at = self.index.find(hash(addr), |&i| self.items[i].addr == *addr)?;
        Some(&self.items[*at])
    }

    pub fn contains_key(&self, addr: &ResourceAddr) -> bool {
        self.get(addr).is_some()
    }

    /// Adds a resource under its address, unless one is there already: then the resource is
    /// given back.
    pub fn insert(&mut self, resource: Box<Resource>) -> Result<(), Box<Resource>> {
        let items = &self.items;
        let at = items.len();
        match self.index.entry(hash(&resource.addr), |&i| items[i].addr == resource.addr, |&i| hash(&items[i].addr)) {
            hashbrown::hash_table::Entry::Occupied(_) => return Err(resource),
            hashbrown::hash_table::Entry::Vacant(slot) => {
                slot.insert(at);
            }
        }
        self.items.push(resource);
        self.ordered = OnceLock::new();
        Ok(())
    }

    /// Every resource with its address, in address order.
    pub fn iter(&self) -> impl Iterator<Item = (&ResourceAddr, &Resource)> {
        self.values().map(|r| (&r.addr, r))
    }

    /// Every address, in address order.
    pub fn keys(&self) -> impl Iterator<Item = &ResourceAddr> {
        self.values().map(|r| &r.addr)
    }

    /// Every resource, in address order.
    pub fn values(&self) -> impl Iterator<Item = &Resource> {
        self.order().iter().map(|&i| &*self.items[i])
    }

    fn order(&self) -> &[usize] {
        self.ordered.get_or_init(|| {
            let mut order: Vec<usize> = (0..self.items.len()).collect();
            order.sort_unstable_by(|&a, &b| self.items[a].addr.cmp(&self.items[b].addr));
            order
        })
    }
}

impl<'a> IntoIterator for &'a Resources {
    type Item = (&'a ResourceAddr, &'a Resource);
    type IntoIter = Box<dyn Iterator<Item = (&'a ResourceAddr, &'a Resource)> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The resources of a module declared in this order (type, name), taken out of the
    /// loaded module in the order they were declared.
    fn declared(blocks: &[(&str, &str)]) -> Vec<Resource> {
        let dir = tempfile::tempdir().unwrap();
        let text: String = blocks.iter().map(|(t, n)| format!("resource \"{t}\" \"{n}\" {{}}\n")).collect();
        std::fs::write(dir.path().join("main.hcl"), text).unwrap();
        let mut files = strata_diagnostics::SourceFiles::new();
        let (config, diags) = crate::load(dir.path(), &mut files);
        assert!(!diags.has_errors(), "{diags:?}");
        let module = config.unwrap().root.module;
        let mut out = Vec::new();
        for (t, n) in blocks {
            out.push(module.resources.get(&ResourceAddr::managed(*t, *n)).unwrap().clone());
        }
        out
    }

    #[test]
    fn looks_up_and_walks_in_address_order_whatever_the_order_added() {
        let blocks =
            [("b_type", "x"), ("a_type", "z"), ("a_type", "b"), ("a_type", "a10"), ("a_type", "a9"), ("a_type", "c")];
        let mut all = declared(&blocks);
        let last = all.pop().unwrap();
        let mut resources = Resources::default();
        for resource in all {
            assert!(resources.insert(Box::new(resource)).is_ok());
        }
        let walked: Vec<String> = resources.keys().map(ToString::to_string).collect();
        assert_eq!(walked, ["a_type.a10", "a_type.a9", "a_type.b", "a_type.z", "b_type.x"]);
        assert_eq!(resources.len(), 5);
        assert_eq!(resources.get(&ResourceAddr::managed("a_type", "b")).map(|r| r.addr.name.as_str()), Some("b"));
        assert!(!resources.contains_key(&ResourceAddr::data("a_type", "b")));
        assert!(!resources.contains_key(&ResourceAddr::managed("a_type", "y")));
        // Added after a walk: the next walk includes it, in its place.
        assert!(resources.insert(Box::new(last)).is_ok());
        let walked: Vec<String> = resources.iter().map(|(a, _)| a.to_string()).collect();
        assert_eq!(walked, ["a_type.a10", "a_type.a9", "a_type.b", "a_type.c", "a_type.z", "b_type.x"]);
        let values: Vec<String> = resources.values().map(|r| r.addr.to_string()).collect();
        assert_eq!(values, walked);
    }

    #[test]
    fn a_second_resource_at_the_same_address_is_given_back() {
        let mut twice = declared(&[("t", "a")]);
        let mut resources = Resources::default();
        assert!(resources.insert(Box::new(twice[0].clone())).is_ok());
        let again = resources.insert(Box::new(twice.remove(0)));
        assert_eq!(again.err().map(|r| r.addr), Some(ResourceAddr::managed("t", "a")));
        assert_eq!(resources.len(), 1);
    }
}
