//! Crash consistency: `strata apply` (and `destroy`) of 300 `strata_file` resources is killed
//! with SIGKILL at a random moment, then the next run must find a readable state, no file that
//! is neither in state nor announced by an intent, and converge to exactly the configuration.
//!
//! Trials are seeded (a fixed xorshift seed), so a failure names a reproducible trial. Kill
//! delays are drawn within the measured duration of an uninterrupted run of the same kind and
//! adapt when the machine is faster or slower than measured. Statistics (how many kills landed
//! mid-apply) are written to `$CARGO_TARGET_TMPDIR/crash-stats.txt`.

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const FILES: usize = 300;
const TRIALS: usize = 27;
const SEED: u64 = 0x5EED_C0DE_2024_0001;
/// SIGKILL.
const KILL: i32 = 9;

/// Temp files left by killed *updates* are tolerated here until the bug that
/// `killed_update_leaves_no_temp_file` shows is fixed; then set this to `false`.
const TOLERATE_UPDATE_TEMP_FILES: bool = false;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/engine/many-files/main.hcl")
}

fn strata(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_strata"));
    command.current_dir(dir).args(args).env("NO_COLOR", "1");
    for (name, _) in std::env::vars() {
        if name.starts_with("STRATA_VAR_") {
            command.env_remove(name);
        }
    }
    command
}

fn run(dir: &Path, args: &[&str]) -> Output {
    strata(dir, args).stdin(Stdio::null()).output().expect("strata runs")
}

fn describe(args: &[&str], output: &Output) -> String {
    format!(
        "strata {}: {}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// xorshift64*: enough randomness for delays and choices, reproducible from [`SEED`].
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `[low, high)`.
    fn fraction(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * ((self.next() >> 11) as f64 / (1u64 << 53) as f64)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// A new directory: every resource is created.
    Fresh,
    /// The previous trial's directory with the next generation: every file is updated.
    Update,
    /// The previous trial's directory: everything is destroyed.
    Destroy,
}

/// Which trial does what (repeated): 9 fresh, 15 update, 3 destroy in 27 trials.
const SCHEDULE: [Kind; 9] = [
    Kind::Fresh,
    Kind::Update,
    Kind::Update,
    Kind::Destroy,
    Kind::Update,
    Kind::Fresh,
    Kind::Update,
    Kind::Fresh,
    Kind::Update,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    /// Still running when killed, and the files show some but not all of its changes.
    MidApply,
    /// Killed before it changed any file (loading, planning, or before the first write).
    BeforeChanges,
    /// Killed after every file was changed (recording the last results, compacting).
    AfterChanges,
    /// It exited before the kill.
    Completed,
}

fn expected_content(index: usize, generation: u64) -> String {
    format!("file {index} of seed-{generation}-link-{}\n", index % 10)
}

fn generation_arg(generation: u64) -> String {
    format!("generation={generation}")
}

fn apply(generation: u64) -> Vec<String> {
    vec!["apply".into(), "--auto-approve".into(), "--var".into(), generation_arg(generation)]
}

fn destroy(generation: u64) -> Vec<String> {
    vec!["destroy".into(), "--auto-approve".into(), "--var".into(), generation_arg(generation)]
}

fn refs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

/// Runs to completion and returns how long it took; panics unless it succeeds.
fn timed(dir: &Path, args: &[String]) -> Duration {
    let start = Instant::now();
    let output = run(dir, &refs(args));
    assert!(output.status.success(), "{}", describe(&refs(args), &output));
    start.elapsed()
}

fn new_workdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(fixture(), dir.path().join("main.hcl")).expect("copy the fixture");
    dir
}

/// Files under `files/`: the managed ones by index, everything else by name.
struct Listing {
    managed: BTreeMap<usize, String>,
    temp: Vec<String>,
    other: Vec<String>,
}

fn list_files(dir: &Path) -> Listing {
    let mut listing = Listing { managed: BTreeMap::new(), temp: Vec::new(), other: Vec::new() };
    let Ok(entries) = std::fs::read_dir(dir.join("files")) else { return listing };
    for entry in entries {
        let entry = entry.expect("read files/");
        let name = entry.file_name().to_string_lossy().into_owned();
        let index = name.strip_prefix("f-").and_then(|rest| rest.strip_suffix(".txt")).and_then(|n| n.parse().ok());
        match index {
            Some(index) => {
                let content = std::fs::read_to_string(entry.path()).expect("read a managed file");
                listing.managed.insert(index, content);
            }
            None if name.contains(".tmp-") => listing.temp.push(name),
            None => listing.other.push(name),
        }
    }
    listing
}

fn state_list(dir: &Path, context: &str) -> BTreeSet<String> {
    let output = run(dir, &["state", "list"]);
    assert!(output.status.success(), "{context}: the state must parse\n{}", describe(&["state", "list"], &output));
    String::from_utf8_lossy(&output.stdout).lines().map(str::to_owned).collect()
}

fn expected_addresses() -> BTreeSet<String> {
    let mut addresses: BTreeSet<String> = (0..FILES).map(|i| format!("strata_file.f[{i}]")).collect();
    addresses.insert("strata_data.seed".into());
    addresses.extend((0..10).map(|i| format!("strata_data.chain[{i}]")));
    addresses
}

/// Addresses with a create announced but not finished: the snapshot's intents, then the journal.
fn pending_intents(dir: &Path) -> BTreeSet<String> {
    let mut pending = BTreeSet::new();
    if let Ok(text) = std::fs::read_to_string(dir.join("strata.state.json"))
        && let Ok(snapshot) = serde_json::from_str::<serde_json::Value>(&text)
    {
        for intent in snapshot["intents"].as_array().into_iter().flatten() {
            if let Some(address) = intent["address"].as_str() {
                pending.insert(address.to_owned());
            }
        }
    }
    let journal = std::fs::read_to_string(dir.join("strata.state.json.journal")).unwrap_or_default();
    // A torn last line does not parse and is skipped, as loading does.
    for record in journal.lines().filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok()) {
        let Some(address) = record["address"].as_str() else { continue };
        match record["op"].as_str() {
            Some("put_intent") => {
                pending.insert(address.to_owned());
            }
            Some("put_instance" | "clear_intent" | "remove_instance") => {
                pending.remove(address);
            }
            _ => {}
        }
    }
    pending
}

