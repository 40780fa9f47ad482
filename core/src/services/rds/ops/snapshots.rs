//! CreateDBClusterSnapshot, CopyDBClusterSnapshot,
//! RestoreDBClusterFromSnapshot, ModifyDBClusterSnapshotAttribute,
//! DescribeDBClusterSnapshots.

use crate::env::{Ctx, nested};
use crate::error::KmsError;
use crate::iam::authz::caller_account;
use crate::ids::AccountId;
use crate::kms::api::{DecryptRequest, KeyIdRequest, KeyManager};
use crate::principal::Caller;
use crate::request::{Request, Response};
use crate::services::rds::api::*;
use crate::services::rds::call::{Kind, RdsCall, check_identifier, new_resource_id, rds_caller};
use crate::services::rds::encryption::{attach_key, data_key_context, not_accessible, rewrap};
use crate::services::rds::health::start_cluster;
use crate::services::rds::state::*;
use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

/// RDS refuses to share a snapshot encrypted with the account's AWS managed
/// key: "You can't share a snapshot that has been encrypted using the
/// default KMS key of the AWS account that shared the snapshot" (RDS user
/// guide, USER_ShareSnapshot; the Aurora guide, share-encrypted-snapshot,
/// says the same and gives the fix: copy under a customer managed key,
/// then share the copy). The API reference names no error for it; the
/// message is the one AWS's own material uses ("Sharing snapshots
/// encrypted with the default service key for RDS is currently not
/// supported"), with RDS's code for a refused parameter.
///
/// RDS learns who manages the key from KMS (DescribeKey as the caller,
/// through RDS, audited). An AWS managed key always answers its own
/// account's callers through RDS; a customer managed key that does not
/// answer is not the default key, so sharing goes ahead.
fn refuse_sharing_managed_key(
    c: &mut RdsCall<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    key: &ResourceKey,
    snapshot_arn: String,
) -> Result<(), KmsError> {
    let Some(key_arn) = c.rds.snapshots.get(key).map(|s| s.storage.key_arn.clone()) else {
        return Ok(());
    };
    let described = nested(
        c.kms,
        ctx,
        rds_caller(caller, snapshot_arn),
        Request::DescribeKey(KeyIdRequest {
            key_id: key_arn,
            grant_tokens: None,
        }),
    );
    match described {
        Ok(Response::KeyMetadata(m))
            if m.key_metadata.as_ref().is_some_and(|k| k.key_manager == KeyManager::AWS) =>
        {
            Err(KmsError::InvalidParameterValue(
                "Sharing snapshots encrypted with the default service key for RDS is currently not supported.".into(),
            ))
        }
        _ => Ok(()),
    }
}

/// `CreateDBClusterSnapshot`.
pub fn create_db_cluster_snapshot(
    c: &mut RdsCall<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &CreateDBClusterSnapshotRequest,
) -> Result<Response, KmsError> {
    check_identifier(
        "DBClusterSnapshotIdentifier",
        &r.db_cluster_snapshot_identifier,
    )?;
    let cluster_key = c.own_cluster_key(caller, &r.db_cluster_identifier)?;
    let (snapshot_key, _) = c.claim_name(
        ctx,
        caller,
        Kind::Snapshot,
        &r.db_cluster_snapshot_identifier,
        "rds:CreateDBClusterSnapshot",
    )?;
    let (account, region) = (snapshot_key.0.clone(), snapshot_key.1.clone());
    let cluster = &c.rds.clusters[&cluster_key];
    if cluster.status != ClusterStatus::Available {
        return Err(KmsError::InvalidDBClusterStateFault(format!(
            "Cannot create a snapshot of DBCluster {} because it is {}.",
            cluster.id,
            cluster.status.as_str()
        )));
    }
    let snapshot = Snapshot {
        id: r.db_cluster_snapshot_identifier.clone(),
        account,
        region,
        cluster_id: cluster.id.clone(),
        engine: cluster.engine.clone(),
        storage: cluster.storage.clone(),
        shared_with: BTreeSet::new(),
        created: ctx.now(),
    };
    let described = DBClusterSnapshot::from(&snapshot);
    c.rds.snapshots.insert(snapshot_key, snapshot);
    Ok(Response::Rds(RdsResponse::Snapshot {
        db_cluster_snapshot: described,
    }))
}

