//! CPU and memory limits through cgroups: facts about the machine's cgroup file systems
//! (parsed from `/proc/self/mounts` and `/proc/self/cgroup`), a pure plan of directories and
//! writes for an instance type, and the thin code that applies it.
//!
//! Each controller is taken from cgroup v2 when the unified hierarchy offers it, else from
//! its cgroup v1 hierarchy. A v1 host cgroup is made under the cgroup the calling process is
//! in (so hosts stay inside any limit imposed on their creator); a v2 one directly under the
//! unified root (v2 forbids processes in a cgroup whose children have controllers enabled).
//! What this achieves on a given machine is described in the crate documentation.
//!
//! A container host also gets a cgroup (no limits) in the `name=systemd` v1 hierarchy and in
//! the unified one, joined by its launcher: systemd-nspawn splits the cgroup it starts in
//! into `supervisor` and `payload` children there, which must be the host's own (removed
//! with it), not children of the caller's cgroup shared by every container.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::instance_types::InstanceType;
use crate::isolation::Isolation;

/// The CFS period every CPU quota is expressed in, in microseconds.
const CPU_PERIOD_US: u64 = 100_000;

/// The limits a host actually runs under; `None` where this machine cannot enforce one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Limits {
    /// Hard memory limit (including swap where the kernel accounts it), in bytes.
    pub memory_bytes: Option<u64>,
    /// CPU time quota, in whole CPUs per scheduling period.
    pub vcpus: Option<u32>,
}

/// One cgroup v1 hierarchy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct V1Hierarchy {
    pub mount: PathBuf,
    pub controllers: Vec<String>,
    /// The hierarchy's `name=` option, such as `systemd`.
    pub name: Option<String>,
    /// This process's cgroup in the hierarchy, such as `/` or `/process_api/3eaa`.
    pub own_path: String,
}

/// The cgroup file systems as this process sees them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct CgroupFacts {
    pub v1: Vec<V1Hierarchy>,
    /// The unified (v2) mount point, if any.
    pub v2_mount: Option<PathBuf>,
    /// Controllers the unified root offers (its `cgroup.controllers`).
    pub v2_controllers: Vec<String>,
    /// Whether the v1 memory cgroup has `memory.memsw.limit_in_bytes` (swap accounting).
    pub v1_memsw: bool,
    /// Whether the v1 cpu cgroup has `cpu.cfs_quota_us` (CFS bandwidth control).
    pub v1_cfs_quota: bool,
}

impl CgroupFacts {
    fn v1_with(&self, controller: &str) -> Option<&V1Hierarchy> {
        self.v1.iter().find(|hierarchy| hierarchy.controllers.iter().any(|name| name == controller))
    }

    fn v1_named(&self, name: &str) -> Option<&V1Hierarchy> {
        self.v1.iter().find(|hierarchy| hierarchy.name.as_deref() == Some(name))
    }

    fn v2_offers(&self, controller: &str) -> bool {
        self.v2_mount.is_some() && self.v2_controllers.iter().any(|name| name == controller)
    }
}

/// Parses `/proc/self/mounts` and `/proc/self/cgroup` (the v2 controllers and the file
/// checks are filled in by [`read_facts`]).
pub(crate) fn parse_facts(mounts: &str, self_cgroup: &str) -> CgroupFacts {
    let mut facts = CgroupFacts::default();
    for line in mounts.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [_, mount, fs_type, options, ..] = fields[..] else { continue };
        match fs_type {
            "cgroup2" => facts.v2_mount = facts.v2_mount.take().or_else(|| Some(PathBuf::from(mount))),
            "cgroup" => {
                let controllers: Vec<String> = options
                    .split(',')
                    .filter(|option| {
                        !matches!(*option, "rw" | "ro" | "relatime" | "noatime" | "nosuid" | "nodev" | "noexec")
                            && !option.contains('=')
                    })
                    .map(str::to_string)
                    .collect();
                let name = options.split(',').find_map(|option| option.strip_prefix("name=")).map(str::to_string);
                let mut wanted = controllers.clone();
                wanted.extend(name.iter().map(|name| format!("name={name}")));
                let own_path = own_v1_path(self_cgroup, &wanted).unwrap_or_else(|| "/".to_string());
                facts.v1.push(V1Hierarchy { mount: PathBuf::from(mount), controllers, name, own_path });
            }
            _ => {}
        }
    }
    facts
}

