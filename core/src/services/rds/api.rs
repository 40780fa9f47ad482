//! RDS and RDS Data API request and response shapes.

use super::state::{Cluster, ClusterStatus, Snapshot};
use crate::secret::SecretString;
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

aws_shapes! {
    /// `rds:CreateDBCluster`.
    CreateDBClusterRequest {
        /// 1 to 63 letters, digits or hyphens, starting with a letter.
        #[serde(rename = "DBClusterIdentifier")] db_cluster_identifier: String,
        /// `aurora-postgresql` (default) or `aurora-mysql`.
        #[serde(default, skip_serializing_if = "Option::is_none")] engine: Option<String>,
        /// Must be true (or absent): the playground simulates encrypted clusters.
        #[serde(default, skip_serializing_if = "Option::is_none")] storage_encrypted: Option<bool>,
        /// Any key-id form; default: the account's AWS managed key `aws/rds`.
        #[serde(default, skip_serializing_if = "Option::is_none")] kms_key_id: Option<String>,
    }
    /// `rds:DescribeDBClusters`.
    DescribeDBClustersRequest {
        /// One cluster, or all of the account's clusters in the Region.
        #[serde(rename = "DBClusterIdentifier", default, skip_serializing_if = "Option::is_none")] db_cluster_identifier: Option<String>,
    }
    /// `rds:CreateDBClusterSnapshot`.
    CreateDBClusterSnapshotRequest {
        /// The cluster.
        #[serde(rename = "DBClusterIdentifier")] db_cluster_identifier: String,
        /// The new snapshot's identifier.
        #[serde(rename = "DBClusterSnapshotIdentifier")] db_cluster_snapshot_identifier: String,
    }
    /// `rds:CopyDBClusterSnapshot`.
    CopyDBClusterSnapshotRequest {
        /// The snapshot to copy: an identifier, or the ARN of a snapshot shared with the account.
        #[serde(rename = "SourceDBClusterSnapshotIdentifier")] source_db_cluster_snapshot_identifier: String,
        /// The copy's identifier.
        #[serde(rename = "TargetDBClusterSnapshotIdentifier")] target_db_cluster_snapshot_identifier: String,
        /// The key of the copy; the data key is re-encrypted under it.
        #[serde(default, skip_serializing_if = "Option::is_none")] kms_key_id: Option<String>,
    }
    /// `rds:RestoreDBClusterFromSnapshot`.
    RestoreDBClusterFromSnapshotRequest {
        /// The new cluster's identifier.
        #[serde(rename = "DBClusterIdentifier")] db_cluster_identifier: String,
        /// The snapshot: an identifier, or the ARN of a snapshot shared with the account.
        snapshot_identifier: String,
        /// The engine (default: the snapshot's).
        #[serde(default, skip_serializing_if = "Option::is_none")] engine: Option<String>,
        /// The new cluster's key (default: the snapshot's).
        #[serde(default, skip_serializing_if = "Option::is_none")] kms_key_id: Option<String>,
    }
    /// `rds:ModifyDBClusterSnapshotAttribute`.
    ModifyDBClusterSnapshotAttributeRequest {
        /// The snapshot.
        #[serde(rename = "DBClusterSnapshotIdentifier")] db_cluster_snapshot_identifier: String,
        /// `restore`.
        attribute_name: String,
        /// Account ids to share with.
        #[serde(default, skip_serializing_if = "Option::is_none")] values_to_add: Option<Vec<String>>,
        /// Account ids to stop sharing with.
        #[serde(default, skip_serializing_if = "Option::is_none")] values_to_remove: Option<Vec<String>>,
    }
    /// `rds:DescribeDBClusterSnapshots`.
    DescribeDBClusterSnapshotsRequest {
        /// One snapshot (identifier or shared ARN).
        #[serde(rename = "DBClusterSnapshotIdentifier", default, skip_serializing_if = "Option::is_none")] db_cluster_snapshot_identifier: Option<String>,
        /// Also list snapshots other accounts share with this one.
        #[serde(default, skip_serializing_if = "Option::is_none")] include_shared: Option<bool>,
    }
}

/// A status and when it began.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StatusChange {
    /// The status.
    pub status: ClusterStatus,
    /// When it began (ISO 8601).
    pub since: String,
}

/// A cluster as `DescribeDBClusters` shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct DBCluster {
    #[serde(rename = "DBClusterIdentifier")]
    pub db_cluster_identifier: String,
    #[serde(rename = "DBClusterArn")]
    pub db_cluster_arn: String,
    pub status: ClusterStatus,
    pub engine: String,
    pub storage_encrypted: bool,
    pub kms_key_id: String,
    pub db_cluster_resource_id: String,
    pub cluster_create_time: String,
    /// The simulator's addition: every status change with its time.
    pub status_history: Vec<StatusChange>,
}

