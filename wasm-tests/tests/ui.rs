//! The playground's components mounted into a real DOM and driven by clicks.
#![cfg(target_arch = "wasm32")]

use kms_wasm_tests::{click, mount_fresh, settle, text_of};
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

#[wasm_bindgen_test]
async fn a_story_is_followed_step_by_step() {
    let root = mount_fresh(|| view! { <kms_web::App/> });
    assert!(
        root.query_selector("[data-testid=welcome]")
            .unwrap()
            .is_some()
    );
    let count = kms_core::scenario::builtin::get("envelope-encryption")
        .unwrap()
        .steps
        .len();

    click(&root, "story-envelope-encryption");
    settle().await;
    assert_eq!(
        text_of(&root, "progress"),
        format!("0 of {count} steps · 0 as expected")
    );
    assert!(text_of(&root, "upcoming").contains("KMS key"));

    click(&root, "next");
    settle().await;
    assert_eq!(
        text_of(&root, "progress"),
        format!("1 of {count} steps · 1 as expected")
    );
    assert_eq!(text_of(&root, "step-verdict"), "as the story says");

    click(&root, "run-to-end");
    settle().await;
    assert_eq!(
        text_of(&root, "progress"),
        format!("{count} of {count} steps · {count} as expected")
    );
    assert_eq!(
        root.query_selector_all("[data-testid=step-result]")
            .unwrap()
            .length() as usize,
        count
    );

    click(&root, "back");
    settle().await;
    assert_eq!(
        text_of(&root, "progress"),
        format!("{} of {count} steps · {} as expected", count - 1, count - 1)
    );
}

#[wasm_bindgen_test]
async fn the_why_panel_names_the_deciding_rule() {
    let root = mount_fresh(|| view! { <kms_web::App/> });
    click(&root, "story-key-policies");
    settle().await;
    click(&root, "run-to-end");
    settle().await;
    let rules = root.query_selector_all("[data-testid=rule]").unwrap();
    let texts: Vec<String> = (0..rules.length())
        .filter_map(|i| rules.item(i))
        .filter_map(|n| n.text_content())
        .collect();
    assert!(texts.iter().any(|t| t == "explicit deny"), "{texts:?}");
    assert!(texts.iter().any(|t| t == "direct allow"), "{texts:?}");
    let explanations = root.text_content().unwrap_or_default();
    assert!(
        explanations.contains("an explicit deny always wins"),
        "the sentence of the deciding rule is shown"
    );
}

#[wasm_bindgen_test]
async fn the_world_panel_shows_a_cluster_breaking() {
    let root = mount_fresh(|| view! { <kms_web::App/> });
    click(&root, "story-aurora-disable-key");
    settle().await;
    for _ in 0..11 {
        click(&root, "next");
        settle().await;
    }
    assert_eq!(
        text_of(&root, "cluster-status"),
        "inaccessible-encryption-credentials-recoverable"
    );
}

#[wasm_bindgen_test]
async fn free_play_moves_the_clock_and_answers_requests() {
    use kms_wasm_tests::type_into;
    let root = mount_fresh(|| view! { <kms_web::App/> });
    click(&root, "free-play");
    settle().await;
    assert_eq!(text_of(&root, "clock"), "2026-01-05T09:00:00Z");
    click(&root, "clock-1"); // +10 min
    settle().await;
    assert_eq!(text_of(&root, "clock"), "2026-01-05T09:10:00Z");

    // The example request: CreateKey as the production root.
    click(&root, "send");
    settle().await;
    assert!(
        root.query_selector("[data-testid=step-error]")
            .unwrap()
            .is_none(),
        "CreateKey succeeds"
    );
    assert_eq!(text_of(&root, "rule"), "identity policy allows");

    // Bad input is shown inline, never a panic.
    type_into(&root, "request", "{not json");
    settle().await;
    click(&root, "send");
    settle().await;
    assert!(text_of(&root, "step-error").starts_with("ValidationException"));
    type_into(&root, "actor", "arn:aws:iam::111122223333:user/nobody");
    type_into(
        &root,
        "request",
        r#"{"Action": "kms:ListKeys", "Parameters": {}}"#,
    );
    settle().await;
    click(&root, "send");
    settle().await;
    assert!(text_of(&root, "step-error").starts_with("UnrecognizedClientException"));
}

#[wasm_bindgen_test]
async fn a_story_can_be_left_to_experiment_from_there() {
    let root = mount_fresh(|| view! { <kms_web::App/> });
    click(&root, "story-aurora-disable-key");
    settle().await;
    click(&root, "run-to-end");
    settle().await;
    click(&root, "experiment");
    settle().await;
    assert!(root.query_selector("[data-testid=free]").unwrap().is_some());
    assert_eq!(
        text_of(&root, "cluster-status"),
        "available",
        "the story's cluster came along"
    );
}

/// Reading a story: every story has its own number, narration-only steps
/// are steps (not "Request N"), "Next:" follows the step just played, and
/// → / ← step forward and back.
#[wasm_bindgen_test]
async fn a_story_reads_in_order_and_follows_the_arrow_keys() {
    let root = mount_fresh(|| view! { <kms_web::App/> });
    let tags: Vec<String> = {
        let list = root.query_selector_all(".stories .tag").unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i)?.text_content())
            .collect()
    };
    let mut unique = tags.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), tags.len(), "story tags repeat: {tags:?}");

    click(&root, "story-aurora-disable-key");
    settle().await;
    click(&root, "run-to-end");
    settle().await;
    let heads = root.query_selector_all(".step-no").unwrap();
    for i in 0..heads.length() {
        let head = heads.item(i).unwrap().text_content().unwrap_or_default();
        assert!(
            head.starts_with("Step "),
            "a story step is labelled {head:?}"
        );
    }
    click(&root, "back");
    click(&root, "back");
    settle().await;
    let steps = root.query_selector(".steps").unwrap().unwrap();
    let children = steps.children();
    assert_eq!(
        children
            .item(0)
            .unwrap()
            .get_attribute("data-testid")
            .as_deref(),
        Some("step-result"),
        "the step just played comes first"
    );
    assert_eq!(
        children
            .item(1)
            .unwrap()
            .get_attribute("data-testid")
            .as_deref(),
        Some("upcoming"),
        "then what comes next"
    );

    let progress = |root: &web_sys::HtmlElement| text_of(root, "progress");
    let before = progress(&root);
    let key = |name: &str| {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key(name);
        init.set_bubbles(true);
        let event =
            web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        web_sys::window().unwrap().dispatch_event(&event).unwrap();
    };
    key("ArrowRight");
    settle().await;
    let after = progress(&root);
    assert_ne!(after, before, "→ plays the next step");
    key("ArrowLeft");
    settle().await;
    assert_eq!(progress(&root), before, "← goes back");
}
