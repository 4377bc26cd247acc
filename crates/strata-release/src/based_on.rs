//! Releases written as their base plus the changes: `based_on = "STRATA-1.0.0"`.
//!
//! Such a release starts from every component of its base (as the base's file states them,
//! before placeholders are filled in) and changes them with `patch "KEY"` blocks; it may drop
//! some (`remove_components = ["KEY"]`) and add components with ordinary `component` blocks (a
//! removed key written again as a `component` replaces the base's component whole). Release-level fields (name, released, status,
//! installable, notes, description) are never inherited. A patch that names a component,
//! artifact, config file or default the base does not have is refused: a typo must not
//! silently change nothing.
//!
//! ```hcl
//! patch "SPARK" {
//!   version = "4.3.1"                        # any plain field of a component: replaced
//!   artifact "pyspark" { ... }               # replaces the base's artifact of that name
//!   add_artifact "extra" { ... }             # an artifact the base does not have
//!   remove_artifacts = ["py4j"]
//!   service "spark-master" { ... }           # the same three for services
//!   add_service "spark-connect" { ... }
//!   remove_services = ["spark-history-server"]
//!   config "spark-defaults.conf" {
//!     set_defaults    = { "spark.executor.memory" = "1g" }   # keys the base has, in place
//!     add_defaults    = { "spark.decommission.enabled" = "true" }   # new keys, at the end
//!     remove_defaults = ["spark.eventLog.dir"]
//!   }
//! }
//! ```

use serde::Deserialize;
use strata_diagnostics::did_you_mean;

use crate::error::CatalogError;
use crate::labeled::Labeled;
use crate::load::{RawArtifact, RawComponent, RawConfig, RawService};
use crate::locate::{Step, locate};
use crate::version::ReleaseName;

/// The changes a release makes to one component of its base.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawComponentPatch {
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
    #[serde(default)]
    artifact: Labeled<RawArtifact>,
    #[serde(default)]
    add_artifact: Labeled<RawArtifact>,
    #[serde(default)]
    remove_artifacts: Vec<String>,
    #[serde(default)]
    service: Labeled<RawService>,
    #[serde(default)]
    add_service: Labeled<RawService>,
    #[serde(default)]
    remove_services: Vec<String>,
    #[serde(default)]
    config: Labeled<RawConfigPatch>,
}

/// The changes a release makes to the defaults of one config file of its base.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawConfigPatch {
    #[serde(default)]
    set_defaults: Labeled<String>,
    #[serde(default)]
    add_defaults: Labeled<String>,
    #[serde(default)]
    remove_defaults: Vec<String>,
}

/// A catalog file, for diagnostics that point into it.
#[derive(Clone, Copy)]
pub(crate) struct Source<'a> {
    pub file: &'a str,
    pub text: &'a str,
}

impl Source<'_> {
    pub(crate) fn error(&self, path: &[Step<'_>], message: String, hint: impl Into<Option<String>>) -> CatalogError {
        let (line, column) = locate(self.text, path);
        CatalogError::At { file: self.file.to_owned(), line, column, message, hint: hint.into() }
    }
}

/// Checks that `base` may be the base of `release`: a release of the catalog (`known`), on
/// the same line and the same major.minor, and not already in the chain being resolved
/// (`chain`, outermost first, ending with `release`). Returns its index in `known`.
pub(crate) fn check_base(
    source: Source<'_>,
    release: &ReleaseName,
    base: &str,
    known: &[&ReleaseName],
    chain: &[ReleaseName],
) -> Result<usize, CatalogError> {
    let at = [Step::Attribute("based_on")];
    let Some(index) = known.iter().position(|name| name.to_string() == base) else {
        let names: Vec<String> = known.iter().filter(|name| **name != release).map(ToString::to_string).collect();
        let hint = did_you_mean(base, names.iter().map(String::as_str))
            .unwrap_or_else(|| "name a release of the catalog, like `based_on = \"STRATA-1.0.0\"`".to_owned());
        return Err(source.error(
            &at,
            format!("`based_on` names `{base}`, which is not a release of the catalog"),
            hint,
        ));
    };
    let base_name = known[index];
    let same_minor = base_name.line == release.line
        && base_name.version.major == release.version.major
        && base_name.version.minor == release.version.minor;
    if !same_minor {
        let line = format!("{}-{}.{}.x", release.line, release.version.major, release.version.minor);
        return Err(source.error(
            &at,
            format!("release `{release}` cannot be based on `{base_name}`, which is not of its release line {line}"),
            format!(
                "a release based on another is a fix release, installed in place of its base: name a release of \
                 {line}, or write this release's components in full"
            ),
        ));
    }
    if let Some(start) = chain.iter().position(|name| name == base_name) {
        let mut path: Vec<String> = chain[start..].iter().map(ToString::to_string).collect();
        path.push(base_name.to_string());
        return Err(source.error(
            &at,
            format!("releases are based on each other in a loop: {}", path.join(" -> ")),
            "one release of the loop must state its components in full instead of `based_on`".to_owned(),
        ));
    }
    Ok(index)
}

