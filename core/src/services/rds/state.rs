//! RDS's state: clusters (with their really encrypted rows) and snapshots.

use crate::clock::{DAY, MINUTE, Timestamp};
use crate::crypto::context::EncryptionContext;
use crate::ids::{AccountId, KeyId, Region};
use crate::secret::SecretBytes;
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// How often RDS re-validates a running cluster's key.
pub const CHECK_INTERVAL: u64 = 5 * MINUTE;
/// How often RDS retries while the key is unusable.
pub const RECOVERY_CHECK_INTERVAL: u64 = 10 * MINUTE;
/// How long `starting` lasts once the key is usable again.
pub const STARTING_DURATION: u64 = 15 * MINUTE;
/// After this long inaccessible, the cluster cannot recover.
pub const TERMINAL_AFTER: u64 = 7 * DAY;
/// Successful key checks of one cluster run (and audited) in one advance
/// before the rest of that advance's identical checks are only counted.
pub const STEADY_CHECKS_AUDITED: u32 = 12;
/// An upper bound of one cluster's checks in one advance: a failing streak
/// (every [`RECOVERY_CHECK_INTERVAL`] until [`TERMINAL_AFTER`]) plus the
/// steady checks around it.
pub const MAX_CHECKS_PER_ADVANCE: u64 =
    TERMINAL_AFTER / RECOVERY_CHECK_INTERVAL + 4 * STEADY_CHECKS_AUDITED as u64;

/// A cluster's status, as `DescribeDBClusters` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ClusterStatus {
    /// Answering queries.
    #[serde(rename = "available")]
    Available,
    /// The key cannot be used; RDS will recover when it can.
    #[serde(rename = "inaccessible-encryption-credentials-recoverable")]
    InaccessibleRecoverable,
    /// The key could not be used for too long (or was deleted): the data is lost.
    #[serde(rename = "inaccessible-encryption-credentials")]
    Inaccessible,
    /// Recovering access to the key.
    #[serde(rename = "starting")]
    Starting,
}

impl ClusterStatus {
    /// Whether the cluster cannot use its KMS key (every query fails).
    pub fn is_inaccessible(self) -> bool {
        matches!(
            self,
            ClusterStatus::Inaccessible | ClusterStatus::InaccessibleRecoverable
        )
    }

    /// The status text.
    pub fn as_str(self) -> &'static str {
        match self {
            ClusterStatus::Available => "available",
            ClusterStatus::InaccessibleRecoverable => {
                "inaccessible-encryption-credentials-recoverable"
            }
            ClusterStatus::Inaccessible => "inaccessible-encryption-credentials",
            ClusterStatus::Starting => "starting",
        }
    }
}

/// A table: its columns and its rows, each sealed with the data key.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    /// Column names.
    pub columns: Vec<String>,
    /// Rows, each `IV ‖ AES-256-GCM(data key, JSON array of values) ‖ tag`.
    pub rows: Vec<Vec<u8>>,
}

/// What a cluster or snapshot stores: tables and the encrypted data key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Storage {
    /// Tables by name.
    pub tables: BTreeMap<String, Table>,
    /// The data key, encrypted under `key`.
    pub encrypted_data_key: Vec<u8>,
    /// The encryption context the data key was encrypted with.
    pub data_key_context: EncryptionContext,
    /// The KMS key that protects the data key.
    pub key: KeyId,
    /// Whether KMS has deleted that key for good (RDS learns it from KMS).
    pub key_deleted: bool,
    /// Its ARN.
    pub key_arn: String,
    /// Identifies the volume the rows were written to; part of each row's AAD,
    /// and kept through snapshots, copies and restores.
    pub volume_id: String,
}

/// An Aurora cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// The identifier.
    pub id: String,
    /// The owning account.
    pub account: AccountId,
    /// The Region.
    pub region: Region,
    /// `cluster-...`, used in the data key's encryption context.
    pub resource_id: String,
    /// `aurora-postgresql`.
    pub engine: String,
    /// Tables and the encrypted data key.
    pub storage: Storage,
    /// The plaintext data key, only while the cluster can use its key.
    pub data_key: Option<SecretBytes>,
    /// The grant RDS uses for background checks.
    pub grant_id: String,
    /// Current status.
    pub status: ClusterStatus,
    /// Every status with the time it began, oldest first.
    pub history: Vec<(ClusterStatus, Timestamp)>,
    /// The first failed key check of the current streak.
    pub failing_since: Option<Timestamp>,
    /// When the next background check happens.
    pub next_check: Option<Timestamp>,
    /// The advance (its serial) of the last successful check, and how many
    /// succeeded in it.
    pub checks_this_advance: (u64, u32),
    /// Successful checks that were counted, not run (see `rds_check`).
    pub elided_checks: u64,
    /// When it was created.
    pub created: Timestamp,
}

impl Cluster {
    /// The cluster ARN.
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:rds:{}:{}:cluster:{}",
            self.region, self.account, self.id
        )
    }

    pub(crate) fn set_status(&mut self, status: ClusterStatus, now: Timestamp) {
        if self.status != status {
            self.status = status;
            self.history.push((status, now));
        }
    }
}

/// A manual cluster snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// The identifier.
    pub id: String,
    /// The owning account.
    pub account: AccountId,
    /// The Region.
    pub region: Region,
    /// The cluster it was taken from.
    pub cluster_id: String,
    /// The engine.
    pub engine: String,
    /// A copy of the cluster's storage (still sealed with the same data key).
    pub storage: Storage,
    /// Accounts allowed to restore it (the `restore` attribute).
    pub shared_with: BTreeSet<AccountId>,
    /// When it was taken.
    pub created: Timestamp,
}

impl Snapshot {
    /// The snapshot ARN.
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:rds:{}:{}:cluster-snapshot:{}",
            self.region, self.account, self.id
        )
    }
}

/// Where a cluster or snapshot lives.
pub type ResourceKey = (AccountId, Region, String);

/// RDS's state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rds {
    /// Clusters.
    pub clusters: BTreeMap<ResourceKey, Cluster>,
    /// Snapshots.
    pub snapshots: BTreeMap<ResourceKey, Snapshot>,
}
