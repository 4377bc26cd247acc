//! `strata state list|show|pull`.

use std::path::PathBuf;

use crate::cli::StateCommand;
use crate::printer::Printer;

pub fn run(command: &StateCommand, printer: &Printer) -> u8 {
    let path = PathBuf::from("strata.state.json");
    let state = match strata_state::load(&path) {
        Ok((state, _)) => state,
        Err(e) => {
            printer.error(&e.to_string());
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
            let mut text = format!("# {address}:\n");
            if let Some(entries) = value.as_mapping() {
                for (name, v) in entries {
                    text.push_str(&format!("  {name} = {}\n", v.to_hcl()));
                }
            }
            printer.data(&text);
            0
        }
        StateCommand::Pull => match std::fs::read_to_string(&path) {
            Ok(text) => {
                printer.data(&text);
                0
            }
            Err(e) => {
                printer.error(&format!("reading {}: {e}", path.display()));
                1
            }
        },
    }
}