/// The base's components without the `removed` ones and with `patches` applied (in the
/// base's order).
pub(crate) fn apply_patches(
    source: Source<'_>,
    base: &ReleaseName,
    mut components: Vec<(String, RawComponent)>,
    removed: &[String],
    patches: Labeled<RawComponentPatch>,
) -> Result<Vec<(String, RawComponent)>, CatalogError> {
    let all: Vec<String> = components.iter().map(|(key, _)| key.clone()).collect();
    for key in removed {
        let Some(position) = components.iter().position(|(known, _)| known == key) else {
            let known: Vec<&str> = all.iter().map(String::as_str).collect();
            return Err(source.error(
                &[Step::Attribute("remove_components"), Step::Item(key)],
                format!("`remove_components` names `{key}`, but `{base}` has no component of that name"),
                suggestion(key, &format!("the components of `{base}` are"), &known),
            ));
        };
        components.remove(position);
    }
    for (key, patch) in patches.0 {
        let Some((_, component)) = components.iter_mut().find(|(base_key, _)| *base_key == key) else {
            let keys = components.iter().map(|(key, _)| key.as_str());
            let hint = did_you_mean(&key, keys).unwrap_or_else(|| {
                format!("a component the base does not have is written in full: `component \"{key}\" {{ ... }}`")
            });
            return Err(source.error(
                &[Step::Block("patch", &key)],
                format!("`patch \"{key}\"` changes a component, but `{base}` has none of that name"),
                hint,
            ));
        };
        apply_patch(source, base, &key, component, patch)?;
    }
    Ok(components)
}

fn apply_patch(
    source: Source<'_>,
    base: &ReleaseName,
    key: &str,
    component: &mut RawComponent,
    patch: RawComponentPatch,
) -> Result<(), CatalogError> {
    let replace = |field: &mut Option<String>, value: Option<String>| {
        if value.is_some() {
            *field = value;
        }
    };
    replace(&mut component.display_name, patch.display_name);
    replace(&mut component.version, patch.version);
    replace(&mut component.upstream_version, patch.upstream_version);
    replace(&mut component.description, patch.description);
    replace(&mut component.home, patch.home);
    replace(&mut component.notes, patch.notes);
    if patch.version_uncertain.is_some() {
        component.version_uncertain = patch.version_uncertain;
    }
    for (field, value) in [
        (&mut component.roles, patch.roles),
        (&mut component.requires, patch.requires),
        (&mut component.install, patch.install),
    ] {
        if value.is_some() {
            *field = value;
        }
    }

    let artifacts = &mut component.artifact.get_or_insert_with(Labeled::default).0;
    let changes = (patch.artifact, patch.add_artifact, patch.remove_artifacts);
    patch_named(source, (base, key), &ARTIFACTS, artifacts, changes)?;
    let services = &mut component.service.get_or_insert_with(Labeled::default).0;
    let changes = (patch.service, patch.add_service, patch.remove_services);
    patch_named(source, (base, key), &SERVICES, services, changes)?;
    let configs = &mut component.config.get_or_insert_with(Labeled::default).0;
    for (name, config_patch) in patch.config.0 {
        patch_config(source, base, key, configs, &name, config_patch)?;
    }
    Ok(())
}

/// Entries of a component with a name (artifacts, services) and how a patch changes them.
struct Named {
    /// `artifact`: the block that replaces one, and the noun in messages.
    noun: &'static str,
    /// `an artifact`
    a_noun: &'static str,
    /// `add_artifact`
    add: &'static str,
    /// `remove_artifacts`
    remove: &'static str,
}

const ARTIFACTS: Named =
    Named { noun: "artifact", a_noun: "an artifact", add: "add_artifact", remove: "remove_artifacts" };
const SERVICES: Named = Named { noun: "service", a_noun: "a service", add: "add_service", remove: "remove_services" };

