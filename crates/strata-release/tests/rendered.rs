//! What a release writes and runs on a sample cluster (one master 10.0.0.2, a core node
//! 10.0.0.3): every config file as written on the master, rendered from its defaults with the
//! placeholders filled, and every component's install commands and service's commands, in
//! testdata/releases/rendered/RELEASE/. `STRATA_BLESS=1` rewrites them; review the diff.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use strata_release::{Catalog, Component, HealthCheck, Release, Role, merge_config, placeholder};

const MASTER: &str = "10.0.0.2";
const CORE: &str = "10.0.0.3";

fn golden_dir(release: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/releases/rendered").join(release)
}

fn bless() -> bool {
    std::env::var_os("STRATA_BLESS").is_some_and(|value| value == "1")
}

/// The sample cluster's value of a placeholder, as seen by `component` on the master.
fn lookup(release: &Release, component: &Component, host_ip: &str, name: &str) -> Option<String> {
    let directory = |root: &str, key: &str| format!("{root}/{}", key.to_ascii_lowercase());
    let home = |component: &Component| {
        component.home.as_ref().map(|home| {
            let own = |name: &str| lookup(release, component, host_ip, name);
            placeholder::expand(home, &own).unwrap()
        })
    };
    let value = match name {
        "home" => return home(component),
        "install_dir" => directory("/opt/strata", &component.key),
        "artifact_dir" => directory("/var/cache/strata/artifacts", &component.key),
        "conf_dir" => directory("/etc/strata", &component.key),
        "data_dir" => directory("/var/lib/strata", &component.key),
        "log_dir" => directory("/var/log/strata", &component.key),
        "run_dir" => directory("/run/strata", &component.key),
        "host_ip" => host_ip.to_owned(),
        "master_ip" | "metastore_host" => MASTER.to_owned(),
        "service_index" => "1".to_owned(),
        "cluster_cidr" => "10.0.0.0/24".to_owned(),
        "shared_dir" => "/var/lib/strata/shared".to_owned(),
        "java_home" => "/usr/lib/jvm/java-8-openjdk-amd64".to_owned(),
        "zookeeper_connect" => format!("{MASTER}:2181"),
        "spark_master_url" => format!("spark://{MASTER}:7077"),
        "metastore_password" => "[METASTORE_PASSWORD]".to_owned(),
        "pid" => "[PID]".to_owned(),
        other => {
            if let Some(key) = other.strip_suffix("_home") {
                return home(release.component(&key.to_ascii_uppercase())?);
            }
            let key = other.strip_suffix("_conf_dir")?;
            directory("/etc/strata", key)
        }
    };
    Some(value)
}

fn render(release: &Release) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let mut services = String::new();
    for component in &release.components {
        let own = |name: &str| lookup(release, component, MASTER, name);
        let expand = |template: &str| placeholder::expand(template, &own).unwrap_or_else(|error| panic!("{error}"));
        for command in &component.install {
            let _ = writeln!(services, "install {}: {}", component.key, expand(command));
        }
        if !component.install.is_empty() {
            services.push('\n');
        }
        for file in &component.config_files {
            let hosts: Vec<&str> = match &file.host_entries {
                Some(_) => vec![MASTER],
                None => Vec::new(),
            };
            let defaults = file.expanded_defaults(&own, &hosts).unwrap_or_else(|error| panic!("{error}"));
            let text = merge_config(&defaults, &BTreeMap::new(), file.format).unwrap();
            let mode = file.mode.as_deref().map(|mode| format!(" (mode {mode})")).unwrap_or_default();
            files.insert(file.name.replace('/', "_"), format!("# {}{mode}\n{text}", expand(&file.path)));
        }
        for service in &component.services {
            let host_ip = if service.runs_on(Role::Master) { MASTER } else { CORE };
            let on_host = |name: &str| lookup(release, component, host_ip, name);
            let expand =
                |template: &str| placeholder::expand(template, &on_host).unwrap_or_else(|error| panic!("{error}"));
            let roles: Vec<&str> = service.roles.iter().map(|role| role.as_str()).collect();
            let _ = writeln!(
                services,
                "== {} ({}) on {}, shown on {host_ip}",
                service.name,
                component.key,
                roles.join(", ")
            );
            let _ = writeln!(services, "depends on: {}", service.depends_on.join(", "));
            for (name, value) in &service.environment {
                let _ = writeln!(services, "env: {name}={}", expand(value));
            }
            for command in &service.init {
                let _ = writeln!(services, "init: {}", expand(command));
            }
            let _ = writeln!(services, "start: {}", expand(&service.start));
            for command in &service.post_start {
                let _ = writeln!(services, "post-start: {}", expand(command));
            }
            let stop = service.stop.as_deref().map(&expand).unwrap_or_else(|| "TERM to the process group".to_owned());
            let _ = writeln!(services, "stop: {stop}");
            let health = match &service.health {
                HealthCheck::Tcp { host, port } => format!("tcp {}:{port}", expand(host)),
                HealthCheck::Http { url, status, body_contains_any } => {
                    format!("http GET {} -> {status} {body_contains_any:?}", expand(url))
                }
                HealthCheck::FourLetterWord { host, port, send, expect } => {
                    format!("{send} to {}:{port} -> {expect}", expand(host))
                }
                HealthCheck::Command { command } => format!("command {}", expand(command)),
                HealthCheck::Process => "the process is alive".to_owned(),
            };
            let _ = writeln!(services, "health: {health} within {}s", service.start_timeout_seconds);
            let _ = writeln!(services, "ports: {:?}; reads: {}\n", service.ports, service.config_files.join(", "));
        }
    }
    files.insert("services.txt".to_owned(), services);
    files
}

fn check(release_name: &str) {
    let release = Catalog::builtin().get(release_name).unwrap();
    let directory = golden_dir(release_name);
    let rendered = render(release);
    if bless() {
        let _ = std::fs::remove_dir_all(&directory);
        std::fs::create_dir_all(&directory).unwrap();
        for (name, text) in &rendered {
            std::fs::write(directory.join(name), text).unwrap();
        }
        return;
    }
    let mut on_disk: Vec<String> =
        std::fs::read_dir(&directory).unwrap().map(|entry| entry.unwrap().file_name().into_string().unwrap()).collect();
    on_disk.sort();
    assert_eq!(on_disk, rendered.keys().cloned().collect::<Vec<_>>(), "{release_name}: files");
    for (name, text) in &rendered {
        let expected = std::fs::read_to_string(directory.join(name)).unwrap();
        assert!(text == &expected, "{release_name}/{name} differs:\n{text}");
    }
}

#[test]
fn strata_1_0_0_rendered() {
    check("STRATA-1.0.0");
}

#[test]
fn emr_3_2_0_rendered() {
    check("EMR-3.2.0");
}

#[test]
fn strata_1_0_1_rendered() {
    check("STRATA-1.0.1");
}
