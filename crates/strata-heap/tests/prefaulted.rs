//! By default the main heap is populated ahead of the main thread: the stretch the allocator
//! claimed beyond what it handed out becomes resident without the main thread touching it. A
//! test with a harness of its own (`harness = false`, see `common`).

mod common;

fn main() {
    // On by default (in a child, so this process's heap stays as it was), off with
    // STRATA_PREFAULT=0.
    common::run(
        "the_main_heap_is_populated_ahead_of_the_main_thread",
        "STRATA_PREFAULT",
        "1",
        || {},
        check,
        || assert_eq!(strata_heap::prefault_heap(), strata_heap::Outcome::Off),
    );
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn check() {
    assert_eq!(strata_heap::prefault_heap(), strata_heap::Outcome::Prefaulting);
    // Small blocks written one after another until the heap grows (bounded: 8 MiB): it grows
    // by what is asked for plus a 2 MiB pad, of which this has written only the last 64 blocks.
    let heap = || common::mappings().into_iter().find(|m| m.name == "[heap]").expect("a [heap] mapping");
    let before = heap().size_kb;
    let mut blocks: Vec<Vec<u8>> = Vec::with_capacity(8192);
    for i in 0..8192 {
        blocks.push(vec![(i % 251) as u8; 1024]);
        if i % 64 == 63 && heap().size_kb > before {
            break;
        }
    }
    let grown = heap();
    assert!(grown.size_kb >= before + 1024, "the heap did not grow by a pad: {before} KiB, then {grown:?}");
    // The helper populates the pad: the whole heap becomes resident (but for what lay unused
    // at its top before the helper started). Bounded wait: 500 polls, 10 ms apart.
    let mut last = grown;
    for _ in 0..500 {
        if last.size_kb - last.rss_kb < 256 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        last = heap();
    }
    assert!(last.size_kb - last.rss_kb < 256, "the heap's pad stayed out of memory: {last:?}");
    assert!(blocks.iter().zip(0..).all(|(block, i)| block.iter().all(|&b| b == (i % 251) as u8)));
    common::check_contents();
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn check() {
    assert_eq!(strata_heap::prefault_heap(), strata_heap::Outcome::Off);
}
