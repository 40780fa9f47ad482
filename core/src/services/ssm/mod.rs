//! AWS Systems Manager Parameter Store. A SecureString is encrypted by SSM
//! calling KMS `Encrypt` as the caller, through SSM, with the encryption
//! context `{"PARAMETER_ARN": <parameter ARN>}`; reading it with decryption
//! calls `Decrypt` the same way. Without decryption, anyone allowed to read
//! the parameter gets the base64 ciphertext blob.

pub mod actions;
pub mod api;
pub mod handle;
pub mod ops;
pub mod state;

pub use api::*;
pub use state::*;
