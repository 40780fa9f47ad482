//! What KMS does by itself when its timers come due: delete a key at the
//! end of its waiting period, rotate key material.

use super::api::KeyState;
use super::key::{BackingKeyVersion, ON_DEMAND_ROTATION_SECONDS, RotationType};
use super::state::{DeletedKey, Kms};
use super::timer::Timer;
use crate::audit::record::service_event;
use crate::clock::{DAY, Timestamp};
use crate::crypto::BackingKey;
use crate::env::Ctx;
use crate::ids::KeyId;

/// What a fired timer changed that other services may care about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fired {
    /// Nothing outside KMS.
    Nothing,
    /// A key was deleted for good.
    KeyDeleted(KeyId),
}

/// Whether `timer`, set for `at`, still has something to do (a cancelled
/// deletion or a disabled rotation leaves its timer behind).
pub fn is_live(kms: &Kms, at: Timestamp, timer: &Timer) -> bool {
    match *timer {
        Timer::DeleteKey(id) => kms
            .keys
            .get(&id)
            .is_some_and(|k| k.deletion_date == Some(at)),
        Timer::AutomaticRotation(id) => kms
            .keys
            .get(&id)
            .is_some_and(|k| k.rotation.enabled && k.rotation.next == Some(at)),
        Timer::OnDemandRotation(id) => kms.keys.get(&id).is_some_and(|k| {
            k.rotation
                .on_demand_started
                .is_some_and(|s| s.plus(ON_DEMAND_ROTATION_SECONDS) == at)
        }),
    }
}

/// An upper bound of how often `timer` fires until `until` (a rotation
/// fires once a period).
pub fn firings_until(kms: &Kms, at: Timestamp, timer: &Timer, until: Timestamp) -> u64 {
    match timer {
        Timer::AutomaticRotation(id) => kms.keys.get(id).map_or(1, |k| {
            until.since(at) / (u64::from(k.rotation.period_days.max(1)) * DAY) + 1
        }),
        _ => 1,
    }
}

/// Does what `timer` says.
pub fn fire(kms: &mut Kms, ctx: &mut Ctx<'_>, timer: Timer) -> Fired {
    match timer {
        Timer::DeleteKey(id) => delete_key_now(kms, ctx, id),
        Timer::AutomaticRotation(id) => {
            rotate_now(kms, ctx, id, RotationType::Automatic);
            Fired::Nothing
        }
        Timer::OnDemandRotation(id) => {
            rotate_now(kms, ctx, id, RotationType::OnDemand);
            Fired::Nothing
        }
    }
}

/// The end of a waiting period: the key and its aliases are gone, and
/// every ciphertext under it can never be decrypted again.
fn delete_key_now(kms: &mut Kms, ctx: &mut Ctx<'_>, id: KeyId) -> Fired {
    let Some(key) = kms.forget_key(id) else {
        return Fired::Nothing;
    };
    kms.deleted.insert(
        id,
        DeletedKey {
            arn: key.arn().clone(),
            deleted_at: ctx.now(),
        },
    );
    service_event(
        ctx.audit,
        ctx.clock,
        ctx.random,
        "DeleteKey",
        (&key.account, key.arn(), &key.region),
        None,
    );
    Fired::KeyDeleted(id)
}

/// A key enabled again whose automatic rotation fell due while it could
/// not be used rotates at once, then every period from now: "If the key
/// material in the re-enabled KMS key hasn't been rotated in one year, KMS
/// rotates it immediately" (KMS API reference, GetKeyRotationStatus).
pub fn resume_rotation(kms: &mut Kms, ctx: &mut Ctx<'_>, id: KeyId) {
    let now = ctx.now();
    let due = kms.keys.get(&id).is_some_and(|k| {
        k.state == KeyState::Enabled
            && k.rotation.enabled
            && k.rotation.next.is_some_and(|n| n <= now)
    });
    if due {
        rotate_now(kms, ctx, id, RotationType::Automatic);
    }
}

/// Adds a backing key: new encryptions use it, old ciphertexts keep
/// decrypting with the version their blob names.
fn rotate_now(kms: &mut Kms, ctx: &mut Ctx<'_>, id: KeyId, kind: RotationType) {
    let material = BackingKey::new(ctx.random.bytes());
    let now = ctx.now();
    let Some(key) = kms.keys.get_mut(&id) else {
        return;
    };
    match kind {
        // KMS does not rotate a key that is disabled or pending deletion:
        // the rotation stays due (`next` is left in the past) until the key
        // is enabled again, see [`resume_rotation`].
        RotationType::Automatic if key.state != KeyState::Enabled => return,
        RotationType::OnDemand => key.rotation.on_demand_started = None,
        RotationType::Automatic => {
            let next = now.plus(u64::from(key.rotation.period_days) * DAY);
            key.rotation.next = Some(next);
            ctx.timers.at(next, Timer::AutomaticRotation(id));
        }
    }
    key.backing_keys.push(BackingKeyVersion {
        material,
        created: now,
        rotation: Some(kind),
    });
    let (account, arn, region) = (key.account.clone(), key.arn().clone(), key.region.clone());
    service_event(
        ctx.audit,
        ctx.clock,
        ctx.random,
        "RotateKey",
        (&account, &arn, &region),
        Some(
            serde_json::json!({"rotationType": kind.as_str(), "keyId": alloc::string::ToString::to_string(&id)}),
        ),
    );
}