/// `CopyDBClusterSnapshot: the data key is re-encrypted under the copy's key`.
pub fn copy_db_cluster_snapshot(
    c: &mut RdsCall<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &CopyDBClusterSnapshotRequest,
) -> Result<Response, KmsError> {
    check_identifier(
        "TargetDBClusterSnapshotIdentifier",
        &r.target_db_cluster_snapshot_identifier,
    )?;
    let source = c.visible_snapshot(caller, &r.source_db_cluster_snapshot_identifier)?;
    let (target_key, arn) = c.claim_name(
        ctx,
        caller,
        Kind::Snapshot,
        &r.target_db_cluster_snapshot_identifier,
        "rds:CopyDBClusterSnapshot",
    )?;
    let (account, region) = (target_key.0.clone(), target_key.1.clone());
    let destination = match (&r.kms_key_id, source.account == account) {
        (Some(k), _) => k.clone(),
        (None, true) => source.storage.key_arn.clone(),
        (None, false) => {
            return Err(KmsError::InvalidParameterValue(
                "Copying a snapshot shared from another account needs KmsKeyId: a key of your account for the copy.".into(),
            ));
        }
    };
    let (blob, key_arn) = rewrap(
        c.kms,
        ctx,
        caller,
        &source.storage,
        &destination,
        source.storage.data_key_context.clone(),
        arn,
    )?;
    let Some(key) = crate::crypto::blob::CiphertextBlob::parse(&blob)
        .ok()
        .map(|b| b.key_id)
    else {
        return Err(not_accessible(&destination));
    };
    let snapshot = Snapshot {
        id: r.target_db_cluster_snapshot_identifier.clone(),
        account,
        region,
        cluster_id: source.cluster_id.clone(),
        engine: source.engine.clone(),
        storage: Storage {
            encrypted_data_key: blob,
            key,
            key_arn,
            key_deleted: false,
            ..source.storage.clone()
        },
        shared_with: BTreeSet::new(),
        created: ctx.now(),
    };
    let described = DBClusterSnapshot::from(&snapshot);
    c.rds.snapshots.insert(target_key, snapshot);
    Ok(Response::Rds(RdsResponse::Snapshot {
        db_cluster_snapshot: described,
    }))
}

/// `RestoreDBClusterFromSnapshot`.
pub fn restore_db_cluster_from_snapshot(
    c: &mut RdsCall<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &RestoreDBClusterFromSnapshotRequest,
) -> Result<Response, KmsError> {
    check_identifier("DBClusterIdentifier", &r.db_cluster_identifier)?;
    let snapshot = c.visible_snapshot(caller, &r.snapshot_identifier)?;
    let (key, arn) = c.claim_name(
        ctx,
        caller,
        Kind::Cluster,
        &r.db_cluster_identifier,
        "rds:RestoreDBClusterFromSnapshot",
    )?;
    let (account, region) = (key.0.clone(), key.1.clone());
    let requested = r
        .kms_key_id
        .clone()
        .unwrap_or_else(|| snapshot.storage.key_arn.clone());
    let resource_id = new_resource_id(ctx, "cluster");
    let (kms_key, key_arn, grant_id) =
        attach_key(c.kms, ctx, caller, &requested, &arn, &resource_id)?;
    let context = data_key_context(&resource_id);
    let (blob, _) = rewrap(
        c.kms,
        ctx,
        caller,
        &snapshot.storage,
        &key_arn,
        context.clone(),
        arn.clone(),
    )
    .map_err(|_| not_accessible(&snapshot.storage.key_arn))?;
    let decrypted = nested(
        c.kms,
        ctx,
        rds_caller(caller, arn),
        Request::Decrypt(DecryptRequest {
            ciphertext_blob: blob.clone(),
            encryption_context: Some(context.clone()),
            ..Default::default()
        }),
    );
    let Ok(Response::Decrypt(data_key)) = decrypted else {
        return Err(not_accessible(&key_arn));
    };
    let now = ctx.now();
    let cluster = Cluster {
        id: r.db_cluster_identifier.clone(),
        account,
        region,
        resource_id,
        engine: r.engine.clone().unwrap_or_else(|| snapshot.engine.clone()),
        storage: Storage {
            encrypted_data_key: blob,
            data_key_context: context,
            key: kms_key,
            key_arn,
            key_deleted: false,
            ..snapshot.storage.clone()
        },
        data_key: Some(data_key.plaintext),
        grant_id,
        status: ClusterStatus::Available,
        history: vec![(ClusterStatus::Available, now)],
        failing_since: None,
        next_check: None,
        checks_this_advance: (0, 0),
        elided_checks: 0,
        created: now,
    };
    Ok(start_cluster(c.rds, ctx, key, cluster))
}

