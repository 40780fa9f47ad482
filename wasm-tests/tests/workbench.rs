//! The policy workbench, mounted into a real DOM and driven as a learner
//! would: paste the seed article's Terraform, read the refusal, fix the
//! account id, read the advisor, open a cell of the access matrix, and ask
//! what a draft policy would open.
#![cfg(target_arch = "wasm32")]

use kms_wasm_tests::{click, has, mount_fresh, settle, text_of, texts, type_into, wait_for};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The matrix cell whose label starts with `label` (`user/CPI-HIGA kms:DisableKey:`).
fn cell(root: &web_sys::HtmlElement, label: &str) -> web_sys::HtmlElement {
    root.query_selector(&format!("[data-testid=\"cell\"][aria-label^=\"{label}\"]"))
        .unwrap()
        .unwrap_or_else(|| panic!("no cell {label}"))
        .unchecked_into()
}

/// The concerns of the advisor's findings below `scope`, in order.
fn concerns(scope: &web_sys::Element) -> Vec<String> {
    let found = scope
        .query_selector_all("[data-testid=\"finding\"]")
        .unwrap();
    (0..found.length())
        .filter_map(|i| {
            found
                .item(i)?
                .dyn_into::<web_sys::Element>()
                .ok()?
                .get_attribute("data-concern")
        })
        .collect()
}

/// The value of the textarea `data-testid="<id>"`.
fn value_of(root: &web_sys::HtmlElement, id: &str) -> String {
    root.query_selector(&format!("[data-testid=\"{id}\"]"))
        .unwrap()
        .unwrap()
        .unchecked_into::<web_sys::HtmlTextAreaElement>()
        .value()
}

#[wasm_bindgen_test]
async fn the_seed_is_refused_where_its_placeholder_stands_then_built_and_advised() {
    let root = mount_fresh(|| view! { <kms_workbench::Workbench/> });
    click(&root, "example");
    settle().await;
    click(&root, "build");
    settle().await;
    let error = text_of(&root, "terraform-error");
    assert!(error.contains("line 20, column 31"), "{error}");
    assert!(error.contains("[アカウントID]"), "{error}");
    // The refused line is shown with a caret under the placeholder.
    assert!(error.contains("20 |") && error.contains('^'), "{error}");
    assert!(!has(&root, "built"));

    // The refusal offers to put the Account id field's id in place of the
    // placeholder, which is what a learner typing it there means.
    type_into(&root, "account", "123");
    settle().await;
    let offer = text_of(&root, "terraform-error");
    assert!(offer.contains("type a 12-digit account id"), "{offer}");
    type_into(&root, "account", "111122223333");
    settle().await;
    let offer = text_of(&root, "put-account");
    assert!(
        offer.contains("Put 111122223333 in place of every [アカウントID]"),
        "{offer}"
    );
    click(&root, "put-account");
    settle().await;
    assert!(!has(&root, "terraform-error"));
    let text = value_of(&root, "terraform");
    assert!(!text.contains("[アカウントID]"), "{text}");
    assert!(text.contains("arn:aws:iam::111122223333:user/CPI-HIGA"));
    let built = text_of(&root, "built");
    assert!(built.contains("aws_kms_key.higa_WordPress_KMS"), "{built}");
    assert!(built.contains("kms:CreateAlias"), "{built}");
    // The advisor names the article's three dangers.
    let concerns = concerns(&root);
    for concern in [
        "UsersMayDisableOrDelete",
        "NoSeparation",
        "GrantsNotOnlyForServices",
    ] {
        assert!(
            concerns.iter().any(|c| c == concern),
            "{concern} not in {concerns:?}"
        );
    }
    // The link to play the built world as a story is packed asynchronously.
    wait_for("the story link", || has(&root, "play-story")).await;
}

