//! Free play: a world the learner drives directly, with the virtual clock
//! and a console for any request as any principal.

use kms_core::clock::{DAY, HOUR, MINUTE};
use kms_core::ids::{AccountId, Region};
use kms_core::kms::envelope::Envelope;
use kms_core::kms::policy_diff::policy_change;
use kms_core::principal::Caller;
use kms_core::scenario::StepResult;
use kms_core::scenario::changes::{Change, Interval, Watch};
use kms_core::world::{LogEntry, Replayed, WorldLog};
use kms_core::{KmsError, Outcome, Request, World, WorldConfig};

/// The accounts of a fresh world.
pub const ACCOUNTS: [(&str, &str); 2] =
    [("111122223333", "production"), ("444455556666", "staging")];

/// Who works in a fresh world, as the requests that create them (sent by
/// each account's root): in production an administrator (`admin`, allowed
/// everything by IAM) and the application's role (`app`, allowed to use
/// KMS keys, not to manage them); in staging a deployment role
/// (`staging-deploy`, allowed RDS only: using production's keys needs both
/// sides). None of them is named in any key policy yet.
pub const PEOPLE: [(&str, &str); 7] = [
    (
        "111122223333",
        r#"{"Action": "iam:CreateUser", "Parameters": {"UserName": "admin"}}"#,
    ),
    (
        "111122223333",
        r#"{"Action": "iam:PutUserPolicy", "Parameters": {"UserName": "admin", "PolicyName": "AdministratorAccess", "PolicyDocument": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"}}"#,
    ),
    (
        "111122223333",
        r#"{"Action": "iam:CreateRole", "Parameters": {"RoleName": "app", "AssumeRolePolicyDocument": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"sts:AssumeRole\"}]}"}}"#,
    ),
    (
        "111122223333",
        r#"{"Action": "iam:PutRolePolicy", "Parameters": {"RoleName": "app", "PolicyName": "use-kms-keys", "PolicyDocument": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"kms:Encrypt\",\"kms:Decrypt\",\"kms:GenerateDataKey*\",\"kms:DescribeKey\"],\"Resource\":\"*\"}]}"}}"#,
    ),
    (
        "444455556666",
        r#"{"Action": "iam:CreateRole", "Parameters": {"RoleName": "staging-deploy", "AssumeRolePolicyDocument": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:root\"},\"Action\":\"sts:AssumeRole\"}]}"}}"#,
    ),
    (
        "444455556666",
        r#"{"Action": "iam:PutRolePolicy", "Parameters": {"RoleName": "staging-deploy", "PolicyName": "rds", "PolicyDocument": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"rds:*\",\"rds-data:*\"],\"Resource\":\"*\"}]}"}}"#,
    ),
    (
        "444455556666",
        r#"{"Action": "iam:CreateUser", "Parameters": {"UserName": "dev"}}"#,
    ),
];

/// The clock buttons: label and seconds (`None`: until the next scheduled event).
pub const CLOCK_STEPS: [(&str, Option<u64>); 6] = [
    ("+1 min", Some(MINUTE)),
    ("+10 min", Some(10 * MINUTE)),
    ("+1 h", Some(HOUR)),
    ("+1 day", Some(DAY)),
    ("+7 days", Some(7 * DAY)),
    ("Next event", None),
];

/// A world in the learner's hands, and what they did with it.
pub struct FreePlay {
    /// The world.
    pub world: World,
    /// Results of the console, newest last.
    pub results: Vec<StepResult>,
    /// A note after the last clock move, if any.
    pub notice: Option<String>,
    /// Which free-play world this is on screen (see [`crate::story::next_serial`]).
    pub serial: u64,
    /// The story this world was continued from: its title and its cards.
    pub story: Option<(String, Vec<StepResult>)>,
    /// The world's log length before the first card, and after each card:
    /// how far undo goes back (a card refused before reaching the world,
    /// bad JSON for one, added nothing to the log).
    base: usize,
    marks: Vec<usize>,
}

