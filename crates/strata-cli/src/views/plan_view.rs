//! The human rendering of a plan, in Terraform's shape.

use std::fmt::Write as _;

use strata_plan::{Action, ActionReason, Plan, PlanMode, ResourceChange};
use strata_value::Value;

/// The plan's "Objects changed outside Strata" section (empty without drift); also what
/// `strata drift` prints.
pub fn render_drift(plan: &Plan) -> String {
    let mut out = String::new();
    if !plan.drift.is_empty() {
        out.push_str(
            "\nObjects changed outside Strata\n\nStrata found these changes when it read the objects it manages:\n\n",
        );
        for change in &plan.drift {
            let verb = if change.action == Action::Delete { "has been deleted" } else { "has changed" };
            let _ = writeln!(out, "  # {} {verb}", change.addr);
            render_change(&mut out, change);
        }
    }
    out
}

/// The whole plan as text (stdout).
pub fn render(plan: &Plan) -> String {
    let mut out = render_drift(plan);
    for moved in &plan.moved {
        let _ = writeln!(out, "\n  # {} has moved to {}", moved.from, moved.to);
    }
    for item in &plan.reconciled {
        let line = match (item.kind, item.found.is_some()) {
            (strata_plan::ReconcileKind::Import, _) => format!("{} will be imported", item.addr),
            (_, true) => format!("{}: an interrupted create was found and is adopted into state", item.addr),
            (_, false) => format!("{}: an interrupted create made nothing; its record is cleared", item.addr),
        };
        let _ = writeln!(out, "\n  # {line}");
    }
    let changes: Vec<&ResourceChange> = plan.changes.iter().filter(|c| c.action != Action::NoOp).collect();
    if plan.mode != PlanMode::RefreshOnly && !changes.is_empty() {
        out.push_str("\nStrata will perform the following actions:\n\n");
        for change in &changes {
            let _ = writeln!(out, "  # {} {}", change.addr, headline(change));
            render_change(&mut out, change);
        }
    }
    let outputs: Vec<_> = plan.outputs.iter().filter(|o| o.action != Action::NoOp).collect();
    if !outputs.is_empty() {
        out.push_str("\nChanges to Outputs:\n");
        for output in outputs {
            let value = |v: &Option<Value>| match v {
                _ if output.sensitive => "(sensitive value)".to_owned(),
                Some(v) => v.to_hcl(),
                None => "null".to_owned(),
            };
            let line = match output.action {
                Action::Create => format!("  + {} = {}", output.name, value(&output.after)),
                Action::Delete => format!("  - {} = {}", output.name, value(&output.before)),
                _ => format!("  ~ {} = {} -> {}", output.name, value(&output.before), value(&output.after)),
            };
            let _ = writeln!(out, "{line}");
        }
    }
    let (add, change, destroy) = plan.counts();
    if !plan.has_changes() {
        out.push_str("\nNo changes. Your infrastructure matches the configuration.\n");
    } else if plan.mode == PlanMode::RefreshOnly {
        out.push_str("\nApplying this plan records these changes in the state; it changes no objects.\n");
    } else {
        let imports = plan.reconciled.iter().filter(|r| r.kind == strata_plan::ReconcileKind::Import).count();
        let imported = if imports > 0 { format!("{imports} to import, ") } else { String::new() };
        let _ = writeln!(out, "\nPlan: {imported}{add} to add, {change} to change, {destroy} to destroy.");
    }
    // Sections each start with a blank line and blocks end with one; keep just one between.
    while out.contains("\n\n\n") {
        out = out.replace("\n\n\n", "\n\n");
    }
    out
}

fn headline(change: &ResourceChange) -> String {
    let base = match change.action {
        Action::Create => "will be created".to_owned(),
        Action::Update => "will be updated in-place".to_owned(),
        Action::Delete => "will be destroyed".to_owned(),
        Action::Read => "will be read during apply".to_owned(),
        Action::DeleteThenCreate | Action::CreateThenDelete => "must be replaced".to_owned(),
        Action::NoOp => String::new(),
    };
    match &change.reason {
        // Most reasons are whole headlines, in Terraform's words ("is tainted, so it must be
        // replaced"); the others qualify the action.
        Some(reason @ (ActionReason::NoInstanceKey | ActionReason::InterruptedCreate)) => {
            format!("{base} ({})", reason.describe())
        }
        Some(reason) if change.action != Action::Create => reason.describe(),
        _ => base,
    }
}

fn render_change(out: &mut String, change: &ResourceChange) {
    let addr = &change.addr.resource.resource;
    let keyword = if addr.mode == strata_addrs::ResourceMode::Data { "data" } else { "resource" };
    let _ = writeln!(out, "  {} {keyword} \"{}\" \"{}\" {{", change.action, addr.type_name, addr.name);
    let empty = std::collections::BTreeMap::new();
    let before = change.before.as_ref().and_then(|v| v.as_mapping()).unwrap_or(&empty);
    let after = change.after.as_ref().and_then(|v| v.as_mapping()).unwrap_or(&empty);
    let mut names: Vec<&String> = before.keys().chain(after.keys()).collect();
    names.sort();
    names.dedup();
    // Only attributes that are shown take part in the alignment.
    names.retain(|n| {
        let old = before.get(*n).filter(|v| !v.is_null());
        let new = after.get(*n).filter(|v| !v.is_null());
        match (old, new) {
            (None, None) => false,
            (Some(o), Some(n)) if o == n => !matches!(change.action, Action::Update),
            _ => true,
        }
    });
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    for name in names {
        let old = before.get(name).filter(|v| !v.is_null());
        let new = after.get(name).filter(|v| !v.is_null());
        let forces = if change.replace_paths.iter().any(|p| p == name) { " # forces replacement" } else { "" };
        let line = match (old, new) {
            (None, None) => continue,
            (None, Some(n)) => format!("+ {name:<width$} = {}", show(n)),
            (Some(o), None) => format!("- {name:<width$} = {}", show(o)),
            (Some(o), Some(n)) if o == n => {
                if matches!(change.action, Action::Update) {
                    continue; // unchanged attributes are not shown for updates
                }
                format!("  {name:<width$} = {}", show(n))
            }
            (Some(o), Some(n)) => match (o.peel(), n.peel(), o.is_sensitive() || n.is_sensitive()) {
                (Value::String(a), Value::String(b), false) if a.contains('\n') || b.contains('\n') => {
                    format!("~ {name:<width$} = <<-EOT\n{}        EOT", text_diff(a, b))
                }
                _ => format!("~ {name:<width$} = {} -> {}", show(o), show(n)),
            },
        };
        let _ = writeln!(out, "      {line}{forces}");
    }
    out.push_str("    }\n\n");
}

fn show(value: &Value) -> String {
    value.to_hcl()
}

/// A multi-line string change as a unified text diff.
fn text_diff(old: &str, new: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let mut out = String::new();
    for change in diff.iter_all_changes() {
        let sign = match change.tag() {
            similar::ChangeTag::Delete => "-",
            similar::ChangeTag::Insert => "+",
            similar::ChangeTag::Equal => " ",
        };
        let _ = write!(out, "          {sign} {}", change.value());
        if !change.value().ends_with('\n') {
            out.push('\n');
        }
    }
    out
}
