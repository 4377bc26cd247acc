//! Operation: an archive extracted into a directory once, remembered by a marker file.

use serde::{Deserialize, Serialize};

use crate::content::FileContent;
use crate::mode::Mode;
use crate::operations::{OperationError, Step, require_absolute};
use crate::shell::{parent, quote};

/// An archive (any format `tar -xf` detects: tar, tar.gz, tar.xz, …) to extract into
/// `destination`. The marker `<destination>/.strata-archive.sha256` holds the sha256 of the
/// archive last extracted there; extraction happens again only when it differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchiveSpec {
    pub archive: FileContent,
    pub destination: String,
    /// Leading path components to drop (`tar --strip-components`).
    #[serde(default)]
    pub strip_components: u32,
    /// Remove the destination before extracting, so files of an older archive do not remain.
    #[serde(default)]
    pub clean: bool,
}

impl ArchiveSpec {
    /// The marker file read by [`crate::facts::MarkerFact`] for this archive.
    pub fn marker_path(&self) -> String {
        format!("{}/.strata-archive.sha256", self.destination.trim_end_matches('/'))
    }
}

/// Uploads the archive beside the destination and extracts it, unless the marker already
/// holds its sha256. The marker is written last, so an interrupted extraction runs again.
pub fn archive(marker: &Option<String>, desired: &ArchiveSpec) -> Result<Vec<Step>, OperationError> {
    require_absolute(&desired.destination)?;
    let sha256 = desired.archive.sha256();
    if marker.as_deref() == Some(sha256.as_str()) {
        return Ok(Vec::new());
    }
    let destination = desired.destination.trim_end_matches('/');
    if desired.clean && destination.is_empty() {
        return Err(OperationError::UnsafeDestination { path: desired.destination.clone() });
    }
    let destination = if destination.is_empty() { "/" } else { destination };
    let staging_directory = parent(destination);
    let staging =
        format!("{}/.strata-archive-{}.tmp", staging_directory.trim_end_matches('/'), &sha256[..16.min(sha256.len())]);
    let marker_path = desired.marker_path();

    let mut script = format!(
        "set -e\na={staging}; d={destination}\ntrap 'rm -f -- \"$a\"' EXIT\n",
        staging = quote(&staging),
        destination = quote(destination),
    );
    if desired.clean {
        script.push_str("rm -rf -- \"$d\"\n");
    }
    script.push_str("mkdir -p -- \"$d\"\ntar -xf \"$a\" -C \"$d\" --no-same-owner");
    if desired.strip_components > 0 {
        script.push_str(&format!(" --strip-components={}", desired.strip_components));
    }
    script.push_str(&format!(
        "\nprintf '%s\\n' {sha} > {marker_tmp}\nmv -f -- {marker_tmp} {marker}",
        sha = quote(&sha256),
        marker_tmp = quote(&format!("{marker_path}.tmp")),
        marker = quote(&marker_path),
    ));

    Ok(vec![
        Step::Run(format!("mkdir -p -- {}", quote(staging_directory))),
        Step::upload(staging, Mode(0o600), desired.archive.clone()),
        Step::Run(script),
    ])
}
