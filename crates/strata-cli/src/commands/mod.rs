//! One file per command; each returns its exit code.

mod apply;
mod backend;
mod drift;
mod fmt;
mod force_unlock;
mod graph;
mod import;
mod job_run;
mod local;
mod logs;
mod output;
mod plan;
mod plugins;
mod release;
mod releases;
mod run;
mod show;
mod state;
mod validate;

use std::collections::BTreeMap;
use std::path::Path;

use strata_config::{Config, InputValues};
use strata_diagnostics::{Diagnostics, SourceFiles};
use strata_value::Value;

use crate::cli::{Command, VariableArgs};
use crate::printer::Printer;

pub use plugins::set_verbose;

pub fn run(command: Command, printer: &Printer) -> u8 {
    match command {
        Command::Validate(args) => validate::run(&args, printer),
        Command::Fmt(args) => fmt::run(&args, printer),
        Command::Graph(args) => graph::run(&args, printer),
        Command::Plan(args) => plan::run(&args, printer),
        Command::Apply(args) => apply::run(&args, false, printer),
        Command::Destroy(args) => apply::run(&args, true, printer),
        Command::Output(args) => output::run(&args, printer),
        Command::Show(args) => show::run(&args, printer),
        Command::State(command) => state::run(&command, printer),
        Command::ForceUnlock(args) => force_unlock::run(&args, printer),
        Command::Import(args) => import::run(&args, printer),
        Command::Drift(args) => drift::run(&args, printer),
        Command::Refresh(mut args) => {
            args.refresh_only = true;
            apply::run(&args, false, printer)
        }
        Command::Run(args) => job_run::run(args, printer),
        Command::Logs(args) => logs::run(&args, printer),
        Command::Local(command) => local::run(&command, printer),
        Command::Releases(command) => releases::run(&command, printer),
    }
}

/// Loads the configuration in the working directory and validates it with the given
/// variable values. Every problem is in the returned diagnostics.
pub(crate) fn load_and_validate(variables: &VariableArgs) -> (Option<Config>, SourceFiles, Diagnostics) {
    let (config, files, diags, _) = load_validate_and_resolve(variables);
    (config, files, diags)
}

/// Like [`load_and_validate`], also returning the root variables' values (`None`: no value).
pub(crate) fn load_validate_and_resolve(
    variables: &VariableArgs,
) -> (Option<Config>, SourceFiles, Diagnostics, BTreeMap<String, Option<Value>>) {
    let mut files = SourceFiles::new();
    let dir = Path::new(".");
    let (config, mut diags) = strata_config::load(dir, &mut files);
    let Some(config) = config else { return (None, files, diags, BTreeMap::new()) };

    let mut inputs = InputValues::discover(dir, std::env::vars(), &mut files, &mut diags);
    for path in &variables.var_files {
        inputs.read_file(path, &mut files, &mut diags);
    }
    for assignment in &variables.vars {
        inputs.set_from_command_line(assignment, &mut diags);
    }
    let values = inputs.resolve(&config.root.module.variables, &mut diags);
    if !diags.has_errors() {
        let catalog = &plugins::for_config(&config, &mut diags).catalog;
        diags.extend(strata_config::validate(&config, catalog, &values));
    }
    diags.sort_and_dedup();
    (Some(config), files, diags, values)
}

/// The runtime for commands that talk to providers.
///
/// One per process, made on first use: provider plugins started while loading the
/// configuration keep their connection tasks on it for the rest of the run.
pub(crate) fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap_or_else(|e| {
            // Without a runtime nothing can run; this only fails when the OS refuses threads.
            panic!("cannot start the async runtime: {e}")
        })
    })
}

/// `--replace` addresses.
pub(crate) fn parse_addresses(
    texts: &[String],
) -> Result<Vec<strata_addrs::ResourceInstanceAddr>, strata_diagnostics::Diagnostic> {
    texts
        .iter()
        .map(|t| {
            t.parse().map_err(|e| {
                strata_diagnostics::Diagnostic::error(
                    "Invalid resource address",
                    format!("\"{t}\" is not a resource instance address: {e}."),
                )
            })
        })
        .collect()
}

/// `--exclude` addresses: resources, resource instances (`ADDR[KEY]`: only that instance),
/// modules or module instances; the same forms as `--target`.
pub(crate) struct Excludes {
    /// Resources (key `None`) and resource instances.
    pub instances: Vec<strata_addrs::ResourceInstanceAddr>,
    /// Whole modules or module instances (`module.web`, `module.web[1]`).
    pub modules: Vec<strata_addrs::ModulePath>,
}

