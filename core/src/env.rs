//! What a request handler may use besides the state its service owns: the
//! virtual clock, the world's randomness, the timers it sets, the audit
//! trail (for the requests a service makes on a caller's behalf) and the
//! record of its own call. Handlers never see the world.

use crate::audit::{AuditResource, AuditTrail};
use crate::clock::Timestamp;
use crate::error::KmsError;
use crate::ids::{AccountId, KeyId};
use crate::policy::Authorization;
use crate::principal::{Caller, Principal};
use crate::request::{Request, Response};
use crate::secret::SecretBytes;
use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;
use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};

/// Which advance a timer fires in, and until when it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Advance {
    /// Counts advances, so that a check can tell one from the next.
    pub serial: u64,
    /// The time the advance ends at.
    pub until: Timestamp,
}

/// The virtual time, and its ISO 8601 text (every request needs it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clock {
    now: Timestamp,
    iso: Arc<str>,
}

impl Clock {
    /// The clock at `now`.
    pub fn new(now: Timestamp) -> Self {
        Self {
            now,
            iso: now.iso8601().into(),
        }
    }

    /// The time.
    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// The time as CloudTrail writes it.
    pub fn iso(&self) -> &Arc<str> {
        &self.iso
    }

    /// Moves to `at`.
    pub fn set(&mut self, at: Timestamp) {
        if at != self.now {
            *self = Self::new(at);
        }
    }
}

/// The world's randomness: a seeded CSPRNG for key material and nonces, and
/// a second stream for request and event ids, so that ids never shift the
/// bytes a replay reproduces.
#[derive(Debug, Clone)]
pub struct Randomness {
    material: ChaCha20Rng,
    ids: ChaCha20Rng,
}

impl Randomness {
    /// Both streams from one seed.
    pub fn from_seed(seed: [u8; 32]) -> Self {
        let mut ids = ChaCha20Rng::from_seed(seed);
        ids.set_stream(1);
        Self {
            material: ChaCha20Rng::from_seed(seed),
            ids,
        }
    }

    /// `N` bytes of key material or nonce.
    pub fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        self.material.fill_bytes(&mut out);
        out
    }

    /// `len` random bytes that are secret from birth.
    pub fn secret(&mut self, len: usize) -> SecretBytes {
        let mut raw = alloc::vec![0u8; len];
        self.material.fill_bytes(&mut raw);
        SecretBytes::new(raw)
    }

    /// A fresh request or event id (a version-4 UUID).
    pub fn uuid(&mut self) -> uuid::Uuid {
        let mut bytes = [0u8; 16];
        self.ids.fill_bytes(&mut bytes);
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    }

    /// Where the material stream is, to rewind a failed request to.
    pub(crate) fn checkpoint(&self) -> ChaCha20Rng {
        self.material.clone()
    }

    /// Rewinds the material stream to a checkpoint.
    pub(crate) fn rewind(&mut self, to: ChaCha20Rng) {
        self.material = to;
    }
}

/// Something a service does by itself at a set time, named by its owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Timer {
    /// KMS's: deletions and rotations.
    Kms(crate::kms::timer::Timer),
    /// RDS's: key checks and recoveries.
    Rds(crate::services::rds::timer::Timer),
}

/// The timers set, in time order (ties in the order they were set).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timers {
    queue: BTreeMap<(Timestamp, u64), Timer>,
    counter: u64,
}

impl Timers {
    /// Sets `timer` at `at`. Nothing is set past [`Timestamp::MAX`]: the
    /// clock never gets there, so it would never fire anyway.
    pub fn at(&mut self, at: Timestamp, timer: impl Into<Timer>) {
        if at > Timestamp::MAX {
            return;
        }
        self.counter += 1;
        self.queue.insert((at, self.counter), timer.into());
    }

    /// Takes the earliest timer due at or before `until`.
    pub fn pop_due(&mut self, until: Timestamp) -> Option<(Timestamp, Timer)> {
        let entry = self.queue.first_entry()?;
        let at = entry.key().0;
        (at <= until).then(|| (at, entry.remove()))
    }

    /// Every timer set, earliest first.
    pub fn iter(&self) -> impl Iterator<Item = (Timestamp, &Timer)> {
        self.queue.iter().map(|((at, _), t)| (*at, t))
    }
}

impl From<crate::kms::timer::Timer> for Timer {
    fn from(t: crate::kms::timer::Timer) -> Self {
        Timer::Kms(t)
    }
}

impl From<crate::services::rds::timer::Timer> for Timer {
    fn from(t: crate::services::rds::timer::Timer) -> Self {
        Timer::Rds(t)
    }
}

