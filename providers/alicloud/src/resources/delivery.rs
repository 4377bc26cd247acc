//! Delivering a release's components to hosts that have nothing of it (`artifact_mirror`),
//! pure: from what a host says about its artifact directories ([`HostFacts`], parsed from the
//! output of [`facts_command`]) and what the release wants there ([`Desired`]), the commands
//! that download, the checks that verify, and the commands that install. The connector that
//! runs them over SSH is [`super::delivery_ssh`].
//!
//! Per component, on one host:
//!
//! 1. **Facts.** The sha256 of the component's marker (`{artifact_dir}/.strata-installed`); when
//!    it is not the one wanted, the sha256 and size of each artifact file already there.
//! 2. **Plan** ([`plan`]): nothing when the marker is the wanted one (a re-apply is a no-op);
//!    otherwise every artifact whose file is missing or differs is downloaded to
//!    `{artifact_dir}/.<file>.part` from `{artifact_mirror}/<file>` ([`download_command`]).
//! 3. **Verify** ([`verify`]): the downloaded parts' sha256 and size, read back from the host,
//!    against the catalog's. Any mismatch: the parts are removed ([`discard_command`]) and
//!    nothing is installed.
//! 4. **Install** ([`install_commands`]): parts renamed into place, the catalog's install
//!    commands (those naming `{artifact_dir}`), then the marker (written last, atomically),
//!    which records every artifact's sha256 and the install commands.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use sha2::{Digest, Sha256};
use strata_deploy::shell_quote;
use strata_provider_emr::render::component_directory;
use strata_release::{Component, placeholder};

/// The marker of a component's completed install, in its artifact directory.
pub const MARKER: &str = ".strata-installed";

/// One artifact file a component needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WantedFile {
    /// The file name (the catalog URL's last segment), also its name on the mirror.
    pub file: String,
    /// Lower-case hex.
    pub sha256: String,
    pub size: Option<u64>,
}

/// One component as the release wants it on a host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Desired {
    /// The component's key (`ZOOKEEPER`).
    pub component: String,
    /// Where its artifacts go on the host.
    pub artifact_dir: String,
    pub files: Vec<WantedFile>,
    /// The catalog's install commands naming `{artifact_dir}`, expanded.
    pub install: Vec<String>,
}

impl Desired {
    fn path(&self, file: &str) -> String {
        format!("{}/{file}", self.artifact_dir.trim_end_matches('/'))
    }

    fn part(&self, file: &str) -> String {
        format!("{}/.{file}.part", self.artifact_dir.trim_end_matches('/'))
    }

    fn marker_path(&self) -> String {
        self.path(MARKER)
    }

    /// The marker's content once the component is installed: every artifact's sha256 and
    /// file (as `sha256sum` prints them, sorted by file), then the install commands.
    pub fn marker(&self) -> String {
        let mut files: Vec<&WantedFile> = self.files.iter().collect();
        files.sort_by(|a, b| a.file.cmp(&b.file));
        let mut text = String::new();
        for file in files {
            let _ = writeln!(text, "{}  {}", file.sha256, file.file);
        }
        for command in &self.install {
            let _ = writeln!(text, "# install: {command}");
        }
        text
    }

    fn marker_sha256(&self) -> String {
        hex(&Sha256::digest(self.marker().as_bytes()))
    }
}

/// A file on the host: its sha256 and size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileFact {
    pub sha256: String,
    pub size: u64,
}

/// What a host said ([`parse_facts`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HostFacts {
    /// Components whose marker is the wanted one.
    pub installed: Vec<String>,
    /// Files present, by path.
    pub files: BTreeMap<String, FileFact>,
}

