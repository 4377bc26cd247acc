//! Services: the daemons a component runs, where, how, and after what.

use crate::role::Role;

/// A daemon of a component.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// Lower case, unique in the release (`spark-master`).
    pub name: String,
    /// The key of the component it belongs to.
    pub component: String,
    /// Roles of the hosts it runs on (every host of those roles runs one).
    pub roles: Vec<Role>,
    /// The daemon in the foreground: one shell command line a supervisor `exec`s (template).
    pub start: String,
    /// How to stop it; `None` means TERM to its process group (then KILL after a timeout).
    pub stop: Option<String>,
    /// Environment of the start command (templates), in declaration order.
    pub environment: Vec<(String, String)>,
    /// Commands run before each start, after the services it depends on are healthy; each is
    /// idempotent (create directories, initialise a data directory once, ...).
    pub init: Vec<String>,
    /// Commands run after it is healthy; idempotent (create a database role, ...).
    pub post_start: Vec<String>,
    /// Services (anywhere in the cluster) that must be healthy before this one starts.
    pub depends_on: Vec<String>,
    pub health: HealthCheck,
    /// How long a start may take to become healthy.
    pub start_timeout_seconds: u32,
    /// Ports it listens on (checked for clashes between services that may share a host).
    pub ports: Vec<u16>,
    /// Names of the config files it reads: a change to one restarts it.
    pub config_files: Vec<String>,
}

impl Service {
    pub fn runs_on(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// How to tell that a started service works.
#[derive(Debug, Clone, PartialEq)]
pub enum HealthCheck {
    /// A TCP connection to `host:port` is accepted.
    Tcp { host: String, port: u16 },
    /// An HTTP GET answers `status` and, when `body_contains_any` is not empty, a body
    /// containing at least one of those strings.
    Http { url: String, status: u16, body_contains_any: Vec<String> },
    /// ZooKeeper's four-letter words: send `send` (`ruok`) to `host:port`, expect `expect`
    /// (`imok`) back.
    FourLetterWord { host: String, port: u16, send: String, expect: String },
    /// A command exits with status 0.
    Command { command: String },
    /// The supervised process is alive (for daemons without a port to ask).
    Process,
}

impl HealthCheck {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Tcp { .. } => "tcp",
            Self::Http { .. } => "http",
            Self::FourLetterWord { .. } => "four_letter_word",
            Self::Command { .. } => "command",
            Self::Process => "process",
        }
    }

    /// The templates it holds (for placeholder checks).
    pub fn templates(&self) -> Vec<&str> {
        match self {
            Self::Tcp { host, .. } | Self::FourLetterWord { host, .. } => vec![host],
            Self::Http { url, .. } => vec![url],
            Self::Command { command } => vec![command],
            Self::Process => Vec::new(),
        }
    }
}
