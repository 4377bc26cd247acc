//! "Did you mean" suggestions for near misses.

/// The closest candidate to `given`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(given: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(given, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn suggests_near_misses_only() {
        assert_eq!(
            super::did_you_mean("instanse_type", ["count", "instance_type"]).as_deref(),
            Some("did you mean `instance_type`?")
        );
        assert_eq!(super::did_you_mean("zzz", ["count", "instance_type"]), None);
    }
}