/// The command printing a host's facts about `desired`: `installed <component>` when its
/// marker is the wanted one; otherwise `file <sha256> <size> <path>` for each file (and part)
/// in its artifact directory. Its length grows with the components, not with their files
/// (an SSH request must stay under libssh2's 35000-byte packet).
pub fn facts_command(desired: &[Desired]) -> String {
    let mut script = String::from("set -e\n");
    for component in desired {
        let dir = shell_quote(component.artifact_dir.trim_end_matches('/'));
        let _ = writeln!(
            script,
            "if [ \"$(sha256sum < {marker} 2>/dev/null | cut -c1-64)\" = {sha} ]; then echo installed {key}; else \
             for f in {dir}/* {dir}/.*.part; do if [ -f \"$f\" ]; then \
             printf 'file %s %s %s\\n' \"$(sha256sum < \"$f\" | cut -c1-64)\" \"$(stat -c %s \"$f\")\" \"$f\"; \
             fi; done; fi",
            marker = shell_quote(&component.marker_path()),
            sha = component.marker_sha256(),
            key = shell_quote(&component.component),
        );
    }
    script
}

/// Parses the output of [`facts_command`]; lines it does not know are ignored.
pub fn parse_facts(output: &str) -> HostFacts {
    let mut facts = HostFacts::default();
    for line in output.lines() {
        let mut words = line.splitn(4, ' ');
        match (words.next(), words.next(), words.next(), words.next()) {
            (Some("installed"), Some(component), None, None) => facts.installed.push(component.to_string()),
            (Some("file"), Some(sha256), Some(size), Some(path)) => {
                if let Ok(size) = size.parse() {
                    facts.files.insert(path.to_string(), FileFact { sha256: sha256.to_string(), size });
                }
            }
            _ => {}
        }
    }
    facts
}

fn matches(fact: Option<&FileFact>, wanted: &WantedFile) -> bool {
    fact.is_some_and(|fact| fact.sha256 == wanted.sha256 && wanted.size.is_none_or(|size| size == fact.size))
}

/// What one component needs on one host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    pub desired: Desired,
    /// Files to download (those missing or differing; a good file is kept).
    pub downloads: Vec<WantedFile>,
}

/// The components of `desired` a host must receive, given its `facts`; empty when every
/// marker is the wanted one.
pub fn plan(facts: &HostFacts, desired: &[Desired]) -> Vec<Delivery> {
    desired
        .iter()
        .filter(|component| !facts.installed.contains(&component.component))
        .map(|component| Delivery {
            desired: component.clone(),
            downloads: component
                .files
                .iter()
                .filter(|file| !matches(facts.files.get(&component.path(&file.file)), file))
                .cloned()
                .collect(),
        })
        .collect()
}

/// `file` percent-encoded for a URL path (unreserved characters and `+` kept).
fn url_segment(file: &str) -> String {
    file.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'+' => (byte as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Where `file` is on the mirror.
pub fn mirror_url(mirror: &str, file: &str) -> String {
    format!("{}/{}", mirror.trim_end_matches('/'), url_segment(file))
}

/// Whether `mirror` can be a mirror's base URL: `http://` or `https://` with a host, no query
/// or fragment (the file name is appended to it).
pub fn check_mirror(mirror: &str) -> Result<(), String> {
    let rest = mirror.strip_prefix("http://").or_else(|| mirror.strip_prefix("https://"));
    let host = rest.map(|rest| rest.split('/').next().unwrap_or_default());
    match host {
        None => Err(format!("{:?} is not an http:// or https:// URL", redact(mirror))),
        Some("") => Err(format!("{:?} has no host", redact(mirror))),
        Some(_) if mirror.contains(['?', '#', ' ']) => {
            Err(format!("{:?} must be a base URL without a query, fragment or space", redact(mirror)))
        }
        Some(_) => Ok(()),
    }
}

/// `url` without the user information (`http://user:secret@host/` → `http://***@host/`), for
/// messages.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://***@{}", &rest[at + 1..]),
        None => url.to_string(),
    }
}

/// Seconds a download may take (connect 10 s; each attempt at most this long).
const DOWNLOAD_SECONDS: u32 = 600;
/// Attempts per file (curl's `--retry` is this minus one).
const DOWNLOAD_ATTEMPTS: u32 = 3;

