//! `strata force-unlock ID`: removes a lock left by a crashed run, if the id matches.

use crate::cli::ForceUnlockArgs;
use crate::printer::Printer;

pub fn run(args: &ForceUnlockArgs, printer: &Printer) -> u8 {
    let path = super::run::configured_state_path();
    match strata_state::force_unlock(&path, &args.lock_id) {
        Ok(holder) => {
            printer.status(&format!(
                "The state has been unlocked (it was held by pid {} on {}, operation \"{}\").",
                holder.pid, holder.host, holder.operation
            ));
            0
        }
        Err(e) => {
            printer.error(&e.to_string());
            1
        }
    }
}
