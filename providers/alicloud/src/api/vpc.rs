//! VPC (2016-04-28): `CreateVpc`, `DescribeVpcs`, `ModifyVpcAttribute`, `DeleteVpc`,
//! `CreateVSwitch`, `DescribeVSwitches`, `ModifyVSwitchAttribute`, `DeleteVSwitch`.

use serde::Deserialize;

use super::{PAGE_SIZE, TOKEN_TAG, add_token_tag, all_pages, decode, params};
use crate::client::{CallError, Client, Service};

/// `{"Tag": [{"Key", "Value"}]}` of VPC answers.
#[derive(Deserialize, Debug, Default, Clone)]
pub struct VpcTags {
    #[serde(rename = "Tag", default)]
    pub tag: Vec<VpcTag>,
}

#[derive(Deserialize, Debug, Default, Clone)]
pub struct VpcTag {
    #[serde(rename = "Key", default)]
    pub key: String,
    #[serde(rename = "Value", default)]
    pub value: String,
}

impl VpcTags {
    pub fn token(&self) -> Option<&str> {
        self.tag.iter().find(|tag| tag.key == TOKEN_TAG).map(|tag| tag.value.as_str())
    }
}

/// A VPC as `DescribeVpcs` shows it.
#[derive(Deserialize, Debug, Clone)]
#[serde(rename_all = "PascalCase")]
pub struct Vpc {
    pub vpc_id: String,
    /// `Pending` or `Available`.
    pub status: String,
    pub cidr_block: String,
    #[serde(default)]
    pub vpc_name: String,
    #[serde(default)]
    pub tags: VpcTags,
}

/// A vSwitch as `DescribeVSwitches` shows it.
#[derive(Deserialize, Debug, Clone)]
#[serde(rename_all = "PascalCase")]
pub struct VSwitch {
    #[serde(rename = "VSwitchId")]
    pub vswitch_id: String,
    pub vpc_id: String,
    pub status: String,
    pub cidr_block: String,
    pub zone_id: String,
    #[serde(rename = "VSwitchName", default)]
    pub vswitch_name: String,
    #[serde(default)]
    pub tags: VpcTags,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Created {
    #[serde(default)]
    vpc_id: String,
    #[serde(rename = "VSwitchId", default)]
    vswitch_id: String,
}

/// `CreateVpc`: the new VPC's id. `token` is its `ClientToken` and its token tag.
pub async fn create_vpc(client: &Client, cidr_block: &str, name: &str, token: &str) -> Result<String, CallError> {
    let mut params =
        params(&[("RegionId", client.region()), ("CidrBlock", cidr_block), ("VpcName", name), ("ClientToken", token)]);
    add_token_tag(&mut params, token);
    let answer = client.call(Service::Vpc, "CreateVpc", params).await?;
    Ok(decode::<Created>(Service::Vpc, "CreateVpc", answer)?.vpc_id)
}

/// Which VPCs `DescribeVpcs` lists.
#[derive(Clone, Copy, Debug)]
pub enum Filter<'a> {
    Id(&'a str),
    Token(&'a str),
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct VpcPage {
    vpcs: VpcList,
    #[serde(default)]
    total_count: u64,
}

#[derive(Deserialize)]
struct VpcList {
    #[serde(rename = "Vpc", default)]
    vpc: Vec<Vpc>,
}

/// `DescribeVpcs` of one id, or of the VPCs a create with this token made.
pub async fn describe_vpcs(client: &Client, filter: Filter<'_>) -> Result<Vec<Vpc>, CallError> {
    all_pages(|page| async move {
        let number = page.to_string();
        let mut params = params(&[("RegionId", client.region()), ("PageSize", PAGE_SIZE), ("PageNumber", &number)]);
        match filter {
            Filter::Id(id) => {
                params.insert("VpcId".into(), id.into());
            }
            Filter::Token(token) => add_token_tag(&mut params, token),
        }
        let answer = client.call(Service::Vpc, "DescribeVpcs", params).await?;
        let page: VpcPage = decode(Service::Vpc, "DescribeVpcs", answer)?;
        Ok((page.vpcs.vpc, page.total_count))
    })
    .await
}

/// `ModifyVpcAttribute`: renames the VPC.
pub async fn rename_vpc(client: &Client, vpc_id: &str, name: &str) -> Result<(), CallError> {
    let params = params(&[("RegionId", client.region()), ("VpcId", vpc_id), ("VpcName", name)]);
    client.call(Service::Vpc, "ModifyVpcAttribute", params).await.map(drop)
}

/// `DeleteVpc`.
pub async fn delete_vpc(client: &Client, vpc_id: &str) -> Result<(), CallError> {
    let params = params(&[("RegionId", client.region()), ("VpcId", vpc_id)]);
    client.call(Service::Vpc, "DeleteVpc", params).await.map(drop)
}

/// What `CreateVSwitch` needs.
#[derive(Clone, Copy, Debug)]
pub struct NewVSwitch<'a> {
    pub vpc_id: &'a str,
    pub cidr_block: &'a str,
    pub zone_id: &'a str,
    pub name: &'a str,
}

/// `CreateVSwitch`: the new vSwitch's id.
pub async fn create_vswitch(client: &Client, new: NewVSwitch<'_>, token: &str) -> Result<String, CallError> {
    let mut params = params(&[
        ("RegionId", client.region()),
        ("VpcId", new.vpc_id),
        ("CidrBlock", new.cidr_block),
        ("ZoneId", new.zone_id),
        ("VSwitchName", new.name),
        ("ClientToken", token),
    ]);
    add_token_tag(&mut params, token);
    let answer = client.call(Service::Vpc, "CreateVSwitch", params).await?;
    Ok(decode::<Created>(Service::Vpc, "CreateVSwitch", answer)?.vswitch_id)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct VSwitchPage {
    #[serde(rename = "VSwitches")]
    vswitches: VSwitchList,
    #[serde(default)]
    total_count: u64,
}

#[derive(Deserialize)]
struct VSwitchList {
    #[serde(rename = "VSwitch", default)]
    vswitch: Vec<VSwitch>,
}

/// `DescribeVSwitches` of one id, or of the vSwitches a create with this token made.
pub async fn describe_vswitches(client: &Client, filter: Filter<'_>) -> Result<Vec<VSwitch>, CallError> {
    all_pages(|page| async move {
        let number = page.to_string();
        let mut params = params(&[("RegionId", client.region()), ("PageSize", PAGE_SIZE), ("PageNumber", &number)]);
        match filter {
            Filter::Id(id) => {
                params.insert("VSwitchId".into(), id.into());
            }
            Filter::Token(token) => add_token_tag(&mut params, token),
        }
        let answer = client.call(Service::Vpc, "DescribeVSwitches", params).await?;
        let page: VSwitchPage = decode(Service::Vpc, "DescribeVSwitches", answer)?;
        Ok((page.vswitches.vswitch, page.total_count))
    })
    .await
}

/// `ModifyVSwitchAttribute`: renames the vSwitch.
pub async fn rename_vswitch(client: &Client, vswitch_id: &str, name: &str) -> Result<(), CallError> {
    let params = params(&[("RegionId", client.region()), ("VSwitchId", vswitch_id), ("VSwitchName", name)]);
    client.call(Service::Vpc, "ModifyVSwitchAttribute", params).await.map(drop)
}

/// `DeleteVSwitch`.
pub async fn delete_vswitch(client: &Client, vswitch_id: &str) -> Result<(), CallError> {
    let params = params(&[("RegionId", client.region()), ("VSwitchId", vswitch_id)]);
    client.call(Service::Vpc, "DeleteVSwitch", params).await.map(drop)
}
