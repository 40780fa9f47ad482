//! CreateVolume, DescribeVolumes.

use super::api::*;
use super::state::{Ebs, Encryption, Volume};
use crate::crypto::context::EncryptionContext;
use crate::env::{Ctx, KmsCalls, nested};
use crate::error::KmsError;
use crate::iam::Iam;
use crate::iam::authz::caller_account;
use crate::kms::api::{
    CreateGrantRequest, DataKeySpec, GenerateDataKeyRequest, GrantConstraints, KeyIdRequest,
    KeySpec,
};
use crate::principal::{AwsService, Caller};
use crate::request::{Request, Response};
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// What EBS's grant on a volume's key allows.
pub const GRANT_OPERATIONS: &[&str] = &[
    "Decrypt",
    "GenerateDataKeyWithoutPlaintext",
    "ReEncryptFrom",
    "ReEncryptTo",
    "DescribeKey",
    "RetireGrant",
];

const VOLUME_TYPES: [&str; 7] = ["gp3", "gp2", "io1", "io2", "st1", "sc1", "standard"];

/// EBS's state, IAM to read (permission to create volumes), and KMS to call
/// on a caller's behalf.
pub struct EbsCall<'a> {
    /// EBS's state.
    pub ebs: &'a mut Ebs,
    /// IAM's state, read only.
    pub iam: &'a Iam,
    /// KMS, through audited requests.
    pub kms: &'a mut dyn KmsCalls,
}

/// The encryption context of a volume's data key (and its grant's
/// constraint).
pub fn volume_context(volume_id: &str) -> EncryptionContext {
    EncryptionContext::from_pairs([("aws:ebs:id", volume_id)])
}

/// EC2's answer when KMS refuses a key: a missing, disabled or pending key
/// is `InvalidKMSKey.InvalidState`; an access denial stays KMS's.
fn key_refusal(error: KmsError) -> KmsError {
    match error {
        KmsError::NotFoundException(m)
        | KmsError::DisabledException(m)
        | KmsError::KMSInvalidStateException(m) => KmsError::InvalidKmsKeyInvalidState(format!(
            "The KMS key provided is in an incorrect state: {m}"
        )),
        other => other,
    }
}

/// Describes, checks and attaches the key for volume `id`, then generates
/// its data key, each as the caller through EC2.
fn encrypt_volume(
    c: &mut EbsCall<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    key_id: &str,
    id: &str,
    arn: &str,
) -> Result<Encryption, KmsError> {
    let mut via = caller.clone().via(AwsService::Ebs);
    via.source_arn = Some(arn.into());
    let described = nested(
        c.kms,
        ctx,
        via.clone(),
        Request::DescribeKey(KeyIdRequest {
            key_id: key_id.into(),
            grant_tokens: None,
        }),
    )
    .map_err(key_refusal)?;
    let Response::KeyMetadata(described) = described else {
        return Err(key_refusal(KmsError::NotFoundException(key_id.into())));
    };
    let Some(metadata) = described.key_metadata else {
        return Err(key_refusal(KmsError::NotFoundException(key_id.into())));
    };
    if metadata.key_spec != KeySpec::SYMMETRIC_DEFAULT {
        return Err(KmsError::InvalidParameterValue(format!(
            "Amazon EBS does not support asymmetric KMS keys: {} is {:?} ({:?}). Use a symmetric encryption key (SYMMETRIC_DEFAULT).",
            metadata.arn, metadata.key_spec, metadata.key_usage
        )));
    }
    let context = volume_context(id);
    let grant = nested(
        c.kms,
        ctx,
        via.clone(),
        Request::CreateGrant(CreateGrantRequest {
            key_id: metadata.arn.clone(),
            grantee_principal: AwsService::Ebs.principal().into(),
            retiring_principal: Some(AwsService::Ebs.principal().into()),
            operations: GRANT_OPERATIONS.iter().map(|s| s.to_string()).collect(),
            constraints: Some(GrantConstraints {
                encryption_context_subset: Some(BTreeMap::from([(
                    "aws:ebs:id".to_string(),
                    id.to_string(),
                )])),
                encryption_context_equals: None,
            }),
            name: Some(id.into()),
            ..Default::default()
        }),
    )
    .map_err(key_refusal)?;
    let Response::CreateGrant(grant) = grant else {
        return Err(key_refusal(KmsError::NotFoundException(metadata.arn)));
    };
    let generated = nested(
        c.kms,
        ctx,
        via,
        Request::GenerateDataKeyWithoutPlaintext(GenerateDataKeyRequest {
            key_id: metadata.arn.clone(),
            encryption_context: Some(context),
            key_spec: Some(DataKeySpec::AES_256),
            ..Default::default()
        }),
    )
    .map_err(key_refusal)?;
    let Response::GenerateDataKeyWithoutPlaintext(data_key) = generated else {
        return Err(key_refusal(KmsError::NotFoundException(metadata.arn)));
    };
    Ok(Encryption {
        key_arn: metadata.arn,
        grant_id: grant.grant_id,
        encrypted_data_key: data_key.ciphertext_blob,
    })
}

