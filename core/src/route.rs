//! Routing: which service handles a request, how a service calls KMS on a
//! caller's behalf, whose timer fires, and what undoes a failed request's
//! side effects. The only module that names every service.

use crate::audit::{AuditTrail, record};
use crate::clock::Timestamp;
use crate::crypto::context::EncryptionContext;
use crate::env::{
    Advance, CallRecord, CallerArn, Clock, Ctx, KmsCalls, Outcome, Randomness, Timer, Undo,
};
use crate::error::KmsError;
use crate::iam::{Account, Iam};
use crate::ids::AccountId;
use crate::kms::call::Keys;
use crate::kms::clock::Fired;
use crate::kms::state::Kms;
use crate::policy::Authorization;
use crate::principal::Caller;
use crate::request::{Request, Response, Service};
use crate::services::ebs::ops::EbsCall;
use crate::services::ebs::state::Ebs;
use crate::services::rds::call::RdsCall;
use crate::services::rds::state::Rds;
use crate::services::ssm::ops::SsmCall;
use crate::services::ssm::state::Ssm;

/// Every service's state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    /// Accounts, users, roles, identity and trust policies.
    pub iam: Iam,
    /// Keys, aliases, grants.
    pub kms: Kms,
    /// Aurora clusters and snapshots.
    pub rds: Rds,
    /// Parameter Store.
    pub ssm: Ssm,
    /// EBS volumes.
    pub ebs: Ebs,
}

/// KMS as the other services reach it: only through requests, each
/// authorized and audited on its own.
struct KmsPort<'a> {
    kms: &'a mut Kms,
    iam: &'a Iam,
}

impl KmsCalls for KmsPort<'_> {
    fn call(&mut self, ctx: &mut Ctx<'_>, caller: Caller, request: Request) -> Outcome {
        let checkpoint = ctx.random.checkpoint();
        let mut call = CallRecord::default();
        let result = {
            let mut inner = ctx.with_record(&mut call);
            self.iam
                .check_caller(&caller)
                .and_then(|()| match request.owner() {
                    Service::Kms => crate::kms::handle::handle(
                        &mut Keys {
                            kms: self.kms,
                            iam: self.iam,
                        },
                        &mut inner,
                        &caller,
                        &request,
                    ),
                    _ => Err(KmsError::UnsupportedOperationException(alloc::format!(
                        "{} is not a KMS request",
                        request.action()
                    ))),
                })
        };
        if result.is_err() {
            ctx.random.rewind(checkpoint);
            undo_kms(self.kms, &call.undo);
        }
        finish(
            ctx.audit, ctx.clock, ctx.random, &caller, &request, result, call,
        )
        .0
    }
}

fn undo_kms(kms: &mut Kms, undo: &[Undo]) {
    for u in undo {
        match u {
            Undo::ForgetKey(id) => {
                kms.forget_key(*id);
            }
        }
    }
}

impl State {
    /// Adds an account (its root user exists at once).
    pub fn add_account(&mut self, account_id: AccountId, name: &str) -> Result<(), KmsError> {
        if self.iam.accounts.contains_key(&account_id) {
            return Err(KmsError::AlreadyExistsException(alloc::format!(
                "Account {account_id} already exists."
            )));
        }
        crate::iam::check_account_name(name)?;
        self.iam.accounts.insert(
            account_id,
            Account {
                name: name.into(),
                ..Account::default()
            },
        );
        Ok(())
    }

    /// What a failed `request` must restore beyond its recorded side
    /// effects: a service request makes several KMS calls (and a grant must
    /// not outlive its cluster), so the services it touches are kept whole.
    pub fn snapshot(&self, request: &Request) -> Option<Snapshot> {
        request.is_service().then(|| Snapshot {
            kms: self.kms.clone(),
            rds: self.rds.clone(),
            ssm: self.ssm.clone(),
            ebs: self.ebs.clone(),
        })
    }

    /// Puts back what [`State::snapshot`] kept.
    pub fn restore(&mut self, snapshot: Snapshot) {
        self.kms = snapshot.kms;
        self.rds = snapshot.rds;
        self.ssm = snapshot.ssm;
        self.ebs = snapshot.ebs;
    }

