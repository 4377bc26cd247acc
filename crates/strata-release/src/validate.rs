//! Checks every release must pass; the builtin catalog is checked by the tests.

use crate::component::ArtifactKind;
use crate::error::Problem;
use crate::placeholder;
use crate::release::Release;

/// Everything wrong with `release` (empty when it is sound).
pub fn validate_release(release: &Release) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut report = |message: String| problems.push(Problem { release: release.name.to_string(), message });

    let mut component_keys: Vec<&str> = Vec::new();
    for component in &release.components {
        let key = component.key.as_str();
        if component_keys.contains(&key) {
            report(format!("component `{key}` is listed twice"));
        }
        component_keys.push(key);
        let well_formed = key.starts_with(|c: char| c.is_ascii_uppercase())
            && key.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
        if !well_formed {
            report(format!("component key `{key}` is not upper-case letters, digits and `_`"));
        }
        if component.version.trim().is_empty() || component.display_name.trim().is_empty() {
            report(format!("component `{key}` needs a display_name and a version"));
        }
        if component.roles.is_empty() {
            report(format!("component `{key}` is installed on no role"));
        }
        for required in &component.requires {
            if required == key || release.component(required).is_none() {
                report(format!(
                    "component `{key}` requires `{required}`, which is not another component of the release"
                ));
            }
        }
    }

    let mut service_names: Vec<&str> = Vec::new();
    for service in release.services() {
        let name = service.name.as_str();
        if service_names.contains(&name) {
            report(format!("service `{name}` is defined twice"));
        }
        service_names.push(name);
        if !(name.starts_with(|c: char| c.is_ascii_lowercase())
            && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
        {
            report(format!("service name `{name}` is not lower-case letters, digits and `-`"));
        }
        let component = release.component(&service.component);
        if service.roles.is_empty() {
            report(format!("service `{name}` runs on no role"));
        }
        for role in &service.roles {
            if component.is_some_and(|component| !component.roles.contains(role)) {
                report(format!(
                    "service `{name}` runs on {role}, where its component `{}` is not installed",
                    service.component
                ));
            }
        }
        for dependency in &service.depends_on {
            if dependency == name || release.service(dependency).is_none() {
                report(format!(
                    "service `{name}` depends on `{dependency}`, which is not another service of the release"
                ));
            }
        }
        for file in &service.config_files {
            if release.config_file(file).is_none() {
                report(format!("service `{name}` reads config file `{file}`, which the release does not have"));
            }
        }
        if service.start_timeout_seconds == 0 {
            report(format!("service `{name}` has a start timeout of 0 seconds"));
        }
    }
    if let Err(error) = release.full_start_order() {
        report(format!("the services cannot be ordered: {error}"));
    }

    let services: Vec<_> = release.services().collect();
    for (position, first) in services.iter().enumerate() {
        for second in &services[position + 1..] {
            let share_a_role = first.roles.iter().any(|role| second.roles.contains(role));
            if let Some(port) = first.ports.iter().find(|port| share_a_role && second.ports.contains(port)) {
                report(format!(
                    "services `{}` and `{}` may share a host and both listen on port {port}",
                    first.name, second.name
                ));
            }
        }
    }

    let mut config_names: Vec<&str> = Vec::new();
    for (component, file) in release.config_files() {
        if config_names.contains(&file.name.as_str()) {
            report(format!("config file `{}` is defined twice", file.name));
        }
        config_names.push(&file.name);
        if let Some(entries) = &file.host_entries
            && release.service(&entries.service).is_none()
        {
            report(format!("config file `{}` repeats entries for unknown service `{}`", file.name, entries.service));
        }
        if let Some(mode) = &file.mode
            && (!(3..=4).contains(&mode.len()) || !mode.chars().all(|c| ('0'..='7').contains(&c)))
        {
            report(format!("config file `{}` has mode `{mode}`, which is not octal", file.name));
        }
        let mut keys: Vec<&str> = Vec::new();
        for (key, _) in &file.defaults {
            if keys.contains(&key.as_str()) {
                report(format!("config file `{}` of `{}` sets `{key}` twice", file.name, component.key));
            }
            keys.push(key);
        }
    }

    for component in &release.components {
        for artifact in &component.artifacts {
            let context = format!("component `{}` artifact `{}`", component.key, artifact.name);
            if let Some(sha256) = &artifact.sha256
                && (sha256.len() != 64 || !sha256.chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)))
            {
                report(format!("{context}: sha256 is not 64 lower-case hex digits"));
            }
            if artifact.is_downloaded() && artifact.url.is_none() {
                report(format!("{context}: a {} artifact needs a url", artifact.kind));
            }
            if matches!(artifact.kind, ArtifactKind::Deb | ArtifactKind::System)
                && (artifact.package.is_none() || artifact.version.is_none())
            {
                report(format!("{context}: a {} artifact needs a package and its version", artifact.kind));
            }
            if release.installable {
                if artifact.is_downloaded() && artifact.sha256.is_none() {
                    report(format!("{context}: an installable release needs the sha256 of every downloaded artifact"));
                }
                if artifact.kind == ArtifactKind::Image {
                    report(format!("{context}: an installable release cannot depend on a machine image"));
                }
            }
        }
        if release.installable
            && component.artifacts.iter().any(|artifact| artifact.is_downloaded())
            && component.install.is_empty()
        {
            report(format!("component `{}` downloads artifacts but says nothing about installing them", component.key));
        }
    }

    for (context, template, extra) in templates(release) {
        for name in placeholder::names(template) {
            if !known_placeholder(release, name, extra) {
                report(format!("{context}: unknown placeholder `{{{name}}}` in `{template}`"));
            }
        }
    }

    problems
}

