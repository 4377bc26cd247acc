//! The protocol the engine and a provider plugin speak over the plugin's stdin and stdout.
//!
//! Full reference with an example of every message: `docs/plugin-protocol.md`. In short:
//!
//! - **Framing**: one JSON object per line (UTF-8, `\n`-terminated; JSON text never holds a raw
//!   newline). The engine writes to the plugin's stdin, the plugin to its stdout; the plugin's
//!   stderr is its log. Anything on stdout that is not a frame is a protocol error.
//! - **Frames** ([`Frame`]): `request` (engine → plugin, with an `id`), `response` (plugin →
//!   engine, same `id`, a `result` or an `error`; a failed apply's error may carry the object
//!   it did make, [`WireError::new_state`]), `progress` (plugin → engine, about the
//!   request `id` still running) and `cancel` (engine → plugin: abandon request `id`, which
//!   then answers with an error whose `outcome_unknown` is true). Several requests may be in
//!   flight at once; responses come in any order.
//! - **Handshake**: the first request is `handshake` with the protocol versions the engine
//!   speaks; the plugin answers with the one it chose. [`PROTOCOL_VERSION`] is this crate's.
//! - **Values** ([`WireValue`]): JSON, with `{"$unknown": TYPE}`, `{"$sensitive": VALUE}` and
//!   `{"$set": [...]}` for what JSON cannot say, and object keys starting with `$` escaped by
//!   doubling the `$`. Types ([`WireType`]) are written like cty's: `"string"`,
//!   `["list", "string"]`, `["object", {"a": "number"}]`.
//! - **Schemas** ([`WireSchema`]): resource types, data sources, the provider's configuration
//!   block and its concurrency limit, attribute by attribute.

mod error;
mod frame;
mod messages;
mod schema_wire;
mod type_wire;
mod value_wire;

pub use error::ProtocolError;
pub use frame::{Frame, Outcome, WireError, decode_frame, encode_frame};
pub use messages::{Call, Reply};
pub use schema_wire::{WireAttribute, WireBlock, WireNestedBlock, WireResource, WireSchema};
pub use type_wire::WireType;
pub use value_wire::WireValue;

/// The protocol version this build speaks. Bump it on any change an older peer would
/// misread; the handshake then fails with both versions named instead of garbling requests.
pub const PROTOCOL_VERSION: u32 = 1;

/// The longest frame either side accepts (64 MiB): a runaway or garbage stream fails fast
/// instead of growing a buffer without bound.
pub const MAX_FRAME_BYTES: usize = 64 * 1024 * 1024;
