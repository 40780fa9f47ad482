//! The simulator core, run in headless Chromium.
#![cfg(target_arch = "wasm32")]

use kms_core::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn aes_gcm_known_answer_passes_in_the_browser() {
    let check = kms_core::selftest::aes256_gcm_known_answer();
    assert!(check.passed, "AES-256-GCM vector failed in wasm: {check:?}");
}

#[wasm_bindgen_test]
fn envelope_encryption_round_trips_in_the_browser() {
    let account = AccountId::parse("111122223333").unwrap();
    let mut world = World::new(WorldConfig::from_seed([9; 32]));
    world.add_account(account.clone(), "production").unwrap();
    let root = Caller::new(
        Principal::Root(account),
        Region::parse("eu-west-1").unwrap(),
    );
    let Ok(Response::KeyMetadata(created)) = world
        .call(
            root.clone(),
            Request::CreateKey(CreateKeyRequest::default()),
        )
        .result
    else {
        panic!("CreateKey failed")
    };
    let key_id = created.key_metadata.unwrap().key_id;
    let context = EncryptionContext::from_pairs([("purpose", "browser test")]);
    let Ok(Response::GenerateDataKey(data_key)) = world
        .call(
            root.clone(),
            Request::GenerateDataKey(GenerateDataKeyRequest {
                key_id,
                key_spec: Some(DataKeySpec::AES_256),
                encryption_context: Some(context.clone()),
                ..Default::default()
            }),
        )
        .result
    else {
        panic!("GenerateDataKey failed")
    };
    let decrypt = |ctx: EncryptionContext| {
        Request::Decrypt(DecryptRequest {
            ciphertext_blob: data_key.ciphertext_blob.clone(),
            encryption_context: Some(ctx),
            ..Default::default()
        })
    };
    let Ok(Response::Decrypt(back)) = world.call(root.clone(), decrypt(context)).result else {
        panic!("Decrypt failed")
    };
    assert_eq!(back.plaintext, data_key.plaintext);
    let wrong = world
        .call(root, decrypt(EncryptionContext::new()))
        .result
        .unwrap_err();
    assert_eq!(wrong.name(), "InvalidCiphertextException");
    // The replay in the browser reproduces the world exactly.
    let replayed = World::import_json(&world.export_json()).unwrap();
    assert_eq!(replayed.state().kms, world.state().kms);
}
