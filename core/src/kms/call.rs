//! What every KMS operation does first: find the key its `KeyId` names (and
//! create an AWS managed key on first reference), authorize the access, and
//! check that the key's state allows it.

use super::actions::KeyAccess;
use super::api::KeyManager;
use super::authz::{Extras, key_question};
use super::key::KmsKey;
use super::policy_text;
use super::state::{Alias, AliasKey, Kms};
use super::timer::Timer;
use crate::crypto::BackingKey;
use crate::env::{Ctx, Undo};
use crate::error::KmsError;
use crate::iam::Iam;
use crate::ids::{
    AWS_ALIAS_PREFIX, AccountId, AliasName, KeyId, KeyReference, Region, alias_arn, key_arn,
};
use crate::policy::{PolicyKind, StoredPolicy, authorize};
use crate::principal::{AwsService, Caller};
use alloc::format;
use alloc::string::String;
use alloc::string::ToString;
use alloc::sync::Arc;

/// KMS as its handlers see it: its own state, and IAM to read (identity
/// policies for every decision, principals named in key policies).
pub struct Keys<'a> {
    /// KMS's state.
    pub kms: &'a mut Kms,
    /// IAM's state, read only.
    pub iam: &'a Iam,
}

/// AWS's `NotFoundException` for a key that is not there.
pub fn key_not_found(region: &Region, account: &AccountId, key: KeyId) -> KmsError {
    KmsError::NotFoundException(format!(
        "Key '{}' does not exist",
        key_arn(region, account, key)
    ))
}

/// AWS's `NotFoundException` for an alias that is not there.
pub fn alias_not_found(region: &Region, account: &AccountId, alias: &AliasName) -> KmsError {
    KmsError::NotFoundException(format!(
        "Alias {} is not found.",
        alias_arn(region, account, alias)
    ))
}

/// The alias a `KeyId` parameter names the key by, for `kms:RequestAlias`.
pub fn request_alias(key_id: &str) -> Option<String> {
    match KeyReference::parse(key_id).ok()? {
        KeyReference::AliasName(a) | KeyReference::AliasArn { alias: a, .. } => Some(a.to_string()),
        _ => None,
    }
}

fn managed_subject(service: AwsService) -> &'static str {
    match service {
        AwsService::Rds => "RDS database volumes",
        AwsService::Ssm => "SSM parameters",
        AwsService::Ebs => "EBS volumes",
        AwsService::Kms => "data",
    }
}

/// Where a `KeyId` parameter leads.
enum Located {
    Key(KeyId),
    /// An AWS managed key that AWS would create on this first reference.
    ManagedNotYetCreated(AccountId, Region, AwsService),
}

fn find_key(kms: &Kms, region: &Region, account: &AccountId, id: KeyId) -> Result<KeyId, KmsError> {
    match kms.keys.get(&id) {
        Some(k) if &k.account == account && &k.region == region => Ok(id),
        _ => Err(key_not_found(region, account, id)),
    }
}

fn locate(kms: &Kms, caller: &Caller, text: &str) -> Result<Located, KmsError> {
    locate_reference(kms, caller, text, KeyReference::parse(text)?)
}

/// Where `text`, already parsed as `reference`, leads.
fn locate_reference(
    kms: &Kms,
    caller: &Caller,
    text: &str,
    reference: KeyReference,
) -> Result<Located, KmsError> {
    let own = caller
        .principal
        .account()
        .cloned()
        .ok_or_else(|| KmsError::NotFoundException(format!("Invalid keyId {text}")))?;
    let region = caller.region.clone();
    let (account, alias) = match reference {
        KeyReference::KeyId(id) => return find_key(kms, &region, &own, id).map(Located::Key),
        KeyReference::KeyArn {
            region: r,
            account,
            key,
        } => {
            if r != region {
                return Err(key_not_found(&r, &account, key));
            }
            return find_key(kms, &region, &account, key).map(Located::Key);
        }
        KeyReference::AliasName(alias) => (own.clone(), alias),
        KeyReference::AliasArn {
            region: r,
            account,
            alias,
        } => {
            if r != region {
                return Err(alias_not_found(&r, &account, &alias));
            }
            (account, alias)
        }
    };
    let alias_key = AliasKey {
        account: account.clone(),
        region: region.clone(),
        name: alias.clone(),
    };
    if let Some(found) = kms.aliases.get(&alias_key) {
        return Ok(Located::Key(found.target));
    }
    match alias
        .as_str()
        .strip_prefix(AWS_ALIAS_PREFIX)
        .and_then(AwsService::from_managed_alias)
    {
        Some(service) if account == own => {
            Ok(Located::ManagedNotYetCreated(account, region, service))
        }
        _ => Err(alias_not_found(&region, &account, &alias)),
    }
}

