//! Reading catalog files: HCL → raw structs (serde) → the public model.
//!
//! A file whose stem is a release name (`EMR-3.2.0.hcl`) is a release; any other file
//! (`emr-components.hcl`) holds component templates a release can build on with
//! `component_templates = "FILE"`: each of its components starts from the template of the
//! same key, and what the release states (at least `version`) replaces the template's value.
//! `{version}` and `{upstream_version}` are filled in here, in every template of a component.
//!
//! A release file with `based_on = "NAME"` starts from that release's components as written
//! (templates applied, placeholders not yet filled in), changes them with `patch` blocks and
//! may add components (`based_on.rs`); bases are resolved first, whatever the file order.

use std::collections::BTreeMap;

use serde::Deserialize;
use strata_diagnostics::did_you_mean;

use crate::based_on::{self, RawComponentPatch, Source};
use crate::component::{Artifact, ArtifactKind, Component};
use crate::config_file::{ConfigFile, ConfigFormat, HostEntries};
use crate::error::CatalogError;
use crate::labeled::Labeled;
use crate::locate::Step;
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
    /// The release whose components this one starts from (see `based_on`).
    #[serde(default)]
    based_on: Option<String>,
    #[serde(default)]
    remove_components: Vec<String>,
    #[serde(default)]
    patch: Labeled<RawComponentPatch>,
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
pub(crate) struct RawComponent {
    pub(crate) display_name: Option<String>,
    pub(crate) version: Option<String>,
    pub(crate) version_uncertain: Option<bool>,
    pub(crate) upstream_version: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) home: Option<String>,
    pub(crate) roles: Option<Vec<String>>,
    pub(crate) requires: Option<Vec<String>>,
    pub(crate) install: Option<Vec<String>>,
    pub(crate) notes: Option<String>,
    pub(crate) artifact: Option<Labeled<RawArtifact>>,
    pub(crate) service: Option<Labeled<RawService>>,
    pub(crate) config: Option<Labeled<RawConfig>>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawArtifact {
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
pub(crate) struct RawService {
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
pub(crate) struct RawHealth {
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
pub(crate) struct RawConfig {
    pub(crate) path: String,
    pub(crate) format: String,
    #[serde(default)]
    pub(crate) defaults: Labeled<String>,
    pub(crate) host_entries: Option<RawHostEntries>,
    pub(crate) mode: Option<String>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawHostEntries {
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
            raw_releases.push((Source { file, text }, raw));
        } else {
            let raw: RawTemplates = hcl::from_str(text).map_err(|error| parse_error(file, &error))?;
            templates.insert(file, raw);
        }
    }

    let mut entries: Vec<Entry<'_>> = Vec::with_capacity(raw_releases.len());
    for (source, raw) in raw_releases {
        let entry = entry(source, raw)?;
        if let Some(first) = entries.iter().find(|other| other.name == entry.name) {
            return Err(CatalogError::DuplicateRelease {
                name: entry.name.to_string(),
                first: first.source.file.to_owned(),
                second: source.file.to_owned(),
            });
        }
        entries.push(entry);
    }

    let mut resolver = Resolver { entries, templates: &templates, resolved: BTreeMap::new() };
    for index in 0..resolver.entries.len() {
        resolver.components(index, &mut Vec::new())?;
    }
    let Resolver { entries, mut resolved, .. } = resolver;
    let mut releases: Vec<Release> = Vec::with_capacity(entries.len());
    for (index, entry) in entries.into_iter().enumerate() {
        let file = entry.source.file;
        let mut components = Vec::new();
        for (key, raw_component) in resolved.remove(&index).unwrap_or_default() {
            components.push(build_component(file, &key, raw_component)?);
        }
        releases.push(Release {
            name: entry.name,
            released: entry.header.released,
            status: entry.status,
            installable: entry.header.installable,
            notes: entry.header.notes,
            description: entry.header.description,
            components,
            source_file: file.to_owned(),
        });
    }
    releases.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(releases)
}

/// A release file read, its components not yet resolved.
struct Entry<'a> {
    source: Source<'a>,
    name: ReleaseName,
    status: ReleaseStatus,
    header: Header,
    /// Taken when its components are resolved.
    body: Option<ReleaseBody>,
}

/// The release-level fields, never inherited.
struct Header {
    released: String,
    installable: bool,
    notes: String,
    description: Option<String>,
}

struct ReleaseBody {
    component_templates: Option<String>,
    based_on: Option<String>,
    remove_components: Vec<String>,
    patch: Labeled<RawComponentPatch>,
    component: Labeled<RawComponent>,
}

fn entry(source: Source<'_>, raw: RawRelease) -> Result<Entry<'_>, CatalogError> {
    let file = source.file;
    let name = ReleaseName::parse(&raw.name).map_err(|error| invalid(file, error.to_string()))?;
    if file.strip_suffix(".hcl") != Some(raw.name.as_str()) {
        return Err(invalid(file, format!("release `{}` must live in `{}.hcl`", raw.name, raw.name)));
    }
    let status = ReleaseStatus::parse(&raw.status).ok_or_else(|| {
        let known = ReleaseStatus::ALL.map(ReleaseStatus::as_str);
        invalid(file, format!("unknown status `{}`; known: {}", raw.status, known.join(", ")))
    })?;
    if raw.based_on.is_none()
        && let Some((key, _)) = raw.patch.0.first()
    {
        return Err(source.error(
            &[Step::Block("patch", key)],
            format!("`patch \"{key}\"` changes a base release, but this file has no `based_on`"),
            format!(
                "name the release it changes, `based_on = \"{}-{}.{}.0\"`, or write the component in full \
                 with `component \"{key}\" {{ ... }}`",
                name.line, name.version.major, name.version.minor
            ),
        ));
    }
    if raw.based_on.is_none() && !raw.remove_components.is_empty() {
        return Err(source.error(
            &[Step::Attribute("remove_components")],
            "`remove_components` removes components of a base release, but this file has no `based_on`".to_owned(),
            "name the release it changes with `based_on`, or leave the components out".to_owned(),
        ));
    }
    Ok(Entry {
        source,
        name,
        status,
        header: Header {
            released: raw.released,
            installable: raw.installable,
            notes: raw.notes,
            description: raw.description,
        },
        body: Some(ReleaseBody {
            component_templates: raw.component_templates,
            based_on: raw.based_on,
            remove_components: raw.remove_components,
            patch: raw.patch,
            component: raw.component,
        }),
    })
}

/// Resolves every release's components, a base before the releases based on it.
struct Resolver<'a, 't> {
    entries: Vec<Entry<'a>>,
    templates: &'t BTreeMap<&'a str, RawTemplates>,
    /// By index in `entries`: the components as written (templates applied, placeholders not
    /// filled in), what a release based on it starts from.
    resolved: BTreeMap<usize, Vec<(String, RawComponent)>>,
}

impl Resolver<'_, '_> {
    /// `chain`: the releases being resolved because a release is based on the next.
    fn components(&mut self, index: usize, chain: &mut Vec<ReleaseName>) -> Result<(), CatalogError> {
        if self.resolved.contains_key(&index) {
            return Ok(());
        }
        let entry = &mut self.entries[index];
        let (source, name) = (entry.source, entry.name.clone());
        let Some(body) = entry.body.take() else {
            // Only a loop comes back to a release being resolved, and `check_base` refuses it.
            return Ok(());
        };
        let ReleaseBody { component_templates, based_on, remove_components, patch, component } = body;
        let own = own_components(source.file, component_templates.as_deref(), component, self.templates)?;
        chain.push(name.clone());
        let mut components = match &based_on {
            Some(base) => {
                let known: Vec<&ReleaseName> = self.entries.iter().map(|entry| &entry.name).collect();
                let base_index = based_on::check_base(source, &name, base, &known, chain)?;
                self.components(base_index, chain)?;
                let base_name = self.entries[base_index].name.clone();
                let base_components = self.resolved.get(&base_index).cloned().unwrap_or_default();
                based_on::apply_patches(source, &base_name, base_components, &remove_components, patch)?
            }
            None => Vec::new(),
        };
        chain.pop();
        for (key, raw_component) in own {
            if let Some(base) = &based_on
                && components.iter().any(|(known, _)| *known == key)
            {
                return Err(source.error(
                    &[Step::Block("component", &key)],
                    format!("`component \"{key}\"` is already a component of `{base}`, which this release is based on"),
                    format!("change it with `patch \"{key}\" {{ ... }}`, which states only what differs"),
                ));
            }
            components.push((key, raw_component));
        }
        self.resolved.insert(index, components);
        Ok(())
    }
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

/// The components a release file writes itself, each over its template when it names a
/// template file.
fn own_components(
    file: &str,
    component_templates: Option<&str>,
    written: Labeled<RawComponent>,
    templates: &BTreeMap<&str, RawTemplates>,
) -> Result<Vec<(String, RawComponent)>, CatalogError> {
    let template_set = match component_templates {
        Some(template_file) => Some(templates.get(template_file).ok_or_else(|| {
            invalid(file, format!("component_templates names `{template_file}`, which is not a catalog file"))
        })?),
        None => None,
    };
    let mut components = Vec::with_capacity(written.0.len());
    for (key, raw_component) in written.0 {
        let merged = match template_set {
            Some(set) => {
                let template =
                    set.component.0.iter().find(|(template_key, _)| *template_key == key).ok_or_else(|| {
                        invalid(
                            file,
                            format!("component `{key}` has no template in `{}`", component_templates.unwrap_or("")),
                        )
                    })?;
                overlay(template.1.clone(), raw_component)
            }
            None => raw_component,
        };
        components.push((key, merged));
    }
    Ok(components)
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
