//! Sensitive values encrypted in place: at a sensitive path the stored JSON holds
//! `{"$encrypted": "<base64>"}` instead of the value.
//!
//! The base64 decodes to `1 | key id (4 bytes) | nonce (24 bytes) | ciphertext + tag`: the
//! value's compact JSON encrypted with XChaCha20-Poly1305 under the state key and a random
//! nonce. The associated data binds the ciphertext to its owner (resource instance address,
//! intent address or output name), to its path and to the header, so a ciphertext copied to
//! another attribute or resource does not decrypt. The key id tells a wrong key from a
//! tampered value.
//!
//! Only the outermost value of nested sensitive paths is encrypted (the inner marks are inside
//! it). A path that does not fit the JSON encrypts the deepest value it reaches, the way
//! [`crate::decode_value`] marks it.

use std::borrow::Cow;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, Generate, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde_json::Value as Json;
use sha2::{Digest, Sha256};
use strata_addrs::ResourceInstanceAddr;

use crate::{KeyError, KeySource, PathStep, StateKey, format_path};

/// The one key of an encrypted value's object.
pub(crate) const MARKER: &str = "$encrypted";
/// The first byte of every encrypted value: this layout, XChaCha20-Poly1305.
const LAYOUT: u8 = 1;
const HEADER_LEN: usize = 1 + 4;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;

/// Whose value is encrypted; part of the associated data.
#[derive(Clone, Copy)]
pub(crate) enum Owner<'a> {
    Resource(&'a ResourceInstanceAddr),
    /// The planned value of a create in flight.
    Intent(&'a ResourceInstanceAddr),
    Output(&'a str),
}

impl Owner<'_> {
    /// For messages: `emr_cluster.a.admin.password`, `output.token`, `intent emr_cluster.a`.
    fn location(&self, path: &[PathStep]) -> String {
        let path = if path.is_empty() { String::new() } else { format_path(path) };
        match self {
            Owner::Resource(address) => format!("{address}{path}"),
            Owner::Intent(address) => format!("intent {address}{path}"),
            Owner::Output(name) => format!("output.{name}{path}"),
        }
    }

    fn associated_data(&self, header: &[u8], path: &[PathStep]) -> Vec<u8> {
        let (kind, name) = match self {
            Owner::Resource(address) => ("resource", address.to_string()),
            Owner::Intent(address) => ("intent", address.to_string()),
            Owner::Output(name) => ("output", (*name).to_owned()),
        };
        let mut data = b"strata-state-value\0".to_vec();
        data.extend_from_slice(header);
        for part in [kind.as_bytes(), name.as_bytes()] {
            data.extend_from_slice(part);
            data.push(0);
        }
        // Steps as JSON (never fails for these types): unambiguous for any key text.
        data.extend_from_slice(&serde_json::to_vec(path).unwrap_or_default());
        data
    }
}

/// `json` with the values at `paths` encrypted; borrowed when there is nothing to encrypt (no
/// key is needed then).
pub(crate) fn seal<'a>(
    json: &'a Json,
    paths: &[Vec<PathStep>],
    owner: Owner<'_>,
    keys: &KeySource,
) -> Result<Cow<'a, Json>, KeyError> {
    if paths.is_empty() {
        return Ok(Cow::Borrowed(json));
    }
    let mut locations: Vec<Vec<PathStep>> = paths.iter().map(|path| reach(json, path)).collect();
    locations.sort();
    locations.dedup();
    let key = keys.for_writing()?;
    let mut out = json.clone();
    let mut outer: Option<&Vec<PathStep>> = None;
    for location in &locations {
        // Sorted, so a location inside an encrypted one comes right after it.
        if outer.is_some_and(|outer| location.starts_with(outer)) {
            continue;
        }
        outer = Some(location);
        if let Some(node) = node_mut(&mut out, location) {
            *node = seal_one(node, owner, location, &key, keys)?;
        }
    }
    Ok(Cow::Owned(out))
}

