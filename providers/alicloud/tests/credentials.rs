//! Where credentials come from: environment variables, or a profile of the aliyun CLI's
//! `config.json` (`testdata/alicloud/aliyun-config.json`, in the CLI's own format). Each row is
//! (environment, config file present, provider `profile`) → the key id, token, region and
//! source found, or the error.

mod common;

use std::path::Path;

use strata_provider_alicloud::credentials::{CredentialsError, Resolved, resolve};

type Env = &'static [(&'static str, &'static str)];

/// Resolves with `env` and (when `file`) the fixture config file.
fn lookup(env: Env, file: bool, profile: Option<&str>) -> Result<Resolved, CredentialsError> {
    let text = std::fs::read_to_string(common::testdata("aliyun-config.json")).unwrap();
    let path = Path::new("/home/user/.aliyun/config.json");
    let lookup = |name: &str| env.iter().find(|(n, _)| *n == name).map(|(_, v)| (*v).to_owned());
    resolve(&lookup, Some((path, file.then_some(text.as_str()))), profile)
}

/// One row that finds credentials: key id, STS token, region, source.
fn check_found(
    env: Env,
    file: bool,
    profile: Option<&str>,
    id: &str,
    token: Option<&str>,
    region: Option<&str>,
    source: &str,
) {
    let found = lookup(env, file, profile).unwrap_or_else(|e| panic!("{env:?} {profile:?}: {e}"));
    assert_eq!(found.credentials.access_key_id, id, "{env:?} {profile:?}");
    assert_eq!(found.credentials.security_token.as_ref().map(|t| t.expose()), token, "{env:?} {profile:?}");
    assert_eq!(found.region.as_deref(), region, "{env:?} {profile:?}");
    assert_eq!(found.source, source, "{env:?} {profile:?}");
}

/// One row that fails: the message, which never holds a secret.
fn check_error(env: Env, file: bool, profile: Option<&str>, message: &str) {
    let error = lookup(env, file, profile).unwrap_err().to_string();
    assert!(error.contains(message), "{env:?} {profile:?}: {error}");
    for secret in ["default-secret", "sts-secret", "role-secret", "env-secret", "sts-token"] {
        assert!(!error.contains(secret), "{error}");
    }
}

const PAIR: Env = &[("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI-env"), ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret")];
const PAIR_STS: Env = &[
    ("ALIBABA_CLOUD_ACCESS_KEY_ID", "STS.env"),
    ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"),
    ("ALIBABA_CLOUD_SECURITY_TOKEN", "env-token"),
];
const PROFILE_STS: Env = &[("ALIBABA_CLOUD_PROFILE", "sts")];
const FILE: &str = "/home/user/.aliyun/config.json";

#[test]
fn credentials_are_found_in_order() {
    let env = "environment variables";
    check_found(PAIR, true, None, "LTAI-env", None, None, env);
    check_found(PAIR_STS, false, None, "STS.env", Some("env-token"), None, env);
    check_found(
        &[],
        true,
        None,
        "LTAI-default-id",
        None,
        Some("cn-beijing"),
        &format!("profile \"default\" in {FILE}"),
    );
    check_found(
        PROFILE_STS,
        true,
        None,
        "STS.sts-id",
        Some("sts-token"),
        Some("ap-southeast-1"),
        &format!("profile \"sts\" in {FILE}"),
    );
    // The provider block's profile wins over the environment.
    check_found(
        PAIR,
        true,
        Some("sts"),
        "STS.sts-id",
        Some("sts-token"),
        Some("ap-southeast-1"),
        &format!("profile \"sts\" in {FILE}"),
    );
}

#[test]
fn missing_or_unusable_credentials_are_explained() {
    check_error(&[], false, None, "no Alibaba Cloud credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID");
    check_error(&[("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI-env")], true, None, "ALIBABA_CLOUD_ACCESS_KEY_SECRET is not");
    check_error(&[], true, Some("nope"), "profile \"nope\" is not in /home/user/.aliyun/config.json");
    check_error(&[], false, Some("sts"), "profile \"sts\" is not in");
    check_error(
        &[],
        true,
        Some("role"),
        "has mode \"RamRoleArn\"; the alicloud provider reads modes \"AK\" and \"StsToken\"",
    );
    check_error(&[], true, Some("half"), "profile \"half\" in /home/user/.aliyun/config.json has no access_key_secret");
}

#[test]
fn secrets_do_not_show_in_debug_output() {
    let found = lookup(PAIR_STS, false, None).unwrap();
    let debug = format!("{found:?}");
    assert!(!debug.contains("env-secret") && !debug.contains("env-token"), "{debug}");
    assert!(debug.contains("LTAI") || debug.contains("STS.env"), "the key id is not a secret: {debug}");
}
