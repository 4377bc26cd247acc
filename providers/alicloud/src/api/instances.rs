//! ECS instances: `RunInstances`, `DescribeInstances`, `DeleteInstances`.

use serde::Deserialize;

use super::{EcsTags, add_token_tag, all_pages, decode, json_list, params};
use crate::client::{CallError, Client, Service};
use crate::signing::push_list;

/// At most this many instances per `RunInstances`, ids per `DescribeInstances` and
/// `DeleteInstances`.
pub const BATCH: usize = 100;

/// What `RunInstances` launches.
#[derive(Clone, Copy, Debug)]
pub struct Launch<'a> {
    pub image_id: &'a str,
    pub instance_type: &'a str,
    pub vswitch_id: &'a str,
    pub security_group_id: &'a str,
    /// Empty: no key pair.
    pub key_pair_name: &'a str,
    /// Empty: ECS names them.
    pub instance_name: &'a str,
    /// The instances' hostname (`name-[0,1]` numbers them); empty: ECS names them.
    pub host_name: &'a str,
    pub amount: usize,
    /// The same token returns the same instances instead of launching more.
    pub client_token: &'a str,
    /// The value of the instances' token tag: the group they belong to.
    pub group: &'a str,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Launched {
    instance_id_sets: IdSet,
}

#[derive(Deserialize)]
struct IdSet {
    #[serde(rename = "InstanceIdSet", default)]
    instance_id_set: Vec<String>,
}

/// `RunInstances` (pay-as-you-go, `Amount` instances): their ids.
pub async fn run_instances(client: &Client, launch: Launch<'_>) -> Result<Vec<String>, CallError> {
    let amount = launch.amount.to_string();
    let mut params = params(&[
        ("RegionId", client.region()),
        ("ImageId", launch.image_id),
        ("InstanceType", launch.instance_type),
        ("VSwitchId", launch.vswitch_id),
        ("SecurityGroupId", launch.security_group_id),
        ("KeyPairName", launch.key_pair_name),
        ("InstanceName", launch.instance_name),
        ("HostName", launch.host_name),
        ("InstanceChargeType", "PostPaid"),
        ("Amount", &amount),
        ("ClientToken", launch.client_token),
    ]);
    add_token_tag(&mut params, launch.group);
    let answer = client.call(Service::Ecs, "RunInstances", params).await?;
    Ok(decode::<Launched>(Service::Ecs, "RunInstances", answer)?.instance_id_sets.instance_id_set)
}

/// An instance as `DescribeInstances` shows it (the fields the provider reads).
#[derive(Deserialize, Debug, Clone, Default)]
#[serde(rename_all = "PascalCase")]
pub struct Instance {
    pub instance_id: String,
    /// `Pending`, `Starting`, `Running`, `Stopping`, `Stopped`.
    pub status: String,
    #[serde(default)]
    pub host_name: String,
    #[serde(default)]
    pub instance_type: String,
    #[serde(default)]
    pub image_id: String,
    #[serde(default)]
    pub zone_id: String,
    #[serde(default)]
    pub creation_time: String,
    #[serde(default)]
    pub vpc_attributes: VpcAttributes,
    #[serde(default)]
    pub tags: EcsTags,
}

#[derive(Deserialize, Debug, Clone, Default)]
#[serde(rename_all = "PascalCase")]
pub struct VpcAttributes {
    #[serde(default)]
    pub vpc_id: String,
    #[serde(rename = "VSwitchId", default)]
    pub vswitch_id: String,
    #[serde(default)]
    pub private_ip_address: IpAddresses,
}

#[derive(Deserialize, Debug, Clone, Default)]
pub struct IpAddresses {
    #[serde(rename = "IpAddress", default)]
    pub ip_address: Vec<String>,
}

impl Instance {
    /// The primary private IPv4 address.
    pub fn private_ip(&self) -> Option<&str> {
        self.vpc_attributes.private_ip_address.ip_address.first().map(String::as_str)
    }

    pub fn is_running(&self) -> bool {
        self.status == "Running"
    }
}

/// Which instances `DescribeInstances` lists.
#[derive(Clone, Copy, Debug)]
pub enum Filter<'a> {
    Ids(&'a [String]),
    /// Those tagged with this group's token.
    Group(&'a str),
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct InstancePage {
    instances: InstanceList,
    #[serde(default)]
    total_count: u64,
}

#[derive(Deserialize)]
struct InstanceList {
    #[serde(rename = "Instance", default)]
    instance: Vec<Instance>,
}

async fn describe_page(client: &Client, filter: Filter<'_>, page: u32) -> Result<(Vec<Instance>, u64), CallError> {
    let number = page.to_string();
    let mut params = params(&[("RegionId", client.region()), ("PageSize", "100"), ("PageNumber", &number)]);
    match filter {
        Filter::Ids(ids) => {
            params.insert("InstanceIds".into(), json_list(ids));
        }
        Filter::Group(group) => add_token_tag(&mut params, group),
    }
    let answer = client.call(Service::Ecs, "DescribeInstances", params).await?;
    let page: InstancePage = decode(Service::Ecs, "DescribeInstances", answer)?;
    Ok((page.instances.instance, page.total_count))
}

/// `DescribeInstances` of these ids (in batches of 100), or of a group.
pub async fn describe_instances(client: &Client, filter: Filter<'_>) -> Result<Vec<Instance>, CallError> {
    match filter {
        Filter::Ids(ids) => {
            let mut found = Vec::new();
            for batch in ids.chunks(BATCH) {
                found.extend(all_pages(|page| describe_page(client, Filter::Ids(batch), page)).await?);
            }
            Ok(found)
        }
        Filter::Group(_) => all_pages(|page| describe_page(client, filter, page)).await,
    }
}

/// `DeleteInstances` with `Force=true` (running instances are stopped first), in batches of 100.
pub async fn delete_instances(client: &Client, ids: &[String]) -> Result<(), CallError> {
    for batch in ids.chunks(BATCH) {
        let mut params = params(&[("RegionId", client.region()), ("Force", "true")]);
        push_list(&mut params, "InstanceId", batch);
        client.call(Service::Ecs, "DeleteInstances", params).await?;
    }
    Ok(())
}
