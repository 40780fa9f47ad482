//! The audit trail as CloudTrail shows it: filterable by key, principal,
//! event name and errors, each event expandable to its JSON, and the
//! filtered trail downloadable as a CloudTrail log file.

use crate::browser;
use crate::html::Html;
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
            .with_world(|w| format!("Audit trail ({} events)", w.audit().recorded()))
            .unwrap_or_default()
    };
    let body = move || {
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
            let options = |set: BTreeSet<String>, chosen: String| {
                set.into_iter()
                    .map(|v| {
                        let selected = v == chosen;
                        let label = v.clone();
                        view! { <option value=v selected=selected>{label}</option> }
                    })
                    .collect_view()
            };
            let matching: Vec<&AuditEvent> = trail.query(&query).collect();
            let total = matching.len();
            let mut rows = Html::new();
            for e in matching.into_iter().rev().take(SHOWN) {
                event_row(&mut rows, e);
            }
            let rows = rows.finish();
            let dropped = trail.dropped();
            view! {
                <div class="filters" role="group" aria-label="Filter the trail">
                    <select aria-label="Key" data-testid="audit-key" on:change=move |ev| key.set(event_target_value(&ev))>
                        <option value="">"any key"</option>
                        {options(keys, key.get_untracked())}
                    </select>
                    <select aria-label="Principal" data-testid="audit-principal" on:change=move |ev| principal.set(event_target_value(&ev))>
                        <option value="">"any principal"</option>
                        {options(principals, principal.get_untracked())}
                    </select>
                    <select aria-label="Event" data-testid="audit-event" on:change=move |ev| event.set(event_target_value(&ev))>
                        <option value="">"any event"</option>
                        {options(names, event.get_untracked())}
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
                <ol class="events" reversed inner_html=rows></ol>
            }
        })
    };
    move || {
        has_world.get().then(|| {
            view! {
                <details class="audit" data-testid="audit">
                    <summary><h3>{title}</h3></summary>
                    {body}
                </details>
            }
        })
    }
}

/// One event as HTML (see [`crate::html`]): a summary line, and the event's
/// CloudTrail JSON when expanded.
fn event_row(h: &mut Html, e: &AuditEvent) {
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
    let failed = if e.error_code.is_some() {
        " failed"
    } else {
        ""
    };
    h.raw(&format!(
        "<li class=\"event{failed}\" data-testid=\"audit-event-row\"><details><summary>"
    ))
    .el("code", "", &e.event_time)
    .raw(" ")
    .el("strong", "", e.event_name)
    .raw(" ")
    .el("span", "who", &format!("{who}{via}"));
    if let Some(code) = &e.error_code {
        h.raw(" ").el("span", "badge", code);
    }
    h.raw("</summary>")
        .el(
            "pre",
            "",
            &serde_json::to_string_pretty(e).unwrap_or_default(),
        )
        .raw("</details></li>");
}
