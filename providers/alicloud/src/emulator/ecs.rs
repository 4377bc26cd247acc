//! ECS security group and key pair actions (2014-05-26), answered in the shapes of the ECS API
//! reference (<https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-createsecuritygroup>
//! and its siblings). ECS tags are `{"TagKey", "TagValue"}`.

use base64::Engine;
use md5::{Digest, Md5};
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::args::{Args, has_tags};
use super::catalog::Region;
use super::reply::Reply;
use super::state::{Cidr, KeyPair, Rule, SecurityGroup, State, ecs_time, new_id, vpc_time};
use super::vpc::with;
use super::{Answer, page};

pub fn tags_json(tags: &[(String, String)]) -> Value {
    let tags: Vec<Value> = tags.iter().map(|(key, value)| json!({"TagKey": key, "TagValue": value})).collect();
    json!({ "Tag": tags })
}

fn group_not_found() -> Reply {
    Reply::error(404, "InvalidSecurityGroupId.NotFound", "The SecurityGroupId provided does not exist in our records.")
}

/// A name of 2 to 128 characters that starts with a letter (security groups, key pairs,
/// instances).
pub fn valid_name(name: &str) -> bool {
    let length = name.chars().count();
    (2..=128).contains(&length)
        && name.starts_with(|c: char| c.is_alphabetic())
        && !name.starts_with("http://")
        && !name.starts_with("https://")
}

pub fn create_security_group(state: &mut State, region: &Region, args: Args<'_>) -> Answer {
    let vpc_id = args.required("VpcId")?;
    if state.vpcs.get(vpc_id).is_none_or(|vpc| vpc.region != region.id) {
        return Err(Reply::error(404, "InvalidVpcId.NotFound", "The specified VpcId does not exist."));
    }
    if let Some(name) = args.get("SecurityGroupName")
        && !valid_name(name)
    {
        return Err(Reply::error(
            400,
            "InvalidSecurityGroupName.Malformed",
            "Specified security group name is not valid.",
        ));
    }
    let group = SecurityGroup {
        id: new_id("sg"),
        region: region.id.to_owned(),
        vpc_id: vpc_id.to_owned(),
        name: args.get("SecurityGroupName").unwrap_or_default().to_owned(),
        description: args.get("Description").unwrap_or_default().to_owned(),
        created_at: OffsetDateTime::now_utc(),
        tags: args.tags()?,
        rules: Vec::new(),
    };
    let reply = json!({ "SecurityGroupId": group.id });
    state.security_groups.insert(group.id.clone(), group);
    Ok(Reply::ok(reply))
}

fn group_in<'s>(state: &'s mut State, region: &Region, args: Args<'_>) -> Result<&'s mut SecurityGroup, Reply> {
    let id = args.required("SecurityGroupId")?;
    state.security_groups.get_mut(id).filter(|group| group.region == region.id).ok_or_else(group_not_found)
}

/// The rule `AuthorizeSecurityGroup` and `RevokeSecurityGroup` name, checked and normalized.
fn rule(args: Args<'_>) -> Result<Rule, Reply> {
    let protocol = args.required("IpProtocol")?.to_ascii_lowercase();
    if !["tcp", "udp", "icmp", "gre", "all"].contains(&protocol.as_str()) {
        return Err(Reply::error(400, "InvalidIpProtocol.Malformed", "Specified IP protocol is not valid."));
    }
    let ports = args.required("PortRange")?;
    let bad_ports = || Reply::error(400, "InvalidPortRange.Malformed", "Specified port range is not valid.");
    let (from, to) = ports.split_once('/').ok_or_else(bad_ports)?;
    let (from, to): (i64, i64) = (from.parse().map_err(|_| bad_ports())?, to.parse().map_err(|_| bad_ports())?);
    let ports_ok = match protocol.as_str() {
        "tcp" | "udp" => 1 <= from && from <= to && to <= 65535,
        _ => (from, to) == (-1, -1),
    };
    if !ports_ok {
        return Err(bad_ports());
    }
    let source = args.get("SourceCidrIp").ok_or_else(|| Reply::missing("SourceCidrIp"))?;
    if Cidr::parse(source).is_none() && source.parse::<std::net::Ipv4Addr>().is_err() {
        return Err(Reply::error(400, "InvalidSourceCidrIp.Malformed", "Specified source CIDR IP is not valid."));
    }
    let policy = args.get("Policy").unwrap_or("accept").to_ascii_lowercase();
    if policy != "accept" && policy != "drop" {
        return Err(Reply::error(400, "InvalidPolicy.Malformed", "Specified policy is not valid."));
    }
    let priority = args.number("Priority", 1)?;
    if !(1..=100).contains(&priority) {
        return Err(Reply::error(400, "InvalidPriority.Malformed", "Specified priority is not valid."));
    }
    Ok(Rule {
        ip_protocol: protocol,
        port_range: format!("{from}/{to}"),
        source_cidr_ip: source.to_owned(),
        policy,
        priority,
        description: args.get("Description").unwrap_or_default().to_owned(),
        created_at: OffsetDateTime::now_utc(),
    })
}

