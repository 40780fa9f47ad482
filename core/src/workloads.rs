//! Reference workloads: the same code measured natively (criterion, in
//! `core/benches`) and in the browser (`kms-wasm-tests`, feature `bench`).
//! Each goes through the public API, so authorization, cryptography and the
//! audit trail are all counted.

use crate::crypto::data::DataCipher;
use crate::ids::{AccountId, Region};
use crate::kms::api::*;
use crate::principal::{Caller, Principal};
use crate::request::{Request, Response};
use crate::secret::SecretBytes;
use crate::world::{World, WorldConfig, WorldLog};
use alloc::boxed::Box;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use serde_json::{Value, json};

const ACCOUNT: &str = "111122223333";

/// One measurable workload.
pub struct Workload {
    /// A stable name, used in both tables.
    pub name: &'static str,
    /// Bytes processed per operation, for throughput workloads.
    pub bytes_per_op: Option<u64>,
    /// Builds the state the workload needs, and returns one operation.
    pub prepare: fn() -> Box<dyn FnMut()>,
}

fn account() -> AccountId {
    AccountId::parse(ACCOUNT).unwrap_or_else(|_| unreachable!("a valid account id"))
}

fn caller(principal: Principal) -> Caller {
    Caller::new(principal, Region::default())
}

fn root() -> Caller {
    caller(Principal::Root(account()))
}

fn app() -> Caller {
    caller(Principal::Role(account(), "App".into()))
}

/// A world that can run for millions of calls: no request log.
fn world() -> World {
    let mut config = WorldConfig::from_seed([1; 32]);
    config.record_log = false;
    let mut world = World::new(config);
    let _ = world.add_account(account(), "production");
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"}]});
    for role in ["App", "KeyAdmin"] {
        let _ = world.call(
            root(),
            Request::CreateRole(crate::iam::CreateRoleRequest {
                role_name: role.into(),
                assume_role_policy_document: trust.to_string(),
            }),
        );
    }
    world
}

fn create_key(world: &mut World, policy: Option<String>) -> String {
    let request = Request::CreateKey(CreateKeyRequest {
        policy,
        bypass_policy_lockout_safety_check: Some(true),
        ..Default::default()
    });
    match world.call(root(), request).result {
        Ok(Response::KeyMetadata(m)) => m.key_metadata.map(|k| k.key_id).unwrap_or_default(),
        other => panic!("workload setup: CreateKey failed: {other:?}"),
    }
}

fn statement(sid: &str, principal: &str, actions: Value) -> Value {
    json!({"Sid": sid, "Effect": "Allow", "Principal": {"AWS": principal}, "Action": actions, "Resource": "*"})
}

