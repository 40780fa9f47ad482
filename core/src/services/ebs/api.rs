//! EBS's request and response shapes (EC2's names).

use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

aws_shapes! {
    /// `ec2:CreateVolume`.
    CreateVolumeRequest {
        /// Where the volume lives (`eu-west-1a`): the Region and a letter.
        availability_zone: String,
        /// GiB, 1 to 16384 (default 8).
        #[serde(default, skip_serializing_if = "Option::is_none")] size: Option<u32>,
        /// `gp3` (default), `gp2`, `io1`, `io2`, `st1`, `sc1` or `standard`.
        #[serde(default, skip_serializing_if = "Option::is_none")] volume_type: Option<String>,
        /// Whether the volume is encrypted (default false).
        #[serde(default, skip_serializing_if = "Option::is_none")] encrypted: Option<bool>,
        /// Any key-id form; needs `Encrypted`. Default: `alias/aws/ebs`.
        #[serde(default, skip_serializing_if = "Option::is_none")] kms_key_id: Option<String>,
    }
    /// `ec2:DescribeVolumes`.
    DescribeVolumesRequest {
        /// Only these volumes (default: all of the account's in the Region).
        #[serde(default, skip_serializing_if = "Option::is_none")] volume_ids: Option<Vec<String>>,
    }
}

/// A volume, as `CreateVolume` and `DescribeVolumes` show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct VolumeView {
    pub volume_id: String,
    pub size: u32,
    pub availability_zone: String,
    pub state: &'static str,
    pub volume_type: String,
    pub encrypted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    pub create_time: f64,
}

/// EBS responses.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[allow(missing_docs)]
pub enum EbsResponse {
    Volume(VolumeView),
    Volumes {
        #[serde(rename = "Volumes")]
        volumes: Vec<VolumeView>,
    },
}
