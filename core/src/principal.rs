//! Who makes a request: an account root, an IAM user or role, an assumed-role
//! session, or an AWS service, and through which service it arrives.

use crate::error::KmsError;
use crate::ids::{AccountId, Region};
use alloc::format;
use alloc::string::{String, ToString};
use core::fmt;
use serde::{Deserialize, Serialize};

/// An AWS principal. Serialized as its ARN (or, for services, its
/// service principal name such as `rds.amazonaws.com`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Principal {
    /// The account root user, `arn:aws:iam::<acct>:root`.
    Root(AccountId),
    /// An IAM user, `arn:aws:iam::<acct>:user/<name>`.
    User(AccountId, String),
    /// An IAM role (as named in policies), `arn:aws:iam::<acct>:role/<name>`.
    Role(AccountId, String),
    /// A session of an assumed role, `arn:aws:sts::<acct>:assumed-role/<role>/<session>`.
    AssumedRole {
        /// The role's account.
        account: AccountId,
        /// The role's name.
        role: String,
        /// The session name.
        session: String,
    },
    /// An AWS service acting on its own behalf.
    Service(AwsService),
}

impl Principal {
    /// The account the principal belongs to (`None` for AWS services).
    pub fn account(&self) -> Option<&AccountId> {
        match self {
            Principal::Root(a) | Principal::User(a, _) | Principal::Role(a, _) => Some(a),
            Principal::AssumedRole { account, .. } => Some(account),
            Principal::Service(_) => None,
        }
    }

    /// The principal's ARN, as it appears in errors and in the audit trail.
    pub fn arn(&self) -> String {
        match self {
            Principal::Root(a) => a.root_arn(),
            Principal::User(a, n) => format!("arn:aws:iam::{a}:user/{n}"),
            Principal::Role(a, n) => format!("arn:aws:iam::{a}:role/{n}"),
            Principal::AssumedRole {
                account,
                role,
                session,
            } => {
                format!("arn:aws:sts::{account}:assumed-role/{role}/{session}")
            }
            Principal::Service(s) => s.principal().to_string(),
        }
    }

    /// The principal's name within its account, as its ARN ends:
    /// `root`, `user/alice`, `role/app`, `assumed-role/app/session`.
    pub fn name_in_account(&self) -> String {
        let arn = self.arn();
        match (self, arn.rsplit_once(':')) {
            (Principal::Service(_), _) | (_, None) => arn,
            (_, Some((_, name))) => name.into(),
        }
    }

    /// The identity's unique id, as `principalId` in CloudTrail and
    /// `UserId` / `RoleId` / `AssumedRoleId` in IAM's and STS's responses:
    /// the account id for the root, `AIDA...` for a user, `AROA...` for a
    /// role, `AROA...:<session>` for a session, the service principal for a
    /// service. AWS draws the ids at random when an identity is created; the
    /// simulator derives them from the ARN, so a replayed world has the
    /// same ids.
    pub fn unique_id(&self) -> String {
        match self {
            Principal::Root(a) => a.as_str().into(),
            Principal::User(..) => derived_id("AIDA", &self.arn()),
            Principal::Role(..) => derived_id("AROA", &self.arn()),
            Principal::AssumedRole {
                account,
                role,
                session,
            } => {
                let role = Principal::Role(account.clone(), role.clone()).unique_id();
                format!("{role}:{session}")
            }
            Principal::Service(s) => s.principal().into(),
        }
    }

    /// The access key id of the credentials the caller signs with:
    /// long-term `AKIA...` for the root and users, temporary `ASIA...` for a
    /// session; none for a role itself or a service.
    pub fn access_key_id(&self) -> Option<String> {
        let prefix = match self {
            Principal::Root(_) | Principal::User(..) => "AKIA",
            Principal::AssumedRole { .. } => "ASIA",
            Principal::Role(..) | Principal::Service(_) => return None,
        };
        let mut id = derived_id(prefix, &self.arn());
        id.truncate(20);
        Some(id)
    }

