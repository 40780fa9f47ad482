//! One played step of a story, or one request of the console: a typed view
//! of the core's [`StepResult`]. A card is built once, when its step is
//! played; later steps add cards beside it (see [`crate::app`]'s keyed
//! list), so what a learner opened stays open.

use crate::envelope::{EnvelopeView, IntegrityView};
use crate::html::short_id;
use crate::markdown::Narration;
use crate::why::{AccountNames, Why};
use kms_core::World;
use kms_core::scenario::StepResult;
use kms_core::scenario::changes::{Change, ChangeKind};
use leptos::prelude::*;

/// How many events of one interval a card lists.
const MAX_EVENTS_SHOWN: usize = 20;

/// A request or response body, pretty, with each embedded policy document
/// (a JSON string under `Policy`) shown as the JSON it holds.
pub fn pretty(value: &serde_json::Value) -> String {
    let mut value = value.clone();
    if let serde_json::Value::Object(map) = &mut value {
        for (name, field) in map.iter_mut() {
            let policy = name == "Policy" || name.ends_with("PolicyDocument");
            if let (true, serde_json::Value::String(text)) = (policy, &*field)
                && let Ok(parsed @ serde_json::Value::Object(_)) =
                    serde_json::from_str::<serde_json::Value>(text)
            {
                *field = parsed;
            }
        }
    }
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

/// One audit event, as a clock card lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventLine {
    /// Its virtual time.
    pub time: String,
    /// `Decrypt`, `RotateKey`, ...
    pub name: String,
    /// Who: the service that called, or the caller's ARN.
    pub by: String,
    /// The error code, if it failed.
    pub error: Option<String>,
}

/// The events `sequences` names that `world`'s trail still holds.
pub fn event_lines(world: &World, sequences: &[u64]) -> Vec<EventLine> {
    sequences
        .iter()
        .filter_map(|s| world.audit().get(*s))
        .map(|e| EventLine {
            time: e.event_time.to_string(),
            name: e.event_name.to_string(),
            by: e
                .user_identity
                .invoked_by
                .map(str::to_string)
                .or_else(|| e.user_identity.arn.as_ref().map(|a| a.to_string()))
                .unwrap_or_default(),
            error: e.error_code.map(str::to_string),
        })
        .collect()
}

/// The accounts of `world`, named.
pub fn account_names(world: &World) -> AccountNames {
    AccountNames(
        world
            .state()
            .iam
            .accounts
            .iter()
            .map(|(id, a)| (id.to_string(), a.name.clone()))
            .collect(),
    )
}

/// "Aurora cluster prod-db", "KMS key 1234abcd": a change's subject.
fn subject(c: &Change) -> String {
    let tail = c.arn.rsplit([':', '/']).next().unwrap_or(&c.arn);
    match c.kind {
        ChangeKind::KeyState | ChangeKind::BackingKeyVersions => {
            format!("KMS key {}", short_id(&c.arn))
        }
        ChangeKind::ClusterStatus => format!("Aurora cluster {tail}"),
        ChangeKind::Snapshot => format!("Snapshot {tail}"),
    }
}

