//! What the emulator sells: a small, fixed table of regions, zones, instance types and images.
//! `RunInstances` and `CreateVSwitch` check against it and answer with the API's error codes
//! (`InvalidRegionId.NotFound`, `InvalidZoneId.NotFound`, `InvalidInstanceType.NotFound`,
//! `InvalidInstanceType.ZoneNotSupported`, `InvalidImageId.NotFound`). The table is documented in
//! `docs/alicloud-provider.md`; change both together.

/// A region and its zones.
#[derive(Clone, Copy, Debug)]
pub struct Region {
    pub id: &'static str,
    pub zones: &'static [&'static str],
}

pub const REGIONS: &[Region] = &[
    Region { id: "cn-hangzhou", zones: &["cn-hangzhou-h", "cn-hangzhou-i", "cn-hangzhou-j", "cn-hangzhou-k"] },
    Region { id: "cn-beijing", zones: &["cn-beijing-h", "cn-beijing-i", "cn-beijing-j"] },
    Region { id: "ap-southeast-1", zones: &["ap-southeast-1a", "ap-southeast-1b", "ap-southeast-1c"] },
];

/// An instance type: its size, and the zones that do not offer it.
#[derive(Clone, Copy, Debug)]
pub struct InstanceType {
    pub id: &'static str,
    pub family: &'static str,
    pub cpu: u32,
    pub memory_mib: u32,
    pub not_in_zones: &'static [&'static str],
}

pub const INSTANCE_TYPES: &[InstanceType] = &[
    InstanceType { id: "ecs.g6.large", family: "ecs.g6", cpu: 2, memory_mib: 8192, not_in_zones: &[] },
    InstanceType { id: "ecs.g6.xlarge", family: "ecs.g6", cpu: 4, memory_mib: 16384, not_in_zones: &[] },
    InstanceType { id: "ecs.g6.2xlarge", family: "ecs.g6", cpu: 8, memory_mib: 32768, not_in_zones: &[] },
    InstanceType { id: "ecs.c6.large", family: "ecs.c6", cpu: 2, memory_mib: 4096, not_in_zones: &[] },
    InstanceType { id: "ecs.r6.large", family: "ecs.r6", cpu: 2, memory_mib: 16384, not_in_zones: &[] },
    InstanceType {
        id: "ecs.t6-c1m1.large",
        family: "ecs.t6",
        cpu: 2,
        memory_mib: 2048,
        not_in_zones: &["cn-hangzhou-k", "ap-southeast-1c"],
    },
];

/// A public image.
#[derive(Clone, Copy, Debug)]
pub struct Image {
    pub id: &'static str,
    pub os_name: &'static str,
    pub os_type: &'static str,
    /// With real hosts: whether an instance of it has a root file system of its own (a
    /// container host over [`BOOKWORM_COMPONENTS`](strata_provider_local::BOOKWORM_COMPONENTS),
    /// nothing of the release installed, as on a real ECS instance) rather than this machine's
    /// (a namespace host sharing `/usr` and the component cache).
    pub own_root: bool,
}

pub const IMAGES: &[Image] = &[
    Image {
        id: "ubuntu_22_04_x64_20G_alibase_20240130.vhd",
        os_name: "Ubuntu  22.04 64位",
        os_type: "linux",
        own_root: false,
    },
    Image {
        id: "debian_12_6_x64_20G_alibase_20240823.vhd",
        os_name: "Debian  12.6 64位",
        os_type: "linux",
        own_root: false,
    },
    // The image whose instances receive a release's components over the network
    // (`artifact_mirror`): Debian 12 with a JDK and pip, its own root file system.
    Image {
        id: "debian_12_9_x64_20G_alibase_20250117.vhd",
        os_name: "Debian  12.9 64位",
        os_type: "linux",
        own_root: true,
    },
    Image {
        id: "aliyun_3_x64_20G_alibase_20240528.vhd",
        os_name: "Alibaba Cloud Linux  3.2104 LTS 64位",
        os_type: "linux",
        own_root: false,
    },
    Image {
        id: "centos_7_9_x64_20G_alibase_20240628.vhd",
        os_name: "CentOS  7.9 64位",
        os_type: "linux",
        own_root: false,
    },
];

pub fn region(id: &str) -> Option<&'static Region> {
    REGIONS.iter().find(|region| region.id == id)
}

pub fn instance_type(id: &str) -> Option<&'static InstanceType> {
    INSTANCE_TYPES.iter().find(|entry| entry.id == id)
}

pub fn image(id: &str) -> Option<&'static Image> {
    IMAGES.iter().find(|image| image.id == id)
}
