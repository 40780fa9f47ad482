//! The playground's components mounted into a real DOM.
#![cfg(target_arch = "wasm32")]

use kms_wasm_tests::{mount_fresh, text_of};
use leptos::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn app_shows_the_self_test_computed_by_the_core() {
    let root = mount_fresh(|| view! { <kms_web::App/> });
    assert_eq!(text_of(&root, "selftest-verdict"), "passed");
    let expected: String = kms_core::selftest::aes256_gcm_known_answer()
        .tag
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(text_of(&root, "selftest-tag"), expected);
    assert!(
        root.text_content()
            .unwrap_or_default()
            .contains("KMS Playground")
    );
}
