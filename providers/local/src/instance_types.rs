//! The instance type catalog: how much CPU and memory a local host may use.
//!
//! | type | vCPUs | memory |
//! |---|---|---|
//! | `local.c1m1` | 1 | 1 GiB |
//! | `local.c1m2` | 1 | 2 GiB |
//! | `local.c1m4` | 1 | 4 GiB |
//! | `local.c2m2` | 2 | 2 GiB |
//! | `local.c2m4` | 2 | 4 GiB |
//! | `local.c2m8` | 2 | 8 GiB |
//! | `local.c4m8` | 4 | 8 GiB |
//! | `local.c4m16` | 4 | 16 GiB |
//!
//! A vCPU is one CPU's worth of time per scheduling period (a CFS quota), not a pinned core:
//! hosts share the machine's cores, and a type with more vCPUs than the machine has cores is
//! simply not throttled. Memory is a hard limit including swap. See the crate documentation
//! for which limits a given kernel lets us enforce.

/// One entry of the catalog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InstanceType {
    /// The name used in configurations, such as `local.c2m4`.
    pub name: &'static str,
    /// CPU time, in whole CPUs.
    pub vcpus: u32,
    /// Memory, in MiB.
    pub memory_mib: u64,
}

impl InstanceType {
    /// The memory limit in bytes.
    pub fn memory_bytes(&self) -> u64 {
        self.memory_mib * 1024 * 1024
    }
}

const fn entry(name: &'static str, vcpus: u32, memory_gib: u64) -> InstanceType {
    InstanceType { name, vcpus, memory_mib: memory_gib * 1024 }
}

/// Every instance type, smallest first.
pub const INSTANCE_TYPES: &[InstanceType] = &[
    entry("local.c1m1", 1, 1),
    entry("local.c1m2", 1, 2),
    entry("local.c1m4", 1, 4),
    entry("local.c2m2", 2, 2),
    entry("local.c2m4", 2, 4),
    entry("local.c2m8", 2, 8),
    entry("local.c4m8", 4, 8),
    entry("local.c4m16", 4, 16),
];

/// The instance type called `name`.
pub fn instance_type(name: &str) -> Option<&'static InstanceType> {
    INSTANCE_TYPES.iter().find(|instance_type| instance_type.name == name)
}

/// The catalog's names, comma-separated (for error messages).
pub(crate) fn known_names() -> String {
    INSTANCE_TYPES.iter().map(|instance_type| instance_type.name).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_their_sizes() {
        for instance_type in INSTANCE_TYPES {
            let expected = format!("local.c{}m{}", instance_type.vcpus, instance_type.memory_mib / 1024);
            assert_eq!(instance_type.name, expected);
        }
        assert_eq!(instance_type("local.c1m1").unwrap().memory_bytes(), 1 << 30);
        assert!(instance_type("local.c9m9").is_none());
    }
}
