//! The C heap of the `strata` process: making fresh memory cheap for the main thread.
//!
//! A plan is a short run that builds tens of megabytes of small objects and exits. Measured on
//! a no-op plan of 1,000 resources, a quarter of its time was the kernel faulting in fresh heap
//! memory one 4 KiB page at a time (~2,500 faults on the main thread at ~1.3 µs each). Two
//! ways to take that off the main thread, one chosen first thing in `main`:
//!
//! - [`prefault_heap`] (the default): a helper thread populates each stretch of heap the
//!   allocator claims (`madvise(MADV_POPULATE_WRITE)`) before the main thread gets there, so
//!   the faults are taken on the second core. Same memory, same pages; a plan of 1,000
//!   resources goes from ~15 to ~12.5 ms. `STRATA_PREFAULT=0` turns it off (for measuring).
//! - [`use_huge_pages`] (`STRATA_HUGE_PAGES=1`): the heap backed by transparent huge pages,
//!   which pays where huge pages are cheap and costs where they are not (see its module).
//!
//! Both change only how the kernel backs memory, never its contents, and both are only for
//! the main thread's heap (glibc's main arena, grown with `brk`): other threads allocate from
//! heaps of their own. This crate holds the workspace's only unsafe code, the libc calls.
//! On anything but Linux with glibc both do nothing.

mod huge_pages;
mod prefault;

pub use huge_pages::use_huge_pages;
pub use prefault::prefault_heap;

/// What happened, for `strata`'s tests and for whoever measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// This many bytes of heap were advised for huge pages.
    Advised(usize),
    /// The helper thread that populates the heap runs.
    Prefaulting,
    /// Not asked for (or turned off), or not Linux with glibc.
    Off,
    /// The kernel or the allocator did not cooperate: nothing changed but allocator settings.
    Unavailable,
}

/// The page size the ranges given to the kernel are aligned to (x86-64 and aarch64 Linux
/// use 4 KiB base pages; a larger real page size only makes a range cover whole pages).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const PAGE: usize = 4096;

/// The allocator settings both ways need: the heap grows in steps of `top_pad` beyond each
/// request, is never trimmed mid-run (a trimmed stretch would be faulted in again, and would
/// cut an advised range), and serves blocks up to 4 MiB itself rather than from mappings of
/// their own (so large buffers, such as a state file read whole, are covered too).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn keep_the_heap_whole(top_pad: usize) {
    let top_pad = libc::c_int::try_from(top_pad).unwrap_or(libc::c_int::MAX);
    // SAFETY: `mallopt` only sets allocator parameters, here to values in range (the largest
    // trim threshold means "never").
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, top_pad);
        libc::mallopt(libc::M_TRIM_THRESHOLD, libc::c_int::MAX);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 4 << 20);
    }
}
