//! The configuration files a cluster manages, as one text (pure): `config_files`, planned as
//! what Strata renders and read back at refresh, so a file edited on a node is drift shown as a
//! line diff, and a plan says which services a change restarts (`restarts`).
//!
//! The text has one section per file, every node's files in hostname order:
//!
//! ```text
//! ==> analytics-core-0:/opt/strata/conf/spark/spark-env.sh <==
//! export SPARK_WORKER_CORES=1
//! ...
//! ```
//!
//! It is one string, not a map, because the plan shows a changed multi-line string as a text
//! diff (`<<-EOT` with `-`/`+` lines) and a map's values on one line. A file that may hold a
//! secret (mode 0600: Spark's `hive-site.xml`, which holds the metastore password when the
//! cluster has an `emr_metastore`) is never shown: its section is its sha256 alone, read back
//! without its content. Only the catalog's configuration files and `hive-site.xml` are listed,
//! not component links, command wrappers or post-start scripts.

use std::collections::{BTreeMap, BTreeSet};

use strata_deploy::facts::{FileContentFact, FileContentState};
use strata_deploy::{DesiredState, FileContent, sha256_hex};

use crate::model::RUNNING;
use crate::render::HostPlan;
use crate::topology::{Topology, status_key};

/// A section's first line: `==> HOST:PATH <==`.
const HEADER_START: &str = "==> ";
const HEADER_END: &str = " <==";

/// One configuration file of one node, as Strata renders it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManagedFile {
    pub host: String,
    pub path: String,
    /// The catalog's name of the file (`spark-env.sh`), what services list as read.
    pub name: String,
    pub content: String,
    /// Mode 0600: compared and shown by sha256 only.
    pub secret: bool,
}

impl ManagedFile {
    /// `HOST:PATH`, the section's name.
    pub fn key(&self) -> String {
        format!("{}:{}", self.host, self.path)
    }

    pub fn sha256(&self) -> String {
        sha256_hex(self.content.as_bytes())
    }

    /// How the file is shown when it is as rendered.
    pub fn expected(&self) -> Shown {
        if self.secret { Shown::Hidden { sha256: self.sha256() } } else { Shown::Content(self.content.clone()) }
    }

    /// The refresh fact: the content only when it differs, and never for a secret file.
    pub fn fact(&self) -> FileContentFact {
        FileContentFact::new(&self.path, self.sha256(), !self.secret)
    }

    /// How the file is shown given what refresh found.
    pub fn observed(&self, state: &FileContentState) -> Shown {
        match state {
            FileContentState::Same { .. } => self.expected(),
            FileContentState::Missing => Shown::Missing,
            FileContentState::NotAFile => Shown::NotAFile,
            FileContentState::Differs { sha256, .. } if self.secret => Shown::Hidden { sha256: sha256.clone() },
            FileContentState::Differs { content: Some(content), .. } if state.is_complete() => {
                Shown::Content(content.clone())
            }
            FileContentState::Differs { sha256, size, .. } => Shown::TooLarge { sha256: sha256.clone(), size: *size },
        }
    }
}

/// A file as `config_files` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shown {
    Content(String),
    Hidden { sha256: String },
    Missing,
    NotAFile,
    TooLarge { sha256: String, size: u64 },
}

/// The configuration files of every node's plan, in hostname and path order.
pub fn managed_files(plans: &BTreeMap<String, HostPlan>) -> Vec<ManagedFile> {
    let mut files = Vec::new();
    for (host, plan) in plans {
        for item in &plan.files {
            let DesiredState::File(file) = item else { continue };
            let (Some(name), FileContent::Inline(bytes)) = (plan.config_paths.get(&file.path), &file.content) else {
                continue;
            };
            files.push(ManagedFile {
                host: host.clone(),
                path: file.path.clone(),
                name: name.clone(),
                content: String::from_utf8_lossy(bytes).into_owned(),
                secret: file.mode.0 & 0o077 == 0,
            });
        }
    }
    files.sort_by(|a, b| (&a.host, &a.path).cmp(&(&b.host, &b.path)));
    files
}

/// The `config_files` text of `files`, each shown as given.
pub fn document<'a>(files: impl IntoIterator<Item = (&'a ManagedFile, Shown)>) -> String {
    let mut text = String::new();
    for (file, shown) in files {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&format!("{HEADER_START}{}{HEADER_END}", file.key()));
        match shown {
            Shown::Content(content) => {
                text.push('\n');
                text.push_str(&content);
                if !content.is_empty() && !content.ends_with('\n') {
                    text.push_str("\n\\ No newline at end of file\n");
                }
            }
            Shown::Hidden { sha256 } => {
                text.push_str(&format!(" (mode 0600, not shown: it may hold secrets) sha256 {sha256}\n"))
            }
            Shown::Missing => text.push_str(" (missing)\n"),
            Shown::NotAFile => text.push_str(" (not a regular file)\n"),
            Shown::TooLarge { sha256, size } => {
                text.push_str(&format!(" ({size} bytes, too large to show) sha256 {sha256}\n"))
            }
        }
    }
    text
}

