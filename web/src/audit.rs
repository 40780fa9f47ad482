//! The audit trail as CloudTrail shows it: filterable by key, principal,
//! event name and errors, each event expandable to its JSON, and the
//! filtered trail downloadable as a CloudTrail log file.

use crate::browser;
use crate::ids::{principal_parts, short_id};
use crate::list::{Keyed, keyed};
use crate::session::Session;
use kms_core::audit::{AuditEvent, AuditQuery, AuditTrail};
use leptos::prelude::*;
use std::collections::BTreeSet;

/// How many of the newest matching events the list shows.
const SHOWN: usize = 200;

fn choice(value: String) -> Option<String> {
    (!value.is_empty()).then_some(value)
}

/// The trail panel.
#[component]
pub fn AuditPanel(session: Session) -> impl IntoView {
    let key = RwSignal::new(String::new());
    let principal = RwSignal::new(String::new());
    let event = RwSignal::new(String::new());
    let errors = RwSignal::new(false);
    let query = move || AuditQuery {
        key_arn: choice(key.get()),
        principal_arn: choice(principal.get()),
        event_name: choice(event.get()),
        errors_only: errors.get(),
    };
    let download = move |_| {
        let query = query();
        if let Some(json) =
            session.with_world(|w| AuditTrail::to_cloudtrail_json(w.audit().query(&query)))
        {
            browser::offer_download("cloudtrail.json", &json);
        }
    };
    let has_world = Memo::new(move |_| session.with_world(|_| ()).is_some());
    let title = move || {
        session
            .with_world(|w| match w.audit().recorded() {
                1 => String::from("Audit trail (1 event)"),
                n => format!("Audit trail ({n} events)"),
            })
            .unwrap_or_default()
    };
    // The filters and the count are rebuilt when the trail grows; the
    // events are a keyed list, so an event the learner opened stays open.
    let filters = move || {
        let query = query();
        session.with_world(|w| {
            let trail = w.audit();
            let mut keys = BTreeSet::new();
            let mut principals = BTreeSet::new();
            let mut names = BTreeSet::new();
            for e in trail.events() {
                keys.extend(e.resources.iter().map(|r| r.arn.to_string()));
                principals.extend(e.user_identity.arn.as_deref().map(String::from));
                names.insert(e.event_name.to_string());
            }
            // Long ARNs differ at their end, which a select cuts off: the
            // options read as the world panel names things.
            let options = |set: BTreeSet<String>, chosen: String, label: &dyn Fn(&str) -> String| {
                set.into_iter()
                    .map(|v| {
                        let selected = v == chosen;
                        let label = label(&v);
                        view! { <option value=v selected=selected>{label}</option> }
                    })
                    .collect_view()
            };
            let total = trail.query(&query).count();
            let dropped = trail.dropped();
            view! {
                <div class="filters" role="group" aria-label="Filter the trail">
                    <select aria-label="Key" data-testid="audit-key" on:change=move |ev| key.set(event_target_value(&ev))>
                        <option value="">"any key"</option>
                        {options(keys, key.get_untracked(), &|arn| key_label(w, arn))}
                    </select>
                    <select aria-label="Principal" data-testid="audit-principal" on:change=move |ev| principal.set(event_target_value(&ev))>
                        <option value="">"any principal"</option>
                        {options(principals, principal.get_untracked(), &principal_label)}
                    </select>
                    <select aria-label="Event" data-testid="audit-event" on:change=move |ev| event.set(event_target_value(&ev))>
                        <option value="">"any event"</option>
                        {options(names, event.get_untracked(), &str::to_string)}
                    </select>
                    <label><input type="checkbox" data-testid="audit-errors" prop:checked=errors.get_untracked()
                        on:change=move |ev| errors.set(event_target_checked(&ev))/>" errors only"</label>
                    <button data-testid="audit-download" on:click=download>"Download JSON"</button>
                </div>
                <p class="note" data-testid="audit-count">
                    {format!("{total} matching")}
                    {(total > SHOWN).then(|| format!(", the newest {SHOWN} shown"))}
                    {(dropped > 0).then(|| format!("; {dropped} oldest events dropped"))}
                </p>
            }
        })
    };
    let events = move || {
        let query = query();
        session
            .with_world(|w| {
                let matching: Vec<&AuditEvent> = w.audit().query(&query).collect();
                matching
                    .into_iter()
                    .rev()
                    .take(SHOWN)
                    .map(|e| {
                        let row = Row::of(e);
                        // The id tells this event from the one at the same
                        // place in another story's trail.
                        Keyed::new(&(e.sequence, e.event_id), move || {
                            event_row(session, row.clone())
                        })
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    move || {
        has_world.get().then(|| {
            view! {
                <details class="audit" data-testid="audit">
                    <summary><h3>{title}</h3></summary>
                    {filters}
                    <ol class="events">{keyed(events)}</ol>
                </details>
            }
        })
    }
}

/// What an event's line shows; its JSON is written when the learner opens it.
#[derive(Clone)]
struct Row {
    sequence: u64,
    time: String,
    name: &'static str,
    who: String,
    error: Option<&'static str>,
}

impl Row {
    fn of(e: &AuditEvent) -> Self {
        let who = e
            .user_identity
            .arn
            .as_deref()
            .map(String::from)
            .or_else(|| e.user_identity.invoked_by.map(String::from))
            .unwrap_or_else(|| e.user_identity.kind.unwrap_or_default().into());
        let via = match (&e.user_identity.arn, &e.user_identity.invoked_by) {
            (Some(_), Some(service)) => format!(" via {service}"),
            _ => String::new(),
        };
        Self {
            sequence: e.sequence,
            time: e.event_time.to_string(),
            name: e.event_name,
            who: format!("{who}{via}"),
            error: e.error_code,
        }
    }
}

/// One event: a summary line, and the event's CloudTrail JSON once opened
/// (a trail of 200 events is not serialized at every step).
fn event_row(session: Session, r: Row) -> AnyView {
    let open = RwSignal::new(false);
    let sequence = r.sequence;
    let json = move || {
        open.get().then(|| {
            let text = session.with_world(|w| {
                w.audit()
                    .events()
                    .find(|e| e.sequence == sequence)
                    .and_then(|e| serde_json::to_string_pretty(e).ok())
            });
            view! { <pre>{text.flatten().unwrap_or_default()}</pre> }
        })
    };
    view! {
        <li class="event" class:failed=r.error.is_some() data-testid="audit-event-row" value=r.sequence + 1>
            <details on:toggle=move |ev| open.set(event_target::<leptos::web_sys::HtmlDetailsElement>(&ev).open())>
                <summary>
                    <code>{r.time}</code>" "<strong>{r.name}</strong>" "<span class="who">{r.who}</span>
                    {r.error.map(|code| view! { " " <span class="badge">{code}</span> })}
                </summary>
                {json}
            </details>
        </li>
    }
    .into_any()
}

/// A key as the world panel names it: its short id, and its aliases.
fn key_label(w: &kms_core::World, arn: &str) -> String {
    let kms = &w.state().kms;
    let aliases: Vec<String> = kms
        .keys
        .values()
        .find(|k| &**k.arn() == arn)
        .map(|k| kms.aliases_of(k.id).map(|a| a.name.to_string()).collect())
        .unwrap_or_default();
    match aliases.is_empty() {
        true => short_id(arn).to_string(),
        false => format!("{} ({})", short_id(arn), aliases.join(", ")),
    }
}

/// `role/App in 111122223333` for `arn:aws:iam::111122223333:role/App`.
fn principal_label(arn: &str) -> String {
    match principal_parts(arn) {
        Some((name, account)) => format!("{name} in {account}"),
        None => arn.to_string(),
    }
}
