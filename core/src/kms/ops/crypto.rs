//! Encrypt, Decrypt, ReEncrypt, GenerateDataKey(WithoutPlaintext), GenerateRandom.

use crate::crypto::blob::{CiphertextBlob, invalid_ciphertext};
use crate::crypto::context::EncryptionContext;
use crate::crypto::{SealRandomness, open, seal};
use crate::env::Ctx;
use crate::error::{KmsError, check_sensitive_length, validation};
use crate::iam::authz::caller_account;
use crate::ids::KeyId;
use crate::kms::actions::*;
use crate::kms::api::responses::*;
use crate::kms::api::*;
use crate::kms::authz::Extras;
use crate::kms::call::{Keys, request_alias};
use crate::kms::validate::{check_algorithm, check_grant_tokens};
use crate::principal::Caller;
use crate::request::Response;
use crate::secret::SecretBytes;
use alloc::string::ToString;
use alloc::sync::Arc;
use alloc::vec::Vec;

/// Longest plaintext `Encrypt` takes.
pub const MAX_PLAINTEXT: usize = 4096;
/// Longest data key or random string.
pub const MAX_RANDOM_BYTES: u32 = 1024;

/// S8's message: what KMS answers when the key a ciphertext names cannot be
/// used by the caller, without saying whether it exists.
pub const CIPHERTEXT_KEY_INACCESSIBLE: &str = "The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.";

fn context(c: &Option<EncryptionContext>) -> EncryptionContext {
    c.clone().unwrap_or_default()
}

/// Seals `plaintext` under the current backing key of key `id`.
fn seal_under(
    k: &Keys<'_>,
    ctx: &mut Ctx<'_>,
    id: KeyId,
    context: &EncryptionContext,
    plaintext: &[u8],
) -> Result<(Vec<u8>, Arc<str>), KmsError> {
    let random = SealRandomness {
        kdf_nonce: ctx.random.bytes(),
        iv: ctx.random.bytes(),
    };
    let key = k.key(id)?;
    let (version, backing) = key.current_backing_key();
    Ok((
        seal(id, version, backing, &random, context, plaintext),
        key.arn().clone(),
    ))
}

/// Finds, authorizes and state-checks the key a blob names, then opens it.
fn open_blob(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    blob: &[u8],
    claimed_key: Option<&str>,
    extras: &Extras<'_>,
    access: &KeyAccess,
) -> Result<(SecretBytes, Arc<str>), KmsError> {
    let parsed = CiphertextBlob::parse(blob)?;
    let inaccessible = || KmsError::AccessDeniedException(CIPHERTEXT_KEY_INACCESSIBLE.into());
    if let Some(claimed) = claimed_key {
        let id = k.resolve_key(ctx, caller, claimed)?;
        if id != parsed.key_id {
            return Err(KmsError::IncorrectKeyException(
                "The key ID in the request does not identify a CMK that can perform this operation.".into(),
            ));
        }
    }
    match k.kms.keys.get(&parsed.key_id) {
        Some(key) if key.region == caller.region => {}
        _ => return Err(inaccessible()),
    }
    let alias = claimed_key.and_then(request_alias);
    let extras = Extras {
        request_alias: alias.as_deref(),
        ..*extras
    };
    let key = match (
        k.authorize_key(ctx, caller, access.action, parsed.key_id, &extras),
        claimed_key,
    ) {
        (Ok(key), _) => key,
        // Without a KeyId the caller learns nothing about the key.
        (Err(_), None) => return Err(inaccessible()),
        (Err(e), Some(_)) => return Err(e),
    };
    access.check(key.arn(), key.state)?;
    key.check_use(access.action)?;
    let context = extras.encryption_context.cloned().unwrap_or_default();
    let backing = key
        .backing_key(parsed.backing_version)
        .ok_or_else(invalid_ciphertext)?;
    Ok((open(&parsed, backing, &context)?, key.arn().clone()))
}

/// `Encrypt`.
pub fn encrypt(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &EncryptRequest,
) -> Result<Response, KmsError> {
    check_grant_tokens(&r.grant_tokens)?;
    check_algorithm("encryptionAlgorithm", &r.encryption_algorithm)?;
    // API reference (EncryptRequest.Plaintext: min 1, max 4096).
    check_sensitive_length("plaintext", r.plaintext.len(), 1, MAX_PLAINTEXT)?;
    let context = context(&r.encryption_context);
    let tokens = r.grant_tokens.clone().unwrap_or_default();
    let extras = Extras {
        encryption_context: Some(&context),
        grant_tokens: &tokens,
        ..Extras::default()
    };
    let id = k.key_for(ctx, caller, &r.key_id, &ENCRYPT, &extras)?;
    let (ciphertext_blob, key_id) = seal_under(k, ctx, id, &context, r.plaintext.expose())?;
    Ok(Response::Encrypt(EncryptResponse {
        ciphertext_blob,
        key_id: key_id.to_string(),
        encryption_algorithm: SYMMETRIC_DEFAULT.into(),
    }))
}

/// The longest CiphertextBlob Decrypt and ReEncrypt take (API reference,
/// `CiphertextType`: min 1, max 6144).
pub const MAX_CIPHERTEXT_BLOB: usize = 6144;

/// Checks a CiphertextBlob's length, as AWS does before reading it.
fn check_ciphertext_blob(blob: &[u8]) -> Result<(), KmsError> {
    check_sensitive_length("ciphertextBlob", blob.len(), 1, MAX_CIPHERTEXT_BLOB)
}

