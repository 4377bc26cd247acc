//! A test with a harness of its own (`harness = false`): libtest runs every test on a thread
//! of its own, which allocates from a heap of its own, and what is tested here is the main
//! thread's heap. It answers nextest's `--list` like libtest does.

const NAME: &str = "the_main_heap_is_advised_for_huge_pages";

#[allow(clippy::print_stdout)] // The harness protocol is lines on stdout.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--list") {
        if !args.iter().any(|a| a == "--ignored") {
            println!("{NAME}: test");
        }
        return;
    }
    if args.iter().any(|a| a == "--off-child") {
        assert_eq!(strata_heap::use_huge_pages(), strata_heap::Outcome::Off);
        return;
    }
    if args.iter().any(|a| a == "--on-child") {
        check();
        return;
    }
    // Off unless asked for; asked for in a child with STRATA_HUGE_PAGES=1, and any other value
    // leaves it off (children: setting the variable here would need `unsafe`).
    assert_eq!(strata_heap::use_huge_pages(), strata_heap::Outcome::Off);
    child("--on-child", "1");
    child("--off-child", "0");
    println!("test {NAME} ... ok");
}

/// Runs this test binary again as `arg` with `STRATA_HUGE_PAGES=value`; it must succeed.
fn child(arg: &str, value: &str) {
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .arg(arg)
        .env("STRATA_HUGE_PAGES", value)
        .status()
        .unwrap();
    assert!(status.success(), "{arg} with STRATA_HUGE_PAGES={value}: {status}");
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn check() {
    let outcome = strata_heap::use_huge_pages();
    let strata_heap::Outcome::Advised(length) = outcome else { panic!("not advised: {outcome:?}") };
    assert!(length >= 64 << 20, "advised only {length} bytes");
    // The heap's mapping now carries the kernel's huge page advice: `hg` in its VmFlags.
    let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
    let mut size_kb = 0usize;
    let mut advised_kb = 0usize;
    for line in smaps.lines() {
        if let Some(rest) = line.strip_prefix("Size:") {
            size_kb = rest.trim().trim_end_matches("kB").trim().parse().unwrap_or(0);
        }
        if let Some(flags) = line.strip_prefix("VmFlags:")
            && flags.split_whitespace().any(|f| f == "hg")
        {
            advised_kb += size_kb;
        }
    }
    assert!(advised_kb * 1024 >= length, "{advised_kb} KiB advised, expected {length} bytes:\n{smaps}");
    // Memory from the advised heap holds what is written to it.
    let blocks: Vec<Vec<u64>> = (0..1000u64).map(|i| vec![i; 512]).collect();
    assert!(blocks.iter().zip(0u64..).all(|(block, i)| block.iter().all(|&x| x == i)));
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn check() {
    assert_eq!(strata_heap::use_huge_pages(), strata_heap::Outcome::Off);
}
