//! Reading catalog files: HCL → raw structs (serde) → the public model.
//!
//! A file whose stem is a release name (`EMR-3.2.0.hcl`) is a release; any other file
//! (`emr-components.hcl`) holds component templates a release can build on with
//! `component_templates = "FILE"`: each of its components starts from the template of the
//! same key, and what the release states (at least `version`) replaces the template's value.
//! `{version}` and `{upstream_version}` are filled in here, in every template of a component.

use std::collections::BTreeMap;

use serde::Deserialize;
use strata_diagnostics::did_you_mean;

use crate::component::{Artifact, ArtifactKind, Component};
use crate::config_file::{ConfigFile, ConfigFormat, HostEntries};
use crate::error::CatalogError;
use crate::labeled::Labeled;
use crate::placeholder;
use crate::release::{Release, ReleaseStatus};
use crate::role::Role;
use crate::service::{HealthCheck, Service};
use crate::version::ReleaseName;

/// How long a service may take to become healthy when its data does not say.
const DEFAULT_START_TIMEOUT_SECONDS: u32 = 60;

// The catalog is compiled into the binary together with this reader, so no older or newer
// writer exists: unknown fields are typos and are refused.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelease {
    name: String,
    released: String,
    status: String,
    #[serde(default)]
    installable: bool,
    notes: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    component_templates: Option<String>,
    #[serde(default)]
    component: Labeled<RawComponent>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTemplates {
    #[serde(default)]
    component: Labeled<RawComponent>,
}