#[wasm_bindgen_test]
async fn a_matrix_cell_opens_its_trace_and_a_draft_shows_what_it_opens() {
    let root = mount_fresh(|| view! { <kms_workbench::Workbench/> });
    type_into(
        &root,
        "terraform",
        &kms_workbench::example().replace("[アカウントID]", "111122223333"),
    );
    settle().await;
    click(&root, "build");
    settle().await;
    let cells = root.query_selector_all("[data-testid=\"cell\"]").unwrap();
    // Two principals (the root, CPI-HIGA) by every key action policies decide.
    assert_eq!(
        cells.length() as usize,
        2 * kms_core::workbench::matrix_actions().len()
    );
    let labels = texts(&root, "[data-testid=\"matrix\"] th[scope=\"row\"]");
    assert_eq!(labels, ["root", "user/CPI-HIGA"]);
    // CPI-HIGA's DisableKey cell: allowed, by the key policy.
    let disable = cell(&root, "user/CPI-HIGA kms:DisableKey:");
    assert!(disable.class_name().contains("allowed"));
    disable.click();
    settle().await;
    let trace = text_of(&root, "cell-trace");
    assert!(trace.contains("kms:DisableKey"), "{trace}");
    // The chosen cell is marked, and only it.
    let pressed = root
        .query_selector_all("[data-testid=\"cell\"][aria-pressed=\"true\"]")
        .unwrap();
    assert_eq!(pressed.length(), 1);
    assert_eq!(
        disable.get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    assert!(disable.class_name().contains("chosen"));
    assert!(
        trace.contains("Allow access for Key Administrators"),
        "{trace}"
    );

    // A draft without the administrators' statement takes DisableKey away
    // from CPI-HIGA, before anything is saved.
    let policy = serde_json::json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
         "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
        {"Sid": "Allow use of the key", "Effect": "Allow",
         "Principal": {"AWS": "arn:aws:iam::111122223333:user/CPI-HIGA"},
         "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
         "Resource": "*"}]});
    type_into(&root, "draft", &policy.to_string());
    settle().await;
    click(&root, "what-if");
    settle().await;
    let changes = texts(&root, "[data-testid=\"draft-changes\"] li");
    assert!(
        changes
            .iter()
            .any(|c| c.starts_with("closes: user/CPI-HIGA kms:DisableKey")),
        "{changes:?}"
    );
    assert!(
        changes.iter().all(|c| c.starts_with("closes:")),
        "{changes:?}"
    );
    // The list in one sentence above it.
    let summary = text_of(&root, "draft-summary");
    assert!(
        summary.starts_with(&format!("{} decisions change for ", changes.len()))
            && summary.ends_with(&format!(": 0 open, {} close.", changes.len())),
        "{summary}"
    );
}

#[wasm_bindgen_test]
async fn a_fix_goes_into_the_draft_and_the_what_if_answers_with_it() {
    let root = mount_fresh(|| view! { <kms_workbench::Workbench/> });
    type_into(
        &root,
        "terraform",
        &kms_workbench::example().replace("[アカウントID]", "111122223333"),
    );
    settle().await;
    click(&root, "build");
    settle().await;
    // The first finding (users may disable or delete) has a fix: it goes
    // into the draft, without kms:Disable*.
    click(&root, "apply-fix");
    settle().await;
    let draft = value_of(&root, "draft");
    assert!(
        !draft.contains("kms:Disable*") && draft.contains("kms:Decrypt"),
        "{draft}"
    );

    let ask = |action: &str, with_draft: bool| {
        kms_wasm_tests::choose(&root, "what-if-action", action);
        kms_wasm_tests::choose(
            &root,
            "what-if-draft",
            if with_draft { "on" } else { "off" },
        );
        click(&root, "what-if-ask");
    };
    type_into(
        &root,
        "what-if-principal",
        "arn:aws:iam::111122223333:user/CPI-HIGA",
    );
    // The answer says the question it answers, then the decision.
    let answer = || {
        let question = text_of(&root, "what-if-question");
        let text = text_of(&root, "what-if-answer");
        let decision = text.strip_prefix(&question).unwrap_or(&text).to_string();
        (question, decision)
    };
    ask("kms:DisableKey", false);
    settle().await;
    let (question, decision) = answer();
    assert_eq!(question, "user/CPI-HIGA kms:DisableKey");
    assert!(decision.starts_with("Allowed"), "{decision}");
    ask("kms:DisableKey", true);
    settle().await;
    let (question, decision) = answer();
    assert_eq!(
        question,
        "user/CPI-HIGA kms:DisableKey, with the draft saved"
    );
    assert!(decision.starts_with("Denied"), "{decision}");
    // Another question clears the answer to the last one.
    kms_wasm_tests::choose(&root, "what-if-via", "rds.amazonaws.com");
    settle().await;
    assert!(!has(&root, "what-if-answer"));
    click(&root, "what-if-ask");
    settle().await;
    let (question, _) = answer();
    assert_eq!(
        question,
        "user/CPI-HIGA kms:DisableKey through rds.amazonaws.com, with the draft saved"
    );
    kms_wasm_tests::choose(&root, "what-if-via", "");
    // A context it cannot read is said, not guessed.
    type_into(&root, "what-if-context", "app");
    ask("kms:Decrypt", false);
    settle().await;
    assert!(text_of(&root, "what-if-error").contains("not key=value"));
}

