//! `strata output [NAME] [--json|--raw]`: root outputs from the state.

use crate::cli::OutputArgs;
use crate::printer::Printer;

pub fn run(args: &OutputArgs, printer: &Printer) -> u8 {
    let state = match super::run::configured_state() {
        Ok(Some(state)) => state,
        Ok(None) => {
            printer.error("no state: nothing has been applied yet");
            return 1;
        }
        Err(e) => {
            printer.error(&e);
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
    if args.json && args.name.is_none() {
        // All outputs as one object, `{"name": {"sensitive": bool, "value": ...}}`; sensitive
        // values are null here: they are printed only when asked for by name, as Terraform does.
        let all: serde_json::Map<String, serde_json::Value> = outputs
            .iter()
            .map(|(name, o)| {
                let value = if o.sensitive { serde_json::Value::Null } else { o.value.clone() };
                ((*name).clone(), serde_json::json!({ "sensitive": o.sensitive, "value": value }))
            })
            .collect();
        printer.data(&format!("{}\n", serde_json::to_string_pretty(&all).unwrap_or_default()));
        return 0;
    }
    for (name, output) in outputs {
        let value = strata_value::from_json(&output.value);
        if args.json {
            // Asked for by name: the value itself, sensitive or not.
            printer.data(&format!("{}\n", serde_json::to_string(&output.value).unwrap_or_default()));
        } else if args.raw && args.name.is_some() {
            match value.as_str() {
                Some(s) => printer.data(s),
                None => printer.data(&value.to_hcl()),
            }
        } else if output.sensitive {
            // Revealed only by an explicit `--raw` or `--json` with the name.
            printer.data(&format!("{name} = (sensitive value)\n"));
        } else {
            printer.data(&format!("{name} = {}\n", value.to_hcl()));
        }
    }
    0
}