struct Trial {
    number: usize,
    kind: Kind,
    generation: u64,
    delay: Duration,
    outcome: Outcome,
    stale_lock_file: bool,
    unlisted_files: usize,
    temp_files_after_kill: usize,
}

impl Trial {
    fn name(&self) -> String {
        format!("trial {} ({:?}, generation {}, kill after {:?})", self.number, self.kind, self.generation, self.delay)
    }
}

/// Starts `args`, kills it after `delay` unless it finished, and says which happened.
fn kill_after(dir: &Path, args: &[String], delay: Duration) -> bool {
    let mut child = strata(dir, &refs(args))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start strata");
    std::thread::sleep(delay);
    if child.try_wait().expect("poll strata").is_none() {
        // `Child::kill` sends SIGKILL on Unix: no handler runs, no destructor, no flush.
        child.kill().expect("kill strata");
    }
    let status = child.wait().expect("reap strata");
    match status.signal() {
        Some(KILL) => true,
        None => {
            assert!(status.success(), "{}: an uninterrupted run failed: {status}", args.join(" "));
            false
        }
        Some(other) => panic!("{}: strata died of signal {other}", args.join(" ")),
    }
}

/// How far the killed run got, from the files: (changed, total it had to change).
fn progress(kind: Kind, before: &Listing, after: &Listing, generation: u64) -> (usize, usize) {
    match kind {
        Kind::Fresh => (after.managed.len(), FILES),
        Kind::Update => {
            let done = after
                .managed
                .iter()
                .filter(|(index, content)| **content == expected_content(**index, generation))
                .count();
            (done, FILES)
        }
        Kind::Destroy => (before.managed.len() - after.managed.len(), before.managed.len()),
    }
}

