//! What both tests share: the process's mappings from /proc/self/smaps, and the harness
//! protocol nextest speaks (these tests run their checks on the main thread, whose heap is
//! the one under test, so they have no libtest harness).

// Each test binary uses a part of this module.
#![allow(dead_code)]

/// One mapping of /proc/self/smaps, the fields the tests look at.
#[derive(Debug, Default)]
pub struct Mapping {
    /// The path or pseudo-path (`[heap]`), empty for anonymous mappings.
    pub name: String,
    pub size_kb: usize,
    pub rss_kb: usize,
    pub flags: Vec<String>,
}

pub fn mappings() -> Vec<Mapping> {
    let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
    let mut all: Vec<Mapping> = Vec::new();
    for line in smaps.lines() {
        let kb = |rest: &str| rest.trim().trim_end_matches("kB").trim().parse().unwrap_or(0);
        if let Some(rest) = line.strip_prefix("Size:") {
            all.last_mut().unwrap().size_kb = kb(rest);
        } else if let Some(rest) = line.strip_prefix("Rss:") {
            all.last_mut().unwrap().rss_kb = kb(rest);
        } else if let Some(flags) = line.strip_prefix("VmFlags:") {
            all.last_mut().unwrap().flags = flags.split_whitespace().map(str::to_owned).collect();
        } else if line.split_whitespace().next().is_some_and(|range| range.contains('-') && !range.ends_with(':')) {
            // "start-end perms offset dev inode [name]": a new mapping.
            let name = line.split_whitespace().nth(5).unwrap_or_default().to_owned();
            all.push(Mapping { name, ..Mapping::default() });
        }
    }
    all
}

/// The test `name` as a harness of its own: answers `--list` as libtest does; otherwise runs
/// `parent` here, then this binary again as two children, `on` with `variable=on_value` and
/// `off` with `variable=0` (children, because setting the variable here would need `unsafe`,
/// and so each starts with a heap untouched by the other), and reports the test passed.
#[allow(clippy::print_stdout)] // The harness protocol is lines on stdout.
pub fn run(name: &str, variable: &str, on_value: &str, parent: fn(), on: fn(), off: fn()) {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--list") {
        if !args.iter().any(|a| a == "--ignored") {
            println!("{name}: test");
        }
        return;
    }
    if args.iter().any(|a| a == "--off-child") {
        off();
        return;
    }
    if args.iter().any(|a| a == "--on-child") {
        on();
        return;
    }
    parent();
    child("--on-child", variable, on_value);
    child("--off-child", variable, "0");
    println!("test {name} ... ok");
}

/// Runs this test binary again with `arg` and the environment variable `variable=value`; it
/// must succeed.
fn child(arg: &str, variable: &str, value: &str) {
    let status =
        std::process::Command::new(std::env::current_exe().unwrap()).arg(arg).env(variable, value).status().unwrap();
    assert!(status.success(), "{arg} with {variable}={value}: {status}");
}

/// Memory from the heap holds what is written to it.
pub fn check_contents() {
    let blocks: Vec<Vec<u64>> = (0..1000u64).map(|i| vec![i; 512]).collect();
    assert!(blocks.iter().zip(0u64..).all(|(block, i)| block.iter().all(|&x| x == i)));
}
