//! Where the provider's AccessKey comes from ([`resolve`]), and [`Secret`], which keeps it out
//! of every `Debug`, error and log line.
//!
//! Lookup order:
//! 1. the provider block's `profile`: that profile of the aliyun CLI's `~/.aliyun/config.json`;
//! 2. `ALIBABA_CLOUD_ACCESS_KEY_ID` + `ALIBABA_CLOUD_ACCESS_KEY_SECRET` (+
//!    `ALIBABA_CLOUD_SECURITY_TOKEN` for STS credentials);
//! 3. the profile `ALIBABA_CLOUD_PROFILE` names, else the config file's `current` profile.
//!
//! Profiles of mode `AK` (`access_key_id`, `access_key_secret`) and `StsToken` (plus
//! `sts_token`) are read; other modes (RAM role, ECS role, ...) are refused with their name.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// A credential value: compared and used, never shown.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value, for signing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// An AccessKey pair, with the token of STS credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    pub access_key_id: String,
    pub access_key_secret: Secret,
    pub security_token: Option<Secret>,
}

impl Credentials {
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Credentials {
        Credentials {
            access_key_id: access_key_id.into(),
            access_key_secret: Secret::new(access_key_secret),
            security_token: None,
        }
    }

    pub fn with_security_token(mut self, token: impl Into<String>) -> Credentials {
        self.security_token = Some(Secret::new(token));
        self
    }
}

/// Credentials found, where, and the profile's region when a profile gave them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub credentials: Credentials,
    /// `environment variables` or `profile "NAME" in PATH`: for messages.
    pub source: String,
    pub region: Option<String>,
}

/// Why no credentials could be found. Messages name variables, files and profiles, never a
/// credential.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum CredentialsError {
    #[error(
        "no Alibaba Cloud credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or \
         configure a profile with `aliyun configure` ({path} has none)"
    )]
    NotFound { path: String },
    #[error("{set} is set but {missing} is not; set both (or neither, to use a profile)")]
    HalfSet { set: &'static str, missing: &'static str },
    #[error("profile \"{profile}\" is not in {path}")]
    ProfileNotFound { profile: String, path: String },
    #[error("cannot read {path}: {reason}")]
    BadConfigFile { path: String, reason: String },
    #[error(
        "profile \"{profile}\" in {path} has mode \"{mode}\"; the alicloud provider reads modes \"AK\" and \"StsToken\""
    )]
    UnsupportedMode { profile: String, path: String, mode: String },
    #[error("profile \"{profile}\" in {path} has no {field}")]
    Incomplete { profile: String, path: String, field: &'static str },
}

pub const ACCESS_KEY_ID_VAR: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
pub const ACCESS_KEY_SECRET_VAR: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
pub const SECURITY_TOKEN_VAR: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";
pub const PROFILE_VAR: &str = "ALIBABA_CLOUD_PROFILE";

/// The aliyun CLI's configuration file under `home`.
pub fn config_path(home: &Path) -> PathBuf {
    home.join(".aliyun").join("config.json")
}

/// Looks up credentials in this process's environment and `$HOME/.aliyun/config.json`.
///
/// # Errors
/// See [`resolve`].
pub fn lookup(profile: Option<&str>) -> Result<Resolved, CredentialsError> {
    let path = std::env::var_os("HOME").map(|home| config_path(Path::new(&home)));
    let text = path.as_ref().and_then(|path| std::fs::read_to_string(path).ok());
    let file = path.as_deref().map(|path| (path, text.as_deref()));
    resolve(&|name| std::env::var(name).ok().filter(|v| !v.is_empty()), file, profile)
}

/// Resolves credentials from `env` and the config file (its path, and its text when it exists),
/// in the order of the module doc.
///
/// # Errors
/// Nothing configured, a variable set without its pair, a profile missing or of an unsupported
/// mode, or a config file that is not the aliyun CLI's JSON.
pub fn resolve(
    env: &dyn Fn(&str) -> Option<String>,
    config_file: Option<(&Path, Option<&str>)>,
    profile: Option<&str>,
) -> Result<Resolved, CredentialsError> {
    let path = config_file.map_or_else(|| "~/.aliyun/config.json".to_owned(), |(path, _)| path.display().to_string());
    let text = config_file.and_then(|(_, text)| text);
    if let Some(profile) = profile {
        return from_profile(text, &path, Some(profile));
    }
    match (env(ACCESS_KEY_ID_VAR), env(ACCESS_KEY_SECRET_VAR)) {
        (Some(id), Some(secret)) => {
            let mut credentials = Credentials::new(id, secret);
            credentials.security_token = env(SECURITY_TOKEN_VAR).map(Secret::new);
            return Ok(Resolved { credentials, source: "environment variables".into(), region: None });
        }
        (Some(_), None) => {
            return Err(CredentialsError::HalfSet { set: ACCESS_KEY_ID_VAR, missing: ACCESS_KEY_SECRET_VAR });
        }
        (None, Some(_)) => {
            return Err(CredentialsError::HalfSet { set: ACCESS_KEY_SECRET_VAR, missing: ACCESS_KEY_ID_VAR });
        }
        (None, None) => {}
    }
    from_profile(text, &path, env(PROFILE_VAR).as_deref())
}

/// The aliyun CLI's `config.json` (only what the provider reads).
#[derive(Deserialize)]
struct ConfigFile {
    #[serde(default)]
    current: String,
    #[serde(default)]
    profiles: Vec<Profile>,
}

#[derive(Deserialize)]
struct Profile {
    name: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    access_key_id: String,
    #[serde(default)]
    access_key_secret: String,
    #[serde(default)]
    sts_token: String,
    #[serde(default)]
    region_id: String,
}

fn from_profile(text: Option<&str>, path: &str, wanted: Option<&str>) -> Result<Resolved, CredentialsError> {
    let Some(text) = text else {
        return match wanted {
            Some(profile) => Err(CredentialsError::ProfileNotFound { profile: profile.into(), path: path.into() }),
            None => Err(CredentialsError::NotFound { path: path.into() }),
        };
    };
    let file: ConfigFile = serde_json::from_str(text).map_err(|error| CredentialsError::BadConfigFile {
        path: path.into(),
        // serde_json's message names a line and column, not the text there.
        reason: error.to_string(),
    })?;
    let name = match wanted {
        Some(name) => name.to_owned(),
        None if !file.current.is_empty() => file.current.clone(),
        None => return Err(CredentialsError::NotFound { path: path.into() }),
    };
    let Some(profile) = file.profiles.into_iter().find(|p| p.name == name) else {
        return Err(CredentialsError::ProfileNotFound { profile: name, path: path.into() });
    };
    let incomplete = |field| CredentialsError::Incomplete { profile: name.clone(), path: path.into(), field };
    if profile.mode != "AK" && profile.mode != "StsToken" {
        return Err(CredentialsError::UnsupportedMode { profile: name.clone(), path: path.into(), mode: profile.mode });
    }
    if profile.access_key_id.is_empty() {
        return Err(incomplete("access_key_id"));
    }
    if profile.access_key_secret.is_empty() {
        return Err(incomplete("access_key_secret"));
    }
    let mut credentials = Credentials::new(profile.access_key_id, profile.access_key_secret);
    if profile.mode == "StsToken" {
        if profile.sts_token.is_empty() {
            return Err(incomplete("sts_token"));
        }
        credentials.security_token = Some(Secret::new(profile.sts_token));
    }
    let region = Some(profile.region_id).filter(|region| !region.is_empty());
    Ok(Resolved { credentials, source: format!("profile \"{name}\" in {path}"), region })
}
