//! The identity side of every decision: who a caller is, the condition keys
//! every request carries, the caller's identity policies, and the questions
//! about resources IAM alone governs or that carry their own policy (a
//! role's trust policy, a key policy not yet saved).

use super::state::{Account, Iam, Identity};
use crate::env::Ctx;
use crate::error::KmsError;
use crate::ids::AccountId;
use crate::policy::condition::Text;
use crate::policy::{
    Considered, PolicyDocument, PolicyRole, Purpose, Question, RequestContext, StoredPolicy,
};
use crate::principal::{Caller, Principal};
use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

/// The error for a caller whose account is not in the world.
pub fn unknown_account(account: &AccountId) -> KmsError {
    KmsError::UnrecognizedClientException(format!(
        "The security token included in the request is invalid. (No account {account} exists in this world.)"
    ))
}

/// Keys a request's context usually holds: the caller's, plus what KMS adds.
const CONTEXT_KEYS: usize = 12;

/// The condition keys every request carries, whatever it asks for.
///
/// `principal_arn` is the caller's ARN (a session's `aws:PrincipalArn` is
/// its role's).
pub fn caller_context(
    caller: &Caller,
    principal_arn: &Arc<str>,
    now_iso: &Arc<str>,
) -> RequestContext {
    let mut c = RequestContext::with_capacity(CONTEXT_KEYS);
    let principal = &caller.principal;
    if let Some(account) = principal.account() {
        c.insert_new("kms:CallerAccount", account.as_arc());
        c.insert_new("aws:PrincipalAccount", account.as_arc());
    }
    let principal_arn: Text = match principal {
        Principal::AssumedRole { account, role, .. } => {
            Text::Owned(Principal::Role(account.clone(), role.clone()).arn())
        }
        _ => Text::Shared(principal_arn.clone()),
    };
    c.insert_new("aws:PrincipalArn", principal_arn);
    // An IAM user's friendly name; absent for the root, roles, their
    // sessions and services (IAM User Guide, "aws:username").
    if let Principal::User(_, name) = principal {
        c.insert_new("aws:username", name.clone());
    }
    // True only when a service principal itself calls (RDS's background
    // checks through its grant); a service acting with the caller's
    // credentials (kms:ViaService) is not one.
    c.insert_new(
        "aws:PrincipalIsAWSService",
        if matches!(principal, Principal::Service(_)) {
            "true"
        } else {
            "false"
        },
    );
    c.insert_new("aws:CurrentTime", now_iso.clone());
    if let Some(service) = caller.via_service {
        c.insert_new(
            "kms:ViaService",
            service.via_service_endpoint(&caller.region),
        );
    }
    if let Some(source) = &caller.source_arn {
        c.insert_new("aws:SourceArn", source.clone());
        if let Some(account) = source.split(':').nth(4).filter(|a| !a.is_empty()) {
            c.insert_new("aws:SourceAccount", String::from(account));
        }
    }
    c
}

impl Account {
    /// Whether `principal` (of this account) exists.
    pub fn has(&self, principal: &Principal) -> bool {
        match principal {
            Principal::User(_, name) => self.users.contains_key(name),
            Principal::Role(_, name) => self.roles.contains_key(name),
            Principal::AssumedRole { role, session, .. } => self
                .roles
                .get(role)
                .is_some_and(|r| r.sessions.contains(session)),
            Principal::Root(_) | Principal::Service(_) => true,
        }
    }
}

impl Iam {
    /// The identity policies that apply to `principal`, each as a decision
    /// considers it (shared, not copied).
    pub fn identity_policies(&self, principal: &Principal) -> Vec<Considered> {
        let Some(identity) = self.identity(principal) else {
            return Vec::new();
        };
        // A session's policies are its role's, and are owned by the role.
        identity
            .policies
            .values()
            .map(|p| Considered {
                role: PolicyRole::Identity(identity.arn.clone()),
                policy: p.clone(),
            })
            .collect()
    }

    /// The user or role `principal` is (for a session, its role), if IAM
    /// has it.
    fn identity(&self, principal: &Principal) -> Option<&Identity> {
        let account = self.accounts.get(principal.account()?)?;
        match principal {
            Principal::User(_, name) => account.users.get(name),
            Principal::Role(_, name) | Principal::AssumedRole { role: name, .. } => {
                account.roles.get(name).map(|r| &r.identity)
            }
            Principal::Root(_) | Principal::Service(_) => None,
        }
    }

    /// `principal`'s ARN: a user's or role's as IAM wrote it when creating
    /// it (shared, not formatted again); the root's, a session's or a
    /// service's, and an unknown user's or role's, formatted.
    pub fn arn_of(&self, principal: &Principal) -> Arc<str> {
        match principal {
            Principal::User(..) | Principal::Role(..) => self.identity(principal),
            _ => None,
        }
        .map_or_else(|| principal.arn().into(), |i| i.arn.clone())
    }

