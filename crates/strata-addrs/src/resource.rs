//! Resource addresses.

use std::fmt;

use crate::{InstanceKey, ModulePath};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResourceMode {
    /// A `resource` block.
    Managed,
    /// A `data` block.
    Data,
}

/// A resource block within one module: `emr_cluster.analytics` or `data.local_file.x`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceAddr {
    pub mode: ResourceMode,
    pub type_name: String,
    pub name: String,
}

impl ResourceAddr {
    pub fn managed(type_name: impl Into<String>, name: impl Into<String>) -> ResourceAddr {
        ResourceAddr { mode: ResourceMode::Managed, type_name: type_name.into(), name: name.into() }
    }

    pub fn data(type_name: impl Into<String>, name: impl Into<String>) -> ResourceAddr {
        ResourceAddr { mode: ResourceMode::Data, type_name: type_name.into(), name: name.into() }
    }
}

impl fmt::Display for ResourceAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mode == ResourceMode::Data {
            f.write_str("data.")?;
        }
        write!(f, "{}.{}", self.type_name, self.name)
    }
}

/// A resource block in a module path.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AbsResourceAddr {
    pub module: ModulePath,
    pub resource: ResourceAddr,
}

impl AbsResourceAddr {
    /// The resource block in the configuration: the same address without module instance keys.
    pub fn to_static(&self) -> AbsResourceAddr {
        AbsResourceAddr { module: self.module.to_static(), resource: self.resource.clone() }
    }
}

impl fmt::Display for AbsResourceAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.module.is_root() {
            write!(f, "{}", self.resource)
        } else {
            write!(f, "{}.{}", self.module, self.resource)
        }
    }
}

/// One instance of a resource.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceInstanceAddr {
    pub resource: AbsResourceAddr,
    pub key: InstanceKey,
}

impl fmt::Display for ResourceInstanceAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.resource, self.key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_print_in_hcl_syntax() {
        let resource = AbsResourceAddr {
            module: ModulePath::root().child("etl"),
            resource: ResourceAddr::managed("emr_cluster", "analytics"),
        };
        assert_eq!(resource.to_string(), "module.etl.emr_cluster.analytics");
        let instance = ResourceInstanceAddr { resource, key: InstanceKey::String("a".into()) };
        assert_eq!(instance.to_string(), "module.etl.emr_cluster.analytics[\"a\"]");
        assert_eq!(ResourceAddr::data("local_file", "x").to_string(), "data.local_file.x");
    }
}
