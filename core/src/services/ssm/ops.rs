//! PutParameter, GetParameter, GetParameters, DeleteParameter.

use super::api::*;
use super::state::{Parameter, ParameterType, Ssm, parameter_arn};
use crate::crypto::context::EncryptionContext;
use crate::env::{Ctx, KmsCalls, nested_outcome};
use crate::error::KmsError;
use crate::iam::Iam;
use crate::iam::authz::caller_account;
use crate::ids::AccountId;
use crate::kms::api::{DecryptRequest, EncryptRequest};
use crate::principal::{AwsService, Caller};
use crate::request::{Request, Response};
use crate::secret::{SecretBytes, SecretString};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// How Parameter Store answers when KMS refuses a call it made for the
/// caller. A key that is missing, disabled or pending deletion is SSM's
/// `InvalidKeyId` ("The query key ID isn't valid", botocore's SSM model);
/// an access denial stays `AccessDeniedException`. Either way the message
/// is KMS's, followed by the SDK's account of the KMS error, as captured
/// from AWS: "InvalidKeyId: arn:aws:kms:...:key/... is disabled. (Service:
/// AWSKMS; Status Code: 400; Error Code: DisabledException; Request ID:
/// ...; Proxy: null)" (also for NotFoundException and
/// KMSInvalidStateException; and "AccessDeniedException: User: ... is not
/// authorized to perform: kms:Decrypt ... (Service: AWSKMS; Status Code:
/// 400; Error Code: AccessDeniedException; ...)").
fn kms_refusal(error: KmsError, request_id: Option<uuid::Uuid>) -> KmsError {
    let suffix = |e: &KmsError| {
        let id = request_id.map(|id| id.to_string()).unwrap_or_default();
        format!(
            "{} (Service: AWSKMS; Status Code: 400; Error Code: {}; Request ID: {id}; Proxy: null)",
            e.message(),
            e.name()
        )
    };
    match &error {
        KmsError::NotFoundException(_)
        | KmsError::DisabledException(_)
        | KmsError::KMSInvalidStateException(_) => KmsError::InvalidKeyId(suffix(&error)),
        KmsError::AccessDeniedException(_) => KmsError::AccessDeniedException(suffix(&error)),
        _ => error,
    }
}

/// Parameter Store's state, IAM to read (permissions on parameters), and
/// KMS to call on a caller's behalf.
pub struct SsmCall<'a> {
    /// Parameter Store's state.
    pub ssm: &'a mut Ssm,
    /// IAM's state, read only.
    pub iam: &'a Iam,
    /// KMS, through audited requests.
    pub kms: &'a mut dyn KmsCalls,
}

impl SsmCall<'_> {
    /// Calls KMS for the caller, through SSM; a refusal comes back as SSM
    /// answers it (see [`kms_refusal`]).
    fn call_kms(
        &mut self,
        ctx: &mut Ctx<'_>,
        caller: &Caller,
        request: Request,
    ) -> Result<Response, KmsError> {
        let outcome = nested_outcome(self.kms, ctx, ssm_caller(caller), request);
        outcome.result.map_err(|e| {
            let request_id = outcome
                .audit_events
                .last()
                .and_then(|&seq| ctx.audit.get(seq))
                .and_then(|event| event.request_id);
            kms_refusal(e, request_id)
        })
    }

    fn authorize(
        &self,
        ctx: &mut Ctx<'_>,
        caller: &Caller,
        action: &'static str,
        arn: String,
        account: &AccountId,
    ) -> Result<(), KmsError> {
        self.iam
            .decide_in_account(ctx, caller, action, arn.into(), account)
    }
}

fn ssm_caller(caller: &Caller) -> Caller {
    caller.clone().via(AwsService::Ssm)
}

fn check_name(name: &str) -> Result<(), KmsError> {
    let ok = !name.is_empty()
        && name.len() <= 2048
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.-/".contains(&b))
        && !name
            .to_ascii_lowercase()
            .trim_start_matches('/')
            .starts_with("aws")
        && !name
            .to_ascii_lowercase()
            .trim_start_matches('/')
            .starts_with("ssm");
    if ok {
        Ok(())
    } else {
        Err(KmsError::ValidationException(format!(
            "Parameter name {name} is not valid: use letters, digits, and _.-/ ; names cannot begin with aws or ssm."
        )))
    }
}

