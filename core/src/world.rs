//! The world: every service's state, the virtual clock and the timers on
//! it, the world's randomness, the audit trail, and the log of everything
//! that happened, from which the world can be rebuilt. The world owns the
//! transaction of each call (a failed request changes nothing but the trail
//! and the log) and the clock; what a request does is the services'
//! (`route`).

use crate::audit::AuditTrail;
use crate::clock::Timestamp;
pub use crate::env::Outcome;
use crate::env::{Advance, CallRecord, CallerArn, Clock, Ctx, Randomness, Timers};
use crate::error::KmsError;
use crate::ids::AccountId;
use crate::principal::Caller;
use crate::request::Request;
use crate::route::{self, State};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The most scheduled events one [`World::advance`] runs.
pub const MAX_EVENTS_PER_ADVANCE: u64 = 100_000;
/// The most scheduled events replaying one log may run.
pub const MAX_REPLAY_EVENTS: u64 = 1_000_000;
/// The most entries a log may have to be replayed.
pub const MAX_LOG_ENTRIES: usize = 200_000;

/// How a world begins. Same config + same log = the same world, byte for byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorldConfig {
    /// Seeds the world's CSPRNG (key material, nonces, ids). The host draws
    /// it from its own entropy (getrandom) for a fresh world.
    pub seed: [u8; 32],
    /// The virtual time the world starts at.
    pub start: Timestamp,
    /// How many audit events the trail keeps.
    pub audit_capacity: usize,
    /// Whether to keep the log of everything that happened. Replay, share
    /// links and export need it, and it grows with every call; a world that
    /// runs millions of calls (a long simulation, a benchmark) can turn it
    /// off, and then holds bounded memory.
    pub record_log: bool,
}

impl WorldConfig {
    /// A config from a seed, starting at [`Timestamp::DEFAULT_START`].
    pub fn from_seed(seed: [u8; 32]) -> Self {
        Self {
            seed,
            start: Timestamp::DEFAULT_START,
            audit_capacity: crate::audit::DEFAULT_CAPACITY,
            record_log: true,
        }
    }
}

/// One thing that happened to the world, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "Entry", rename_all_fields = "PascalCase", deny_unknown_fields)]
// Nearly every entry is a `Call`: boxing it would add an allocation per entry
// to save space on the rare small ones.
#[allow(clippy::large_enum_variant)]
pub enum LogEntry {
    /// An account was added.
    AddAccount {
        /// Its id.
        account_id: AccountId,
        /// Its display name.
        name: String,
    },
    /// A request was made (whatever its outcome).
    Call {
        /// Who made it.
        caller: Caller,
        /// What was asked.
        request: Request,
    },
    /// The clock moved forward.
    Advance {
        /// By how many seconds.
        seconds: u64,
    },
}

/// The simulated AWS world.
#[derive(Debug, Clone)]
pub struct World {
    config: WorldConfig,
    clock: Clock,
    random: Randomness,
    state: State,
    timers: Timers,
    fired_events: u64,
    advance_serial: u64,
    audit: AuditTrail,
    log: Vec<LogEntry>,
    /// The last call's caller and ARN ([`CallRecord::after`]).
    caller_arn: CallerArn,
}

impl World {
    /// An empty world: no accounts yet, the clock at `config.start`.
    pub fn new(config: WorldConfig) -> Self {
        Self {
            clock: Clock::new(config.start),
            random: Randomness::from_seed(config.seed),
            audit: AuditTrail::with_capacity(config.audit_capacity),
            config,
            state: State::default(),
            timers: Timers::default(),
            fired_events: 0,
            advance_serial: 0,
            log: Vec::new(),
            caller_arn: None,
        }
    }

    /// The current virtual time.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The config the world was created with.
    pub fn config(&self) -> &WorldConfig {
        &self.config
    }

    /// Every service's state (`.iam` accounts, `.kms` keys and aliases,
    /// `.rds` clusters and snapshots, `.ssm` parameters), for display.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The audit trail.
    pub fn audit(&self) -> &AuditTrail {
        &self.audit
    }

    /// Everything that happened, in order: replaying it rebuilds this world.
    pub fn log(&self) -> &[LogEntry] {
        &self.log
    }

    fn record(&mut self, entry: LogEntry) {
        if self.config.record_log {
            self.log.push(entry);
        }
    }

    /// Adds an account (its root user exists at once).
    pub fn add_account(&mut self, account_id: AccountId, name: &str) -> Result<(), KmsError> {
        self.state.add_account(account_id.clone(), name)?;
        self.record(LogEntry::AddAccount {
            account_id,
            name: name.into(),
        });
        Ok(())
    }

    /// Makes one request. Whatever happens is audited and logged; a failed
    /// request changes nothing else in the world.
    pub fn call(&mut self, caller: Caller, request: Request) -> Outcome {
        let outcome = self.execute(&caller, &request);
        self.record(LogEntry::Call { caller, request });
        outcome
    }

