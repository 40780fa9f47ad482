//! The policy documents KMS writes by itself: the default key policy and
//! the policies of AWS managed keys.

use crate::ids::{AccountId, Region};
use crate::principal::AwsService;
use alloc::string::String;
use serde_json::json;

/// The policy `CreateKey` gives a key created without one: the account root
/// gets `kms:*`, which delegates access control to IAM in that account.
pub fn default_key_policy(account: &AccountId) -> String {
    pretty(json!({
        "Version": "2012-10-17",
        "Id": "key-default-1",
        "Statement": [{
            "Sid": "Enable IAM User Permissions",
            "Effect": "Allow",
            "Principal": {"AWS": account.root_arn()},
            "Action": "kms:*",
            "Resource": "*"
        }]
    }))
}

/// The immutable policy of an AWS managed key: use only through the owning
/// service by principals of the account; metadata reads by the account.
pub fn aws_managed(account: &AccountId, region: &Region, service: AwsService) -> String {
    pretty(json!({
        "Version": "2012-10-17",
        "Id": alloc::format!("auto-{}-2", service.name()),
        "Statement": [
            {
                "Sid": alloc::format!("Allow access through {} for all principals in the account that are authorized to use {}", service.name().to_ascii_uppercase(), service.name().to_ascii_uppercase()),
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:ListGrants", "kms:DescribeKey"],
                "Resource": "*",
                "Condition": {"StringEquals": {
                    "kms:CallerAccount": account.as_str(),
                    "kms:ViaService": service.via_service_endpoint(region)
                }}
            },
            {
                "Sid": "Allow direct access to key metadata to the account",
                "Effect": "Allow",
                "Principal": {"AWS": account.root_arn()},
                "Action": ["kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant"],
                "Resource": "*"
            }
        ]
    }))
}

fn pretty(value: serde_json::Value) -> String {
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

/// A policy's text as a learner reads it: pretty JSON when it is JSON, else
/// the text as written.
pub fn pretty_text(text: &str) -> String {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| String::from(text))
}