/// S4's four-statement key policy, with `App` as the key user.
pub fn four_statement_policy() -> String {
    let root = format!("arn:aws:iam::{ACCOUNT}:root");
    let admin = format!("arn:aws:iam::{ACCOUNT}:role/KeyAdmin");
    let user = format!("arn:aws:iam::{ACCOUNT}:role/App");
    let mut grants = statement(
        "Allow attachment of persistent resources",
        &user,
        json!(["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]),
    );
    grants["Condition"] = json!({"Bool": {"kms:GrantIsForAWSResource": "true"}});
    json!({"Version": "2012-10-17", "Statement": [
        statement("Enable IAM User Permissions", &root, json!("kms:*")),
        statement("Allow access for Key Administrators", &admin, json!(["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"])),
        statement("Allow use of the key", &user, json!(["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"])),
        grants,
    ]})
    .to_string()
}

/// A key policy of `n` statements where only the last lets `App` decrypt;
/// with `n == 0`, as many statements as fit in 32 KB.
pub fn policy_with_statements(n: usize) -> String {
    let filler = |i: usize| {
        statement(
            &format!("Unrelated{i}"),
            &format!("arn:aws:iam::{ACCOUNT}:role/KeyAdmin"),
            json!(["kms:Encrypt", "kms:GenerateDataKey*"]),
        )
    };
    let last = statement(
        "AllowApp",
        &format!("arn:aws:iam::{ACCOUNT}:role/App"),
        json!("kms:Decrypt"),
    );
    let build = |count: usize| {
        let mut statements: Vec<Value> = (1..count).map(filler).collect();
        statements.push(last.clone());
        json!({"Version": "2012-10-17", "Statement": statements}).to_string()
    };
    if n > 0 {
        return build(n);
    }
    let mut count = 1;
    while build(count + 1).len() <= 32 * 1024 {
        count += 1;
    }
    build(count)
}

fn crypto_op(size: usize, decrypt: bool) -> Box<dyn FnMut()> {
    let mut world = world();
    let key = create_key(&mut world, None);
    let encrypt = Request::Encrypt(EncryptRequest {
        key_id: key,
        plaintext: SecretBytes::new(vec![7; size]),
        ..Default::default()
    });
    let request = if decrypt {
        let Ok(Response::Encrypt(e)) = world.call(root(), encrypt).result else {
            panic!("workload setup: Encrypt failed")
        };
        Request::Decrypt(DecryptRequest {
            ciphertext_blob: e.ciphertext_blob,
            ..Default::default()
        })
    } else {
        encrypt
    };
    let caller = root();
    Box::new(move || {
        let outcome = world.call(caller.clone(), request.clone());
        debug_assert!(outcome.result.is_ok());
    })
}

fn simulate(policy: String, grants: usize) -> Box<dyn FnMut()> {
    let mut world = world();
    let key = create_key(&mut world, Some(policy));
    for i in 0..grants {
        // Many grantees; the last grant is App's.
        let grantee = if i + 1 == grants {
            format!("arn:aws:iam::{ACCOUNT}:role/App")
        } else {
            format!("arn:aws:iam::{ACCOUNT}:role/Other{i}")
        };
        let _ = world.call(
            root(),
            Request::CreateGrant(crate::kms::api::CreateGrantRequest {
                key_id: key.clone(),
                grantee_principal: grantee,
                operations: vec!["Decrypt".into()],
                ..Default::default()
            }),
        );
    }
    // Past the propagation delay, App's grant is effective.
    let _ = world.advance(crate::kms::grants::GRANT_PROPAGATION_SECONDS);
    let caller = app();
    Box::new(move || {
        let decision = world.simulate(&caller, "kms:Decrypt", &key, None);
        debug_assert!(decision.is_ok());
    })
}

/// The workbench's access matrix of the S4 key: the root, App, KeyAdmin
/// and 17 more roles, against every KMS action on a key (issue 15's target:
/// 20 principals x 40 actions under 50 ms in the browser).
fn matrix() -> Box<dyn FnMut()> {
    let mut world = world();
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"}]});
    for i in 0..17 {
        let _ = world.call(
            root(),
            Request::CreateRole(crate::iam::CreateRoleRequest {
                role_name: format!("Role{i}"),
                assume_role_policy_document: trust.to_string(),
            }),
        );
    }
    let key = create_key(&mut world, Some(four_statement_policy()));
    Box::new(move || {
        let matrix = crate::workbench::Bench::new(&world).matrix(&key, None);
        debug_assert!(matrix.is_ok_and(|m| m.principals.len() == 20));
    })
}

fn bulk(size: usize) -> Box<dyn FnMut()> {
    let cipher = DataCipher::new(&SecretBytes::new(vec![9; 32]))
        .unwrap_or_else(|_| unreachable!("a 32-byte key"));
    // Large data is encrypted in place, in a buffer the application owns.
    let mut data = vec![0x5a; size];
    let mut iv = 0u64;
    Box::new(move || {
        iv += 1;
        let mut nonce = [0u8; 12];
        nonce[..8].copy_from_slice(&iv.to_be_bytes());
        let tag = cipher.seal_in_place(nonce, b"", &mut data);
        debug_assert_ne!(tag, [0; 16]);
    })
}

/// A log of 10,000 requests (encryptions, data keys, decryptions).
pub fn replay_log() -> WorldLog {
    let mut config = WorldConfig::from_seed([2; 32]);
    config.record_log = true;
    let mut world = World::new(config);
    let _ = world.add_account(account(), "production");
    let key = create_key(&mut world, None);
    let mut blob = Vec::new();
    for i in 0..9_999 {
        let request = match i % 3 {
            0 => Request::Encrypt(EncryptRequest {
                key_id: key.clone(),
                plaintext: SecretBytes::new(vec![1; 32]),
                ..Default::default()
            }),
            1 => Request::GenerateDataKey(GenerateDataKeyRequest {
                key_id: key.clone(),
                key_spec: Some(DataKeySpec::AES_256),
                ..Default::default()
            }),
            _ => Request::Decrypt(DecryptRequest {
                ciphertext_blob: blob.clone(),
                ..Default::default()
            }),
        };
        if let Ok(Response::Encrypt(e)) = world.call(root(), request).result {
            blob = e.ciphertext_blob;
        }
    }
    world.export_log()
}

/// The cryptography of one GenerateDataKey + Decrypt pair and nothing else:
/// draw a data key, nonce and IV from the world's CSPRNG, derive, seal,
/// parse, derive, open. The ceiling `World::call` is measured against.
fn crypto_ceiling() -> Box<dyn FnMut()> {
    use crate::crypto::blob::CiphertextBlob;
    use crate::crypto::{BackingKey, SealRandomness, open, seal};
    use crate::env::Randomness;
    let mut random = Randomness::from_seed([1; 32]);
    let key_id = crate::ids::KeyId::from_random(random.bytes());
    let backing = BackingKey::new(random.bytes());
    let context = crate::crypto::context::EncryptionContext::new();
    Box::new(move || {
        let data_key = random.secret(32);
        let sealing = SealRandomness {
            kdf_nonce: random.bytes(),
            iv: random.bytes(),
        };
        let blob = seal(key_id, 1, &backing, &sealing, &context, data_key.expose());
        let opened = CiphertextBlob::parse(&blob).and_then(|p| open(&p, &backing, &context));
        debug_assert!(
            opened
                .as_ref()
                .is_ok_and(|k| k.expose() == data_key.expose())
        );
        core::hint::black_box(opened).ok();
    })
}

/// Every workload, in table order.
pub fn all() -> Vec<Workload> {
    vec![
        Workload {
            name: "Encrypt 32 B",
            bytes_per_op: None,
            prepare: || crypto_op(32, false),
        },
        Workload {
            name: "Decrypt 32 B",
            bytes_per_op: None,
            prepare: || crypto_op(32, true),
        },
        Workload {
            name: "Encrypt 4 KiB",
            bytes_per_op: None,
            prepare: || crypto_op(4096, false),
        },
        Workload {
            name: "Decrypt 4 KiB",
            bytes_per_op: None,
            prepare: || crypto_op(4096, true),
        },
        Workload {
            name: "GenerateDataKey + Decrypt",
            bytes_per_op: None,
            prepare: || {
                let mut world = world();
                let key = create_key(&mut world, None);
                let caller = root();
                Box::new(move || {
                    let gdk = Request::GenerateDataKey(GenerateDataKeyRequest {
                        key_id: key.clone(),
                        key_spec: Some(DataKeySpec::AES_256),
                        ..Default::default()
                    });
                    if let Ok(Response::GenerateDataKey(d)) = world.call(caller.clone(), gdk).result
                    {
                        let outcome = world.call(
                            caller.clone(),
                            Request::Decrypt(DecryptRequest {
                                ciphertext_blob: d.ciphertext_blob,
                                ..Default::default()
                            }),
                        );
                        debug_assert!(outcome.result.is_ok());
                    }
                })
            },
        },
        Workload {
            name: "Crypto ceiling: GenerateDataKey + Decrypt",
            bytes_per_op: None,
            prepare: crypto_ceiling,
        },
        Workload {
            name: "ReEncrypt 32 B",
            bytes_per_op: None,
            prepare: || {
                let mut world = world();
                let from = create_key(&mut world, None);
                let to = create_key(&mut world, None);
                let Ok(Response::Encrypt(e)) = world
                    .call(
                        root(),
                        Request::Encrypt(EncryptRequest {
                            key_id: from,
                            plaintext: SecretBytes::new(vec![3; 32]),
                            ..Default::default()
                        }),
                    )
                    .result
                else {
                    panic!("workload setup: Encrypt failed")
                };
                let request = Request::ReEncrypt(ReEncryptRequest {
                    ciphertext_blob: e.ciphertext_blob,
                    destination_key_id: to,
                    ..Default::default()
                });
                let caller = root();
                Box::new(move || {
                    let outcome = world.call(caller.clone(), request.clone());
                    debug_assert!(outcome.result.is_ok());
                })
            },
        },
        Workload {
            name: "Authorize, S4 policy",
            bytes_per_op: None,
            prepare: || simulate(four_statement_policy(), 0),
        },
        Workload {
            name: "Authorize, 1 statement",
            bytes_per_op: None,
            prepare: || simulate(policy_with_statements(1), 0),
        },
        Workload {
            name: "Authorize, 10 statements",
            bytes_per_op: None,
            prepare: || simulate(policy_with_statements(10), 0),
        },
        Workload {
            name: "Authorize, 100 statements",
            bytes_per_op: None,
            prepare: || simulate(policy_with_statements(100), 0),
        },
        Workload {
            name: "Authorize, 32 KB policy",
            bytes_per_op: None,
            prepare: || simulate(policy_with_statements(0), 0),
        },
        Workload {
            name: "Grant lookup, 0 grants",
            bytes_per_op: None,
            prepare: || {
                simulate(
                    four_statement_policy().replace("role/App", "role/KeyAdmin"),
                    0,
                )
            },
        },
        Workload {
            name: "Grant lookup, 1,000 grants",
            bytes_per_op: None,
            prepare: || {
                simulate(
                    four_statement_policy().replace("role/App", "role/KeyAdmin"),
                    1_000,
                )
            },
        },
        Workload {
            name: "Grant lookup, 50,000 grants",
            bytes_per_op: None,
            prepare: || {
                simulate(
                    four_statement_policy().replace("role/App", "role/KeyAdmin"),
                    50_000,
                )
            },
        },
        Workload {
            name: "Access matrix, 20 principals x every KMS action",
            bytes_per_op: None,
            prepare: matrix,
        },
        Workload {
            name: "Bulk AES-256-GCM, 1 MiB",
            bytes_per_op: Some(1 << 20),
            prepare: || bulk(1 << 20),
        },
        Workload {
            name: "Bulk AES-256-GCM, 64 MiB",
            bytes_per_op: Some(64 << 20),
            prepare: || bulk(64 << 20),
        },
        Workload {
            name: "Replay of a 10,000-request log",
            bytes_per_op: None,
            prepare: || {
                let log = replay_log();
                Box::new(move || {
                    let replayed = World::replay(&log);
                    debug_assert!(replayed.is_ok());
                })
            },
        },
    ]
}

/// The names, for tables.
pub fn names() -> Vec<String> {
    all().iter().map(|w| w.name.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_workload_runs_and_has_a_unique_name() {
        let names = names();
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "{names:?}");
        for workload in all() {
            let mut op = (workload.prepare)();
            op();
            op();
        }
    }
}