/// EC2's code for an IAM denial, with IAM's explanation.
fn unauthorized(error: KmsError) -> KmsError {
    match error {
        KmsError::AccessDeniedException(m) => KmsError::UnauthorizedOperation(format!(
            "You are not authorized to perform this operation. {m}"
        )),
        other => other,
    }
}

fn invalid(message: String) -> KmsError {
    KmsError::InvalidParameterValue(message)
}

/// `CreateVolume`.
pub fn create_volume(
    c: &mut EbsCall<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &CreateVolumeRequest,
) -> Result<Response, KmsError> {
    let account = caller_account(caller)?;
    let region = caller.region.clone();
    let zone = &r.availability_zone;
    let in_region = zone
        .strip_prefix(region.as_str())
        .is_some_and(|letter| letter.len() == 1 && letter.bytes().all(|b| b.is_ascii_lowercase()));
    if !in_region {
        return Err(invalid(format!(
            "Invalid availability zone: [{zone}]. Volumes are created in a zone of the caller's Region, such as {region}a."
        )));
    }
    let size = r.size.unwrap_or(8);
    if !(1..=16384).contains(&size) {
        return Err(invalid(format!(
            "Volume of {size}GiB is not valid: the size must be from 1 to 16384 GiB."
        )));
    }
    let volume_type = r.volume_type.clone().unwrap_or_else(|| "gp3".into());
    if !VOLUME_TYPES.contains(&volume_type.as_str()) {
        return Err(invalid(format!(
            "Value ({volume_type}) for parameter volumeType is invalid: use one of {}.",
            VOLUME_TYPES.join(", ")
        )));
    }
    let encrypted = r.encrypted.unwrap_or(false);
    if r.kms_key_id.is_some() && !encrypted {
        return Err(KmsError::InvalidParameterDependency(
            "The parameter KmsKeyId requires the parameter Encrypted to be set.".into(),
        ));
    }
    let digits: [u8; 9] = ctx.random.bytes();
    let id = format!("vol-{}", &hex::encode(digits)[..17]);
    let arn = format!("arn:aws:ec2:{region}:{account}:volume/{id}");
    c.iam
        .decide_in_account(
            ctx,
            caller,
            "ec2:CreateVolume",
            arn.clone().into(),
            &account,
        )
        .map_err(unauthorized)?;
    let encryption = if encrypted {
        let key_id = r.kms_key_id.as_deref().unwrap_or("alias/aws/ebs");
        Some(encrypt_volume(c, ctx, caller, key_id, &id, &arn)?)
    } else {
        None
    };
    let volume = Volume {
        id: id.clone(),
        availability_zone: zone.clone(),
        size,
        volume_type,
        encryption,
        created: ctx.now(),
    };
    let mut view = view(&volume);
    view.state = "creating";
    c.ebs.volumes.insert((account, region, id), volume);
    Ok(Response::Ebs(EbsResponse::Volume(view)))
}

fn view(volume: &Volume) -> VolumeView {
    VolumeView {
        volume_id: volume.id.clone(),
        size: volume.size,
        availability_zone: volume.availability_zone.clone(),
        state: "available",
        volume_type: volume.volume_type.clone(),
        encrypted: volume.encryption.is_some(),
        kms_key_id: volume.encryption.as_ref().map(|e| e.key_arn.clone()),
        create_time: volume.created.epoch_seconds(),
    }
}

/// `DescribeVolumes`.
pub fn describe_volumes(
    c: &mut EbsCall<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &DescribeVolumesRequest,
) -> Result<Response, KmsError> {
    let account = caller_account(caller)?;
    c.iam
        .decide_in_account(ctx, caller, "ec2:DescribeVolumes", "*".into(), &account)
        .map_err(unauthorized)?;
    let volumes: Vec<VolumeView> = match &r.volume_ids {
        None => c
            .ebs
            .volumes
            .iter()
            .filter(|((a, region, _), _)| *a == account && *region == caller.region)
            .map(|(_, v)| view(v))
            .collect(),
        Some(ids) => {
            let mut found = Vec::new();
            for id in ids {
                let key = (account.clone(), caller.region.clone(), id.clone());
                match c.ebs.volumes.get(&key) {
                    Some(v) => found.push(view(v)),
                    None => {
                        return Err(KmsError::InvalidVolumeNotFound(format!(
                            "The volume '{id}' does not exist."
                        )));
                    }
                }
            }
            found
        }
    };
    Ok(Response::Ebs(EbsResponse::Volumes { volumes }))
}