/// Adds an ingress rule; the same rule twice is kept once (and the call succeeds).
pub fn authorize(state: &mut State, region: &Region, args: Args<'_>) -> Answer {
    let rule = rule(args)?;
    let group = group_in(state, region, args)?;
    if !group.rules.iter().any(|existing| existing.same_as(&rule)) {
        group.rules.push(rule);
    }
    Ok(Reply::ok(json!({})))
}

/// Removes an ingress rule; a rule that is not there is no error.
pub fn revoke(state: &mut State, region: &Region, args: Args<'_>) -> Answer {
    let rule = rule(args)?;
    let group = group_in(state, region, args)?;
    group.rules.retain(|existing| !existing.same_as(&rule));
    Ok(Reply::ok(json!({})))
}

pub fn describe_security_groups(state: &mut State, region: &Region, args: Args<'_>) -> Answer {
    let ids = args.json_list("SecurityGroupIds")?;
    let tags = args.tags()?;
    let found: Vec<Value> = state
        .security_groups
        .values()
        .filter(|group| group.region == region.id)
        .filter(|group| ids.as_ref().is_none_or(|ids| ids.contains(&group.id)))
        .filter(|group| args.get("SecurityGroupId").is_none_or(|id| group.id == id))
        .filter(|group| args.get("VpcId").is_none_or(|id| group.vpc_id == id))
        .filter(|group| has_tags(&group.tags, &tags))
        .map(|group| {
            let instances = state.instances.values().filter(|i| i.security_group_id == group.id).count();
            json!({
                "SecurityGroupId": group.id,
                "SecurityGroupName": group.name,
                "Description": group.description,
                "VpcId": group.vpc_id,
                "SecurityGroupType": "normal",
                "CreationTime": vpc_time(group.created_at),
                "EcsCount": instances,
                "AvailableInstanceAmount": 2000 - instances.min(2000),
                "ResourceGroupId": "rg-emulator",
                "ServiceManaged": false,
                "Tags": tags_json(&group.tags),
            })
        })
        .collect();
    let (items, mut fields) = page(found, args, 50)?;
    fields = with(fields, "RegionId", Value::from(region.id));
    Ok(Reply::ok(with(fields, "SecurityGroups", json!({ "SecurityGroup": items }))))
}

pub fn describe_security_group_attribute(state: &mut State, region: &Region, args: Args<'_>) -> Answer {
    let direction = args.get("Direction").unwrap_or("all");
    let group = group_in(state, region, args)?;
    let permissions: Vec<Value> = group
        .rules
        .iter()
        .filter(|_| direction == "ingress" || direction == "all")
        .map(|rule| {
            json!({
                "Direction": "ingress",
                "IpProtocol": rule.ip_protocol.to_ascii_uppercase(),
                "PortRange": rule.port_range,
                "SourceCidrIp": rule.source_cidr_ip,
                "DestCidrIp": "",
                "SourceGroupId": "",
                "Policy": if rule.policy == "accept" { "Accept" } else { "Drop" },
                "Priority": rule.priority,
                "NicType": "intranet",
                "Description": rule.description,
                "CreateTime": ecs_time(rule.created_at),
            })
        })
        .collect();
    Ok(Reply::ok(json!({
        "RegionId": region.id,
        "SecurityGroupId": group.id,
        "SecurityGroupName": group.name,
        "Description": group.description,
        "VpcId": group.vpc_id,
        "InnerAccessPolicy": "Accept",
        "Permissions": { "Permission": permissions },
    })))
}

pub fn modify_security_group(state: &mut State, region: &Region, args: Args<'_>) -> Answer {
    if let Some(name) = args.get("SecurityGroupName")
        && !valid_name(name)
    {
        return Err(Reply::error(
            400,
            "InvalidSecurityGroupName.Malformed",
            "Specified security group name is not valid.",
        ));
    }
    let group = group_in(state, region, args)?;
    if let Some(name) = args.get("SecurityGroupName") {
        group.name = name.to_owned();
    }
    if let Some(description) = args.get("Description") {
        group.description = description.to_owned();
    }
    Ok(Reply::ok(json!({})))
}

