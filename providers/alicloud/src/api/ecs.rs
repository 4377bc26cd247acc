//! ECS (2014-05-26) security groups and key pairs: `CreateSecurityGroup`,
//! `DescribeSecurityGroups`, `DescribeSecurityGroupAttribute`, `ModifySecurityGroupAttribute`,
//! `AuthorizeSecurityGroup`, `RevokeSecurityGroup`, `DeleteSecurityGroup`, `ImportKeyPair`,
//! `DescribeKeyPairs`, `DeleteKeyPairs`.

use serde::Deserialize;

use super::vpc::Filter;
use super::{EcsTags, PAGE_SIZE, add_token_tag, all_pages, decode, json_list, params};
use crate::client::{CallError, Client, Service};

/// A security group as `DescribeSecurityGroups` shows it.
#[derive(Deserialize, Debug, Clone)]
#[serde(rename_all = "PascalCase")]
pub struct SecurityGroup {
    pub security_group_id: String,
    #[serde(default)]
    pub security_group_name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub vpc_id: String,
    #[serde(default)]
    pub tags: EcsTags,
}

/// One rule of a security group, as `AuthorizeSecurityGroup` takes it and
/// `DescribeSecurityGroupAttribute` shows it.
#[derive(Deserialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "PascalCase")]
pub struct Permission {
    /// `tcp`, `udp`, `icmp`, `gre` or `all` (answers may be upper-case).
    pub ip_protocol: String,
    /// `22/22`, `8000/8100`; `-1/-1` for `icmp` and `all`.
    pub port_range: String,
    #[serde(default)]
    pub source_cidr_ip: String,
    /// `accept` or `drop`.
    #[serde(default)]
    pub policy: String,
    /// 1 (first) to 100.
    #[serde(default, deserialize_with = "number_or_text")]
    pub priority: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub direction: String,
}

/// `Priority` is a number in some answers and a string in others.
fn number_or_text<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::String(text) => text,
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Created {
    #[serde(default)]
    security_group_id: String,
    #[serde(default)]
    key_pair_finger_print: String,
}

