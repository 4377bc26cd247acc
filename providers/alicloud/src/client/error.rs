//! What a call can fail with ([`CallError`]), how an answer is read ([`parse_answer`]), and the
//! provider error each becomes.

use std::fmt;

use strata_provider::ProviderError;

use super::Service;

/// An error answer of the API: `{"RequestId", "Code", "Message"}` with its HTTP status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub service: Service,
    pub action: String,
    pub status: u16,
    pub code: String,
    pub message: String,
    pub request_id: Option<String>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} failed with {}: {}", self.service.name(), self.action, self.code, self.message)?;
        match &self.request_id {
            Some(id) => write!(f, " (HTTP {}, request id {id})", self.status),
            None => write!(f, " (HTTP {})", self.status),
        }
    }
}

/// A failed call.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum CallError {
    /// The API answered with an error.
    #[error("{0}")]
    Api(ApiError),
    /// No answer: the connection failed or timed out. The request may have been carried out.
    #[error("{service} {action}: no answer from the API after {attempts} attempt(s): {detail}")]
    Transport { service: &'static str, action: String, detail: String, attempts: u32 },
    /// An answer that is not the API's JSON.
    #[error("{service} {action}: unexpected answer (HTTP {status}): {detail}")]
    BadAnswer { service: &'static str, action: String, status: u16, detail: String },
    #[error("cannot set up the HTTP client: {detail}")]
    Setup { detail: String },
}

/// Error codes of throttling and transient server trouble: worth another attempt.
fn retryable_code(code: &str) -> bool {
    code.starts_with("Throttling")
        || matches!(code, "ServiceUnavailable" | "InternalError" | "UnknownError" | "ServiceBusy" | "RequestTimeout")
}

impl CallError {
    pub(super) fn transport(service: Service, action: &str, error: &reqwest::Error) -> CallError {
        // Without the URL: an endpoint can carry user information.
        let detail = error.to_string();
        let detail = match error.url() {
            Some(url) => detail.replace(url.as_str(), "the endpoint"),
            None => detail,
        };
        CallError::Transport { service: service.name(), action: action.to_owned(), detail, attempts: 1 }
    }

    /// The API's error code, for an error answer.
    pub fn code(&self) -> Option<&str> {
        match self {
            CallError::Api(error) => Some(&error.code),
            _ => None,
        }
    }

    /// Throttling, a server error or no answer: another attempt may succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            CallError::Api(error) => retryable_code(&error.code) || (error.status >= 500 && error.status != 501),
            CallError::Transport { .. } => true,
            CallError::BadAnswer { status, .. } => *status >= 500,
            CallError::Setup { .. } => false,
        }
    }

    pub(super) fn after_attempts(self, count: u32) -> CallError {
        match self {
            CallError::Transport { service, action, detail, .. } => {
                CallError::Transport { service, action, detail, attempts: count }
            }
            other => other,
        }
    }

    /// One line for the log.
    pub(super) fn short(&self) -> String {
        match self {
            CallError::Api(error) => format!("HTTP {} {}", error.status, error.code),
            other => other.to_string(),
        }
    }

    /// The provider error: the API code and request id in the message; a call that got no
    /// answer leaves the outcome unknown (the engine then reconciles through the idempotency
    /// token).
    pub fn to_provider_error(&self) -> ProviderError {
        match self {
            CallError::Transport { .. } => ProviderError::outcome_unknown(self.to_string()),
            other => ProviderError::new(other.to_string()),
        }
    }

    /// As [`CallError::to_provider_error`], naming `attribute`.
    pub fn at(&self, attribute: &str) -> ProviderError {
        let mut error = self.to_provider_error();
        error.attribute = Some(attribute.to_owned());
        error
    }
}

impl From<CallError> for ProviderError {
    fn from(error: CallError) -> ProviderError {
        error.to_provider_error()
    }
}

/// Reads an answer: JSON without `Code` under a 2xx status is the result; `{"Code", ...}` is
/// an [`ApiError`]. `redact` cleans messages: everything from "string to sign" on is cut (the
/// API quotes the string it signed, which holds an STS token).
pub(super) fn parse_answer(
    service: Service,
    action: &str,
    status: u16,
    text: &str,
    redact: &dyn Fn(&str) -> String,
) -> Result<serde_json::Value, CallError> {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        let detail = if text.trim().is_empty() { "empty body".to_owned() } else { "the body is not JSON".to_owned() };
        return Err(CallError::BadAnswer { service: service.name(), action: action.to_owned(), status, detail });
    };
    let code = value.get("Code").and_then(|code| code.as_str());
    match code {
        None if (200..300).contains(&status) => Ok(value),
        _ => {
            let text_of = |name: &str| value.get(name).and_then(|v| v.as_str()).map(str::to_owned);
            let message = text_of("Message").unwrap_or_default();
            let message = match message.to_ascii_lowercase().find("string to sign") {
                Some(at) => format!("{}(string to sign not shown)", &message[..at]),
                None => message,
            };
            Err(CallError::Api(ApiError {
                service,
                action: action.to_owned(),
                status,
                code: code.map_or_else(|| format!("HTTP{status}"), str::to_owned),
                message: redact(&message),
                request_id: text_of("RequestId"),
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(status: u16, text: &str) -> Result<serde_json::Value, CallError> {
        parse_answer(Service::Ecs, "RunInstances", status, text, &|m| m.replace("hunter2", "[redacted]"))
    }

    #[test]
    fn an_error_answer_names_code_message_and_request_id() {
        let error = parse(404, r#"{"RequestId":"R-1","Code":"InvalidImageId.NotFound","Message":"nope"}"#).unwrap_err();
        assert_eq!(
            error.to_string(),
            "ECS RunInstances failed with InvalidImageId.NotFound: nope (HTTP 404, request id R-1)"
        );
        assert!(!error.is_retryable());
        assert!(!error.to_provider_error().outcome_unknown);
    }

    #[test]
    fn throttling_and_server_errors_are_retried() {
        assert!(parse(400, r#"{"Code":"Throttling.User","Message":"slow down"}"#).unwrap_err().is_retryable());
        assert!(parse(503, r#"{"Code":"ServiceUnavailable","Message":"busy"}"#).unwrap_err().is_retryable());
        assert!(parse(502, "<html>bad gateway</html>").unwrap_err().is_retryable());
        assert!(!parse(400, r#"{"Code":"InvalidParameter","Message":"x"}"#).unwrap_err().is_retryable());
    }

    #[test]
    fn messages_lose_the_string_to_sign_and_secrets() {
        let answer = r#"{"Code":"SignatureDoesNotMatch","Message":"Not matched. hunter2 server string to sign is:GET&%2F&SecurityToken%3Dtok"}"#;
        let error = parse(400, answer).unwrap_err().to_string();
        assert!(!error.contains("SecurityToken") && !error.contains("hunter2"), "{error}");
        assert!(error.contains("(string to sign not shown)"), "{error}");
    }
}
