//! RDS as its handlers see it, and what its operations share: callers for
//! the requests RDS makes to KMS, permissions on RDS resources, new names.

use super::state::{Rds, ResourceKey, Snapshot};
use crate::env::{Ctx, KmsCalls};
use crate::error::KmsError;
use crate::iam::Iam;
use crate::iam::authz::caller_account;
use crate::ids::{AccountId, Region};
use crate::principal::{AwsService, Caller, Principal};
use alloc::format;
use alloc::string::{String, ToString};

/// RDS's state, IAM to read (permissions on RDS resources), and KMS to call
/// on a caller's behalf.
pub struct RdsCall<'a> {
    /// RDS's state.
    pub rds: &'a mut Rds,
    /// IAM's state, read only.
    pub iam: &'a Iam,
    /// KMS, through audited requests.
    pub kms: &'a mut dyn KmsCalls,
}

/// What `claim_name` claims.
#[derive(Clone, Copy)]
pub enum Kind {
    /// A cluster.
    Cluster,
    /// A cluster snapshot.
    Snapshot,
}

/// The caller, through RDS, acting for the resource `source_arn`.
pub fn rds_caller(caller: &Caller, source_arn: String) -> Caller {
    let mut via = caller.clone().via(AwsService::Rds);
    via.source_arn = Some(source_arn);
    via
}

/// The RDS service principal itself, acting for `source_arn`.
pub fn rds_service(region: &Region, source_arn: String) -> Caller {
    Caller {
        principal: Principal::Service(AwsService::Rds),
        region: region.clone(),
        via_service: None,
        source_arn: Some(source_arn),
    }
}

/// RDS's error for an identifier that breaks its rules.
pub fn check_identifier(field: &str, id: &str) -> Result<(), KmsError> {
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

impl RdsCall<'_> {
    /// Authorizes `action` on an RDS resource (IAM alone governs them).
    pub fn authorize(
        &self,
        ctx: &mut Ctx<'_>,
        caller: &Caller,
        action: &'static str,
        arn: String,
    ) -> Result<AccountId, KmsError> {
        let account = caller_account(caller)?;
        self.iam
            .decide_in_account(ctx, caller, action, arn.into(), &account)?;
        Ok(account)
    }

    /// Claims a new cluster or snapshot name in the caller's account and
    /// Region: its ARN, the caller's permission for `action` on it, and that
    /// the name is free.
    pub fn claim_name(
        &self,
        ctx: &mut Ctx<'_>,
        caller: &Caller,
        kind: Kind,
        id: &str,
        action: &'static str,
    ) -> Result<(ResourceKey, String), KmsError> {
        let account = caller_account(caller)?;
        let region = caller.region.clone();
        let segment = match kind {
            Kind::Cluster => "cluster",
            Kind::Snapshot => "cluster-snapshot",
        };
        let arn = format!("arn:aws:rds:{region}:{account}:{segment}:{id}");
        self.authorize(ctx, caller, action, arn.clone())?;
        let key = (account, region, id.to_string());
        match kind {
            Kind::Cluster if self.rds.clusters.contains_key(&key) => Err(
                KmsError::DBClusterAlreadyExistsFault("DB Cluster already exists".into()),
            ),
            Kind::Snapshot if self.rds.snapshots.contains_key(&key) => {
                Err(KmsError::DBClusterSnapshotAlreadyExistsFault(format!(
                    "A DB cluster snapshot with the identifier {id} already exists."
                )))
            }
            _ => Ok((key, arn)),
        }
    }

    /// The caller's cluster named by an identifier or ARN.
    pub fn own_cluster_key(&self, caller: &Caller, id: &str) -> Result<ResourceKey, KmsError> {
        let account = caller_account(caller)?;
        let id = id.rsplit(":cluster:").next().unwrap_or(id).to_string();
        let key = (account, caller.region.clone(), id.clone());
        if self.rds.clusters.contains_key(&key) {
            Ok(key)
        } else {
            Err(KmsError::DBClusterNotFoundFault(format!(
                "DBCluster {id} not found."
            )))
        }
    }

    /// A snapshot the caller may use: its own by identifier, or one shared
    /// with its account by ARN.
    pub fn visible_snapshot(&self, caller: &Caller, id: &str) -> Result<Snapshot, KmsError> {
        let account = caller_account(caller)?;
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
            self.rds.snapshots.get(&(owner, region, name.to_string()))
        } else {
            self.rds
                .snapshots
                .get(&(account.clone(), caller.region.clone(), id.to_string()))
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
}

/// A new resource id (`cluster-ABC…`), from the world's randomness.
pub fn new_resource_id(ctx: &mut Ctx<'_>, prefix: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let bytes: [u8; 26] = ctx.random.bytes();
    let body: String = bytes
        .iter()
        .map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char)
        .collect();
    format!("{prefix}-{body}")
}
