//! Host key fingerprints in OpenSSH's form, `SHA256:<base64 without padding>`.

use std::fmt;
use std::str::FromStr;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use sha2::{Digest, Sha256};

/// The SHA-256 fingerprint of an SSH host key blob, as `ssh-keygen -l` prints it.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    digest: [u8; 32],
}

/// Why a fingerprint or public key line could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FingerprintError {
    #[error("a host key fingerprint must start with `SHA256:`")]
    MissingPrefix,
    #[error("the fingerprint after `SHA256:` is not 32 bytes of unpadded base64")]
    InvalidDigest,
    #[error("a public key line must be `<type> <base64 blob> [comment]`")]
    InvalidPublicKeyLine,
}

impl Fingerprint {
    /// The fingerprint of a host key blob (the SSH wire encoding of the public key).
    pub fn of_key_blob(blob: &[u8]) -> Self {
        Self { digest: Sha256::digest(blob).into() }
    }

    /// The fingerprint of an OpenSSH public key line such as the contents of
    /// `ssh_host_ed25519_key.pub` (`ssh-ed25519 AAAA… comment`).
    pub fn of_public_key_line(line: &str) -> Result<Self, FingerprintError> {
        let blob = line.split_whitespace().nth(1).ok_or(FingerprintError::InvalidPublicKeyLine)?;
        let bytes = STANDARD.decode(blob).map_err(|_| FingerprintError::InvalidPublicKeyLine)?;
        Ok(Self::of_key_blob(&bytes))
    }

    /// The raw SHA-256 digest.
    pub fn digest(&self) -> &[u8; 32] {
        &self.digest
    }
}

impl FromStr for Fingerprint {
    type Err = FingerprintError;

    /// Parses `SHA256:<base64>`; trailing `=` padding is accepted.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let encoded = text.trim().strip_prefix("SHA256:").ok_or(FingerprintError::MissingPrefix)?;
        let bytes =
            STANDARD_NO_PAD.decode(encoded.trim_end_matches('=')).map_err(|_| FingerprintError::InvalidDigest)?;
        let digest: [u8; 32] = bytes.try_into().map_err(|_| FingerprintError::InvalidDigest)?;
        Ok(Self { digest })
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "SHA256:{}", STANDARD_NO_PAD.encode(self.digest))
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "Fingerprint({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A real ed25519 host key and what `ssh-keygen -lf` printed for it.
    const PUBLIC_KEY: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFQlG7hkb+mcEEuC9riAq7niuDBIuKoC0IXb++d7DlLJ test@host";
    const EXPECTED: &str = "SHA256:6m08+sZn+oYCX0SaRvbVR9W10KfJ53TmbVgw27VAlFg";

    #[test]
    fn round_trips_through_text() {
        let fingerprint: Fingerprint = EXPECTED.parse().unwrap();
        assert_eq!(fingerprint.to_string(), EXPECTED);
        let padded: Fingerprint = format!("{EXPECTED}=").parse().unwrap();
        assert_eq!(padded, fingerprint);
    }

    #[test]
    fn rejects_malformed_text() {
        assert_eq!("MD5:aa".parse::<Fingerprint>(), Err(FingerprintError::MissingPrefix));
        assert_eq!("SHA256:abc".parse::<Fingerprint>(), Err(FingerprintError::InvalidDigest));
        assert_eq!(Fingerprint::of_public_key_line("ssh-ed25519"), Err(FingerprintError::InvalidPublicKeyLine));
    }

    #[test]
    fn fingerprints_a_public_key_line_like_ssh_keygen() {
        let fingerprint = Fingerprint::of_public_key_line(PUBLIC_KEY).unwrap();
        assert_eq!(fingerprint.to_string(), EXPECTED);
    }
}
