//! `strata show [FILE] [--json]`: a saved plan, or the state.

use crate::cli::ShowArgs;
use crate::printer::Printer;

pub fn run(args: &ShowArgs, printer: &Printer) -> u8 {
    if let Some(path) = &args.file {
        return match strata_plan::file::read(path) {
            Ok(file) if args.json => {
                let text = serde_json::to_string_pretty(&strata_plan::json::to_json(&file.plan)).unwrap_or_default();
                printer.data(&format!("{text}\n"));
                0
            }
            Ok(file) => {
                printer.data(&crate::views::plan_view::render(&file.plan));
                0
            }
            Err(e) => {
                printer.error(&e.to_string());
                1
            }
        };
    }
    let state = match super::run::configured_state() {
        Ok(Some(state)) => state,
        Ok(None) => {
            printer.status("No state.");
            return 0;
        }
        Err(e) => {
            printer.error(&e);
            return 1;
        }
    };
    let mut text = String::new();
    for (addr, instance) in &state.resources {
        let value = strata_state::decode_value(&instance.attributes, &instance.sensitive_paths);
        if args.json {
            let json = serde_json::json!({
                "address": addr.to_string(),
                "provider": instance.provider.to_string(),
                "values": strata_plan::json::redacted(&value),
            });
            text.push_str(&format!("{json}\n"));
            continue;
        }
        text.push_str(&format!(
            "# {addr}:\nresource \"{}\" \"{}\" {{\n",
            addr.resource.resource.type_name, addr.resource.resource.name
        ));
        if let Some(entries) = value.as_mapping() {
            let width = entries.keys().map(|k| k.chars().count()).max().unwrap_or(0);
            for (name, v) in entries.iter().filter(|(_, v)| !v.is_null()) {
                text.push_str(&format!("    {name:<width$} = {}\n", v.to_hcl()));
            }
        }
        text.push_str("}\n\n");
    }
    printer.data(&text);
    0
}
