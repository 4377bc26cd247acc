//! `strata import ADDR ID`: the provider reads an existing object, and it is recorded in
//! state at ADDR (which must be an instance the configuration has, in a module instance or
//! not: `module.web[0].strata_data.x`). Nothing is created.

use strata_addrs::ResourceInstanceAddr;
use strata_state::{InstanceState, InstanceStatus, Operation};

use super::run as prepare;
use crate::cli::ImportArgs;
use crate::printer::Printer;

pub fn run(args: &ImportArgs, printer: &Printer) -> u8 {
    let (run, _) = match prepare::prepare(&args.run) {
        Ok(prepared) => prepared,
        Err((files, diags)) => {
            printer.diagnostics(&diags, &files);
            return 1;
        }
    };
    let addr: ResourceInstanceAddr = match args.address.parse() {
        Ok(a) => a,
        Err(e) => {
            printer.error(&format!("\"{}\" is not a resource instance address: {e}", args.address));
            return 1;
        }
    };
    // The module (instance) and the resource instance must be in the configuration.
    let resource = match strata_engine::import_target(&run.config, run.variables.clone(), &addr) {
        Ok(resource) => resource,
        Err(d) => {
            printer.diagnostics(&d.into(), &run.files);
            return 1;
        }
    };
    // Through the module calls' `providers` maps, as planning does.
    let provider_addr = run.config.resource_provider(&addr.resource.module, resource);
    let timeout = match prepare::lock_timeout(&args.run.lock_timeout) {
        Ok(t) => t,
        Err(d) => {
            printer.diagnostics(&d.into(), &run.files);
            return 1;
        }
    };
    super::runtime().block_on(async {
        let (_guard, store, state) = match super::backend::open(&run.backend, "import", timeout).await {
            Ok(opened) => opened,
            Err(d) => {
                printer.diagnostics(&d.into(), &run.files);
                return 1;
            }
        };
        let store = store.backend();
        if state.resources.contains_key(&addr) {
            printer.error(&format!(
                "{addr} is already managed by Strata; `strata state rm {addr}` first to import another object there"
            ));
            return 1;
        }
        let providers = match prepare::providers(&run.config, &run.variables).await {
            Ok(p) => p,
            Err(d) => {
                printer.diagnostics(&d.into(), &run.files);
                return 1;
            }
        };
        let Some(provider) = providers.get(&provider_addr) else {
            printer.error(&format!("{provider_addr} is not available"));
            return 1;
        };
        let found = match provider.import(&addr.resource.resource.type_name, &args.id).await {
            Ok(Some(found)) => found,
            Ok(None) => {
                printer.error(&format!("no object with id \"{}\" exists for {addr}", args.id));
                return 1;
            }
            Err(e) => {
                printer.error(&format!("{addr}: {}", e.message));
                return 1;
            }
        };
        let (attributes, sensitive_paths) = match strata_state::encode_value(&found) {
            Ok(encoded) => encoded,
            Err(e) => {
                printer.error(&e.to_string());
                return 1;
            }
        };
        let instance = InstanceState {
            provider: provider_addr,
            schema_version: 0,
            attributes,
            sensitive_paths,
            dependencies: Vec::new(),
            status: InstanceStatus::Ready,
            create_before_destroy: false,
        };
        if let Err(e) = store.record(Operation::PutInstance { address: addr.clone(), instance }).await {
            printer.error(&e.to_string());
            return 1;
        }
        if let Err(e) = store.compact().await {
            printer.error(&e.to_string());
            return 1;
        }
        printer.status(&format!("{addr}: imported. Run `strata plan` to see how it differs from the configuration."));
        0
    })
}
