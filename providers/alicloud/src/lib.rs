//! The `alicloud` provider: Alibaba Cloud networks and ECS instances through the RPC-style
//! OpenAPI, served as the plugin `strata-provider-alicloud` ([`provider`]).
//!
//! - [`signing`]: request signatures (HMAC-SHA1, signature version 1.0), pure and checked
//!   against Alibaba Cloud's published example and the official Python SDK.
//! - [`signing_v3`]: the `ACS3-HMAC-SHA256` header signature (signature method V3), pure and
//!   checked the same way; the provider setting `signature_version` picks one of the two.
//! - [`credentials`]: the AccessKey from `ALIBABA_CLOUD_*` variables or an aliyun CLI profile.
//! - [`client`]: signed calls with retries (throttling, server errors, no answer) and the API's
//!   errors as provider errors naming the code and request id.
//! - [`api`]: the ECS and VPC actions the resources use, typed.
//! - [`resources`]: `alicloud_vpc`, `alicloud_vswitch`, `alicloud_security_group`,
//!   `alicloud_key_pair`, `alicloud_instance_group`, on the SDK's typed layer; and
//!   `alicloud_emr_cluster` ([`resources::emr_cluster`]): `RunInstances` per node group, then the
//!   release installed and started with the emr provider's own code (`strata_provider_emr`'s
//!   topology, rendering and SSH deployment).
//! - `emulator` (feature `emulator`): the same wire protocol on 127.0.0.1, verifying every
//!   signature; what the tests run against, and `alicloud-emulator` for manual use. With
//!   `real_hosts` (`--real-hosts`), its instances are namespace hosts of this machine
//!   (`emulator::hosts`, through `strata_provider_local`), one network per vSwitch.
//!
//! Reference: `docs/alicloud-provider.md`.

pub mod api;
pub mod client;
pub mod credentials;
#[cfg(feature = "emulator")]
pub mod emulator;
pub mod resources;
pub mod settings;
pub mod signing;
pub mod signing_v3;

use strata_provider_sdk::{ProviderBuilder, TypedProvider};

pub use self::settings::{Config, Options, PollPolicy};

/// The provider's name: resource types start with `alicloud_`.
pub const NAME: &str = "alicloud";

/// The provider as the plugin serves it: credentials from the environment or a profile.
pub fn provider() -> TypedProvider {
    provider_with(Options::default())
}

/// The provider with `options` (tests give credentials and short timings).
pub fn provider_with(options: Options) -> TypedProvider {
    let shared = settings::Shared::new(options);
    ProviderBuilder::new(NAME, env!("CARGO_PKG_VERSION"))
        .config::<Config>()
        // ECS throttles per account: a few calls at a time is what the API is comfortable with.
        .concurrency_limit(8)
        .resource(resources::vpc::VpcResource(shared.clone()))
        .resource(resources::vswitch::VSwitchResource(shared.clone()))
        .resource(resources::security_group::SecurityGroupResource(shared.clone()))
        .resource(resources::key_pair::KeyPairResource(shared.clone()))
        .resource(resources::instance_group::InstanceGroupResource(shared.clone()))
        .resource(resources::emr_cluster::EmrClusterResource::new(shared))
        .build()
}