fn changes_view(changes: Vec<Change>) -> impl IntoView {
    let items = changes
        .into_iter()
        .map(|c| {
            let none = || String::from("(none)");
            let what = format!("{} · {}", subject(&c), c.kind.label());
            view! {
                <li data-testid="change">
                    <span class="subject">{what}</span> ": "
                    <code>{c.before.unwrap_or_else(none)}</code> " → "
                    <code class="after">{c.after.unwrap_or_else(none)}</code>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="changes">{items}</ul> }
}

fn events_view(events: Vec<EventLine>, dropped: u64) -> impl IntoView {
    let more = events.len().saturating_sub(MAX_EVENTS_SHOWN) as u64 + dropped;
    let items = events
        .into_iter()
        .take(MAX_EVENTS_SHOWN)
        .map(|e| {
            let error = e.error.map(|code| view! { " → " <strong class="bad">{code}</strong> });
            view! {
                <li data-testid="interval-event">
                    <time>{e.time}</time> " " <code>{e.name}</code> " by " <code>{e.by}</code> {error}
                </li>
            }
        })
        .collect_view();
    let more = (more > 0).then(
        || view! { <li class="note">{format!("and {more} more (see the audit trail)")}</li> },
    );
    view! { <ul class="interval-events">{items}{more}</ul> }
}

/// A played step: narration, request, result, what changed, the envelope,
/// the expectation, and why.
#[component]
pub fn StepCard(
    result: StepResult,
    story: bool,
    names: AccountNames,
    events: Vec<EventLine>,
) -> impl IntoView {
    let r = result;
    // Console results have no story expectation to compare with.
    let judged = story && !r.expected.is_empty();
    let verdict = judged.then(|| {
        let (ok, text) = if r.passed {
            (true, "as the story says")
        } else {
            (false, "not what the story expects")
        };
        view! { <span class="badge" class:ok=ok data-testid="step-verdict">{text}</span> }
    });
    let narration = (!r.narration.is_empty()).then(|| {
        view! { <p class="narration"><Narration text=r.narration.clone()/></p> }
    });
    let actor = r
        .actor
        .clone()
        .map(|a| view! { <p class="actor">"As " <code>{a}</code></p> });
    // The same request as the AWS CLI command that makes it.
    let cli = r
        .request
        .as_ref()
        .and_then(kms_core::cli::aws_command)
        .map(|command| {
            let copied = RwSignal::new(false);
            let text = command.clone();
            let copy = move |_| {
                let text = text.clone();
                leptos::task::spawn_local(async move {
                    copied.set(crate::browser::copy(&text).await.is_ok());
                });
            };
            view! {
                <div class="cli" data-testid="cli">
                    <code>{command}</code>
                    <button class="copy" title="Copy the AWS CLI command" on:click=copy>
                        {move || if copied.get() { "Copied" } else { "Copy" }}
                    </button>
                </div>
            }
        });
    let request = r.request.as_ref().map(|v| {
        view! { <details class="request"><summary>"Request"</summary><pre>{pretty(v)}</pre></details> }
    });
    let failed_call = r.error.is_some();
    let error = r.error.as_ref().map(|e| {
        view! {
            <div class="error" data-testid="step-error">
                <strong>{e.name().to_string()}</strong> {format!(": {}", e.message())}
            </div>
        }
    });
    let response = r.response.as_ref().filter(|_| r.error.is_none()).map(|v| {
        view! { <details class="response"><summary>"Response"</summary><pre>{pretty(v)}</pre></details> }
    });
    let interval = r.interval.clone().map(|i| {
        let quiet = events.is_empty() && i.events_dropped == 0 && r.changes.is_empty();
        view! {
            <div class="interval" data-testid="interval">
                <p class="interval-head">"From " <time>{i.from}</time> " to " <time>{i.to}</time>
                    {if quiet { ": nothing happened." } else { ", in this interval:" }}</p>
                {events_view(events, i.events_dropped)}
            </div>
        }
    });
    let changes = (!r.changes.is_empty()).then(|| {
        view! {
            <div class="what-changed" data-testid="changes">
                <p class="label">"What changed"</p>
                {changes_view(r.changes.clone())}
            </div>
        }
    });
    let envelope = r
        .envelope
        .clone()
        .map(|e| view! { <EnvelopeView envelope=e/> });
    let integrity = r
        .context_mismatch
        .clone()
        .map(|m| view! { <IntegrityView mismatch=m/> });
    let expected = judged.then(|| view! { <p class="expected">{r.expected.clone()}</p> });
    let failures = (!r.failures.is_empty()).then(|| {
        let items = r
            .failures
            .iter()
            .map(|f| view! { <li>{f.clone()}</li> })
            .collect_view();
        view! { <ul class="failures">{items}</ul> }
    });
    // The decision that refused comes first; a permission that was granted
    // to a call that failed anyway is not shown as a success.
    let denied = r.authorizations.iter().filter(|a| !a.allowed);
    let whys = denied
        .chain(r.authorizations.iter().filter(|a| a.allowed))
        .map(|a| a.view())
        .map(|a| view! { <Why view=a names=names.clone() call_failed=failed_call/> })
        .collect_view();
    view! {
        <article class="step" class:failed=!r.passed data-testid="step-result">
            <header class="step-head">
                <span class="step-no">{format!("{} {}", if story { "Step" } else { "Request" }, r.index + 1)}</span>
                {verdict}
            </header>
            {narration}
            {actor}
            {cli}
            {request}
            {error}
            {response}
            {interval}
            {changes}
            {integrity}
            {envelope}
            {expected}
            {failures}
            {whys}
        </article>
    }
}
