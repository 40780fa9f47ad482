//! The world: accounts, KMS, the virtual clock, the audit trail and the log
//! of everything that happened, from which the world can be rebuilt.

use crate::audit::{AuditEvent, AuditResource, AuditTrail, UserIdentity, cloudtrail_shape};
use crate::authz::Authorization;
use crate::clock::Timestamp;
use crate::error::KmsError;
use crate::iam::{Account, unknown_account};
use crate::ids::{AccountId, KeyId};
use crate::kms::Kms;
use crate::principal::Caller;
use crate::request::{Request, Response};
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
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

/// What KMS and the services do by themselves at a given time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Scheduled {
    DeleteKey(KeyId),
    AutomaticRotation(KeyId),
    OnDemandRotation(KeyId),
    RdsCheck(crate::services::rds::ResourceKey),
    RdsStarted(crate::services::rds::ResourceKey),
}

/// The result of one call: the response or error, every authorization
/// decision taken on the way (with its explanation), and the audit events it
/// produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The AWS response, or the AWS error.
    pub result: Result<Response, KmsError>,
    /// Each authorization, in the order they were made.
    pub authorizations: Vec<Authorization>,
    /// Sequence numbers of the audit events the call produced.
    pub audit_events: Vec<u64>,
}

/// What an operation gathers while it runs, for the outcome and the trail.
#[derive(Default)]
pub(crate) struct CallRecord {
    pub authorizations: Vec<Authorization>,
    pub resources: Vec<(AccountId, String)>,
    pub created_managed_key: Option<KeyId>,
    /// Audit events of the requests a service made while handling this one.
    pub nested_events: Vec<u64>,
}

impl CallRecord {
    pub fn touch(&mut self, account: &AccountId, arn: String) {
        if !self.resources.iter().any(|(_, a)| *a == arn) {
            self.resources.push((account.clone(), arn));
        }
    }
}

/// The simulated AWS world.
#[derive(Debug, Clone)]
pub struct World {
    pub(crate) config: WorldConfig,
    pub(crate) now: Timestamp,
    /// `now` in ISO 8601, kept in step with it (every request needs it).
    pub(crate) now_iso: String,
    pub(crate) rng: ChaCha20Rng,
    id_rng: ChaCha20Rng,
    pub(crate) accounts: BTreeMap<AccountId, Account>,
    pub(crate) kms: Kms,
    pub(crate) services: crate::services::Services,
    schedule: BTreeMap<(Timestamp, u64), Scheduled>,
    schedule_counter: u64,
    fired_events: u64,
    /// Counts advances, so that a timer can tell one advance from the next.
    pub(crate) advance_serial: u64,
    pub(crate) audit: AuditTrail,
    log: Vec<LogEntry>,
}

impl World {
    /// An empty world: no accounts yet, the clock at `config.start`.
    pub fn new(config: WorldConfig) -> Self {
        let rng = ChaCha20Rng::from_seed(config.seed);
        let mut id_rng = ChaCha20Rng::from_seed(config.seed);
        // Request and event ids come from their own stream, so that ids never
        // shift the key material or nonces a replay reproduces.
        id_rng.set_stream(1);
        Self {
            now: config.start,
            now_iso: config.start.iso8601(),
            audit: AuditTrail::with_capacity(config.audit_capacity),
            config,
            rng,
            id_rng,
            accounts: BTreeMap::new(),
            kms: Kms::default(),
            services: Default::default(),
            schedule: BTreeMap::new(),
            schedule_counter: 0,
            fired_events: 0,
            advance_serial: 0,
            log: Vec::new(),
        }
    }

    /// The current virtual time.
    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// The config the world was created with.
    pub fn config(&self) -> &WorldConfig {
        &self.config
    }

    /// Accounts by id.
    pub fn accounts(&self) -> &BTreeMap<AccountId, Account> {
        &self.accounts
    }

    /// The KMS state (keys, aliases, deleted keys), for display.
    pub fn kms(&self) -> &Kms {
        &self.kms
    }