fn check_converged(dir: &Path, generation: u64, context: &str) {
    assert_eq!(
        state_list(dir, context),
        expected_addresses(),
        "{context}: the state must list exactly the configuration"
    );
    let listing = list_files(dir);
    assert!(listing.other.is_empty(), "{context}: unexpected files under files/: {:?}", listing.other);
    let expected: BTreeMap<usize, String> = (0..FILES).map(|i| (i, expected_content(i, generation))).collect();
    let wrong: Vec<_> =
        (0..FILES).filter(|i| listing.managed.get(i) != expected.get(i)).map(|i| format!("f-{i}.txt")).collect();
    assert!(wrong.is_empty(), "{context}: files missing or with the wrong content: {wrong:?}");
    let args = ["plan", "--detailed-exitcode", "--var", &generation_arg(generation)];
    let plan = run(dir, &args);
    assert_eq!(
        plan.status.code(),
        Some(0),
        "{context}: after recovery the plan must be empty\n{}",
        describe(&args, &plan)
    );
}

#[test]
fn killed_apply_and_destroy_always_recover() {
    let mut rng = Rng(SEED);
    // Measure an uninterrupted run of each kind on this machine, now.
    let mut durations: BTreeMap<Kind, Duration> = BTreeMap::new();
    {
        let scratch = new_workdir();
        durations.insert(Kind::Fresh, timed(scratch.path(), &apply(0)));
        durations.insert(Kind::Update, timed(scratch.path(), &apply(1)));
        durations.insert(Kind::Destroy, timed(scratch.path(), &destroy(1)));
    }
    let measured = durations.clone();

    let mut workdir = new_workdir();
    let mut generation = 0;
    // Whether the current directory has seen an update trial (whose temp files may remain).
    let mut updated_here = false;
    let mut trials = Vec::new();
    for number in 0..TRIALS {
        let kind = SCHEDULE[number % SCHEDULE.len()];
        if kind == Kind::Fresh {
            workdir = new_workdir();
            updated_here = false;
        }
        if kind != Kind::Destroy {
            generation += 1;
        }
        let dir = workdir.path();
        let before = list_files(dir);
        let args = match kind {
            Kind::Destroy => destroy(generation),
            Kind::Fresh | Kind::Update => apply(generation),
        };
        let delay = durations[&kind].mul_f64(rng.fraction(0.05, 0.95));
        let killed = kill_after(dir, &args, delay);

        let after = list_files(dir);
        let (changed, total) = progress(kind, &before, &after, generation);
        let outcome = match (killed, changed) {
            (false, _) => Outcome::Completed,
            (true, 0) => Outcome::BeforeChanges,
            (true, n) if n == total => Outcome::AfterChanges,
            (true, _) => Outcome::MidApply,
        };
        // Keep the delays inside the run when the machine is faster or slower than measured.
        let duration = durations.get_mut(&kind).expect("measured");
        match outcome {
            Outcome::Completed | Outcome::AfterChanges => *duration = duration.mul_f64(0.85),
            Outcome::BeforeChanges => *duration = duration.mul_f64(1.15),
            Outcome::MidApply => {}
        }
        let mut trial = Trial {
            number,
            kind,
            generation,
            delay,
            outcome,
            stale_lock_file: dir.join("strata.state.json.lock").exists(),
            unlisted_files: 0,
            temp_files_after_kill: after.temp.len(),
        };
        let name = trial.name();

        // (a) The state parses, unless the run was killed before it wrote any state at all.
        if dir.join("strata.state.json").exists() || dir.join("strata.state.json.journal").exists() {
            let listed = state_list(dir, &name);
            // (b) No orphans: a file on disk that the state does not list was announced by an
            // intent, so the next plan reconciles it.
            let intents = pending_intents(dir);
            let orphans: Vec<_> = after
                .managed
                .keys()
                .map(|i| format!("strata_file.f[{i}]"))
                .filter(|address| !listed.contains(address))
                .inspect(|_| trial.unlisted_files += 1)
                .filter(|address| !intents.contains(address))
                .collect();
            assert!(
                orphans.is_empty(),
                "{name}: files on disk that neither the state nor an intent knows: {orphans:?}"
            );
        } else {
            assert!(after.managed.is_empty(), "{name}: files were written before any state existed");
        }

        // The next apply must work despite the lock file the killed run may have left behind.
        let recovery = apply(generation);
        let output = run(dir, &refs(&recovery));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !stderr.contains("Error acquiring the state lock"),
            "{name}: BUG: a lock left by a killed run blocks the next apply\n{}",
            describe(&refs(&recovery), &output)
        );
        assert!(
            output.status.success(),
            "{name}: the apply after the kill failed\n{}",
            describe(&refs(&recovery), &output)
        );
        check_converged(dir, generation, &name);
        updated_here |= kind == Kind::Update;
        let temp = list_files(dir).temp;
        let tolerated = TOLERATE_UPDATE_TEMP_FILES && updated_here;
        assert!(temp.is_empty() || tolerated, "{name}: temp files left behind: {temp:?}");
        trials.push(trial);
    }

    let count = |outcome| trials.iter().filter(|t| t.outcome == outcome).count();
    let mut stats = format!(
        "{TRIALS} trials, seed {SEED:#x}; uninterrupted runs measured: {measured:?}\n\
         killed mid-apply: {}; killed before any file changed: {}; killed after every file changed: {}; \
         completed before the kill: {}\n\
         stale lock files after a kill: {}; trials with files on disk not yet in state: {}; \
         temp files left right after kills: {}\n",
        count(Outcome::MidApply),
        count(Outcome::BeforeChanges),
        count(Outcome::AfterChanges),
        count(Outcome::Completed),
        trials.iter().filter(|t| t.stale_lock_file).count(),
        trials.iter().filter(|t| t.unlisted_files > 0).count(),
        trials.iter().map(|t| t.temp_files_after_kill).sum::<usize>(),
    );
    for trial in &trials {
        stats.push_str(&format!(
            "{}: {:?}, stale lock file {}, unlisted files {}, temp files {}\n",
            trial.name(),
            trial.outcome,
            trial.stale_lock_file,
            trial.unlisted_files,
            trial.temp_files_after_kill
        ));
    }
    let _ = std::fs::write(Path::new(env!("CARGO_TARGET_TMPDIR")).join("crash-stats.txt"), &stats);
    // The trials mean something only if most kills land inside a run.
    let inside = count(Outcome::MidApply);
    assert!(inside * 2 >= TRIALS, "too few kills landed mid-apply; delays need recalibrating\n{stats}");
}

