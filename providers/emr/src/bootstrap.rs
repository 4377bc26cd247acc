//! Bootstrap actions: a local script uploaded to every node of a cluster and run there as root,
//! at one moment of its create (`BEFORE_INSTALL`: the hosts are up and nothing is installed;
//! `AFTER_STARTED`: every service is healthy), bounded in time. `ABORT` makes a failure fail the
//! create (which then removes the cluster, like any failed create); `CONTINUE` makes it a
//! warning in the provider log. They run on every node at create, and on the nodes a scale out
//! adds ([`new_nodes`]): `BEFORE_INSTALL` before those get their components, `AFTER_STARTED`
//! once their services (and every other) are healthy. Changing one replaces the cluster (see
//! `ClusterResource::plan`): the nodes it already ran on would otherwise keep what the old one
//! did.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use strata_deploy::{Connection, DeployError, ExecOptions, FileContent, HostSpec, Mode, SessionPool, shell_quote};
use strata_provider_sdk::{Ctx, ProviderError};

use crate::deploy;
use crate::model::{BootstrapAction, CONTINUE};
use crate::render::{DATA_DIR, LOG_DIR};

/// Where a node keeps its bootstrap scripts (the node's own `/var/lib`).
pub const BOOTSTRAP_DIR: &str = "/var/lib/strata/bootstrap";
/// How long one action may run on a node.
pub const TIMEOUT: Duration = Duration::from_secs(600);
/// Lines of an action's log quoted when it fails.
const LOG_LINES: usize = 10;

/// The local file of `script` (relative to the working directory).
pub fn local_path(script: &str) -> Result<PathBuf, ProviderError> {
    let working_dir = std::env::current_dir()
        .map_err(|error| ProviderError::new(format!("reading the working directory: {error}")))?;
    Ok(working_dir.join(script))
}

/// Whether `name` can name a script file on the nodes.
pub fn check_name(name: &str) -> Result<(), ProviderError> {
    let fine = !name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_');
    if fine {
        Ok(())
    } else {
        Err(ProviderError::at(
            format!("bootstrap_action.{name}"),
            format!("bootstrap action name {name:?}: use letters, digits, '-' and '_' (at most 64)"),
        ))
    }
}

/// The nodes the bootstrap actions run on in a converge: every node of a create (`prior`
/// is `None`); on an update, the nodes the prior state does not record (a scale out's). Nodes
/// that stay, and hosts a repair remakes under their recorded name, do not run them again.
pub fn new_nodes<'a>(prior: Option<&[String]>, nodes: impl IntoIterator<Item = &'a String>) -> Vec<String> {
    nodes.into_iter().filter(|hostname| prior.is_none_or(|recorded| !recorded.contains(hostname))).cloned().collect()
}

/// The command running action `name` with `args` on a node: its output goes to
/// `/var/log/strata/bootstrap-<name>.log`, and `timeout` stops it after [`TIMEOUT`].
pub fn command(name: &str, args: &[String]) -> String {
    let args: Vec<String> = args.iter().map(|arg| shell_quote(arg)).collect();
    format!(
        "mkdir -p {LOG_DIR} && cd {BOOTSTRAP_DIR} && timeout -k 10 {} /bin/sh ./{name}.sh{}{} > {LOG_DIR}/bootstrap-{name}.log 2>&1",
        TIMEOUT.as_secs(),
        if args.is_empty() { "" } else { " " },
        args.join(" ")
    )
}

