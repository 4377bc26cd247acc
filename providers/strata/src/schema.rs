//! The provider's schema: what `strata_data` and `strata_file` accept and compute.
//!
//! Until providers run as plugins and serve their schemas over the protocol, the single
//! description is the `strata` entry of `strata_schema::builtin_catalog()` (which the validator
//! reads too); this provider serves that same value rather than a copy that could drift.

use strata_schema::ProviderSchema;

/// The mode a `strata_file` gets when the configuration does not set one (the catalog's
/// default for `mode`; a test checks they agree).
pub const DEFAULT_MODE: &str = "0644";

/// The schema of the `strata` provider: two resource types and the `strata_file` data source.
pub fn schema() -> ProviderSchema {
    strata_schema::builtin_catalog().providers.remove("strata").unwrap_or_default()
}