/// The command downloading `delivery`'s files from `mirror` into their parts: curl when the
/// host has it, Python's urllib otherwise; bounded in time and attempts. One loop over the
/// files (URL path segment and file name per line), so its length stays small.
pub fn download_command(mirror: &str, delivery: &Delivery) -> String {
    let desired = &delivery.desired;
    let list: String =
        delivery.downloads.iter().map(|file| format!("{} {}\n", url_segment(&file.file), file.file)).collect();
    format!(
        "set -e\nmkdir -p {dir}\ncd {dir}\nwhile read -r segment file; do\n  rm -f \".$file.part\"\n  \
         if command -v curl >/dev/null 2>&1; then curl --fail --silent --show-error --location --connect-timeout 10 \
         --max-time {DOWNLOAD_SECONDS} --retry {retries} --retry-delay 2 --retry-connrefused -o \".$file.part\" \
         {mirror}/\"$segment\"; else python3 -c {python} {mirror}/\"$segment\" \".$file.part\"; fi\n\
         done <<'STRATA_FILES'\n{list}STRATA_FILES\n",
        dir = shell_quote(&desired.artifact_dir),
        mirror = shell_quote(mirror.trim_end_matches('/')),
        retries = DOWNLOAD_ATTEMPTS - 1,
        python = shell_quote(PYTHON_DOWNLOAD),
    )
}

/// Python's stand-in for curl: `URL PATH`, three attempts, bounded.
const PYTHON_DOWNLOAD: &str = concat!(
    "import sys, time, shutil, urllib.request\n",
    "for attempt in range(3):\n",
    "    try:\n",
    "        with urllib.request.urlopen(sys.argv[1], timeout=60) as r, open(sys.argv[2], 'wb') as f:\n",
    "            shutil.copyfileobj(r, f)\n",
    "        break\n",
    "    except Exception as error:\n",
    "        if attempt == 2:\n",
    "            sys.exit('download failed: %s' % error)\n",
    "        time.sleep(2)\n",
);

/// A downloaded file that is not what the catalog says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub host: String,
    pub component: String,
    pub file: String,
    pub expected_sha256: String,
    /// `None` when the download left no file.
    pub actual_sha256: Option<String>,
    pub expected_size: Option<u64>,
    pub actual_size: Option<u64>,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let actual = match (&self.actual_sha256, self.actual_size) {
            (Some(sha256), Some(size)) => format!("sha256 {sha256} ({size} bytes)"),
            _ => "no file".to_string(),
        };
        let size = self.expected_size.map(|size| format!(" ({size} bytes)")).unwrap_or_default();
        write!(
            f,
            "host {}: artifact {} of {} has {actual}, the release catalog says sha256 {}{size}",
            self.host, self.file, self.component, self.expected_sha256
        )
    }
}

/// The downloaded parts of `delivery` on `host` against the catalog: every mismatch (none
/// means every part is good). `facts` are read after the download.
pub fn verify(host: &str, delivery: &Delivery, facts: &HostFacts) -> Vec<Mismatch> {
    let desired = &delivery.desired;
    delivery
        .downloads
        .iter()
        .filter_map(|file| {
            let fact = facts.files.get(&desired.part(&file.file));
            (!matches(fact, file)).then(|| Mismatch {
                host: host.to_string(),
                component: desired.component.clone(),
                file: file.file.clone(),
                expected_sha256: file.sha256.clone(),
                actual_sha256: fact.map(|fact| fact.sha256.clone()),
                expected_size: file.size,
                actual_size: fact.map(|fact| fact.size),
            })
        })
        .collect()
}

/// The command removing `delivery`'s parts (after a mismatch).
pub fn discard_command(delivery: &Delivery) -> String {
    let parts: Vec<String> =
        delivery.downloads.iter().map(|file| shell_quote(&delivery.desired.part(&file.file))).collect();
    format!("rm -f -- {}", parts.join(" "))
}

