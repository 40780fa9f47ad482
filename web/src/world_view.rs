//! A compact view of the world: the clock, keys, clusters.

use kms_core::World;
use leptos::prelude::*;

/// What the learner should keep an eye on.
#[component]
pub fn WorldSummary(world: World) -> impl IntoView {
    let keys = world
        .kms()
        .keys
        .values()
        .map(|k| {
            let state = format!("{:?}", k.state);
            let aliases: Vec<String> = world.kms().aliases_of(k.id).map(|a| a.name.to_string()).collect();
            let id = k.id.to_string();
            view! {
                <li class="key">
                    <span class=format!("badge state {}", state.to_lowercase())>{state.clone()}</span>
                    " " <code title=k.arn()>{id[..8].to_string()}</code>
                    " " <span class="manager">{format!("{:?}", k.manager)}</span>
                    " " {aliases.join(", ")}
                </li>
            }
        })
        .collect_view();
    let clusters = world
        .services()
        .rds
        .clusters
        .values()
        .map(|c| {
            let status = c.status.as_str();
            view! {
                <li class="cluster">
                    <span class="badge status" class:broken=status.starts_with("inaccessible") data-testid="cluster-status">{status}</span>
                    " " <code>{c.id.clone()}</code> " (" {c.account.to_string()} ")"
                </li>
            }
        })
        .collect_view();
    let deleted = world.kms().deleted.len();
    view! {
        <aside class="world" aria-label="The world">
            <h3>"World"</h3>
            <p class="clock" data-testid="clock">{world.now().iso8601()}</p>
            <h4>"KMS keys"</h4>
            <ul class="keys">{keys}</ul>
            {(deleted > 0).then(|| view! { <p class="note">{format!("{deleted} key(s) deleted for good")}</p> })}
            <h4>"Aurora clusters"</h4>
            <ul class="clusters">{clusters}</ul>
            <p class="note">{format!("{} audit events", world.audit().recorded())}</p>
        </aside>
    }
}