/// Replaces (`artifact "NAME"`), adds (`add_artifact "NAME"`), then removes
/// (`remove_artifacts`) entries; the same for services.
fn patch_named<T>(
    source: Source<'_>,
    (base, key): (&ReleaseName, &str),
    named: &Named,
    entries: &mut Vec<(String, T)>,
    (replaced, added, removed): (Labeled<T>, Labeled<T>, Vec<String>),
) -> Result<(), CatalogError> {
    let Named { noun, a_noun, add, remove } = named;
    let names = |entries: &[(String, T)]| entries.iter().map(|(name, _)| name.clone()).collect::<Vec<_>>();
    for (name, entry) in replaced.0 {
        let Some(slot) = entries.iter_mut().find(|(known, _)| *known == name) else {
            let known = names(entries);
            let hint = did_you_mean(&name, known.iter().map(String::as_str))
                .unwrap_or_else(|| format!("to add {a_noun}, write `{add} \"{name}\" {{ ... }}`"));
            return Err(source.error(
                &[Step::Block("patch", key), Step::Block(noun, &name)],
                format!(
                    "`{noun} \"{name}\"` replaces {a_noun}, but component `{key}` of `{base}` has none of that name"
                ),
                hint,
            ));
        };
        slot.1 = entry;
    }
    for (name, entry) in added.0 {
        if entries.iter().any(|(known, _)| *known == name) {
            return Err(source.error(
                &[Step::Block("patch", key), Step::Block(add, &name)],
                format!("`{add} \"{name}\"` adds {a_noun} that component `{key}` of `{base}` already has"),
                format!("to replace it, write `{noun} \"{name}\" {{ ... }}`"),
            ));
        }
        entries.push((name, entry));
    }
    for name in removed {
        let Some(position) = entries.iter().position(|(known, _)| *known == name) else {
            let known = names(entries);
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            return Err(source.error(
                &[Step::Block("patch", key), Step::Attribute(remove), Step::Item(&name)],
                format!("`{remove}` names `{name}`, but component `{key}` of `{base}` has no {noun} of that name"),
                suggestion(&name, &format!("its {noun}s are"), &known),
            ));
        };
        entries.remove(position);
    }
    Ok(())
}

/// Sets, removes, then adds defaults of the config file `name`.
fn patch_config(
    source: Source<'_>,
    base: &ReleaseName,
    key: &str,
    configs: &mut [(String, RawConfig)],
    name: &str,
    config_patch: RawConfigPatch,
) -> Result<(), CatalogError> {
    let Some((_, config)) = configs.iter_mut().find(|(known, _)| known == name) else {
        let known: Vec<&str> = configs.iter().map(|(known, _)| known.as_str()).collect();
        let hint = did_you_mean(name, known.iter().copied())
            .unwrap_or_else(|| format!("component `{key}` of `{base}` has the config files: {}", quoted(&known)));
        return Err(source.error(
            &[Step::Block("patch", key), Step::Block("config", name)],
            format!(
                "`config \"{name}\"` changes a config file, but component `{key}` of `{base}` has none of that name"
            ),
            hint,
        ));
    };
    let at = |attribute, item| {
        [Step::Block("patch", key), Step::Block("config", name), Step::Attribute(attribute), Step::Item(item)]
    };
    let defaults = &mut config.defaults.0;
    for (default, value) in config_patch.set_defaults.0 {
        let Some(slot) = defaults.iter_mut().find(|(known, _)| *known == default) else {
            let hint = did_you_mean(&default, defaults.iter().map(|(known, _)| known.as_str()))
                .unwrap_or_else(|| "to add a default the base does not have, write it in `add_defaults`".to_owned());
            return Err(source.error(
                &at("set_defaults", &default),
                format!("`set_defaults` changes `{default}`, which `{name}` of `{base}` does not have"),
                hint,
            ));
        };
        slot.1 = value;
    }
    for default in config_patch.remove_defaults {
        let Some(position) = defaults.iter().position(|(known, _)| *known == default) else {
            return Err(source.error(
                &at("remove_defaults", &default),
                format!("`remove_defaults` names `{default}`, which `{name}` of `{base}` does not have"),
                suggestion(
                    &default,
                    "its defaults are",
                    &defaults.iter().map(|(known, _)| known.as_str()).collect::<Vec<_>>(),
                ),
            ));
        };
        defaults.remove(position);
    }
    for (default, value) in config_patch.add_defaults.0 {
        if defaults.iter().any(|(known, _)| *known == default) {
            return Err(source.error(
                &at("add_defaults", &default),
                format!("`add_defaults` adds `{default}`, which `{name}` of `{base}` already has"),
                "to change its value, write it in `set_defaults`".to_owned(),
            ));
        }
        defaults.push((default, value));
    }
    Ok(())
}

/// `did you mean `NAME`?` when a known name is near `given`, else `{known_are}: `A`, `B``.
fn suggestion(given: &str, known_are: &str, known: &[&str]) -> String {
    did_you_mean(given, known.iter().copied()).unwrap_or_else(|| match known {
        [] => format!("{known_are} none: remove `{given}`"),
        _ => format!("{known_are}: {}", quoted(known)),
    })
}

fn quoted(names: &[&str]) -> String {
    names.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ")
}
