//! `strata state list|show|mv|rm|pull`, against whichever backend the configuration names.

use strata_diagnostics::{Diagnostic, SourceFiles};
use strata_state::{Operation, StateAddress};

use crate::cli::StateCommand;
use crate::printer::Printer;

pub fn run(command: &StateCommand, printer: &Printer) -> u8 {
    let backend = super::run::configured_backend();
    let state = match super::backend::read_state(&backend) {
        Ok(Some(state)) => state,
        Ok(None) => {
            printer.error(&format!("no state at {}: nothing has been applied yet", backend.describe()));
            return 1;
        }
        Err(e) => {
            printer.error(&e);
            return 1;
        }
    };
    match command {
        StateCommand::List => {
            for addr in state.resources.keys() {
                printer.data(&format!("{addr}\n"));
            }
            0
        }
        StateCommand::Show { address } => {
            let Some(instance) = state.resources.iter().find(|(a, _)| a.to_string() == *address).map(|(_, i)| i) else {
                printer.error(&format!("no instance {address} in the state"));
                return 1;
            };
            let value = strata_state::decode_value(&instance.attributes, &instance.sensitive_paths);
            let tainted = if instance.status == strata_state::InstanceStatus::Tainted { " (tainted)" } else { "" };
            let mut text = format!("# {address}:{tainted}\n");
            if let Some(entries) = value.as_mapping() {
                for (name, v) in entries {
                    text.push_str(&format!("  {name} = {}\n", v.to_hcl()));
                }
            }
            printer.data(&text);
            0
        }
        // A resource instance or a module instance (with everything inside it), in one record.
        StateCommand::Mv { from, to } => change_state(&backend, printer, |state| {
            let (from, to) = (parse(from)?, parse(to)?);
            strata_state::move_operation(state, &from, &to).map_err(|e| edit_diagnostic(&e, state))
        }),
        StateCommand::Rm { address } => change_state(&backend, printer, |state| {
            let address = parse(address)?;
            strata_state::remove_operation(state, &address).map_err(|e| edit_diagnostic(&e, state))
        }),
        // The state as it is: the snapshot with its journal replayed, in the snapshot format.
        StateCommand::Pull => match strata_state::state_to_bytes(&state) {
            Ok(bytes) => {
                printer.data(&String::from_utf8_lossy(&bytes));
                0
            }
            Err(e) => {
                printer.error(&format!("serializing the state: {e}"));
                1
            }
        },
    }
}

fn parse(text: &str) -> Result<StateAddress, Diagnostic> {
    text.parse().map_err(|e| {
        Diagnostic::error(
            "Invalid address",
            format!("\"{text}\" is not a resource instance or module instance address: {e}."),
        )
        .with_hint("for example strata_data.x, strata_data.x[1], module.web or 'module.web[\"a\"]'")
    })
}

fn edit_diagnostic(error: &strata_state::EditError, state: &strata_state::State) -> Diagnostic {
    Diagnostic::error(error.summary(), error.to_string()).with_hint(error.hint(state))
}

/// Runs `edit` under the state lock and records the operation it returns.
fn change_state(
    backend: &super::backend::BackendConfig,
    printer: &Printer,
    edit: impl FnOnce(&strata_state::State) -> Result<Operation, Diagnostic>,
) -> u8 {
    super::runtime().block_on(async {
        let (guard, store, state) = match super::backend::open(backend, "state", std::time::Duration::ZERO).await {
            Ok(opened) => opened,
            Err(d) => {
                printer.error(&format!("{}: {}", d.summary, d.detail));
                return 1;
            }
        };
        let code = record(store.backend(), edit(&state), printer).await;
        drop(store);
        guard.release().await;
        code
    })
}

/// Records `operation` (one record, however many instances it changes) and compacts; the exit
/// code.
async fn record(
    store: &dyn strata_state::StateBackend,
    operation: Result<Operation, Diagnostic>,
    printer: &Printer,
) -> u8 {
    let operation = match operation {
        Ok(operation) => operation,
        Err(diagnostic) => {
            printer.diagnostics(&diagnostic.into(), &SourceFiles::new());
            return 1;
        }
    };
    if let Err(e) = store.record(operation).await {
        printer.error(&e.to_string());
        return 1;
    }
    match store.compact().await {
        Ok(_) => 0,
        Err(e) => {
            printer.error(&e.to_string());
            1
        }
    }
}