/// `CreateSecurityGroup` (a `normal` group in `vpc_id`): its id.
pub async fn create_security_group(
    client: &Client,
    vpc_id: &str,
    name: &str,
    description: &str,
    token: &str,
) -> Result<String, CallError> {
    let mut params = params(&[
        ("RegionId", client.region()),
        ("VpcId", vpc_id),
        ("SecurityGroupName", name),
        ("Description", description),
        ("SecurityGroupType", "normal"),
        ("ClientToken", token),
    ]);
    add_token_tag(&mut params, token);
    let answer = client.call(Service::Ecs, "CreateSecurityGroup", params).await?;
    Ok(decode::<Created>(Service::Ecs, "CreateSecurityGroup", answer)?.security_group_id)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GroupPage {
    security_groups: GroupList,
    #[serde(default)]
    total_count: u64,
}

#[derive(Deserialize)]
struct GroupList {
    #[serde(rename = "SecurityGroup", default)]
    security_group: Vec<SecurityGroup>,
}

/// `DescribeSecurityGroups` of one id, or of the groups a create with this token made.
pub async fn describe_security_groups(client: &Client, filter: Filter<'_>) -> Result<Vec<SecurityGroup>, CallError> {
    all_pages(|page| async move {
        let number = page.to_string();
        let mut params = params(&[("RegionId", client.region()), ("PageSize", PAGE_SIZE), ("PageNumber", &number)]);
        match filter {
            Filter::Id(id) => {
                params.insert("SecurityGroupIds".into(), json_list(&[id.to_owned()]));
            }
            Filter::Token(token) => add_token_tag(&mut params, token),
        }
        let answer = client.call(Service::Ecs, "DescribeSecurityGroups", params).await?;
        let page: GroupPage = decode(Service::Ecs, "DescribeSecurityGroups", answer)?;
        Ok((page.security_groups.security_group, page.total_count))
    })
    .await
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Attribute {
    permissions: PermissionList,
}

#[derive(Deserialize)]
struct PermissionList {
    #[serde(rename = "Permission", default)]
    permission: Vec<Permission>,
}

/// `DescribeSecurityGroupAttribute`: the group's ingress rules.
pub async fn ingress_rules(client: &Client, group_id: &str) -> Result<Vec<Permission>, CallError> {
    let params = params(&[("RegionId", client.region()), ("SecurityGroupId", group_id), ("Direction", "ingress")]);
    let answer = client.call(Service::Ecs, "DescribeSecurityGroupAttribute", params).await?;
    Ok(decode::<Attribute>(Service::Ecs, "DescribeSecurityGroupAttribute", answer)?.permissions.permission)
}

/// `ModifySecurityGroupAttribute`: the group's name and description (empty: left as they are).
pub async fn modify_security_group(
    client: &Client,
    group_id: &str,
    name: &str,
    description: &str,
) -> Result<(), CallError> {
    let params = params(&[
        ("RegionId", client.region()),
        ("SecurityGroupId", group_id),
        ("SecurityGroupName", name),
        ("Description", description),
    ]);
    client.call(Service::Ecs, "ModifySecurityGroupAttribute", params).await.map(drop)
}

fn rule_params(client: &Client, group_id: &str, rule: &Permission) -> crate::signing::Params {
    params(&[
        ("RegionId", client.region()),
        ("SecurityGroupId", group_id),
        ("IpProtocol", &rule.ip_protocol),
        ("PortRange", &rule.port_range),
        ("SourceCidrIp", &rule.source_cidr_ip),
        ("Policy", &rule.policy),
        ("Priority", &rule.priority),
        ("Description", &rule.description),
        ("NicType", "intranet"),
    ])
}

/// `AuthorizeSecurityGroup`: adds an ingress rule (an existing identical rule is kept as is).
pub async fn authorize(client: &Client, group_id: &str, rule: &Permission) -> Result<(), CallError> {
    client.call(Service::Ecs, "AuthorizeSecurityGroup", rule_params(client, group_id, rule)).await.map(drop)
}

/// `RevokeSecurityGroup`: removes an ingress rule.
pub async fn revoke(client: &Client, group_id: &str, rule: &Permission) -> Result<(), CallError> {
    client.call(Service::Ecs, "RevokeSecurityGroup", rule_params(client, group_id, rule)).await.map(drop)
}

/// `DeleteSecurityGroup`.
pub async fn delete_security_group(client: &Client, group_id: &str) -> Result<(), CallError> {
    let params = params(&[("RegionId", client.region()), ("SecurityGroupId", group_id)]);
    client.call(Service::Ecs, "DeleteSecurityGroup", params).await.map(drop)
}

/// A key pair as `DescribeKeyPairs` shows it.
#[derive(Deserialize, Debug, Clone)]
#[serde(rename_all = "PascalCase")]
pub struct KeyPair {
    pub key_pair_name: String,
    #[serde(default)]
    pub key_pair_finger_print: String,
    #[serde(default)]
    pub tags: EcsTags,
}

/// `ImportKeyPair`: the fingerprint of the imported public key.
pub async fn import_key_pair(client: &Client, name: &str, public_key: &str, token: &str) -> Result<String, CallError> {
    let mut params = params(&[("RegionId", client.region()), ("KeyPairName", name), ("PublicKeyBody", public_key)]);
    add_token_tag(&mut params, token);
    let answer = client.call(Service::Ecs, "ImportKeyPair", params).await?;
    Ok(decode::<Created>(Service::Ecs, "ImportKeyPair", answer)?.key_pair_finger_print)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct KeyPairPage {
    key_pairs: KeyPairList,
}

#[derive(Deserialize)]
struct KeyPairList {
    #[serde(rename = "KeyPair", default)]
    key_pair: Vec<KeyPair>,
}

/// `DescribeKeyPairs` of one name.
pub async fn describe_key_pair(client: &Client, name: &str) -> Result<Option<KeyPair>, CallError> {
    let params = params(&[("RegionId", client.region()), ("KeyPairName", name), ("PageSize", PAGE_SIZE)]);
    let answer = client.call(Service::Ecs, "DescribeKeyPairs", params).await?;
    let page: KeyPairPage = decode(Service::Ecs, "DescribeKeyPairs", answer)?;
    // `KeyPairName` is a fuzzy filter: keep the exact name only.
    Ok(page.key_pairs.key_pair.into_iter().find(|pair| pair.key_pair_name == name))
}

/// `DeleteKeyPairs` of one name.
pub async fn delete_key_pair(client: &Client, name: &str) -> Result<(), CallError> {
    let params = params(&[("RegionId", client.region()), ("KeyPairNames", &json_list(&[name.to_owned()]))]);
    client.call(Service::Ecs, "DeleteKeyPairs", params).await.map(drop)
}