/// The `config_files` text of `files` as rendered.
pub fn rendered_document(files: &[ManagedFile]) -> String {
    document(files.iter().map(|file| (file, file.expected())))
}

/// A `config_files` text taken apart: `HOST:PATH` → its section (header line included). A
/// content line that looks like a header starts a section of its own (which can make
/// [`restarts`] wrong; apply restarts the readers of the files it rewrites all the same).
pub fn sections(text: &str) -> BTreeMap<String, String> {
    let mut sections: BTreeMap<String, String> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.split_inclusive('\n') {
        let header = line.strip_prefix(HEADER_START).and_then(|rest| rest.split_once(HEADER_END)).map(|(key, _)| key);
        if let Some(key) = header {
            current = Some(key.to_string());
        }
        if let Some(key) = &current {
            sections.entry(key.clone()).or_default().push_str(line);
        }
    }
    // The blank line that separates sections is not part of either.
    for section in sections.values_mut() {
        if section.ends_with("\n\n") {
            section.pop();
        }
    }
    sections
}

/// The services (`HOST/SERVICE`) a change from the files `prior` (the `config_files` refresh
/// read) to `planned` (the rendered files) restarts: those running now that read a file whose
/// section differs. A file rewritten is a file whose content differs, and apply restarts its
/// readers when they run (a stopped one is started instead, not listed). `None` for `prior`
/// (a state written before `config_files` existed) restarts nothing: apply rewrites no file.
pub fn restarts(
    topology: &Topology,
    planned: &[ManagedFile],
    prior: Option<&str>,
    services_status: &BTreeMap<String, String>,
) -> Vec<String> {
    let Some(prior) = prior else { return Vec::new() };
    let before = sections(prior);
    let after = sections(&rendered_document(planned));
    let changed: BTreeSet<(&str, &str)> = planned
        .iter()
        .filter(|file| before.get(&file.key()) != after.get(&file.key()))
        .map(|file| (file.host.as_str(), file.name.as_str()))
        .collect();
    let mut restarts = Vec::new();
    for node in &topology.nodes {
        for service in topology.services_on(node) {
            let key = status_key(&node.hostname, &service.name);
            let reads_changed =
                service.config_files.iter().any(|name| changed.contains(&(node.hostname.as_str(), name)));
            if reads_changed && services_status.get(&key).map(String::as_str) == Some(RUNNING) {
                restarts.push(key);
            }
        }
    }
    restarts.sort();
    restarts
}