#[wasm_bindgen_test]
async fn an_identity_policy_is_advised_and_its_draft_shows_what_it_closes() {
    let root = mount_fresh(|| view! { <kms_workbench::Workbench/> });
    let text = r#"
resource "aws_kms_key" "app" {}

resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "sts:AssumeRole" }] })
}

resource "aws_iam_role_policy" "app" {
  name   = "use-key"
  role   = aws_iam_role.app.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = ["kms:Decrypt", "kms:Encrypt", "kms:DisableKey"], Resource = aws_kms_key.app.arn }] })
}
"#;
    type_into(&root, "terraform", text);
    settle().await;
    click(&root, "build");
    settle().await;
    let identity = root
        .query_selector("[data-testid=\"identity\"]")
        .unwrap()
        .expect("the role's policy is shown");
    let concerns = concerns(&identity);
    assert_eq!(concerns, ["UsersMayDisableOrDelete"]);
    // The fix (no DisableKey) into the draft, then: what it closes.
    identity
        .query_selector("[data-testid=\"apply-fix\"]")
        .unwrap()
        .unwrap()
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap()
        .click();
    settle().await;
    click(&root, "identity-what-if");
    settle().await;
    let changes = texts(&root, "[data-testid=\"identity-changes\"] li");
    assert_eq!(
        changes,
        ["closes: role/app kms:DisableKey on aws_kms_key.app"],
        "{changes:?}"
    );
}

#[wasm_bindgen_test]
async fn a_challenge_is_tried_wrong_then_solved_with_hints_and_remembered() {
    let root = mount_fresh(|| view! { <kms_workbench::Workbench/> });
    click(&root, "tab-challenges");
    click(&root, "challenge-challenge-wrong-context");
    settle().await;
    assert!(text_of(&root, "task").contains("purpose=invoices"));
    // The solution is offered only after a first attempt.
    let solution_button = root
        .query_selector("[data-testid=\"show-solution\"]")
        .unwrap()
        .unwrap()
        .dyn_into::<web_sys::HtmlButtonElement>()
        .unwrap();
    assert!(solution_button.disabled());
    // The starting request fails, and says why.
    click(&root, "check");
    settle().await;
    let attempt = text_of(&root, "attempt");
    assert!(attempt.starts_with("Not yet"), "{attempt}");
    assert!(attempt.contains("InvalidCiphertextException"), "{attempt}");
    // With the pair that differs, as in the playground.
    assert!(
        has(&root, "integrity") && has(&root, "pair-differs"),
        "{attempt}"
    );
    // Hints, one at a time.
    click(&root, "hint");
    settle().await;
    assert_eq!(texts(&root, "[data-testid=\"hints\"] li").len(), 1);
    // Fixed by hand: solved, and remembered.
    let fixed = r#"{"Action": "kms:Decrypt", "Parameters": {"CiphertextBlob": "${blob}",
        "EncryptionContext": {"purpose": "invoices", "tenant": "acme"}}}"#;
    type_into(&root, "edit-0", fixed);
    settle().await;
    click(&root, "check");
    settle().await;
    let attempt = text_of(&root, "attempt");
    assert!(attempt.starts_with("Solved"), "{attempt}");
    assert!(
        kms_web::browser::load("kms-playground-challenges-solved")
            .is_some_and(|s| s.contains("challenge-wrong-context"))
    );
    assert!(text_of(&root, "challenge-challenge-wrong-context").contains('✓'));
    assert!(!solution_button.disabled());
}