/// The commands installing a verified `delivery`, in order: parts renamed into place, the
/// catalog's install commands (offline: apt and pip never reach a network), the marker last.
pub fn install_commands(delivery: &Delivery) -> Vec<String> {
    let desired = &delivery.desired;
    let mut commands = Vec::new();
    if !delivery.downloads.is_empty() {
        let files: Vec<String> = delivery.downloads.iter().map(|file| shell_quote(&file.file)).collect();
        commands.push(format!(
            "cd {} && for f in {}; do mv -f \".$f.part\" \"$f\"; done",
            shell_quote(&desired.artifact_dir),
            files.join(" ")
        ));
    }
    for command in &desired.install {
        commands.push(format!("{OFFLINE_ENVIRONMENT} {command}"));
    }
    let marker = shell_quote(&desired.marker_path());
    let temporary = shell_quote(&format!("{}.tmp", desired.marker_path()));
    commands
        .push(format!("printf '%s' {} > {temporary} && mv -f {temporary} {marker}", shell_quote(&desired.marker())));
    commands
}

/// The environment install commands run in: no prompts (dpkg), pip never asks an index and
/// builds an sdist with the installed setuptools (no build isolation; `PIP_NO_BUILD_ISOLATION=0`
/// is pip's spelling of `--no-build-isolation`).
const OFFLINE_ENVIRONMENT: &str = "env DEBIAN_FRONTEND=noninteractive PIP_NO_INDEX=1 PIP_NO_BUILD_ISOLATION=0 \
                                   PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore PIP_NO_COMPILE=1";

