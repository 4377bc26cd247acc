//! VPC actions (2016-04-28). Answers follow the VPC API reference pages of each action
//! (<https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-createvpc>
//! and its siblings): `CreateVpc` answers `VpcId`, `VRouterId`, `RouteTableId`;
//! `DescribeVpcs` pages `Vpcs.Vpc[]`; `DescribeVSwitches` pages `VSwitches.VSwitch[]`; tags are
//! `{"Key", "Value"}`.

use std::time::Instant;

use serde_json::{Value, json};
use time::OffsetDateTime;

use super::args::{Args, has_tags};
use super::catalog::Region;
use super::reply::Reply;
use super::state::{Cidr, State, VSwitch, Vpc, network_status, new_id, vpc_time};
use super::{Answer, page};

fn tags_json(tags: &[(String, String)]) -> Value {
    let tags: Vec<Value> = tags.iter().map(|(key, value)| json!({"Key": key, "Value": value})).collect();
    json!({ "Tag": tags })
}

fn vpc_not_found() -> Reply {
    Reply::error(404, "InvalidVpcId.NotFound", "Specified VPC does not exist.")
}

fn vswitch_not_found() -> Reply {
    Reply::error(404, "InvalidVSwitchId.NotFound", "Specified virtual switch does not exist.")
}

/// A name as the console allows it: 1 to 128 characters, not starting with `http://` or
/// `https://`.
fn check_name(name: Option<&str>, code: &str, what: &str) -> Result<(), Reply> {
    match name {
        Some(name) if name.chars().count() > 128 || name.starts_with("http://") || name.starts_with("https://") => {
            Err(Reply::error(400, code, format!("Specified {what} name is not valid.")))
        }
        _ => Ok(()),
    }
}

pub fn create_vpc(state: &mut State, region: &Region, args: Args<'_>) -> Answer {
    let cidr_text = args.get("CidrBlock").unwrap_or("172.16.0.0/12");
    let cidr = Cidr::parse(cidr_text)
        .filter(|cidr| cidr.is_private() && (8..=28).contains(&cidr.prefix))
        .ok_or_else(|| Reply::error(400, "InvalidCidrBlock.Malformed", "Specified CIDR block is not valid."))?;
    check_name(args.get("VpcName"), "InvalidVpcName.Malformed", "VPC")?;
    let vpc = Vpc {
        id: new_id("vpc"),
        region: region.id.to_owned(),
        cidr,
        name: args.get("VpcName").unwrap_or_default().to_owned(),
        description: args.get("Description").unwrap_or_default().to_owned(),
        created: Instant::now(),
        created_at: OffsetDateTime::now_utc(),
        tags: args.tags()?,
        router_id: new_id("vrt"),
        route_table_id: new_id("vtb"),
    };
    let reply = json!({
        "VpcId": vpc.id,
        "VRouterId": vpc.router_id,
        "RouteTableId": vpc.route_table_id,
        "ResourceGroupId": "rg-emulator",
    });
    state.vpcs.insert(vpc.id.clone(), vpc);
    Ok(Reply::ok(reply))
}

pub fn describe_vpcs(state: &mut State, region: &Region, args: Args<'_>) -> Answer {
    let ids: Option<Vec<&str>> = args.get("VpcId").map(|ids| ids.split(',').map(str::trim).collect());
    let tags = args.tags()?;
    let timing = state.timing;
    let found: Vec<Value> = state
        .vpcs
        .values()
        .filter(|vpc| vpc.region == region.id)
        .filter(|vpc| ids.as_ref().is_none_or(|ids| ids.contains(&vpc.id.as_str())))
        .filter(|vpc| args.get("VpcName").is_none_or(|name| vpc.name == name))
        .filter(|vpc| has_tags(&vpc.tags, &tags))
        .map(|vpc| {
            let vswitches: Vec<&String> = state
                .vswitches
                .values()
                .filter(|vswitch| vswitch.vpc_id == vpc.id)
                .map(|vswitch| &vswitch.id)
                .collect();
            json!({
                "VpcId": vpc.id,
                "RegionId": vpc.region,
                "Status": network_status(vpc.created, &timing),
                "VpcName": vpc.name,
                "Description": vpc.description,
                "CidrBlock": vpc.cidr.to_string(),
                "VRouterId": vpc.router_id,
                "CreationTime": vpc_time(vpc.created_at),
                "IsDefault": false,
                "ResourceGroupId": "rg-emulator",
                "VSwitchIds": { "VSwitchId": vswitches },
                "Tags": tags_json(&vpc.tags),
            })
        })
        .collect();
    let (items, fields) = page(found, args, 50)?;
    Ok(Reply::ok(with(fields, "Vpcs", json!({ "Vpc": items }))))
}

/// `fields` (an object) plus `name: value`.
pub fn with(mut fields: Value, name: &str, value: Value) -> Value {
    if let Value::Object(map) = &mut fields {
        map.insert(name.to_owned(), value);
    }
    fields
}

fn vpc_in<'s>(state: &'s mut State, region: &Region, id: &str) -> Result<&'s mut Vpc, Reply> {
    state.vpcs.get_mut(id).filter(|vpc| vpc.region == region.id).ok_or_else(vpc_not_found)
}

pub fn modify_vpc(state: &mut State, region: &Region, args: Args<'_>) -> Answer {
    let id = args.required("VpcId")?;
    check_name(args.get("VpcName"), "InvalidVpcName.Malformed", "VPC")?;
    let vpc = vpc_in(state, region, id)?;
    if let Some(name) = args.get("VpcName") {
        vpc.name = name.to_owned();
    }
    if let Some(description) = args.get("Description") {
        vpc.description = description.to_owned();
    }
    Ok(Reply::ok(json!({})))
}