#[wasm_bindgen_test]
async fn a_challenge_reads_with_its_names_not_its_variables() {
    let root = mount_fresh(|| view! { <kms_workbench::Workbench/> });
    click(&root, "tab-challenges");
    click(&root, "challenge-challenge-app-without-disable");
    settle().await;
    let label = texts(&root, ".wb-editable").join(" ");
    assert!(
        label.starts_with("Edit the key policy of ") && !label.contains("${"),
        "{label}"
    );
    // The solution, once offered, reads with the account's id.
    click(&root, "check");
    settle().await;
    click(&root, "show-solution");
    settle().await;
    let solution = value_of(&root, "edit-0");
    assert!(
        solution.contains("arn:aws:iam::111122223333:role/App") && !solution.contains("${"),
        "{solution}"
    );
}

#[wasm_bindgen_test]
async fn a_docs_authors_challenge_opens_by_url_and_a_broken_one_says_why() {
    let file = serde_json::json!({
        "Id": "my-challenge", "Title": "Encrypt as the root", "Summary": "A docs author's challenge.",
        "Accounts": [{"Id": "111122223333", "Name": "production"}],
        "Setup": [{"Request": {"Action": "kms:CreateKey", "Parameters": {}}, "Save": {"key": "/KeyMetadata/KeyId"}}],
        "Steps": [],
        "Challenge": {"Level": "easy", "Task": "Write an Encrypt request for ${key}.",
            "Editable": [{"Request": {"Start": {"Action": "kms:DescribeKey", "Parameters": {"KeyId": "${key}"}}}}],
            "Checks": [{"Narration": "The key is enabled", "Checks": [{"KeyState": {"Key": "${key}", "Equals": "Enabled"}}]}],
            "Solution": ["{\"Action\": \"kms:Encrypt\", \"Parameters\": {\"KeyId\": \"${key}\", \"Plaintext\": \"aGk=\"}}"]}
    });
    let url = format!(
        "data:application/json,{}",
        kms_web::browser::encode(&file.to_string())
    );
    let address = format!("#challenge-url={}", kms_web::browser::encode(&url));
    kms_wasm_tests::fresh_page();
    let root = kms_wasm_tests::mount_at(&address, || view! { <kms_workbench::Workbench/> });
    wait_for("the challenge file", || has(&root, "challenge")).await;
    assert!(text_of(&root, "task").contains("Write an Encrypt request for "));
    assert!(!text_of(&root, "task").contains("${key}"));

    let broken = format!(
        "data:application/json,{}",
        kms_web::browser::encode("{\"Id\": 1}")
    );
    let address = format!("#challenge-url={}", kms_web::browser::encode(&broken));
    let root = kms_wasm_tests::mount_at(&address, || view! { <kms_workbench::Workbench/> });
    wait_for("the refusal", || has(&root, "challenge-problem")).await;
    assert!(text_of(&root, "challenge-problem").contains("cannot be opened"));
    kms_wasm_tests::mount_at("", || ());
}

