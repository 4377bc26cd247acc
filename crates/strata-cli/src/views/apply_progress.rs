//! Progress while applying: one line when an operation starts and when it ends, with elapsed
//! time and an overall `done/total` counter. On an interactive terminal (not with `CI` set)
//! the finish lines also carry a bar; logs get plain lines.

use std::sync::Mutex;

use strata_engine::{Event, Hook};
use strata_plan::Action;

use crate::printer::Printer;

pub struct ApplyProgress<'a> {
    printer: &'a Printer,
    lock: Mutex<()>,
    bar: bool,
}

impl<'a> ApplyProgress<'a> {
    pub fn new(printer: &'a Printer) -> ApplyProgress<'a> {
        let bar = std::io::IsTerminal::is_terminal(&std::io::stderr()) && std::env::var_os("CI").is_none();
        ApplyProgress { printer, lock: Mutex::new(()), bar }
    }
}

/// `[########............]` for `done` of `total`.
fn bar(done: usize, total: usize) -> String {
    const WIDTH: usize = 20;
    let filled = (done * WIDTH).checked_div(total).unwrap_or(WIDTH).min(WIDTH);
    format!(" [{}{}]", "#".repeat(filled), ".".repeat(WIDTH - filled))
}

fn verbs(action: Action) -> (&'static str, &'static str) {
    match action {
        Action::Create => ("Creating...", "Creation complete"),
        Action::Update => ("Modifying...", "Modifications complete"),
        Action::Delete => ("Destroying...", "Destruction complete"),
        Action::Read => ("Reading...", "Read complete"),
        Action::DeleteThenCreate | Action::CreateThenDelete => ("Replacing...", "Replacement step complete"),
        Action::NoOp => ("", ""),
    }
}

impl Hook for ApplyProgress<'_> {
    fn event(&self, event: Event) {
        let _guard = self.lock.lock();
        match event {
            Event::ApplyStart { addr, action } => self.printer.status(&format!("{addr}: {}", verbs(action).0)),
            Event::ApplyDone { addr, action, elapsed, done, total } => {
                let bar = if self.bar { bar(done, total) } else { String::new() };
                self.printer.status(&format!(
                    "{addr}: {} after {}s [{done}/{total}]{bar}",
                    verbs(action).1,
                    elapsed.as_secs()
                ))
            }
            Event::ApplyFailed { addr, message, .. } => self.printer.status(&format!("{addr}: failed: {message}")),
            Event::Skipped { addr, because } => {
                self.printer.status(&format!("{addr}: skipped because {because} failed"))
            }
            Event::Interrupted { in_flight } => {
                self.printer.status(&format!("Interrupted: abandoning {in_flight} operation(s) in flight."))
            }
            Event::Progress { addr, message, done, total } => match (done, total) {
                (Some(done), Some(total)) => self.printer.status(&format!("{addr}: {message} ({done}/{total})")),
                _ => self.printer.status(&format!("{addr}: {message}")),
            },
            Event::RefreshStart { .. } => {}
        }
    }
}
