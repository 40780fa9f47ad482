//! What a learner can see change in the world during a step or while the
//! clock moves: a key's state and backing-key versions, a cluster's status,
//! a snapshot appearing. Worked out by comparing two observations, so the
//! page shows "available → inaccessible-encryption-credentials-recoverable"
//! without knowing how RDS decided it.

use crate::clock::Timestamp;
use crate::world::World;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde::Serialize;

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[repr(u8)]
pub enum ChangeKind {
    /// A KMS key's state (`Enabled`, `Disabled`, `PendingDeletion`, `Deleted`).
    KeyState,
    /// How many backing-key versions a key has (rotation adds one).
    BackingKeyVersions,
    /// An Aurora/RDS cluster's status.
    ClusterStatus,
    /// Whether a snapshot exists, and with whom it is shared.
    Snapshot,
}

impl ChangeKind {
    /// How a learner names it.
    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::KeyState => "key state",
            ChangeKind::BackingKeyVersions => "backing-key versions",
            ChangeKind::ClusterStatus => "cluster status",
            ChangeKind::Snapshot => "snapshot",
        }
    }
}

/// One change: what, of which resource (its ARN), from what to what
/// (`None`: it did not exist).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Change {
    /// What changed.
    pub kind: ChangeKind,
    /// The resource's ARN.
    pub arn: String,
    /// Before.
    pub before: Option<String>,
    /// After.
    pub after: Option<String>,
}

/// The visible state of a world at one moment: for each (kind, ARN), a
/// word. Keyed by text (`kind|arn`), sorted, so that two observations
/// compare in one pass.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Observation(BTreeMap<String, String>);

const KINDS: [ChangeKind; 4] = [
    ChangeKind::KeyState,
    ChangeKind::BackingKeyVersions,
    ChangeKind::ClusterStatus,
    ChangeKind::Snapshot,
];

fn key(kind: ChangeKind, arn: &str) -> String {
    format!("{}|{arn}", kind as u8)
}

fn unkey(key: &str) -> Option<(ChangeKind, &str)> {
    let (kind, arn) = key.split_once('|')?;
    let kind = KINDS.get(usize::from(kind.parse::<u8>().ok()?))?;
    Some((*kind, arn))
}

impl Observation {
    /// Observes `world`.
    fn of(world: &World) -> Self {
        let state = world.state();
        let mut seen = BTreeMap::new();
        for k in state.kms.keys.values() {
            let key_state = match k.state {
                crate::kms::api::KeyState::Enabled => "Enabled",
                crate::kms::api::KeyState::Disabled => "Disabled",
                crate::kms::api::KeyState::PendingDeletion => "PendingDeletion",
            };
            seen.insert(key(ChangeKind::KeyState, k.arn()), key_state.to_string());
            seen.insert(
                key(ChangeKind::BackingKeyVersions, k.arn()),
                k.backing_keys.len().to_string(),
            );
        }
        for deleted in state.kms.deleted.values() {
            seen.insert(
                key(ChangeKind::KeyState, &deleted.arn),
                "Deleted".to_string(),
            );
        }
        for cluster in state.rds.clusters.values() {
            seen.insert(
                key(ChangeKind::ClusterStatus, &cluster.arn()),
                cluster.status.as_str().to_string(),
            );
        }
        for snapshot in state.rds.snapshots.values() {
            let shared = if snapshot.shared_with.is_empty() {
                String::from("exists")
            } else {
                let with: Vec<&str> = snapshot.shared_with.iter().map(|a| a.as_str()).collect();
                format!("shared with {}", with.join(", "))
            };
            seen.insert(key(ChangeKind::Snapshot, &snapshot.arn()), shared);
        }
        Observation(seen)
    }

    /// What differs from `self` in `later`, in (kind, ARN) order.
    fn changes_to(&self, later: &Observation) -> Vec<Change> {
        let gone = self.0.iter().filter(|(k, _)| !later.0.contains_key(*k));
        let mut changes: Vec<Change> = later
            .0
            .iter()
            .map(|(k, now)| (k, self.0.get(k), Some(now)))
            .chain(gone.map(|(k, was)| (k, Some(was), None)))
            .filter(|(_, was, now)| was != now)
            .filter_map(|(k, was, now)| {
                let (kind, arn) = unkey(k)?;
                // A deleted key leaves `keys` for `deleted`: its backing
                // keys going away is part of "Deleted", not a change.
                (kind != ChangeKind::BackingKeyVersions || now.is_some()).then(|| Change {
                    kind,
                    arn: arn.to_string(),
                    before: was.cloned(),
                    after: now.cloned(),
                })
            })
            .collect();
        // In (kind, ARN) order: keys, then clusters, then snapshots.
        changes.sort_unstable_by(|a, b| (a.kind, &a.arn).cmp(&(b.kind, &b.arn)));
        changes
    }
}

/// What happened while the clock moved: the interval, the audit events
/// recorded in it (by sequence) and what changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Interval {
    /// When it began (ISO 8601).
    pub from: String,
    /// When it ended.
    pub to: String,
    /// How long it lasted.
    pub seconds: u64,
    /// The audit events recorded in it, oldest first.
    pub events: Vec<u64>,
    /// How many events it recorded that the trail no longer holds.
    pub events_dropped: u64,
}

/// Watches a world from one moment to the next: what the services did
/// (their audit events) and what changed.
#[derive(Debug, Clone)]
pub struct Watch {
    seen: Observation,
    from: Timestamp,
    first_event: u64,
}

impl Watch {
    /// Starts watching `world` now.
    pub fn start(world: &World) -> Self {
        Self {
            seen: Observation::of(world),
            from: world.now(),
            first_event: world.audit().recorded(),
        }
    }

    /// Starts watching a world that does not exist yet and will start at
    /// `start` (a log about to be replayed).
    pub fn before(start: Timestamp) -> Self {
        Self {
            seen: Observation::default(),
            from: start,
            first_event: 0,
        }
    }

    /// What happened since the watch started (or since the last lap), and
    /// starts again from now.
    pub fn lap(&mut self, world: &World) -> (Interval, Vec<Change>) {
        let first = self.first_event;
        let last = world.audit().recorded();
        // The trail is bounded: walk back over what it still holds.
        let mut events: Vec<u64> = world
            .audit()
            .events()
            .rev()
            .map(|e| e.sequence)
            .take_while(|s| *s >= first)
            .collect();
        events.reverse();
        let now = world.now();
        let interval = Interval {
            from: self.from.to_string(),
            to: now.to_string(),
            seconds: now.since(self.from),
            events_dropped: (last - first).saturating_sub(events.len() as u64),
            events,
        };
        let seen = Observation::of(world);
        let changes = self.seen.changes_to(&seen);
        *self = Self {
            seen,
            from: now,
            first_event: last,
        };
        (interval, changes)
    }
}
