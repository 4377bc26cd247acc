//! Files and paths: `file`, `filebase64`, `fileexists` read relative paths from
//! `FunctionContext::base_dir`; `abspath`, `basename`, `dirname` only compute on the text
//! (with `/` separators, like Terraform on Unix).

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use strata_value::Value;

use crate::FunctionError;
use crate::args::Args;

fn resolve(args: &Args) -> Result<PathBuf, FunctionError> {
    Ok(args.ctx.base_dir.join(args.string(0)?))
}

/// The path for messages, quoted, unless it came from a sensitive argument.
fn shown(args: &Args, path: &Path) -> String {
    args.quote(0, &path.display().to_string())
}

fn read(args: &Args) -> Result<(PathBuf, Vec<u8>), FunctionError> {
    let path = resolve(args)?;
    match std::fs::read(&path) {
        Ok(bytes) => Ok((path, bytes)),
        Err(error) if error.kind() == ErrorKind::NotFound => Err(args.failed(format!(
            "no file exists at {}; this function works only with files that are distributed as part of the \
             configuration source code, so if this file will be created by a resource in this configuration you \
             must instead obtain this result from an attribute of that resource",
            shown(args, &path)
        ))),
        Err(error) => Err(args.failed(format!("cannot read {}: {error}", shown(args, &path)))),
    }
}

pub(crate) fn file(args: &Args) -> Result<Value, FunctionError> {
    let (path, bytes) = read(args)?;
    String::from_utf8(bytes).map(Value::String).map_err(|_| {
        args.failed(format!(
            "the contents of {} are not valid UTF-8; use the filebase64 function to read binary files",
            shown(args, &path)
        ))
    })
}

pub(crate) fn filebase64(args: &Args) -> Result<Value, FunctionError> {
    let (_, bytes) = read(args)?;
    Ok(Value::String(STANDARD.encode(bytes)))
}

/// True for a file, false when nothing is there; a directory is an error.
pub(crate) fn fileexists(args: &Args) -> Result<Value, FunctionError> {
    let path = resolve(args)?;
    match std::fs::metadata(&path) {
        Ok(metadata) if metadata.is_dir() => {
            Err(args.failed(format!("{} is a directory, not a file", shown(args, &path))))
        }
        Ok(_) => Ok(Value::Bool(true)),
        Err(error) if error.kind() == ErrorKind::NotFound => Ok(Value::Bool(false)),
        Err(error) => Err(args.failed(format!("cannot read the metadata of {}: {error}", shown(args, &path)))),
    }
}

/// Go's `path.Clean`: no repeated slashes, no `.` and as few `..` as possible.
fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|last| *last != "..") => {
                parts.pop();
            }
            ".." if rooted => {}
            part => parts.push(part),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_owned(),
        (false, false) => joined,
    }
}

/// The absolute form of a path, relative ones taken from the current directory as Terraform
/// does; never fails (the path is only cleaned when there is no current directory).
pub(crate) fn abspath(args: &Args) -> Result<Value, FunctionError> {
    let path = args.string(0)?;
    let absolute = std::path::absolute(&path).map(|p| p.to_string_lossy().into_owned()).unwrap_or(path);
    Ok(Value::String(clean(&absolute)))
}

/// The last element: `basename("a/b.txt")` is "b.txt", `basename("/")` is "/".
pub(crate) fn basename(args: &Args) -> Result<Value, FunctionError> {
    let path = args.string(0)?;
    if path.is_empty() {
        return Ok(Value::from("."));
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return Ok(Value::from("/"));
    }
    Ok(Value::from(trimmed.rsplit('/').next().unwrap_or(trimmed)))
}

/// All but the last element: `dirname("a/b.txt")` is "a", `dirname("b.txt")` is ".".
pub(crate) fn dirname(args: &Args) -> Result<Value, FunctionError> {
    let path = args.string(0)?;
    let directory = path.rfind('/').map_or("", |i| &path[..=i]);
    Ok(Value::String(clean(directory)))
}