/// Runs the actions of `when` (in name order) on every host. A failure of an `ABORT` action is
/// an error naming the hosts and quoting the end of each log; of a `CONTINUE` one, a warning.
pub async fn run(
    pool: &Arc<SessionPool>,
    ctx: &Ctx,
    hosts: &[HostSpec],
    actions: &BTreeMap<String, BootstrapAction>,
    when: &str,
) -> Result<(), ProviderError> {
    for (name, action) in actions.iter().filter(|(_, action)| action.when == when) {
        let path = local_path(&action.script)?;
        let content = std::fs::read(&path).map_err(|error| {
            ProviderError::at(format!("bootstrap_action.{name}.script"), format!("reading {}: {error}", path.display()))
        })?;
        let sha256 = strata_deploy::sha256_hex(&content);
        if action.script_sha256.as_deref().is_some_and(|planned| planned != sha256) {
            return Err(ProviderError::at(
                format!("bootstrap_action.{name}.script"),
                format!("{} changed since the plan: plan again", path.display()),
            ));
        }
        let (name_run, args) = (name.clone(), action.args.clone().unwrap_or_default());
        let outcomes = deploy::fan_out(
            pool,
            hosts,
            move |connection: &mut Connection| run_on(connection, &name_run, &args, &content),
            |done, total| ctx.progress(done as u64, total as u64, format!("bootstrap action {name}")),
        )
        .await;
        let failures: Vec<String> =
            outcomes.into_iter().filter_map(|outcome| outcome.result.err()).map(|error| format!("  {error}")).collect();
        if failures.is_empty() {
            continue;
        }
        let message = format!(
            "bootstrap action {name} ({}) failed on {} host(s):\n{}",
            action.script,
            failures.len(),
            failures.join("\n")
        );
        if action.on_failure == CONTINUE {
            ctx.log().warn(&format!("{message}\n(on_failure = \"CONTINUE\": the create goes on)"));
            ctx.status(format!(
                "bootstrap action {name} failed on {} host(s); on_failure = \"CONTINUE\", so the create goes on \
                 (details in the provider log)",
                failures.len()
            ));
        } else {
            return Err(ProviderError::new(message));
        }
    }
    Ok(())
}

fn run_on(connection: &mut Connection, name: &str, args: &[String], content: &[u8]) -> Result<(), DeployError> {
    let options = ExecOptions::with_timeout(TIMEOUT + Duration::from_secs(30));
    connection.run_checked(&format!("mkdir -p {DATA_DIR} {BOOTSTRAP_DIR}"), &options)?;
    connection.upload(&FileContent::Inline(content.to_vec()), &format!("{BOOTSTRAP_DIR}/{name}.sh"), Mode(0o700))?;
    let output = connection.run(&command(name, args), &options)?;
    if output.success() {
        return Ok(());
    }
    let log = format!("{LOG_DIR}/bootstrap-{name}.log");
    let tail = connection
        .run(&format!("tail -n {LOG_LINES} -- {log}"), &options)
        .map(|tail| tail.stdout_text().lines().map(|line| format!("    {line}")).collect::<Vec<_>>().join("\n"))
        .unwrap_or_default();
    Err(DeployError::UnexpectedOutput {
        host: connection.host().name.clone(),
        action: format!("running bootstrap action {name}"),
        output: format!("it failed ({}); the end of {log}:\n{tail}", output.status()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn they_run_on_every_node_of_a_create_and_on_the_nodes_a_scale_out_adds() {
        let nodes: Vec<String> = ["a-master-0", "a-core-0", "a-core-1", "a-task-0"].map(String::from).into();
        // Node names recorded by the prior state, and the nodes the actions run on.
        let cases: [(Option<&[&str]>, &[&str]); 4] = [
            (None, &["a-master-0", "a-core-0", "a-core-1", "a-task-0"]),
            (Some(&["a-master-0", "a-core-0"]), &["a-core-1", "a-task-0"]),
            (Some(&["a-master-0", "a-core-0", "a-core-1", "a-task-0"]), &[]),
            (Some(&["a-master-0", "a-core-0", "a-core-1", "a-core-2", "a-task-0"]), &[]),
        ];
        for (prior, expected) in cases {
            let prior: Option<Vec<String>> = prior.map(|names| names.iter().map(|name| name.to_string()).collect());
            assert_eq!(new_nodes(prior.as_deref(), &nodes), expected, "{prior:?}");
        }
    }

    #[test]
    fn commands_and_names() {
        assert_eq!(
            command("mark", &["a b".into(), "c".into()]),
            "mkdir -p /var/log/strata && cd /var/lib/strata/bootstrap && timeout -k 10 600 /bin/sh ./mark.sh 'a b' 'c' \
             > /var/log/strata/bootstrap-mark.log 2>&1"
        );
        assert!(command("x", &[]).contains("./x.sh > /var/log"));
        assert!(check_name("install-tools_2").is_ok());
        for bad in ["", "a/b", "a b", "../x"] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }
}
