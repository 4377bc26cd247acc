//! The base root file system of container hosts ([`BaseRootfs`]): a Debian tree made once with
//! `debootstrap` and kept in a cache shared by every state directory and network of the
//! machine ([`DEFAULT_ROOTFS_CACHE`]). Container hosts mount it read-only as the lower layer
//! of their overlay, so it must never change once built: a different package list is a
//! different directory (`<suite>-<hash of the variant and package list>`).
//!
//! Building is crash-safe and done once: under a lock file next to it (`<name>.lock`, so
//! concurrent creates in this and other processes wait for one build), `debootstrap` fills
//! `<name>.build-<pid>`, which is cleaned up (apt's downloaded packages, the host keys
//! openssh-server's installation generated) and synced, then renamed to `<name>`. The name
//! exists only for a complete tree; a build left by a crash is removed by the next one.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::lock::NetworkLock;
use crate::runner::{self, COMMAND_TIMEOUT, CommandSpec};

/// Where base root file systems are cached. Never under `/tmp` (cleaners must not reach it).
pub const DEFAULT_ROOTFS_CACHE: &str = "/var/lib/strata/cache/rootfs";

/// How long `debootstrap` may take (about 45 s on the development VM with a fast mirror).
const BUILD_TIMEOUT: Duration = Duration::from_secs(20 * 60);
/// How long a create waits for another process's build.
const LOCK_TIMEOUT: Duration = Duration::from_secs(21 * 60);

/// Files every container host must find in the base (checked before it is used).
const REQUIRED: &[&str] = &["etc/os-release", "usr/sbin/sshd", "bin/sh", "usr/bin/python3"];

/// What a base root file system is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BaseRootfs {
    /// The Debian release, such as `bookworm`.
    pub suite: &'static str,
    /// debootstrap's `--variant`.
    pub variant: &'static str,
    /// Packages installed besides the variant's (debootstrap's `--include`).
    pub include: &'static [&'static str],
    /// The Debian mirror packages come from.
    pub mirror: &'static str,
}

/// The base every container host uses: Debian 12 `minbase` with sshd, `ip`, `ps`, Python 3 and
/// `nc` (283 MB).
pub const BOOKWORM: BaseRootfs = BaseRootfs {
    suite: "bookworm",
    variant: "minbase",
    include: &["openssh-server", "iproute2", "procps", "python3", "netcat-openbsd"],
    mirror: "http://deb.debian.org/debian",
};

/// [`BOOKWORM`] plus what a release's components need on a host that receives them as
/// artifacts and installs them offline (the alicloud emulator's instances with a root of
/// their own): `curl` (the downloads); OpenJDK 17 (`openjdk-17-jre-headless` and
/// `openjdk-17-jre`: the catalog's `default-jre` depends on the latter) and the Java libraries
/// the catalog's ZooKeeper `.deb` list assumes installed (`libslf4j-java` and the eight Apache
/// Commons, Guava and annotation packages after it), so `dpkg -i` of the list finds every
/// other dependency among the artifacts, offline; `python3-pip` (the Spark install) with
/// `python3-setuptools` and `python3-wheel`: pyspark's sdist has no `pyproject.toml`, so pip
/// builds it with the installed setuptools, no build isolation and no index. About 800 MB.
pub const BOOKWORM_COMPONENTS: BaseRootfs = BaseRootfs {
    include: &[
        "openssh-server",
        "iproute2",
        "procps",
        "python3",
        "netcat-openbsd",
        "curl",
        "openjdk-17-jre-headless",
        "openjdk-17-jre",
        "libslf4j-java",
        "libapache-pom-java",
        "libatinject-jsr330-api-java",
        "libcommons-cli-java",
        "libcommons-io-java",
        "libcommons-parent-java",
        "liberror-prone-java",
        "libguava-java",
        "libjsr305-java",
        "python3-pip",
        "python3-setuptools",
        "python3-wheel",
    ],
    ..BOOKWORM
};