    /// One call as a transaction: on failure the randomness is rewound, the
    /// side effects undone, and a service request's state (it makes several
    /// KMS calls, and a grant must not outlive its cluster) restored.
    fn execute(&mut self, caller: &Caller, request: &Request) -> Outcome {
        let checkpoint = self.random.checkpoint();
        let before = self.state.snapshot(request);
        let mut call = CallRecord::after(self.caller_arn.take());
        let mut ctx = Ctx {
            clock: &self.clock,
            random: &mut self.random,
            timers: &mut self.timers,
            audit: &mut self.audit,
            record: &mut call,
        };
        let result = route::dispatch(&mut self.state, &mut ctx, caller, request);
        if result.is_err() {
            self.random.rewind(checkpoint);
            route::undo(&mut self.state, &call.undo);
            if let Some(before) = before {
                self.state.restore(before);
            }
        }
        let (outcome, caller_arn) = route::finish(
            &mut self.audit,
            &self.clock,
            &mut self.random,
            caller,
            request,
            result,
            call,
        );
        self.caller_arn = caller_arn;
        outcome
    }

    /// Moves the clock forward by `seconds`, firing every timer on the way
    /// in time order.
    ///
    /// Refused with a `ValidationException`, changing nothing, when the
    /// clock would pass [`Timestamp::MAX`] or when the advance would run
    /// more than [`MAX_EVENTS_PER_ADVANCE`] scheduled events (a share link
    /// or scenario file cannot make the page work forever).
    pub fn advance(&mut self, seconds: u64) -> Result<(), KmsError> {
        let now = self.clock.now();
        let target = now.checked_plus(seconds).ok_or_else(|| {
            KmsError::ValidationException(format!(
                "The virtual clock cannot move {seconds} seconds forward from {now}: time in the simulator ends at {}.",
                Timestamp::MAX
            ))
        })?;
        let estimate = self
            .timers
            .iter()
            .take_while(|(at, _)| *at <= target)
            .map(|(at, timer)| route::firings_until(&self.state, at, timer, target))
            .fold(0u64, u64::saturating_add);
        if estimate > MAX_EVENTS_PER_ADVANCE {
            return Err(KmsError::ValidationException(format!(
                "Moving the clock to {target} would run about {estimate} scheduled events (key rotations, RDS key checks); the simulator runs at most {MAX_EVENTS_PER_ADVANCE} in one advance. Move the clock in smaller steps."
            )));
        }
        self.run_clock(target);
        self.record(LogEntry::Advance { seconds });
        Ok(())
    }

    fn run_clock(&mut self, target: Timestamp) {
        self.advance_serial += 1;
        let advance = Advance {
            serial: self.advance_serial,
            until: target,
        };
        while let Some((at, timer)) = self.timers.pop_due(target) {
            self.clock.set(at);
            if route::is_live(&self.state, at, &timer) {
                self.fired_events += 1;
                let mut ctx = Ctx {
                    clock: &self.clock,
                    random: &mut self.random,
                    timers: &mut self.timers,
                    audit: &mut self.audit,
                    record: &mut CallRecord::default(),
                };
                route::fire(&mut self.state, &mut ctx, timer, advance);
            }
        }
        self.clock.set(target);
    }

    /// How many scheduled events have fired since the world began (the
    /// measure of the work its clock has done).
    pub fn fired_events(&self) -> u64 {
        self.fired_events
    }

    /// When the next timer that will really do something fires.
    pub fn next_event_time(&self) -> Option<Timestamp> {
        self.timers
            .iter()
            .find(|(at, timer)| route::is_live(&self.state, *at, timer))
            .map(|(at, _)| at)
    }

    /// Dry run, like AWS's policy simulator: could `caller` perform `action`
    /// on the key `key_id` names, with this encryption context? Nothing is
    /// executed, audited or logged.
    pub fn simulate(
        &self,
        caller: &Caller,
        action: &str,
        key_id: &str,
        encryption_context: Option<&crate::crypto::context::EncryptionContext>,
    ) -> Result<crate::policy::Authorization, KmsError> {
        self.state
            .simulate(&self.clock, caller, action, key_id, encryption_context)
    }

    /// Advances exactly to the next event, if there is one; returns whether it did.
    pub fn advance_to_next_event(&mut self) -> Result<bool, KmsError> {
        match self.next_event_time() {
            Some(at) => self.advance(at.since(self.clock.now())).map(|()| true),
            None => Ok(false),
        }
    }

    /// The log in its portable form.
    pub fn export_log(&self) -> WorldLog {
        WorldLog {
            format: WorldLog::FORMAT,
            core_version: crate::VERSION.into(),
            seed: hex::encode(self.config.seed),
            start: self.config.start,
            audit_capacity: Some(self.config.audit_capacity),
            entries: self.log.clone(),
        }
    }

    /// Rebuilds a world by replaying a log from its seed.
    pub fn replay(log: &WorldLog) -> Result<World, KmsError> {
        World::replay_observed(log, |_, _| {})
    }