    /// CloudTrail's `userIdentity.type`.
    pub fn identity_type(&self) -> &'static str {
        match self {
            Principal::Root(_) => "Root",
            Principal::User(..) => "IAMUser",
            Principal::Role(..) | Principal::AssumedRole { .. } => "AssumedRole",
            Principal::Service(_) => "AWSService",
        }
    }

    /// Parses an ARN or service principal name.
    pub fn parse(text: &str) -> Result<Self, KmsError> {
        let bad = || KmsError::InvalidArnException(format!("{text} is not a principal ARN"));
        if let Some(service) = AwsService::from_principal(text) {
            return Ok(Principal::Service(service));
        }
        let (iam, rest) = if let Some(rest) = text.strip_prefix("arn:aws:iam::") {
            (true, rest)
        } else if let Some(rest) = text.strip_prefix("arn:aws:sts::") {
            (false, rest)
        } else {
            return Err(bad());
        };
        let (account, resource) = rest.split_once(':').ok_or_else(bad)?;
        let account = AccountId::parse(account).map_err(|_| bad())?;
        let name_ok = |n: &str| {
            !n.is_empty()
                && n.len() <= 64
                && n.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b))
        };
        match (iam, resource.split_once('/')) {
            (true, None) if resource == "root" => Ok(Principal::Root(account)),
            (true, Some(("user", n))) if name_ok(n) => Ok(Principal::User(account, n.into())),
            (true, Some(("role", n))) if name_ok(n) => Ok(Principal::Role(account, n.into())),
            (false, Some(("assumed-role", rest))) => {
                let (role, session) = rest.split_once('/').ok_or_else(bad)?;
                if name_ok(role) && name_ok(session) {
                    Ok(Principal::AssumedRole {
                        account,
                        role: role.into(),
                        session: session.into(),
                    })
                } else {
                    Err(bad())
                }
            }
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for Principal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.arn())
    }
}

impl Serialize for Principal {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.arn())
    }
}

impl<'de> Deserialize<'de> for Principal {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Principal::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// The AWS services the simulator knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AwsService {
    /// AWS Key Management Service itself.
    Kms,
    /// Amazon RDS and Aurora.
    Rds,
    /// AWS Systems Manager (Parameter Store).
    Ssm,
    /// Amazon EBS (through EC2).
    Ebs,
}

impl AwsService {
    const ALL: [AwsService; 4] = [
        AwsService::Kms,
        AwsService::Rds,
        AwsService::Ssm,
        AwsService::Ebs,
    ];

    /// The short name used in endpoints and managed-key aliases (`rds`).
    pub fn name(self) -> &'static str {
        match self {
            AwsService::Kms => "kms",
            AwsService::Rds => "rds",
            AwsService::Ssm => "ssm",
            AwsService::Ebs => "ebs",
        }
    }

    /// The service principal, as in `invokedBy` (`rds.amazonaws.com`).
    pub fn principal(self) -> &'static str {
        match self {
            AwsService::Kms => "kms.amazonaws.com",
            AwsService::Rds => "rds.amazonaws.com",
            AwsService::Ssm => "ssm.amazonaws.com",
            AwsService::Ebs => "ec2.amazonaws.com",
        }
    }

    /// The value of `kms:ViaService` for a call through this service in `region`.
    pub fn via_service_endpoint(self, region: &Region) -> String {
        let host = if self == AwsService::Ebs {
            "ec2"
        } else {
            self.name()
        };
        format!("{host}.{region}.amazonaws.com")
    }

    /// The service from its principal name.
    pub fn from_principal(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.principal() == text)
    }

    /// The service whose AWS managed key has this alias suffix (`aws/rds`).
    pub fn from_managed_alias(suffix: &str) -> Option<Self> {
        [AwsService::Rds, AwsService::Ssm, AwsService::Ebs]
            .into_iter()
            .find(|s| s.name() == suffix)
    }
}

impl Serialize for AwsService {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.principal())
    }
}

impl<'de> Deserialize<'de> for AwsService {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        AwsService::from_principal(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown service principal {text}")))
    }
}

/// The caller of one request: who, in which Region, and through which
/// service (when a service such as RDS calls KMS on the principal's behalf).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Caller {
    /// Who signs the request.
    pub principal: Principal,
    /// The Region of the endpoint called.
    pub region: Region,
    /// The service making the call for the principal, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via_service: Option<AwsService>,
    /// The resource a service acts for (`aws:SourceArn`), such as a cluster ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_arn: Option<String>,
}