    /// Refuses a caller whose account or identity does not exist.
    pub fn check_caller(&self, caller: &Caller) -> Result<(), KmsError> {
        let Some(account_id) = caller.principal.account() else {
            return Ok(());
        };
        let account = self
            .accounts
            .get(account_id)
            .ok_or_else(|| unknown_account(account_id))?;
        if account.has(&caller.principal) {
            Ok(())
        } else {
            Err(KmsError::UnrecognizedClientException(format!(
                "The security token included in the request is invalid. ({} does not exist.)",
                caller.principal
            )))
        }
    }

    /// Policies may only name users and roles that exist (AWS resolves them
    /// to unique ids when the policy is saved).
    pub fn check_principals_exist(&self, document: &PolicyDocument) -> Result<(), KmsError> {
        match self.missing_principal(document) {
            Some((label, value)) => Err(KmsError::MalformedPolicyDocumentException(format!(
                "Policy contains a statement with one or more invalid principals. ({label}: {value} does not exist)"
            ))),
            None => Ok(()),
        }
    }

    /// The first principal `document` names that does not exist, with the
    /// label of its statement.
    pub fn missing_principal(&self, document: &PolicyDocument) -> Option<(String, String)> {
        use crate::policy::document::PrincipalElement;
        for (i, statement) in document.statements.iter().enumerate() {
            for element in [&statement.principal, &statement.not_principal]
                .into_iter()
                .flatten()
            {
                let PrincipalElement::Named {
                    aws: Some(values), ..
                } = element
                else {
                    continue;
                };
                for value in &values.items {
                    if value == "*" || AccountId::parse(value).is_ok() {
                        continue;
                    }
                    let missing = match Principal::parse(value) {
                        Ok(Principal::Root(_)) => false,
                        Ok(p @ (Principal::User(..) | Principal::Role(..))) => !p
                            .account()
                            .and_then(|a| self.accounts.get(a))
                            .is_some_and(|a| a.has(&p)),
                        Ok(Principal::AssumedRole { .. }) => false,
                        _ => true,
                    };
                    if missing {
                        return Some((statement.label(i), value.clone()));
                    }
                }
            }
        }
        None
    }

    /// The question of `action` by `caller` on a resource IAM alone governs
    /// (an alias, a user, or `*`): only identity policies count.
    pub fn account_question(
        &self,
        caller: &Caller,
        now_iso: &Arc<str>,
        action: &'static str,
        arn: Arc<str>,
        account: &AccountId,
    ) -> Question {
        let principal_arn = self.arn_of(&caller.principal);
        Question {
            context: caller_context(caller, &principal_arn, now_iso),
            principal_arn,
            principal: caller.principal.clone(),
            action,
            resource: arn,
            resource_account: account.clone(),
            resource_policy: None,
            identity_policies: self.identity_policies(&caller.principal),
            grants: Vec::new(),
            other_grants: 0,
            cross_account_allowed: true,
            purpose: Purpose::Request,
        }
    }

    /// Decides `action` by `caller` on a resource IAM alone governs (an
    /// alias, `*`, an IAM, RDS or SSM resource) and records the decision in
    /// the call.
    pub fn decide_in_account(
        &self,
        ctx: &mut Ctx<'_>,
        caller: &Caller,
        action: &'static str,
        arn: Arc<str>,
        account: &AccountId,
    ) -> Result<(), KmsError> {
        let question = self.account_question(caller, ctx.clock.iso(), action, arn, account);
        ctx.record.decide(crate::policy::authorize(question))
    }

    /// The question of `action` by `caller` on a resource with its own
    /// policy and no grants: a role's trust policy (AssumeRole), or a key
    /// policy being proposed (the lockout safety check).
    #[allow(clippy::too_many_arguments)]
    pub fn policy_question(
        &self,
        caller: &Caller,
        now_iso: &Arc<str>,
        action: &'static str,
        role: PolicyRole,
        policy: Arc<StoredPolicy>,
        arn: Arc<str>,
        account: &AccountId,
        purpose: Purpose,
    ) -> Question {
        Question {
            resource_policy: Some(Considered { role, policy }),
            // Trust policies are IAM's: any account may be trusted.
            cross_account_allowed: !action.starts_with("kms:"),
            purpose,
            ..self.account_question(caller, now_iso, action, arn, account)
        }
    }
}

/// A caller's own account (KMS, RDS and SSM calls need one).
pub fn caller_account(caller: &Caller) -> Result<AccountId, KmsError> {
    caller.principal.account().cloned().ok_or_else(|| {
        KmsError::UnsupportedOperationException(format!(
            "{} cannot call KMS on its own behalf in the simulator; services call for a principal.",
            caller.principal
        ))
    })
}
