//! `alicloud_instance_group`: identical ECS instances launched together.
//!
//! - **create**: one `RunInstances` with `Amount = instance_count` and `ClientToken` = the
//!   engine's idempotency token (a retried request returns the same instances), every instance
//!   tagged `strata-token = <token>` (the group's id); then `DescribeInstances` until all are
//!   `Running`, reporting "2/3 instances running".
//! - **find_by_token** (after an interrupted create): the instances tagged with the token.
//! - **read**: the instances tagged with the group's id; `instance_count` is how many exist, so
//!   an instance deleted outside Strata shows up as a change the next apply repairs.
//! - **update** (`instance_count` changed): scale out launches the difference (its
//!   `ClientToken` derived from the group and the instances it had, so a retry does not launch
//!   twice); scale in deletes the newest surplus instances and waits until they are gone.
//! - **delete**: every instance tagged with the group's id, then waits until they are gone.

use std::sync::Arc;

use sha2::{Digest, Sha256};
use strata_provider_sdk::{Ctx, Model, Plan, Planned, ProviderError, Resource, async_trait};

use super::{poll, token};
use crate::api::instances::{self as api, Filter, Instance, Launch};
use crate::client::{CallError, Client};
use crate::settings::Shared;

/// Identical ECS instances launched together (pay-as-you-go), in one vSwitch and security group.
#[derive(Model, Clone, Debug, PartialEq)]
pub struct InstanceGroup {
    /// How many instances (1 to 100); changing it adds or deletes instances in place.
    #[strata(required)]
    pub instance_count: u32,
    /// The instance type, e.g. "ecs.g6.large".
    #[strata(required, force_new)]
    pub instance_type: String,
    /// The image, e.g. "ubuntu_22_04_x64_20G_alibase_20240130.vhd".
    #[strata(required, force_new)]
    pub image_id: String,
    /// The vSwitch the instances are in (it decides the zone), `vsw-...`.
    #[strata(required, force_new)]
    pub vswitch_id: String,
    /// The security group, `sg-...` (of the vSwitch's VPC).
    #[strata(required, force_new)]
    pub security_group_id: String,
    /// The key pair whose public key is installed for SSH.
    #[strata(optional, force_new)]
    pub key_name: Option<String>,
    /// The instances' name (2 to 128 characters, starting with a letter).
    #[strata(optional, force_new)]
    pub name: Option<String>,
    /// The group's id (the token its instances are tagged with).
    #[strata(computed)]
    pub id: Option<String>,
    /// The instances' ids, oldest first.
    #[strata(computed)]
    pub instance_ids: Option<Vec<String>>,
    /// Their private IPv4 addresses, in the same order.
    #[strata(computed)]
    pub private_ips: Option<Vec<String>>,
    /// The zone (the vSwitch's).
    #[strata(computed)]
    pub zone_id: Option<String>,
}

/// Instances per group: what one `RunInstances` launches.
const MAX_COUNT: u32 = api::BATCH as u32;

pub struct InstanceGroupResource(pub Arc<Shared>);

/// The attribute an error of `RunInstances` is about.
fn attribute_of(error: &CallError) -> Option<&'static str> {
    let code = error.code()?;
    let prefixes: [(&str, &str); 9] = [
        ("InvalidInstanceType", "instance_type"),
        ("InvalidImageId", "image_id"),
        ("InvalidVSwitchId", "vswitch_id"),
        ("InvalidZoneId", "vswitch_id"),
        ("InvalidSecurityGroupId", "security_group_id"),
        ("InvalidParameter.Mismatch", "security_group_id"),
        ("InvalidKeyPairName", "key_name"),
        ("InvalidInstanceName", "name"),
        ("QuotaExceed", "instance_count"),
    ];
    prefixes.iter().find(|(prefix, _)| code.starts_with(prefix)).map(|(_, attribute)| *attribute)
}

/// The `ClientToken` of a scale-out: the same group, instances and target give the same token.
fn scale_out_token(group: &str, existing: &[String], target: u32) -> String {
    let mut sorted = existing.to_vec();
    sorted.sort();
    let digest = Sha256::digest(format!("{group}/{}/{target}", sorted.join(",")).as_bytes());
    let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("scale-{}", &hex[..40])
}