impl Caller {
    /// Who calls, as the playground prints it: the principal's ARN, and the
    /// service it went through, if any.
    pub fn label(&self) -> String {
        match self.via_service {
            Some(s) => alloc::format!("{} via {}", self.principal.arn(), s.principal()),
            None => self.principal.arn(),
        }
    }

    /// A principal calling directly.
    pub fn new(principal: Principal, region: Region) -> Self {
        Self {
            principal,
            region,
            via_service: None,
            source_arn: None,
        }
    }

    /// A caller as a person writes one (the console, a scenario's actor):
    /// a principal's ARN and, if not empty, the principal of the AWS service
    /// it calls through (`rds.amazonaws.com`).
    pub fn parse(arn: &str, via: Option<&str>, region: Region) -> Result<Self, KmsError> {
        let mut caller = Self::new(Principal::parse(arn.trim())?, region);
        if let Some(via) = via.map(str::trim).filter(|v| !v.is_empty()) {
            let service = AwsService::from_principal(via).ok_or_else(|| {
                KmsError::ValidationException(alloc::format!(
                    "{via} is not a service the simulator knows; one of: {}",
                    AwsService::ALL.map(|s| s.principal()).join(", ")
                ))
            })?;
            caller.via_service = Some(service);
        }
        Ok(caller)
    }

    /// The same principal, through `service`.
    pub fn via(mut self, service: AwsService) -> Self {
        self.via_service = Some(service);
        self
    }
}

/// `prefix` and 17 characters of IAM's unique-id alphabet, derived from
/// `seed` (SHA-256), as long as AWS's ids.
fn derived_id(prefix: &str, seed: &str) -> String {
    use sha2::{Digest, Sha256};
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let digest = Sha256::digest(seed.as_bytes());
    let mut id = String::with_capacity(prefix.len() + 17);
    id.push_str(prefix);
    id.extend(
        digest
            .iter()
            .take(17)
            .map(|b| char::from(ALPHABET[usize::from(b & 31)])),
    );
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caller_is_read_as_the_console_and_scenarios_write_it() {
        let region = Region::default();
        assert_eq!(region.as_str(), "eu-west-1");
        let direct = Caller::parse(
            " arn:aws:iam::111122223333:role/app ",
            Some(" "),
            region.clone(),
        )
        .unwrap();
        assert_eq!(direct.via_service, None);
        assert_eq!(direct.principal.arn(), "arn:aws:iam::111122223333:role/app");
        let via = Caller::parse(
            "arn:aws:iam::111122223333:root",
            Some("rds.amazonaws.com"),
            region.clone(),
        )
        .unwrap();
        assert_eq!(via.via_service, Some(AwsService::Rds));
        let unknown = Caller::parse(
            "arn:aws:iam::111122223333:root",
            Some("s3.amazonaws.com"),
            region,
        )
        .unwrap_err();
        assert_eq!(unknown.name(), "ValidationException");
        assert!(
            unknown
                .message()
                .contains("s3.amazonaws.com is not a service"),
            "{unknown}"
        );
    }

    #[test]
    fn principal_arns_round_trip() {
        for arn in [
            "arn:aws:iam::111122223333:root",
            "arn:aws:iam::111122223333:user/alice",
            "arn:aws:iam::111122223333:role/KeyAdmin",
            "arn:aws:sts::111122223333:assumed-role/KeyAdmin/session-1",
            "rds.amazonaws.com",
        ] {
            assert_eq!(Principal::parse(arn).unwrap().arn(), arn);
        }
        for bad in [
            "",
            "arn:aws:iam::1:root",
            "arn:aws:iam::111122223333:group/x",
            "arn:aws:iam::111122223333:user/",
        ] {
            assert_eq!(
                Principal::parse(bad).unwrap_err().name(),
                "InvalidArnException",
                "{bad}"
            );
        }
    }

    #[test]
    fn via_service_endpoints() {
        let r = Region::parse("eu-west-1").unwrap();
        assert_eq!(
            AwsService::Rds.via_service_endpoint(&r),
            "rds.eu-west-1.amazonaws.com"
        );
        assert_eq!(
            AwsService::Ebs.via_service_endpoint(&r),
            "ec2.eu-west-1.amazonaws.com"
        );
    }
}
