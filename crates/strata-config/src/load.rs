//! Reading files and local modules from disk.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use strata_addrs::ModulePath;
use strata_diagnostics::{Diagnostic, Diagnostics, FileId, SourceFiles, Span};

use crate::{Config, Module, ModuleNode};

/// How deep module calls may nest before we assume a cycle.
const MAX_MODULE_DEPTH: usize = 32;

/// Loads the `*.hcl` files of `dir` and every local module they call.
pub fn load(dir: &Path, files: &mut SourceFiles) -> (Option<Config>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let sources = match read_dir_sources(dir) {
        Ok(s) => s,
        Err(e) => {
            diags.push(Diagnostic::error(
                "Cannot read configuration directory",
                format!("Reading {}: {e}.", dir.display()),
            ));
            return (None, diags);
        }
    };
    if sources.is_empty() {
        diags.push(
            Diagnostic::error(
                "No configuration files",
                format!("The directory {} contains no *.hcl files.", dir.display()),
            )
            .with_hint("run strata in the directory that holds your configuration, or pass --chdir DIR"),
        );
        return (None, diags);
    }
    let config = load_files(dir, sources, files, &mut diags);
    (Some(config), diags)
}

/// Loads a root module from in-memory `(name, text)` sources; child modules come from disk
/// relative to `dir`.
pub fn load_files(
    dir: &Path,
    sources: Vec<(String, String)>,
    files: &mut SourceFiles,
    diags: &mut Diagnostics,
) -> Config {
    let mut stack = vec![canonical(dir)];
    let root = load_module(dir, ModulePath::root(), sources, files, diags, &mut stack);
    Config { root, graph: Default::default() }
}

fn load_module(
    dir: &Path,
    path: ModulePath,
    sources: Vec<(String, String)>,
    files: &mut SourceFiles,
    diags: &mut Diagnostics,
    stack: &mut Vec<PathBuf>,
) -> ModuleNode {
    let mut module = Module { dir: dir.to_path_buf(), ..Module::default() };
    for (name, text) in sources {
        let full = dir.join(&name);
        let display = full.strip_prefix(".").unwrap_or(&full).display().to_string();
        let file = files.add(display, &full, text);
        let text = files.get(file).map(|f| f.text.clone()).unwrap_or_default();
        match hcl::edit::parser::parse_body(&text) {
            Ok(body) => crate::decode::decode_file(&mut module, file, body, diags),
            Err(e) => diags.push(syntax_error(files, file, &e)),
        }
    }

    let mut children = BTreeMap::new();
    for call in module.module_calls.values() {
        if !(call.source.starts_with("./") || call.source.starts_with("../")) {
            diags.push(
                Diagnostic::error(
                    "Unsupported module source",
                    format!("The module source \"{}\" is not a local path. Strata loads modules from local directories only.", call.source),
                )
                .with_subject(call.source_span)
                .with_hint("write a path relative to this module that starts with ./ or ../"),
            );
            continue;
        }
        let child_dir = dir.join(&call.source);
        let key = canonical(&child_dir);
        if stack.contains(&key) || stack.len() >= MAX_MODULE_DEPTH {
            diags.push(
                Diagnostic::error(
                    "Module call cycle",
                    format!("The module \"{}\" calls itself, directly or through other modules.", call.name),
                )
                .with_subject(call.source_span),
            );
            continue;
        }
        let sources = match read_dir_sources(&child_dir) {
            Ok(s) if !s.is_empty() => s,
            Ok(_) | Err(_) => {
                diags.push(
                    Diagnostic::error(
                        "Module not found",
                        format!("The module directory {} does not exist or holds no *.hcl files.", child_dir.display()),
                    )
                    .with_subject(call.source_span),
                );
                continue;
            }
        };
        stack.push(key);
        let child = load_module(&child_dir, path.child(&call.name), sources, files, diags, stack);
        stack.pop();
        children.insert(call.name.clone(), child);
    }
    ModuleNode { path, module, children }
}

fn syntax_error(files: &SourceFiles, file: FileId, error: &hcl::edit::parser::Error) -> Diagnostic {
    let location = error.location();
    let start = files.get(file).map_or(0, |f| f.offset(location.line(), location.column()));
    let message = error.message();
    Diagnostic::error("Invalid HCL syntax", format!("The file could not be parsed: {}.", message.trim_end_matches('.')))
        .with_subject(Span::new(file, start..start + 1))
        .with_hint("check for unbalanced braces, brackets or quotes near the marked position")
}

/// `*.hcl` files of a directory, by name.
fn read_dir_sources(dir: &Path) -> std::io::Result<Vec<(String, String)>> {
    let mut names: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".hcl") && !n.starts_with('.'))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let path = dir.join(&name);
            let bytes = std::fs::read(&path)?;
            let text = String::from_utf8(bytes).map_err(|_| {
                std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{} is not UTF-8 text", path.display()))
            })?;
            Ok((name, text))
        })
        .collect()
}

fn canonical(dir: &Path) -> PathBuf {
    dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf())
}
