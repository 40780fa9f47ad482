//! The RDS operations, the Data API, and the background key checks.

use super::api::*;
use super::sql::{self, Statement};
use super::*;
use crate::crypto::data::DataCipher;
use crate::error::KmsError;
use crate::kms::api::{DataKeySpec, GenerateDataKeyRequest, KeyIdRequest, ReEncryptRequest};
use crate::kms::grants::CreateGrantRequest;
use crate::principal::{AwsService, Caller, Principal};
use crate::request::{Request, Response};
use crate::secret::SecretString;
use crate::world::{CallRecord, Scheduled, World};
use alloc::string::ToString;
use alloc::vec;

/// The longest SQL statement the RDS Data API takes.
pub const MAX_SQL_LENGTH: usize = 65_536;
/// The most bytes of values one Data API answer may carry.
pub const MAX_RESPONSE_BYTES: usize = 1 << 20;

/// What RDS's grants allow.
const GRANT_OPERATIONS: &[&str] = &[
    "Decrypt",
    "GenerateDataKey",
    "GenerateDataKeyWithoutPlaintext",
    "ReEncryptFrom",
    "ReEncryptTo",
    "DescribeKey",
    "RetireGrant",
];

/// What `claim_name` claims.
#[derive(Clone, Copy)]
enum Kind {
    Cluster,
    Snapshot,
}

fn not_accessible(arn: &str) -> KmsError {
    KmsError::KMSKeyNotAccessibleFault(format!(
        "The specified KMS key [{arn}] does not exist, is not enabled or you do not have permissions to access it."
    ))
}

fn source_not_accessible(arn: &str) -> KmsError {
    KmsError::KMSKeyNotAccessibleFault(format!(
        "The source snapshot KMS key [{arn}] does not exist, is not enabled or you do not have permissions to access it."
    ))
}

fn check_identifier(field: &str, id: &str) -> Result<(), KmsError> {
    let ok = !id.is_empty()
        && id.len() <= 63
        && id.starts_with(|c: char| c.is_ascii_alphabetic())
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !id.ends_with('-')
        && !id.contains("--");
    if ok {
        Ok(())
    } else {
        Err(KmsError::InvalidParameterValue(format!(
            "The parameter {field} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens."
        )))
    }
}

fn data_key_context(resource_id: &str) -> EncryptionContext {
    EncryptionContext::from_pairs([("aws:rds:db-id", resource_id)])
}

impl World {
    fn rds_caller(caller: &Caller, source_arn: String) -> Caller {
        let mut via = caller.clone().via(AwsService::Rds);
        via.source_arn = Some(source_arn);
        via
    }

    fn rds_service(region: &Region, source_arn: String) -> Caller {
        Caller {
            principal: Principal::Service(AwsService::Rds),
            region: region.clone(),
            via_service: None,
            source_arn: Some(source_arn),
        }
    }

    fn authorize_rds(
        &self,
        caller: &Caller,
        action: &str,
        arn: String,
        rec: &mut CallRecord,
    ) -> Result<AccountId, KmsError> {
        let account = Self::caller_account(caller)?;
        self.authorize_account(caller, action, arn, &account, rec)?;
        Ok(account)
    }

    /// Claims a new cluster or snapshot name in the caller's account and
    /// Region: its ARN, the caller's permission for `action` on it, and that
    /// the name is free.
    fn claim_name(
        &self,
        caller: &Caller,
        kind: Kind,
        id: &str,
        action: &str,
        rec: &mut CallRecord,
    ) -> Result<(ResourceKey, String), KmsError> {
        let account = Self::caller_account(caller)?;
        let region = caller.region.clone();
        let segment = match kind {
            Kind::Cluster => "cluster",
            Kind::Snapshot => "cluster-snapshot",
        };
        let arn = format!("arn:aws:rds:{region}:{account}:{segment}:{id}");
        self.authorize_rds(caller, action, arn.clone(), rec)?;
        let key = (account, region, id.to_string());
        match kind {
            Kind::Cluster if self.services.rds.clusters.contains_key(&key) => Err(
                KmsError::DBClusterAlreadyExistsFault("DB Cluster already exists".into()),
            ),
            Kind::Snapshot if self.services.rds.snapshots.contains_key(&key) => {
                Err(KmsError::DBClusterSnapshotAlreadyExistsFault(format!(
                    "A DB cluster snapshot with the identifier {id} already exists."
                )))
            }
            _ => Ok((key, arn)),
        }
    }

