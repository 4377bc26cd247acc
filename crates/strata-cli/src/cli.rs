//! Command-line arguments (clap derive). Flags are double-dash, Terraform-shaped.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(name = "strata", version, about = "Declarative provisioning of big-data clusters.")]
pub struct Cli {
    /// Switch to DIR before doing anything (like Terraform's -chdir).
    #[arg(long, global = true, value_name = "DIR")]
    pub chdir: Option<PathBuf>,
    /// Do not use colour in output (NO_COLOR is respected too).
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Show provider plugins' logs (their stderr) as they run; STRATA_LOG=1 does the same.
    #[arg(long, short = 'v', global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check the configuration in the current directory: syntax, references, types, schemas.
    Validate(ValidateArgs),
    /// Rewrite configuration files to the canonical format.
    Fmt(FmtArgs),
    /// Print the resource dependency graph in DOT.
    Graph(GraphArgs),
    /// Show what apply would change.
    Plan(PlanArgs),
    /// Make the changes: plan, confirm (unless --auto-approve), apply.
    Apply(ApplyArgs),
    /// Destroy everything this configuration manages (plan --destroy, then apply).
    Destroy(ApplyArgs),
    /// Print root module outputs from the state.
    Output(OutputArgs),
    /// Show a saved plan, or the state when no file is given.
    Show(ShowArgs),
    /// Inspect the state.
    #[command(subcommand)]
    State(StateCommand),
    /// Remove a stale state lock left by a crashed run.
    ForceUnlock(ForceUnlockArgs),
    /// Bring an existing object under management: strata import ADDR ID.
    Import(ImportArgs),
    /// Record drift in the state (plan --refresh-only, then apply it).
    Refresh(ApplyArgs),
    /// Report what changed outside Strata (exit 0: none, 2: drift, 1: error); --json for CI.
    Drift(DriftArgs),
    /// Run a job again: apply --replace ADDR --target ADDR (what it needs is only checked).
    Run(JobRunArgs),
    /// Print the log a resource instance keeps on this machine (its `log_path`).
    Logs(LogsArgs),
    /// Hosts of the `local` provider on this machine.
    #[command(subcommand)]
    Local(LocalCommand),
    /// The release catalog: fixed bundles of component versions (EMR-3.2.0, STRATA-1.0.0, ...).
    #[command(subcommand)]
    Releases(ReleasesCommand),
}

#[derive(Subcommand, Debug)]
pub enum ReleasesCommand {
    /// Every release: name, date, status, whether it installs on this machine.
    List,
    /// One release: components and versions, services with their roles, start order.
    Show { name: String },
    /// What changes from release A to release B, and what kind of change it is.
    Diff { from: String, to: String },
}

#[derive(Subcommand, Debug)]
pub enum LocalCommand {
    /// Remove this configuration's local hosts that no state knows (left by crashes or
    /// `state rm`); other projects' hosts are never touched.
    Gc(LocalGcArgs),
}

#[derive(Args, Debug)]
pub struct LocalGcArgs {
    /// How long to wait for the state lock, e.g. 10s (default: fail at once).
    #[arg(long, default_value = "0s", value_name = "DURATION")]
    pub lock_timeout: String,
    #[command(flatten)]
    pub variables: VariableArgs,
}

#[derive(Args, Debug)]
pub struct PlanArgs {
    /// Exit 0 when there are no changes, 2 when there are, 1 on error.
    #[arg(long)]
    pub detailed_exitcode: bool,
    /// Only find drift: what changed outside Strata.
    #[arg(long)]
    pub refresh_only: bool,
    /// Plan to destroy everything.
    #[arg(long)]
    pub destroy: bool,
    /// Print the plan as JSON on stdout.
    #[arg(long)]
    pub json: bool,
    /// Save the plan to FILE for `strata apply FILE`.
    #[arg(long, value_name = "FILE")]
    pub out: Option<std::path::PathBuf>,
    /// Provider calls in flight at once while refreshing.
    #[arg(long, default_value_t = 10)]
    pub parallelism: usize,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Args, Debug)]
pub struct DriftArgs {
    /// Print the drift report as JSON on stdout (format: docs/formats.md).
    #[arg(long)]
    pub json: bool,
    /// Provider calls in flight at once while refreshing.
    #[arg(long, default_value_t = 10)]
    pub parallelism: usize,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Args, Debug)]
