//! Encrypt, Decrypt, ReEncrypt, GenerateDataKey(WithoutPlaintext), GenerateRandom.

use super::api::responses::*;
use super::api::*;
use super::check_grant_tokens;
use super::state::{KeyOperation, check};
use crate::authz::{Extras, Target};
use crate::crypto::blob::{CiphertextBlob, invalid_ciphertext};
use crate::crypto::context::EncryptionContext;
use crate::crypto::{SealRandomness, open, seal};
use crate::error::{KmsError, validation};
use crate::ids::KeyId;
use crate::principal::Caller;
use crate::request::Response;
use crate::secret::SecretBytes;
use crate::world::{CallRecord, World};
use alloc::format;
use alloc::string::String;
use alloc::vec;

/// Longest plaintext `Encrypt` takes.
pub const MAX_PLAINTEXT: usize = 4096;
/// Longest data key or random string.
pub const MAX_RANDOM_BYTES: u32 = 1024;

/// S8's message: what KMS answers when the key a ciphertext names cannot be
/// used by the caller, without saying whether it exists.
pub const CIPHERTEXT_KEY_INACCESSIBLE: &str = "The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.";

fn check_algorithm(field: &str, algorithm: &Option<String>) -> Result<(), KmsError> {
    match algorithm.as_deref() {
        None | Some(SYMMETRIC_DEFAULT) => Ok(()),
        Some(a @ ("RSAES_OAEP_SHA_1" | "RSAES_OAEP_SHA_256" | "SM2PKE")) => {
            Err(KmsError::InvalidKeyUsageException(format!(
                "{a} is an asymmetric algorithm; symmetric keys use only SYMMETRIC_DEFAULT."
            )))
        }
        Some(other) => Err(validation(
            field,
            other,
            "Member must satisfy enum value set: [SYMMETRIC_DEFAULT, RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256, SM2PKE]",
        )),
    }
}

fn context(c: &Option<EncryptionContext>) -> EncryptionContext {
    c.clone().unwrap_or_default()
}

impl World {
    fn seal_under(
        &mut self,
        id: KeyId,
        context: &EncryptionContext,
        plaintext: &[u8],
    ) -> Result<(alloc::vec::Vec<u8>, String), KmsError> {
        let random = SealRandomness {
            kdf_nonce: self.random(),
            iv: self.random(),
        };
        let key = self.key_mut(id)?;
        let (version, backing) = key.current_backing_key();
        Ok((
            seal(id, version, backing, &random, context, plaintext),
            key.arn(),
        ))
    }

    /// Finds, authorizes and state-checks the key a blob names, then opens it.
    fn open_blob(
        &mut self,
        caller: &Caller,
        blob: &[u8],
        claimed_key: Option<&str>,
        extras: &Extras<'_>,
        operation: KeyOperation,
        rec: &mut CallRecord,
    ) -> Result<(SecretBytes, String), KmsError> {
        let parsed = CiphertextBlob::parse(blob)?;
        let inaccessible = || KmsError::AccessDeniedException(CIPHERTEXT_KEY_INACCESSIBLE.into());
        if let Some(claimed) = claimed_key {
            let id = self.resolve_key(caller, claimed, rec)?;
            if id != parsed.key_id {
                return Err(KmsError::IncorrectKeyException(
                    "The key ID in the request does not identify a CMK that can perform this operation.".into(),
                ));
            }
        }
        let key = match self.kms.keys.get(&parsed.key_id) {
            Some(k) if k.region == caller.region => k,
            _ => return Err(inaccessible()),
        };
        let alias = claimed_key.and_then(super::request_alias);
        let extras = Extras {
            request_alias: alias.as_deref(),
            ..*extras
        };
        match (
            self.authorize(caller, operation.action(), Target::Key(key), &extras, rec),
            claimed_key,
        ) {
            (Ok(()), _) => {}
            // Without a KeyId the caller learns nothing about the key.
            (Err(_), None) => return Err(inaccessible()),
            (Err(e), Some(_)) => return Err(e),
        }
        check(key, operation)?;
        let context = extras.encryption_context.cloned().unwrap_or_default();
        let backing = key
            .backing_key(parsed.backing_version)
            .ok_or_else(invalid_ciphertext)?;
        Ok((open(&parsed, backing, &context)?, key.arn()))
    }

    pub(crate) fn encrypt(
        &mut self,
        caller: &Caller,
        r: &EncryptRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        check_grant_tokens(&r.grant_tokens)?;
        check_algorithm("encryptionAlgorithm", &r.encryption_algorithm)?;
        if r.plaintext.is_empty() || r.plaintext.len() > MAX_PLAINTEXT {
            return Err(validation(
                "plaintext",
                "[sensitive]",
                "Member must have length between 1 and 4096 (use GenerateDataKey and encrypt larger data locally)",
            ));
        }
        let context = context(&r.encryption_context);
        let tokens = r.grant_tokens.clone().unwrap_or_default();
        let extras = Extras {
            encryption_context: Some(&context),
            grant_tokens: &tokens,
            ..Extras::default()
        };
        let id = self.key_for(caller, &r.key_id, KeyOperation::Encrypt, &extras, rec)?;
        let (ciphertext_blob, key_id) = self.seal_under(id, &context, r.plaintext.expose())?;
        Ok(Response::Encrypt(EncryptResponse {
            ciphertext_blob,
            key_id,
            encryption_algorithm: SYMMETRIC_DEFAULT.into(),
        }))
    }