/// The key a `KeyId` parameter names, without creating anything.
pub fn locate_key(kms: &Kms, caller: &Caller, text: &str) -> Result<KeyId, KmsError> {
    locate(kms, caller, text)?.existing()
}

impl Located {
    /// The key, if it exists (an AWS managed key is not created here).
    fn existing(self) -> Result<KeyId, KmsError> {
        match self {
            Located::Key(id) => Ok(id),
            Located::ManagedNotYetCreated(account, region, service) => {
                Err(KmsError::NotFoundException(format!(
                    "The AWS managed key aws/{} of account {account} in {region} does not exist yet; AWS creates it on first use.",
                    service.name()
                )))
            }
        }
    }
}

impl Keys<'_> {
    /// Finds the key a `KeyId` parameter names, in the caller's Region.
    /// Referencing `alias/aws/rds`, `alias/aws/ssm` or `alias/aws/ebs` in
    /// the caller's own account creates that AWS managed key if it does not
    /// exist yet, as AWS does on first use (undone if the request fails).
    pub fn resolve_key(
        &mut self,
        ctx: &mut Ctx<'_>,
        caller: &Caller,
        text: &str,
    ) -> Result<KeyId, KmsError> {
        match locate(self.kms, caller, text)? {
            Located::Key(id) => Ok(id),
            Located::ManagedNotYetCreated(account, region, service) => {
                let id = self.ensure_managed_key(ctx, &account, &region, service);
                ctx.record.undo.push(Undo::ForgetKey(id));
                Ok(id)
            }
        }
    }

    /// The AWS managed key of `service` in `account` and `region`, created on
    /// first use.
    pub fn ensure_managed_key(
        &mut self,
        ctx: &mut Ctx<'_>,
        account: &AccountId,
        region: &Region,
        service: AwsService,
    ) -> KeyId {
        let name = match AliasName::parse(&format!("{AWS_ALIAS_PREFIX}{}", service.name())) {
            Ok(name) => name,
            Err(_) => unreachable!("managed alias names are valid"),
        };
        let alias_key = AliasKey {
            account: account.clone(),
            region: region.clone(),
            name,
        };
        if let Some(alias) = self.kms.aliases.get(&alias_key) {
            return alias.target;
        }
        let id = KeyId::from_random(ctx.random.bytes());
        let material = BackingKey::new(ctx.random.bytes());
        let text = policy_text::aws_managed(account, region, service);
        let policy = match StoredPolicy::parse("default", &text, PolicyKind::Key) {
            Ok(policy) => policy,
            Err(e) => unreachable!("the managed key policy is valid: {e}"),
        };
        let now = ctx.now();
        let key = KmsKey::new(
            id,
            account.clone(),
            region.clone(),
            format!(
                "Default key that protects my {} when no other key is defined",
                managed_subject(service)
            ),
            KeyManager::AWS,
            Some(service),
            Arc::new(policy),
            material,
            now,
        );
        if let Some(next) = key.rotation.next {
            ctx.timers.at(next, Timer::AutomaticRotation(id));
        }
        self.kms.keys.insert(id, key);
        self.kms.aliases.insert(
            alias_key,
            Alias {
                target: id,
                created: now,
                updated: now,
            },
        );
        id
    }

    /// Authorizes `access` of `caller` to key `id`; records the decision and
    /// the key as a resource of the call.
    pub fn authorize_key(
        &self,
        ctx: &mut Ctx<'_>,
        caller: &Caller,
        action: &'static str,
        id: KeyId,
        extras: &Extras<'_>,
    ) -> Result<&KmsKey, KmsError> {
        let key = self
            .kms
            .keys
            .get(&id)
            .ok_or_else(|| KmsError::NotFoundException(format!("Key {id} does not exist")))?;
        ctx.record.touch(&key.account, key.arn());
        let principal_arn = ctx.record.caller_arn(&caller.principal);
        let question = key_question(
            self.kms,
            self.iam,
            ctx.now(),
            ctx.clock.iso(),
            caller,
            principal_arn,
            action,
            key,
            extras,
        );
        ctx.record.decide(authorize(question))?;
        Ok(key)
    }

    /// Resolves, authorizes and state-checks a key for one access.
    pub fn key_for(
        &mut self,
        ctx: &mut Ctx<'_>,
        caller: &Caller,
        key_id: &str,
        access: &KeyAccess,
        extras: &Extras<'_>,
    ) -> Result<KeyId, KmsError> {
        access.accepts(key_id)?;
        let id = self.resolve_key(ctx, caller, key_id)?;
        let alias = request_alias(key_id);
        let extras = Extras {
            request_alias: alias.as_deref(),
            ..*extras
        };
        self.checked_key(ctx, caller, access, id, &extras)?;
        Ok(id)
    }

    /// Authorizes `access` to the key `id` and checks that its state allows
    /// the access (AWS's order: permission first, then the key state).
    pub fn checked_key(
        &self,
        ctx: &mut Ctx<'_>,
        caller: &Caller,
        access: &KeyAccess,
        id: KeyId,
        extras: &Extras<'_>,
    ) -> Result<&KmsKey, KmsError> {
        let key = self.authorize_key(ctx, caller, access.action, id, extras)?;
        access.check(key.arn(), key.state)?;
        key.check_use(access.action)?;
        Ok(key)
    }

    /// [`Keys::key_for`] an access that takes nothing from the request but
    /// the key (no context, no grant tokens), then the key, to read or change.
    pub fn plain_key(
        &mut self,
        ctx: &mut Ctx<'_>,
        caller: &Caller,
        key_id: &str,
        access: &KeyAccess,
    ) -> Result<&mut KmsKey, KmsError> {
        let id = self.key_for(ctx, caller, key_id, access, &Extras::default())?;
        self.key_mut(id)
    }

    /// A key that exists (after `key_for`), to change.
    pub fn key_mut(&mut self, id: KeyId) -> Result<&mut KmsKey, KmsError> {
        self.kms
            .keys
            .get_mut(&id)
            .ok_or_else(|| KmsError::NotFoundException(format!("Key {id} does not exist")))
    }

    /// A key that exists, to read.
    pub fn key(&self, id: KeyId) -> Result<&KmsKey, KmsError> {
        self.kms
            .keys
            .get(&id)
            .ok_or_else(|| KmsError::NotFoundException(format!("Key {id} does not exist")))
    }
}