pub struct ApplyArgs {
    /// A plan saved with `strata plan --out FILE`; applied exactly, or refused if the state,
    /// configuration or variables changed since.
    pub plan_file: Option<std::path::PathBuf>,
    /// Skip the interactive confirmation.
    #[arg(long)]
    pub auto_approve: bool,
    /// Only record drift in state (apply of plan --refresh-only).
    #[arg(long)]
    pub refresh_only: bool,
    /// Operations in flight at once.
    #[arg(long, default_value_t = 10)]
    pub parallelism: usize,
    #[command(flatten)]
    pub run: RunArgs,
}

/// What plan and apply share.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// Read objects from providers before planning (--refresh=false skips it).
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub refresh: bool,
    /// Replace this instance even if nothing changed (repeatable).
    #[arg(long, value_name = "ADDR")]
    pub replace: Vec<String>,
    /// Plan only this resource, instance or module (instance) and what it needs (repeatable).
    #[arg(long, value_name = "ADDR")]
    pub target: Vec<String>,
    /// Leave this resource, instance or module (instance) and what depends on it alone (repeatable).
    #[arg(long, value_name = "ADDR")]
    pub exclude: Vec<String>,
    /// How long to wait for the state lock, e.g. 10s (default: fail at once).
    #[arg(long, default_value = "0s", value_name = "DURATION")]
    pub lock_timeout: String,
    #[command(flatten)]
    pub variables: VariableArgs,
}

#[derive(Args, Debug)]
pub struct JobRunArgs {
    /// The instance to run again, e.g. emr_job.pi.
    pub address: String,
    /// Skip the interactive confirmation.
    #[arg(long)]
    pub auto_approve: bool,
    /// Operations in flight at once.
    #[arg(long, default_value_t = 10)]
    pub parallelism: usize,
    /// How long to wait for the state lock, e.g. 10s (default: fail at once).
    #[arg(long, default_value = "0s", value_name = "DURATION")]
    pub lock_timeout: String,
    #[command(flatten)]
    pub variables: VariableArgs,
}

#[derive(Args, Debug)]
pub struct LogsArgs {
    /// The instance whose log to print, e.g. emr_job.pi.
    pub address: String,
    /// Only the last N lines.
    #[arg(long, value_name = "N")]
    pub tail: Option<usize>,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    /// A saved plan file.
    pub file: Option<std::path::PathBuf>,
    /// As JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct OutputArgs {
    /// One output; all when omitted.
    pub name: Option<String>,
    /// As JSON.
    #[arg(long)]
    pub json: bool,
    /// A string output's raw text.
    #[arg(long)]
    pub raw: bool,
}

#[derive(Subcommand, Debug)]
pub enum StateCommand {
    /// List resource instances in the state.
    List,
    /// Show one instance's attributes (sensitive values redacted).
    Show { address: String },
    /// Print the whole state file (raw JSON, as stored: it may contain sensitive values).
    Pull,
    /// Record objects under a new address: an instance, a resource, or a module instance with
    /// everything in it (what a `moved` block does, by hand).
    Mv { from: String, to: String },
    /// Forget an instance, a resource, or a module instance with everything in it: Strata stops
    /// managing them; the objects themselves are left alone.
    Rm { address: String },
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// Where to record it, e.g. strata_file.config.
    pub address: String,
    /// The provider's id of the object, e.g. a file path.
    pub id: String,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Args, Debug)]
pub struct ForceUnlockArgs {
    /// The lock id printed by the failing command.
    pub lock_id: String,
}

/// Variable values, as for plan and apply.
#[derive(Args, Debug, Default)]
pub struct VariableArgs {
    /// Set a variable: --var NAME=VALUE (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Read variable values from a file (repeatable).
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// Print diagnostics as JSON on stdout.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub variables: VariableArgs,
}

#[derive(Args, Debug)]
pub struct FmtArgs {
    /// Files or directories to format (default: the current directory); `-` reads stdin.
    pub targets: Vec<PathBuf>,
    /// Only check; exit 3 when some file is not formatted.
    #[arg(long)]
    pub check: bool,
    /// Print the changes as unified diffs.
    #[arg(long)]
    pub diff: bool,
    /// Also format files in subdirectories.
    #[arg(long)]
    pub recursive: bool,
}

#[derive(Args, Debug)]
pub struct GraphArgs {
    /// Show variables, locals, outputs and module calls too, not only resources.
    #[arg(long)]
    pub full: bool,
    #[command(flatten)]
    pub variables: VariableArgs,
}