#[derive(Deserialize, Clone, Default)]
#[serde(deny_unknown_fields)]
struct RawComponent {
    display_name: Option<String>,
    version: Option<String>,
    version_uncertain: Option<bool>,
    upstream_version: Option<String>,
    description: Option<String>,
    home: Option<String>,
    roles: Option<Vec<String>>,
    requires: Option<Vec<String>>,
    install: Option<Vec<String>>,
    notes: Option<String>,
    artifact: Option<Labeled<RawArtifact>>,
    service: Option<Labeled<RawService>>,
    config: Option<Labeled<RawConfig>>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawArtifact {
    kind: String,
    url: Option<String>,
    package: Option<String>,
    version: Option<String>,
    sha256: Option<String>,
    size: Option<u64>,
    checksum_source: Option<String>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawService {
    roles: Vec<String>,
    start: String,
    stop: Option<String>,
    #[serde(default)]
    environment: Labeled<String>,
    #[serde(default)]
    init: Vec<String>,
    #[serde(default)]
    post_start: Vec<String>,
    #[serde(default)]
    depends_on: Vec<String>,
    health: RawHealth,
    start_timeout_seconds: Option<u32>,
    #[serde(default)]
    ports: Vec<u16>,
    #[serde(default)]
    config_files: Vec<String>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawHealth {
    kind: String,
    host: Option<String>,
    port: Option<u16>,
    url: Option<String>,
    status: Option<u16>,
    body_contains_any: Option<Vec<String>>,
    send: Option<String>,
    expect: Option<String>,
    command: Option<String>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    path: String,
    format: String,
    #[serde(default)]
    defaults: Labeled<String>,
    host_entries: Option<RawHostEntries>,
    mode: Option<String>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawHostEntries {
    service: String,
    key: String,
    value: String,
}

/// Reads every file; releases come back sorted by name.
pub(crate) fn load<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Vec<Release>, CatalogError> {
    let mut raw_releases = Vec::new();
    let mut templates: BTreeMap<&str, RawTemplates> = BTreeMap::new();
    for (file, text) in files {
        let body: hcl::Body = hcl::from_str(text).map_err(|error| parse_error(file, &error))?;
        check_unique_blocks(file, &body, "")?;
        let stem = file.strip_suffix(".hcl").unwrap_or(file);
        if ReleaseName::parse(stem).is_ok() {
            let raw: RawRelease = hcl::from_str(text).map_err(|error| parse_error(file, &error))?;
            raw_releases.push((file, raw));
        } else {
            let raw: RawTemplates = hcl::from_str(text).map_err(|error| parse_error(file, &error))?;
            templates.insert(file, raw);
        }
    }

    let mut releases: Vec<Release> = Vec::with_capacity(raw_releases.len());
    for (file, raw) in raw_releases {
        let release = build_release(file, raw, &templates)?;
        if let Some(first) = releases.iter().find(|other| other.name == release.name) {
            return Err(CatalogError::DuplicateRelease {
                name: release.name.to_string(),
                first: first.source_file.clone(),
                second: file.to_owned(),
            });
        }
        releases.push(release);
    }
    releases.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(releases)
}

fn parse_error(file: &str, error: &hcl::Error) -> CatalogError {
    CatalogError::Parse { file: file.to_owned(), message: error.to_string() }
}

/// hcl-rs merges blocks with the same type and labels; two of them in one body are a mistake.
fn check_unique_blocks(file: &str, body: &hcl::Body, context: &str) -> Result<(), CatalogError> {
    let mut seen = Vec::new();
    for block in body.blocks() {
        let mut address = block.identifier().to_owned();
        for label in block.labels() {
            address.push_str(&format!(" \"{}\"", label.as_str()));
        }
        if seen.contains(&address) {
            return Err(invalid(file, format!("{context}{address} is written twice")));
        }
        check_unique_blocks(file, block.body(), &format!("{context}{address} > "))?;
        seen.push(address);
    }
    Ok(())
}

fn invalid(file: &str, message: String) -> CatalogError {
    CatalogError::Invalid { file: file.to_owned(), message }
}

fn build_release(
    file: &str,
    raw: RawRelease,
    templates: &BTreeMap<&str, RawTemplates>,
) -> Result<Release, CatalogError> {
    let name = ReleaseName::parse(&raw.name).map_err(|error| invalid(file, error.to_string()))?;
    if file.strip_suffix(".hcl") != Some(raw.name.as_str()) {
        return Err(invalid(file, format!("release `{}` must live in `{}.hcl`", raw.name, raw.name)));
    }
    let status = ReleaseStatus::parse(&raw.status).ok_or_else(|| {
        let known = ReleaseStatus::ALL.map(ReleaseStatus::as_str);
        invalid(file, format!("unknown status `{}`; known: {}", raw.status, known.join(", ")))
    })?;
    let template_set = match &raw.component_templates {
        Some(template_file) => Some(templates.get(template_file.as_str()).ok_or_else(|| {
            invalid(file, format!("component_templates names `{template_file}`, which is not a catalog file"))
        })?),
        None => None,
    };

    let mut components = Vec::with_capacity(raw.component.0.len());
    for (key, raw_component) in raw.component.0 {
        let merged = match template_set {
            Some(set) => {
                let template =
                    set.component.0.iter().find(|(template_key, _)| *template_key == key).ok_or_else(|| {
                        invalid(
                            file,
                            format!(
                                "component `{key}` has no template in `{}`",
                                raw.component_templates.as_deref().unwrap_or("")
                            ),
                        )
                    })?;
                overlay(template.1.clone(), raw_component)
            }
            None => raw_component,
        };
        components.push(build_component(file, &key, merged)?);
    }

    Ok(Release {
        name,
        released: raw.released,
        status,
        installable: raw.installable,
        notes: raw.notes,
        description: raw.description,
        components,
        source_file: file.to_owned(),
    })
}

/// The template with every field the release states replaced.
fn overlay(template: RawComponent, release: RawComponent) -> RawComponent {
    RawComponent {
        display_name: release.display_name.or(template.display_name),
        version: release.version.or(template.version),
        version_uncertain: release.version_uncertain.or(template.version_uncertain),
        upstream_version: release.upstream_version.or(template.upstream_version),
        description: release.description.or(template.description),
        home: release.home.or(template.home),
        roles: release.roles.or(template.roles),
        requires: release.requires.or(template.requires),
        install: release.install.or(template.install),
        notes: release.notes.or(template.notes),
        artifact: release.artifact.or(template.artifact),
        service: release.service.or(template.service),
        config: release.config.or(template.config),
    }
}

fn build_component(file: &str, key: &str, raw: RawComponent) -> Result<Component, CatalogError> {
    let context = format!("component `{key}`");
    let version = raw.version.ok_or_else(|| invalid(file, format!("{context} has no version")))?;
    let upstream_version = raw.upstream_version;
    let load_time = |name: &str| match name {
        "version" => Some(version.clone()),
        "upstream_version" => Some(upstream_version.clone().unwrap_or_else(|| version.clone())),
        _ => None,
    };
    let resolve = |template: &str| placeholder::expand_known(template, &load_time);
    let resolve_all = |templates: Vec<String>| templates.iter().map(|template| resolve(template)).collect::<Vec<_>>();

    let mut artifacts = Vec::new();
    for (name, artifact) in raw.artifact.unwrap_or_default().0 {
        let kind = ArtifactKind::parse(&artifact.kind).ok_or_else(|| {
            let known = ArtifactKind::ALL.map(ArtifactKind::as_str);
            invalid(
                file,
                format!("{context} artifact `{name}`: unknown kind `{}`; known: {}", artifact.kind, known.join(", ")),
            )
        })?;
        artifacts.push(Artifact {
            name,
            kind,
            url: artifact.url.as_deref().map(resolve),
            package: artifact.package,
            version: artifact.version.as_deref().map(resolve),
            sha256: artifact.sha256,
            size: artifact.size,
            checksum_source: artifact.checksum_source.as_deref().map(resolve),
        });
    }

    let mut services = Vec::new();
    for (name, service) in raw.service.unwrap_or_default().0 {
        let service_context = format!("{context} service `{name}`");
        services.push(Service {
            component: key.to_owned(),
            roles: roles(file, &service_context, &service.roles)?,
            start: resolve(&service.start),
            stop: service.stop.as_deref().map(resolve),
            environment: service.environment.0.into_iter().map(|(name, value)| (name, resolve(&value))).collect(),
            init: resolve_all(service.init),
            post_start: resolve_all(service.post_start),
            depends_on: service.depends_on,
            health: health(file, &service_context, service.health, &resolve)?,
            start_timeout_seconds: service.start_timeout_seconds.unwrap_or(DEFAULT_START_TIMEOUT_SECONDS),
            ports: service.ports,
            config_files: service.config_files,
            name,
        });
    }

    let mut config_files = Vec::new();
    for (name, config) in raw.config.unwrap_or_default().0 {
        let format = ConfigFormat::parse(&config.format).ok_or_else(|| {
            let known = ConfigFormat::ALL.map(ConfigFormat::as_str);
            invalid(
                file,
                format!("{context} config `{name}`: unknown format `{}`; known: {}", config.format, known.join(", ")),
            )
        })?;
        config_files.push(ConfigFile {
            name,
            path: resolve(&config.path),
            format,
            defaults: config.defaults.0.into_iter().map(|(key, value)| (key, resolve(&value))).collect(),
            host_entries: config.host_entries.map(|entries| HostEntries {
                service: entries.service,
                key: resolve(&entries.key),
                value: resolve(&entries.value),
            }),
            mode: config.mode,
        });
    }

    Ok(Component {
        key: key.to_owned(),
        display_name: raw.display_name.ok_or_else(|| invalid(file, format!("{context} has no display_name")))?,
        version_uncertain: raw.version_uncertain.unwrap_or(false),
        description: raw.description.unwrap_or_default(),
        home: raw.home.as_deref().map(resolve),
        roles: roles(file, &context, &raw.roles.unwrap_or_default())?,
        requires: raw.requires.unwrap_or_default(),
        install: resolve_all(raw.install.unwrap_or_default()),
        notes: raw.notes.as_deref().map(resolve),
        artifacts,
        services,
        config_files,
        upstream_version,
        version,
    })
}

fn roles(file: &str, context: &str, names: &[String]) -> Result<Vec<Role>, CatalogError> {
    names
        .iter()
        .map(|name| {
            name.parse::<Role>().map_err(|()| {
                let hint =
                    did_you_mean(name, Role::ALL.map(Role::as_str)).map(|hint| format!("; {hint}")).unwrap_or_default();
                invalid(file, format!("{context}: unknown role `{name}` (roles are MASTER, CORE, TASK, GATEWAY){hint}"))
            })
        })
        .collect()
}

fn health(
    file: &str,
    context: &str,
    raw: RawHealth,
    resolve: &dyn Fn(&str) -> String,
) -> Result<HealthCheck, CatalogError> {
    let missing = |field: &str| invalid(file, format!("{context}: a `{}` health check needs `{field}`", raw.kind));
    let host = || resolve(raw.host.as_deref().unwrap_or("{host_ip}"));
    let check = match raw.kind.as_str() {
        "tcp" => HealthCheck::Tcp { host: host(), port: raw.port.ok_or_else(|| missing("port"))? },
        "http" => HealthCheck::Http {
            url: resolve(raw.url.as_deref().ok_or_else(|| missing("url"))?),
            status: raw.status.unwrap_or(200),
            body_contains_any: raw.body_contains_any.clone().unwrap_or_default(),
        },
        "four_letter_word" => HealthCheck::FourLetterWord {
            host: host(),
            port: raw.port.ok_or_else(|| missing("port"))?,
            send: raw.send.clone().unwrap_or_else(|| "ruok".to_owned()),
            expect: raw.expect.clone().unwrap_or_else(|| "imok".to_owned()),
        },
        "command" => {
            HealthCheck::Command { command: resolve(raw.command.as_deref().ok_or_else(|| missing("command"))?) }
        }
        "process" => HealthCheck::Process,
        other => {
            return Err(invalid(
                file,
                format!(
                    "{context}: unknown health check kind `{other}`; known: tcp, http, four_letter_word, command, process"
                ),
            ));
        }
    };
    Ok(check)
}