/// A decision without a request: could `caller` perform `action` on the key
/// `key_id` names, with this encryption context? Nothing is changed.
pub fn simulate(
    kms: &Kms,
    iam: &Iam,
    clock: &crate::env::Clock,
    caller: &Caller,
    action: &str,
    key_id: &str,
    encryption_context: Option<&crate::crypto::context::EncryptionContext>,
) -> Result<crate::policy::Authorization, KmsError> {
    // As the calls decide them: on `*`, by the caller's IAM policies alone.
    if let Some(action) = super::actions::ACCOUNT_ACTIONS
        .into_iter()
        .find(|a| a.eq_ignore_ascii_case(action))
    {
        let account = crate::iam::authz::caller_account(caller)?;
        return Ok(authorize(iam.account_question(
            caller,
            clock.iso(),
            action,
            "*".into(),
            &account,
        )));
    }
    if action.eq_ignore_ascii_case(super::actions::DECIDED_BY_THE_GRANT) {
        return Err(KmsError::ValidationException(format!(
            "{} is decided by each grant, not by policies: the grant's retiring principal, its grantee if the grant allows RetireGrant, and the account that created it may retire it.",
            super::actions::DECIDED_BY_THE_GRANT
        )));
    }
    let action = super::actions::KEY_ACCESSES
        .iter()
        .map(|a| a.action)
        .find(|a| a.eq_ignore_ascii_case(action))
        .ok_or_else(|| {
            KmsError::ValidationException(format!("{action} is not a KMS action on a key"))
        })?;
    // Parsed once: for the key, and for whether it was named by an alias.
    let reference = KeyReference::parse(key_id)?;
    let alias = reference.is_alias().then_some(key_id);
    let id = locate_reference(kms, caller, key_id, reference)?.existing()?;
    let key = kms
        .keys
        .get(&id)
        .ok_or_else(|| KmsError::NotFoundException(format!("Key {id} does not exist")))?;
    let extras = Extras {
        encryption_context,
        request_alias: alias,
        ..Extras::default()
    };
    Ok(authorize(key_question(
        kms,
        iam,
        clock.now(),
        clock.iso(),
        caller,
        iam.arn_of(&caller.principal),
        action,
        key,
        &extras,
    )))
}
