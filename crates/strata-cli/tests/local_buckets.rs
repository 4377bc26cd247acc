//! `local_bucket` and `local_bucket_object` end to end, through the real `strata` binary and
//! the real plugin `strata-provider-local`. No root needed: the bucket root and the provider's
//! state directory are in a directory of the test's own (under the target directory, since
//! the provider refuses a state directory under /tmp).
//!
//! - `bucket_objects_update_drift_refusal_force_destroy`: a bucket, an object from `source` and
//!   one from `content` → apply → files, modes and a bucket listing with nothing foreign →
//!   change the source file → `plan --detailed-exitcode` exits 2 and apply rewrites it → edit
//!   and remove objects behind Strata's back → drift (exit 2) and repair → destroy refused on
//!   a foreign file → `force_destroy = true`, apply, destroy → nothing left.
//! - `existing_directory_is_refused_then_imported`: a create over a directory that is already
//!   there fails, naming it and `strata import`; the import adopts it with no changes planned.
//! - `refusals`: every `testdata/local-buckets/refusals/*.hcl` is planned and must fail with
//!   the errors its `# EXPECT-STDERR:` lines name.

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value as Json;

mod support;
use support::{plugin, strata};

const BUCKET: &str = "strata-e2e-data";
const RECORD: &str = "state/buckets/strata-e2e-data.json";
/// sha256 of "a,1\n", as `sha256sum` prints it.
const SHA256_A1: &str = "a763c2b572d8bdf96960a1511f6928ec35879ec98363a3e14e3c75ca1cbc8994";

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/local-buckets")
}

/// A working directory of the test's own, outside /tmp (the provider refuses a state
/// directory there).
fn workspace(name: &str) -> tempfile::TempDir {
    support::persistent_tempdir(&format!("local-buckets-{name}-"))
}

/// Runs `strata ARGS` in `dir`.
fn run(dir: &Path, args: &[&str]) -> Output {
    plugin("local");
    Command::new(strata())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("running strata")
}

/// Runs `strata ARGS`, failing the test unless it exits with `code`; returns stdout and
/// stderr together, whitespace runs as one space.
fn expect(dir: &Path, args: &[&str], code: i32) -> String {
    let output = run(dir, args);
    let (stdout, stderr) =
        (String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned());
    assert_eq!(output.status.code(), Some(code), "strata {args:?}\nstdout:\n{stdout}\nstderr:\n{stderr}");
    flat(&(stdout + &stderr))
}

fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The configuration: the provider block (buckets and state under the working directory), the
/// bucket and its two objects.
fn configuration(force_destroy: bool) -> String {
    format!(
        r#"
provider "local" {{
  bucket_root = "buckets"
  state_dir   = "state"
}}

resource "local_bucket" "data" {{
  name          = "{BUCKET}"
  force_destroy = {force_destroy}
}}

resource "local_bucket_object" "input" {{
  bucket = local_bucket.data.id
  key    = "input/2026/part-0000.csv"
  source = "input.csv"
}}

resource "local_bucket_object" "readme" {{
  bucket  = local_bucket.data.id
  key     = "README"
  content = "hello from strata\n"
}}

output "url" {{
  value = local_bucket.data.url
}}

output "input_sha256" {{
  value = local_bucket_object.input.sha256
}}
"#
    )
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[test]
fn bucket_objects_update_drift_refusal_force_destroy() {
    let work = workspace("lifecycle");
    let dir = work.path();
    std::fs::write(dir.join("main.hcl"), configuration(false)).unwrap();
    std::fs::write(dir.join("input.csv"), "a,1\n").unwrap();
    let bucket = dir.join("buckets").join(BUCKET);
    let input = bucket.join("input/2026/part-0000.csv");
    let readme = bucket.join("README");

    // Paths and digests are known at plan time.
    let plan = expect(dir, &["plan"], 0);
    for expected in [
        format!("+ path = \"{}\"", bucket.display()),
        format!("+ url = \"file://{}\"", input.display()),
        format!("+ sha256 = \"{SHA256_A1}\""),
        "+ size = 4".to_string(),
    ] {
        assert!(plan.contains(&expected), "{expected:?} in:\n{plan}");
    }
    let apply = expect(dir, &["apply", "--auto-approve"], 0);
    assert!(apply.contains("Apply complete! Resources: 3 added, 0 changed, 0 destroyed."), "{apply}");
    assert_eq!(std::fs::read_to_string(&input).unwrap(), "a,1\n");
    assert_eq!(std::fs::read_to_string(&readme).unwrap(), "hello from strata\n");
    assert_eq!(
        (mode(&bucket), mode(&input), mode(&readme), mode(input.parent().unwrap())),
        (0o755, 0o644, 0o644, 0o755)
    );
    assert_eq!(names(&bucket), ["README", "input"], "nothing foreign in the bucket's listing");
    assert!(dir.join(RECORD).is_file(), "the ownership record is kept outside the bucket");
    let url: Json = serde_json::from_str(&expect(dir, &["output", "--json", "url"], 0)).unwrap();
    assert_eq!(url, Json::String(format!("file://{}", bucket.display())));
    expect(dir, &["plan", "--detailed-exitcode"], 0);

    // A new content of the source file is an update, shown before it is made.
    std::fs::write(dir.join("input.csv"), "a,1\nb,2\n").unwrap();
    let plan = expect(dir, &["plan", "--detailed-exitcode"], 2);
    assert!(plan.contains("~ resource \"local_bucket_object\" \"input\""), "{plan}");
    assert!(plan.contains("Plan: 0 to add, 1 to change, 0 to destroy."), "{plan}");
    expect(dir, &["apply", "--auto-approve"], 0);
    assert_eq!(std::fs::read_to_string(&input).unwrap(), "a,1\nb,2\n");
    expect(dir, &["plan", "--detailed-exitcode"], 0);

    // Edited behind Strata's back: drift, and apply writes it again.
    std::fs::write(&readme, "edited by hand\n").unwrap();
    let drift = expect(dir, &["plan", "--detailed-exitcode"], 2);
    assert!(drift.contains("changed outside Strata"), "{drift}");
    assert!(drift.contains("Plan: 0 to add, 1 to change, 0 to destroy."), "{drift}");
    expect(dir, &["apply", "--auto-approve"], 0);
    assert_eq!(std::fs::read_to_string(&readme).unwrap(), "hello from strata\n");

    // Removed behind Strata's back: made again.
    std::fs::remove_file(&input).unwrap();
    let gone = expect(dir, &["plan", "--detailed-exitcode"], 2);
    assert!(gone.contains("Plan: 1 to add, 0 to change, 0 to destroy."), "{gone}");
    expect(dir, &["apply", "--auto-approve"], 0);
    assert_eq!(std::fs::read_to_string(&input).unwrap(), "a,1\nb,2\n");
    expect(dir, &["plan", "--detailed-exitcode"], 0);

    // A file Strata did not make keeps the bucket from being destroyed; the objects go.
    std::fs::write(bucket.join("foreign.txt"), "not strata's\n").unwrap();
    let refused = expect(dir, &["destroy", "--auto-approve"], 1);
    for expected in [
        format!("bucket {BUCKET} is not empty: {} holds 1 object", bucket.display()),
        "set force_destroy = true on the bucket, run `strata apply`, and destroy again".to_string(),
    ] {
        assert!(refused.contains(&expected), "{expected:?} in:\n{refused}");
    }
    assert_eq!(names(&bucket), ["foreign.txt"], "the objects are removed, and the directories they made");

    // With force_destroy in the state, everything goes.
    std::fs::write(dir.join("main.hcl"), configuration(true)).unwrap();
    let apply = expect(dir, &["apply", "--auto-approve"], 0);
    assert!(apply.contains("Resources: 2 added, 1 changed, 0 destroyed."), "{apply}");
    let destroy = expect(dir, &["destroy", "--auto-approve"], 0);
    assert!(destroy.contains("3 destroyed"), "{destroy}");
    assert!(!bucket.exists(), "{}", bucket.display());
    assert!(names(&dir.join("buckets")).is_empty());
    assert!(!dir.join(RECORD).exists());
}

#[test]
fn existing_directory_is_refused_then_imported() {
    let work = workspace("import");
    let dir = work.path();
    std::fs::write(
        dir.join("main.hcl"),
        r#"
provider "local" {
  bucket_root = "buckets"
  state_dir   = "state"
}

resource "local_bucket" "taken" {
  name = "strata-e2e-taken"
}
"#,
    )
    .unwrap();
    let bucket = dir.join("buckets/strata-e2e-taken");
    std::fs::create_dir_all(&bucket).unwrap();
    let refused = expect(dir, &["apply", "--auto-approve"], 1);
    for expected in [
        format!("bucket strata-e2e-taken already exists: {} is there already", bucket.display()),
        "`strata import <address> strata-e2e-taken`".to_string(),
    ] {
        assert!(refused.contains(&expected), "{expected:?} in:\n{refused}");
    }
    assert!(!dir.join("state/buckets/strata-e2e-taken.json").exists(), "a refused create records nothing");

    expect(dir, &["import", "local_bucket.taken", "strata-e2e-taken"], 0);
    expect(dir, &["plan", "--detailed-exitcode"], 0);
    expect(dir, &["destroy", "--auto-approve"], 0);
    assert!(!bucket.exists());
}

#[test]
fn refusals() {
    let mut failures = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(testdata().join("refusals"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "hcl"))
        .collect();
    entries.sort();
    assert!(!entries.is_empty());
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let source = std::fs::read_to_string(&path).unwrap();
        let work = workspace("refusal");
        std::fs::write(work.path().join("main.hcl"), &source).unwrap();
        let output = run(work.path(), &["plan"]);
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        if output.status.code() != Some(1) {
            failures.push(format!("{name}: exit {:?}\n{stderr}", output.status.code()));
        }
        let stderr_flat = flat(&stderr);
        for expected in source.lines().filter_map(|line| line.strip_prefix("# EXPECT-STDERR: ")) {
            if !stderr_flat.contains(expected) {
                failures.push(format!("{name}: stderr lacks {expected:?}:\n{stderr}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
