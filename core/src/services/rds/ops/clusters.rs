//! CreateDBCluster, DescribeDBClusters.

use crate::env::{Ctx, nested};
use crate::error::KmsError;
use crate::kms::api::{DataKeySpec, GenerateDataKeyRequest};
use crate::principal::Caller;
use crate::request::{Request, Response};
use crate::services::rds::api::*;
use crate::services::rds::call::{Kind, RdsCall, check_identifier, new_resource_id, rds_caller};
use crate::services::rds::encryption::{attach_key, data_key_context, not_accessible};
use crate::services::rds::health::start_cluster;
use crate::services::rds::state::*;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::vec;
use alloc::vec::Vec;

/// `CreateDBCluster`.
pub fn create_db_cluster(
    c: &mut RdsCall<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &CreateDBClusterRequest,
) -> Result<Response, KmsError> {
    check_identifier("DBClusterIdentifier", &r.db_cluster_identifier)?;
    if r.storage_encrypted == Some(false) {
        return Err(KmsError::InvalidParameterCombination(
            "The playground simulates encrypted clusters only: omit StorageEncrypted or set it to true.".into(),
        ));
    }
    let engine = r
        .engine
        .clone()
        .unwrap_or_else(|| "aurora-postgresql".into());
    if !matches!(engine.as_str(), "aurora-postgresql" | "aurora-mysql") {
        return Err(KmsError::InvalidParameterValue(format!(
            "Invalid DB engine: {engine}"
        )));
    }
    let (key, arn) = c.claim_name(
        ctx,
        caller,
        Kind::Cluster,
        &r.db_cluster_identifier,
        "rds:CreateDBCluster",
    )?;
    let (account, region) = (key.0.clone(), key.1.clone());
    let kms_key_id = match &r.kms_key_id {
        Some(k) => k.clone(),
        // No key chosen: the account's AWS managed key, which KMS creates
        // on this first reference.
        None => "alias/aws/rds".into(),
    };
    let resource_id = new_resource_id(ctx, "cluster");
    let (kms_key, key_arn, grant_id) =
        attach_key(c.kms, ctx, caller, &kms_key_id, &arn, &resource_id)?;
    let context = data_key_context(&resource_id);
    let generated = nested(
        c.kms,
        ctx,
        rds_caller(caller, arn.clone()),
        Request::GenerateDataKey(GenerateDataKeyRequest {
            key_id: key_arn.clone(),
            encryption_context: Some(context.clone()),
            key_spec: Some(DataKeySpec::AES_256),
            ..Default::default()
        }),
    );
    let Ok(Response::GenerateDataKey(data_key)) = generated else {
        return Err(not_accessible(&key_arn));
    };
    let now = ctx.now();
    let cluster = Cluster {
        id: r.db_cluster_identifier.clone(),
        account,
        region,
        resource_id: resource_id.clone(),
        engine,
        storage: Storage {
            tables: BTreeMap::new(),
            encrypted_data_key: data_key.ciphertext_blob.clone(),
            data_key_context: context,
            key: kms_key,
            key_arn,
            key_deleted: false,
            volume_id: resource_id.clone(),
        },
        data_key: Some(data_key.plaintext.clone()),
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

/// `DescribeDBClusters`.
pub fn describe_db_clusters(
    c: &mut RdsCall<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &DescribeDBClustersRequest,
) -> Result<Response, KmsError> {
    let account = c.authorize(ctx, caller, "rds:DescribeDBClusters", "*".into())?;
    let clusters: Vec<DBCluster> = c
        .rds
        .clusters
        .values()
        .filter(|c| c.account == account && c.region == caller.region)
        .filter(|c| {
            r.db_cluster_identifier
                .as_ref()
                .is_none_or(|id| *id == c.id || *id == c.arn())
        })
        .map(DBCluster::from)
        .collect();
    if clusters.is_empty()
        && let Some(id) = &r.db_cluster_identifier
    {
        return Err(KmsError::DBClusterNotFoundFault(format!(
            "DBCluster {id} not found."
        )));
    }
    Ok(Response::Rds(RdsResponse::Clusters {
        db_clusters: clusters,
    }))
}
