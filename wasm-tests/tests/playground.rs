//! The playground's sharing, deep links, embed mode and world panels, in a
//! real browser: links written and opened, hostile links refused, the
//! policy editor, the psql prompt, the audit trail, the envelope.
#![cfg(target_arch = "wasm32")]

use kms_wasm_tests::*;
use leptos::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn app() -> impl IntoView {
    view! { <kms_web::App/> }
}

fn count(root: &web_sys::HtmlElement, id: &str) -> u32 {
    root.query_selector_all(&format!("[data-testid=\"{id}\"]"))
        .map(|l| l.length())
        .unwrap_or(0)
}

fn steps_text(root: &web_sys::HtmlElement) -> String {
    root.query_selector(".steps")
        .ok()
        .flatten()
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn a_share_link_restores_the_same_world_ciphertexts_included() {
    let root = mount_fresh(app);
    click(&root, "free-play");
    settle().await;
    click(&root, "send");
    wait_for("the world link", || fragment().starts_with("world=v1.")).await;
    // A clock move is a card too, and comes back with the link.
    let created = fragment();
    click(&root, "clock-1");
    wait_for("the link to follow the clock", || fragment() != created).await;
    let first = fragment();
    choose(&root, "operation", "kms:Encrypt");
    settle().await;
    click(&root, "send");
    settle().await;
    assert!(!has(&root, "step-error"), "{}", steps_text(&root));
    assert!(has(&root, "envelope"), "Encrypt is drawn as an envelope");
    wait_for("the link to follow the world", || fragment() != first).await;
    let link = fragment();
    assert_eq!(saved_session().as_deref(), Some(link.as_str()));

    let again = mount_at(&format!("#{link}"), app);
    wait_for("the shared world", || has(&again, "free")).await;
    assert_eq!(text_of(&again, "clock"), text_of(&root, "clock"));
    assert_eq!(
        steps_text(&again),
        steps_text(&root),
        "same requests, same responses, byte for byte"
    );
}

#[wasm_bindgen_test]
async fn hostile_or_damaged_links_are_refused_with_a_reason() {
    let not_a_log = kms_web::share::pack(r#"{"Format": 1, "Colour": "red"}"#)
        .await
        .unwrap();
    let future = kms_web::share::pack(
        &r#"{"Format": 99, "CoreVersion": "9.0.0", "Seed": "SEED", "Start": 0, "Entries": []}"#
            .replace("SEED", &"00".repeat(32)),
    )
    .await
    .unwrap();
    for (link, needle) in [
        ("#world=v1.AAAA".to_string(), "does not unpack"),
        ("#world=v7.AAAA".to_string(), "packed as `v7`"),
        ("#world=v1.@@@".to_string(), "base64url"),
        ("#world=nodot".to_string(), "packing version"),
        (format!("#world={not_a_log}"), "not a playground log"),
        (format!("#world={future}"), "log format 99"),
        (
            "#scenario=teleport".to_string(),
            "no built-in story `teleport`",
        ),
        ("#scenario=aliases&step=two".to_string(), "whole number"),
        ("#scenario=aliases&world=v1.x".to_string(), "more than one"),
    ] {
        fresh_page();
        let root = mount_at(&link, app);
        wait_for(&format!("a message for {link}"), || has(&root, "banner")).await;
        let banner = text_of(&root, "banner");
        assert!(banner.contains(needle), "{link}: {banner}");
        assert!(has(&root, "welcome"), "{link}: nothing else was opened");
    }
}

#[wasm_bindgen_test]
async fn deep_links_open_a_story_at_a_step_and_reload_keeps_it() {
    fresh_page();
    let root = mount_at("?scenario=aurora-disable-key&step=3", app);
    settle().await;
    let total = kms_core::scenario::builtin::get("aurora-disable-key")
        .unwrap()
        .steps
        .len();
    assert_eq!(
        text_of(&root, "progress"),
        format!("3 of {total} steps · 3 as expected")
    );
    click(&root, "next");
    settle().await;
    wait_for("the session saved", || {
        saved_session().as_deref() == Some("scenario=aurora-disable-key&step=4")
    })
    .await;
    // A step past the end opens the story at its end, and says so.
    fresh_page();
    let past = mount_at("?scenario=aliases&step=999", app);
    settle().await;
    assert!(text_of(&past, "progress").starts_with(&{
        let n = kms_core::scenario::builtin::get("aliases")
            .unwrap()
            .steps
            .len();
        format!("{n} of {n} steps")
    }));
    assert!(text_of(&past, "banner").contains("shown at its end"));
    fresh_page();
    let root = mount_at("?scenario=aurora-disable-key&step=3", app);
    settle().await;
    click(&root, "next");
    settle().await;
    wait_for("the session saved", || {
        saved_session().as_deref() == Some("scenario=aurora-disable-key&step=4")
    })
    .await;
    // A reload (a new page at a bare address) opens the saved session.
    let reloaded = mount_at("", app);
    settle().await;
    assert_eq!(
        text_of(&reloaded, "progress"),
        format!("4 of {total} steps · 4 as expected")
    );
}

#[wasm_bindgen_test]
async fn embed_mode_shows_the_story_without_chrome() {
    fresh_page();
    let root = mount_at("?embed&scenario=aliases&step=1", app);
    settle().await;
    assert!(has(&root, "story"));
    assert!(!has(&root, "story-aliases"), "no story list");
    assert!(!has(&root, "share"), "no share tools");
    assert!(!has(&root, "experiment"));
    wait_for("the link out", || {
        has(&root, "open-in-playground")
            && root
                .query_selector("[data-testid=open-in-playground]")
                .ok()
                .flatten()
                .and_then(|a| a.get_attribute("href"))
                .is_some_and(|h| h.ends_with("#scenario=aliases&step=1"))
    })
    .await;
    assert_eq!(saved_session(), None, "an embedded story is not saved");
}

#[wasm_bindgen_test]
async fn the_policy_editor_shows_aws_errors_inline_and_saves_valid_policies() {
    let root = mount_fresh(app);
    click(&root, "free-play");
    settle().await;
    click(&root, "send");
    settle().await;
    click(&root, "policy-edit");
    settle().await;
    assert!(text_of(&root, "policy-editor").contains("Key policy of"));
    type_into(&root, "policy-draft", "{\"Version\": \"2012-10-17\"");
    settle().await;
    click(&root, "policy-save");
    settle().await;
    assert!(
        text_of(&root, "policy-error").starts_with("MalformedPolicyDocumentException"),
        "{}",
        text_of(&root, "policy-error")
    );
    // A policy that allows nobody to change it again: the lockout check.
    type_into(
        &root,
        "policy-draft",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:Decrypt","Resource":"*"}]}"#,
    );
    settle().await;
    click(&root, "policy-save");
    settle().await;
    assert!(text_of(&root, "policy-error").starts_with("MalformedPolicyDocumentException"));
    assert!(text_of(&root, "policy-error").contains("will not allow you to update the key policy"));
}

#[wasm_bindgen_test]
async fn psql_audit_trail_and_console_form_work_on_a_story_world() {
    // Step 18: the cluster has recovered, and the story's queries against
    // the disabled key have failed on the way.
    fresh_page();
    let root = mount_at("?scenario=aurora-disable-key&step=18", app);
    wait_for("the story", || has(&root, "story")).await;
    click(&root, "experiment");
    settle().await;

    type_into(&root, "psql-input", "SELECT * FROM users");
    click(&root, "psql-run");
    settle().await;
    let output = text_of(&root, "psql-output");
    assert!(
        output.contains("Alice") && output.contains("(4 rows)"),
        "{output}"
    );

    // The trail: every event, then only the failed ones (the story's
    // queries against the disabled key failed).
    let all = text_of(&root, "audit-count");
    choose(&root, "audit-errors", "on");
    settle().await;
    let failed = text_of(&root, "audit-count");
    assert_ne!(all, failed);
    assert!(count(&root, "audit-event-row") > 0);
    let rows = root.query_selector_all(".events .failed").unwrap().length();
    assert_eq!(
        rows,
        count(&root, "audit-event-row"),
        "only failures listed"
    );

    // The form is a view of the JSON: choosing an operation fills it in.
    choose(&root, "operation", "kms:ScheduleKeyDeletion");
    settle().await;
    let field = root
        .query_selector("[data-testid=field-PendingWindowInDays]")
        .unwrap()
        .unwrap();
    assert_eq!(
        field
            .dyn_ref::<web_sys::HtmlInputElement>()
            .map(|i| i.value())
            .as_deref(),
        Some("7")
    );
}

#[wasm_bindgen_test]
async fn the_envelope_labels_every_field_of_the_blob() {
    let root = mount_fresh(app);
    click(&root, "story-envelope-encryption");
    settle().await;
    click(&root, "run-to-end");
    settle().await;
    assert!(count(&root, "envelope") >= 2);
    assert!(
        has(&root, "envelope-data-key"),
        "GenerateDataKey shows the data key"
    );
    assert_eq!(text_of(&root, "envelope-version"), "backing-key version 1");
    let rows = root
        .query_selector(".blob-fields tbody")
        .unwrap()
        .unwrap()
        .child_element_count();
    assert_eq!(rows, 10, "every field of the format, labelled");
    assert!(
        text_of(&root, "blob-format-note").contains("AWS does not document"),
        "the blob's layout is labelled as the simulator's own"
    );
    // The arrow into "Encrypted data" starts at the plaintext data key.
    let data_key = root
        .query_selector("[data-testid=envelope-data-key]")
        .unwrap()
        .unwrap();
    let after_arrow = data_key
        .next_element_sibling()
        .and_then(|arrow| arrow.next_element_sibling())
        .and_then(|b| b.get_attribute("data-testid"));
    assert_eq!(after_arrow.as_deref(), Some("envelope-encrypted-data"));

    // A plaintext that is text reads as text; its hex is a click away.
    let text = mount_fresh(app);
    click(&text, "story-encryption-context");
    settle().await;
    click(&text, "run-to-end");
    settle().await;
    let codes = text
        .query_selector_all("[data-testid=envelope-plaintext] > code")
        .unwrap();
    let shown: Vec<String> = (0..codes.length())
        .filter_map(|i| codes.item(i)?.text_content())
        .collect();
    assert!(
        shown.iter().any(|t| t == "Invoice #42 - 1200 EUR"),
        "{shown:?}"
    );
}

use wasm_bindgen::JsCast;

/// After a key is deleted for good, the form still names it (KMS then says
/// it does not exist), not a made-up alias.
#[wasm_bindgen_test]
async fn the_form_names_a_deleted_key_not_a_made_up_alias() {
    let root = mount_fresh(app);
    click(&root, "free-play");
    settle().await;
    click(&root, "send");
    settle().await;
    choose(&root, "operation", "kms:ScheduleKeyDeletion");
    settle().await;
    click(&root, "send");
    settle().await;
    click(&root, "clock-5"); // the next event: the deletion
    settle().await;
    choose(&root, "operation", "kms:CancelKeyDeletion");
    settle().await;
    let key = root
        .query_selector("[data-testid=field-KeyId]")
        .unwrap()
        .and_then(|f| f.dyn_ref::<web_sys::HtmlInputElement>().map(|i| i.value()))
        .unwrap_or_default();
    assert!(!key.starts_with("alias/"), "{key}");
    click(&root, "send");
    settle().await;
    let steps = steps_text(&root);
    assert!(
        steps.contains("NotFoundException") && steps.contains("does not exist"),
        "{steps}"
    );
}

/// A page that unmounts the playground (a docs page swapping it out) keeps
/// its window: the playground's listeners go with it. One left behind
/// would follow the address and the arrow keys into state that is gone.
#[wasm_bindgen_test]
async fn an_unmounted_playground_leaves_the_window_alone() {
    let root = mount_fresh(app);
    click(&root, "story-aliases");
    settle().await;
    assert!(has(&root, "story"));
    fresh_page(); // unmounts it
    let window = web_sys::window().unwrap();
    let errors = std::rc::Rc::new(std::cell::RefCell::new(Vec::<String>::new()));
    let heard = std::rc::Rc::new(std::cell::Cell::new(false));
    let on_error = {
        let errors = errors.clone();
        wasm_bindgen::closure::Closure::<dyn Fn(web_sys::ErrorEvent)>::new(
            move |e: web_sys::ErrorEvent| errors.borrow_mut().push(e.message()),
        )
    };
    let on_hash = {
        let heard = heard.clone();
        wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || heard.set(true))
    };
    window
        .add_event_listener_with_callback("error", on_error.as_ref().unchecked_ref())
        .unwrap();
    window
        .add_event_listener_with_callback("hashchange", on_hash.as_ref().unchecked_ref())
        .unwrap();
    window
        .location()
        .set_hash("scenario=envelope-encryption")
        .unwrap();
    wait_for("the hashchange", || heard.get()).await;
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("ArrowRight");
    let key = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    window.dispatch_event(&key).unwrap();
    settle().await;
    window
        .remove_event_listener_with_callback("error", on_error.as_ref().unchecked_ref())
        .unwrap();
    window
        .remove_event_listener_with_callback("hashchange", on_hash.as_ref().unchecked_ref())
        .unwrap();
    assert!(errors.borrow().is_empty(), "{:?}", errors.borrow());
    // Nothing was opened or written: the address is as the test left it,
    // and a new playground starts from it.
    assert_eq!(fragment(), "scenario=envelope-encryption");
    let again = mount_at("", app);
    settle().await;
    assert!(has(&again, "story-envelope-encryption"));
    mount_at("", || ());
}
