//! Instance actions: `RunInstances`, `DescribeInstances`, `DeleteInstances`, answered as the
//! ECS API reference shows them
//! (<https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-runinstances>,
//! `describeinstances`, `deleteinstances`). Instances are `Pending`, then `Starting`, then
//! `Running`; a deleted one is `Stopping` for a while, then gone.

use std::collections::BTreeMap;
use std::time::Instant;

use serde_json::{Value, json};
use time::OffsetDateTime;

use super::args::{Args, has_tags};
use super::catalog::{self, Region};
use super::ecs::{tags_json, valid_name};
use super::hosts::{self, HostPhase, Job, NewHost};
use super::reply::Reply;
use super::state::{Instance, State, ecs_time, new_id};
use super::vpc::with;
use super::{Answer, page};

fn not_found() -> Reply {
    Reply::error(404, "InvalidInstanceId.NotFound", "The specified InstanceId does not exist.")
}

pub fn run_instances(state: &mut State, region: &Region, args: Args<'_>) -> Answer {
    let image_id = args.required("ImageId")?;
    let type_id = args.required("InstanceType")?;
    let image = catalog::image(image_id)
        .ok_or_else(|| Reply::error(404, "InvalidImageId.NotFound", "The specified ImageId does not exist."))?;
    let instance_type = catalog::instance_type(type_id).ok_or_else(|| {
        Reply::error(404, "InvalidInstanceType.NotFound", "The specified instance type does not exist.")
    })?;
    let vswitch_id = args.get("VSwitchId").ok_or_else(|| Reply::missing("VSwitchId"))?;
    let vswitch =
        state.vswitches.get(vswitch_id).filter(|vswitch| vswitch.region == region.id).cloned().ok_or_else(|| {
            Reply::error(404, "InvalidVSwitchId.NotFound", "Specified virtual switch does not exist.")
        })?;
    if let Some(zone) = args.get("ZoneId") {
        if !region.zones.contains(&zone) {
            return Err(Reply::error(404, "InvalidZoneId.NotFound", "The specified zoneId does not exist."));
        }
        if zone != vswitch.zone {
            return Err(Reply::error(
                400,
                "InvalidParameter.Mismatch",
                "Specified virtual switch is not in the specified zone.",
            ));
        }
    }
    if instance_type.not_in_zones.contains(&vswitch.zone.as_str()) {
        return Err(Reply::error(
            403,
            "InvalidInstanceType.ZoneNotSupported",
            "The specified zone does not support this instancetype.",
        ));
    }
    let group_id = args.required("SecurityGroupId")?;
    let group = state.security_groups.get(group_id).filter(|group| group.region == region.id).ok_or_else(|| {
        Reply::error(
            404,
            "InvalidSecurityGroupId.NotFound",
            "The SecurityGroupId provided does not exist in our records.",
        )
    })?;
    if group.vpc_id != vswitch.vpc_id {
        return Err(Reply::error(
            400,
            "InvalidParameter.Mismatch",
            "Specified security group and virtual switch are not in the same VPC.",
        ));
    }
    let key_pair = args.get("KeyPairName").unwrap_or_default();
    if !key_pair.is_empty() && !state.key_pairs.contains_key(&(region.id.to_owned(), key_pair.to_owned())) {
        return Err(Reply::error(404, "InvalidKeyPairName.NotFound", "Specified key pair name does not exist."));
    }
    let name = args.get("InstanceName").unwrap_or_default();
    if !name.is_empty() && !valid_name(name) {
        return Err(Reply::error(
            400,
            "InvalidInstanceName.Malformed",
            "The specified parameter \"InstanceName\" is not valid.",
        ));
    }
    let host_name = args.get("HostName").unwrap_or_default();
    if !host_name.is_empty() && !valid_host_name(&sequenced(host_name, 0)) {
        return Err(Reply::error(
            400,
            "InvalidHostName.Malformed",
            "The specified parameter \"HostName\" is not valid.",
        ));
    }
    let amount = args.number("Amount", 1)? as usize;
    if !(1..=100).contains(&amount) {
        return Err(Reply::invalid("Amount"));
    }
    let living = state.instances.values().filter(|instance| instance.region == region.id).count();
    if living + amount > state.max_instances {
        return Err(Reply::error(403, "QuotaExceed.AfterpayInstance", "Living afterpay instances quota exceeded."));
    }
    let tags = args.tags()?;
    let mut ips = Vec::new();
    for _ in 0..amount {
        let ip = state.free_ip(&vswitch, &ips).ok_or_else(|| {
            Reply::error(400, "QuotaExceeded.PrivateIpAddress", "Don't have enough private IPs in this switch")
        })?;
        ips.push(ip);
    }
    let mut ids = Vec::new();
    let real = state.hosts.is_some();
    let public_key =
        state.key_pairs.get(&(region.id.to_owned(), key_pair.to_owned())).map(|pair| pair.public_key.clone());
    let mut new_hosts = Vec::new();
    for (index, ip) in ips.into_iter().enumerate() {
        let id = new_id("i");
        let host_name = if host_name.is_empty() { format!("iZ{}Z", &id[2..]) } else { sequenced(host_name, index) };
        if real {
            new_hosts.push(NewHost {
                instance_id: id.clone(),
                hostname: host_name.clone(),
                ip,
                local_type: hosts::local_type(instance_type.cpu, instance_type.memory_mib),
                public_key: public_key.clone(),
                own_root: image.own_root,
            });
        }
        let instance = Instance {
            id: id.clone(),
            region: region.id.to_owned(),
            zone: vswitch.zone.clone(),
            instance_type,
            image,
            vpc_id: vswitch.vpc_id.clone(),
            vswitch_id: vswitch.id.clone(),
            security_group_id: group_id.to_owned(),
            key_pair_name: key_pair.to_owned(),
            name: if name.is_empty() { id.clone() } else { sequenced(name, index) },
            host_name,
            private_ip: ip,
            serial_number: uuid::Uuid::new_v4().to_string(),
            created: Instant::now(),
            created_at: OffsetDateTime::now_utc(),
            tags: tags.clone(),
            deleting: None,
            host: if real { HostPhase::Queued } else { HostPhase::Record },
            host_key_fingerprint: None,
        };
        state.instances.insert(id.clone(), instance);
        ids.push(id);
    }
    if real {
        state.send(Job::Make { vswitch_id: vswitch.id.clone(), cidr: vswitch.cidr, hosts: new_hosts });
    }
    Ok(Reply::ok(json!({ "InstanceIdSets": { "InstanceIdSet": ids }, "TradePrice": 0.0 })))
}