/// Parses `--exclude` addresses.
pub(crate) fn exclude_addresses(texts: &[String]) -> Result<Excludes, strata_diagnostics::Diagnostic> {
    let (instances, modules) = resource_or_module_addresses(texts)?;
    Ok(Excludes { instances, modules })
}

/// Resource instance addresses (key `None`: the resource) and module instance paths, as
/// `--target` and `--exclude` take them.
fn resource_or_module_addresses(
    texts: &[String],
) -> Result<(Vec<strata_addrs::ResourceInstanceAddr>, Vec<strata_addrs::ModulePath>), strata_diagnostics::Diagnostic> {
    let mut addrs = Vec::new();
    let mut modules = Vec::new();
    for text in texts {
        match text.parse::<strata_addrs::ResourceInstanceAddr>() {
            Ok(addr) => addrs.push(addr),
            Err(e) => match text.parse::<strata_addrs::ModulePath>() {
                Ok(module) if !module.is_root() => modules.push(module),
                _ => {
                    return Err(strata_diagnostics::Diagnostic::error(
                        "Invalid resource address",
                        format!(
                            "\"{text}\" is not a resource, resource instance, module or module instance address: {e}."
                        ),
                    )
                    .with_hint("for example strata_data.x, strata_data.x[1], module.web or module.web[1]"));
                }
            },
        }
    }
    Ok((addrs, modules))
}

/// `--target` addresses.
pub(crate) struct Targets {
    /// The resources to plan (of `ADDR[KEY]`, its resource).
    pub resources: Vec<strata_addrs::AbsResourceAddr>,
    /// The instances named with a key of resources not also named whole (only those change).
    pub instances: Vec<strata_addrs::ResourceInstanceAddr>,
    /// Whole modules or module instances (`module.web`, `module.web[1]`).
    pub modules: Vec<strata_addrs::ModulePath>,
}

/// Parses `--target` addresses: resources, resource instances, modules or module instances.
pub(crate) fn target_addresses(texts: &[String]) -> Result<Targets, strata_diagnostics::Diagnostic> {
    let (addrs, modules) = resource_or_module_addresses(texts)?;
    let whole: Vec<&strata_addrs::AbsResourceAddr> =
        addrs.iter().filter(|a| a.key == strata_addrs::InstanceKey::None).map(|a| &a.resource).collect();
    let keyed: Vec<strata_addrs::ResourceInstanceAddr> = addrs
        .iter()
        .filter(|a| a.key != strata_addrs::InstanceKey::None && !whole.contains(&&a.resource))
        .cloned()
        .collect();
    Ok(Targets { resources: addrs.iter().map(|a| a.resource.clone()).collect(), instances: keyed, modules })
}

/// What `--replace`, `--target` and `--exclude` select, parsed once for `plan` and `apply`.
pub(crate) struct Selection {
    replace: Vec<strata_addrs::ResourceInstanceAddr>,
    targets: Targets,
    excludes: Excludes,
}

impl Selection {
    pub(crate) fn parse(
        replace: &[String],
        target: &[String],
        exclude: &[String],
    ) -> Result<Selection, strata_diagnostics::Diagnostic> {
        Ok(Selection {
            replace: parse_addresses(replace)?,
            targets: target_addresses(target)?,
            excludes: exclude_addresses(exclude)?,
        })
    }

    /// The engine's plan options with this selection.
    pub(crate) fn plan_options(
        self,
        mode: strata_plan::PlanMode,
        refresh: bool,
        parallelism: usize,
    ) -> strata_engine::PlanOptions {
        strata_engine::PlanOptions {
            mode,
            refresh,
            replace: self.replace,
            targets: self.targets.resources,
            excludes: self.excludes.instances,
            exclude_modules: self.excludes.modules,
            target_instances: self.targets.instances,
            target_modules: self.targets.modules,
            parallelism,
            free_working_memory: true,
        }
    }
}

/// Large structures (configuration, state, plan) are not freed one value at a time when the
/// process is about to exit anyway: that took a tenth of a plan of 5,000 resources, and the OS
/// reclaims the memory at once. Only for values whose drop has no effect beyond memory.
pub(crate) fn leak_at_exit<T>(value: T) {
    std::mem::forget(value);
}