/// `Decrypt`.
pub fn decrypt(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &DecryptRequest,
) -> Result<Response, KmsError> {
    check_grant_tokens(&r.grant_tokens)?;
    check_algorithm("encryptionAlgorithm", &r.encryption_algorithm)?;
    check_ciphertext_blob(&r.ciphertext_blob)?;
    let context = context(&r.encryption_context);
    let tokens = r.grant_tokens.clone().unwrap_or_default();
    let extras = Extras {
        encryption_context: Some(&context),
        grant_tokens: &tokens,
        ..Extras::default()
    };
    let (plaintext, key_id) = open_blob(
        k,
        ctx,
        caller,
        &r.ciphertext_blob,
        r.key_id.as_deref(),
        &extras,
        &DECRYPT,
    )?;
    Ok(Response::Decrypt(DecryptResponse {
        key_id: key_id.to_string(),
        plaintext,
        encryption_algorithm: SYMMETRIC_DEFAULT.into(),
    }))
}

/// `ReEncrypt`: needs kms:ReEncryptFrom on the source and kms:ReEncryptTo
/// on the destination; the plaintext never leaves KMS.
pub fn re_encrypt(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &ReEncryptRequest,
) -> Result<Response, KmsError> {
    check_grant_tokens(&r.grant_tokens)?;
    check_ciphertext_blob(&r.ciphertext_blob)?;
    check_algorithm("sourceEncryptionAlgorithm", &r.source_encryption_algorithm)?;
    check_algorithm(
        "destinationEncryptionAlgorithm",
        &r.destination_encryption_algorithm,
    )?;
    let tokens = r.grant_tokens.clone().unwrap_or_default();
    let source_context = context(&r.source_encryption_context);
    let source = Extras {
        encryption_context: Some(&source_context),
        grant_tokens: &tokens,
        ..Extras::default()
    };
    let (plaintext, source_key_id) = open_blob(
        k,
        ctx,
        caller,
        &r.ciphertext_blob,
        r.source_key_id.as_deref(),
        &source,
        &REENCRYPT_FROM,
    )?;
    let destination_context = context(&r.destination_encryption_context);
    let destination = Extras {
        encryption_context: Some(&destination_context),
        grant_tokens: &tokens,
        ..Extras::default()
    };
    let id = k.key_for(
        ctx,
        caller,
        &r.destination_key_id,
        &REENCRYPT_TO,
        &destination,
    )?;
    let (ciphertext_blob, key_id) =
        seal_under(k, ctx, id, &destination_context, plaintext.expose())?;
    Ok(Response::ReEncrypt(ReEncryptResponse {
        ciphertext_blob,
        source_key_id: source_key_id.to_string(),
        key_id: key_id.to_string(),
        source_encryption_algorithm: SYMMETRIC_DEFAULT.into(),
        destination_encryption_algorithm: SYMMETRIC_DEFAULT.into(),
    }))
}

fn data_key(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &GenerateDataKeyRequest,
    with_plaintext: bool,
) -> Result<Response, KmsError> {
    check_grant_tokens(&r.grant_tokens)?;
    let length = match (r.number_of_bytes, r.key_spec) {
        (Some(_), Some(_)) | (None, None) => {
            return Err(KmsError::ValidationException(
                "Please specify either number of bytes or key spec.".into(),
            ));
        }
        (Some(n), None) if n == 0 || n > MAX_RANDOM_BYTES => {
            return Err(validation(
                "numberOfBytes",
                n,
                "Member must have value between 1 and 1024",
            ));
        }
        (Some(n), None) => n as usize,
        (None, Some(DataKeySpec::AES_256)) => 32,
        (None, Some(DataKeySpec::AES_128)) => 16,
    };
    let access = if with_plaintext {
        &GENERATE_DATA_KEY
    } else {
        &GENERATE_DATA_KEY_WITHOUT_PLAINTEXT
    };
    let context = context(&r.encryption_context);
    let tokens = r.grant_tokens.clone().unwrap_or_default();
    let extras = Extras {
        encryption_context: Some(&context),
        grant_tokens: &tokens,
        ..Extras::default()
    };
    let id = k.key_for(ctx, caller, &r.key_id, access, &extras)?;
    let data_key = ctx.random.secret(length);
    let (ciphertext_blob, key_id) = seal_under(k, ctx, id, &context, data_key.expose())?;
    let key_id = key_id.to_string();
    Ok(if with_plaintext {
        Response::GenerateDataKey(GenerateDataKeyResponse {
            ciphertext_blob,
            plaintext: data_key,
            key_id,
        })
    } else {
        Response::GenerateDataKeyWithoutPlaintext(GenerateDataKeyWithoutPlaintextResponse {
            ciphertext_blob,
            key_id,
        })
    })
}

/// `GenerateDataKey`.
pub fn generate_data_key(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &GenerateDataKeyRequest,
) -> Result<Response, KmsError> {
    data_key(k, ctx, caller, r, true)
}

/// `GenerateDataKeyWithoutPlaintext`.
pub fn generate_data_key_without_plaintext(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &GenerateDataKeyRequest,
) -> Result<Response, KmsError> {
    data_key(k, ctx, caller, r, false)
}

/// `GenerateRandom`.
pub fn generate_random(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &GenerateRandomRequest,
) -> Result<Response, KmsError> {
    let n = r.number_of_bytes.unwrap_or(0);
    if n == 0 || n > MAX_RANDOM_BYTES {
        return Err(validation(
            "numberOfBytes",
            n,
            "Member must have value between 1 and 1024",
        ));
    }
    let account = caller_account(caller)?;
    k.iam
        .decide_in_account(ctx, caller, "kms:GenerateRandom", "*".into(), &account)?;
    let plaintext = ctx.random.secret(n as usize);
    Ok(Response::GenerateRandom(GenerateRandomResponse {
        plaintext,
    }))
}