fn instance_json(instance: &Instance, status: &str) -> Value {
    json!({
        "InstanceId": instance.id,
        "InstanceName": instance.name,
        "HostName": instance.host_name,
        "Description": "",
        "Status": status,
        "InstanceType": instance.instance_type.id,
        "InstanceTypeFamily": instance.instance_type.family,
        "Cpu": instance.instance_type.cpu,
        "Memory": instance.instance_type.memory_mib,
        "ImageId": instance.image.id,
        "OSName": instance.image.os_name,
        "OSType": instance.image.os_type,
        "RegionId": instance.region,
        "ZoneId": instance.zone,
        "InstanceNetworkType": "vpc",
        "VpcAttributes": {
            "VpcId": instance.vpc_id,
            "VSwitchId": instance.vswitch_id,
            "PrivateIpAddress": { "IpAddress": [instance.private_ip.to_string()] },
            "NatIpAddress": "",
        },
        "PublicIpAddress": { "IpAddress": [] },
        "SecurityGroupIds": { "SecurityGroupId": [instance.security_group_id] },
        "KeyPairName": instance.key_pair_name,
        "InstanceChargeType": "PostPaid",
        "InternetChargeType": "PayByTraffic",
        "InternetMaxBandwidthOut": 0,
        "IoOptimized": true,
        "CreationTime": ecs_time(instance.created_at),
        "StartTime": ecs_time(instance.created_at),
        "ExpiredTime": "2099-12-31T15:59Z",
        "StoppedMode": "Not-applicable",
        "DeletionProtection": false,
        "SerialNumber": instance.serial_number,
        "OperationLocks": { "LockReason": [] },
        "Tags": tags_json(&instance.tags),
    })
}