    /// Dry run, like AWS's policy simulator: could `caller` perform
    /// `action` on the key `key_id` names, with this encryption context?
    pub fn simulate(
        &self,
        clock: &Clock,
        caller: &Caller,
        action: &str,
        key_id: &str,
        encryption_context: Option<&EncryptionContext>,
    ) -> Result<Authorization, KmsError> {
        crate::kms::call::simulate(
            &self.kms,
            &self.iam,
            clock,
            caller,
            action,
            key_id,
            encryption_context,
        )
    }
}

/// The services' state before a service request, to restore if it fails.
#[derive(Debug)]
pub struct Snapshot {
    kms: Kms,
    rds: Rds,
    ssm: Ssm,
    ebs: Ebs,
}

/// Undoes what a failed request did on the side (an AWS managed key created
/// on first reference).
pub fn undo(state: &mut State, undo: &[Undo]) {
    undo_kms(&mut state.kms, undo);
}

/// Runs `request` as `caller` with the service that owns it.
pub fn dispatch(
    state: &mut State,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    request: &Request,
) -> Result<Response, KmsError> {
    state.iam.check_caller(caller)?;
    let State {
        iam,
        kms,
        rds,
        ssm,
        ebs,
    } = state;
    match request.owner() {
        Service::Kms => crate::kms::handle::handle(&mut Keys { kms, iam }, ctx, caller, request),
        Service::Iam => crate::iam::handle::handle(iam, ctx, caller, request),
        Service::Rds => {
            let mut port = KmsPort { kms, iam };
            crate::services::rds::handle::handle(
                &mut RdsCall {
                    rds,
                    iam,
                    kms: &mut port,
                },
                ctx,
                caller,
                request,
            )
        }
        Service::Ssm => {
            let mut port = KmsPort { kms, iam };
            crate::services::ssm::handle::handle(
                &mut SsmCall {
                    ssm,
                    iam,
                    kms: &mut port,
                },
                ctx,
                caller,
                request,
            )
        }
        Service::Ebs => {
            let mut port = KmsPort { kms, iam };
            crate::services::ebs::handle::handle(
                &mut EbsCall {
                    ebs,
                    iam,
                    kms: &mut port,
                },
                ctx,
                caller,
                request,
            )
        }
    }
}

/// Records a finished call in the audit trail and makes its outcome: the
/// events of the requests it made on the way, then its own.
pub fn finish(
    audit: &mut AuditTrail,
    clock: &Clock,
    random: &mut Randomness,
    caller: &Caller,
    request: &Request,
    result: Result<Response, KmsError>,
    mut call: CallRecord,
) -> (Outcome, CallerArn) {
    let sequence = record::call(audit, clock, random, caller, request, &result, &mut call);
    let mut audit_events = core::mem::take(&mut call.nested_events);
    audit_events.push(sequence);
    let outcome = Outcome {
        result,
        authorizations: core::mem::take(&mut call.authorizations),
        audit_events,
    };
    (outcome, call.into_caller_arn())
}

/// Whether `timer`, set for `at`, still has something to do.
pub fn is_live(state: &State, at: Timestamp, timer: &Timer) -> bool {
    match timer {
        Timer::Kms(t) => crate::kms::clock::is_live(&state.kms, at, t),
        Timer::Rds(t) => crate::services::rds::health::is_live(&state.rds, at, t),
    }
}

/// An upper bound of how often `timer` fires until `until`.
pub fn firings_until(state: &State, at: Timestamp, timer: &Timer, until: Timestamp) -> u64 {
    match timer {
        Timer::Kms(t) => crate::kms::clock::firings_until(&state.kms, at, t, until),
        Timer::Rds(t) => crate::services::rds::health::firings_until(at, t, until),
    }
}

/// Does what `timer` says, and tells the services what it changed for them.
pub fn fire(state: &mut State, ctx: &mut Ctx<'_>, timer: Timer, advance: Advance) {
    match timer {
        Timer::Kms(t) => {
            if let Fired::KeyDeleted(id) = crate::kms::clock::fire(&mut state.kms, ctx, t) {
                crate::services::rds::health::key_deleted(&mut state.rds, id);
            }
        }
        Timer::Rds(t) => {
            let State { iam, kms, rds, .. } = state;
            let mut port = KmsPort { kms, iam };
            crate::services::rds::health::fire(rds, &mut port, ctx, t, advance);
        }
    }
}
