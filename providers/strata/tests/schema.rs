//! The provider serves the schema the validator already uses.

use strata_provider::Provider;
use strata_provider_strata::StrataProvider;

#[test]
fn schema_equals_the_builtin_catalog_entry() {
    let catalog = strata_schema::builtin_catalog();
    assert_eq!(StrataProvider::new().schema(), catalog.providers["strata"]);
}

#[test]
fn default_mode_matches_the_catalog() {
    let catalog = strata_schema::builtin_catalog();
    let mode = &catalog.providers["strata"].resources["strata_file"].block.attributes["mode"];
    assert_eq!(mode.default, Some(strata_value::Value::from(strata_provider_strata::DEFAULT_MODE)));
}
