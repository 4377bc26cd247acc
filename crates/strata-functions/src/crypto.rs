//! Hashes of the UTF-8 bytes of a string: `md5`, `sha1`, `sha256`, `sha512` (lowercase hex)
//! and `base64sha256`, `base64sha512` (base64 of the raw digest).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::Digest;
use strata_value::Value;

use crate::FunctionError;
use crate::args::Args;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn digest<D: Digest>(args: &Args) -> Result<Vec<u8>, FunctionError> {
    Ok(D::digest(args.string(0)?.as_bytes()).to_vec())
}

pub(crate) fn md5(args: &Args) -> Result<Value, FunctionError> {
    Ok(Value::String(hex(&digest::<md5::Md5>(args)?)))
}

pub(crate) fn sha1(args: &Args) -> Result<Value, FunctionError> {
    Ok(Value::String(hex(&digest::<sha1::Sha1>(args)?)))
}

pub(crate) fn sha256(args: &Args) -> Result<Value, FunctionError> {
    Ok(Value::String(hex(&digest::<sha2::Sha256>(args)?)))
}

pub(crate) fn sha512(args: &Args) -> Result<Value, FunctionError> {
    Ok(Value::String(hex(&digest::<sha2::Sha512>(args)?)))
}

pub(crate) fn base64sha256(args: &Args) -> Result<Value, FunctionError> {
    Ok(Value::String(STANDARD.encode(digest::<sha2::Sha256>(args)?)))
}

pub(crate) fn base64sha512(args: &Args) -> Result<Value, FunctionError> {
    Ok(Value::String(STANDARD.encode(digest::<sha2::Sha512>(args)?)))
}