impl FreePlay {
    /// A fresh world with the production and staging accounts and the
    /// people who work in them (see [`PEOPLE`]), created by ordinary
    /// requests: their cards come first, and a link replays them.
    pub fn fresh(seed: [u8; 32]) -> Self {
        let mut world = World::new(WorldConfig::from_seed(seed));
        for (id, name) in ACCOUNTS {
            if let Ok(account) = AccountId::parse(id) {
                let _ = world.add_account(account, name);
            }
        }
        let mut free = Self::from_world(world);
        for (account, request) in PEOPLE {
            free.send(&format!("arn:aws:iam::{account}:root"), "", request);
        }
        free
    }

    /// Continues from a world (a story left at some step).
    pub fn from_world(world: World) -> Self {
        Self {
            base: world.log().len(),
            world,
            results: Vec::new(),
            notice: None,
            serial: crate::story::next_serial(),
            story: None,
            marks: Vec::new(),
        }
    }

    /// Adds a card for what just happened to the world.
    fn push(&mut self, card: StepResult) {
        self.results.push(card);
        self.marks.push(self.world.log().len());
    }

    /// Undoes the newest card exactly: the world is replayed from its seed
    /// without what that card did. Says why when it cannot.
    pub fn undo(&mut self) {
        if self.results.is_empty() {
            return;
        }
        let target = match self.marks.len() {
            0 | 1 => self.base,
            n => self.marks[n - 2],
        };
        if self.world.log().len() > target {
            let mut log = self.world.export_log();
            log.entries.truncate(target);
            match World::replay(&log) {
                Ok(world) => self.world = world,
                Err(e) => {
                    self.notice = Some(format!("Undo failed: {}", e.message()));
                    return;
                }
            }
        }
        self.results.pop();
        self.marks.pop();
        self.notice = None;
    }

    /// Moves the clock, and adds a card saying what happened meanwhile
    /// (the services' calls, status changes, rotations, deletions).
    pub fn advance(&mut self, seconds: Option<u64>) {
        let mut watch = Watch::start(&self.world);
        let moved = match seconds {
            Some(s) => self.world.advance(s).map(|()| true),
            None => self.world.advance_to_next_event(),
        };
        self.notice = match moved {
            Ok(true) => {
                let (interval, changes) = watch.lap(&self.world);
                self.push(clock_card(self.results.len(), interval, changes));
                None
            }
            Ok(false) => Some("Nothing is scheduled.".into()),
            Err(e) => Some(e.message().to_string()),
        };
    }

    /// Rebuilds a free-play session from a world's JSON log (a share link,
    /// an export file, localStorage): the world byte for byte, and every call
    /// of the log as the console history. Bad input is a `ValidationException`
    /// saying what is wrong.
    pub fn restore(json: &str) -> Result<Self, KmsError> {
        let log = WorldLog::from_json(json)?;
        let mut results = Vec::new();
        let mut marks = Vec::new();
        let mut watch = Watch::before(log.start);
        let mut replaced = None;
        let world = World::replay_observed(&log, |world, entry| {
            let index = results.len();
            if let Replayed::Sending(_, request) = entry {
                replaced = policy_change(&world.state().kms, request);
                return;
            }
            let (interval, changes) = watch.lap(world);
            results.push(match entry {
                Replayed::Call(caller, request, outcome) => {
                    let json = kms_core::json::to_value(request).ok();
                    let shown = Envelope::shows(request).then_some(request);
                    let mut card =
                        result_of(index, caller.label(), json, shown, Ok(outcome), world);
                    card.changes = changes;
                    card.policy_change = replaced.take();
                    card
                }
                _ => clock_card(index, interval, changes),
            });
            marks.push(world.log().len());
        })?;
        let mut free = Self::from_world(world);
        free.base = log
            .entries
            .iter()
            .take_while(|e| matches!(e, LogEntry::AddAccount { .. }))
            .count();
        free.results = results;
        free.marks = marks;
        if log.core_version != kms_core::VERSION {
            free.notice = Some(format!(
                "Made with core {}, replayed with core {}.",
                log.core_version,
                kms_core::VERSION
            ));
        }
        Ok(free)
    }

