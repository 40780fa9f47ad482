//! The question KMS asks for every access to a key: the caller, the
//! action, the key's policy as the resource policy, the caller's identity
//! policies, the grants that name the caller (judged), and the condition
//! keys KMS adds (`kms:EncryptionContext:<key>`, `kms:ViaService`,
//! `kms:GrantOperations`, ...). The decision itself is
//! [`crate::policy::authorize`], a pure function of it.

use super::actions::is_cross_account;
use super::api::{KeySpec, KeyUsage};
use super::grants::{GrantFacts, GrantRequest};
use super::key::KmsKey;
use super::state::Kms;
use crate::clock::Timestamp;
use crate::crypto::context::EncryptionContext;
use crate::iam::Iam;
use crate::iam::authz::caller_context;
use crate::policy::condition::{RequestContext, Text};
use crate::policy::{Considered, PolicyRole, Purpose, Question};
use crate::principal::{Caller, Principal};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;

/// The actions `kms:EncryptionAlgorithm` applies to (KMS developer guide,
/// "kms:EncryptionAlgorithm"; GenerateDataKey* use SYMMETRIC_DEFAULT).
const ENCRYPTING: [&str; 6] = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
];

/// What a request adds to its authorization besides caller, action and key.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extras<'a> {
    /// The encryption context of a cryptographic request.
    pub encryption_context: Option<&'a EncryptionContext>,
    /// Grant tokens presented.
    pub grant_tokens: &'a [String],
    /// The facts of a CreateGrant request (for its condition keys).
    pub grant: Option<&'a GrantFacts>,
    /// The alias the request named the key by, if any.
    pub request_alias: Option<&'a str>,
}

/// `kms:KeySpec`, `kms:KeyUsage` and `kms:KeyOrigin`: of the key a request
/// uses, or of the key CreateKey would create (its request's parameters).
/// Their AWS names are the variants'; a symmetric encryption key, nearly
/// every key, costs no formatting.
pub fn set_key_properties(context: &mut RequestContext, spec: KeySpec, usage: KeyUsage) {
    let (spec, usage): (Text, Text) = match (spec, usage) {
        (KeySpec::SYMMETRIC_DEFAULT, KeyUsage::ENCRYPT_DECRYPT) => {
            ("SYMMETRIC_DEFAULT".into(), "ENCRYPT_DECRYPT".into())
        }
        (spec, usage) => (format!("{spec:?}").into(), format!("{usage:?}").into()),
    };
    context.insert_new("kms:KeySpec", spec);
    context.insert_new("kms:KeyUsage", usage);
    // The only origin simulated (CreateKey refuses the others).
    context.insert_new("kms:KeyOrigin", "AWS_KMS");
}

/// The question of `action` by `caller` (whose ARN is `principal_arn`) on `key`.
#[allow(clippy::too_many_arguments)]
pub fn key_question(
    kms: &Kms,
    iam: &Iam,
    now: Timestamp,
    now_iso: &Arc<str>,
    caller: &Caller,
    principal_arn: Arc<str>,
    action: &'static str,
    key: &KmsKey,
    extras: &Extras<'_>,
) -> Question {
    let mut context = caller_context(caller, &principal_arn, now_iso);
    set_key_properties(&mut context, key.spec, key.usage);
    // The simulator's cryptography is symmetric only: every request that
    // encrypts or decrypts uses SYMMETRIC_DEFAULT (an asymmetric algorithm
    // is refused before authorization), and data keys always do.
    if ENCRYPTING.contains(&action) {
        context.insert_new("kms:EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
    }
    let aliases: Vec<Text> = kms
        .aliases_of(key.id)
        .map(|a| Text::Owned(a.name.to_string()))
        .collect();
    if !aliases.is_empty() {
        context.set_all("kms:ResourceAliases", aliases);
    }
    if let Some(alias) = extras.request_alias {
        context.insert_new("kms:RequestAlias", String::from(alias));
    }
    if let Some(encryption) = extras.encryption_context {
        context.set_encryption_context(encryption);
    }
    if let Some(grant) = extras.grant {
        context.set_all(
            "kms:GrantOperations",
            grant.operations.iter().cloned().map(Text::Owned).collect(),
        );
        context.insert_new("kms:GranteePrincipal", grant.grantee.clone());
        if let Some(r) = &grant.retiring {
            context.insert_new("kms:RetiringPrincipal", r.clone());
        }
        context.insert_new(
            "kms:GrantIsForAWSResource",
            if caller.via_service.is_some() {
                "true"
            } else {
                "false"
            },
        );
    }
    // Only grants naming the caller (or, for a session, its role) can apply.
    let role_arn = match &caller.principal {
        Principal::AssumedRole { account, role, .. } => {
            Some(Principal::Role(account.clone(), role.clone()).arn())
        }
        _ => None,
    };
    let both = [&*principal_arn, role_arn.as_deref().unwrap_or_default()];
    let grantees = &both[..if role_arn.is_some() { 2 } else { 1 }];
    let all = kms.grants.get(&key.id);
    let operation = action.strip_prefix("kms:").unwrap_or(action);
    let request = GrantRequest {
        principal: &caller.principal,
        principal_arn: &principal_arn,
        operation,
        now,
        grant_tokens: extras.grant_tokens,
        encryption_context: extras.encryption_context,
        child: extras.grant,
    };
    let grants: Vec<_> = all
        .map(|g| {
            g.for_grantees(grantees)
                .map(|g| g.check(&request))
                .collect()
        })
        .unwrap_or_default();
    let other_grants = all.map_or(0, |g| g.len()) - grants.len();
    Question {
        principal: caller.principal.clone(),
        principal_arn,
        action,
        resource: key.arn().clone(),
        resource_account: key.account.clone(),
        context,
        resource_policy: Some(Considered {
            role: PolicyRole::KeyPolicy,
            policy: key.policy.clone(),
        }),
        identity_policies: iam.identity_policies(&caller.principal),
        grants,
        other_grants,
        cross_account_allowed: is_cross_account(action),
        purpose: Purpose::Request,
    }
}