/// Per host, the services to restart although their definition is unchanged: those reading a
/// configuration file apply just rewrote (`written`: host → paths uploaded).
pub fn readers_of_written(
    topology: &Topology,
    plans: &BTreeMap<String, HostPlan>,
    written: &BTreeMap<String, Vec<String>>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut readers: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for node in &topology.nodes {
        let (Some(plan), Some(paths)) = (plans.get(&node.hostname), written.get(&node.hostname)) else { continue };
        let names: BTreeSet<&str> =
            paths.iter().filter_map(|path| plan.config_paths.get(path)).map(String::as_str).collect();
        for service in topology.services_on(node) {
            if service.config_files.iter().any(|name| names.contains(name.as_str())) {
                readers.entry(service.name.clone()).or_default().insert(node.hostname.clone());
            }
        }
    }
    readers
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(host: &str, path: &str, name: &str, content: &str, secret: bool) -> ManagedFile {
        ManagedFile { host: host.into(), path: path.into(), name: name.into(), content: content.into(), secret }
    }

    #[test]
    fn a_document_and_its_sections() {
        let env = file("a-core-0", "/c/spark-env.sh", "spark-env.sh", "A=1\nB=2\n", false);
        let hive = file("a-core-0", "/c/hive-site.xml", "hive-site.xml", "<password>x</password>\n", true);
        let zoo = file("a-master-0", "/c/zoo.cfg", "zoo.cfg", "tickTime=2000", false);
        let text = document([
            (&env, env.expected()),
            (&hive, hive.expected()),
            (&zoo, zoo.expected()),
            (&env, Shown::Missing),
        ]);
        let expected = format!(
            "==> a-core-0:/c/spark-env.sh <==\nA=1\nB=2\n\n\
             ==> a-core-0:/c/hive-site.xml <== (mode 0600, not shown: it may hold secrets) sha256 {}\n\n\
             ==> a-master-0:/c/zoo.cfg <==\ntickTime=2000\n\\ No newline at end of file\n\n\
             ==> a-core-0:/c/spark-env.sh <== (missing)\n",
            hive.sha256()
        );
        assert_eq!(text, expected);
        assert!(!text.contains("password"), "a secret file's content is never shown");
        let two = document([(&env, env.expected()), (&zoo, zoo.expected())]);
        let sections = sections(&two);
        assert_eq!(sections["a-core-0:/c/spark-env.sh"], "==> a-core-0:/c/spark-env.sh <==\nA=1\nB=2\n");
        assert_eq!(sections.len(), 2);
    }

    /// A cluster of one master and one core using an `emr_metastore`: its `hive-site.xml` holds
    /// the password, and `config_files` shows only its sha256; an edited `spark-env.sh` restarts
    /// the services of its node that read it, nothing else.
    #[test]
    fn a_metastore_password_is_never_shown_and_edits_restart_their_readers() {
        use crate::cluster_refresh::recorded_plans;
        use crate::model::{ClusterHost, NodeGroup};
        use crate::settings::Resolved;

        let group = |role: &str| NodeGroup {
            role: role.into(),
            instance_type: "local.c1m2".into(),
            count: 1,
            disk_size: None,
            private_ips: None,
        };
        let groups = [("master".to_string(), group("MASTER")), ("core".to_string(), group("CORE"))].into();
        let services = ["ZOOKEEPER".to_string(), "SPARK".to_string()];
        let topology = Topology::new("a", "STRATA-1.0.0", &services, &groups, &BTreeMap::new()).unwrap();
        let host = |name: &str, ip: &str| ClusterHost {
            name: name.into(),
            ip: ip.into(),
            role: String::new(),
            node_group: String::new(),
            id: format!("h-{name}"),
            ssh_host_key_fingerprint: String::new(),
        };
        let hosts = [host("a-master-0", "10.232.0.2"), host("a-core-0", "10.232.0.3")];
        let settings = Resolved::new(None, std::path::Path::new("/")).unwrap();
        let metastore = crate::metastore_record::tests::sample();
        let plans =
            recorded_plans(&settings, "c1", &topology, &BTreeMap::new(), &hosts, Some(&metastore)).unwrap().unwrap();
        let files = managed_files(&plans);
        let text = rendered_document(&files);
        assert!(text.contains("==> a-core-0:/opt/strata/conf/spark/hive-site.xml <== (mode 0600, not shown"));
        assert!(!text.contains(&metastore.password), "{text}");
        let names: Vec<(&str, &str)> = files.iter().map(|file| (file.host.as_str(), file.name.as_str())).collect();
        assert_eq!(
            names,
            [
                ("a-core-0", "hive-site.xml"),
                ("a-core-0", "spark-defaults.conf"),
                ("a-core-0", "spark-env.sh"),
                ("a-master-0", "hive-site.xml"),
                ("a-master-0", "spark-defaults.conf"),
                ("a-master-0", "spark-env.sh"),
                ("a-master-0", "zoo.cfg"),
            ]
        );

        let running = topology.expected_status();
        assert!(restarts(&topology, &files, Some(&text), &running).is_empty());
        let edited = text.replace("export SPARK_WORKER_CORES='1'", "export SPARK_WORKER_CORES='4'");
        let edited = edited.replacen("export SPARK_WORKER_CORES='4'", "export SPARK_WORKER_CORES='1'", 1);
        assert_ne!(edited, text);
        assert_eq!(
            restarts(&topology, &files, Some(&edited), &running),
            ["a-master-0/spark-history-server", "a-master-0/spark-master"],
            "the master's spark-env.sh was edited"
        );
        let mut other_password = metastore.clone();
        other_password.password = "Other0123456789".into();
        let replanned = recorded_plans(&settings, "c1", &topology, &BTreeMap::new(), &hosts, Some(&other_password))
            .unwrap()
            .unwrap();
        let replanned = managed_files(&replanned);
        assert_ne!(rendered_document(&replanned), text, "a new password is a new sha256");
        assert!(restarts(&topology, &replanned, Some(&text), &running).is_empty(), "no daemon reads hive-site.xml");
        assert!(restarts(&topology, &files, None, &running).is_empty());

        let written = [("a-core-0".to_string(), vec!["/opt/strata/conf/spark/spark-env.sh".to_string()])].into();
        let readers = readers_of_written(&topology, &plans, &written);
        assert_eq!(readers, [("spark-worker".to_string(), ["a-core-0".to_string()].into())].into());
    }

    #[test]
    fn what_refresh_found_is_shown() {
        let env = file("h", "/c/spark-env.sh", "spark-env.sh", "A=1\n", false);
        let hive = file("h", "/c/hive-site.xml", "hive-site.xml", "secret\n", true);
        let other = "f".repeat(64);
        assert_eq!(env.observed(&FileContentState::Same { size: 4 }), Shown::Content("A=1\n".into()));
        let edited = FileContentState::Differs { sha256: other.clone(), size: 4, content: Some("A=2\n".into()) };
        assert_eq!(env.observed(&edited), Shown::Content("A=2\n".into()));
        let cut = FileContentState::Differs { sha256: other.clone(), size: 99, content: Some("A=2\n".into()) };
        assert_eq!(env.observed(&cut), Shown::TooLarge { sha256: other.clone(), size: 99 });
        assert_eq!(hive.observed(&edited), Shown::Hidden { sha256: other });
        assert!(!hive.fact().show_content && env.fact().show_content);
        assert_eq!(env.fact().expected_sha256, env.sha256());
    }
}
