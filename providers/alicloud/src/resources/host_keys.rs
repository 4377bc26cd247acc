//! SSH host keys of ECS instances from their console output instead of trust on first use.
//!
//! cloud-init prints the fingerprints of the host keys it made to the console at the end of
//! the first boot, between `-----BEGIN SSH HOST KEY FINGERPRINTS-----` and
//! `-----END SSH HOST KEY FINGERPRINTS-----`, one `BITS SHA256:... COMMENT (TYPE)` line per key
//! (each line may carry a syslog prefix such as `<14>Nov 26 ... cloud-init: `). The console
//! output comes from the API over TLS, signed for the caller, not from the network path to
//! the instance's sshd: a key that sshd presents and the console does not list is refused.
//! The deployer pins the Ed25519 key (`ssh-keyscan -t ed25519`).

/// The Ed25519 host key fingerprint (`SHA256:...`) cloud-init printed in `console`, if the
/// fingerprint block is there and lists one.
pub fn ed25519_fingerprint(console: &str) -> Option<String> {
    const BEGIN: &str = "-----BEGIN SSH HOST KEY FINGERPRINTS-----";
    const END: &str = "-----END SSH HOST KEY FINGERPRINTS-----";
    // The last block: a later boot prints it again, and its keys are the current ones.
    let start = console.rfind(BEGIN)? + BEGIN.len();
    let block = &console[start..];
    let block = &block[..block.find(END)?];
    block.lines().find_map(|line| {
        let line = line.trim_end();
        if !line.ends_with("(ED25519)") {
            return None;
        }
        line.split_whitespace()
            .find(|field| field.starts_with("SHA256:") && field.len() > "SHA256:".len())
            .map(str::to_owned)
    })
}

/// The fingerprint to pin for an instance whose sshd presents `presented`, given what its
/// console output lists (`None`: no fingerprint block yet or at all). An error says why the
/// key cannot be trusted.
pub fn pin(instance: &str, listed: Option<&str>, presented: &str) -> Result<String, String> {
    match listed {
        Some(listed) if listed == presented => Ok(presented.to_owned()),
        Some(listed) => Err(format!(
            "the SSH host key of {instance} is {presented}, but its console output lists {listed}: \
             something other than the instance answers on its address (refusing to log in)"
        )),
        None => Err(format!(
            "the console output of {instance} has no SSH host key fingerprints (cloud-init prints them at the end \
             of the first boot), so its host key cannot be checked; for an image without cloud-init, set \
             host_key_source = \"first_use\" (trust on first use)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONSOLE: &str = include_str!("../../../../testdata/alicloud/console/cloud-init-boot.txt");

    #[test]
    fn the_ed25519_line_of_the_fingerprint_block() {
        assert_eq!(ed25519_fingerprint(CONSOLE).as_deref(), Some("SHA256:s6R57VbVDuwhaD0pk9Vp4A8lcGSdYBiT8GxppSYeKZI"));
    }

    #[test]
    fn no_block_no_fingerprint() {
        let early = &CONSOLE[..CONSOLE.find("-----BEGIN SSH HOST KEY FINGERPRINTS-----").unwrap()];
        assert_eq!(ed25519_fingerprint(early), None);
        let unfinished = &CONSOLE[..CONSOLE.find("-----END SSH HOST KEY FINGERPRINTS-----").unwrap()];
        assert_eq!(ed25519_fingerprint(unfinished), None, "a block still being written is not read");
        let without = CONSOLE.replace("(ED25519)", "(DSA)");
        assert_eq!(ed25519_fingerprint(&without), None);
    }

    #[test]
    fn the_last_boot_counts() {
        let reboot = format!(
            "{CONSOLE}\n-----BEGIN SSH HOST KEY FINGERPRINTS-----\n256 SHA256:newkey root@h (ED25519)\n\
             -----END SSH HOST KEY FINGERPRINTS-----\n"
        );
        assert_eq!(ed25519_fingerprint(&reboot).as_deref(), Some("SHA256:newkey"));
    }

    #[test]
    fn pinning_needs_the_console_to_agree() {
        assert_eq!(pin("i-1", Some("SHA256:a"), "SHA256:a").unwrap(), "SHA256:a");
        let error = pin("i-1", Some("SHA256:a"), "SHA256:b").unwrap_err();
        assert!(error.contains("lists SHA256:a") && error.contains("refusing"), "{error}");
        assert!(pin("i-1", None, "SHA256:b").unwrap_err().contains("no SSH host key fingerprints"));
    }
}
