//! A KMS key: its metadata, state, backing keys (one per rotation) and
//! rotation settings.

use super::api::{KeyManager, KeyMetadata, KeySpec, KeyState, KeyUsage};
use crate::clock::{DAY, Timestamp};
use crate::crypto::BackingKey;
use crate::ids::{AccountId, KeyId, Region, key_arn};
use crate::policy::StoredPolicy;
use crate::principal::AwsService;
use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;

/// How a backing key came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RotationType {
    /// Rotated by the schedule (`EnableKeyRotation`).
    Automatic,
    /// Rotated by `RotateKeyOnDemand`.
    OnDemand,
}

impl RotationType {
    /// The name `ListKeyRotations` uses.
    pub fn as_str(self) -> &'static str {
        match self {
            RotationType::Automatic => "AUTOMATIC",
            RotationType::OnDemand => "ON_DEMAND",
        }
    }
}

/// One version of the key material.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackingKeyVersion {
    /// The secret itself.
    pub material: BackingKey,
    /// When it was created.
    pub created: Timestamp,
    /// `None` for the original material, else how the rotation happened.
    pub rotation: Option<RotationType>,
}

/// Rotation settings and state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotation {
    /// Whether automatic rotation is on.
    pub enabled: bool,
    /// Days between automatic rotations (90 to 2560).
    pub period_days: u32,
    /// When the next automatic rotation happens, if enabled.
    pub next: Option<Timestamp>,
    /// When the on-demand rotation in progress started, if any.
    pub on_demand_started: Option<Timestamp>,
}

/// The default rotation period, and AWS's bounds.
pub const DEFAULT_ROTATION_DAYS: u32 = 365;
/// Shortest rotation period.
pub const MIN_ROTATION_DAYS: u32 = 90;
/// Longest rotation period.
pub const MAX_ROTATION_DAYS: u32 = 2560;
/// On-demand rotations allowed per key over its lifetime.
pub const MAX_ON_DEMAND_ROTATIONS: usize = 10;
/// How long an on-demand rotation takes in the simulator (seconds).
pub const ON_DEMAND_ROTATION_SECONDS: u64 = 60;

/// A KMS key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KmsKey {
    /// The key id.
    pub id: KeyId,
    /// The key ARN, computed once (it is needed on every call).
    arn: Arc<str>,
    /// The owning account.
    pub account: AccountId,
    /// The key's Region; it exists nowhere else.
    pub region: Region,
    /// Free text.
    pub description: String,
    /// `ENCRYPT_DECRYPT`.
    pub usage: KeyUsage,
    /// `SYMMETRIC_DEFAULT`.
    pub spec: KeySpec,
    /// Customer or AWS managed.
    pub manager: KeyManager,
    /// For AWS managed keys, the service that owns it.
    pub managed_by: Option<AwsService>,
    /// Lifecycle state.
    pub state: KeyState,
    /// When it was created.
    pub created: Timestamp,
    /// When it will be deleted, while `PendingDeletion`.
    pub deletion_date: Option<Timestamp>,
    /// The key policy, as written and parsed (shared with the decisions
    /// that consider it).
    pub policy: Arc<StoredPolicy>,
    /// Tags.
    pub tags: BTreeMap<String, String>,
    /// Every version of the material, oldest first; the last one encrypts.
    pub backing_keys: Vec<BackingKeyVersion>,
    /// Rotation settings.
    pub rotation: Rotation,
}

impl KmsKey {
    /// A new key with its first backing key.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: KeyId,
        account: AccountId,
        region: Region,
        description: String,
        manager: KeyManager,
        managed_by: Option<AwsService>,
        policy: Arc<StoredPolicy>,
        material: BackingKey,
        now: Timestamp,
    ) -> Self {
        Self {
            arn: key_arn(&region, &account, id).into(),
            id,
            account,
            region,
            description,
            usage: KeyUsage::ENCRYPT_DECRYPT,
            spec: KeySpec::SYMMETRIC_DEFAULT,
            manager,
            managed_by,
            state: KeyState::Enabled,
            created: now,
            deletion_date: None,
            policy,
            tags: BTreeMap::new(),
            backing_keys: vec![BackingKeyVersion {
                material,
                created: now,
                rotation: None,
            }],
            rotation: Rotation {
                // AWS managed keys rotate every year, always.
                enabled: manager == KeyManager::AWS,
                period_days: DEFAULT_ROTATION_DAYS,
                next: (manager == KeyManager::AWS)
                    .then(|| now.plus(u64::from(DEFAULT_ROTATION_DAYS) * DAY)),
                on_demand_started: None,
            },
        }
    }

    /// The key ARN.
    pub fn arn(&self) -> &Arc<str> {
        &self.arn
    }

    /// The backing key that encrypts now, with its version number (1-based).
    pub fn current_backing_key(&self) -> (u32, &BackingKey) {
        let version = self.backing_keys.len();
        (version as u32, &self.backing_keys[version - 1].material)
    }

    /// A backing key by version number, if the key has it.
    pub fn backing_key(&self, version: u32) -> Option<&BackingKey> {
        let index = (version as usize).checked_sub(1)?;
        self.backing_keys.get(index).map(|v| &v.material)
    }

    /// How many on-demand rotations the key has had.
    pub fn on_demand_rotations(&self) -> usize {
        self.backing_keys
            .iter()
            .filter(|v| v.rotation == Some(RotationType::OnDemand))
            .count()
    }

    /// Whether this key's spec and usage allow `action` (see
    /// [`crate::kms::spec::check_use`]).
    pub fn check_use(&self, action: &str) -> Result<(), crate::error::KmsError> {
        crate::kms::spec::check_use(action, &self.arn, self.spec, self.usage)
    }

    /// `KeyMetadata`, as `DescribeKey` returns it.
    pub fn metadata(&self) -> KeyMetadata {
        let [
            encryption_algorithms,
            signing_algorithms,
            key_agreement_algorithms,
        ] = crate::kms::spec::algorithms(self.spec, self.usage);
        KeyMetadata {
            aws_account_id: self.account.to_string(),
            key_id: self.id.to_string(),
            arn: self.arn.to_string(),
            creation_date: self.created.epoch_seconds(),
            enabled: self.state == KeyState::Enabled,
            description: self.description.clone(),
            key_usage: self.usage,
            key_state: self.state,
            deletion_date: self.deletion_date.map(Timestamp::epoch_seconds),
            // API reference, KeyMetadata.PendingDeletionWindowInDays: "present
            // only when the KeyState of the KMS key is PendingReplicaDeletion"
            // (multi-Region keys, which the simulator does not model); a
            // single-Region key shows its DeletionDate instead.
            pending_deletion_window_in_days: None,
            origin: "AWS_KMS".into(),
            key_manager: self.manager,
            customer_master_key_spec: self.spec,
            key_spec: self.spec,
            encryption_algorithms,
            signing_algorithms,
            key_agreement_algorithms,
            multi_region: false,
        }
    }
}