#[wasm_bindgen_test]
async fn a_grant_is_in_effect_and_a_lockout_draft_is_flagged() {
    let root = mount_fresh(|| view! { <kms_workbench::Workbench/> });
    let text = r#"
resource "aws_kms_key" "k" {}
resource "aws_iam_role" "worker" {
  name               = "worker"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "sts:AssumeRole" }] })
}
resource "aws_kms_grant" "g" {
  key_id            = aws_kms_key.k.key_id
  grantee_principal = aws_iam_role.worker.arn
  operations        = ["Decrypt"]
}
"#;
    type_into(&root, "terraform", text);
    settle().await;
    click(&root, "build");
    settle().await;
    let decrypt = cell(&root, "role/worker kms:Decrypt:");
    assert!(
        decrypt.class_name().contains("allowed"),
        "{:?}",
        decrypt.get_attribute("aria-label")
    );
    // A draft without the root: the lockout check would refuse it.
    let draft = serde_json::json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/worker"}, "Action": "kms:Decrypt", "Resource": "*"}]});
    type_into(&root, "draft", &draft.to_string());
    settle().await;
    click(&root, "what-if");
    settle().await;
    assert!(text_of(&root, "draft-locks-out").contains("lockout"));
}

#[wasm_bindgen_test]
async fn an_embedded_challenge_shows_only_the_challenge() {
    kms_wasm_tests::fresh_page();
    let root = kms_wasm_tests::mount_at("?embed#challenge=challenge-recover-cluster", || {
        view! { <kms_workbench::Workbench/> }
    });
    settle().await;
    let visible = |id: &str| {
        root.query_selector(&format!("[data-testid=\"{id}\"]"))
            .unwrap()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            .is_some_and(|e| e.offset_parent().is_some())
    };
    assert!(visible("challenge") && visible("check"));
    assert!(!visible("tab-challenges") && !visible("challenge-challenge-wrong-context"));
    assert!(text_of(&root, "task").contains("inaccessible-encryption-credentials-recoverable"));
    kms_wasm_tests::mount_at("", || ());
}

/// Playing the built world in the playground and coming Back: the
/// configuration, the account id and the built world are as they were.
#[wasm_bindgen_test]
async fn coming_back_to_the_workbench_keeps_the_pasted_configuration() {
    let root = mount_fresh(|| view! { <kms_workbench::Workbench/> });
    let fixed = kms_workbench::example().replace("[アカウントID]", "444455556666");
    type_into(&root, "terraform", &fixed);
    type_into(&root, "account", "444455556666");
    settle().await;
    click(&root, "build");
    settle().await;
    assert!(has(&root, "built"));
    // A new page load, storage kept.
    let again = kms_wasm_tests::mount_at("", || view! { <kms_workbench::Workbench/> });
    settle().await;
    assert_eq!(value_of(&again, "terraform"), fixed);
    assert!(has(&again, "built"), "the world is built again on return");
    assert!(text_of(&again, "built").contains("aws_kms_key.higa_WordPress_KMS"));
    // Unbuilt text is kept too, and not built on return.
    let fresh = mount_fresh(|| view! { <kms_workbench::Workbench/> });
    type_into(&fresh, "terraform", "resource \"aws_kms_key\" \"k\" {}");
    settle().await;
    let later = kms_wasm_tests::mount_at("", || view! { <kms_workbench::Workbench/> });
    settle().await;
    assert_eq!(
        value_of(&later, "terraform"),
        "resource \"aws_kms_key\" \"k\" {}"
    );
    assert!(!has(&later, "built"));
}

/// The note on key order is for jsonencode's sorted keys: a policy from
/// aws_iam_policy_document keeps Version first, and gets no such note.
#[wasm_bindgen_test]
async fn the_key_order_note_is_only_for_jsonencode() {
    let note = "jsonencode writes an object's keys in alphabetical order";
    let built_text = |text: String| async move {
        let root = mount_fresh(|| view! { <kms_workbench::Workbench/> });
        type_into(&root, "terraform", &text);
        settle().await;
        click(&root, "build");
        settle().await;
        assert!(
            has(&root, "built"),
            "{}",
            root.text_content().unwrap_or_default()
        );
        root.text_content().unwrap_or_default()
    };
    let seed = kms_workbench::example().replace("[アカウントID]", "111122223333");
    assert!(built_text(seed).await.contains(note));
    let document = r#"
data "aws_iam_policy_document" "p" {
  statement {
    effect    = "Allow"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }
}
resource "aws_kms_key" "k" {
  policy = data.aws_iam_policy_document.p.json
}
"#;
    assert!(!built_text(document.to_string()).await.contains(note));
}

