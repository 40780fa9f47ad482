//! The entry points hostile input reaches, each with the invariants it must
//! keep whatever the bytes: it never panics, a refused request changes
//! nothing, and what parses survives a round trip. The fuzz targets in
//! `fuzz/` call these; the proptest sweep in `tests/properties.rs` calls
//! them too, so both check one definition.

use kms_core::crypto::blob;
use kms_core::policy::{PolicyDocument, PolicyKind, RequestContext, Subject};
use kms_core::prelude::*;
use kms_core::scenario::{Scenario, ScenarioRun, builtin};
use std::sync::OnceLock;

/// The world requests and blobs are tried against: the Aurora story played
/// to its end (keys, aliases, grants, a cluster with rows, a snapshot).
pub fn base_world() -> World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD
        .get_or_init(|| {
            let scenario = builtin::get("aurora-disable-key").expect("a built-in story");
            let mut run = ScenarioRun::start(&scenario).expect("it starts");
            run.run_to_end();
            run.into_world()
        })
        .clone()
}

/// What a refused request must leave as it was.
fn observable(world: &World) -> impl PartialEq + std::fmt::Debug + use<> {
    (world.now(), world.state().clone(), world.next_event_time())
}

fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// Any bytes as a ciphertext blob: parsed, labelled, and decrypted.
pub fn blob(data: &[u8]) {
    if let Ok(parsed) = blob::CiphertextBlob::parse(data) {
        assert!(parsed.header.len() + parsed.ciphertext.len() + 16 == data.len());
        let fields = blob::fields(data).expect("a parsed blob has fields");
        assert_eq!(fields.last().map(|f| f.range.end), Some(data.len()));
    } else {
        assert!(blob::fields(data).is_err());
    }
    let mut world = base_world();
    let before = observable(&world);
    let caller = Caller::new(
        Principal::Root(AccountId::parse("111122223333").expect("an id")),
        Region::parse("eu-west-1").expect("a Region"),
    );
    let outcome = world.call(
        caller,
        Request::Decrypt(DecryptRequest {
            ciphertext_blob: data.to_vec(),
            ..Default::default()
        }),
    );
    if outcome.result.is_err() {
        assert_eq!(observable(&world), before);
    }
}

/// Any text as a policy of every kind: parsed, evaluated, and written back
/// to a form that parses to the same form.
pub fn policy(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let principal = Principal::Role(
        AccountId::parse("111122223333").expect("an id"),
        "App".into(),
    );
    let arn = principal.arn();
    let mut context = RequestContext::default();
    context.set("kms:CallerAccount", "111122223333");
    context.set_encryption_context(&EncryptionContext::from_pairs([("tenant", "acme")]));
    for kind in [PolicyKind::Key, PolicyKind::Trust, PolicyKind::Identity] {
        let Ok(document) = PolicyDocument::parse(text, kind) else {
            continue;
        };
        let subject = Subject {
            principal: &principal,
            principal_arn: &arn,
            action: "kms:Decrypt",
            resource: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            context: &context,
        };
        let traces = document.evaluate(&subject, kind == PolicyKind::Identity);
        assert_eq!(traces.len(), document.statements.len());
        let written = document.to_json().to_string();
        let again = PolicyDocument::parse(&written, kind)
            .unwrap_or_else(|e| panic!("{written} does not parse again: {e}"));
        assert_eq!(again.to_json(), document.to_json(), "{written}");
    }
}

/// Any text as a console request, sent as the production root: a refused
/// one changes nothing but the trail and the log.
pub fn request(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let Ok(request) = Request::from_json(text) else {
        return;
    };
    let mut world = base_world();
    let before = observable(&world);
    let events = world.audit().recorded();
    let caller = Caller::new(
        Principal::Root(AccountId::parse("111122223333").expect("an id")),
        Region::parse("eu-west-1").expect("a Region"),
    );
    let outcome = world.call(caller, request);
    assert!(world.audit().recorded() > events, "every call is audited");
    if outcome.result.is_err() {
        assert_eq!(observable(&world), before);
    }
}

/// Any text as a scenario file: parsed, started and played to the end.
pub fn scenario(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let Ok(scenario) = Scenario::parse(text) else {
        return;
    };
    if let Ok(mut run) = ScenarioRun::start(&scenario) {
        let results = run.run_to_end();
        assert_eq!(results.len(), scenario.steps.len());
    }
}

/// Any text as an exported world (a share link's content): replayed, and
/// if it replays, exported again to a log that replays to the same export.
pub fn world_import(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let Ok(world) = World::import_json(text) else {
        return;
    };
    let exported = world.export_json();
    let again = World::import_json(&exported)
        .unwrap_or_else(|e| panic!("an exported world does not replay: {e}"));
    assert_eq!(again.export_json(), exported);
}
