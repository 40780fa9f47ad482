//! EBS's actions, written once (see `crate::kms::actions` for the row
//! format).

/// The table; see [`crate::kms::actions`].
macro_rules! ebs_table {
    ([$($acc:tt)*] $then:ident $($rest:ident)*) => {
        $then! { [$($acc)* Ebs {
            CreateVolume("ec2:CreateVolume", crate::services::ebs::api::CreateVolumeRequest, false,
                r#"{"AvailabilityZone": "eu-west-1a", "Size": 8, "Encrypted": true, "KmsKeyId": "KEY"}"#,
                crate::services::ebs::ops::create_volume, []),
            DescribeVolumes("ec2:DescribeVolumes", crate::services::ebs::api::DescribeVolumesRequest, true,
                r#"{}"#,
                crate::services::ebs::ops::describe_volumes, []),
        }] $($rest)* }
    };
}
pub(crate) use ebs_table;