/// `group` with the instances `found`, kept in the order of `order` (ids not in it last).
fn with_instances(mut group: InstanceGroup, order: &[String], mut found: Vec<Instance>) -> InstanceGroup {
    found.sort_by_key(|instance| {
        let position = order.iter().position(|id| *id == instance.instance_id).unwrap_or(usize::MAX);
        (position, instance.creation_time.clone(), instance.instance_id.clone())
    });
    group.instance_count = found.len() as u32;
    group.instance_ids = Some(found.iter().map(|instance| instance.instance_id.clone()).collect());
    group.private_ips =
        Some(found.iter().map(|instance| instance.private_ip().unwrap_or_default().to_owned()).collect());
    group.zone_id = found.first().map(|instance| instance.zone_id.clone()).or(group.zone_id);
    group
}

impl InstanceGroupResource {
    fn launch<'a>(group: &'a InstanceGroup, amount: usize, client_token: &'a str, tag: &'a str) -> Launch<'a> {
        Launch {
            image_id: &group.image_id,
            instance_type: &group.instance_type,
            vswitch_id: &group.vswitch_id,
            security_group_id: &group.security_group_id,
            key_pair_name: group.key_name.as_deref().unwrap_or_default(),
            instance_name: group.name.as_deref().unwrap_or_default(),
            host_name: "",
            amount,
            client_token,
            group: tag,
        }
    }

    async fn run(client: &Client, launch: Launch<'_>) -> Result<Vec<String>, ProviderError> {
        api::run_instances(client, launch).await.map_err(|error| match attribute_of(&error) {
            Some(attribute) => error.at(attribute),
            None => error.into(),
        })
    }

    /// Waits until every instance of `ids` is `Running`, reporting progress when it changes;
    /// all of them.
    async fn running(&self, ctx: &Ctx, client: &Arc<Client>, ids: &[String]) -> Result<Vec<Instance>, ProviderError> {
        let total = ids.len() as u64;
        let reported = std::sync::atomic::AtomicU64::new(u64::MAX);
        poll(self.0.options.poll, || async {
            let found = api::describe_instances(client, Filter::Ids(ids)).await?;
            if let Some(missing) = ids.iter().find(|id| !found.iter().any(|instance| instance.instance_id == **id)) {
                return Err(ProviderError::new(format!("instance {missing} disappeared while it was starting")));
            }
            let running = found.iter().filter(|instance| instance.is_running()).count() as u64;
            if reported.swap(running, std::sync::atomic::Ordering::Relaxed) != running {
                ctx.progress(running, total, "instances running");
            }
            Ok((running == total).then_some(found))
        })
        .await
    }

    /// Waits until none of `ids` exists any more, reporting progress when it changes.
    async fn gone(&self, ctx: &Ctx, client: &Arc<Client>, ids: &[String]) -> Result<(), ProviderError> {
        let total = ids.len() as u64;
        let reported = std::sync::atomic::AtomicU64::new(u64::MAX);
        poll(self.0.options.poll, || async {
            let left = api::describe_instances(client, Filter::Ids(ids)).await?.len() as u64;
            let deleted = total - left.min(total);
            if reported.swap(deleted, std::sync::atomic::Ordering::Relaxed) != deleted {
                ctx.progress(deleted, total, "instances deleted");
            }
            Ok((left == 0).then_some(()))
        })
        .await
    }

    /// The group's instances (by tag), once all are running; `None` when it has none.
    async fn found(
        &self,
        ctx: &Ctx,
        group: &str,
        mut model: InstanceGroup,
    ) -> Result<Option<InstanceGroup>, ProviderError> {
        let client = self.0.client(ctx)?;
        let found = api::describe_instances(&client, Filter::Group(group)).await?;
        if found.is_empty() {
            return Ok(None);
        }
        let ids: Vec<String> = found.iter().map(|instance| instance.instance_id.clone()).collect();
        let running = self.running(ctx, &client, &ids).await?;
        model.id = Some(group.to_owned());
        Ok(Some(with_instances(model, &[], running)))
    }
}

#[async_trait]
impl Resource for InstanceGroupResource {
    type Model = InstanceGroup;
    const TYPE_NAME: &'static str = "alicloud_instance_group";

