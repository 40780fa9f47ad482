//! Helpers shared by the browser test suites in `tests/`.
#![forbid(unsafe_code)]

#[cfg(target_arch = "wasm32")]
mod dom;
#[cfg(target_arch = "wasm32")]
pub use dom::*;
