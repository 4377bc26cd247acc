//! What the account may buy, read at plan time so a wrong instance type, zone or image is a
//! diagnostic before anything is created: `DescribeZones` (each zone's available instance
//! types), `DescribeImages` (one image by id). Shapes per the ECS API reference (2014-05-26).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::params;
use crate::client::{CallError, Client, Service};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ZonesAnswer {
    zones: ZoneList,
}

#[derive(Deserialize)]
struct ZoneList {
    #[serde(rename = "Zone", default)]
    zone: Vec<Zone>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Zone {
    zone_id: String,
    #[serde(default)]
    available_instance_types: AvailableTypes,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
struct AvailableTypes {
    #[serde(default)]
    instance_types: Vec<String>,
}

/// The region's zones, each with the instance types it sells.
pub async fn zone_instance_types(client: &Client) -> Result<BTreeMap<String, Vec<String>>, CallError> {
    let answer = client.call(Service::Ecs, "DescribeZones", params(&[("RegionId", client.region())])).await?;
    let zones: ZonesAnswer = super::decode(Service::Ecs, "DescribeZones", answer)?;
    Ok(zones.zones.zone.into_iter().map(|z| (z.zone_id, z.available_instance_types.instance_types)).collect())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ImagesAnswer {
    images: ImageList,
}

#[derive(Deserialize)]
struct ImageList {
    #[serde(rename = "Image", default)]
    image: Vec<Image>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Image {
    image_id: String,
}

/// Whether the region offers image `id`.
pub async fn image_exists(client: &Client, id: &str) -> Result<bool, CallError> {
    let params = params(&[("RegionId", client.region()), ("ImageId", id)]);
    let answer = client.call(Service::Ecs, "DescribeImages", params).await?;
    let images: ImagesAnswer = super::decode(Service::Ecs, "DescribeImages", answer)?;
    Ok(images.images.image.iter().any(|image| image.image_id == id))
}