/// This process's path in the v1 hierarchy with exactly `controllers` (a named hierarchy's
/// `name=...` among them).
fn own_v1_path(self_cgroup: &str, controllers: &[String]) -> Option<String> {
    self_cgroup.lines().find_map(|line| {
        let mut parts = line.splitn(3, ':');
        let (_, names, path) = (parts.next()?, parts.next()?, parts.next()?);
        let mut names: Vec<&str> = names.split(',').filter(|name| !name.is_empty()).collect();
        let mut wanted: Vec<&str> = controllers.iter().map(String::as_str).collect();
        names.sort_unstable();
        wanted.sort_unstable();
        (!names.is_empty() && names == wanted).then(|| path.to_string())
    })
}

/// Reads the facts from this machine.
pub(crate) fn read_facts() -> CgroupFacts {
    let mounts = std::fs::read_to_string("/proc/self/mounts").unwrap_or_default();
    let self_cgroup = std::fs::read_to_string("/proc/self/cgroup").unwrap_or_default();
    let mut facts = parse_facts(&mounts, &self_cgroup);
    if let Some(mount) = &facts.v2_mount {
        let controllers = std::fs::read_to_string(mount.join("cgroup.controllers")).unwrap_or_default();
        facts.v2_controllers = controllers.split_whitespace().map(str::to_string).collect();
    }
    if let Some(memory) = facts.v1_with("memory") {
        facts.v1_memsw = own_dir(memory).join("memory.memsw.limit_in_bytes").exists();
    }
    if let Some(cpu) = facts.v1_with("cpu") {
        facts.v1_cfs_quota = own_dir(cpu).join("cpu.cfs_quota_us").exists();
    }
    facts
}

fn own_dir(hierarchy: &V1Hierarchy) -> PathBuf {
    hierarchy.mount.join(hierarchy.own_path.trim_start_matches('/'))
}

/// One change to the cgroup file systems.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum CgroupStep {
    CreateDir(PathBuf),
    Write { file: PathBuf, value: String },
}

/// What to do for one host: the steps, the cgroup directories made (to join and later
/// remove) and the limits they enforce.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct CgroupPlan {
    pub steps: Vec<CgroupStep>,
    pub dirs: Vec<PathBuf>,
    pub limits: Limits,
}

/// The plan for a host of `isolation` whose cgroups are called `leaf`.
pub(crate) fn plan(facts: &CgroupFacts, leaf: &str, instance_type: &InstanceType, isolation: Isolation) -> CgroupPlan {
    let mut plan = limits_plan(facts, leaf, instance_type);
    if isolation == Isolation::Container {
        let systemd = facts.v1_named("systemd").map(|hierarchy| own_dir(hierarchy).join(leaf));
        let unified = facts.v2_mount.as_ref().map(|mount| mount.join(leaf));
        for dir in systemd.into_iter().chain(unified) {
            if !plan.dirs.contains(&dir) {
                plan.steps.push(CgroupStep::CreateDir(dir.clone()));
                plan.dirs.push(dir);
            }
        }
    }
    plan
}

fn limits_plan(facts: &CgroupFacts, leaf: &str, instance_type: &InstanceType) -> CgroupPlan {
    let mut plan = CgroupPlan::default();
    let quota = u64::from(instance_type.vcpus) * CPU_PERIOD_US;
    let v2_memory = facts.v2_offers("memory");
    let v2_cpu = facts.v2_offers("cpu");
    if let (Some(mount), true) = (&facts.v2_mount, v2_memory || v2_cpu) {
        let enable: Vec<&str> = [(v2_memory, "+memory"), (v2_cpu, "+cpu")]
            .into_iter()
            .filter_map(|(offered, switch)| offered.then_some(switch))
            .collect();
        let dir = mount.join(leaf);
        plan.steps.push(CgroupStep::Write { file: mount.join("cgroup.subtree_control"), value: enable.join(" ") });
        plan.steps.push(CgroupStep::CreateDir(dir.clone()));
        if v2_memory {
            let value = instance_type.memory_bytes().to_string();
            plan.steps.push(CgroupStep::Write { file: dir.join("memory.max"), value });
            plan.limits.memory_bytes = Some(instance_type.memory_bytes());
        }
        if v2_cpu {
            plan.steps.push(CgroupStep::Write { file: dir.join("cpu.max"), value: format!("{quota} {CPU_PERIOD_US}") });
            plan.limits.vcpus = Some(instance_type.vcpus);
        }
        plan.dirs.push(dir);
    }
    if let (false, Some(memory)) = (v2_memory, facts.v1_with("memory")) {
        let dir = own_dir(memory).join(leaf);
        let bytes = instance_type.memory_bytes().to_string();
        plan.steps.push(CgroupStep::CreateDir(dir.clone()));
        plan.steps.push(CgroupStep::Write { file: dir.join("memory.limit_in_bytes"), value: bytes.clone() });
        if facts.v1_memsw {
            plan.steps.push(CgroupStep::Write { file: dir.join("memory.memsw.limit_in_bytes"), value: bytes });
        }
        plan.limits.memory_bytes = Some(instance_type.memory_bytes());
        plan.dirs.push(dir);
    }
    if let (false, true, Some(cpu)) = (v2_cpu, facts.v1_cfs_quota, facts.v1_with("cpu")) {
        let dir = own_dir(cpu).join(leaf);
        plan.steps.push(CgroupStep::CreateDir(dir.clone()));
        plan.steps.push(CgroupStep::Write { file: dir.join("cpu.cfs_period_us"), value: CPU_PERIOD_US.to_string() });
        plan.steps.push(CgroupStep::Write { file: dir.join("cpu.cfs_quota_us"), value: quota.to_string() });
        plan.limits.vcpus = Some(instance_type.vcpus);
        plan.dirs.push(dir);
    }
    plan
}