/// `ModifyDBClusterSnapshotAttribute (sharing)`.
pub fn modify_db_cluster_snapshot_attribute(
    c: &mut RdsCall<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &ModifyDBClusterSnapshotAttributeRequest,
) -> Result<Response, KmsError> {
    if r.attribute_name != "restore" {
        return Err(KmsError::InvalidParameterValue(format!(
            "Invalid attribute name {}: the only snapshot attribute is restore.",
            r.attribute_name
        )));
    }
    let account = caller_account(caller)?;
    let key = (
        account.clone(),
        caller.region.clone(),
        r.db_cluster_snapshot_identifier.clone(),
    );
    let arn = c
        .rds
        .snapshots
        .get(&key)
        .map(Snapshot::arn)
        .ok_or_else(|| {
            KmsError::DBClusterSnapshotNotFoundFault(format!(
                "DBClusterSnapshot {} not found.",
                r.db_cluster_snapshot_identifier
            ))
        })?;
    c.authorize(
        ctx,
        caller,
        "rds:ModifyDBClusterSnapshotAttribute",
        arn.clone(),
    )?;
    let parse = |values: &Option<Vec<String>>| -> Result<Vec<AccountId>, KmsError> {
        values
            .iter()
            .flatten()
            .map(|v| {
                if v == "all" {
                    Err(KmsError::InvalidParameterValue(
                        "Encrypted snapshots cannot be shared publicly (all).".into(),
                    ))
                } else {
                    AccountId::parse(v).map_err(|_| {
                        KmsError::InvalidParameterValue(format!("{v} is not an AWS account id."))
                    })
                }
            })
            .collect()
    };
    let (add, remove) = (parse(&r.values_to_add)?, parse(&r.values_to_remove)?);
    if !add.is_empty() {
        refuse_sharing_managed_key(c, ctx, caller, &key, arn)?;
    }
    let snapshot = c.rds.snapshots.get_mut(&key).ok_or_else(|| {
        KmsError::DBClusterSnapshotNotFoundFault(r.db_cluster_snapshot_identifier.clone())
    })?;
    snapshot.shared_with.extend(add);
    for a in remove {
        snapshot.shared_with.remove(&a);
    }
    Ok(Response::Rds(RdsResponse::Attributes {
        result: SnapshotAttributes {
            db_cluster_snapshot_identifier: snapshot.id.clone(),
            attributes: vec![SnapshotAttribute {
                attribute_name: "restore".into(),
                attribute_values: snapshot
                    .shared_with
                    .iter()
                    .map(ToString::to_string)
                    .collect(),
            }],
        },
    }))
}

/// `DescribeDBClusterSnapshots`.
pub fn describe_db_cluster_snapshots(
    c: &mut RdsCall<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &DescribeDBClusterSnapshotsRequest,
) -> Result<Response, KmsError> {
    let account = c.authorize(ctx, caller, "rds:DescribeDBClusterSnapshots", "*".into())?;
    let snapshots: Vec<DBClusterSnapshot> = match &r.db_cluster_snapshot_identifier {
        Some(id) => vec![DBClusterSnapshot::from(&c.visible_snapshot(caller, id)?)],
        None => c
            .rds
            .snapshots
            .values()
            .filter(|s| s.region == caller.region)
            .filter(|s| {
                s.account == account
                    || (r.include_shared == Some(true) && s.shared_with.contains(&account))
            })
            .map(DBClusterSnapshot::from)
            .collect(),
    };
    Ok(Response::Rds(RdsResponse::Snapshots {
        db_cluster_snapshots: snapshots,
    }))
}