impl From<&Cluster> for DBCluster {
    fn from(c: &Cluster) -> Self {
        Self {
            db_cluster_identifier: c.id.clone(),
            db_cluster_arn: c.arn(),
            status: c.status,
            engine: c.engine.clone(),
            storage_encrypted: true,
            kms_key_id: c.storage.key_arn.clone(),
            db_cluster_resource_id: c.resource_id.clone(),
            cluster_create_time: c.created.iso8601(),
            status_history: c
                .history
                .iter()
                .map(|(s, t)| StatusChange {
                    status: *s,
                    since: t.iso8601(),
                })
                .collect(),
        }
    }
}

/// A snapshot as `DescribeDBClusterSnapshots` shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct DBClusterSnapshot {
    #[serde(rename = "DBClusterSnapshotIdentifier")]
    pub db_cluster_snapshot_identifier: String,
    #[serde(rename = "DBClusterSnapshotArn")]
    pub db_cluster_snapshot_arn: String,
    #[serde(rename = "DBClusterIdentifier")]
    pub db_cluster_identifier: String,
    pub status: String,
    pub engine: String,
    pub storage_encrypted: bool,
    pub kms_key_id: String,
    pub snapshot_create_time: String,
    pub snapshot_type: String,
}

impl From<&Snapshot> for DBClusterSnapshot {
    fn from(s: &Snapshot) -> Self {
        Self {
            db_cluster_snapshot_identifier: s.id.clone(),
            db_cluster_snapshot_arn: s.arn(),
            db_cluster_identifier: s.cluster_id.clone(),
            status: "available".into(),
            engine: s.engine.clone(),
            storage_encrypted: true,
            kms_key_id: s.storage.key_arn.clone(),
            snapshot_create_time: s.created.iso8601(),
            snapshot_type: "manual".into(),
        }
    }
}

/// Responses of the RDS operations.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[allow(missing_docs)]
pub enum RdsResponse {
    Cluster {
        #[serde(rename = "DBCluster")]
        db_cluster: DBCluster,
    },
    Clusters {
        #[serde(rename = "DBClusters")]
        db_clusters: Vec<DBCluster>,
    },
    Snapshot {
        #[serde(rename = "DBClusterSnapshot")]
        db_cluster_snapshot: DBClusterSnapshot,
    },
    Snapshots {
        #[serde(rename = "DBClusterSnapshots")]
        db_cluster_snapshots: Vec<DBClusterSnapshot>,
    },
    Attributes {
        #[serde(rename = "DBClusterSnapshotAttributesResult")]
        result: SnapshotAttributes,
    },
    Statement(ExecuteStatementResponse),
}

/// `ModifyDBClusterSnapshotAttribute`'s result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SnapshotAttributes {
    /// The snapshot.
    #[serde(rename = "DBClusterSnapshotIdentifier")]
    pub db_cluster_snapshot_identifier: String,
    /// `[{"AttributeName": "restore", "AttributeValues": [...]}]`.
    #[serde(rename = "DBClusterSnapshotAttributes")]
    pub attributes: Vec<SnapshotAttribute>,
}

/// One snapshot attribute.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SnapshotAttribute {
    /// `restore`.
    pub attribute_name: String,
    /// The account ids.
    pub attribute_values: Vec<String>,
}

/// `rds-data:ExecuteStatement` (the RDS Data API uses camelCase).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExecuteStatementRequest {
    /// The cluster's ARN or identifier.
    pub resource_arn: String,
    /// One SQL statement (it carries row data: a secret type).
    pub sql: SecretString,
}

/// One value of a record.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Field {
    /// The value as text (row data: a secret type).
    pub string_value: SecretString,
}

/// `rds-data:ExecuteStatement`'s answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecuteStatementResponse {
    /// Rows of a SELECT.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<Vec<Field>>,
    /// Rows an INSERT added.
    pub number_of_records_updated: u64,
    /// The simulator's addition: the answer as psql prints it.
    pub psql_output: SecretString,
}

impl ExecuteStatementResponse {
    /// The records as plain strings.
    pub fn rows(&self) -> Vec<Vec<String>> {
        self.records
            .iter()
            .map(|r| r.iter().map(|f| f.string_value.expose().into()).collect())
            .collect()
    }
}