/// A real configuration: the key is for a log group the playground does
/// not simulate, and its policy (saved with the lockout check bypassed)
/// names no one who could manage it. The log group is listed as skipped,
/// and the advisor, asked about the saved policy, says who is locked out
/// and names the key the simulator does not model.
#[wasm_bindgen_test]
async fn a_skipped_log_group_is_listed_and_a_locked_key_is_advised() {
    let text = r#"
resource "aws_kms_key" "logs" {
  bypass_policy_lockout_safety_check = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "kms:Decrypt"
      Resource  = "*"
      Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-a1b2c3d4e5" } }
    }]
  })
}
resource "aws_cloudwatch_log_group" "app" {
  name       = "/app/web"
  kms_key_id = aws_kms_key.logs.arn
}
"#;
    let root = mount_fresh(|| view! { <kms_workbench::Workbench/> });
    type_into(&root, "terraform", text);
    settle().await;
    click(&root, "build");
    wait_for("the built world", || has(&root, "built")).await;
    assert_eq!(
        texts(&root, "[data-testid=\"skipped\"]"),
        [
            "aws_cloudwatch_log_group.app (line 15): skipped, the playground does not simulate this type"
        ]
    );
    let concerns = concerns(&root);
    assert!(
        concerns.iter().any(|c| c == "LocksOutAuthor")
            && concerns.iter().any(|c| c == "UnmodelledKey"),
        "{concerns:?}"
    );
    // The matrix marks the root's Decrypt: denied as asked, allowed on
    // the statement's condition; opened, it carries the same caveat.
    let decrypt = cell(&root, "root kms:Decrypt:");
    decrypt.click();
    settle().await;
    let opened = texts(
        &root,
        "[data-testid=\"cell-trace\"] [data-testid=\"caveat\"]",
    );
    assert_eq!(opened.len(), 1, "{opened:?}");
    assert_eq!(decrypt.text_content().unwrap_or_default(), "◐");
    assert!(
        decrypt
            .get_attribute("aria-label")
            .unwrap_or_default()
            .contains("denied as asked, allowed on conditions")
    );
    assert_eq!(
        cell(&root, "root kms:Encrypt:")
            .text_content()
            .unwrap_or_default(),
        "✗"
    );
    // Asked of an organization member, the answer says that the key the
    // decision turned on is one no request here has.
    type_into(&root, "what-if-principal", "arn:aws:iam::111122223333:root");
    click(&root, "what-if-ask");
    settle().await;
    assert!(text_of(&root, "what-if-answer").contains("Denied"));
    let caveats = texts(
        &root,
        "[data-testid=\"what-if-answer\"] [data-testid=\"caveat\"]",
    );
    assert_eq!(caveats.len(), 1, "{caveats:?}");
    assert!(
        caveats[0].starts_with("⚠ Statement 1 of the key policy of arn:aws:kms:")
            && caveats[0]
                .contains("tests aws:PrincipalOrgID, which no request in the simulator has"),
        "{caveats:?}"
    );
    // The log group's own service principal is not one the simulator
    // models: the refusal says which it does.
    type_into(&root, "what-if-principal", "logs.eu-west-1.amazonaws.com");
    click(&root, "what-if-ask");
    settle().await;
    let error = text_of(&root, "what-if-error");
    assert!(
        error.contains("InvalidArnException")
            && error
                .contains("A statement for another service's principal cannot be checked here."),
        "{error}"
    );
}
