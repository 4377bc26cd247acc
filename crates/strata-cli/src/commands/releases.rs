//! `strata releases list | show NAME | diff A B`: the release catalog (`strata-release`) as
//! text on stdout.

use std::collections::BTreeMap;
use std::fmt::Write;

use strata_release::{Catalog, Release, ReleaseName, VersionChange};

use crate::cli::ReleasesCommand;
use crate::printer::Printer;

pub fn run(command: &ReleasesCommand, printer: &Printer) -> u8 {
    let catalog = Catalog::builtin();
    let text = match command {
        ReleasesCommand::List => Ok(list(catalog)),
        ReleasesCommand::Show { name } => catalog.get(name).map(show),
        ReleasesCommand::Diff { from, to } => match (catalog.get(from), catalog.get(to)) {
            (Ok(a), Ok(b)) => Ok(diff(a, b)),
            (Err(e), _) | (_, Err(e)) => Err(e),
        },
    };
    match text {
        Ok(text) => {
            printer.data(&text);
            0
        }
        Err(unknown) => {
            printer.error(&format!("{unknown}; `strata releases list` shows every release"));
            1
        }
    }
}

fn list(catalog: &Catalog) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{:<14} {:<8} {:<16} {:<11} components", "RELEASE", "DATE", "STATUS", "INSTALLS");
    for release in catalog.list() {
        let installs = if release.installable { "here" } else { "mirrors" };
        let components: Vec<String> =
            release.components.iter().map(|c| format!("{} {}", c.display_name, c.version_as_stated())).collect();
        let _ = writeln!(
            out,
            "{:<14} {:<8} {:<16} {:<11} {}",
            release.name.to_string(),
            release.released,
            release.status.as_str(),
            installs,
            components.join(", ")
        );
    }
    out
}

fn show(release: &Release) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}  ({}, {})", release.name, release.released, release.status.as_str());
    if release.status.warns() {
        let _ = writeln!(out, "warning: this release is {}; prefer a current one", release.status.as_str());
    }
    let installs = if release.installable {
        "installs on this machine (every artifact pinned by sha256)"
    } else {
        "artifacts come from upstream mirrors; not installable from this machine"
    };
    let _ = writeln!(out, "{installs}");
    if !release.notes.is_empty() {
        let _ = writeln!(out, "\n{}", release.notes);
    }
    let _ = writeln!(out, "\ncomponents:");
    for component in &release.components {
        let roles: Vec<&str> = component.roles.iter().map(|r| r.as_str()).collect();
        let _ = writeln!(
            out,
            "  {:<24} {:<18} roles: {}",
            component.display_name,
            component.version_as_stated(),
            roles.join(", ")
        );
        for service in &component.services {
            let roles: Vec<&str> = service.roles.iter().map(|r| r.as_str()).collect();
            let depends = if service.depends_on.is_empty() {
                String::new()
            } else {
                format!(", after {}", service.depends_on.join(", "))
            };
            let _ = writeln!(
                out,
                "    service {} on {} (health: {}{depends})",
                service.name,
                roles.join(", "),
                service.health.kind()
            );
        }
    }
    match release.full_start_order() {
        Ok(order) => {
            let _ = writeln!(out, "\nstart order (services in one step start in parallel):");
            for (step, wave) in order.waves().iter().enumerate() {
                let names: Vec<&str> = wave.iter().map(|s| s.name.as_str()).collect();
                let _ = writeln!(out, "  {}. {}", step + 1, names.join(", "));
            }
        }
        Err(error) => {
            let _ = writeln!(out, "\nstart order: {error}");
        }
    }
    out
}

fn diff(from: &Release, to: &Release) -> String {
    let mut out = String::new();
    let kind = match ReleaseName::change(&from.name, &to.name) {
        Some(VersionChange::Same) => "the same release".to_owned(),
        Some(VersionChange::Patch) => "a patch: fixes only, upgraded in place (rolling)".to_owned(),
        Some(VersionChange::Minor) => "component versions change: the cluster is replaced".to_owned(),
        Some(VersionChange::Major) => "a major change: the cluster is replaced".to_owned(),
        Some(VersionChange::Downgrade)
            if from.name.version.major == to.name.version.major && from.name.version.minor == to.name.version.minor =>
        {
            "a patch-level downgrade: the fixes are taken back, in place (rolling)".to_owned()
        }
        Some(VersionChange::Downgrade) => "a downgrade: the cluster is replaced".to_owned(),
        None => "another release line: the cluster is replaced".to_owned(),
    };
    let _ = writeln!(out, "{} -> {}: {kind}", from.name, to.name);
    let versions = |release: &Release| -> BTreeMap<String, (String, String)> {
        release.components.iter().map(|c| (c.key.clone(), (c.display_name.clone(), c.version_as_stated()))).collect()
    };
    let (a, b) = (versions(from), versions(to));
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        match (a.get(key), b.get(key)) {
            (Some((name, va)), Some((_, vb))) if va != vb => {
                let _ = writeln!(out, "  ~ {name} {va} -> {vb}");
            }
            (Some(_), Some(_)) => {}
            (Some((name, va)), None) => {
                let _ = writeln!(out, "  - {name} {va}");
            }
            (None, Some((name, vb))) => {
                let _ = writeln!(out, "  + {name} {vb}");
            }
            (None, None) => {}
        }
    }
    out
}
