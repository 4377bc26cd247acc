//! `strata force-unlock ID`: removes a lock left by a crashed run, if the id matches.

use crate::cli::ForceUnlockArgs;
use crate::printer::Printer;

pub fn run(args: &ForceUnlockArgs, printer: &Printer) -> u8 {
    match super::backend::force_unlock(&super::run::configured_backend(), &args.lock_id) {
        Ok(holder) => {
            printer.status(&format!(
                "The state has been unlocked (it was held by pid {} on {}, operation \"{}\").",
                holder.pid, holder.host, holder.operation
            ));
            0
        }
        Err(e) => {
            printer.error(&e);
            1
        }
    }
}