    /// Sends one request. Bad input is reported as the AWS error it would be,
    /// and changes nothing.
    pub fn send(&mut self, actor: &str, via: &str, request_json: &str) -> &StepResult {
        let caller = Caller::parse(actor, Some(via), Region::default());
        let mut watch = Watch::start(&self.world);
        let mut shown = None;
        let mut replaced = None;
        let outcome = caller.and_then(|caller| {
            let request = Request::from_json(request_json)?;
            shown = Envelope::shows(&request).then(|| request.clone());
            replaced = policy_change(&self.world.state().kms, &request);
            Ok(self.world.call(caller, request))
        });
        let request = serde_json::from_str(request_json).ok();
        let mut result = result_of(
            self.results.len(),
            actor.to_string(),
            request,
            shown.as_ref(),
            outcome,
            &self.world,
        );
        result.changes = watch.lap(&self.world).1;
        result.policy_change = replaced;
        self.push(result);
        &self.results[self.results.len() - 1]
    }
}

/// A card for a move of the clock: what happened in the interval.
fn clock_card(index: usize, interval: Interval, changes: Vec<Change>) -> StepResult {
    let mut card = StepResult::new(
        index,
        format!(
            "The clock moves forward {}.",
            crate::world_view::duration(interval.seconds)
        ),
    );
    card.audit_events = interval.events.clone();
    card.interval = Some(interval);
    card.changes = changes;
    card
}

/// A console card for one call.
fn result_of(
    index: usize,
    actor: String,
    request: Option<serde_json::Value>,
    sent: Option<&Request>,
    outcome: Result<Outcome, KmsError>,
    world: &World,
) -> StepResult {
    let mut result = StepResult::new(index, String::new());
    result.actor = Some(actor);
    result.request = request;
    match outcome.and_then(|outcome| result.take_outcome(sent, outcome, world)) {
        Ok(response) => result.response = kms_core::json::to_value(&response).ok(),
        Err(e) => result.error = Some(e),
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_world_has_its_people_made_by_ordinary_requests() {
        let free = FreePlay::fresh([3; 32]);
        assert_eq!(free.results.len(), PEOPLE.len());
        for r in &free.results {
            assert!(r.error.is_none(), "{:?}: {:?}", r.request, r.error);
        }
        let iam = &free.world.state().iam;
        let account = |id: &str| &iam.accounts[&AccountId::parse(id).unwrap()];
        let production = account("111122223333");
        assert!(production.users.contains_key("admin"));
        assert!(production.roles.contains_key("app"));
        let staging = account("444455556666");
        assert!(staging.roles.contains_key("staging-deploy"));
        assert!(staging.users.contains_key("dev"));
        // The same world comes back from its log, cards included.
        let again = FreePlay::restore(&free.world.export_json()).unwrap();
        assert_eq!(again.results.len(), free.results.len());
        assert_eq!(again.world.state().iam, free.world.state().iam);
    }

    #[test]
    fn undo_is_exact_and_goes_back_one_card_at_a_time() {
        let mut free = FreePlay::fresh([4; 32]);
        let root = "arn:aws:iam::111122223333:root";
        let before = free.world.export_json();
        free.send(root, "", r#"{"Action": "kms:CreateKey", "Parameters": {}}"#);
        free.send(root, "", "{not json");
        free.advance(Some(600));
        assert_eq!(free.results.len(), PEOPLE.len() + 3);
        free.undo();
        free.undo();
        assert_eq!(
            free.results.len(),
            PEOPLE.len() + 1,
            "the bad request's card goes too"
        );
        assert!(free.world.export_json() != before, "the key is still there");
        free.undo();
        assert_eq!(
            free.world.export_json(),
            before,
            "byte for byte the world before"
        );
        assert_eq!(free.results.len(), PEOPLE.len());
        // Undo never goes past the first card of a restored world either.
        let mut again = FreePlay::restore(&free.world.export_json()).unwrap();
        for _ in 0..PEOPLE.len() + 2 {
            again.undo();
        }
        assert!(again.results.is_empty());
        assert!(
            again.world.state().iam.accounts.len() == 2,
            "the accounts stay"
        );
    }
}
