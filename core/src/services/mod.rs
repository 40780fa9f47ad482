//! The AWS services whose behaviour a learner must see: they use KMS through
//! real requests, authorized and audited like any other.

pub mod ebs;
pub mod rds;
pub mod ssm;