pub fn delete_security_group(state: &mut State, region: &Region, args: Args<'_>) -> Answer {
    let id = group_in(state, region, args)?.id.clone();
    if state.instances.values().any(|instance| instance.security_group_id == id) {
        return Err(Reply::error(
            403,
            "DependencyViolation",
            "There is still instance(s) in the specified security group.",
        ));
    }
    state.security_groups.remove(&id);
    Ok(Reply::ok(json!({})))
}

/// The MD5 fingerprint (RFC 4716 form, `xx:xx:...`) of an OpenSSH public key line, or `None`
/// when the line is not one.
pub fn fingerprint(public_key: &str) -> Option<String> {
    let mut fields = public_key.split_whitespace();
    let kind = fields.next()?;
    let blob = base64::engine::general_purpose::STANDARD.decode(fields.next()?).ok()?;
    // The blob starts with the key type again, as an SSH string (u32 length, bytes).
    let length = u32::from_be_bytes(blob.get(..4)?.try_into().ok()?) as usize;
    if blob.get(4..4 + length)? != kind.as_bytes() {
        return None;
    }
    if !["ssh-rsa", "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"].contains(&kind)
    {
        return None;
    }
    let digest = Md5::digest(&blob);
    Some(digest.iter().map(|byte| format!("{byte:02x}")).collect::<Vec<_>>().join(":"))
}

pub fn import_key_pair(state: &mut State, region: &Region, args: Args<'_>) -> Answer {
    let name = args.required("KeyPairName")?;
    if !valid_name(name) {
        return Err(Reply::error(400, "InvalidKeyPairName.Malformed", "Specified Key Pair name is not valid."));
    }
    let public_key = args.required("PublicKeyBody")?;
    let fingerprint = fingerprint(public_key).ok_or_else(|| {
        Reply::error(400, "InvalidPublicKeyBody.Malformed", "The PublicKeyBody format is not supported.")
    })?;
    let key = (region.id.to_owned(), name.to_owned());
    if state.key_pairs.contains_key(&key) {
        return Err(Reply::error(400, "KeyPair.AlreadyExist", "The key pair already exist."));
    }
    let pair = KeyPair {
        name: name.to_owned(),
        region: region.id.to_owned(),
        fingerprint: fingerprint.clone(),
        public_key: public_key.trim().to_owned(),
        created_at: OffsetDateTime::now_utc(),
        tags: args.tags()?,
    };
    state.key_pairs.insert(key, pair);
    Ok(Reply::ok(json!({ "KeyPairName": name, "KeyPairFingerPrint": fingerprint })))
}

/// `KeyPairName` matches exactly, or as a pattern with `*` wildcards at its ends.
fn name_matches(pattern: &str, name: &str) -> bool {
    match (pattern.strip_prefix('*'), pattern.strip_suffix('*')) {
        (Some(rest), _) if rest.ends_with('*') => name.contains(rest.trim_end_matches('*')),
        (Some(suffix), _) => name.ends_with(suffix),
        (None, Some(prefix)) => name.starts_with(prefix),
        (None, None) => name == pattern,
    }
}

pub fn describe_key_pairs(state: &mut State, region: &Region, args: Args<'_>) -> Answer {
    let tags = args.tags()?;
    let found: Vec<Value> = state
        .key_pairs
        .values()
        .filter(|pair| pair.region == region.id)
        .filter(|pair| args.get("KeyPairName").is_none_or(|pattern| name_matches(pattern, &pair.name)))
        .filter(|pair| args.get("KeyPairFingerPrint").is_none_or(|print| pair.fingerprint == print))
        .filter(|pair| has_tags(&pair.tags, &tags))
        .map(|pair| {
            json!({
                "KeyPairName": pair.name,
                "KeyPairFingerPrint": pair.fingerprint,
                "CreationTime": vpc_time(pair.created_at),
                "ResourceGroupId": "rg-emulator",
                "Tags": tags_json(&pair.tags),
            })
        })
        .collect();
    let (items, fields) = page(found, args, 50)?;
    Ok(Reply::ok(with(fields, "KeyPairs", json!({ "KeyPair": items }))))
}

pub fn delete_key_pairs(state: &mut State, region: &Region, args: Args<'_>) -> Answer {
    let names = args.json_list("KeyPairNames")?.ok_or_else(|| Reply::missing("KeyPairNames"))?;
    if names.is_empty() || names.len() > 100 {
        return Err(Reply::invalid("KeyPairNames"));
    }
    for name in names {
        state.key_pairs.remove(&(region.id.to_owned(), name));
    }
    Ok(Reply::ok(json!({})))
}