    async fn plan(&self, ctx: &Ctx, plan: &mut Plan<InstanceGroup>) -> Result<(), ProviderError> {
        // A provider that cannot make its client (no credentials, no region) says so now.
        let client = self.0.client(ctx)?;
        if let (Planned::Known(instance_type), Planned::Known(image)) =
            (plan.config::<String>("instance_type")?, plan.config::<String>("image_id")?)
        {
            let vswitch = plan.config::<String>("vswitch_id")?;
            let zone = super::offerings_check::vswitch_zone(ctx, &client, &vswitch).await;
            let wanted = [super::offerings_check::Wanted {
                attribute: "instance_type".into(),
                instance_type: &instance_type,
                zone: zone.as_deref(),
            }];
            super::offerings_check::check(ctx, &client, &wanted, Some(("image_id", &image))).await?;
        }
        let count = plan.config::<u32>("instance_count")?;
        if let Planned::Known(count) = count
            && !(1..=MAX_COUNT).contains(&count)
        {
            return Err(ProviderError::at(
                "instance_count",
                format!("instance_count must be 1 to {MAX_COUNT} (one RunInstances call); it is {count}"),
            ));
        }
        let prior_count = plan.prior()?.map(|prior| prior.instance_count);
        if let Some(prior_count) = prior_count
            && count != Planned::Known(prior_count)
        {
            plan.set_unknown("instance_ids")?;
            plan.set_unknown("private_ips")?;
        }
        Ok(())
    }

    async fn create(&self, ctx: &Ctx, planned: InstanceGroup) -> Result<InstanceGroup, ProviderError> {
        let client = self.0.client(ctx)?;
        let token = token(ctx);
        let amount = planned.instance_count as usize;
        let ids = Self::run(&client, Self::launch(&planned, amount, &token, &token)).await?;
        let running = self.running(ctx, &client, &ids).await?;
        let group = InstanceGroup { id: Some(token), ..planned };
        Ok(with_instances(group, &ids, running))
    }

    async fn read(&self, ctx: &Ctx, current: InstanceGroup) -> Result<Option<InstanceGroup>, ProviderError> {
        let Some(group) = current.id.clone() else { return Ok(None) };
        let client = self.0.client(ctx)?;
        let found = api::describe_instances(&client, Filter::Group(&group)).await?;
        if found.is_empty() {
            return Ok(None);
        }
        let order = current.instance_ids.clone().unwrap_or_default();
        Ok(Some(with_instances(current, &order, found)))
    }

    async fn update(
        &self,
        ctx: &Ctx,
        prior: InstanceGroup,
        planned: InstanceGroup,
    ) -> Result<InstanceGroup, ProviderError> {
        let group = prior.id.clone().ok_or_else(|| ProviderError::new("the group's id is not in state"))?;
        let client = self.0.client(ctx)?;
        let mut ids = prior.instance_ids.clone().unwrap_or_default();
        let target = planned.instance_count as usize;
        if target > ids.len() {
            let client_token = scale_out_token(&group, &ids, planned.instance_count);
            let launch = Self::launch(&planned, target - ids.len(), &client_token, &group);
            ids.extend(Self::run(&client, launch).await?);
        } else if target < ids.len() {
            let surplus = ids.split_off(target);
            api::delete_instances(&client, &surplus).await.map_err(|error| error.at("instance_count"))?;
            self.gone(ctx, &client, &surplus).await?;
        }
        let running = self.running(ctx, &client, &ids).await?;
        let updated = InstanceGroup { id: Some(group), ..planned };
        Ok(with_instances(updated, &ids, running))
    }

    async fn delete(&self, ctx: &Ctx, prior: InstanceGroup) -> Result<(), ProviderError> {
        let client = self.0.client(ctx)?;
        let mut ids: Vec<String> = Vec::new();
        if let Some(group) = &prior.id {
            ids.extend(
                api::describe_instances(&client, Filter::Group(group)).await?.into_iter().map(|i| i.instance_id),
            );
        }
        let known = prior.instance_ids.clone().unwrap_or_default();
        let unlisted: Vec<String> = known.into_iter().filter(|id| !ids.contains(id)).collect();
        if !unlisted.is_empty() {
            ids.extend(
                api::describe_instances(&client, Filter::Ids(&unlisted)).await?.into_iter().map(|i| i.instance_id),
            );
        }
        if ids.is_empty() {
            return Ok(());
        }
        api::delete_instances(&client, &ids).await?;
        self.gone(ctx, &client, &ids).await
    }

    async fn find_by_token(&self, ctx: &Ctx, planned: InstanceGroup) -> Result<Option<InstanceGroup>, ProviderError> {
        self.found(ctx, ctx.idempotency_token(), planned).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_out_tokens_depend_on_group_instances_and_target_only() {
        let a = scale_out_token("g", &["i-2".into(), "i-1".into()], 5);
        assert_eq!(a, scale_out_token("g", &["i-1".into(), "i-2".into()], 5));
        assert_ne!(a, scale_out_token("g", &["i-1".into()], 5));
        assert_ne!(a, scale_out_token("g", &["i-1".into(), "i-2".into()], 6));
        assert!(a.len() <= 64 && a.is_ascii(), "a valid ClientToken");
    }
}
