//! What the account may buy, answered as the ECS API reference (2014-05-26) shows it, from the
//! emulator's fixed table (`catalog.rs`):
//! - `DescribeZones` (<https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-describezones>):
//!   `Zones.Zone[]` with `ZoneId`, `LocalName` and `AvailableInstanceTypes.InstanceTypes[]`;
//! - `DescribeInstanceTypes` (`.../api-ecs-2014-05-26-describeinstancetypes`): `InstanceTypes.InstanceType[]`
//!   with `InstanceTypeId`, `InstanceTypeFamily`, `CpuCoreCount`, `MemorySize` (GiB), filtered by
//!   `InstanceTypes.N`;
//! - `DescribeImages` (`.../api-ecs-2014-05-26-describeimages`): `Images.Image[]` with `ImageId`,
//!   `OSName`, `OSType`, `Status`, filtered by `ImageId` (comma-separated), paged.
//!
//! The provider reads them at plan time to refuse an instance type, zone or image that does
//! not exist before anything is created.

use serde_json::{Value, json};

use super::args::Args;
use super::catalog::{self, Region};
use super::reply::Reply;
use super::state::State;
use super::vpc::with;
use super::{Answer, page};

pub fn describe_zones(_state: &mut State, region: &Region, _args: Args<'_>) -> Answer {
    let zones: Vec<Value> = region
        .zones
        .iter()
        .map(|zone| {
            let types: Vec<&str> =
                catalog::INSTANCE_TYPES.iter().filter(|t| !t.not_in_zones.contains(zone)).map(|t| t.id).collect();
            json!({
                "ZoneId": zone,
                "LocalName": zone,
                "AvailableInstanceTypes": { "InstanceTypes": types },
            })
        })
        .collect();
    Ok(Reply::ok(json!({ "Zones": { "Zone": zones } })))
}

pub fn describe_instance_types(_state: &mut State, _region: &Region, args: Args<'_>) -> Answer {
    let wanted: Vec<&str> = (1..=10).map_while(|n| args.get(&format!("InstanceTypes.{n}"))).collect();
    let types: Vec<Value> = catalog::INSTANCE_TYPES
        .iter()
        .filter(|t| wanted.is_empty() || wanted.contains(&t.id))
        .map(|t| {
            json!({
                "InstanceTypeId": t.id,
                "InstanceTypeFamily": t.family,
                "CpuCoreCount": t.cpu,
                "MemorySize": f64::from(t.memory_mib) / 1024.0,
            })
        })
        .collect();
    Ok(Reply::ok(json!({ "InstanceTypes": { "InstanceType": types } })))
}

pub fn describe_images(_state: &mut State, _region: &Region, args: Args<'_>) -> Answer {
    let wanted: Vec<&str> = args.get("ImageId").map(|ids| ids.split(',').map(str::trim).collect()).unwrap_or_default();
    let found: Vec<Value> = catalog::IMAGES
        .iter()
        .filter(|image| wanted.is_empty() || wanted.contains(&image.id))
        .map(|image| {
            json!({
                "ImageId": image.id,
                "OSName": image.os_name,
                "OSType": image.os_type,
                "Status": "Available",
                "ImageOwnerAlias": "system",
            })
        })
        .collect();
    let (items, fields) = page(found, args, 100)?;
    Ok(Reply::ok(with(fields, "Images", json!({ "Image": items }))))
}