/// Decrypts, in place, every encrypted value found along `paths`. Values that are not
/// encrypted are left as they are (written before encryption, or by hand). The key is looked
/// up only when there is a value to decrypt.
pub(crate) fn open(
    json: &mut Json,
    paths: &[Vec<PathStep>],
    owner: Owner<'_>,
    keys: &KeySource,
) -> Result<(), KeyError> {
    let mut paths: Vec<&Vec<PathStep>> = paths.iter().collect();
    // Outer values first: what is inside a decrypted value is plaintext, whatever it looks like.
    paths.sort_by_key(|path| path.len());
    let mut opened: Vec<Vec<PathStep>> = Vec::new();
    let mut key = None;
    for path in paths {
        let mut node = &mut *json;
        let mut location = Vec::new();
        for index in 0..=path.len() {
            if opened.iter().any(|done| location.starts_with(done)) {
                break;
            }
            if let Some(text) = ciphertext(node).map(str::to_owned) {
                let key = match &key {
                    Some(key) => key,
                    None => key.insert(keys.for_reading()?),
                };
                *node = open_one(&text, owner, &location, key, keys)?;
                opened.push(location);
                break;
            }
            let Some(step) = path.get(index) else { break };
            let Some((step, child)) = child_mut(node, step) else { break };
            location.push(step);
            node = child;
        }
    }
    Ok(())
}

/// The base64 text of an encrypted value: an object with the one key `$encrypted` holding a
/// string.
pub(crate) fn ciphertext(json: &Json) -> Option<&str> {
    match json {
        Json::Object(map) if map.len() == 1 => map.get(MARKER).and_then(Json::as_str),
        _ => None,
    }
}

fn seal_one(
    value: &Json,
    owner: Owner<'_>,
    path: &[PathStep],
    key: &StateKey,
    keys: &KeySource,
) -> Result<Json, KeyError> {
    let mut header = [0; HEADER_LEN];
    header[0] = LAYOUT;
    header[1..].copy_from_slice(&key.id_bytes());
    let data = owner.associated_data(&header, path);
    let plaintext = value.to_string();
    let digest = digest(&data, plaintext.as_bytes());
    let text = match keys.remembered(&digest) {
        Some(text) => text,
        None => {
            let nonce = <[u8; NONCE_LEN]>::try_generate().map_err(|e| KeyError::Random { reason: e.to_string() })?;
            let sealed =
                cipher(key)
                    .encrypt(&XNonce::from(nonce), Payload { msg: plaintext.as_bytes(), aad: &data })
                    .map_err(|_| KeyError::Malformed { location: owner.location(path), reason: "too long".into() })?;
            let mut blob = Vec::with_capacity(HEADER_LEN + NONCE_LEN + sealed.len());
            blob.extend_from_slice(&header);
            blob.extend_from_slice(&nonce);
            blob.extend_from_slice(&sealed);
            let text = STANDARD.encode(blob);
            keys.remember(digest, &text);
            text
        }
    };
    Ok(serde_json::json!({ MARKER: text }))
}

fn open_one(
    text: &str,
    owner: Owner<'_>,
    path: &[PathStep],
    key: &StateKey,
    keys: &KeySource,
) -> Result<Json, KeyError> {
    let malformed = |reason: &str| KeyError::Malformed { location: owner.location(path), reason: reason.to_owned() };
    let blob = STANDARD.decode(text).map_err(|_| malformed("it is not base64"))?;
    if blob.len() < HEADER_LEN + NONCE_LEN + TAG_LEN {
        return Err(malformed("it is too short"));
    }
    if blob[0] != LAYOUT {
        return Err(malformed(&format!(
            "it uses encryption layout {}, which this version of Strata does not know; upgrade Strata",
            blob[0]
        )));
    }
    let (header, rest) = blob.split_at(HEADER_LEN);
    if header[1..] != key.id_bytes() {
        return Err(KeyError::WrongKey {
            location: owner.location(path),
            written_with: header[1..].iter().map(|b| format!("{b:02x}")).collect(),
            key_id: key.id(),
            origin: keys.describe(),
        });
    }
    let (nonce, sealed) = rest.split_at(NONCE_LEN);
    let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| malformed("it is too short"))?;
    let data = owner.associated_data(header, path);
    let plaintext = cipher(key).decrypt(&XNonce::from(nonce), Payload { msg: sealed, aad: &data }).map_err(|_| {
        KeyError::Undecryptable { location: owner.location(path), key_id: key.id(), origin: keys.describe() }
    })?;
    let value = serde_json::from_slice(&plaintext).map_err(|_| malformed("it does not hold JSON"))?;
    keys.remember(digest(&data, &plaintext), text);
    Ok(value)
}

