//! SSH key fingerprints (pure), in OpenSSH's form: `SHA256:` and the unpadded base64 of the
//! SHA-256 of the key blob (the base64-decoded second field of a `.pub` line).

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use sha2::{Digest, Sha256};

/// The fingerprint of a public key line such as `ssh-ed25519 AAAAC3Nz... root@host`, as
/// `ssh-keygen -l` prints it.
pub fn ssh_host_key_fingerprint(public_key_line: &str) -> Result<String, String> {
    let mut fields = public_key_line.split_whitespace();
    let key_type = fields.next().ok_or("the key is empty")?;
    let blob = fields.next().ok_or_else(|| format!("no key data after {key_type:?}"))?;
    let blob = STANDARD.decode(blob).map_err(|error| format!("the key data is not base64: {error}"))?;
    if !blob_names_type(&blob, key_type) {
        return Err(format!("the key data does not hold a {key_type} key"));
    }
    Ok(format!("SHA256:{}", STANDARD_NO_PAD.encode(Sha256::digest(&blob))))
}

/// Whether the blob starts with the key type as an SSH string (length, then bytes).
fn blob_names_type(blob: &[u8], key_type: &str) -> bool {
    let Some((length, rest)) = blob.split_first_chunk::<4>() else { return false };
    let length = u32::from_be_bytes(*length) as usize;
    rest.get(..length) == Some(key_type.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_ssh_keygen() {
        // `ssh-keygen -l -f` printed: 256 SHA256:s6R57VbVDuwhaD0pk9Vp4A8lcGSdYBiT8GxppSYeKZI root@core-0 (ED25519)
        let line = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMgRctI9GD7PoVuMB90OQ0Mj6qdj5zVFV2zp+CrAXyoL root@core-0\n";
        assert_eq!(ssh_host_key_fingerprint(line).unwrap(), "SHA256:s6R57VbVDuwhaD0pk9Vp4A8lcGSdYBiT8GxppSYeKZI");
    }

    #[test]
    fn rejects_malformed_keys() {
        assert!(ssh_host_key_fingerprint("").is_err());
        assert!(ssh_host_key_fingerprint("ssh-ed25519").is_err());
        assert!(ssh_host_key_fingerprint("ssh-ed25519 !!!").is_err());
        assert!(
            ssh_host_key_fingerprint("ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIMgRctI9GD7PoVuMB90OQ0Mj6qdj5zVFV2zp+CrAXyoL")
                .is_err()
        );
    }
}