    /// Replays a log like [`World::replay`], handing every call and its
    /// outcome, and every move of the clock, to `observe` with the world
    /// as that entry left it (the playground rebuilds its history this way).
    pub fn replay_observed(
        log: &WorldLog,
        mut observe: impl FnMut(&World, Replayed<'_>),
    ) -> Result<World, KmsError> {
        if log.format != WorldLog::FORMAT {
            return Err(KmsError::ValidationException(format!(
                "This world was saved in log format {}; this version of the playground (core {}) reads format {}.",
                log.format,
                crate::VERSION,
                WorldLog::FORMAT
            )));
        }
        let seed = parse_seed(&log.seed)?;
        if log.start > Timestamp::MAX {
            return Err(KmsError::ValidationException(format!(
                "This world starts at {}, after the end of time in the simulator ({}).",
                log.start.0,
                Timestamp::MAX
            )));
        }
        if log.entries.len() > MAX_LOG_ENTRIES {
            return Err(KmsError::ValidationException(format!(
                "This log has {} entries; the playground replays at most {MAX_LOG_ENTRIES}.",
                log.entries.len()
            )));
        }
        let mut world = World::new(WorldConfig {
            seed,
            start: log.start,
            audit_capacity: log.audit_capacity.unwrap_or(crate::audit::DEFAULT_CAPACITY),
            record_log: true,
        });
        for (index, entry) in log.entries.iter().enumerate() {
            match entry {
                LogEntry::AddAccount { account_id, name } => {
                    world.add_account(account_id.clone(), name).map_err(|e| {
                        KmsError::ValidationException(format!("Log entry {index}: {}", e.message()))
                    })?
                }
                LogEntry::Call { caller, request } => {
                    observe(&world, Replayed::Sending(caller, request));
                    let outcome = world.call(caller.clone(), request.clone());
                    observe(&world, Replayed::Call(caller, request, outcome));
                }
                LogEntry::Advance { seconds } => {
                    world.advance(*seconds).map_err(|e| {
                        KmsError::ValidationException(format!("Log entry {index}: {}", e.message()))
                    })?;
                    observe(&world, Replayed::Advance(*seconds));
                }
            }
            if world.fired_events > MAX_REPLAY_EVENTS {
                return Err(KmsError::ValidationException(format!(
                    "Replaying this log runs more than {MAX_REPLAY_EVENTS} scheduled events (by entry {index}); the playground refuses it."
                )));
            }
        }
        Ok(world)
    }

    /// The log as JSON.
    pub fn export_json(&self) -> String {
        self.export_log().to_json()
    }

    /// Rebuilds a world from JSON made by [`World::export_json`]. Any
    /// malformed or hostile input is a `ValidationException` saying what is
    /// wrong; it never panics.
    pub fn import_json(text: &str) -> Result<World, KmsError> {
        World::replay(&WorldLog::from_json(text)?)
    }
}

/// One entry of a log being replayed, as [`World::replay_observed`]
/// reports it. Handed over once per entry and never stored, so the size of
/// the call's outcome costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
pub enum Replayed<'a> {
    /// A call about to be sent (the world is as the call will find it).
    Sending(&'a Caller, &'a Request),
    /// A call, by whom, and what it gave.
    Call(&'a Caller, &'a Request, Outcome),
    /// The clock moved this many seconds.
    Advance(u64),
}

/// Parses a seed written as 64 hexadecimal characters.
pub(crate) fn parse_seed(text: &str) -> Result<[u8; 32], KmsError> {
    let mut seed = [0u8; 32];
    hex::decode_to_slice(text, &mut seed).map_err(|_| {
        KmsError::ValidationException("Seed must be 64 hexadecimal characters.".into())
    })?;
    Ok(seed)
}

/// A world's log in portable form: what share links, export files and
/// scenario replays carry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct WorldLog {
    /// The log format version.
    pub format: u32,
    /// The core version that wrote it.
    pub core_version: String,
    /// The seed, 64 hex characters.
    pub seed: String,
    /// The start time.
    pub start: Timestamp,
    /// The audit trail's capacity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_capacity: Option<usize>,
    /// What happened.
    pub entries: Vec<LogEntry>,
}

impl WorldLog {
    /// The format this core writes and reads.
    pub const FORMAT: u32 = 1;

    /// The log as pretty JSON. Written through `Value`, like the audit
    /// trail's request parameters, so the wasm holds one serializer per type.
    pub fn to_json(&self) -> String {
        crate::json::to_value(self)
            .and_then(|v| serde_json::to_string_pretty(&v))
            .unwrap_or_default()
    }

    /// Reads a log written by [`WorldLog::to_json`] (through `Value`, for the
    /// same reason). Malformed input is a `ValidationException` naming the
    /// field at fault.
    pub fn from_json(text: &str) -> Result<WorldLog, KmsError> {
        serde_json::from_str::<Value>(text)
            .and_then(serde_json::from_value)
            .map_err(|e| {
                KmsError::ValidationException(format!("This is not a playground log: {e}"))
            })
    }
}