/// Applies a plan. A directory that already exists is reused.
pub(crate) fn apply(plan: &CgroupPlan) -> Result<()> {
    for step in &plan.steps {
        match step {
            CgroupStep::CreateDir(dir) => match std::fs::create_dir(dir) {
                Err(error) if error.kind() != std::io::ErrorKind::AlreadyExists => {
                    return Err(Error::Io { action: "creating cgroup", path: dir.clone(), source: error });
                }
                _ => {}
            },
            CgroupStep::Write { file, value } => {
                std::fs::write(file, value).map_err(Error::io("writing cgroup file", file))?;
            }
        }
    }
    Ok(())
}

/// Removes a host's cgroup directory and its child cgroups (deepest first); they must hold no
/// process any more. Absent is fine.
pub(crate) fn remove(dir: &Path) -> std::io::Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        other => other?,
    };
    for entry in entries {
        let entry = entry?;
        // A cgroup's subdirectories are its child cgroups; its files cannot be removed.
        if entry.file_type()?.is_dir() {
            remove(&entry.path())?;
        }
    }
    match std::fs::remove_dir(dir) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instance_types::instance_type;

    /// This VM: v1 controllers everywhere, a unified hierarchy offering only hugetlb.
    const HYBRID_MOUNTS: &str = "\
tmpfs /sys/fs/cgroup tmpfs rw,relatime,mode=755 0 0
cgroup /sys/fs/cgroup/cpu cgroup rw,relatime,cpu 0 0
cgroup /sys/fs/cgroup/cpuacct cgroup rw,relatime,cpuacct 0 0
cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0
cgroup /sys/fs/cgroup/pids cgroup rw,relatime,pids 0 0
cgroup /sys/fs/cgroup/systemd cgroup rw,relatime,name=systemd 0 0
cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0
";
    const HYBRID_SELF: &str = "\
9:name=systemd:/
8:pids:/
4:memory:/process_api/3eaa
2:cpuacct:/
1:cpu:/
0::/
";

    fn step_texts(plan: &CgroupPlan) -> Vec<String> {
        plan.steps
            .iter()
            .map(|step| match step {
                CgroupStep::CreateDir(dir) => format!("mkdir {}", dir.display()),
                CgroupStep::Write { file, value } => format!("{} < {value}", file.display()),
            })
            .collect()
    }

    #[test]
    fn hybrid_uses_v1_memory_and_cpu_under_the_callers_cgroups() {
        let mut facts = parse_facts(HYBRID_MOUNTS, HYBRID_SELF);
        facts.v2_controllers = vec!["hugetlb".into()];
        facts.v1_memsw = true;
        facts.v1_cfs_quota = true;
        let memory = facts.v1_with("memory").unwrap();
        assert_eq!(memory.own_path, "/process_api/3eaa");
        let plan = plan(&facts, "strata.lab.h1", instance_type("local.c2m4").unwrap(), Isolation::Namespace);
        assert_eq!(
            step_texts(&plan),
            [
                "mkdir /sys/fs/cgroup/memory/process_api/3eaa/strata.lab.h1",
                "/sys/fs/cgroup/memory/process_api/3eaa/strata.lab.h1/memory.limit_in_bytes < 4294967296",
                "/sys/fs/cgroup/memory/process_api/3eaa/strata.lab.h1/memory.memsw.limit_in_bytes < 4294967296",
                "mkdir /sys/fs/cgroup/cpu/strata.lab.h1",
                "/sys/fs/cgroup/cpu/strata.lab.h1/cpu.cfs_period_us < 100000",
                "/sys/fs/cgroup/cpu/strata.lab.h1/cpu.cfs_quota_us < 200000",
            ]
        );
        assert_eq!(plan.limits, Limits { memory_bytes: Some(4 << 30), vcpus: Some(2) });
        assert_eq!(plan.dirs.len(), 2);
    }

    #[test]
    fn pure_v2_uses_one_cgroup_under_the_unified_root() {
        let mut facts = parse_facts("cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid 0 0\n", "0::/user.slice\n");
        facts.v2_controllers = vec!["cpuset".into(), "cpu".into(), "memory".into(), "pids".into()];
        let plan = plan(&facts, "strata.lab.h1", instance_type("local.c1m1").unwrap(), Isolation::Namespace);
        assert_eq!(
            step_texts(&plan),
            [
                "/sys/fs/cgroup/cgroup.subtree_control < +memory +cpu",
                "mkdir /sys/fs/cgroup/strata.lab.h1",
                "/sys/fs/cgroup/strata.lab.h1/memory.max < 1073741824",
                "/sys/fs/cgroup/strata.lab.h1/cpu.max < 100000 100000",
            ]
        );
        assert_eq!(plan.dirs, [PathBuf::from("/sys/fs/cgroup/strata.lab.h1")]);
    }

    #[test]
    fn containers_get_their_own_systemd_and_unified_cgroups() {
        let mut facts = parse_facts(HYBRID_MOUNTS, HYBRID_SELF);
        facts.v2_controllers = vec!["hugetlb".into()];
        facts.v1_memsw = true;
        facts.v1_cfs_quota = true;
        assert_eq!(facts.v1_named("systemd").unwrap().mount, Path::new("/sys/fs/cgroup/systemd"));
        let container = plan(&facts, "strata.lab.h1", instance_type("local.c1m1").unwrap(), Isolation::Container);
        let texts = step_texts(&container);
        assert_eq!(
            texts[texts.len() - 2..],
            ["mkdir /sys/fs/cgroup/systemd/strata.lab.h1", "mkdir /sys/fs/cgroup/unified/strata.lab.h1"]
        );
        assert_eq!(container.dirs.len(), 4);
        assert_eq!(container.limits, Limits { memory_bytes: Some(1 << 30), vcpus: Some(1) });
        let namespace = plan(&facts, "strata.lab.h1", instance_type("local.c1m1").unwrap(), Isolation::Namespace);
        assert_eq!(namespace.dirs.len(), 2);

        // Pure v2: the host's one cgroup serves nspawn too.
        let mut facts = parse_facts("cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid 0 0\n", "0::/user.slice\n");
        facts.v2_controllers = vec!["cpu".into(), "memory".into()];
        let pure_v2 = plan(&facts, "strata.lab.h1", instance_type("local.c1m1").unwrap(), Isolation::Container);
        assert_eq!(pure_v2.dirs, [PathBuf::from("/sys/fs/cgroup/strata.lab.h1")]);
    }

    #[test]
    fn a_named_hierarchy_finds_its_own_path() {
        let facts = parse_facts(HYBRID_MOUNTS, "9:name=systemd:/user.slice/session-1.scope\n4:memory:/\n");
        assert_eq!(facts.v1_named("systemd").unwrap().own_path, "/user.slice/session-1.scope");
        assert_eq!(facts.v1_with("memory").unwrap().own_path, "/");
    }

    #[test]
    fn removal_takes_child_cgroups_first() {
        // A plain directory tree stands in for a cgroup with nspawn's children.
        let dir = std::env::temp_dir().join(format!("strata-cgroup-remove-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("payload")).unwrap();
        std::fs::create_dir_all(dir.join("supervisor")).unwrap();
        remove(&dir).unwrap();
        assert!(!dir.exists());
        remove(&dir).unwrap();
    }

    #[test]
    fn no_cgroups_no_limits() {
        let plan =
            plan(&CgroupFacts::default(), "strata.lab.h1", instance_type("local.c1m1").unwrap(), Isolation::Container);
        assert_eq!(plan, CgroupPlan::default());
    }

    #[test]
    fn comounted_cpu_cpuacct() {
        let facts = parse_facts(
            "cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,nosuid,cpu,cpuacct 0 0\n",
            "3:cpuacct,cpu:/build\n",
        );
        assert_eq!(facts.v1_with("cpu").unwrap().own_path, "/build");
    }
}