impl BaseRootfs {
    /// The directory's name: the suite, `-`, and 12 hex digits of a SHA-256 of the variant
    /// and the package list (sorted), so a different list never reuses a tree.
    pub fn dir_name(&self) -> String {
        let mut include: Vec<&str> = self.include.to_vec();
        include.sort_unstable();
        let text = format!("variant={}\ninclude={}\n", self.variant, include.join(","));
        let hex: String = Sha256::digest(text.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect();
        format!("{}-{}", self.suite, &hex[..12])
    }

    /// Where the tree is in `cache`.
    pub fn dir(&self, cache: &Path) -> PathBuf {
        cache.join(self.dir_name())
    }

    /// Whether the tree in `cache` is complete (then creating a container host costs no build).
    pub fn is_built(&self, cache: &Path) -> bool {
        let dir = self.dir(cache);
        REQUIRED.iter().all(|file| dir.join(file).exists())
    }

    /// The command that builds the tree into `target`.
    pub(crate) fn debootstrap(&self, target: &Path) -> CommandSpec {
        let variant = format!("--variant={}", self.variant);
        let include = format!("--include={}", self.include.join(","));
        let target = target.to_string_lossy();
        CommandSpec::new("debootstrap", &[&variant, &include, self.suite, &target, self.mirror])
    }

    /// The tree in `cache`, built first if it is not there; returns its path.
    pub fn ensure(&self, cache: &Path) -> Result<PathBuf> {
        self.ensure_with(cache, |build| self.build(build))
    }

    /// [`BaseRootfs::ensure`] with `build` filling the build directory.
    fn ensure_with(&self, cache: &Path, build: impl FnOnce(&Path) -> Result<()>) -> Result<PathBuf> {
        let dir = self.dir(cache);
        if self.is_built(cache) {
            return Ok(dir);
        }
        std::fs::create_dir_all(cache).map_err(Error::io("creating", cache))?;
        let lock = NetworkLock::acquire_within(&cache.join(format!("{}.lock", self.dir_name())), LOCK_TIMEOUT)?;
        if self.is_built(cache) {
            return Ok(dir);
        }
        // Under the lock nobody else builds: whatever is here was left by a crash.
        for name in crate::state_dir::dir_names(cache)? {
            let leftover = name.strip_prefix(&self.dir_name()).is_some_and(|rest| rest.starts_with(".build-"));
            if leftover || name == self.dir_name() {
                let path = cache.join(&name);
                std::fs::remove_dir_all(&path).map_err(Error::io("removing an unfinished build", &path))?;
            }
        }
        let building = cache.join(format!("{}.build-{}", self.dir_name(), std::process::id()));
        let result = build(&building).and_then(|()| {
            std::fs::rename(&building, &dir).map_err(Error::io("renaming the base root file system into place", &dir))
        });
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&building);
        }
        drop(lock);
        result.map(|()| dir)
    }

    fn build(&self, build: &Path) -> Result<()> {
        let command = self.debootstrap(build);
        let output = runner::run_unchecked(&command, BUILD_TIMEOUT)?;
        if !output.status.success() {
            // debootstrap's own log says which package or download failed.
            let log = std::fs::read_to_string(build.join("debootstrap/debootstrap.log")).unwrap_or_default();
            let tail: Vec<&str> = log.lines().rev().take(15).collect::<Vec<_>>().into_iter().rev().collect();
            return Err(Error::Command {
                command: command.to_string(),
                status: output.status.to_string(),
                stderr: format!("{}\n{}", output.stderr, tail.join("\n")).trim().to_string(),
            });
        }
        for path in cleanup_paths(build)? {
            std::fs::remove_file(&path).map_err(Error::io("removing", &path))?;
        }
        for file in REQUIRED {
            let path = build.join(file);
            if !path.exists() {
                return Err(Error::Io {
                    action: "checking the base root file system",
                    path,
                    source: std::io::Error::new(std::io::ErrorKind::NotFound, "debootstrap did not install it"),
                });
            }
        }
        let build_text = build.to_string_lossy();
        runner::run(&CommandSpec::new("sync", &["-f", &build_text]), COMMAND_TIMEOUT).map(drop)
    }
}

