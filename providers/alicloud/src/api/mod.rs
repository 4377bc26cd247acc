//! Typed calls of the ECS and VPC actions the resources use: parameters in, the fields they read
//! out. Response shapes follow Alibaba Cloud's API reference (the emulator answers the same).
//!
//! Everything the provider creates carries the tag [`TOKEN_TAG`] whose value is the engine's
//! idempotency token of the create, so an interrupted create is found again
//! (`find_by_token`); creates also send that token (or one derived from it) as `ClientToken`,
//! so a retried request never makes a second object.

pub mod console;
pub mod ecs;
pub mod instances;
pub mod offerings;
pub mod vpc;

use serde::Deserialize;

use crate::signing::Params;

/// The tag key marking what a create made: its value is the create's idempotency token.
pub const TOKEN_TAG: &str = "strata-token";

/// Parameters from `(name, value)` pairs, leaving out empty values.
pub fn params(pairs: &[(&str, &str)]) -> Params {
    pairs
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

/// Adds `Tag.1.Key=strata-token` and `Tag.1.Value=token` (a create's tag, a describe's filter).
pub fn add_token_tag(params: &mut Params, token: &str) {
    params.insert("Tag.1.Key".into(), TOKEN_TAG.into());
    params.insert("Tag.1.Value".into(), token.into());
}

/// A list of ids as the "JSON array" parameters (`InstanceIds`, `SecurityGroupIds`) want it.
pub fn json_list(ids: &[String]) -> String {
    serde_json::Value::from(ids.to_vec()).to_string()
}

/// `{"Tag": [...]}` wrappers of ECS answers.
#[derive(Deserialize, Debug, Default, Clone)]
pub struct EcsTags {
    #[serde(rename = "Tag", default)]
    pub tag: Vec<EcsTag>,
}

#[derive(Deserialize, Debug, Default, Clone)]
pub struct EcsTag {
    #[serde(rename = "TagKey", default)]
    pub key: String,
    #[serde(rename = "TagValue", default)]
    pub value: String,
}

impl EcsTags {
    /// The value of the token tag.
    pub fn token(&self) -> Option<&str> {
        self.tag.iter().find(|tag| tag.key == TOKEN_TAG).map(|tag| tag.value.as_str())
    }
}

/// Reads an answer into `T`; a shape that does not fit is a bad answer naming the action.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(
    service: crate::client::Service,
    action: &str,
    value: serde_json::Value,
) -> Result<T, crate::client::CallError> {
    serde_json::from_value(value).map_err(|error| crate::client::CallError::BadAnswer {
        service: service.name(),
        action: action.to_owned(),
        status: 200,
        detail: format!("the answer does not have the documented shape: {error}"),
    })
}

/// Every page of a paged `Describe*` (page size 50, pages from 1): calls `page(number)` until
/// `TotalCount` items came back.
pub(crate) async fn all_pages<T, F, Fut>(mut page: F) -> Result<Vec<T>, crate::client::CallError>
where
    F: FnMut(u32) -> Fut,
    Fut: std::future::Future<Output = Result<(Vec<T>, u64), crate::client::CallError>>,
{
    let mut items = Vec::new();
    for number in 1.. {
        let (mut batch, total) = page(number).await?;
        let empty = batch.is_empty();
        items.append(&mut batch);
        if empty || items.len() as u64 >= total {
            break;
        }
    }
    Ok(items)
}

/// The page size every paged call asks for.
pub const PAGE_SIZE: &str = "50";