pub fn delete_vpc(state: &mut State, region: &Region, args: Args<'_>) -> Answer {
    let id = args.required("VpcId")?;
    let timing = state.timing;
    let vpc = vpc_in(state, region, id)?;
    if network_status(vpc.created, &timing) != "Available" {
        return Err(Reply::error(400, "IncorrectVpcStatus", "Current VPC status does not support this operation."));
    }
    if state.vswitches.values().any(|vswitch| vswitch.vpc_id == id) {
        return Err(Reply::error(400, "DependencyViolation.VSwitch", "Specified object has dependent resources"));
    }
    if state.security_groups.values().any(|group| group.vpc_id == id) {
        return Err(Reply::error(
            400,
            "DependencyViolation.SecurityGroup",
            "Specified object has dependent resources SecurityGroup.",
        ));
    }
    state.vpcs.remove(id);
    Ok(Reply::ok(json!({})))
}

pub fn create_vswitch(state: &mut State, region: &Region, args: Args<'_>) -> Answer {
    let vpc_id = args.required("VpcId")?;
    let zone = args.required("ZoneId")?;
    let cidr_text = args.required("CidrBlock")?;
    let timing = state.timing;
    let vpc = vpc_in(state, region, vpc_id)?.clone();
    if !region.zones.contains(&zone) {
        return Err(Reply::error(404, "InvalidZoneId.NotFound", "The specified zone does not exist."));
    }
    if network_status(vpc.created, &timing) != "Available" {
        return Err(Reply::error(400, "IncorrectVpcStatus", "Current VPC status does not support this operation."));
    }
    let cidr = Cidr::parse(cidr_text)
        .filter(|cidr| (16..=29).contains(&cidr.prefix) && vpc.cidr.contains(cidr))
        .ok_or_else(|| Reply::error(400, "InvalidCidrBlock.Malformed", "Specified CIDR block is not valid."))?;
    if state.vswitches.values().any(|other| other.vpc_id == vpc_id && other.cidr.overlaps(&cidr)) {
        return Err(Reply::error(
            400,
            "InvalidCidrBlock.Overlapped",
            "Specified CIDR block is overlapped with other vswitch.",
        ));
    }
    check_name(args.get("VSwitchName"), "InvalidVSwitchName.Malformed", "vswitch")?;
    let vswitch = VSwitch {
        id: new_id("vsw"),
        vpc_id: vpc_id.to_owned(),
        region: region.id.to_owned(),
        zone: zone.to_owned(),
        cidr,
        name: args.get("VSwitchName").unwrap_or_default().to_owned(),
        created: Instant::now(),
        created_at: OffsetDateTime::now_utc(),
        tags: args.tags()?,
    };
    let reply = json!({ "VSwitchId": vswitch.id });
    state.vswitches.insert(vswitch.id.clone(), vswitch);
    Ok(Reply::ok(reply))
}

pub fn describe_vswitches(state: &mut State, region: &Region, args: Args<'_>) -> Answer {
    let tags = args.tags()?;
    let timing = state.timing;
    let found: Vec<Value> = state
        .vswitches
        .values()
        .filter(|vswitch| vswitch.region == region.id)
        .filter(|vswitch| args.get("VSwitchId").is_none_or(|id| vswitch.id == id))
        .filter(|vswitch| args.get("VpcId").is_none_or(|id| vswitch.vpc_id == id))
        .filter(|vswitch| args.get("ZoneId").is_none_or(|zone| vswitch.zone == zone))
        .filter(|vswitch| has_tags(&vswitch.tags, &tags))
        .map(|vswitch| {
            let used = state.instances_in_vswitch(&vswitch.id) as u64;
            json!({
                "VSwitchId": vswitch.id,
                "VpcId": vswitch.vpc_id,
                "Status": network_status(vswitch.created, &timing),
                "CidrBlock": vswitch.cidr.to_string(),
                "ZoneId": vswitch.zone,
                "AvailableIpAddressCount": vswitch.cidr.size().saturating_sub(4 + used),
                "VSwitchName": vswitch.name,
                "Description": "",
                "CreationTime": vpc_time(vswitch.created_at),
                "IsDefault": false,
                "ResourceGroupId": "rg-emulator",
                "Tags": tags_json(&vswitch.tags),
            })
        })
        .collect();
    let (items, fields) = page(found, args, 50)?;
    Ok(Reply::ok(with(fields, "VSwitches", json!({ "VSwitch": items }))))
}

pub fn modify_vswitch(state: &mut State, region: &Region, args: Args<'_>) -> Answer {
    let id = args.required("VSwitchId")?;
    check_name(args.get("VSwitchName"), "InvalidVSwitchName.Malformed", "vswitch")?;
    let vswitch = state.vswitches.get_mut(id).filter(|v| v.region == region.id).ok_or_else(vswitch_not_found)?;
    if let Some(name) = args.get("VSwitchName") {
        vswitch.name = name.to_owned();
    }
    Ok(Reply::ok(json!({})))
}

pub fn delete_vswitch(state: &mut State, region: &Region, args: Args<'_>) -> Answer {
    let id = args.required("VSwitchId")?;
    if state.vswitches.get(id).is_none_or(|vswitch| vswitch.region != region.id) {
        return Err(vswitch_not_found());
    }
    if state.instances_in_vswitch(id) > 0 {
        return Err(Reply::error(400, "DependencyViolation", "Specified object has dependent resources."));
    }
    state.vswitches.remove(id);
    state.send(super::hosts::Job::RemoveNetwork { vswitch_id: id.to_owned() });
    Ok(Reply::ok(json!({})))
}
