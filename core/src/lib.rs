//! `kms-core`: a faithful, explainable simulator of AWS KMS.
//!
//! Everything a learner can observe is computed here. One entry point,
//! [`World::call`], takes a [`Caller`] and a [`Request`] shaped like the AWS
//! API, authorizes it, executes it, audits it, and returns an [`Outcome`]:
//! the AWS response or the AWS error, with every authorization decision and
//! its explanation. The world runs on a virtual clock and a seeded CSPRNG,
//! so a world is exactly the replay of its log.
//!
//! The crate is `no_std` + `alloc`: the same code runs in the browser
//! (wasm32) and natively. Cryptography is real (see [`crypto`]).
//!
//! The layers, what may import what, and the file where each rule lives
//! ("Decrypt on a disabled key", "cross-account needs both sides", "the
//! lockout check", "Aurora goes inaccessible after DisableKey") are drawn in
//! `ARCHITECTURE.md` at the repository's root.
//!
//! # Envelope encryption
//!
//! ```
//! use kms_core::prelude::*;
//!
//! let production = AccountId::parse("111122223333").unwrap();
//! let mut world = World::new(WorldConfig::from_seed([7; 32]));
//! world.add_account(production.clone(), "production").unwrap();
//! let root = Caller::new(Principal::Root(production), Region::parse("eu-west-1").unwrap());
//!
//! // A KMS key. It never leaves KMS.
//! let created = world.call(root.clone(), Request::CreateKey(CreateKeyRequest::default()));
//! let Ok(Response::KeyMetadata(created)) = created.result else { panic!() };
//! let key_id = created.key_metadata.unwrap().key_id;
//!
//! // GenerateDataKey: a fresh data key, in plaintext and encrypted under the KMS key,
//! // bound to an encryption context.
//! let context = EncryptionContext::from_pairs([("table", "users")]);
//! let generated = world.call(root.clone(), Request::GenerateDataKey(GenerateDataKeyRequest {
//!     key_id,
//!     key_spec: Some(DataKeySpec::AES_256),
//!     encryption_context: Some(context.clone()),
//!     ..Default::default()
//! }));
//! let Ok(Response::GenerateDataKey(data_key)) = generated.result else { panic!() };
//!
//! // Encrypt the data locally with the plaintext data key, keep the encrypted
//! // data key next to the data, and drop the plaintext key at once (it is zeroized).
//! let sealed = DataCipher::new(&data_key.plaintext).unwrap().seal([1; 12], b"", b"Alice, Bob, Charlie");
//! let stored_key = data_key.ciphertext_blob.clone();
//! drop(data_key);
//!
//! // Later: Decrypt the stored data key (same context!), then the data.
//! let decrypted = world.call(root, Request::Decrypt(DecryptRequest {
//!     ciphertext_blob: stored_key,
//!     encryption_context: Some(context),
//!     ..Default::default()
//! }));
//! let Ok(Response::Decrypt(key)) = decrypted.result else { panic!() };
//! let rows = DataCipher::new(&key.plaintext).unwrap().open(b"", &sealed).unwrap();
//! assert_eq!(rows.expose(), b"Alice, Bob, Charlie");
//! ```
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;

#[macro_use]
mod macros;

pub mod audit;
pub mod base64_blob;
pub mod cli;
pub mod clock;
pub mod crypto;
pub mod env;
pub mod error;
pub mod iam;
pub mod ids;
pub mod json;
pub mod kms;
pub mod policy;
pub mod principal;
pub mod request;
pub mod route;
pub mod scenario;
pub mod secret;
pub mod selftest;
pub mod services;
pub mod workbench;
#[cfg(feature = "bench")]
pub mod workloads;
pub mod world;

pub use error::KmsError;
pub use principal::Caller;
pub use request::{Request, Response};
pub use world::{Outcome, World, WorldConfig};

/// The names most programs need.
pub mod prelude {
    pub use crate::clock::{DAY, HOUR, MINUTE, Timestamp};
    pub use crate::crypto::context::EncryptionContext;
    pub use crate::crypto::data::DataCipher;
    pub use crate::error::KmsError;
    pub use crate::ids::{AccountId, AliasName, KeyId, Region};
    pub use crate::kms::api::responses::*;
    pub use crate::kms::api::*;
    pub use crate::principal::{AwsService, Caller, Principal};
    pub use crate::request::{Request, Response};
    pub use crate::secret::SecretBytes;
    pub use crate::world::{LogEntry, Outcome, World, WorldConfig, WorldLog};
}

/// The version of the simulator core, shown in the playground's footer and
/// recorded in share links.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
