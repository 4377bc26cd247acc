//! Library errors as the provider reports them.

use strata_provider::ProviderError;

use super::settings::Settings;
use crate::Error;

/// A library error as the provider reports it: attributed where one argument is at fault,
/// with the way out where there is one.
pub(super) fn provider_error(error: Error, settings: &Settings) -> ProviderError {
    match &error {
        Error::SshdMissing { .. } => ProviderError::new(format!(
            "{error}; or set auto_install = true in the provider \"local\" block to let Strata install it"
        )),
        Error::ToolMissing { package: "systemd-container" | "debootstrap", .. } => ProviderError::at(
            "isolation",
            format!(
                "{error}; it is needed for isolation = \"container\"; or set auto_install = true in the provider \"local\" block to let Strata install it"
            ),
        ),
        Error::UnknownInstanceType { .. } => ProviderError::at("instance_type", error.to_string()),
        Error::HostnameTaken { .. } | Error::InvalidName { what: "hostname", .. } => {
            ProviderError::at("hostname", error.to_string())
        }
        Error::SubnetOverlap { .. } | Error::SubnetChanged { .. } | Error::InvalidSubnet { .. } => {
            ProviderError::new(format!("provider \"local\" (network {}): {error}", settings.network))
        }
        _ => ProviderError::new(error.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_errors_say_what_to_do_and_name_the_attribute() {
        let settings = Settings {
            subnet: None,
            state_dir: "/var/lib/strata/local".into(),
            auto_install: false,
            network: "project-0123456789".into(),
        };
        let error = provider_error(Error::SshdMissing { path: "/usr/sbin/sshd".into() }, &settings);
        assert!(error.message.contains("apt-get install openssh-server"), "{}", error.message);
        assert!(error.message.contains("auto_install = true"), "{}", error.message);
        let error = provider_error(
            Error::HostnameTaken { hostname: "a".into(), other: "h1".into(), network: "n".into() },
            &settings,
        );
        assert_eq!(error.attribute.as_deref(), Some("hostname"));
        let error =
            provider_error(Error::ToolMissing { program: "systemd-nspawn", package: "systemd-container" }, &settings);
        assert_eq!(error.attribute.as_deref(), Some("isolation"));
        assert!(error.message.contains("install the Debian package systemd-container"), "{}", error.message);
        assert!(error.message.contains("auto_install = true"), "{}", error.message);
        let error = provider_error(
            Error::SubnetOverlap {
                network: "n".into(),
                subnet: "10.0.0.0/24".into(),
                existing: "10.0.0.0/16".into(),
                device: "eth0".into(),
            },
            &settings,
        );
        assert!(error.message.starts_with("provider \"local\" (network project-0123456789)"), "{}", error.message);
    }
}
