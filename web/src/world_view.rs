//! A compact view of the world: the clock, keys, clusters.

use kms_core::World;
use leptos::prelude::*;

/// One key, as the summary shows it.
#[derive(Clone)]
struct KeyRow {
    state: String,
    short_id: String,
    arn: String,
    manager: String,
    aliases: String,
}

/// One cluster, as the summary shows it.
#[derive(Clone)]
struct ClusterRow {
    id: String,
    account: String,
    status: &'static str,
}

/// What the summary shows, taken from a world without cloning it (a world
/// carries its whole audit trail).
#[derive(Clone)]
pub struct WorldSnapshot {
    clock: String,
    keys: Vec<KeyRow>,
    clusters: Vec<ClusterRow>,
    deleted: usize,
    events: u64,
}

impl WorldSnapshot {
    /// Reads what the summary shows.
    pub fn of(world: &World) -> Self {
        let kms = world.kms();
        Self {
            clock: world.now().iso8601(),
            keys: kms
                .keys
                .values()
                .map(|k| {
                    let id = k.id.to_string();
                    KeyRow {
                        state: format!("{:?}", k.state),
                        short_id: id[..8].to_string(),
                        arn: k.arn(),
                        manager: format!("{:?}", k.manager),
                        aliases: kms
                            .aliases_of(k.id)
                            .map(|a| a.name.to_string())
                            .collect::<Vec<_>>()
                            .join(", "),
                    }
                })
                .collect(),
            clusters: world
                .services()
                .rds
                .clusters
                .values()
                .map(|c| ClusterRow {
                    id: c.id.clone(),
                    account: c.account.to_string(),
                    status: c.status.as_str(),
                })
                .collect(),
            deleted: kms.deleted.len(),
            events: world.audit().recorded(),
        }
    }
}

/// What the learner should keep an eye on.
#[component]
pub fn WorldSummary(snapshot: WorldSnapshot) -> impl IntoView {
    let keys = snapshot
        .keys
        .into_iter()
        .map(|k| {
            view! {
                <li class="key">
                    <span class=format!("badge state {}", k.state.to_lowercase())>{k.state.clone()}</span>
                    " " <code title=k.arn>{k.short_id}</code>
                    " " <span class="manager">{k.manager}</span>
                    " " {k.aliases}
                </li>
            }
        })
        .collect_view();
    let clusters = snapshot
        .clusters
        .into_iter()
        .map(|c| {
            view! {
                <li class="cluster">
                    <span class="badge status" class:broken=c.status.starts_with("inaccessible") data-testid="cluster-status">{c.status}</span>
                    " " <code>{c.id}</code> " (" {c.account} ")"
                </li>
            }
        })
        .collect_view();
    let deleted = snapshot.deleted;
    view! {
        <aside class="world" aria-label="The world">
            <h3>"World"</h3>
            <p class="clock" data-testid="clock">{snapshot.clock}</p>
            <h4>"KMS keys"</h4>
            <ul class="keys">{keys}</ul>
            {(deleted > 0).then(|| view! { <p class="note">{format!("{deleted} key(s) deleted for good")}</p> })}
            <h4>"Aurora clusters"</h4>
            <ul class="clusters">{clusters}</ul>
            <p class="note">{format!("{} audit events", snapshot.events)}</p>
        </aside>
    }
}