    pub(crate) fn decrypt(
        &mut self,
        caller: &Caller,
        r: &DecryptRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        check_grant_tokens(&r.grant_tokens)?;
        check_algorithm("encryptionAlgorithm", &r.encryption_algorithm)?;
        let context = context(&r.encryption_context);
        let tokens = r.grant_tokens.clone().unwrap_or_default();
        let extras = Extras {
            encryption_context: Some(&context),
            grant_tokens: &tokens,
            ..Extras::default()
        };
        let (plaintext, key_id) = self.open_blob(
            caller,
            &r.ciphertext_blob,
            r.key_id.as_deref(),
            &extras,
            KeyOperation::Decrypt,
            rec,
        )?;
        Ok(Response::Decrypt(DecryptResponse {
            key_id,
            plaintext,
            encryption_algorithm: SYMMETRIC_DEFAULT.into(),
        }))
    }

    pub(crate) fn re_encrypt(
        &mut self,
        caller: &Caller,
        r: &ReEncryptRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        check_grant_tokens(&r.grant_tokens)?;
        check_algorithm("sourceEncryptionAlgorithm", &r.source_encryption_algorithm)?;
        check_algorithm(
            "destinationEncryptionAlgorithm",
            &r.destination_encryption_algorithm,
        )?;
        // ReEncrypt needs kms:ReEncryptFrom on the source and kms:ReEncryptTo on
        // the destination; the plaintext never leaves KMS.
        let tokens = r.grant_tokens.clone().unwrap_or_default();
        let source_context = context(&r.source_encryption_context);
        let source = Extras {
            encryption_context: Some(&source_context),
            grant_tokens: &tokens,
            ..Extras::default()
        };
        let (plaintext, source_key_id) = self.open_blob(
            caller,
            &r.ciphertext_blob,
            r.source_key_id.as_deref(),
            &source,
            KeyOperation::ReEncryptFrom,
            rec,
        )?;
        let destination_context = context(&r.destination_encryption_context);
        let destination = Extras {
            encryption_context: Some(&destination_context),
            grant_tokens: &tokens,
            ..Extras::default()
        };
        let id = self.key_for(
            caller,
            &r.destination_key_id,
            KeyOperation::ReEncryptTo,
            &destination,
            rec,
        )?;
        let (ciphertext_blob, key_id) =
            self.seal_under(id, &destination_context, plaintext.expose())?;
        Ok(Response::ReEncrypt(ReEncryptResponse {
            ciphertext_blob,
            source_key_id,
            key_id,
            source_encryption_algorithm: SYMMETRIC_DEFAULT.into(),
            destination_encryption_algorithm: SYMMETRIC_DEFAULT.into(),
        }))
    }

    pub(crate) fn generate_data_key(
        &mut self,
        caller: &Caller,
        r: &GenerateDataKeyRequest,
        with_plaintext: bool,
        rec: &mut CallRecord,
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
        let operation = if with_plaintext {
            KeyOperation::GenerateDataKey
        } else {
            KeyOperation::GenerateDataKeyWithoutPlaintext
        };
        let context = context(&r.encryption_context);
        let tokens = r.grant_tokens.clone().unwrap_or_default();
        let extras = Extras {
            encryption_context: Some(&context),
            grant_tokens: &tokens,
            ..Extras::default()
        };
        let id = self.key_for(caller, &r.key_id, operation, &extras, rec)?;
        let data_key = self.random_secret(length);
        let (ciphertext_blob, key_id) = self.seal_under(id, &context, data_key.expose())?;
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

    /// `len` fresh random bytes that are secret from birth (moved, never copied).
    fn random_secret(&mut self, len: usize) -> SecretBytes {
        use rand_core::Rng;
        let mut raw = vec![0u8; len];
        self.rng.fill_bytes(&mut raw);
        SecretBytes::new(raw)
    }

    pub(crate) fn generate_random(
        &mut self,
        caller: &Caller,
        r: &GenerateRandomRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        let n = r.number_of_bytes.unwrap_or(0);
        if n == 0 || n > MAX_RANDOM_BYTES {
            return Err(validation(
                "numberOfBytes",
                n,
                "Member must have value between 1 and 1024",
            ));
        }
        let account = Self::caller_account(caller)?;
        self.authorize_account(caller, "kms:GenerateRandom", "*".into(), &account, rec)?;
        let plaintext = self.random_secret(n as usize);
        Ok(Response::GenerateRandom(GenerateRandomResponse {
            plaintext,
        }))
    }
}