    /// The services' state (RDS clusters and snapshots, parameters), for display.
    pub fn services(&self) -> &crate::services::Services {
        &self.services
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
        if self.accounts.contains_key(&account_id) {
            return Err(KmsError::AlreadyExistsException(format!(
                "Account {account_id} already exists."
            )));
        }
        crate::iam::check_account_name(name)?;
        self.accounts.insert(
            account_id.clone(),
            Account {
                name: name.into(),
                ..Account::default()
            },
        );
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

    pub(crate) fn execute(&mut self, caller: &Caller, request: &Request) -> Outcome {
        let mut record = CallRecord::default();
        let rng_before = self.rng.clone();
        // A service request makes several KMS calls; if it fails midway, none
        // of their effects may stay (a grant without its cluster, say).
        let state_before = request
            .is_service()
            .then(|| (self.kms.clone(), self.services.clone()));
        let result = self
            .check_caller(caller)
            .and_then(|()| self.dispatch(caller, request, &mut record));
        if result.is_err() {
            if let Some(key) = record.created_managed_key.take() {
                self.kms.forget_key(key);
            }
            if let Some((kms, services)) = state_before {
                self.kms = kms;
                self.services = services;
            }
            self.rng = rng_before;
        }
        let sequence = self.audit_call(caller, request, &result, &record);
        let mut audit_events = core::mem::take(&mut record.nested_events);
        audit_events.push(sequence);
        Outcome {
            result,
            authorizations: record.authorizations,
            audit_events,
        }
    }

    /// A request a service makes while handling another: authorized and
    /// audited on its own; its decisions and events join the outer outcome.
    pub(crate) fn nested_outcome(
        &mut self,
        caller: Caller,
        request: Request,
        rec: &mut CallRecord,
    ) -> Outcome {
        let outcome = self.execute(&caller, &request);
        rec.authorizations
            .extend(outcome.authorizations.iter().cloned());
        rec.nested_events
            .extend(outcome.audit_events.iter().copied());
        outcome
    }

    /// [`World::nested_outcome`], keeping only the result.
    pub(crate) fn nested(
        &mut self,
        caller: Caller,
        request: Request,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        self.nested_outcome(caller, request, rec).result
    }

    fn check_caller(&self, caller: &Caller) -> Result<(), KmsError> {
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

    fn dispatch(
        &mut self,
        caller: &Caller,
        request: &Request,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        use Request as R;
        match request {
            R::CreateKey(r) => self.create_key(caller, r, rec),
            R::DescribeKey(r) => self.describe_key(caller, r, rec),
            R::ListKeys(r) => self.list_keys(caller, r, rec),
            R::UpdateKeyDescription(r) => self.update_key_description(caller, r, rec),
            R::EnableKey(r) => self.enable_key(caller, r, rec),
            R::DisableKey(r) => self.disable_key(caller, r, rec),
            R::ScheduleKeyDeletion(r) => self.schedule_key_deletion(caller, r, rec),
            R::CancelKeyDeletion(r) => self.cancel_key_deletion(caller, r, rec),
            R::GetKeyPolicy(r) => self.get_key_policy(caller, r, rec),
            R::PutKeyPolicy(r) => self.put_key_policy(caller, r, rec),
            R::ListKeyPolicies(r) => self.list_key_policies(caller, r, rec),
            R::CreateGrant(r) => self.create_grant(caller, r, rec),
            R::ListGrants(r) => self.list_grants(caller, r, rec),
            R::ListRetirableGrants(r) => self.list_retirable_grants(caller, r, rec),
            R::RetireGrant(r) => self.retire_grant(caller, r, rec),
            R::RevokeGrant(r) => self.revoke_grant(caller, r, rec),
            R::CreateAlias(r) => self.create_alias(caller, r, rec),
            R::UpdateAlias(r) => self.update_alias(caller, r, rec),
            R::DeleteAlias(r) => self.delete_alias(caller, r, rec),
            R::ListAliases(r) => self.list_aliases(caller, r, rec),
            R::Encrypt(r) => self.encrypt(caller, r, rec),
            R::Decrypt(r) => self.decrypt(caller, r, rec),
            R::ReEncrypt(r) => self.re_encrypt(caller, r, rec),
            R::GenerateDataKey(r) => self.generate_data_key(caller, r, true, rec),
            R::GenerateDataKeyWithoutPlaintext(r) => self.generate_data_key(caller, r, false, rec),
            R::GenerateRandom(r) => self.generate_random(caller, r, rec),
            R::EnableKeyRotation(r) => self.enable_key_rotation(caller, r, rec),
            R::DisableKeyRotation(r) => self.disable_key_rotation(caller, r, rec),
            R::GetKeyRotationStatus(r) => self.get_key_rotation_status(caller, r, rec),
            R::RotateKeyOnDemand(r) => self.rotate_key_on_demand(caller, r, rec),
            R::ListKeyRotations(r) => self.list_key_rotations(caller, r, rec),
            R::TagResource(r) => self.tag_resource(caller, r, rec),
            R::UntagResource(r) => self.untag_resource(caller, r, rec),
            R::ListResourceTags(r) => self.list_resource_tags(caller, r, rec),
            R::CreateUser(r) => self.create_user(caller, r, rec),
            R::CreateRole(r) => self.create_role(caller, r, rec),
            R::PutUserPolicy(r) => self.put_identity_policy(caller, r, "iam:PutUserPolicy", rec),
            R::PutRolePolicy(r) => self.put_identity_policy(caller, r, "iam:PutRolePolicy", rec),
            R::DeleteUserPolicy(r) => {
                self.delete_identity_policy(caller, r, "iam:DeleteUserPolicy", rec)
            }
            R::DeleteRolePolicy(r) => {
                self.delete_identity_policy(caller, r, "iam:DeleteRolePolicy", rec)
            }
            R::AssumeRole(r) => self.assume_role(caller, r, rec),
            R::CreateDBCluster(r) => self.create_db_cluster(caller, r, rec),
            R::DescribeDBClusters(r) => self.describe_db_clusters(caller, r, rec),
            R::CreateDBClusterSnapshot(r) => self.create_db_cluster_snapshot(caller, r, rec),
            R::CopyDBClusterSnapshot(r) => self.copy_db_cluster_snapshot(caller, r, rec),
            R::RestoreDBClusterFromSnapshot(r) => {
                self.restore_db_cluster_from_snapshot(caller, r, rec)
            }
            R::ModifyDBClusterSnapshotAttribute(r) => {
                self.modify_db_cluster_snapshot_attribute(caller, r, rec)
            }
            R::DescribeDBClusterSnapshots(r) => self.describe_db_cluster_snapshots(caller, r, rec),
            R::ExecuteStatement(r) => self.execute_statement(caller, r, rec),
            R::PutParameter(r) => self.put_parameter(caller, r, rec),
            R::GetParameter(r) => self.get_parameter(caller, r, rec),
            R::GetParameters(r) => self.get_parameters(caller, r, rec),
            R::DeleteParameter(r) => self.delete_parameter(caller, r, rec),
        }
    }

    /// `N` bytes from the world's CSPRNG.
    pub(crate) fn random<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        self.rng.fill_bytes(&mut out);
        out
    }

    fn new_uuid(&mut self) -> String {
        let mut bytes = [0u8; 16];
        self.id_rng.fill_bytes(&mut bytes);
        KeyId::from_random(bytes).to_string()
    }

    fn audit_call(
        &mut self,
        caller: &Caller,
        request: &Request,
        result: &Result<Response, KmsError>,
        rec: &CallRecord,
    ) -> u64 {
        // Redacted by type: no secret (plaintext, SecureString value, SQL
        // and its rows) can enter the trail, whatever its field is called.
        let request_parameters = crate::json::to_redacted_value(request)
            .ok()
            .and_then(|mut v| v.get_mut("Parameters").map(Value::take))
            .map(cloudtrail_shape);
        let response_elements = match result {
            Ok(response) if !request.read_only() => crate::json::to_redacted_value(response)
                .ok()
                .map(cloudtrail_shape),
            _ => None,
        };
        let (error_code, error_message) = match result {
            // CloudTrail records KMS denials as `AccessDenied`, other errors by exception name.
            Err(KmsError::AccessDeniedException(m)) => {
                (Some("AccessDenied".to_string()), Some(m.clone()))
            }
            Err(e) => (Some(e.name().to_string()), Some(e.message().to_string())),
            Ok(_) => (None, None),
        };
        let caller_account = caller.principal.account().map(ToString::to_string);
        let recipient = rec
            .resources
            .first()
            .map(|(a, _)| a.to_string())
            .or_else(|| caller_account.clone())
            .unwrap_or_default();
        let via = caller.via_service.map(|s| s.principal().to_string());
        let (event_source, region) = match request.service() {
            "iam" => ("iam.amazonaws.com", String::from("us-east-1")),
            "sts" => ("sts.amazonaws.com", caller.region.to_string()),
            "rds" => ("rds.amazonaws.com", caller.region.to_string()),
            "rds-data" => ("rds-data.amazonaws.com", caller.region.to_string()),
            "ssm" => ("ssm.amazonaws.com", caller.region.to_string()),
            _ => ("kms.amazonaws.com", caller.region.to_string()),
        };
        let event = AuditEvent {
            sequence: 0,
            time: self.now,
            event_version: "1.08",
            user_identity: UserIdentity {
                kind: caller.principal.identity_type().into(),
                arn: Some(caller.principal.arn()),
                account_id: caller_account,
                invoked_by: via.clone(),
            },
            event_time: self.now_iso.clone(),
            event_source: event_source.into(),
            event_name: request.operation().into(),
            aws_region: region,
            source_ip_address: via.clone().unwrap_or_else(|| "203.0.113.10".into()),
            user_agent: via.unwrap_or_else(|| "kms-playground".into()),
            request_parameters,
            response_elements,
            error_code,
            error_message,
            request_id: self.new_uuid(),
            event_id: self.new_uuid(),
            read_only: request.read_only(),
            resources: rec
                .resources
                .iter()
                .map(|(account, arn)| AuditResource {
                    account_id: account.to_string(),
                    kind: "AWS::KMS::Key".into(),
                    arn: arn.clone(),
                })
                .collect(),
            event_type: "AwsApiCall",
            management_event: true,
            recipient_account_id: recipient,
            event_category: "Management",
        };
        self.audit.push(event)
    }

    /// Records what KMS did by itself (deleting or rotating a key).
    pub(crate) fn audit_service_event(
        &mut self,
        name: &str,
        account: &AccountId,
        key_arn: String,
        region: String,
    ) {
        let event = AuditEvent {
            sequence: 0,
            time: self.now,
            event_version: "1.08",
            user_identity: UserIdentity {
                kind: "AWSService".into(),
                arn: None,
                account_id: Some(account.to_string()),
                invoked_by: Some("kms.amazonaws.com".into()),
            },
            event_time: self.now_iso.clone(),
            event_source: "kms.amazonaws.com".into(),
            event_name: name.into(),
            aws_region: region,
            source_ip_address: "kms.amazonaws.com".into(),
            user_agent: "kms.amazonaws.com".into(),
            request_parameters: None,
            response_elements: None,
            error_code: None,
            error_message: None,
            request_id: self.new_uuid(),
            event_id: self.new_uuid(),
            read_only: false,
            resources: alloc::vec![AuditResource {
                account_id: account.to_string(),
                kind: "AWS::KMS::Key".into(),
                arn: key_arn,
            }],
            event_type: "AwsServiceEvent",
            management_event: true,
            recipient_account_id: account.to_string(),
            event_category: "Management",
        };
        self.audit.push(event);
    }

    /// Schedules `what` at `at`. Nothing is scheduled past
    /// [`Timestamp::MAX`]: the clock never gets there, so such an event
    /// would never happen anyway.
    pub(crate) fn schedule_at(&mut self, at: Timestamp, what: Scheduled) {
        if at > Timestamp::MAX {
            return;
        }
        self.schedule_counter += 1;
        self.schedule.insert((at, self.schedule_counter), what);
    }

    /// Moves the clock forward by `seconds`, firing every scheduled event
    /// on the way in time order.
    ///
    /// Refused with a `ValidationException`, changing nothing, when the
    /// clock would pass [`Timestamp::MAX`] or when the advance would run
    /// more than [`MAX_EVENTS_PER_ADVANCE`] scheduled events (a share link
    /// or scenario file cannot make the page work forever).
    pub fn advance(&mut self, seconds: u64) -> Result<(), KmsError> {
        let target = self.now.checked_plus(seconds).ok_or_else(|| {
            KmsError::ValidationException(format!(
                "The virtual clock cannot move {seconds} seconds forward from {}: time in the simulator ends at {}.",
                self.now,
                Timestamp::MAX
            ))
        })?;
        let estimate = self.events_until(target);
        if estimate > MAX_EVENTS_PER_ADVANCE {
            return Err(KmsError::ValidationException(format!(
                "Moving the clock to {target} would run about {estimate} scheduled events (key rotations, RDS key checks); the simulator runs at most {MAX_EVENTS_PER_ADVANCE} in one advance. Move the clock in smaller steps."
            )));
        }
        self.run_clock(target);
        self.record(LogEntry::Advance { seconds });
        Ok(())
    }

    /// An upper bound of the events an advance to `target` fires: each
    /// rotating key fires once a period, each cluster's key checks are
    /// bounded by [`crate::services::rds::MAX_CHECKS_PER_ADVANCE`], anything
    /// else fires once.
    fn events_until(&self, target: Timestamp) -> u64 {
        let mut total: u64 = 0;
        for ((at, _), what) in self.schedule.iter() {
            if *at > target {
                break;
            }
            let span = target.since(*at);
            total = total.saturating_add(match what {
                Scheduled::AutomaticRotation(id) => self.kms.keys.get(id).map_or(1, |k| {
                    span / (u64::from(k.rotation.period_days.max(1)) * crate::clock::DAY) + 1
                }),
                Scheduled::RdsCheck(_) => (span / crate::services::rds::CHECK_INTERVAL + 1)
                    .min(crate::services::rds::MAX_CHECKS_PER_ADVANCE),
                _ => 1,
            });
        }
        total
    }

    fn run_clock(&mut self, target: Timestamp) {
        self.advance_serial += 1;
        while let Some(entry) = self.schedule.first_entry() {
            let at = entry.key().0;
            if at > target {
                break;
            }
            let what = entry.remove();
            self.set_now(at);
            if self.is_live(at, &what) {
                self.fired_events += 1;
                self.fire(what, target);
            }
        }
        self.set_now(target);
    }

    /// How many scheduled events have fired since the world began (the
    /// measure of the work its clock has done).
    pub fn fired_events(&self) -> u64 {
        self.fired_events
    }

    fn set_now(&mut self, at: Timestamp) {
        if at != self.now {
            self.now = at;
            self.now_iso = at.iso8601();
        }
    }

    /// When the next scheduled event that will really do something happens.
    pub fn next_event_time(&self) -> Option<Timestamp> {
        self.schedule
            .iter()
            .find(|((at, _), what)| self.is_live(*at, what))
            .map(|((at, _), _)| *at)
    }

    /// Advances exactly to the next event, if there is one; returns whether it did.
    pub fn advance_to_next_event(&mut self) -> Result<bool, KmsError> {
        match self.next_event_time() {
            Some(at) => self.advance(at.since(self.now)).map(|()| true),
            None => Ok(false),
        }
    }

    fn is_live(&self, at: Timestamp, what: &Scheduled) -> bool {
        match *what {
            Scheduled::DeleteKey(id) => self
                .kms
                .keys
                .get(&id)
                .is_some_and(|k| k.deletion_date == Some(at)),
            Scheduled::AutomaticRotation(id) => self
                .kms
                .keys
                .get(&id)
                .is_some_and(|k| k.rotation.enabled && k.rotation.next == Some(at)),
            Scheduled::OnDemandRotation(id) => self.kms.keys.get(&id).is_some_and(|k| {
                k.rotation
                    .on_demand_started
                    .is_some_and(|s| s.plus(crate::kms::key::ON_DEMAND_ROTATION_SECONDS) == at)
            }),
            Scheduled::RdsCheck(ref key) => self
                .services
                .rds
                .clusters
                .get(key)
                .is_some_and(|c| c.next_check == Some(at)),
            Scheduled::RdsStarted(ref key) => self
                .services
                .rds
                .clusters
                .get(key)
                .is_some_and(|c| c.status == crate::services::rds::ClusterStatus::Starting),
        }
    }

    fn fire(&mut self, what: Scheduled, target: Timestamp) {
        match what {
            Scheduled::DeleteKey(id) => self.delete_key_now(id),
            Scheduled::AutomaticRotation(id) => {
                self.rotate_now(id, crate::kms::key::RotationType::Automatic)
            }
            Scheduled::OnDemandRotation(id) => {
                self.rotate_now(id, crate::kms::key::RotationType::OnDemand)
            }
            Scheduled::RdsCheck(key) => self.rds_check(&key, target),
            Scheduled::RdsStarted(key) => self.rds_started(&key),
        }
    }

    /// The log in its portable form.
    pub fn export_log(&self) -> WorldLog {
        WorldLog {
            format: WorldLog::FORMAT,
            core_version: crate::VERSION.into(),
            seed: self
                .config
                .seed
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
            start: self.config.start,
            audit_capacity: Some(self.config.audit_capacity),
            entries: self.log.clone(),
        }
    }

    /// Rebuilds a world by replaying a log from its seed.
    pub fn replay(log: &WorldLog) -> Result<World, KmsError> {
        World::replay_observed(log, |_, _, _| {})
    }

    /// Replays a log like [`World::replay`], handing every call and its
    /// outcome to `observe` (the playground rebuilds its history this way).
    pub fn replay_observed(
        log: &WorldLog,
        mut observe: impl FnMut(&Caller, &Request, Outcome),
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
                    let outcome = world.call(caller.clone(), request.clone());
                    observe(caller, request, outcome);
                }
                LogEntry::Advance { seconds } => world.advance(*seconds).map_err(|e| {
                    KmsError::ValidationException(format!("Log entry {index}: {}", e.message()))
                })?,
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

/// Parses a seed written as 64 hexadecimal characters.
pub(crate) fn parse_seed(hex: &str) -> Result<[u8; 32], KmsError> {
    let bad = || KmsError::ValidationException("Seed must be 64 hexadecimal characters.".into());
    if hex.len() != 64 || !hex.is_ascii() {
        return Err(bad());
    }
    let mut seed = [0u8; 32];
    for (i, byte) in seed.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
    }
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
