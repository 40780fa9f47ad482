//! The playground's components mounted into a real DOM and driven by clicks.
#![cfg(target_arch = "wasm32")]

use kms_wasm_tests::{click, mount_fresh, settle, text_of, texts};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
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
    // The root is allowed without any IAM policy: the label says so.
    assert_eq!(
        text_of(&root, "rule"),
        "the root user: no IAM policy needed"
    );

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
        "inaccessible-encryption-credentials",
        "the story's cluster came along, in the state the story left it"
    );
    let so_far = root
        .query_selector("[data-testid=story-so-far]")
        .unwrap()
        .expect("the story's cards stay");
    let steps = kms_core::scenario::builtin::get("aurora-disable-key")
        .unwrap()
        .steps
        .len() as u32;
    assert_eq!(
        so_far
            .query_selector_all("[data-testid=step-result]")
            .unwrap()
            .length(),
        steps
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

/// Clicks "next" `n` times.
async fn play(root: &web_sys::HtmlElement, story: &str, n: usize) {
    click(root, &format!("story-{story}"));
    settle().await;
    for _ in 0..n {
        click(root, "next");
        settle().await;
    }
}

/// The newest card (cards are newest first).
fn newest(root: &web_sys::HtmlElement) -> web_sys::Element {
    root.query_selector("[data-testid=step-result]")
        .unwrap()
        .expect("a card")
}

fn inner_text(card: &web_sys::Element, selector: &str) -> String {
    card.query_selector(selector)
        .unwrap()
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

/// A Decrypt with the wrong context: permission ✓, integrity ✗, the
/// context given beside the one CloudTrail recorded, the differing pair
/// marked, and no green "Allowed" above the red error.
#[wasm_bindgen_test]
async fn a_wrong_context_decrypt_shows_two_layers_and_the_bound_context() {
    let root = mount_fresh(|| view! { <kms_web::App/> });
    // Step 5: values are case-sensitive, ACME is not acme.
    play(&root, "encryption-context", 5).await;
    let card = newest(&root);
    assert!(inner_text(&card, "[data-testid=layer-permission]").starts_with("✓ Permission"));
    assert!(inner_text(&card, "[data-testid=layer-integrity]").starts_with("✗ Integrity"));
    let differing = card
        .query_selector_all("[data-testid=pair-differs]")
        .unwrap();
    assert_eq!(differing.length(), 1, "one pair differs");
    let row = differing
        .item(0)
        .unwrap()
        .text_content()
        .unwrap_or_default();
    assert!(row.contains("ACME") && row.contains("acme"), "{row}");
    assert!(inner_text(&card, "[data-testid=bound-source]").contains("Encrypt"));
    assert!(inner_text(&card, "[data-testid=aws-never-tells]").contains("never tells you"));
    let why = card.query_selector("[data-testid=why]").unwrap().unwrap();
    assert!(
        why.class_list().contains("superseded"),
        "the permission is not shown as a success"
    );
    assert!(!inner_text(&card, ".verdict").starts_with("Allowed "));
}

/// A clock step lists what happened in the interval: RDS's background
/// Decrypt failing, and the cluster's status change.
#[wasm_bindgen_test]
async fn a_clock_step_lists_the_events_and_changes_of_its_interval() {
    let root = mount_fresh(|| view! { <kms_web::App/> });
    play(&root, "aurora-disable-key", 11).await;
    let steps = root
        .query_selector_all("[data-testid=step-result]")
        .unwrap();
    let text = |i: u32| steps.item(i).unwrap().text_content().unwrap_or_default();
    // Newest first: index 0 is step 11, index 1 is step 10.
    let step10 = text(1);
    assert!(
        step10.contains("Decrypt by rds.amazonaws.com → DisabledException"),
        "{step10}"
    );
    let all = format!("{}{}", text(0), text(1));
    assert!(
        all.contains("available → inaccessible-encryption-credentials-recoverable"),
        "{all}"
    );
}

/// A denial's first line is its deciding factor: a grant not yet
/// effective (and the token that works), a grant's context constraint.
#[wasm_bindgen_test]
async fn a_denied_grant_names_what_kept_it_from_applying() {
    let root = mount_fresh(|| view! { <kms_web::App/> });
    play(&root, "grant-constraints", 4).await;
    let headline = inner_text(&newest(&root), "[data-testid=headline]");
    assert!(
        headline.contains("not effective yet") && headline.contains("GrantTokens"),
        "{headline}"
    );
    // The world panel says so beside the grant, too.
    let grants = texts(&root, "[data-testid=grant]").join("\n");
    assert!(
        grants.contains("(in effect at ") && grants.contains("its grant token works before"),
        "{grants}"
    );
    for _ in 0..5 {
        click(&root, "next");
        settle().await;
    }
    let card = newest(&root);
    assert!(inner_text(&card, "[data-testid=headline]").contains("EncryptionContextEquals"));
    let compare = inner_text(&card, "[data-testid=constraint-compare]");
    assert!(
        compare.contains("tenant = acme") && compare.contains("tenant = globex"),
        "{compare}"
    );
}

/// A cross-account decision shows both sides; a failed lockout check is the
/// headline and the PutKeyPolicy permission is not a green success.
#[wasm_bindgen_test]
async fn cross_account_and_lockout_decisions_show_the_side_that_refused() {
    let root = mount_fresh(|| view! { <kms_web::App/> });
    play(&root, "cross-account-snapshot", 9).await;
    let sides = newest(&root)
        .query_selector_all("[data-testid=side]")
        .unwrap();
    let side = |i: u32| sides.item(i).unwrap();
    assert!(sides.length() >= 2);
    assert!(
        side(0)
            .text_content()
            .unwrap_or_default()
            .starts_with("✓ Key policy in production")
    );
    assert!(
        side(1)
            .text_content()
            .unwrap_or_default()
            .starts_with("✗ IAM in staging")
    );

    play(&root, "policy-lockout", 1).await;
    let card = newest(&root);
    let first = card.query_selector("[data-testid=why]").unwrap().unwrap();
    assert!(
        first.class_list().contains("lockout"),
        "the lockout check comes first"
    );
    let headline = inner_text(&card, "[data-testid=headline]");
    assert!(
        headline.contains("lockout safety check fails"),
        "{headline}"
    );
    assert!(
        headline.contains("the root user of production (111122223333) could no longer change it"),
        "the headline names who would be locked out: {headline}"
    );
    // A refused CreateKey creates no key: the check names no key ARN.
    let decision = inner_text(&first, ".decision");
    assert!(
        decision.contains("under the new key policy") && !decision.contains("arn:aws:kms"),
        "{decision}"
    );
    let whys = card.query_selector_all("[data-testid=why]").unwrap();
    for i in 0..whys.length() {
        let why: web_sys::Element = whys.item(i).unwrap().dyn_into().unwrap();
        let green =
            !why.class_list().contains("denied") && !why.class_list().contains("superseded");
        assert!(!green, "no green decision on a failed PutKeyPolicy");
    }
}

/// Cards are keyed: playing a step adds one and leaves what the learner
/// opened in the others open.
#[wasm_bindgen_test]
async fn playing_a_step_keeps_what_the_learner_opened() {
    let root = mount_fresh(|| view! { <kms_web::App/> });
    play(&root, "envelope-encryption", 2).await;
    let opened: web_sys::HtmlDetailsElement = newest(&root)
        .query_selector("details.request")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    opened.set_open(true);
    click(&root, "next");
    settle().await;
    assert!(opened.is_connected(), "the card was not rebuilt");
    assert!(opened.open(), "and its request is still open");
}

/// Free play: a clock move adds a card saying what happened meanwhile.
#[wasm_bindgen_test]
async fn free_play_clock_moves_get_a_card() {
    let root = mount_fresh(|| view! { <kms_web::App/> });
    click(&root, "free-play");
    settle().await;
    click(&root, "clock-1");
    settle().await;
    let interval = inner_text(&newest(&root), "[data-testid=interval]");
    assert!(
        interval.contains("2026-01-05T09:00:00Z") && interval.contains("2026-01-05T09:10:00Z"),
        "{interval}"
    );
    assert!(interval.contains("nothing happened"), "{interval}");
}

/// A finished story shows its recap and a way to the next story.
#[wasm_bindgen_test]
async fn a_finished_story_recaps_and_points_to_the_next() {
    let root = mount_fresh(|| view! { <kms_web::App/> });
    click(&root, "story-envelope-encryption");
    settle().await;
    assert!(
        root.query_selector("[data-testid=recap]")
            .unwrap()
            .is_none()
    );
    click(&root, "run-to-end");
    settle().await;
    assert!(text_of(&root, "recap").contains("data keys"));
    assert!(text_of(&root, "next-story").starts_with("Next story: 2."));
    click(&root, "next-story");
    settle().await;
    assert_eq!(
        root.query_selector("[aria-current=true] .tag")
            .unwrap()
            .and_then(|e| e.text_content())
            .as_deref(),
        Some("2")
    );
}

/// The newest card comes first, however it was added.
#[wasm_bindgen_test]
async fn the_newest_card_comes_first() {
    let root = mount_fresh(|| view! { <kms_web::App/> });
    click(&root, "free-play");
    settle().await;
    click(&root, "send");
    settle().await;
    click(&root, "clock-1");
    settle().await;
    click(&root, "send");
    settle().await;
    let numbers: Vec<usize> = texts(&root, ".step-no")
        .iter()
        .filter_map(|t| t.strip_prefix("Request ")?.parse().ok())
        .collect();
    assert!(numbers.len() >= 3);
    assert!(
        numbers.windows(2).all(|w| w[0] == w[1] + 1),
        "newest first: {numbers:?}"
    );
    play(&root, "envelope-encryption", 3).await;
    assert_eq!(texts(&root, ".step-no"), ["Step 3", "Step 2", "Step 1"]);
}

/// Each request is also shown as the AWS CLI command that makes it.
#[wasm_bindgen_test]
async fn a_request_reads_as_its_cli_command() {
    let root = mount_fresh(|| view! { <kms_web::App/> });
    play(&root, "envelope-encryption", 1).await;
    let cli = inner_text(&newest(&root), "[data-testid=cli] code");
    assert!(cli.starts_with("aws kms create-key"), "{cli}");
    assert!(
        newest(&root)
            .query_selector("[data-testid=cli] button")
            .unwrap()
            .is_some()
    );
}

/// PutKeyPolicy shows the policy it replaces against the new one.
#[wasm_bindgen_test]
async fn put_key_policy_shows_what_it_changes() {
    let root = mount_fresh(|| view! { <kms_web::App/> });
    let step = kms_core::scenario::builtin::get("key-policies")
        .unwrap()
        .steps
        .iter()
        .position(|s| {
            s.request
                .as_ref()
                .is_some_and(|r| r["Action"] == "kms:PutKeyPolicy")
        })
        .unwrap();
    play(&root, "key-policies", step + 1).await;
    let card = newest(&root);
    let added = card
        .query_selector_all("[data-testid=policy-diff] .added")
        .unwrap();
    assert!(added.length() > 0);
    assert!(inner_text(&card, "[data-testid=policy-diff]").contains("\"Deny\""));
}

/// Free play starts with people to act as, and the operations are grouped.
#[wasm_bindgen_test]
async fn free_play_has_people_and_a_grouped_picker() {
    let root = mount_fresh(|| view! { <kms_web::App/> });
    click(&root, "free-play");
    settle().await;
    let world = root
        .query_selector(".world")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap_or_default();
    for who in ["admin", "app", "staging-deploy"] {
        assert!(world.contains(who), "{who} is in the world panel");
    }
    let groups = root
        .query_selector_all("[data-testid=operation] optgroup")
        .unwrap();
    let labels: Vec<String> = (0..groups.length())
        .filter_map(|i| {
            groups
                .item(i)?
                .dyn_into::<web_sys::Element>()
                .ok()?
                .get_attribute("label")
        })
        .collect();
    for family in [
        "KMS: keys",
        "KMS: cryptography",
        "KMS: grants",
        "RDS",
        "IAM and STS",
    ] {
        assert!(labels.iter().any(|l| l == family), "{family} in {labels:?}");
    }
}

fn click_in(scope: &web_sys::Element, id: &str) {
    scope
        .query_selector(&format!("[data-testid={id}]"))
        .unwrap()
        .unwrap()
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap()
        .click();
}

/// The application's side of envelope encryption, in a story: encrypt your
/// own text with the data key, see the stored pair, get the data key back
/// through Decrypt (in a copy of the story's world) and open the data.
#[wasm_bindgen_test]
async fn a_learner_finishes_the_envelope_loop_in_a_story() {
    let root = mount_fresh(|| view! { <kms_web::App/> });
    play(&root, "envelope-encryption", 3).await;
    let before = root
        .query_selector_all("[data-testid=step-result]")
        .unwrap()
        .length();
    let card = newest(&root);
    let input: web_sys::HtmlInputElement = card
        .query_selector("[data-testid=local-text]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    input.set_value("my own secret");
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
    click_in(&card, "local-encrypt");
    settle().await;
    let stored = inner_text(&card, "[data-testid=local-stored]");
    assert!(
        !stored.contains("my own secret"),
        "only ciphertext is stored"
    );
    click_in(&card, "local-decrypt");
    settle().await;
    let result = inner_text(&card, "[data-testid=local-result]");
    assert!(result.contains("my own secret"), "{result}");
    assert_eq!(
        root.query_selector_all("[data-testid=step-result]")
            .unwrap()
            .length(),
        before,
        "the story did not change"
    );
}

/// In free play the Decrypt is a real call: a new card, and after
/// DisableKey the data stays sealed.
#[wasm_bindgen_test]
async fn in_free_play_the_envelope_loop_decrypts_for_real() {
    use kms_wasm_tests::choose;
    let root = mount_fresh(|| view! { <kms_web::App/> });
    click(&root, "free-play");
    settle().await;
    click(&root, "send");
    settle().await;
    choose(&root, "operation", "kms:GenerateDataKey");
    settle().await;
    click(&root, "send");
    settle().await;
    let cards = || {
        root.query_selector_all("[data-testid=step-result]")
            .unwrap()
            .length()
    };
    let before = cards();
    let lo = root
        .query_selector("[data-testid=local-loop]")
        .unwrap()
        .unwrap();
    click_in(&lo, "local-encrypt");
    settle().await;
    click_in(&lo, "local-decrypt");
    settle().await;
    let lo = root
        .query_selector("[data-testid=local-loop]")
        .unwrap()
        .unwrap();
    assert!(inner_text(&lo, "[data-testid=local-result]").contains("Alice, Bob, Charlie"));
    assert_eq!(cards(), before + 1, "the Decrypt is a card of its own");

    choose(&root, "operation", "kms:DisableKey");
    settle().await;
    click(&root, "send");
    settle().await;
    let lo = root
        .query_selector("[data-testid=local-loop]")
        .unwrap()
        .unwrap();
    click_in(&lo, "local-decrypt");
    settle().await;
    let lo = root
        .query_selector("[data-testid=local-loop]")
        .unwrap()
        .unwrap();
    let result = inner_text(&lo, "[data-testid=local-result]");
    assert!(result.contains("DisabledException"), "{result}");
}

/// Undo in free play removes the newest card and what it did.
#[wasm_bindgen_test]
async fn free_play_undoes_the_newest_card() {
    let root = mount_fresh(|| view! { <kms_web::App/> });
    click(&root, "free-play");
    settle().await;
    let cards = || {
        root.query_selector_all("[data-testid=step-result]")
            .unwrap()
            .length()
    };
    let before = cards();
    click(&root, "clock-1");
    settle().await;
    assert_eq!(text_of(&root, "clock"), "2026-01-05T09:10:00Z");
    click(&root, "undo");
    settle().await;
    assert_eq!(cards(), before);
    assert_eq!(
        text_of(&root, "clock"),
        "2026-01-05T09:00:00Z",
        "the clock went back"
    );
}

/// A week of RDS's failing background checks is one line with a count.
#[wasm_bindgen_test]
async fn repeated_events_of_an_interval_are_counted_not_listed() {
    let root = mount_fresh(|| view! { <kms_web::App/> });
    let step = kms_core::scenario::builtin::get("aurora-disable-key")
        .unwrap()
        .steps
        .iter()
        .position(|s| s.advance.as_deref() == Some("7d"))
        .unwrap();
    play(&root, "aurora-disable-key", step + 1).await;
    let card = newest(&root);
    let lines = card
        .query_selector_all("[data-testid=interval-event]")
        .unwrap();
    assert!(lines.length() <= 3, "{} lines", lines.length());
    assert!(inner_text(&card, "[data-testid=interval]").contains(" times:"));
}

/// The world panel and the audit trail are keyed lists too: a key policy
/// or an event the learner opened stays open while the story goes on, and
/// an event's JSON is written only once it is opened.
#[wasm_bindgen_test]
async fn the_world_and_the_trail_keep_what_the_learner_opened() {
    let root = mount_fresh(|| view! { <kms_web::App/> });
    let details = |selector: &str| -> web_sys::HtmlDetailsElement {
        root.query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("no {selector}"))
            .dyn_into()
            .unwrap()
    };
    // CreateKey; the learner opens its policy; CreateAlias changes the key's
    // card, which is rebuilt with its policy still open.
    play(&root, "envelope-encryption", 1).await;
    details("[data-testid=key-card] details.policy").set_open(true);
    settle().await;
    click(&root, "next");
    settle().await;
    let policy = details("[data-testid=key-card] details.policy");
    assert!(policy.open(), "a changed key's card keeps its policy open");
    // Then GenerateDataKey changes nothing the key's card shows.
    details("details.audit").set_open(true);
    settle().await;
    let event = details("[data-testid=audit-event-row] details");
    assert!(
        event.query_selector("pre").unwrap().is_none(),
        "a closed event has no JSON yet"
    );
    event.set_open(true);
    settle().await;
    let json = event
        .query_selector("pre")
        .unwrap()
        .and_then(|p| p.text_content())
        .unwrap_or_default();
    assert!(json.contains("\"eventName\""), "{json}");

    click(&root, "next");
    settle().await;
    assert!(
        policy.is_connected() && policy.open(),
        "the key policy stays open"
    );
    assert!(event.is_connected() && event.open(), "the event stays open");
    assert!(
        count_rows(&root) > 1,
        "the trail shows the new step's events too"
    );
    // Events are numbered by their place in the trail, newest first.
    let newest = root
        .query_selector("[data-testid=audit-event-row]")
        .unwrap()
        .unwrap();
    assert_eq!(
        newest.get_attribute("value"),
        Some(count_rows(&root).to_string())
    );
    // The key filter names keys as the world panel does, not by a cut ARN.
    let options = text_of(&root, "audit-key");
    assert!(options.contains("(alias/"), "{options}");
    assert!(!options.contains("arn:aws:kms"), "{options}");
}

fn count_rows(root: &web_sys::HtmlElement) -> u32 {
    root.query_selector_all("[data-testid=audit-event-row]")
        .unwrap()
        .length()
}

/// A refused PutKeyPolicy replaced nothing: its card shows no diff.
#[wasm_bindgen_test]
async fn a_refused_put_key_policy_shows_no_diff() {
    let root = mount_fresh(|| view! { <kms_web::App/> });
    play(&root, "policy-lockout", 3).await; // step 3: the root, locked out, is refused
    let card = newest(&root);
    assert!(
        card.query_selector("[data-testid=step-error]")
            .unwrap()
            .is_some()
    );
    assert!(
        card.query_selector("[data-testid=policy-diff]")
            .unwrap()
            .is_none()
    );
    play(&root, "policy-lockout", 5).await; // step 5: the administrator's PutKeyPolicy succeeds
    assert!(
        newest(&root)
            .query_selector("[data-testid=policy-diff]")
            .unwrap()
            .is_some()
    );
}
