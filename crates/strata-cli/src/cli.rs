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
