//! The main heap backed by transparent huge pages — on request (`STRATA_HUGE_PAGES=1`),
//! because whether it pays depends on the host.
//!
//! A plan is a short run that builds tens of megabytes of small objects and exits. Measured on
//! a no-op plan of 1,000 resources, a quarter of its time was the kernel faulting in fresh heap
//! memory one 4 KiB page at a time (3,700 faults). glibc can back its heap with transparent
//! huge pages itself (`GLIBC_TUNABLES=glibc.malloc.hugetlb=1`), but reads that setting only
//! from the environment at process start. [`use_huge_pages`] does the same from inside, once,
//! first thing in `main`: it makes the heap grow in large steps, grows it once, and advises
//! the kernel to back the new range with huge pages (`madvise(MADV_HUGEPAGE)`, honoured when
//! `/sys/kernel/mm/transparent_hugepage/enabled` is `always` or `madvise`).
//!
//! Why it is off by default: on the VM this project is measured on, the hypervisor takes back
//! free memory in 2 MiB blocks (virtio-balloon free page reporting), and a huge page made of
//! such a block costs ~4.6 ms to fault in instead of ~0.1 ms (24 MiB touched: 1.1 ms with huge
//! pages just freed, 55 ms with reported ones, 8 ms with 4 KiB pages). So the same plan took
//! 15 ms or 40 ms with huge pages, depending on what ran before, and a steady 21 ms without.
//! Where huge pages are cheap (bare metal, VMs without free page reporting) it cuts a plan by
//! about a quarter, for ~2 MiB more peak memory.
//!
//! Growing the heap reserves address space, not memory: pages count only once touched. The
//! heap is not trimmed back to the system while the process runs, so the advised range stays
//! one piece; the memory is returned at exit.

use crate::Outcome;
#[cfg(all(target_os = "linux", target_env = "gnu"))]
use crate::PAGE;

/// How far the heap grows at a time: address space only, touched pages are what count.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const GROWTH: usize = 64 << 20;

/// Call once, first thing in `main` (on the main thread: other threads allocate from heaps of
/// their own, which this leaves alone). Does something only with `STRATA_HUGE_PAGES=1`.
pub fn use_huge_pages() -> Outcome {
    if std::env::var_os("STRATA_HUGE_PAGES").is_none_or(|v| v != "1") {
        return Outcome::Off;
    }
    advise()
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn advise() -> Outcome {
    // Grow in large steps, never give memory back mid-run, large buffers from the heap too.
    crate::keep_the_heap_whole(GROWTH);
    // SAFETY: `sbrk(0)` only reads the current break; `malloc`/`free` are paired on a block
    // nothing else sees; `madvise` is given a page-aligned range inside the heap the
    // allocator owns, and MADV_HUGEPAGE changes how the kernel backs it, never its contents.
    unsafe {
        let before = libc::sbrk(0) as usize;
        // A block larger than what is left at the heap's top makes it grow by GROWTH now.
        // (`black_box`: an allocation nothing reads would otherwise be optimised away.)
        let block = std::hint::black_box(libc::malloc(1 << 20));
        let after = libc::sbrk(0) as usize;
        libc::free(block);
        // (sbrk answers usize::MAX, i.e. (void*)-1, when it fails.)
        let Some(start) = before.checked_add(PAGE - 1).map(|end| end & !(PAGE - 1)) else {
            return Outcome::Unavailable;
        };
        if block.is_null() || after == usize::MAX || after <= start {
            return Outcome::Unavailable;
        }
        let length = after - start;
        if libc::madvise(start as *mut libc::c_void, length, libc::MADV_HUGEPAGE) != 0 {
            return Outcome::Unavailable;
        }
        Outcome::Advised(length)
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn advise() -> Outcome {
    Outcome::Off
}
