//! Whether a cluster can use its KMS key, over time.
//!
//! A cluster keeps its data key encrypted under its KMS key and the
//! plaintext data key only in memory while it runs. Every few minutes RDS
//! re-validates the key by decrypting the stored data key through the
//! cluster's grant, as the RDS service principal. Two failed checks in a
//! row (5 to 10 minutes after the key became unusable) make the cluster
//! `inaccessible-encryption-credentials-recoverable` and drop the data key;
//! once the key is usable again RDS recovers by itself (`starting`, then
//! `available`); after 7 days, or when the key is deleted, the cluster is
//! `inaccessible-encryption-credentials` for good.

use super::api::{DBCluster, RdsResponse};
use super::call::rds_service;
use super::state::*;
use super::timer::Timer;
use crate::clock::Timestamp;
use crate::env::{Advance, Ctx, KmsCalls};
use crate::ids::KeyId;
use crate::kms::api::DecryptRequest;
use crate::request::{Request, Response};

/// Sets the cluster's next check `after` seconds from now.
fn schedule_check(rds: &mut Rds, ctx: &mut Ctx<'_>, key: &ResourceKey, after: u64) {
    let at = ctx.now().plus(after);
    if let Some(c) = rds.clusters.get_mut(key) {
        c.next_check = Some(at);
        ctx.timers.at(at, Timer::Check(key.clone()));
    }
}

/// A new cluster starts answering, and its key checks begin.
pub fn start_cluster(
    rds: &mut Rds,
    ctx: &mut Ctx<'_>,
    key: ResourceKey,
    cluster: Cluster,
) -> Response {
    let described = DBCluster::from(&cluster);
    rds.clusters.insert(key.clone(), cluster);
    schedule_check(rds, ctx, &key, CHECK_INTERVAL);
    Response::Rds(RdsResponse::Cluster {
        db_cluster: described,
    })
}

/// Whether `timer`, set for `at`, still has something to do.
pub fn is_live(rds: &Rds, at: Timestamp, timer: &Timer) -> bool {
    match timer {
        Timer::Check(key) => rds
            .clusters
            .get(key)
            .is_some_and(|c| c.next_check == Some(at)),
        Timer::Started(key) => rds
            .clusters
            .get(key)
            .is_some_and(|c| c.status == ClusterStatus::Starting),
    }
}

/// An upper bound of how often `timer` fires until `until`.
pub fn firings_until(at: Timestamp, timer: &Timer, until: Timestamp) -> u64 {
    match timer {
        Timer::Check(_) => (until.since(at) / CHECK_INTERVAL + 1).min(MAX_CHECKS_PER_ADVANCE),
        Timer::Started(_) => 1,
    }
}

/// KMS deleted `key` for good: the clusters and snapshots under it can never
/// decrypt their data key again.
pub fn key_deleted(rds: &mut Rds, key: KeyId) {
    for storage in rds
        .clusters
        .values_mut()
        .map(|c| &mut c.storage)
        .chain(rds.snapshots.values_mut().map(|s| &mut s.storage))
    {
        if storage.key == key {
            storage.key_deleted = true;
        }
    }
}

/// Does what `timer` says.
pub fn fire(
    rds: &mut Rds,
    kms: &mut dyn KmsCalls,
    ctx: &mut Ctx<'_>,
    timer: Timer,
    advance: Advance,
) {
    match timer {
        Timer::Check(key) => check(rds, kms, ctx, &key, advance),
        Timer::Started(key) => started(rds, ctx, &key),
    }
}

/// A background key check: RDS decrypts the stored data key through the
/// cluster's grant, as the RDS service principal.
///
/// Once a cluster's check has succeeded [`STEADY_CHECKS_AUDITED`] times in
/// one advance, the rest of that advance's checks cannot turn out
/// otherwise: nothing but a request changes a usable key's state, policy or
/// grants, and no request comes during an advance. They are counted in
/// `elided_checks` instead of being run, unless the decision tested the
/// time (`aws:CurrentTime`), which can change an answer by itself. This
/// keeps a simulated century with a cluster well under a second.
fn check(
    rds: &mut Rds,
    kms: &mut dyn KmsCalls,
    ctx: &mut Ctx<'_>,
    key: &ResourceKey,
    advance: Advance,
) {
    let Some(cluster) = rds.clusters.get(key) else {
        return;
    };
    if cluster.status == ClusterStatus::Inaccessible {
        return;
    }
    let request = Request::Decrypt(DecryptRequest {
        ciphertext_blob: cluster.storage.encrypted_data_key.clone(),
        encryption_context: Some(cluster.storage.data_key_context.clone()),
        ..Default::default()
    });
    let caller = rds_service(&cluster.region, cluster.arn());
    let key_deleted = cluster.storage.key_deleted;
    let outcome = kms.call(ctx, caller, request);
    let timeless = outcome.authorizations.iter().all(|a| !a.tests_time());
    let now = ctx.now();
    let Some(cluster) = rds.clusters.get_mut(key) else {
        return;
    };
    let next = match (outcome.result, cluster.status) {
        (Ok(Response::Decrypt(d)), ClusterStatus::InaccessibleRecoverable) => {
            cluster.data_key = Some(d.plaintext);
            cluster.failing_since = None;
            cluster.set_status(ClusterStatus::Starting, now);
            ctx.timers
                .at(now.plus(STARTING_DURATION), Timer::Started(key.clone()));
            None
        }
        (Ok(_), _) => {
            cluster.failing_since = None;
            let audited = match cluster.checks_this_advance {
                (s, n) if s == advance.serial => n + 1,
                _ => 1,
            };
            cluster.checks_this_advance = (advance.serial, audited);
            if timeless && audited >= STEADY_CHECKS_AUDITED {
                // Jump to the first check after this advance.
                let skipped = advance.until.since(now) / CHECK_INTERVAL;
                cluster.elided_checks += skipped;
                Some(CHECK_INTERVAL * (skipped + 1))
            } else {
                Some(CHECK_INTERVAL)
            }
        }
        (Err(_), _)
            if key_deleted
                || cluster
                    .failing_since
                    .is_some_and(|since| now.since(since) >= TERMINAL_AFTER) =>
        {
            cluster.data_key = None;
            cluster.set_status(ClusterStatus::Inaccessible, now);
            None
        }
        (Err(_), ClusterStatus::Available) if cluster.failing_since.is_none() => {
            // Nothing visible yet: the data key is still in memory.
            cluster.failing_since = Some(now);
            Some(CHECK_INTERVAL)
        }
        (Err(_), _) => {
            cluster.data_key = None;
            cluster.set_status(ClusterStatus::InaccessibleRecoverable, now);
            Some(RECOVERY_CHECK_INTERVAL)
        }
    };
    match next {
        Some(after) => schedule_check(rds, ctx, key, after),
        None => {
            if let Some(c) = rds.clusters.get_mut(key) {
                c.next_check = None;
            }
        }
    }
}

/// The end of `starting`: the cluster answers again.
fn started(rds: &mut Rds, ctx: &mut Ctx<'_>, key: &ResourceKey) {
    let now = ctx.now();
    if let Some(cluster) = rds.clusters.get_mut(key)
        && cluster.status == ClusterStatus::Starting
    {
        cluster.set_status(ClusterStatus::Available, now);
        schedule_check(rds, ctx, key, CHECK_INTERVAL);
    }
}