/// What `components` need on a host whose component cache is `cache`: each downloaded
/// artifact (by the file name of its catalog url, with its sha256 and size) and the catalog's
/// install commands naming `{artifact_dir}`, expanded. An artifact without a sha256 cannot be
/// verified, so it is refused.
pub fn desired_for(cache: &str, components: &[&Component]) -> Result<Vec<Desired>, String> {
    let mut desired = Vec::new();
    for component in components {
        let mut files = Vec::new();
        for artifact in component.artifacts.iter().filter(|artifact| artifact.is_downloaded()) {
            let (Some(file), Some(sha256)) = (artifact.file_name(), artifact.sha256.as_deref()) else {
                return Err(format!(
                    "{}: artifact {} has no url or no sha256 in the release catalog, so it cannot be delivered \
                     and verified",
                    component.key, artifact.name
                ));
            };
            files.push(WantedFile { file: file.to_string(), sha256: sha256.to_lowercase(), size: artifact.size });
        }
        let lookup = |name: &str| component_directory(cache, component, name);
        let mut install = Vec::new();
        for command in component.install.iter().filter(|command| command.contains("{artifact_dir}")) {
            install.push(
                placeholder::expand(command, &lookup)
                    .map_err(|error| format!("{}: install command {command:?}: {error}", component.key))?,
            );
        }
        if files.is_empty() && install.is_empty() {
            continue;
        }
        let artifact_dir = lookup("artifact_dir").unwrap_or_default();
        desired.push(Desired { component: component.key.clone(), artifact_dir, files, install });
    }
    Ok(desired)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value as Json;

    fn fixture_dir() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/alicloud/artifacts")
    }

    fn desired_of(json: &Json) -> Vec<Desired> {
        json.as_array()
            .unwrap()
            .iter()
            .map(|component| Desired {
                component: component["component"].as_str().unwrap().into(),
                artifact_dir: component["artifact_dir"].as_str().unwrap().into(),
                files: component["files"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|file| WantedFile {
                        file: file["file"].as_str().unwrap().into(),
                        sha256: file["sha256"].as_str().unwrap().into(),
                        size: file["size"].as_u64(),
                    })
                    .collect(),
                install: component["install"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().into()).collect(),
            })
            .collect()
    }

    fn lines(json: &Json) -> String {
        json.as_array()
            .map(|lines| lines.iter().map(|line| format!("{}\n", line.as_str().unwrap())).collect())
            .unwrap_or_default()
    }

    /// One fixture: `desired`, the host's `facts` before (lines of [`facts_command`]'s output)
    /// and, when something is downloaded, `after` the download; `expect` is what happens:
    /// `downloads` per component and their `download_commands` (mirror `http://10.0.1.1:8000/strata`),
    /// then `mismatches` (as displayed) or `install` (the commands).
    fn check(name: &str) {
        let path = fixture_dir().join(name);
        let fixture: Json = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let desired = desired_of(&fixture["desired"]);
        let deliveries = plan(&parse_facts(&lines(&fixture["facts"])), &desired);
        let mut got = serde_json::Map::new();
        let downloads: serde_json::Map<String, Json> = deliveries
            .iter()
            .map(|delivery| {
                let files = delivery.downloads.iter().map(|file| Json::from(file.file.clone())).collect();
                (delivery.desired.component.clone(), Json::Array(files))
            })
            .collect();
        got.insert("downloads".into(), Json::Object(downloads));
        let commands: Vec<Json> = deliveries
            .iter()
            .filter(|delivery| !delivery.downloads.is_empty())
            .map(|delivery| Json::from(download_command("http://10.0.1.1:8000/strata", delivery)))
            .collect();
        got.insert("download_commands".into(), Json::Array(commands));
        let after = parse_facts(&lines(&fixture["after"]));
        let mismatches: Vec<Json> = deliveries
            .iter()
            .flat_map(|delivery| verify("core-0", delivery, &after))
            .map(|mismatch| Json::from(mismatch.to_string()))
            .collect();
        if mismatches.is_empty() {
            let install: Vec<Json> = deliveries.iter().flat_map(install_commands).map(Json::from).collect();
            got.insert("install".into(), Json::Array(install));
        } else {
            got.insert("mismatches".into(), Json::Array(mismatches));
        }
        let got = Json::Object(got);
        if std::env::var_os("STRATA_UPDATE_GOLDEN").is_some() {
            let mut updated = fixture.clone();
            updated["expect"] = got.clone();
            std::fs::write(&path, serde_json::to_string_pretty(&updated).unwrap() + "\n").unwrap();
        }
        assert_eq!(got, fixture["expect"], "{name}");
    }

    #[test]
    fn fresh_host_downloads_verifies_and_installs() {
        check("fresh-host.json");
    }

    #[test]
    fn installed_host_is_a_no_op() {
        check("installed.json");
    }

    #[test]
    fn good_files_are_kept_and_only_the_missing_one_downloaded() {
        check("partly-downloaded.json");
    }

    #[test]
    fn tampered_artifact_is_a_mismatch_and_installs_nothing() {
        check("tampered.json");
    }

    #[test]
    fn facts_round_trip_and_marker() {
        let desired = desired_of(
            &serde_json::from_str::<Json>(&std::fs::read_to_string(fixture_dir().join("fresh-host.json")).unwrap())
                .unwrap()["desired"],
        );
        let command = facts_command(&desired);
        assert!(command.contains("/var/cache/strata/components/artifacts/zookeeper/.strata-installed"), "{command}");
        // Short whatever the number of files: an SSH request is at most 35000 bytes.
        let release = strata_release::Catalog::builtin().get("STRATA-1.0.1").unwrap();
        let every: Vec<&Component> = release.components.iter().collect();
        let all = desired_for("/var/cache/strata/components", &every).unwrap();
        let fresh = plan(&HostFacts::default(), &all);
        let longest = fresh
            .iter()
            .flat_map(|delivery| {
                let mut commands = install_commands(delivery);
                commands.push(download_command("http://10.0.1.1:8000/strata", delivery));
                commands
            })
            .chain([facts_command(&all)])
            .map(|command| command.len())
            .max()
            .unwrap();
        assert!(longest < 12_000, "{longest} bytes");
        let output =
            format!("installed ZOOKEEPER\nfile {} 7 /x/a b.deb\nnoise\nfile zz notanumber /y\n", "a".repeat(64));
        let facts = parse_facts(&output);
        assert_eq!(facts.installed, ["ZOOKEEPER"]);
        assert_eq!(facts.files["/x/a b.deb"], FileFact { sha256: "a".repeat(64), size: 7 });
        assert_eq!(facts.files.len(), 1);
        assert!(
            desired[0].marker().starts_with(&format!("{}  {}\n", desired[0].files[1].sha256, desired[0].files[1].file))
        );
    }

    #[test]
    fn the_release_catalog_gives_every_file_and_install_command() {
        let catalog = strata_release::Catalog::builtin();
        let release = catalog.get("STRATA-1.0.1").unwrap();
        let components: Vec<&Component> =
            release.components.iter().filter(|c| ["ZOOKEEPER", "SPARK"].contains(&c.key.as_str())).collect();
        let desired = desired_for("/var/cache/strata/components", &components).unwrap();
        let summary: Vec<(String, String, usize, Vec<String>)> = desired
            .iter()
            .map(|d| (d.component.clone(), d.artifact_dir.clone(), d.files.len(), d.install.clone()))
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "ZOOKEEPER".to_string(),
                    "/var/cache/strata/components/artifacts/zookeeper".to_string(),
                    45,
                    vec!["dpkg -i /var/cache/strata/components/artifacts/zookeeper/*.deb".to_string()]
                ),
                (
                    "SPARK".to_string(),
                    "/var/cache/strata/components/artifacts/spark".to_string(),
                    2,
                    vec![
                        "python3 -m pip install --no-deps --target /var/cache/strata/components/pyspark-4.3.0 \
                         /var/cache/strata/components/artifacts/spark/pyspark-4.3.0.tar.gz \
                         /var/cache/strata/components/artifacts/spark/py4j-0.10.9.9-py2.py3-none-any.whl"
                            .to_string()
                    ]
                ),
            ]
        );
        assert!(desired[1].files.iter().any(|f| f.file == "pyspark-4.3.0.tar.gz" && f.size == Some(455910862)));
    }

    #[test]
    fn urls_and_redaction() {
        assert_eq!(
            mirror_url("http://10.0.1.1:8000/strata/", "zookeeper_3.8.0-11+deb12u2_all.deb"),
            "http://10.0.1.1:8000/strata/zookeeper_3.8.0-11+deb12u2_all.deb"
        );
        assert_eq!(mirror_url("http://m", "a b%.deb"), "http://m/a%20b%25.deb");
        assert_eq!(redact("https://user:secret@mirror.example/strata"), "https://***@mirror.example/strata");
        assert_eq!(redact("http://10.0.1.1:8000/a@b"), "http://10.0.1.1:8000/a@b");
        assert_eq!(redact("not a url"), "not a url");
        assert_eq!(check_mirror("http://10.0.1.1:8000/strata"), Ok(()));
        assert_eq!(check_mirror("https://u:p@mirror.example"), Ok(()));
        assert!(check_mirror("ftp://u:secret@m/x").unwrap_err().contains("\"ftp://***@m/x\" is not an http"));
        assert!(check_mirror("http:///x").unwrap_err().contains("no host"));
        assert!(check_mirror("http://m/x?a=1").is_err());
        // A failed command is summarized by its first line: the mirror's URL is not in it.
        let delivery = Delivery {
            desired: Desired {
                component: "SPARK".into(),
                artifact_dir: "/a".into(),
                files: Vec::new(),
                install: Vec::new(),
            },
            downloads: vec![WantedFile { file: "f.whl".into(), sha256: "0".repeat(64), size: None }],
        };
        let command = download_command("https://user:secret@mirror.example/strata", &delivery);
        assert_eq!(command.lines().next(), Some("set -e"));
    }
}