/// What a fresh tree holds that no host should share: the host keys openssh-server's
/// installation generated (each host gets its own) and the packages apt downloaded.
fn cleanup_paths(tree: &Path) -> Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    for (dir, wanted) in [("etc/ssh", "ssh_host_"), ("var/cache/apt/archives", ".deb"), ("var/cache/apt", ".bin")] {
        let dir = tree.join(dir);
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => return Err(Error::Io { action: "listing", path: dir, source: error }),
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let matches = if wanted.starts_with('.') { name.ends_with(wanted) } else { name.starts_with(wanted) };
            if matches && entry.file_type().is_ok_and(|kind| kind.is_file()) {
                paths.push(entry.path());
            }
        }
    }
    paths.sort();
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_follows_the_package_list() {
        let name = BOOKWORM.dir_name();
        assert!(name.starts_with("bookworm-") && name.len() == "bookworm-".len() + 12, "{name}");
        let reordered =
            BaseRootfs { include: &["python3", "procps", "openssh-server", "netcat-openbsd", "iproute2"], ..BOOKWORM };
        assert_eq!(reordered.dir_name(), name);
        let more = BaseRootfs {
            include: &["openssh-server", "iproute2", "procps", "python3", "netcat-openbsd", "openjdk-17-jre-headless"],
            ..BOOKWORM
        };
        assert_ne!(more.dir_name(), name);
        assert_eq!(BOOKWORM.dir(Path::new(DEFAULT_ROOTFS_CACHE)), Path::new(DEFAULT_ROOTFS_CACHE).join(name));
        assert_eq!(BOOKWORM_COMPONENTS.dir_name(), "bookworm-7d0ad80dd541");
        assert!(BOOKWORM.include.iter().all(|package| BOOKWORM_COMPONENTS.include.contains(package)));
    }

    #[test]
    fn debootstrap_command() {
        assert_eq!(
            BOOKWORM.debootstrap(Path::new("/var/lib/strata/cache/rootfs/bookworm-x.build-7")).to_string(),
            "debootstrap --variant=minbase --include=openssh-server,iproute2,procps,python3,netcat-openbsd bookworm \
             /var/lib/strata/cache/rootfs/bookworm-x.build-7 http://deb.debian.org/debian"
        );
    }

    /// A build that makes what a base needs, counting its calls.
    fn fake_build(calls: &std::sync::atomic::AtomicUsize, dir: &Path) -> Result<()> {
        calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(200));
        for file in REQUIRED {
            std::fs::create_dir_all(dir.join(file).parent().unwrap()).unwrap();
            std::fs::write(dir.join(file), "").unwrap();
        }
        Ok(())
    }

    #[test]
    fn concurrent_creates_build_once_and_crashed_builds_are_cleared() {
        // A scratch cache: the build is a stand-in, no debootstrap runs.
        let cache = std::env::temp_dir().join(format!("strata-rootfs-ensure-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&cache);
        let crashed = cache.join(format!("{}.build-1", BOOKWORM.dir_name()));
        std::fs::create_dir_all(crashed.join("usr")).unwrap();
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let dirs: Vec<PathBuf> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..4)
                .map(|_| scope.spawn(|| BOOKWORM.ensure_with(&cache, |dir| fake_build(&calls, dir)).unwrap()))
                .collect();
            handles.into_iter().map(|handle| handle.join().unwrap()).collect()
        });
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 1, "one build for four creates");
        assert!(dirs.iter().all(|dir| *dir == BOOKWORM.dir(&cache)));
        assert!(BOOKWORM.is_built(&cache));
        assert!(!crashed.exists(), "the crashed build is removed");

        // A failed build leaves nothing but the lock file.
        let other = BaseRootfs { include: &["openssh-server"], ..BOOKWORM };
        let failed = other.ensure_with(&cache, |dir| {
            std::fs::create_dir_all(dir.join("etc")).unwrap();
            Err(Error::Command { command: "debootstrap".into(), status: "exit status: 1".into(), stderr: "E".into() })
        });
        assert!(failed.is_err());
        let mut left: Vec<String> = std::fs::read_dir(&cache)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        let mut expected =
            [BOOKWORM.dir_name(), format!("{}.lock", BOOKWORM.dir_name()), format!("{}.lock", other.dir_name())];
        expected.sort();
        assert_eq!(left, expected);
        std::fs::remove_dir_all(&cache).unwrap();
    }

    #[test]
    fn cleanup_removes_shared_host_keys_and_downloads() {
        let tree = std::env::temp_dir().join(format!("strata-rootfs-cleanup-{}", std::process::id()));
        let files = [
            "etc/ssh/ssh_host_ed25519_key",
            "etc/ssh/ssh_host_ed25519_key.pub",
            "etc/ssh/sshd_config",
            "var/cache/apt/archives/python3_3.11.deb",
            "var/cache/apt/archives/lock",
            "var/cache/apt/pkgcache.bin",
        ];
        for file in files {
            std::fs::create_dir_all(tree.join(file).parent().unwrap()).unwrap();
            std::fs::write(tree.join(file), "").unwrap();
        }
        let found: Vec<String> = cleanup_paths(&tree)
            .unwrap()
            .iter()
            .map(|path| path.strip_prefix(&tree).unwrap().to_string_lossy().into_owned())
            .collect();
        std::fs::remove_dir_all(&tree).unwrap();
        assert_eq!(
            found,
            [
                "etc/ssh/ssh_host_ed25519_key",
                "etc/ssh/ssh_host_ed25519_key.pub",
                "var/cache/apt/archives/python3_3.11.deb",
                "var/cache/apt/pkgcache.bin"
            ]
        );
    }
}
