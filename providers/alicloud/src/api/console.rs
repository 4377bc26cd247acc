//! `GetInstanceConsoleOutput`: an instance's boot log, which ECS keeps from its last start,
//! stop or restart (API reference: "GetInstanceConsoleOutput", ECS 2014-05-26,
//! <https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-getinstanceconsoleoutput>):
//! `RegionId`, `InstanceId`, `RemoveSymbols`; the answer's `ConsoleOutput` is Base64.

use base64::Engine;
use serde::Deserialize;

use super::{decode, params};
use crate::client::{CallError, Client, Service};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Answer {
    #[serde(default)]
    console_output: String,
}

/// The decoded boot log of `instance_id` (formatting symbols removed; invalid UTF-8 replaced).
pub async fn console_output(client: &Client, instance_id: &str) -> Result<String, CallError> {
    let params = params(&[("RegionId", client.region()), ("InstanceId", instance_id), ("RemoveSymbols", "true")]);
    let answer = client.call(Service::Ecs, "GetInstanceConsoleOutput", params).await?;
    let answer: Answer = decode(Service::Ecs, "GetInstanceConsoleOutput", answer)?;
    let bytes = base64::engine::general_purpose::STANDARD.decode(answer.console_output.trim()).map_err(|error| {
        CallError::BadAnswer {
            service: Service::Ecs.name(),
            action: "GetInstanceConsoleOutput".into(),
            status: 200,
            detail: format!("ConsoleOutput is not Base64: {error}"),
        }
    })?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