fn known_placeholder(release: &Release, name: &str, extra: &[&str]) -> bool {
    if placeholder::COMMON.contains(&name) || extra.contains(&name) {
        return true;
    }
    placeholder::COMPONENT_SUFFIXES.iter().any(|suffix| {
        name.strip_suffix(suffix).is_some_and(|key| {
            let component = release.component(&key.to_ascii_uppercase());
            component.is_some_and(|component| *suffix != "_home" || component.home.is_some())
        })
    })
}

/// Every template of the release with where it is and the placeholders allowed there besides
/// the common ones.
fn templates(release: &Release) -> Vec<(String, &str, &'static [&'static str])> {
    let mut found: Vec<(String, &str, &'static [&'static str])> = Vec::new();
    for component in &release.components {
        let context = format!("component `{}`", component.key);
        for template in component.home.iter().chain(&component.install).chain(&component.notes) {
            found.push((context.clone(), template, &[]));
        }
        for artifact in &component.artifacts {
            for template in artifact.url.iter().chain(&artifact.checksum_source) {
                found.push((format!("{context} artifact `{}`", artifact.name), template, &[]));
            }
        }
        for service in &component.services {
            let context = format!("service `{}`", service.name);
            let mut all: Vec<&str> = vec![&service.start];
            all.extend(service.environment.iter().map(|(_, value)| value.as_str()));
            all.extend(service.init.iter().chain(&service.post_start).map(String::as_str));
            all.extend(service.health.templates());
            found.extend(all.into_iter().map(|template| (context.clone(), template, &[] as &[&str])));
            if let Some(stop) = &service.stop {
                found.push((context.clone(), stop, placeholder::STOP_ONLY));
            }
        }
        for file in &component.config_files {
            let context = format!("config file `{}`", file.name);
            found.push((context.clone(), &file.path, &[]));
            for (key, value) in &file.defaults {
                found.push((context.clone(), key, &[]));
                found.push((context.clone(), value, &[]));
            }
            if let Some(entries) = &file.host_entries {
                found.push((context.clone(), &entries.key, placeholder::HOST_ENTRY_ONLY));
                found.push((context.clone(), &entries.value, placeholder::HOST_ENTRY_ONLY));
            }
        }
    }
    found
}