fn cipher(key: &StateKey) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(&(*key.bytes()).into())
}

/// Names a (associated data, plaintext) pair for reusing its ciphertext.
fn digest(data: &[u8], plaintext: &[u8]) -> [u8; 32] {
    Sha256::new()
        .chain_update((data.len() as u64).to_be_bytes())
        .chain_update(data)
        .chain_update(plaintext)
        .finalize()
        .into()
}

/// How far `path` goes into `json`, with object steps as `Attribute` (JSON does not tell
/// attributes from keys).
fn reach(json: &Json, path: &[PathStep]) -> Vec<PathStep> {
    let mut node = json;
    let mut reached = Vec::new();
    for step in path {
        match (step, node) {
            (PathStep::Attribute(key) | PathStep::Key(key), Json::Object(map)) if map.contains_key(key) => {
                node = &map[key];
                reached.push(PathStep::Attribute(key.clone()));
            }
            (PathStep::Index(index), Json::Array(items)) if usize::try_from(*index).is_ok_and(|i| i < items.len()) => {
                node = &items[*index as usize];
                reached.push(PathStep::Index(*index));
            }
            _ => break,
        }
    }
    reached
}

fn node_mut<'a>(json: &'a mut Json, path: &[PathStep]) -> Option<&'a mut Json> {
    path.iter().try_fold(json, |node, step| child_mut(node, step).map(|(_, child)| child))
}

