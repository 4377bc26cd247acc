//! The built-in `strata` provider (being written).