/// What undoes a side effect of a request that then failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undo {
    /// An AWS managed key created on first reference.
    ForgetKey(KeyId),
}

/// What one call gathers while it runs, for its outcome and its event.
#[derive(Debug, Default)]
pub struct CallRecord {
    /// Each authorization, in the order they were made.
    pub authorizations: Vec<Authorization>,
    /// The keys the call touched, as its audit event names them.
    pub resources: Vec<AuditResource>,
    /// What to undo if the call fails.
    pub undo: Vec<Undo>,
    /// Audit events of the requests a service made while handling this one.
    pub nested_events: Vec<u64>,
    /// The caller's ARN, formatted once for the call's decisions and its event.
    caller_arn: CallerArn,
}

/// A caller and its ARN as a call formatted it; the world keeps the last
/// one for the next call, since a caller usually calls again.
pub type CallerArn = Option<(Principal, Arc<str>)>;

impl CallRecord {
    /// A record for a call, reusing the ARN the last call formatted.
    pub fn after(last: CallerArn) -> Self {
        Self {
            caller_arn: last,
            ..Self::default()
        }
    }

    /// The ARN this call formatted (or reused), for the next call.
    pub fn into_caller_arn(self) -> CallerArn {
        self.caller_arn
    }

    /// `principal`'s ARN: formatted on first use, shared afterwards.
    pub fn caller_arn(&mut self, principal: &Principal) -> Arc<str> {
        match &self.caller_arn {
            Some((p, arn)) if p == principal => arn.clone(),
            _ => {
                let arn: Arc<str> = principal.arn().into();
                self.caller_arn = Some((principal.clone(), arn.clone()));
                arn
            }
        }
    }

    /// Notes a resource the call touched (once).
    pub fn touch(&mut self, account: &AccountId, arn: &Arc<str>) {
        if !self.resources.iter().any(|r| r.arn == *arn) {
            self.resources
                .push(AuditResource::key(account.clone(), arn.clone()));
        }
    }

    /// Records an authorization and returns its verdict.
    pub fn decide(&mut self, decision: Authorization) -> Result<(), KmsError> {
        let verdict = decision.require();
        // Most calls decide once: room for one, not the four a Vec takes
        // by default (1,280 bytes, past the allocator's fast small sizes).
        if self.authorizations.capacity() == 0 {
            self.authorizations.reserve_exact(1);
        }
        self.authorizations.push(decision);
        verdict
    }
}

/// The result of one call: the response or error, every authorization
/// decision taken on the way, and the audit events it produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The AWS response, or the AWS error.
    pub result: Result<Response, KmsError>,
    /// Each authorization, in the order they were made.
    pub authorizations: Vec<Authorization>,
    /// Sequence numbers of the audit events the call produced.
    pub audit_events: Vec<u64>,
}

/// The environment of one call.
pub struct Ctx<'a> {
    /// The virtual clock.
    pub clock: &'a Clock,
    /// The world's randomness.
    pub random: &'a mut Randomness,
    /// Where timers are set.
    pub timers: &'a mut Timers,
    /// The audit trail (requests made on a caller's behalf are audited).
    pub audit: &'a mut AuditTrail,
    /// This call's record.
    pub record: &'a mut CallRecord,
}

impl Ctx<'_> {
    /// The virtual time.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The same environment for a nested call with its own record.
    pub fn with_record<'b>(&'b mut self, record: &'b mut CallRecord) -> Ctx<'b> {
        Ctx {
            clock: self.clock,
            random: self.random,
            timers: self.timers,
            audit: self.audit,
            record,
        }
    }
}

/// How a service calls KMS on a caller's behalf: a real request, authorized
/// and audited on its own; its decisions and events join the outer call.
pub trait KmsCalls {
    /// Makes `request` as `caller`.
    fn call(&mut self, ctx: &mut Ctx<'_>, caller: Caller, request: Request) -> Outcome;
}

/// Makes a nested call and folds its decisions and events into `ctx`'s
/// record; returns the whole outcome.
pub fn nested_outcome(
    kms: &mut dyn KmsCalls,
    ctx: &mut Ctx<'_>,
    caller: Caller,
    request: Request,
) -> Outcome {
    let outcome = kms.call(ctx, caller, request);
    ctx.record
        .authorizations
        .extend(outcome.authorizations.iter().cloned());
    ctx.record
        .nested_events
        .extend(outcome.audit_events.iter().copied());
    outcome
}

/// [`nested_outcome`], keeping only the result.
pub fn nested(
    kms: &mut dyn KmsCalls,
    ctx: &mut Ctx<'_>,
    caller: Caller,
    request: Request,
) -> Result<Response, KmsError> {
    nested_outcome(kms, ctx, caller, request).result
}
