//! Plan-time checks of what a resource would buy: the instance type exists in the region (and
//! in the zone, when the zone is known: the zone of a vSwitch that exists already, see
//! [`vswitch_zone`]), and the image exists. A wrong name is a diagnostic on
//! its attribute, with the nearest valid one, before anything is created. Without an answer
//! from the API (throttled, unreachable) the check is skipped with a warning: `RunInstances`
//! checks the same at create.

use std::collections::BTreeMap;

use strata_provider_sdk::{Ctx, Planned, ProviderError};

use crate::api::{offerings, vpc};
use crate::client::Client;

/// One instance type to check: the attribute it was written at, the type, and the zone when
/// known.
pub struct Wanted<'a> {
    pub attribute: String,
    pub instance_type: &'a str,
    pub zone: Option<&'a str>,
}

/// Checks `types` and `image` (at attribute `image_attribute`).
pub async fn check(
    ctx: &Ctx,
    client: &Client,
    types: &[Wanted<'_>],
    image: Option<(&str, &str)>,
) -> Result<(), ProviderError> {
    if !types.is_empty() {
        match offerings::zone_instance_types(client).await {
            Ok(zones) => check_types(client.region(), &zones, types)?,
            Err(error) => ctx.log().warn(&format!("instance types not checked at plan time: {error}")),
        }
    }
    if let Some((attribute, id)) = image {
        match offerings::image_exists(client, id).await {
            Ok(true) => {}
            Ok(false) => {
                return Err(ProviderError::at(
                    attribute,
                    format!(
                        "image {id:?} does not exist in region {}; pick one `DescribeImages` lists",
                        client.region()
                    ),
                ));
            }
            Err(error) => ctx.log().warn(&format!("image not checked at plan time: {error}")),
        }
    }
    Ok(())
}

/// The zone of the vSwitch `vswitch_id` when it exists already (`None` when it does not yet,
/// e.g. it is made by the same apply: the engine plans again with its id before the create,
/// so the zone is checked then). An API failure skips the zone check with a warning.
pub async fn vswitch_zone(ctx: &Ctx, client: &Client, vswitch_id: &Planned<String>) -> Option<String> {
    let Planned::Known(vswitch_id) = vswitch_id else { return None };
    match vpc::describe_vswitches(client, vpc::Filter::Id(vswitch_id)).await {
        Ok(found) => found.into_iter().next().map(|vswitch| vswitch.zone_id),
        Err(error) => {
            ctx.log().warn(&format!("the zone of {vswitch_id} not read at plan time: {error}"));
            None
        }
    }
}

/// The pure part: `types` against the zones' offerings of `region`.
pub fn check_types(
    region: &str,
    zones: &BTreeMap<String, Vec<String>>,
    types: &[Wanted<'_>],
) -> Result<(), ProviderError> {
    let mut all: Vec<&str> = zones.values().flatten().map(String::as_str).collect();
    all.sort_unstable();
    all.dedup();
    for wanted in types {
        if !all.contains(&wanted.instance_type) {
            let nearest = all
                .iter()
                .map(|t| (strsim::levenshtein(t, wanted.instance_type), *t))
                .min()
                .filter(|(distance, _)| *distance <= 4)
                .map(|(_, t)| format!("; did you mean {t:?}?"))
                .unwrap_or_default();
            return Err(ProviderError::at(
                &wanted.attribute,
                format!("{:?} is not an instance type sold in region {region}{nearest}", wanted.instance_type),
            ));
        }
        if let Some(zone) = wanted.zone
            && let Some(sold) = zones.get(zone)
            && !sold.iter().any(|t| t == wanted.instance_type)
        {
            let elsewhere: Vec<&str> = zones
                .iter()
                .filter(|(_, sold)| sold.iter().any(|t| t == wanted.instance_type))
                .map(|(zone, _)| zone.as_str())
                .collect();
            return Err(ProviderError::at(
                &wanted.attribute,
                format!(
                    "{:?} is not sold in zone {zone}; zones that sell it: {}",
                    wanted.instance_type,
                    elsewhere.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zones() -> BTreeMap<String, Vec<String>> {
        BTreeMap::from([
            ("z-a".to_string(), vec!["ecs.g6.large".to_string(), "ecs.t6-c1m1.large".to_string()]),
            ("z-b".to_string(), vec!["ecs.g6.large".to_string()]),
        ])
    }

    fn wanted<'a>(instance_type: &'a str, zone: Option<&'a str>) -> Vec<Wanted<'a>> {
        vec![Wanted { attribute: "node_group.core.instance_type".into(), instance_type, zone }]
    }

    #[test]
    fn unknown_types_and_zones_that_do_not_sell_them_are_refused() {
        assert!(check_types("r", &zones(), &wanted("ecs.g6.large", Some("z-b"))).is_ok());
        let unknown = check_types("r", &zones(), &wanted("ecs.g6.larg", None)).unwrap_err();
        assert_eq!(unknown.attribute.as_deref(), Some("node_group.core.instance_type"));
        assert!(unknown.message.contains("did you mean \"ecs.g6.large\""), "{}", unknown.message);
        let zone = check_types("r", &zones(), &wanted("ecs.t6-c1m1.large", Some("z-b"))).unwrap_err();
        assert!(zone.message.contains("not sold in zone z-b; zones that sell it: z-a"), "{}", zone.message);
    }
}
