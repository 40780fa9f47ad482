//! The simulator core, run in headless Chromium.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn aes_gcm_known_answer_passes_in_the_browser() {
    let check = kms_core::selftest::aes256_gcm_known_answer();
    assert!(check.passed, "AES-256-GCM vector failed in wasm: {check:?}");
}
