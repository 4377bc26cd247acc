//! `strata state list|show|mv|rm|pull`, against whichever backend the configuration names.

use strata_addrs::ResourceInstanceAddr;
use strata_state::Operation;

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
        StateCommand::Mv { from, to } => change_state(&backend, printer, |state| {
            let (from, to) = (parse(from)?, parse(to)?);
            let instance = state.resources.get(&from).cloned().ok_or(format!("no instance {from} in the state"))?;
            if state.resources.contains_key(&to) {
                return Err(format!("{to} is already in the state"));
            }
            if from.resource.resource.type_name != to.resource.resource.type_name {
                return Err(format!("{from} and {to} are of different types"));
            }
            Ok(vec![Operation::PutInstance { address: to, instance }, Operation::RemoveInstance { address: from }])
        }),
        StateCommand::Rm { address } => change_state(&backend, printer, |state| {
            let address = parse(address)?;
            if !state.resources.contains_key(&address) {
                return Err(format!("no instance {address} in the state"));
            }
            Ok(vec![Operation::RemoveInstance { address }])
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

fn parse(text: &str) -> Result<ResourceInstanceAddr, String> {
    text.parse().map_err(|e| format!("\"{text}\" is not a resource instance address: {e}"))
}

/// Runs `edit` under the state lock and records the operations it returns.
fn change_state(
    backend: &super::backend::BackendConfig,
    printer: &Printer,
    edit: impl FnOnce(&strata_state::State) -> Result<Vec<Operation>, String>,
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

/// Records `operations` and compacts; the exit code.
async fn record(
    store: &dyn strata_state::StateBackend,
    operations: Result<Vec<Operation>, String>,
    printer: &Printer,
) -> u8 {
    let operations = match operations {
        Ok(ops) => ops,
        Err(message) => {
            printer.error(&message);
            return 1;
        }
    };
    for operation in operations {
        if let Err(e) = store.record(operation).await {
            printer.error(&e.to_string());
            return 1;
        }
    }
    match store.compact().await {
        Ok(_) => 0,
        Err(e) => {
            printer.error(&e.to_string());
            1
        }
    }
}
