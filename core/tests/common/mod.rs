//! Shared helpers for the scenario tests.
#![allow(dead_code)]

pub mod entries;

use kms_core::prelude::*;

pub const PROD: &str = "111122223333";
/// S4's key user and key administrator in production, by ARN.
pub const APP: &str = "arn:aws:iam::111122223333:role/App";
pub const ADMIN: &str = "arn:aws:iam::111122223333:role/KeyAdmin";
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
        world.state().kms.clone(),
        world.state().iam.accounts.len(),
        drawn,
    )
}

pub fn user(account_id: &str, name: &str) -> Caller {
    Caller::new(Principal::User(account(account_id), name.into()), region())
}

pub fn role(account_id: &str, name: &str) -> Caller {
    Caller::new(Principal::Role(account(account_id), name.into()), region())
}

/// The rotations `ListKeyRotations` lists for `key_id` (its first page).
pub fn rotations(world: &mut World, caller: &Caller, key_id: &str) -> Vec<RotationEntry> {
    match ok(
        world,
        caller,
        Request::ListKeyRotations(ListForKeyRequest {
            key_id: key_id.into(),
            ..Default::default()
        }),
    ) {
        Response::ListKeyRotations(list) => list.rotations,
        other => panic!("ListKeyRotations answered {other:?}"),
    }
}

/// What `GetKeyRotationStatus` answers for `key_id`.
pub fn rotation_status(
    world: &mut World,
    caller: &Caller,
    key_id: &str,
) -> GetKeyRotationStatusResponse {
    match ok(
        world,
        caller,
        Request::GetKeyRotationStatus(key_request(key_id)),
    ) {
        Response::GetKeyRotationStatus(status) => status,
        other => panic!("GetKeyRotationStatus answered {other:?}"),
    }
}

/// Creates an IAM user with an inline identity policy (if given).
pub fn add_user(
    world: &mut World,
    account_id: &str,
    name: &str,
    policy: Option<serde_json::Value>,
) -> Caller {
    use kms_core::iam::{CreateUserRequest, PutIdentityPolicyRequest};
    let admin = root(account_id);
    ok(
        world,
        &admin,
        Request::CreateUser(CreateUserRequest {
            user_name: name.into(),
        }),
    );
    if let Some(policy) = policy {
        ok(
            world,
            &admin,
            Request::PutUserPolicy(PutIdentityPolicyRequest {
                user_name: Some(name.into()),
                role_name: None,
                policy_name: "inline".into(),
                policy_document: policy.to_string(),
            }),
        );
    }
    user(account_id, name)
}

/// Creates a role trusted by `trusted` (an account id or principal ARN), with an
/// inline identity policy (if given).
pub fn add_role(
    world: &mut World,
    account_id: &str,
    name: &str,
    trusted: &str,
    policy: Option<serde_json::Value>,
) -> Caller {
    use kms_core::iam::{CreateRoleRequest, PutIdentityPolicyRequest};
    let admin = root(account_id);
    let trust = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": trusted}, "Action": "sts:AssumeRole"}]
    });
    ok(
        world,
        &admin,
        Request::CreateRole(CreateRoleRequest {
            role_name: name.into(),
            assume_role_policy_document: trust.to_string(),
        }),
    );
    if let Some(policy) = policy {
        ok(
            world,
            &admin,
            Request::PutRolePolicy(PutIdentityPolicyRequest {
                user_name: None,
                role_name: Some(name.into()),
                policy_name: "inline".into(),
                policy_document: policy.to_string(),
            }),
        );
    }
    role(account_id, name)
}

/// An identity policy allowing `actions` on `resource`.
pub fn allow(actions: &[&str], resource: &str) -> serde_json::Value {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": actions, "Resource": resource}]
    })
}

/// S4's typical key policy: IAM delegation, key administrators, key users,
/// and attachment of persistent resources.
pub fn four_statement_policy(account_id: &str, admin: &str, user: &str) -> serde_json::Value {
    serde_json::json!({
        "Version": "2012-10-17",
        "Id": "key-consolepolicy-3",
        "Statement": [
            {
                "Sid": "Enable IAM User Permissions",
                "Effect": "Allow",
                "Principal": {"AWS": format!("arn:aws:iam::{account_id}:root")},
                "Action": "kms:*",
                "Resource": "*"
            },
            {
                "Sid": "Allow access for Key Administrators",
                "Effect": "Allow",
                "Principal": {"AWS": admin},
                "Action": ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
                           "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource",
                           "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"],
                "Resource": "*"
            },
            {
                "Sid": "Allow use of the key",
                "Effect": "Allow",
                "Principal": {"AWS": user},
                "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                "Resource": "*"
            },
            {
                "Sid": "Allow attachment of persistent resources",
                "Effect": "Allow",
                "Principal": {"AWS": user},
                "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
                "Resource": "*",
                "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}
            }
        ]
    })
}

/// Creates a key with `policy`, as the account root.
pub fn create_key_with_policy(
    world: &mut World,
    account_id: &str,
    policy: &serde_json::Value,
) -> KeyMetadata {
    match ok(
        world,
        &root(account_id),
        Request::CreateKey(CreateKeyRequest {
            policy: Some(policy.to_string()),
            bypass_policy_lockout_safety_check: None,
            ..Default::default()
        }),
    ) {
        Response::KeyMetadata(m) => m.key_metadata.unwrap(),
        other => panic!("{other:?}"),
    }
}

pub fn gdk_request(key_id: &str, context: &EncryptionContext) -> Request {
    Request::GenerateDataKey(GenerateDataKeyRequest {
        key_id: key_id.into(),
        key_spec: Some(DataKeySpec::AES_256),
        encryption_context: Some(context.clone()),
        ..Default::default()
    })
}

/// The rule of the last authorization of a call.
pub fn rule_of(
    world: &mut World,
    caller: &Caller,
    request: Request,
) -> kms_core::policy::DecidingRule {
    world
        .call(caller.clone(), request)
        .authorizations
        .last()
        .expect("an authorization")
        .rule
}
