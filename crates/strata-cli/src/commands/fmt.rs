//! `strata fmt [--check] [--diff] [--recursive] [TARGET...]`.
//!
//! Like `terraform fmt`: rewrites files in place and lists the ones it changed on stdout;
//! `--check` changes nothing and exits 3 when a file would change.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::cli::FmtArgs;
use crate::printer::Printer;

/// Exit code of `--check` when some file is not formatted (Terraform's).
const EXIT_NOT_FORMATTED: u8 = 3;

pub fn run(args: &FmtArgs, printer: &Printer) -> u8 {
    if args.targets.len() == 1 && args.targets[0] == Path::new("-") {
        return stdin(args, printer);
    }
    let targets = if args.targets.is_empty() { vec![PathBuf::from(".")] } else { args.targets.clone() };
    let mut files = Vec::new();
    for target in &targets {
        if target.is_dir() {
            collect(target, args.recursive, &mut files);
        } else if target.is_file() {
            files.push(target.clone());
        } else {
            printer.error(&format!("no file or directory at {}", target.display()));
            return 1;
        }
    }
    files.sort();
    let mut failed = false;
    let mut unformatted = false;
    for path in files {
        let source = match std::fs::read_to_string(&path) {
            Ok(s) => s,
            Err(e) => {
                printer.error(&format!("reading {}: {e}", display(&path)));
                failed = true;
                continue;
            }
        };
        let formatted = match strata_fmt::format_source(&source) {
            Ok(f) => f,
            Err(e) => {
                printer.error(&format!("{}: {e}", display(&path)));
                failed = true;
                continue;
            }
        };
        if formatted == source {
            continue;
        }
        unformatted = true;
        let name = display(&path);
        printer.data(&format!("{name}\n"));
        if args.diff {
            printer.data(&unified_diff(&name, &source, &formatted));
        }
        if !args.check
            && let Err(e) = write_atomically(&path, &formatted)
        {
            printer.error(&format!("writing {}: {e}", path.display()));
            failed = true;
        }
    }
    if failed {
        1
    } else if args.check && unformatted {
        EXIT_NOT_FORMATTED
    } else {
        0
    }
}

fn stdin(args: &FmtArgs, printer: &Printer) -> u8 {
    let mut source = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut source) {
        printer.error(&format!("reading stdin: {e}"));
        return 1;
    }
    match strata_fmt::format_source(&source) {
        Ok(formatted) if args.check => {
            if formatted == source {
                0
            } else {
                EXIT_NOT_FORMATTED
            }
        }
        Ok(formatted) if args.diff => {
            printer.data(&unified_diff("<stdin>", &source, &formatted));
            0
        }
        Ok(formatted) => {
            printer.data(&formatted);
            0
        }
        Err(e) => {
            printer.error(&format!("<stdin>: {e}"));
            1
        }
    }
}

/// `*.hcl` and `*.hclvars` files; subdirectories too with `recursive` (hidden ones skipped).
fn collect(dir: &Path, recursive: bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            if recursive {
                collect(&path, recursive, out);
            }
        } else if name.ends_with(".hcl") || name.ends_with(".hclvars") {
            out.push(path);
        }
    }
}

fn display(path: &Path) -> String {
    path.strip_prefix(".").unwrap_or(path).display().to_string()
}

fn unified_diff(name: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .header(&format!("old/{name}"), &format!("new/{name}"))
        .to_string()
}

/// Formatting never leaves a half-written file: write a sibling temp file, then rename.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let tmp =
        path.with_extension(format!("{}.strata-fmt.tmp", path.extension().and_then(|e| e.to_str()).unwrap_or("")));
    std::fs::write(&tmp, text)?;
    if let Ok(metadata) = std::fs::metadata(path) {
        std::fs::set_permissions(&tmp, metadata.permissions())?;
    }
    std::fs::rename(&tmp, path)
}
