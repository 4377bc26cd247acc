//! `GetInstanceConsoleOutput` (ECS 2014-05-26; "GetInstanceConsoleOutput" in the API reference,
//! <https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-getinstanceconsoleoutput>):
//! the boot log of an instance, Base64 in `ConsoleOutput`, with `InstanceId` and
//! `LastUpdateTime` (`yyyy-MM-dd HH:mm:ss`, Beijing time).
//!
//! The log is what a Debian image with cloud-init prints: kernel lines, then, once the
//! instance's real host is made, cloud-init's block of SSH host key fingerprints with the
//! host's real Ed25519 key (see `resources::host_keys`). Record-only instances (no host) boot
//! without that block. [`Fault::ForgeConsoleHostKey`] makes the block list another key.

use base64::Engine;
use serde_json::json;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::macros::{format_description, offset};

use super::args::Args;
use super::catalog::Region;
use super::reply::Reply;
use super::state::State;
use super::{Answer, Fault};

pub fn get_instance_console_output(state: &mut State, region: &Region, args: Args<'_>) -> Answer {
    let id = args.required("InstanceId")?;
    let not_found = || Reply::error(404, "InvalidInstanceId.NotFound", "The specified InstanceId does not exist.");
    let forged = take_forgery(&mut state.faults);
    let timing = state.timing;
    let instance = state.instances.get(id).filter(|instance| instance.region == region.id).ok_or_else(not_found)?;
    let status = instance.status(&timing).ok_or_else(not_found)?;
    let fingerprint = match (&instance.host_key_fingerprint, status) {
        (Some(fingerprint), "Running") if forged => Some(forge(fingerprint)),
        (Some(fingerprint), "Running") => Some(fingerprint.clone()),
        _ => None,
    };
    let text = boot_log(&instance.host_name, instance.created_at, fingerprint.as_deref());
    let updated = instance
        .created_at
        .to_offset(offset!(+8))
        .format(format_description!("[year]-[month]-[day] [hour]:[minute]:[second]"))
        .unwrap_or_default();
    Ok(Reply::ok(json!({
        "InstanceId": instance.id,
        "ConsoleOutput": base64::engine::general_purpose::STANDARD.encode(text),
        "LastUpdateTime": updated,
    })))
}

/// Uses up one count of a [`Fault::ForgeConsoleHostKey`], if there is one.
fn take_forgery(faults: &mut Vec<Fault>) -> bool {
    let Some(index) = faults.iter().position(|fault| matches!(fault, Fault::ForgeConsoleHostKey { .. })) else {
        return false;
    };
    if let Fault::ForgeConsoleHostKey { count } = &mut faults[index] {
        *count = count.saturating_sub(1);
        if *count == 0 {
            faults.remove(index);
        }
    }
    true
}

/// Another well-formed fingerprint, derived from the real one.
fn forge(fingerprint: &str) -> String {
    let digest = Sha256::digest(format!("forged {fingerprint}").as_bytes());
    format!("SHA256:{}", base64::engine::general_purpose::STANDARD_NO_PAD.encode(digest))
}

/// A Debian boot log on the serial console; with cloud-init's fingerprint block when the host
/// key is known.
fn boot_log(host_name: &str, booted: OffsetDateTime, fingerprint: Option<&str>) -> String {
    let at =
        booted.format(format_description!("[month repr:short] [day] [hour]:[minute]:[second]")).unwrap_or_default();
    let mut log = String::from(
        "[    0.000000] Linux version 6.1.0-27-amd64 (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1\n\
         [    1.524113] EXT4-fs (vda1): mounted filesystem with ordered data mode. Quota mode: none.\n\
         [  OK  ] Started ssh.service - OpenBSD Secure Shell server.\n",
    );
    if let Some(fingerprint) = fingerprint {
        log.push_str(&format!(
            "<14>{at} cloud-init: #############################################################\n\
             <14>{at} cloud-init: -----BEGIN SSH HOST KEY FINGERPRINTS-----\n\
             <14>{at} cloud-init: 256 {fingerprint} root@{host_name} (ED25519)\n\
             <14>{at} cloud-init: -----END SSH HOST KEY FINGERPRINTS-----\n\
             <14>{at} cloud-init: #############################################################\n"
        ));
        log.push_str(&format!("\nDebian GNU/Linux 12 {host_name} ttyS0\n\n{host_name} login:\n"));
    }
    log
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_block_is_what_the_provider_reads() {
        let log = boot_log("analytics-core-0", OffsetDateTime::UNIX_EPOCH, Some("SHA256:abc"));
        assert_eq!(crate::resources::host_keys::ed25519_fingerprint(&log).as_deref(), Some("SHA256:abc"));
        let early = boot_log("analytics-core-0", OffsetDateTime::UNIX_EPOCH, None);
        assert_eq!(crate::resources::host_keys::ed25519_fingerprint(&early), None);
        assert_ne!(forge("SHA256:abc"), "SHA256:abc");
        assert!(forge("SHA256:abc").starts_with("SHA256:"));
    }
}
