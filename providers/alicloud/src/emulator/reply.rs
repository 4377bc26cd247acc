//! [`Reply`]: an answer of the emulator, success or error, in the API's JSON shapes.

use serde_json::{Value, json};

/// Status and JSON body of one answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

/// A request id as the API writes them: an upper-case UUID.
pub fn request_id() -> String {
    uuid::Uuid::new_v4().to_string().to_uppercase()
}

impl Reply {
    /// A success: `fields` plus a fresh `RequestId`.
    pub fn ok(fields: Value) -> Reply {
        let mut body = match fields {
            Value::Object(map) => map,
            _ => serde_json::Map::new(),
        };
        body.insert("RequestId".into(), Value::from(request_id()));
        Reply { status: 200, body: Value::Object(body) }
    }

    /// An error answer: `{"RequestId", "HostId", "Code", "Message", "Recommend"}`.
    pub fn error(status: u16, code: &str, message: impl Into<String>) -> Reply {
        let body = json!({
            "RequestId": request_id(),
            "HostId": "emulator.aliyuncs.com",
            "Code": code,
            "Message": message.into(),
            "Recommend": format!("https://api.aliyun.com/troubleshoot?q={code}"),
        });
        Reply { status, body }
    }

    /// `MissingParameter` naming `name`, as the API words it.
    pub fn missing(name: &str) -> Reply {
        Reply::error(
            400,
            "MissingParameter",
            format!("The input parameter \"{name}\" that is mandatory for processing this request is not supplied."),
        )
    }

    /// `InvalidParameter` naming `name`.
    pub fn invalid(name: &str) -> Reply {
        Reply::error(400, "InvalidParameter", format!("The specified parameter \"{name}\" is not valid."))
    }

    /// The error code, for an error answer.
    pub fn code(&self) -> Option<&str> {
        self.body.get("Code").and_then(Value::as_str)
    }

    /// The same answer with a new request id (a repeated `ClientToken` request).
    pub fn renewed(&self) -> Reply {
        let mut reply = self.clone();
        if let Value::Object(map) = &mut reply.body {
            map.insert("RequestId".into(), Value::from(request_id()));
        }
        reply
    }
}
