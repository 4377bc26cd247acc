//! [`Args`]: an action's parameters, read the way the API reads them.

use super::reply::Reply;
use crate::signing::Params;

/// Parameters not part of what an action is asked to do: left out of the `ClientToken`
/// comparison.
const COMMON: [&str; 11] = [
    "AccessKeyId",
    "Signature",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "SignatureType",
    "Timestamp",
    "Format",
    "Version",
    "SecurityToken",
    "ClientToken",
];

#[derive(Clone, Copy, Debug)]
pub struct Args<'a>(pub &'a Params);

impl<'a> Args<'a> {
    /// A non-empty parameter.
    pub fn get(&self, name: &str) -> Option<&'a str> {
        self.0.get(name).map(String::as_str).filter(|value| !value.is_empty())
    }

    /// # Errors
    /// `MissingParameter` naming it.
    pub fn required(&self, name: &str) -> Result<&'a str, Reply> {
        self.get(name).ok_or_else(|| Reply::missing(name))
    }

    /// A whole number, `default` when absent.
    ///
    /// # Errors
    /// `InvalidParameter` when it is not a number.
    pub fn number(&self, name: &str, default: u64) -> Result<u64, Reply> {
        match self.get(name) {
            None => Ok(default),
            Some(text) => text.parse().map_err(|_| Reply::invalid(name)),
        }
    }

    /// `Name.1`, `Name.2`, ... in order.
    pub fn list(&self, name: &str) -> Vec<&'a str> {
        (1..).map_while(|index| self.get(&format!("{name}.{index}"))).collect()
    }

    /// A JSON array of strings (`InstanceIds='["i-1","i-2"]'`); absent is `None`.
    ///
    /// # Errors
    /// `InvalidParameter` when it is not such an array.
    pub fn json_list(&self, name: &str) -> Result<Option<Vec<String>>, Reply> {
        match self.get(name) {
            None => Ok(None),
            Some(text) => serde_json::from_str(text).map(Some).map_err(|_| Reply::invalid(name)),
        }
    }

    /// `Tag.N.Key` / `Tag.N.Value` pairs.
    ///
    /// # Errors
    /// A value without its key: `InvalidTagKey.Malformed`.
    pub fn tags(&self) -> Result<Vec<(String, String)>, Reply> {
        let mut tags = Vec::new();
        for index in 1..=20 {
            let key = self.get(&format!("Tag.{index}.Key"));
            let value = self.0.get(&format!("Tag.{index}.Value")).cloned().unwrap_or_default();
            match key {
                Some(key) => tags.push((key.to_owned(), value)),
                None if !value.is_empty() => {
                    return Err(Reply::error(400, "InvalidTagKey.Malformed", "The specified Tag.n.Key is not valid."));
                }
                None => {}
            }
        }
        Ok(tags)
    }

    /// What the request asks for, without the common parameters: two requests with one
    /// `ClientToken` must agree on it.
    pub fn fingerprint(&self) -> String {
        let pairs: Vec<String> = self
            .0
            .iter()
            .filter(|(name, _)| !COMMON.contains(&name.as_str()))
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        pairs.join("&")
    }
}

/// True when every `filter` tag is among `tags`.
pub fn has_tags(tags: &[(String, String)], filter: &[(String, String)]) -> bool {
    filter.iter().all(|wanted| tags.contains(wanted))
}