pub fn describe_instances(state: &mut State, region: &Region, args: Args<'_>) -> Answer {
    let ids = args.json_list("InstanceIds")?;
    if ids.as_ref().is_some_and(|ids| ids.len() > 100) {
        return Err(Reply::invalid("InstanceIds"));
    }
    let tags = args.tags()?;
    let timing = state.timing;
    let wanted = |name: &str, actual: &str| args.get(name).is_none_or(|value| value == actual);
    let found: Vec<Value> = state
        .instances
        .values()
        .filter(|instance| instance.region == region.id)
        .filter(|instance| ids.as_ref().is_none_or(|ids| ids.contains(&instance.id)))
        .filter(|instance| wanted("VpcId", &instance.vpc_id) && wanted("VSwitchId", &instance.vswitch_id))
        .filter(|instance| wanted("ZoneId", &instance.zone) && wanted("SecurityGroupId", &instance.security_group_id))
        .filter(|instance| wanted("InstanceName", &instance.name) && wanted("KeyPairName", &instance.key_pair_name))
        .filter(|instance| has_tags(&instance.tags, &tags))
        .filter_map(|instance| {
            let status = instance.status(&timing)?;
            wanted("Status", status).then(|| instance_json(instance, status))
        })
        .collect();
    let (items, mut fields) = page(found, args, 100)?;
    fields = with(fields, "NextToken", Value::from(""));
    Ok(Reply::ok(with(fields, "Instances", json!({ "Instance": items }))))
}

pub fn delete_instances(state: &mut State, region: &Region, args: Args<'_>) -> Answer {
    let ids = args.list("InstanceId");
    if ids.is_empty() {
        return Err(Reply::missing("InstanceId.1"));
    }
    if ids.len() > 100 {
        return Err(Reply::invalid("InstanceId"));
    }
    let force = args.get("Force") == Some("true");
    let timing = state.timing;
    for id in &ids {
        let instance =
            state.instances.get(*id).filter(|instance| instance.region == region.id).ok_or_else(not_found)?;
        let status = instance.status(&timing).ok_or_else(not_found)?;
        if !force && status != "Stopped" && status != "Stopping" {
            return Err(Reply::error(
                403,
                "IncorrectInstanceStatus",
                "The current status of the resource does not support this operation.",
            ));
        }
    }
    let mut destroyed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for id in ids {
        if let Some(instance) = state.instances.get_mut(id)
            && instance.deleting.is_none()
        {
            instance.deleting = Some(Instant::now());
            if instance.host != HostPhase::Record {
                destroyed.entry(instance.vswitch_id.clone()).or_default().push(instance.id.clone());
            }
        }
    }
    for (vswitch_id, instance_ids) in destroyed {
        state.send(Job::Destroy { vswitch_id, instance_ids });
    }
    Ok(Reply::ok(json!({})))
}

/// An instance or host name of `RunInstances` for its `index`-th instance: a
/// `prefix[begin,bits]suffix` pattern numbers them from `begin` with `bits` digits, as ECS
/// does (`node-[0,1]` → `node-0`, `node-1`, ...); any other name is the same for all.
pub fn sequenced(pattern: &str, index: usize) -> String {
    let numbered = pattern.find('[').and_then(|open| {
        let close = open + pattern[open..].find(']')?;
        let (begin, bits) = pattern[open + 1..close].split_once(',')?;
        let (begin, bits): (usize, usize) = (begin.trim().parse().ok()?, bits.trim().parse().ok()?);
        if !(1..=6).contains(&bits) {
            return None;
        }
        Some(format!("{}{:0bits$}{}", &pattern[..open], begin + index, &pattern[close + 1..]))
    });
    numbered.unwrap_or_else(|| pattern.to_owned())
}

/// A hostname ECS accepts (Linux): 2 to 64 characters, letters, digits, `.` and `-`, not
/// starting or ending with `.` or `-`.
fn valid_host_name(name: &str) -> bool {
    (2..=64).contains(&name.len())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        && !name.starts_with(['.', '-'])
        && !name.ends_with(['.', '-'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequenced_names() {
        assert_eq!(sequenced("analytics-core-[0,1]", 1), "analytics-core-1");
        assert_eq!(sequenced("ecs-[1,4]-test", 0), "ecs-0001-test");
        assert_eq!(sequenced("plain", 3), "plain");
        assert_eq!(sequenced("bad-[x,1]", 0), "bad-[x,1]");
        assert!(valid_host_name("analytics-core-0") && !valid_host_name("-a") && !valid_host_name("a_b"));
    }
}
