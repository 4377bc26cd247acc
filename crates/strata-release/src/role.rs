//! Node-group roles.

use std::fmt;
use std::str::FromStr;

/// What a node group is for; services and components name the roles they run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Masters: NameNode, ResourceManager, Spark master, ZooKeeper, metastore.
    Master,
    /// Core (slave) nodes: storage and compute (DataNode, NodeManager, Spark worker).
    Core,
    /// Task nodes: compute only, safe to add and remove.
    Task,
    /// Gateways: clients only (spark-submit, beeline), no daemons of the cluster.
    Gateway,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Master, Role::Core, Role::Task, Role::Gateway];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Master => "MASTER",
            Role::Core => "CORE",
            Role::Task => "TASK",
            Role::Gateway => "GATEWAY",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = ();
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Role::ALL.into_iter().find(|role| role.as_str() == text).ok_or(())
    }
}
