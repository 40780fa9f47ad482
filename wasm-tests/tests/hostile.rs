//! Hostile links and files in the real page: each is refused with a
//! sentence saying why, the tab stays alive, and the world the learner had
//! open is untouched. Also: fresh worlds draw their seed from the browser's
//! entropy, and the share dialog says what a link carries.
#![cfg(target_arch = "wasm32")]

use kms_wasm_tests::*;
use leptos::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn app() -> impl IntoView {
    view! { <kms_web::App/> }
}

fn scenario(accounts: &str, steps: &str) -> String {
    format!(
        r#"{{"Id": "hostile", "Title": "Hostile", "Summary": "x", "Accounts": {accounts}, "Steps": {steps}}}"#
    )
}

const ONE_STEP: &str = r#"[{"Request": {"Action": "kms:ListKeys", "Parameters": {}}}]"#;

/// The seed of the world on screen, read back from the link it wrote.
async fn seed_of_link() -> String {
    wait_for("the world link", || fragment().starts_with("world=v1.")).await;
    let payload = fragment().trim_start_matches("world=").to_string();
    let json = kms_web::share::unpack(&payload).await.unwrap();
    kms_core::world::WorldLog::from_json(&json).unwrap().seed
}

#[wasm_bindgen_test]
async fn a_scenario_the_core_refuses_is_a_banner_not_a_crash() {
    for (accounts, needle) in [
        (
            r#"[{"Id": "111122223333", "Name": "a"}, {"Id": "111122223333", "Name": "b"}]"#
                .to_string(),
            "share an id or a name",
        ),
        (
            format!(
                r#"[{{"Id": "111122223333", "Name": "{}"}}]"#,
                "n".repeat(60)
            ),
            "less than or equal to 50",
        ),
    ] {
        let payload = kms_web::share::pack(&scenario(&accounts, ONE_STEP))
            .await
            .unwrap();
        fresh_page();
        let root = mount_at(&format!("#story={payload}"), app);
        wait_for("the refusal", || has(&root, "banner")).await;
        let banner = text_of(&root, "banner");
        assert!(banner.contains(needle), "{banner}");
        assert!(
            has(&root, "welcome"),
            "the page is alive and opened nothing"
        );
    }
}

#[wasm_bindgen_test]
async fn a_hostile_link_leaves_the_open_world_untouched() {
    let root = mount_fresh(app);
    click(&root, "free-play");
    settle().await;
    click(&root, "send");
    let seed = seed_of_link().await;
    let clock = text_of(&root, "clock");

    // A log that asks the clock for 2^53 seconds with a rotating key: it
    // once looped until the tab ran out of memory.
    let log = format!(
        r#"{{"Format": 1, "CoreVersion": "x", "Seed": "{}", "Start": 1767603600, "Entries": [
            {{"Entry": "AddAccount", "AccountId": "111122223333", "Name": "production"}},
            {{"Entry": "Advance", "Seconds": 9007199254740992}}]}}"#,
        "00".repeat(32)
    );
    let payload = kms_web::share::pack(&log).await.unwrap();
    web_sys::window()
        .unwrap()
        .location()
        .set_hash(&format!("world={payload}"))
        .unwrap();
    wait_for("the refusal", || has(&root, "banner")).await;
    let banner = text_of(&root, "banner");
    assert!(banner.contains("time in the simulator ends"), "{banner}");
    assert!(has(&root, "free"), "still in the learner's world");
    assert_eq!(text_of(&root, "clock"), clock);
    // The learner's world, not the hostile one, is what the page writes back.
    click(&root, "send");
    assert_eq!(seed_of_link().await, seed);
}

#[wasm_bindgen_test]
async fn an_endless_advance_in_a_scenario_is_a_failed_step() {
    let steps = r#"[{"Narration": "Forever.", "Advance": "99999999999d"}]"#;
    let accounts = r#"[{"Id": "111122223333", "Name": "production"}]"#;
    let payload = kms_web::share::pack(&scenario(accounts, steps))
        .await
        .unwrap();
    fresh_page();
    let root = mount_at(&format!("#story={payload}"), app);
    wait_for("the story", || has(&root, "story")).await;
    click(&root, "next");
    settle().await;
    assert_eq!(text_of(&root, "step-verdict"), "not what the story expects");
    assert!(
        text_of(&root, "story").contains("time in the simulator ends"),
        "{}",
        text_of(&root, "story")
    );
}

#[wasm_bindgen_test]
fn fresh_worlds_draw_their_seed_from_the_browser() {
    // Called within the same millisecond: a seed made from the clock
    // would repeat.
    let seeds: Vec<[u8; 32]> = (0..4).map(|_| kms_web::fresh_seed().unwrap()).collect();
    for (i, a) in seeds.iter().enumerate() {
        for b in &seeds[i + 1..] {
            assert_ne!(a, b);
        }
    }
}

#[wasm_bindgen_test]
async fn the_share_dialog_says_the_link_carries_plaintexts() {
    let root = mount_fresh(app);
    click(&root, "free-play");
    settle().await;
    click(&root, "share");
    settle().await;
    assert!(text_of(&root, "share-warning").contains("plaintexts you encrypted"));
}