    fn new_resource_id(&mut self, prefix: &str) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let bytes: [u8; 26] = self.random();
        let body: String = bytes
            .iter()
            .map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char)
            .collect();
        format!("{prefix}-{body}")
    }

    /// What RDS does with a key before using it for a new cluster: DescribeKey
    /// and CreateGrant as the caller, through RDS. Returns the key and grant.
    fn attach_key(
        &mut self,
        caller: &Caller,
        key_id: &str,
        cluster_arn: &str,
        resource_id: &str,
        rec: &mut CallRecord,
    ) -> Result<(KeyId, String, String), KmsError> {
        let via = Self::rds_caller(caller, cluster_arn.into());
        let described = self.nested(
            via.clone(),
            Request::DescribeKey(KeyIdRequest {
                key_id: key_id.into(),
                grant_tokens: None,
            }),
            rec,
        );
        let metadata = match described {
            Ok(Response::KeyMetadata(m)) => m.key_metadata.ok_or_else(|| not_accessible(key_id))?,
            _ => return Err(not_accessible(key_id)),
        };
        let grant = self.nested(
            via,
            Request::CreateGrant(CreateGrantRequest {
                key_id: metadata.arn.clone(),
                grantee_principal: AwsService::Rds.principal().into(),
                retiring_principal: Some(AwsService::Rds.principal().into()),
                operations: GRANT_OPERATIONS.iter().map(|s| s.to_string()).collect(),
                name: Some(resource_id.into()),
                ..Default::default()
            }),
            rec,
        );
        let grant_id = match grant {
            Ok(Response::CreateGrant(g)) => g.grant_id,
            _ => return Err(not_accessible(&metadata.arn)),
        };
        let key = KeyId::parse(&metadata.key_id).ok_or_else(|| not_accessible(&metadata.arn))?;
        Ok((key, metadata.arn, grant_id))
    }

    fn schedule_check(&mut self, key: &ResourceKey, after: u64) {
        let at = self.now.plus(after);
        if let Some(c) = self.services.rds.clusters.get_mut(key) {
            c.next_check = Some(at);
            self.schedule_at(at, Scheduled::RdsCheck(key.clone()));
        }
    }

    fn start_cluster(&mut self, key: ResourceKey, cluster: Cluster) -> Response {
        let described = DBCluster::from(&cluster);
        self.services.rds.clusters.insert(key.clone(), cluster);
        self.schedule_check(&key, CHECK_INTERVAL);
        Response::Rds(RdsResponse::Cluster {
            db_cluster: described,
        })
    }

    pub(crate) fn create_db_cluster(
        &mut self,
        caller: &Caller,
        r: &CreateDBClusterRequest,
        rec: &mut CallRecord,
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
        let (key, arn) = self.claim_name(
            caller,
            Kind::Cluster,
            &r.db_cluster_identifier,
            "rds:CreateDBCluster",
            rec,
        )?;
        let (account, region) = (key.0.clone(), key.1.clone());
        let kms_key_id = match &r.kms_key_id {
            Some(k) => k.clone(),
            None => {
                // No key chosen: the account's AWS managed key, created on first use.
                let id = self.ensure_managed_key(&account, &region, AwsService::Rds);
                crate::ids::key_arn(&region, &account, id)
            }
        };
        let resource_id = self.new_resource_id("cluster");
        let (kms_key, key_arn, grant_id) =
            self.attach_key(caller, &kms_key_id, &arn, &resource_id, rec)?;
        let context = data_key_context(&resource_id);
        let generated = self.nested(
            Self::rds_caller(caller, arn.clone()),
            Request::GenerateDataKey(GenerateDataKeyRequest {
                key_id: key_arn.clone(),
                encryption_context: Some(context.clone()),
                key_spec: Some(DataKeySpec::AES_256),
                ..Default::default()
            }),
            rec,
        );
        let Ok(Response::GenerateDataKey(data_key)) = generated else {
            return Err(not_accessible(&key_arn));
        };
        let now = self.now;
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
        Ok(self.start_cluster(key, cluster))
    }

    pub(crate) fn describe_db_clusters(
        &mut self,
        caller: &Caller,
        r: &DescribeDBClustersRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        let account = self.authorize_rds(caller, "rds:DescribeDBClusters", "*".into(), rec)?;
        let clusters: Vec<DBCluster> = self
            .services
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

    fn own_cluster_key(&self, caller: &Caller, id: &str) -> Result<ResourceKey, KmsError> {
        let account = Self::caller_account(caller)?;
        let id = id.rsplit(":cluster:").next().unwrap_or(id).to_string();
        let key = (account, caller.region.clone(), id.clone());
        if self.services.rds.clusters.contains_key(&key) {
            Ok(key)
        } else {
            Err(KmsError::DBClusterNotFoundFault(format!(
                "DBCluster {id} not found."
            )))
        }
    }

    pub(crate) fn create_db_cluster_snapshot(
        &mut self,
        caller: &Caller,
        r: &CreateDBClusterSnapshotRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        check_identifier(
            "DBClusterSnapshotIdentifier",
            &r.db_cluster_snapshot_identifier,
        )?;
        let cluster_key = self.own_cluster_key(caller, &r.db_cluster_identifier)?;
        let (snapshot_key, _) = self.claim_name(
            caller,
            Kind::Snapshot,
            &r.db_cluster_snapshot_identifier,
            "rds:CreateDBClusterSnapshot",
            rec,
        )?;
        let (account, region) = (snapshot_key.0.clone(), snapshot_key.1.clone());
        let cluster = &self.services.rds.clusters[&cluster_key];
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
            created: self.now,
        };
        let described = DBClusterSnapshot::from(&snapshot);
        self.services.rds.snapshots.insert(snapshot_key, snapshot);
        Ok(Response::Rds(RdsResponse::Snapshot {
            db_cluster_snapshot: described,
        }))
    }

    /// A snapshot the caller may use: its own by identifier, or one shared
    /// with its account by ARN.
    fn visible_snapshot(&self, caller: &Caller, id: &str) -> Result<Snapshot, KmsError> {
        let account = Self::caller_account(caller)?;
        let not_found = || {
            KmsError::DBClusterSnapshotNotFoundFault(format!("DBClusterSnapshot {id} not found."))
        };
        let found = if let Some(rest) = id.strip_prefix("arn:aws:rds:") {
            let mut parts = rest.splitn(4, ':');
            let (Some(region), Some(owner), Some("cluster-snapshot"), Some(name)) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                return Err(not_found());
            };
            let owner = AccountId::parse(owner).map_err(|_| not_found())?;
            let region = Region::parse(region).map_err(|_| not_found())?;
            self.services
                .rds
                .snapshots
                .get(&(owner, region, name.to_string()))
        } else {
            self.services.rds.snapshots.get(&(
                account.clone(),
                caller.region.clone(),
                id.to_string(),
            ))
        };
        match found {
            Some(s)
                if s.region == caller.region
                    && (s.account == account || s.shared_with.contains(&account)) =>
            {
                Ok(s.clone())
            }
            _ => Err(not_found()),
        }
    }

    /// Re-encrypts a data key under another key (or context) with ReEncrypt,
    /// as the caller through RDS: the plaintext never leaves KMS.
    fn rewrap(
        &mut self,
        caller: &Caller,
        storage: &Storage,
        destination: &str,
        context: EncryptionContext,
        source_arn: String,
        rec: &mut CallRecord,
    ) -> Result<Vec<u8>, KmsError> {
        let outcome = self.nested_outcome(
            Self::rds_caller(caller, source_arn),
            Request::ReEncrypt(ReEncryptRequest {
                ciphertext_blob: storage.encrypted_data_key.clone(),
                source_encryption_context: Some(storage.data_key_context.clone()),
                destination_key_id: destination.into(),
                destination_encryption_context: Some(context),
                ..Default::default()
            }),
            rec,
        );
        // The source side failed unless KMS had already moved on to the destination.
        let reached_destination = outcome
            .authorizations
            .iter()
            .any(|a| a.action == "kms:ReEncryptTo");
        match outcome.result {
            Ok(Response::ReEncrypt(r)) => Ok(r.ciphertext_blob),
            _ if !reached_destination => Err(source_not_accessible(&storage.key_arn)),
            _ => Err(not_accessible(destination)),
        }
    }

    pub(crate) fn copy_db_cluster_snapshot(
        &mut self,
        caller: &Caller,
        r: &CopyDBClusterSnapshotRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        check_identifier(
            "TargetDBClusterSnapshotIdentifier",
            &r.target_db_cluster_snapshot_identifier,
        )?;
        let source = self.visible_snapshot(caller, &r.source_db_cluster_snapshot_identifier)?;
        let (target_key, arn) = self.claim_name(
            caller,
            Kind::Snapshot,
            &r.target_db_cluster_snapshot_identifier,
            "rds:CopyDBClusterSnapshot",
            rec,
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
        let blob = self.rewrap(
            caller,
            &source.storage,
            &destination,
            source.storage.data_key_context.clone(),
            arn,
            rec,
        )?;
        let Some(key) = crate::crypto::blob::CiphertextBlob::parse(&blob)
            .ok()
            .map(|b| b.key_id)
        else {
            return Err(not_accessible(&destination));
        };
        let key_arn = self
            .kms
            .keys
            .get(&key)
            .map(|k| k.arn())
            .ok_or_else(|| not_accessible(&destination))?;
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
                ..source.storage.clone()
            },
            shared_with: BTreeSet::new(),
            created: self.now,
        };
        let described = DBClusterSnapshot::from(&snapshot);
        self.services.rds.snapshots.insert(target_key, snapshot);
        Ok(Response::Rds(RdsResponse::Snapshot {
            db_cluster_snapshot: described,
        }))
    }

    pub(crate) fn restore_db_cluster_from_snapshot(
        &mut self,
        caller: &Caller,
        r: &RestoreDBClusterFromSnapshotRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        check_identifier("DBClusterIdentifier", &r.db_cluster_identifier)?;
        let snapshot = self.visible_snapshot(caller, &r.snapshot_identifier)?;
        let (key, arn) = self.claim_name(
            caller,
            Kind::Cluster,
            &r.db_cluster_identifier,
            "rds:RestoreDBClusterFromSnapshot",
            rec,
        )?;
        let (account, region) = (key.0.clone(), key.1.clone());
        let requested = r
            .kms_key_id
            .clone()
            .unwrap_or_else(|| snapshot.storage.key_arn.clone());
        let resource_id = self.new_resource_id("cluster");
        let (kms_key, key_arn, grant_id) =
            self.attach_key(caller, &requested, &arn, &resource_id, rec)?;
        let context = data_key_context(&resource_id);
        let blob = self
            .rewrap(
                caller,
                &snapshot.storage,
                &key_arn,
                context.clone(),
                arn.clone(),
                rec,
            )
            .map_err(|_| not_accessible(&snapshot.storage.key_arn))?;
        let decrypted = self.nested(
            Self::rds_caller(caller, arn),
            crate::request::Request::Decrypt(crate::kms::api::DecryptRequest {
                ciphertext_blob: blob.clone(),
                encryption_context: Some(context.clone()),
                ..Default::default()
            }),
            rec,
        );
        let Ok(Response::Decrypt(data_key)) = decrypted else {
            return Err(not_accessible(&key_arn));
        };
        let now = self.now;
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
        Ok(self.start_cluster(key, cluster))
    }

    pub(crate) fn modify_db_cluster_snapshot_attribute(
        &mut self,
        caller: &Caller,
        r: &ModifyDBClusterSnapshotAttributeRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        if r.attribute_name != "restore" {
            return Err(KmsError::InvalidParameterValue(format!(
                "Invalid attribute name {}: the only snapshot attribute is restore.",
                r.attribute_name
            )));
        }
        let account = Self::caller_account(caller)?;
        let key = (
            account.clone(),
            caller.region.clone(),
            r.db_cluster_snapshot_identifier.clone(),
        );
        let arn = self
            .services
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
        self.authorize_rds(caller, "rds:ModifyDBClusterSnapshotAttribute", arn, rec)?;
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
                            KmsError::InvalidParameterValue(format!(
                                "{v} is not an AWS account id."
                            ))
                        })
                    }
                })
                .collect()
        };
        let (add, remove) = (parse(&r.values_to_add)?, parse(&r.values_to_remove)?);
        let snapshot = self.services.rds.snapshots.get_mut(&key).ok_or_else(|| {
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

    pub(crate) fn describe_db_cluster_snapshots(
        &mut self,
        caller: &Caller,
        r: &DescribeDBClusterSnapshotsRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        let account =
            self.authorize_rds(caller, "rds:DescribeDBClusterSnapshots", "*".into(), rec)?;
        let snapshots: Vec<DBClusterSnapshot> = match &r.db_cluster_snapshot_identifier {
            Some(id) => vec![DBClusterSnapshot::from(&self.visible_snapshot(caller, id)?)],
            None => self
                .services
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

    pub(crate) fn execute_statement(
        &mut self,
        caller: &Caller,
        r: &ExecuteStatementRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        if r.sql.len() > MAX_SQL_LENGTH {
            // The statement holds row data: its value is not echoed.
            return Err(crate::error::validation(
                "sql",
                "[sensitive]",
                &format!("Member must have length less than or equal to {MAX_SQL_LENGTH}"),
            ));
        }
        let key = self.own_cluster_key(caller, &r.resource_arn)?;
        let arn = self.services.rds.clusters[&key].arn();
        self.authorize_rds(caller, "rds-data:ExecuteStatement", arn, rec)?;
        let statement = sql::parse(r.sql.expose())
            .map_err(|e| KmsError::BadRequestException(format!("ERROR: {e}")))?;
        let cluster = &self.services.rds.clusters[&key];
        let data_key = match (cluster.status, &cluster.data_key) {
            (ClusterStatus::Available, Some(k)) => k.clone(),
            (status, _) => return Err(unavailable(cluster, status)),
        };
        let cipher = DataCipher::new(&data_key)
            .map_err(|e| KmsError::DatabaseUnavailableException(e.to_string()))?;
        let aad = |table: &str| format!("{}/{table}", cluster.storage.volume_id).into_bytes();
        match statement {
            Statement::CreateTable { table, columns } => {
                if cluster.storage.tables.contains_key(&table) {
                    return Err(KmsError::BadRequestException(format!(
                        "ERROR: relation \"{table}\" already exists"
                    )));
                }
                let cluster = self
                    .services
                    .rds
                    .clusters
                    .get_mut(&key)
                    .ok_or_else(|| KmsError::DBClusterNotFoundFault(key.2.clone()))?;
                cluster.storage.tables.insert(
                    table,
                    Table {
                        columns,
                        rows: Vec::new(),
                    },
                );
                Ok(statement_response(Vec::new(), 0, "CREATE TABLE".into()))
            }
            Statement::Insert {
                table,
                columns,
                rows,
            } => {
                let existing = cluster
                    .storage
                    .tables
                    .get(&table)
                    .ok_or_else(|| missing_table(&table))?;
                let order: Vec<usize> = match &columns {
                    None => (0..existing.columns.len()).collect(),
                    Some(named) => named
                        .iter()
                        .map(|c| {
                            existing.columns.iter().position(|e| e == c).ok_or_else(|| {
                                KmsError::BadRequestException(format!(
                                    "ERROR: column \"{c}\" of relation \"{table}\" does not exist"
                                ))
                            })
                        })
                        .collect::<Result<_, _>>()?,
                };
                let width = existing.columns.len();
                let mut sealed = Vec::with_capacity(rows.len());
                for row in &rows {
                    if row.len() != order.len() {
                        return Err(KmsError::BadRequestException(format!(
                            "ERROR: INSERT has {} expressions but {} target columns",
                            row.len(),
                            order.len()
                        )));
                    }
                    let mut full = vec![String::new(); width];
                    for (value, &at) in row.iter().zip(&order) {
                        full[at] = value.clone();
                    }
                    sealed.push(full);
                }
                let aad = aad(&table);
                let mut encrypted = Vec::with_capacity(sealed.len());
                for row in &sealed {
                    let iv: [u8; 12] = self.random();
                    encrypted.push(cipher.seal(iv, &aad, &sql::encode_row(row)));
                }
                let n = encrypted.len() as u64;
                let cluster = self
                    .services
                    .rds
                    .clusters
                    .get_mut(&key)
                    .ok_or_else(|| KmsError::DBClusterNotFoundFault(key.2.clone()))?;
                if let Some(t) = cluster.storage.tables.get_mut(&table) {
                    t.rows.extend(encrypted);
                }
                Ok(statement_response(
                    Vec::new(),
                    n,
                    SecretString::new(format!("INSERT 0 {n}")),
                ))
            }
            Statement::SelectAll { table } => {
                let t = cluster
                    .storage
                    .tables
                    .get(&table)
                    .ok_or_else(|| missing_table(&table))?;
                let aad = aad(&table);
                let mut size = 0usize;
                let mut rows: Vec<Vec<SecretString>> = Vec::with_capacity(t.rows.len());
                for sealed in &t.rows {
                    let row = cipher
                        .open(&aad, sealed)
                        .ok()
                        .and_then(|plain| sql::decode_row(plain.expose()))
                        .ok_or_else(|| {
                            KmsError::DatabaseUnavailableException(
                                "A stored row failed authentication.".into(),
                            )
                        })?;
                    size += row.iter().map(SecretString::len).sum::<usize>();
                    if size > MAX_RESPONSE_BYTES {
                        return Err(KmsError::BadRequestException(
                            "Database returned more than the allowed response size limit".into(),
                        ));
                    }
                    rows.push(row);
                }
                let output = sql::psql_table(&t.columns, &rows);
                Ok(statement_response(rows, 0, output))
            }
        }
    }

    /// A background key check: RDS decrypts the stored data key through the
    /// cluster's grant, as the RDS service principal.
    ///
    /// Once a cluster's check has succeeded [`STEADY_CHECKS_AUDITED`] times
    /// in one advance, the rest of that advance's checks cannot turn out
    /// otherwise: nothing but a request changes a usable key's state, policy
    /// or grants, and no request comes during an advance. They are counted
    /// in `elided_checks` instead of being run, unless the key policy tests
    /// the time (`aws:CurrentTime`), which can change an answer by itself.
    /// This keeps a simulated century with a cluster well under a second.
    pub(crate) fn rds_check(&mut self, key: &ResourceKey, until: Timestamp) {
        let Some(cluster) = self.services.rds.clusters.get(key) else {
            return;
        };
        if cluster.status == ClusterStatus::Inaccessible {
            return;
        }
        let request = Request::Decrypt(crate::kms::api::DecryptRequest {
            ciphertext_blob: cluster.storage.encrypted_data_key.clone(),
            encryption_context: Some(cluster.storage.data_key_context.clone()),
            ..Default::default()
        });
        let caller = Self::rds_service(&cluster.region, cluster.arn());
        let key_deleted = self.kms.deleted.contains_key(&cluster.storage.key);
        let timeless = self
            .kms
            .keys
            .get(&cluster.storage.key)
            .is_some_and(|k| !k.policy.document.tests_time());
        let outcome = self.execute(&caller, &request).result;
        let now = self.now;
        let serial = self.advance_serial;
        let Some(cluster) = self.services.rds.clusters.get_mut(key) else {
            return;
        };
        let next = match (outcome, cluster.status) {
            (Ok(Response::Decrypt(d)), ClusterStatus::InaccessibleRecoverable) => {
                cluster.data_key = Some(d.plaintext);
                cluster.failing_since = None;
                cluster.set_status(ClusterStatus::Starting, now);
                self.schedule_at(
                    now.plus(STARTING_DURATION),
                    Scheduled::RdsStarted(key.clone()),
                );
                None
            }
            (Ok(_), _) => {
                cluster.failing_since = None;
                let audited = match cluster.checks_this_advance {
                    (s, n) if s == serial => n + 1,
                    _ => 1,
                };
                cluster.checks_this_advance = (serial, audited);
                if timeless && audited >= STEADY_CHECKS_AUDITED {
                    // Jump to the first check after this advance.
                    let skipped = until.since(now) / CHECK_INTERVAL;
                    cluster.elided_checks += skipped;
                    Some(CHECK_INTERVAL * (skipped + 1))
                } else {
                    Some(CHECK_INTERVAL)
                }
            }
            (Err(_), _)
                if key_deleted
                    || cluster
                        .failing_since
                        .is_some_and(|since| now.since(since) >= TERMINAL_AFTER) =>
            {
                cluster.data_key = None;
                cluster.set_status(ClusterStatus::Inaccessible, now);
                None
            }
            (Err(_), ClusterStatus::Available) if cluster.failing_since.is_none() => {
                // Nothing visible yet: the data key is still in memory.
                cluster.failing_since = Some(now);
                Some(CHECK_INTERVAL)
            }
            (Err(_), _) => {
                cluster.data_key = None;
                cluster.set_status(ClusterStatus::InaccessibleRecoverable, now);
                Some(RECOVERY_CHECK_INTERVAL)
            }
        };
        match next {
            Some(after) => self.schedule_check(key, after),
            None => {
                if let Some(c) = self.services.rds.clusters.get_mut(key) {
                    c.next_check = None;
                }
            }
        }
    }

    /// The end of `starting`: the cluster answers again.
    pub(crate) fn rds_started(&mut self, key: &ResourceKey) {
        let now = self.now;
        if let Some(cluster) = self.services.rds.clusters.get_mut(key)
            && cluster.status == ClusterStatus::Starting
        {
            cluster.set_status(ClusterStatus::Available, now);
            self.schedule_check(key, CHECK_INTERVAL);
        }
    }
}

fn statement_response(
    rows: Vec<Vec<SecretString>>,
    updated: u64,
    psql_output: SecretString,
) -> Response {
    Response::Rds(RdsResponse::Statement(ExecuteStatementResponse {
        records: rows
            .into_iter()
            .map(|r| r.into_iter().map(|v| Field { string_value: v }).collect())
            .collect(),
        number_of_records_updated: updated,
        psql_output,
    }))
}

fn missing_table(table: &str) -> KmsError {
    KmsError::BadRequestException(format!("ERROR: relation \"{table}\" does not exist"))
}

fn unavailable(cluster: &Cluster, status: ClusterStatus) -> KmsError {
    KmsError::DatabaseUnavailableException(match status {
        ClusterStatus::InaccessibleRecoverable => format!(
            "DBCluster {} is inaccessible-encryption-credentials-recoverable: RDS cannot use its KMS key {} (disabled, pending deletion, or its grant revoked). On a real cluster a query on an open connection hangs and new connections get no answer. Make the key usable again and RDS recovers the cluster by itself.",
            cluster.id, cluster.storage.key_arn
        ),
        ClusterStatus::Inaccessible => format!(
            "DBCluster {} is inaccessible-encryption-credentials: its KMS key {} was unusable too long (or deleted) and its data can no longer be decrypted. Only a restore from a snapshot under a usable key brings the data back.",
            cluster.id, cluster.storage.key_arn
        ),
        ClusterStatus::Starting => format!(
            "DBCluster {} is starting: it is recovering access to its KMS key. Try again in a few minutes.",
            cluster.id
        ),
        ClusterStatus::Available => format!("DBCluster {} has no data key in memory.", cluster.id),
    })
}
