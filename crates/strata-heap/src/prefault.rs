//! The main heap populated ahead of the main thread, on the second core (the default).
//!
//! glibc grows its main heap with `brk`, each time by what was asked for plus `M_TOP_PAD`; the
//! stretch between the last byte handed out and the break is address space the main thread
//! will write next. A helper thread watches the break and populates every new stretch with
//! `madvise(MADV_POPULATE_WRITE)` (each page faulted in, writable, without being written), so
//! that when the main thread gets there the page is present and costs it nothing. Fresh
//! memory costs the same; it is paid on a core that is otherwise mostly idle during a plan.
//!
//! Measured on the no-op plan of the 1,000-resource fan-out (idle machine, interleaved runs):
//! main-thread page faults 2,500 → 300-700 (200 of them the loader's, before `main`), median
//! 14.9 → 12.5 ms; of 5,000 resources 81 → 70 ms. Peak memory +1.6 MiB and +7 MiB: the pad
//! the helper may populate and not be used, and a heap that is never trimmed.
//!
//! The helper runs at idle priority, on what the other threads leave of the second core.
//!
//! Two allocator settings make it work: the heap is never trimmed mid-run (a trimmed stretch
//! would be faulted in again, on the main thread), and blocks up to 4 MiB come from the heap
//! rather than from mappings of their own (a state file read whole is then populated too,
//! instead of faulted in page by page and unmapped when freed).

use crate::Outcome;
#[cfg(all(target_os = "linux", target_env = "gnu"))]
use crate::PAGE;

/// How much the heap grows beyond each request: the helper's lead over the main thread.
/// 1-4 MiB measured the same; more is memory populated for nothing at the end.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const PAD: usize = 2 << 20;

/// Populated per call, so the main thread's own `brk` (which waits for the address-space
/// lock a populate call holds) never waits long.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const CHUNK: usize = 256 << 10;

/// Call once, first thing in `main`, on the main thread. Off with `STRATA_PREFAULT=0`.
pub fn prefault_heap() -> Outcome {
    if std::env::var_os("STRATA_PREFAULT").is_some_and(|v| v == "0") {
        return Outcome::Off;
    }
    start()
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn start() -> Outcome {
    crate::keep_the_heap_whole(PAD);
    let Some(first) = current_break() else { return Outcome::Unavailable };
    let helper = std::thread::Builder::new().name("strata-prefault".into()).stack_size(64 << 10);
    match helper.spawn(move || follow_the_break(first)) {
        Ok(_) => Outcome::Prefaulting,
        Err(_) => Outcome::Unavailable,
    }
}

/// Populates what the heap gains, until the kernel refuses (MADV_POPULATE_WRITE is Linux
/// 5.14+) or the bounds run out. Polls often while the heap grows (a command's first
/// moments), then less and less, at most every 100 ms after the first two seconds.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn follow_the_break(first: usize) {
    use std::time::{Duration, Instant};
    const ROUNDS: usize = 1_000_000;
    const LIFETIME: Duration = Duration::from_secs(600);
    const FIRST_WAIT: Duration = Duration::from_micros(20);
    idle_priority();
    let began = Instant::now();
    let mut populated = first;
    let mut wait = FIRST_WAIT;
    for _ in 0..ROUNDS {
        let Some(end) = current_break() else { return };
        if end > populated {
            let length = CHUNK.min(end - populated);
            if !populate(populated, length) {
                return;
            }
            populated += length;
            wait = FIRST_WAIT;
            continue;
        }
        // Nothing new; or the heap shrank (something called malloc_trim): follow it down.
        populated = end;
        let elapsed = began.elapsed();
        if elapsed > LIFETIME {
            return;
        }
        let most =
            if elapsed < Duration::from_secs(2) { Duration::from_micros(100) } else { Duration::from_millis(100) };
        std::thread::sleep(wait);
        wait = (wait * 2).min(most);
    }
}

/// Runs this thread only on a core with nothing else to do (SCHED_IDLE): while a command
/// loads, the second core reads the state and builds the dependency graph, which the main
/// thread then waits for, and the helper taking its turns there delayed them. Measured on the
/// no-op plan of the 5,000-resource fan-out (interleaved runs): 57.5 → 55.4 ms. The helper
/// still gets a sliver of a busy machine, so it never stops altogether.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn idle_priority() {
    let param = libc::sched_param { sched_priority: 0 };
    // SAFETY: sets the calling thread's (pid 0) scheduling policy; `param` is valid for the
    // call. A refusal leaves the thread at normal priority, which works too.
    unsafe { libc::sched_setscheduler(0, libc::SCHED_IDLE, &param) };
}

/// The program break rounded down to a page: the end of the main heap.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn current_break() -> Option<usize> {
    // SAFETY: `brk(0)` asks for a break below the heap's start, which the kernel refuses by
    // answering the current break unchanged. (Not glibc's `sbrk(0)`: that reads a variable
    // the main thread writes.)
    let at = unsafe { libc::syscall(libc::SYS_brk, 0usize) };
    usize::try_from(at).ok().filter(|&at| at != 0).map(|at| at & !(PAGE - 1))
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn populate(start: usize, length: usize) -> bool {
    // SAFETY: the range is page-aligned and lies between a break seen earlier and the break
    // now, inside the heap's mapping (the heap is not trimmed; were it, the kernel answers
    // ENOMEM for a range no longer mapped). MADV_POPULATE_WRITE faults pages in as a write
    // would, without writing: contents, including what the main thread writes meanwhile,
    // stay as they are.
    unsafe { libc::madvise(start as *mut libc::c_void, length, libc::MADV_POPULATE_WRITE) == 0 }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn start() -> Outcome {
    Outcome::Off
}
