//! `strata run ADDR`: runs a job again on demand. It is `strata apply --replace ADDR --target
//! ADDR`: the instance is replaced (a job runs again), and what it needs (its cluster) is
//! refreshed and planned with it, so it is only changed if it drifted. An address the
//! configuration does not declare is refused before anything starts.

use std::path::Path;

use strata_addrs::{InstanceKey, ResourceInstanceAddr, ResourceMode};
use strata_config::Config;
use strata_diagnostics::{Diagnostic, SourceFiles};

use crate::cli::{ApplyArgs, JobRunArgs, RunArgs};
use crate::printer::Printer;

pub fn run(args: JobRunArgs, printer: &Printer) -> u8 {
    let mut files = SourceFiles::new();
    let (config, diags) = strata_config::load(Path::new("."), &mut files);
    let Some(config) = config.filter(|_| !diags.has_errors()) else {
        printer.diagnostics(&diags, &files);
        return 1;
    };
    let addr = match super::parse_addresses(std::slice::from_ref(&args.address)) {
        Ok(mut addrs) => addrs.remove(0),
        Err(d) => {
            printer.diagnostics(&d.into(), &files);
            return 1;
        }
    };
    if let Err(d) = check_declared(&config, &addr) {
        printer.diagnostics(&d.into(), &files);
        return 1;
    }
    let apply = ApplyArgs {
        plan_file: None,
        auto_approve: args.auto_approve,
        refresh_only: false,
        parallelism: args.parallelism,
        run: RunArgs {
            refresh: true,
            replace: vec![args.address.clone()],
            target: vec![args.address],
            exclude: Vec::new(),
            lock_timeout: args.lock_timeout,
            variables: args.variables,
        },
    };
    super::apply::run(&apply, false, printer)
}

/// `addr` names a managed resource of the configuration, with an instance key when (and only
/// when) it has `count` or `for_each`.
fn check_declared(config: &Config, addr: &ResourceInstanceAddr) -> Result<(), Diagnostic> {
    let declared = config
        .module(&addr.resource.module)
        .and_then(|node| node.module.resources.get(&addr.resource.resource))
        .filter(|resource| resource.addr.mode == ResourceMode::Managed);
    let Some(resource) = declared else {
        let names: Vec<String> = config
            .root
            .walk()
            .into_iter()
            .flat_map(|node| {
                node.module.resources.values().filter(|r| r.addr.mode == ResourceMode::Managed).map(|r| {
                    strata_addrs::AbsResourceAddr { module: node.path.clone(), resource: r.addr.clone() }.to_string()
                })
            })
            .collect();
        let mut diagnostic = Diagnostic::error(
            "Resource not in configuration",
            format!(
                "{addr} is not a managed resource of this configuration: strata run runs again what the \
                 configuration declares."
            ),
        );
        if let Some(name) =
            strata_diagnostics::did_you_mean(&addr.resource.to_string(), names.iter().map(String::as_str))
        {
            diagnostic = diagnostic.with_hint(name);
        }
        return Err(diagnostic);
    };
    let expanded = resource.count.is_some() || resource.for_each.is_some();
    match (&addr.key, expanded) {
        (InstanceKey::None, true) => Err(Diagnostic::error(
            "Instance key required",
            format!("{addr} has count or for_each: name one of its instances, such as {addr}[0] or {addr}[\"key\"]."),
        )
        .with_subject(resource.decl_span)),
        (InstanceKey::Int(_) | InstanceKey::String(_), false) => Err(Diagnostic::error(
            "Unexpected instance key",
            format!("{} has neither count nor for_each: name it without a key.", addr.resource),
        )
        .with_subject(resource.decl_span)),
        _ => Ok(()),
    }
}