/// `PutParameter`.
pub fn put_parameter(
    s: &mut SsmCall<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &PutParameterRequest,
) -> Result<Response, KmsError> {
    check_name(&r.name)?;
    // SSM API reference (PutParameterRequest.Value: min 1, max 4096 for the
    // standard tier).
    crate::error::check_sensitive_length("value", r.value.len(), 1, 4096)?;
    let account = caller_account(caller)?;
    let region = caller.region.clone();
    let arn = parameter_arn(&region, &account, &r.name);
    s.authorize(ctx, caller, "ssm:PutParameter", arn.clone(), &account)?;
    let slot = (account, region, r.name.clone());
    let existing = s.ssm.parameters.get(&slot);
    let previous = existing.map(|p| p.version);
    if previous.is_some() && r.overwrite != Some(true) {
        return Err(KmsError::ParameterAlreadyExists(
            "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.".into(),
        ));
    }
    // SSM API reference, PutParameterRequest.Type: "Specifying a parameter
    // type isn't required when updating a parameter. You must specify a
    // parameter type when creating a parameter." An overwrite without Type
    // keeps the parameter's type and key: a SecureString stays encrypted.
    let kind = match (r.kind, existing) {
        (Some(kind), _) => kind,
        (None, Some(p)) => p.kind,
        (None, None) => {
            return Err(KmsError::ValidationException(
                "A parameter type is required when you create a parameter.".into(),
            ));
        }
    };
    if r.key_id.is_some() && kind != ParameterType::SecureString {
        return Err(KmsError::ValidationException(
            "KeyId is only valid for SecureString parameters.".into(),
        ));
    }
    let kept_key = existing
        .filter(|p| p.kind == ParameterType::SecureString)
        .and_then(|p| p.key_arn.clone());
    let (stored, key_arn) = if kind == ParameterType::SecureString {
        let key_id = r
            .key_id
            .clone()
            .or(kept_key)
            .unwrap_or_else(|| "alias/aws/ssm".into());
        let encrypted = s.call_kms(
            ctx,
            caller,
            Request::Encrypt(EncryptRequest {
                key_id: key_id.clone(),
                plaintext: SecretBytes::from(r.value.expose().as_bytes()),
                encryption_context: Some(EncryptionContext::from_pairs([(
                    "PARAMETER_ARN",
                    arn.as_str(),
                )])),
                ..Default::default()
            }),
        );
        match encrypted? {
            Response::Encrypt(e) => (e.ciphertext_blob, Some(e.key_id)),
            _ => return Err(KmsError::InvalidKeyId(key_id)),
        }
    } else {
        (r.value.expose().as_bytes().to_vec(), None)
    };
    let version = previous.unwrap_or(0) + 1;
    s.ssm.parameters.insert(
        slot,
        Parameter {
            name: r.name.clone(),
            kind,
            stored,
            key_arn,
            version,
            modified: ctx.now(),
        },
    );
    Ok(Response::Ssm(SsmResponse::Put {
        version,
        tier: "Standard".into(),
    }))
}

fn read_parameter(
    s: &mut SsmCall<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    name: &str,
    decrypt: bool,
) -> Result<Option<ParameterView>, KmsError> {
    let account = caller_account(caller)?;
    let region = caller.region.clone();
    let arn = parameter_arn(&region, &account, name);
    s.authorize(ctx, caller, "ssm:GetParameter", arn.clone(), &account)?;
    let Some(p) = s
        .ssm
        .parameters
        .get(&(account, region, name.to_string()))
        .cloned()
    else {
        return Ok(None);
    };
    let value = match (p.kind, decrypt) {
        (ParameterType::SecureString, true) => {
            let decrypted = s.call_kms(
                ctx,
                caller,
                Request::Decrypt(DecryptRequest {
                    ciphertext_blob: p.stored.clone(),
                    encryption_context: Some(EncryptionContext::from_pairs([(
                        "PARAMETER_ARN",
                        arn.as_str(),
                    )])),
                    ..Default::default()
                }),
            )?;
            match decrypted {
                Response::Decrypt(d) => {
                    SecretString::new(String::from_utf8_lossy(d.plaintext.expose()).into_owned())
                }
                _ => {
                    return Err(KmsError::AccessDeniedException(
                        crate::kms::CIPHERTEXT_KEY_INACCESSIBLE.into(),
                    ));
                }
            }
        }
        (ParameterType::SecureString, false) => {
            SecretString::new(crate::base64_blob::encode(&p.stored))
        }
        _ => SecretString::new(String::from_utf8_lossy(&p.stored).into_owned()),
    };
    Ok(Some(ParameterView {
        name: p.name,
        kind: p.kind,
        value,
        version: p.version,
        arn,
        last_modified_date: p.modified.epoch_seconds(),
        data_type: "text".into(),
    }))
}

/// `GetParameter`.
pub fn get_parameter(
    s: &mut SsmCall<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &GetParameterRequest,
) -> Result<Response, KmsError> {
    let parameter = read_parameter(s, ctx, caller, &r.name, r.with_decryption == Some(true))?
        .ok_or_else(|| KmsError::ParameterNotFound(format!("Parameter {} not found.", r.name)))?;
    Ok(Response::Ssm(SsmResponse::One { parameter }))
}

/// `GetParameters`.
pub fn get_parameters(
    s: &mut SsmCall<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &GetParametersRequest,
) -> Result<Response, KmsError> {
    if r.names.is_empty() || r.names.len() > 10 {
        return Err(crate::error::validation(
            "names",
            r.names.len(),
            "Member must have length between 1 and 10",
        ));
    }
    let mut parameters = Vec::new();
    let mut invalid_parameters = Vec::new();
    for name in &r.names {
        match read_parameter(s, ctx, caller, name, r.with_decryption == Some(true))? {
            Some(p) => parameters.push(p),
            None => invalid_parameters.push(name.clone()),
        }
    }
    Ok(Response::Ssm(SsmResponse::Many {
        parameters,
        invalid_parameters,
    }))
}

/// `DeleteParameter`.
pub fn delete_parameter(
    s: &mut SsmCall<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &DeleteParameterRequest,
) -> Result<Response, KmsError> {
    let account = caller_account(caller)?;
    let region = caller.region.clone();
    s.authorize(
        ctx,
        caller,
        "ssm:DeleteParameter",
        parameter_arn(&region, &account, &r.name),
        &account,
    )?;
    s.ssm
        .parameters
        .remove(&(account, region, r.name.clone()))
        .map(|_| Response::Empty(Default::default()))
        .ok_or_else(|| KmsError::ParameterNotFound(format!("Parameter {} not found.", r.name)))
}