/// The child `step` names, with the step as `reach` records it.
fn child_mut<'a>(node: &'a mut Json, step: &PathStep) -> Option<(PathStep, &'a mut Json)> {
    match (step, node) {
        (PathStep::Attribute(key) | PathStep::Key(key), Json::Object(map)) => {
            map.get_mut(key).map(|child| (PathStep::Attribute(key.clone()), child))
        }
        (PathStep::Index(index), Json::Array(items)) => {
            usize::try_from(*index).ok().and_then(|i| items.get_mut(i)).map(|child| (PathStep::Index(*index), child))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn attr(name: &str) -> PathStep {
        PathStep::Attribute(name.to_owned())
    }

    fn keys() -> KeySource {
        KeySource::given(StateKey::generate().unwrap())
    }

    fn address(text: &str) -> ResourceInstanceAddr {
        text.parse().unwrap()
    }

    #[test]
    fn only_the_outermost_value_is_encrypted_and_everything_comes_back() {
        let keys = keys();
        let addr = address("emr_cluster.a");
        let plain = json!({
            "name": "db",
            "nested": {"inner": ["hunter2"], "$encrypted": "looks like one"},
            "tags": {"api key": "k-123"},
            "ports": [1, 2],
            "whole": null
        });
        let paths = vec![
            vec![attr("nested"), attr("inner"), PathStep::Index(0)],
            vec![attr("nested")],
            vec![attr("tags"), PathStep::Key("api key".into())],
            vec![attr("ports"), PathStep::Index(7)],
            vec![attr("whole")],
        ];
        let sealed = seal(&plain, &paths, Owner::Resource(&addr), &keys).unwrap().into_owned();
        let text = sealed.to_string();
        assert!(!text.contains("hunter2") && !text.contains("k-123") && !text.contains("looks like one"), "{text}");
        assert_eq!(sealed["name"], "db");
        assert!(ciphertext(&sealed["nested"]).is_some());
        assert!(ciphertext(&sealed["tags"]["api key"]).is_some());
        // `.ports[7]` does not fit: the deepest value reached, `.ports`, is encrypted.
        assert!(ciphertext(&sealed["ports"]).is_some());
        assert!(ciphertext(&sealed["whole"]).is_some());

        let mut opened = sealed.clone();
        open(&mut opened, &paths, Owner::Resource(&addr), &keys).unwrap();
        assert_eq!(opened, plain);
        // In any order of paths.
        let mut reversed = sealed;
        let paths: Vec<_> = paths.into_iter().rev().collect();
        open(&mut reversed, &paths, Owner::Resource(&addr), &keys).unwrap();
        assert_eq!(reversed, plain);
    }

    #[test]
    fn nothing_to_encrypt_needs_no_key_and_copies_nothing() {
        let keys = KeySource::key_file("/nonexistent/.strata/state.key");
        let plain = json!({"a": 1});
        assert!(matches!(seal(&plain, &[], Owner::Output("x"), &keys).unwrap(), Cow::Borrowed(_)));
        let mut copy = plain.clone();
        open(&mut copy, &[vec![attr("a")]], Owner::Output("x"), &keys).unwrap();
        assert_eq!(copy, plain, "plain values at sensitive paths are read as they are");
    }

    #[test]
    fn unchanged_values_keep_their_ciphertext_and_new_ones_get_a_new_nonce() {
        let keys = keys();
        let seal_once = |value: Json| seal(&value, &[vec![]], Owner::Output("o"), &keys).unwrap().into_owned();
        assert_eq!(seal_once(json!("a")), seal_once(json!("a")));
        assert_ne!(seal_once(json!("a")), seal_once(json!("b")));
        let fresh = KeySource::given(keys.for_reading().unwrap());
        let again = seal(&json!("a"), &[vec![]], Owner::Output("o"), &fresh).unwrap().into_owned();
        assert_ne!(again, seal_once(json!("a")), "another source draws its own nonce");
    }

    #[test]
    fn a_ciphertext_moved_elsewhere_or_read_with_another_key_does_not_decrypt() {
        let keys = keys();
        let (a, b) = (address("strata_data.a"), address("strata_data.b"));
        let paths = vec![vec![attr("x")], vec![attr("y")]];
        let sealed = seal(&json!({"x": "one", "y": "two"}), &paths, Owner::Resource(&a), &keys).unwrap().into_owned();

        let mut swapped = json!({"x": sealed["y"].clone(), "y": sealed["x"].clone()});
        let error = open(&mut swapped, &paths, Owner::Resource(&a), &keys).unwrap_err();
        assert!(matches!(&error, KeyError::Undecryptable { location, .. } if location == "strata_data.a.x"), "{error}");
        assert!(error.to_string().contains("moved here from another attribute or resource"), "{error}");

        let mut other_resource = sealed.clone();
        assert!(matches!(
            open(&mut other_resource, &paths, Owner::Resource(&b), &keys),
            Err(KeyError::Undecryptable { .. })
        ));
        let mut as_output = json!(sealed["x"].clone());
        assert!(open(&mut as_output, &[vec![]], Owner::Output("x"), &keys).is_err());

        let other_key = KeySource::given(StateKey::generate().unwrap());
        let mut copy = sealed.clone();
        let error = open(&mut copy, &paths, Owner::Resource(&a), &other_key).unwrap_err();
        let KeyError::WrongKey { written_with, key_id, .. } = &error else { panic!("{error:?}") };
        assert_eq!(written_with, &keys.for_reading().unwrap().id());
        assert_eq!(key_id, &other_key.for_reading().unwrap().id());

        let mut garbage = json!({"x": {"$encrypted": "!!"}});
        let error = open(&mut garbage, &paths, Owner::Resource(&a), &keys).unwrap_err();
        assert_eq!(error.to_string(), "the encrypted value at strata_data.a.x is malformed: it is not base64");
    }
}
