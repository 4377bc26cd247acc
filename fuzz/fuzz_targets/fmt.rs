//! Fuzz target: `format_source` never panics, and its output is a fixed point
//! (formatting formatted text changes nothing).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(out) = strata_fmt::format_source(text) {
        let again = strata_fmt::format_source(&out);
        assert_eq!(again.as_ref(), Ok(&out), "format_source is not idempotent on its own output");
    }
});
