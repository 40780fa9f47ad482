//! EBS's state: volumes by account, Region and id.

use crate::clock::Timestamp;
use crate::ids::{AccountId, Region};
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

/// A volume.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Volume {
    /// `vol-` and 17 hexadecimal digits.
    pub id: String,
    /// Its Availability Zone.
    pub availability_zone: String,
    /// GiB.
    pub size: u32,
    /// `gp3`, ...
    pub volume_type: String,
    /// For an encrypted volume: the key's ARN, the grant EBS holds on it,
    /// and the data key encrypted under it (bound to `aws:ebs:id`).
    pub encryption: Option<Encryption>,
    /// When it was created.
    pub created: Timestamp,
}

/// How a volume is encrypted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encryption {
    /// The key's ARN.
    pub key_arn: String,
    /// The grant EBS created for the volume.
    pub grant_id: String,
    /// The volume's data key, encrypted (no plaintext ever left KMS).
    pub encrypted_data_key: Vec<u8>,
}

/// Volumes by account, Region and id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ebs {
    /// The volumes.
    pub volumes: BTreeMap<(AccountId, Region, String), Volume>,
}
