//! With `STRATA_HUGE_PAGES=1` the main heap is advised for huge pages. A test with a harness
//! of its own (`harness = false`, see `common`).

mod common;

fn main() {
    // Off unless asked for (here, where it is not); asked for in a child with
    // STRATA_HUGE_PAGES=1, and any other value leaves it off.
    common::run(
        "the_main_heap_is_advised_for_huge_pages",
        "STRATA_HUGE_PAGES",
        "1",
        || assert_eq!(strata_heap::use_huge_pages(), strata_heap::Outcome::Off),
        check,
        || assert_eq!(strata_heap::use_huge_pages(), strata_heap::Outcome::Off),
    );
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn check() {
    let outcome = strata_heap::use_huge_pages();
    let strata_heap::Outcome::Advised(length) = outcome else { panic!("not advised: {outcome:?}") };
    assert!(length >= 64 << 20, "advised only {length} bytes");
    // The heap's mapping now carries the kernel's huge page advice: `hg` in its VmFlags.
    let mappings = common::mappings();
    let advised_kb: usize = mappings.iter().filter(|m| m.flags.iter().any(|f| f == "hg")).map(|m| m.size_kb).sum();
    assert!(advised_kb * 1024 >= length, "{advised_kb} KiB advised, expected {length} bytes:\n{mappings:#?}");
    common::check_contents();
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn check() {
    assert_eq!(strata_heap::use_huge_pages(), strata_heap::Outcome::Off);
}
