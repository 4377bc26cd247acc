//! `strata output [NAME] [--json|--raw]`: root outputs from the state.

use crate::cli::OutputArgs;
use crate::printer::Printer;

pub fn run(args: &OutputArgs, printer: &Printer) -> u8 {
    let path = super::run::configured_state_path();
    let state = match strata_state::load(&path) {
        Ok((state, _)) => state,
        Err(e) => {
            printer.error(&e.to_string());
            return 1;
        }
    };
    let outputs: Vec<_> =
        state.outputs.iter().filter(|(name, _)| args.name.as_ref().is_none_or(|n| n == *name)).collect();
    if let Some(name) = &args.name
        && outputs.is_empty()
    {
        printer.error(&format!("no output named \"{name}\" in the state"));
        return 1;
    }
    for (name, output) in outputs {
        let value = strata_value::from_json(&output.value);
        // A sensitive output's value is printed only when asked for by name (as Terraform
        // does), so listing all outputs never reveals one.
        if output.sensitive && args.name.is_none() {
            let shown = if args.json { "null".to_owned() } else { "(sensitive value)".to_owned() };
            printer.data(&format!("{name} = {shown}\n"));
        } else if args.json {
            printer.data(&format!("{}\n", serde_json::to_string(&output.value).unwrap_or_default()));
        } else if args.raw && args.name.is_some() {
            match value.as_str() {
                Some(s) => printer.data(s),
                None => printer.data(&value.to_hcl()),
            }
        } else if output.sensitive {
            printer.data(&format!("{name} = (sensitive value)\n"));
        } else {
            printer.data(&format!("{name} = {}\n", value.to_hcl()));
        }
    }
    0
}
