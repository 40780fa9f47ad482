//! `kms-core`: the KMS Playground simulator.
//!
//! The crate is `no_std` + `alloc` so that the very same code runs in the
//! browser (wasm32) and natively (tests, benchmarks, tools).
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;

pub mod selftest;

/// The version of the simulator core, shown in the playground's footer and
/// recorded in share links.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
