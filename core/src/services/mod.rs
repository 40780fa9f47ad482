//! The AWS services whose behaviour a learner must see: they use KMS through
//! real requests, authorized and audited like any other.

pub mod rds;
pub mod ssm;

/// The services' state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Services {
    /// RDS / Aurora.
    pub rds: rds::Rds,
    /// Parameter Store.
    pub ssm: ssm::Ssm,
}
