//! Key specs and key usages: which combinations `CreateKey` accepts, which
//! algorithms `DescribeKey` lists, and which operations each kind of key
//! allows (KMS's "key type reference").
//!
//! Symmetric encryption keys are simulated completely. RSA and ECC keys
//! exist (created, described, authorized, aliased, granted, disabled,
//! deleted), so that a service refusing them can be shown; their own
//! cryptography (RSA encryption, Sign, Verify, key agreement) is not
//! simulated and says so.

use crate::error::{KmsError, validation};
use crate::kms::api::{KeySpec, KeyUsage};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// The usage `CreateKey` gives a key of `spec` asked for `usage`, or AWS's
/// error for a combination it refuses.
pub fn check_create(spec: KeySpec, usage: Option<KeyUsage>) -> Result<KeyUsage, KmsError> {
    use KeySpec::*;
    use KeyUsage::*;
    let allowed: &[KeyUsage] = match spec {
        SYMMETRIC_DEFAULT => &[ENCRYPT_DECRYPT],
        RSA_2048 | RSA_3072 | RSA_4096 => &[ENCRYPT_DECRYPT, SIGN_VERIFY],
        ECC_NIST_P256 | ECC_NIST_P384 | ECC_NIST_P521 => &[SIGN_VERIFY, KEY_AGREEMENT],
        ECC_SECG_P256K1 => &[SIGN_VERIFY],
        other => {
            return Err(KmsError::UnsupportedOperationException(format!(
                "KeySpec {other:?} is a real KMS key spec, but this simulator implements SYMMETRIC_DEFAULT, RSA and ECC keys only."
            )));
        }
    };
    let usage = match (spec, usage) {
        (SYMMETRIC_DEFAULT, None) => ENCRYPT_DECRYPT,
        // API reference, CreateKey KeyUsage: "This parameter is optional
        // when you are creating a symmetric encryption KMS key; otherwise,
        // it is required."
        (_, None) => {
            return Err(KmsError::ValidationException(
                "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.".into(),
            ));
        }
        (_, Some(u)) => u,
    };
    if !allowed.contains(&usage) {
        return Err(validation(
            "keyUsage",
            format!("{usage:?}"),
            &format!("KeySpec {spec:?} supports only {allowed:?}"),
        ));
    }
    Ok(usage)
}

fn names(items: &[&str]) -> Vec<String> {
    items.iter().map(ToString::to_string).collect()
}

/// `EncryptionAlgorithms`, `SigningAlgorithms` and `KeyAgreementAlgorithms`
/// of a key, as `DescribeKey` lists them (absent lists are empty).
pub fn algorithms(spec: KeySpec, usage: KeyUsage) -> [Vec<String>; 3] {
    use KeySpec::*;
    use KeyUsage::*;
    let rsa = matches!(spec, RSA_2048 | RSA_3072 | RSA_4096);
    match usage {
        ENCRYPT_DECRYPT if rsa => [
            names(&["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"]),
            Vec::new(),
            Vec::new(),
        ],
        ENCRYPT_DECRYPT => [
            names(&[crate::kms::api::SYMMETRIC_DEFAULT]),
            Vec::new(),
            Vec::new(),
        ],
        SIGN_VERIFY => {
            let signing: &[&str] = match spec {
                ECC_NIST_P256 | ECC_SECG_P256K1 => &["ECDSA_SHA_256"],
                ECC_NIST_P384 => &["ECDSA_SHA_384"],
                ECC_NIST_P521 => &["ECDSA_SHA_512"],
                _ => &[
                    "RSASSA_PSS_SHA_256",
                    "RSASSA_PSS_SHA_384",
                    "RSASSA_PSS_SHA_512",
                    "RSASSA_PKCS1_V1_5_SHA_256",
                    "RSASSA_PKCS1_V1_5_SHA_384",
                    "RSASSA_PKCS1_V1_5_SHA_512",
                ],
            };
            [Vec::new(), names(signing), Vec::new()]
        }
        KEY_AGREEMENT => [Vec::new(), Vec::new(), names(&["ECDH"])],
        GENERATE_VERIFY_MAC => [Vec::new(), Vec::new(), Vec::new()],
    }
}

/// Whether the key `arn` of `spec` and `usage` allows `action`; if not,
/// KMS's error. Checked after permission and key state, as KMS does.
pub fn check_use(action: &str, arn: &str, spec: KeySpec, usage: KeyUsage) -> Result<(), KmsError> {
    if spec == KeySpec::SYMMETRIC_DEFAULT {
        return Ok(());
    }
    match action {
        "kms:GenerateDataKey" | "kms:GenerateDataKeyWithoutPlaintext" => {
            Err(KmsError::InvalidKeyUsageException(format!(
                "{arn} is an asymmetric key ({spec:?}, {usage:?}): {} needs a symmetric encryption KMS key (SYMMETRIC_DEFAULT).",
                &action[4..]
            )))
        }
        "kms:Encrypt" | "kms:Decrypt" | "kms:ReEncryptFrom" | "kms:ReEncryptTo" => {
            if usage != KeyUsage::ENCRYPT_DECRYPT {
                return Err(KmsError::InvalidKeyUsageException(format!(
                    "{arn} has KeyUsage {usage:?}: {} needs a key whose KeyUsage is ENCRYPT_DECRYPT.",
                    &action[4..]
                )));
            }
            Err(KmsError::UnsupportedOperationException(format!(
                "{arn} is an RSA key: encrypting with RSAES_OAEP_SHA_1 or RSAES_OAEP_SHA_256 is real KMS behaviour that this simulator does not implement yet."
            )))
        }
        "kms:EnableKeyRotation" | "kms:DisableKeyRotation" | "kms:RotateKeyOnDemand" => {
            Err(KmsError::UnsupportedOperationException(format!(
                "{arn} is an asymmetric key ({spec:?}): KMS rotates only symmetric encryption keys."
            )))
        }
        _ => Ok(()),
    }
}
