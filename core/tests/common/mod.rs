//! Shared helpers for the scenario tests.
#![allow(dead_code)]

use kms_core::prelude::*;

pub const PROD: &str = "111122223333";
pub const STAGING: &str = "444455556666";
pub const REGION: &str = "eu-west-1";

pub fn account(id: &str) -> AccountId {
    AccountId::parse(id).unwrap()
}

pub fn region() -> Region {
    Region::parse(REGION).unwrap()
}

pub fn root(id: &str) -> Caller {
    Caller::new(Principal::Root(account(id)), region())
}

/// A world with a production and a staging account.
pub fn world() -> World {
    let mut world = World::new(WorldConfig::from_seed([42; 32]));
    world.add_account(account(PROD), "production").unwrap();
    world.add_account(account(STAGING), "staging").unwrap();
    world
}

/// Calls and expects success.
pub fn ok(world: &mut World, caller: &Caller, request: Request) -> Response {
    let outcome = world.call(caller.clone(), request.clone());
    outcome
        .result
        .unwrap_or_else(|e| panic!("{} failed: {e}", request.action()))
}

/// Calls and expects the named AWS error; returns its message.
pub fn err(world: &mut World, caller: &Caller, request: Request, name: &str) -> String {
    let action = request.action();
    match world.call(caller.clone(), request).result {
        Ok(r) => panic!("{action} succeeded with {r:?}, expected {name}"),
        Err(e) => {
            assert_eq!(e.name(), name, "{action}: {e}");
            e.message().to_string()
        }
    }
}

pub fn create_key(world: &mut World, caller: &Caller) -> KeyMetadata {
    match ok(
        world,
        caller,
        Request::CreateKey(CreateKeyRequest::default()),
    ) {
        Response::KeyMetadata(m) => m.key_metadata.unwrap(),
        other => panic!("{other:?}"),
    }
}

pub fn key_request(key_id: &str) -> KeyIdRequest {
    KeyIdRequest {
        key_id: key_id.into(),
        grant_tokens: None,
    }
}

pub fn encrypt(
    world: &mut World,
    caller: &Caller,
    key_id: &str,
    plaintext: &[u8],
    ctx: &EncryptionContext,
) -> Vec<u8> {
    match ok(
        world,
        caller,
        Request::Encrypt(EncryptRequest {
            key_id: key_id.into(),
            plaintext: SecretBytes::new(plaintext.to_vec()),
            encryption_context: Some(ctx.clone()),
            ..Default::default()
        }),
    ) {
        Response::Encrypt(e) => e.ciphertext_blob,
        other => panic!("{other:?}"),
    }
}

pub fn decrypt_request(blob: &[u8], ctx: &EncryptionContext) -> Request {
    Request::Decrypt(DecryptRequest {
        ciphertext_blob: blob.to_vec(),
        encryption_context: Some(ctx.clone()),
        ..Default::default()
    })
}

pub fn decrypt(
    world: &mut World,
    caller: &Caller,
    blob: &[u8],
    ctx: &EncryptionContext,
) -> Vec<u8> {
    match ok(world, caller, decrypt_request(blob, ctx)) {
        Response::Decrypt(d) => d.plaintext.expose().to_vec(),
        other => panic!("{other:?}"),
    }
}

pub fn ctx(pairs: &[(&str, &str)]) -> EncryptionContext {
    EncryptionContext::from_pairs(pairs.iter().copied())
}

/// The state of the world that a failed request must not change.
pub fn snapshot(world: &World) -> (Timestamp, kms_core::kms::Kms, usize, [u8; 16]) {
    // The next random bytes the world would draw tell whether its CSPRNG moved.
    let mut probe = world.clone();
    let next = KeyId::from_random([0; 16]);
    let drawn = match probe
        .call(
            root(PROD),
            Request::GenerateRandom(GenerateRandomRequest {
                number_of_bytes: Some(16),
            }),
        )
        .result
    {
        Ok(Response::GenerateRandom(r)) => r.plaintext.expose().try_into().unwrap(),
        _ => next.to_bytes(),
    };
    (
        world.now(),
        world.kms().clone(),
        world.accounts().len(),
        drawn,
    )
}