/// An update killed between writing its staging file and renaming it must not leave the
/// staging file behind for good (it once did: staging names had a random part no later run
/// knew). The next refresh or write of the same file removes it.
#[test]
fn killed_update_leaves_no_temp_file() {
    let workdir = new_workdir();
    let dir = workdir.path();
    let update_time = {
        timed(dir, &apply(0));
        timed(dir, &apply(1))
    };
    let mut rng = Rng(SEED);
    let mut left = Vec::new();
    for generation in 2..12 {
        let delay = update_time.mul_f64(rng.fraction(0.1, 0.9));
        kill_after(dir, &apply(generation), delay);
        let output = run(dir, &refs(&apply(generation)));
        assert!(output.status.success(), "{}", describe(&refs(&apply(generation)), &output));
        left = list_files(dir).temp;
        if !left.is_empty() {
            break;
        }
    }
    assert!(left.is_empty(), "temp files left after a killed update and a successful apply: {left:?}");
}

/// BUG: `strata state pull` prints the snapshot file as stored and ignores the journal, so after
/// a killed apply it shows none of the instances the journal made durable (and `state list`
/// shows): a backup taken with `state pull > backup.json` then loses them.
#[test]
fn state_pull_after_a_kill_has_what_state_list_has() {
    let create_time = {
        let scratch = new_workdir();
        timed(scratch.path(), &apply(0))
    };
    let mut rng = Rng(SEED);
    for _ in 0..10 {
        let workdir = new_workdir();
        let dir = workdir.path();
        if !kill_after(dir, &apply(0), create_time.mul_f64(rng.fraction(0.3, 0.8))) {
            continue;
        }
        let listed = state_list(dir, "after the kill");
        if listed.is_empty() {
            continue;
        }
        let output = run(dir, &["state", "pull"]);
        assert!(output.status.success(), "{}", describe(&["state", "pull"], &output));
        let pulled: serde_json::Value = serde_json::from_slice(&output.stdout).expect("state pull prints JSON");
        let addresses: BTreeSet<String> = pulled["resources"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|resource| resource["address"].as_str().map(str::to_owned))
            .collect();
        assert!(
            addresses == listed,
            "after a killed apply, state pull has {} instances (serial {}) but state list has {}",
            addresses.len(),
            pulled["serial"],
            listed.len()
        );
        return;
    }
    panic!("no kill landed mid-apply in 10 attempts");
}
