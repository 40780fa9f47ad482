//! Fuzz target: see `core/tests/common/entries.rs` for what is checked.
#![no_main]

#[path = "../../core/tests/common/mod.rs"]
#[allow(dead_code, unused_imports)]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::entries::policy(data));
