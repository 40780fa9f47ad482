//! One played step of a story, or one request of the console: a typed view
//! of the core's [`StepResult`]. A card is built once, when its step is
//! played; later steps add cards beside it (see [`crate::app`]'s keyed
//! list), so what a learner opened stays open.

use crate::envelope::{DecryptDataKey, EnvelopeView, IntegrityView, LocalEnvelope};
use crate::ids::short_id;
use crate::markdown::Narration;
use crate::why::{AccountNames, Why};
use kms_core::World;
use kms_core::kms::policy_diff::DiffLine;
use kms_core::scenario::StepResult;
use kms_core::scenario::changes::{Change, ChangeKind};
use leptos::prelude::*;

/// How many events of one interval a card lists.
const MAX_EVENTS_SHOWN: usize = 20;

/// A request or response body, pretty, with each embedded policy document
/// (a JSON string under `Policy`, `PolicyDocument`, ...) shown as the JSON
/// it holds, at any depth.
pub fn pretty(value: &serde_json::Value) -> String {
    fn unfold(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                for (name, field) in map.iter_mut() {
                    let policy = name == "Policy" || name.ends_with("PolicyDocument");
                    if let (true, serde_json::Value::String(text)) = (policy, &*field)
                        && let Ok(parsed @ serde_json::Value::Object(_)) =
                            serde_json::from_str::<serde_json::Value>(text)
                    {
                        *field = parsed;
                    } else {
                        unfold(field);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(unfold),
            _ => {}
        }
    }
    let mut value = value.clone();
    unfold(&mut value);
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

/// The events of a clock step's interval that `world`'s trail still holds
/// (other steps list none: their events are in the audit panel).
pub fn interval_events(world: &World, step: &StepResult) -> Vec<EventLine> {
    let Some(interval) = &step.interval else {
        return Vec::new();
    };
    interval
        .events
        .iter()
        .filter_map(|s| world.audit().get(*s))
        .map(|e| EventLine {
            time: e.event_time.to_string(),
            name: e.event_name.to_string(),
            by: e.user_identity.who(),
            error: e.error_code.map(str::to_string),
        })
        .collect()
}

/// The accounts of `world`, named.
pub fn account_names(world: &World) -> AccountNames {
    AccountNames::of(world)
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

/// Runs of the same event (same name, caller and outcome) in a row, as one
/// line each: RDS's background check failing every few minutes for a week
/// is one line with a count, not a thousand.
#[derive(Debug, Clone, PartialEq, Eq)]
struct EventRun {
    first: EventLine,
    last_time: String,
    count: usize,
}

fn runs(events: Vec<EventLine>) -> Vec<EventRun> {
    let mut runs: Vec<EventRun> = Vec::new();
    for e in events {
        match runs.last_mut() {
            Some(run)
                if run.first.name == e.name
                    && run.first.by == e.by
                    && run.first.error == e.error =>
            {
                run.count += 1;
                run.last_time = e.time;
            }
            _ => runs.push(EventRun {
                last_time: e.time.clone(),
                first: e,
                count: 1,
            }),
        }
    }
    runs
}

fn events_view(events: Vec<EventLine>, dropped: u64) -> impl IntoView {
    let runs = runs(events);
    let more = runs.len().saturating_sub(MAX_EVENTS_SHOWN);
    let items = runs
        .into_iter()
        .take(MAX_EVENTS_SHOWN)
        .map(|run| {
            let e = run.first;
            let when = if run.count == 1 {
                e.time
            } else {
                format!("{} to {}, {} times:", e.time, run.last_time, run.count)
            };
            let error = e
                .error
                .map(|code| view! { " → " <strong class="bad">{code}</strong> });
            view! {
                <li data-testid="interval-event">
                    <time>{when}</time> " " <code>{e.name}</code> " by " <code>{e.by}</code> {error}
                </li>
            }
        })
        .collect_view();
    let more = (more > 0 || dropped > 0).then(|| {
        let text = match (more, dropped) {
            (0, d) => format!("and {d} older events the trail no longer holds"),
            (m, 0) => format!("and {m} more kinds of events (see the audit trail)"),
            (m, d) => {
                format!("and {m} more kinds of events, and {d} events the trail no longer holds")
            }
        };
        view! { <li class="note">{text}</li> }
    });
    view! { <ul class="interval-events">{items}{more}</ul> }
}

/// Lines of context kept around each change of a diff.
const DIFF_CONTEXT: usize = 2;

/// A diff's lines as (class, text): every change, with [`DIFF_CONTEXT`]
/// lines around it; longer unchanged runs fold into one "⋯ N unchanged lines".
fn folded(lines: Vec<DiffLine>) -> Vec<(&'static str, String)> {
    let changed: Vec<bool> = lines
        .iter()
        .map(|l| !matches!(l, DiffLine::Same(_)))
        .collect();
    let near = |i: usize| {
        let from = i.saturating_sub(DIFF_CONTEXT);
        let to = (i + DIFF_CONTEXT + 1).min(changed.len());
        changed[from..to].iter().any(|c| *c)
    };
    let mut shown: Vec<(&'static str, String)> = Vec::new();
    let mut folded = 0;
    for (i, line) in lines.into_iter().enumerate() {
        if !near(i) {
            folded += 1;
            continue;
        }
        if folded > 0 {
            shown.push(("fold", format!("  ⋯ {folded} unchanged lines")));
            folded = 0;
        }
        shown.push(match line {
            DiffLine::Same(t) => ("same", format!("  {t}")),
            DiffLine::Removed(t) => ("removed", format!("- {t}")),
            DiffLine::Added(t) => ("added", format!("+ {t}")),
        });
    }
    if folded > 0 {
        shown.push(("fold", format!("  ⋯ {folded} unchanged lines")));
    }
    shown
}

/// A policy diff's lines, folded (inside a `.policy-diff pre`).
pub fn diff_lines(lines: Vec<DiffLine>) -> impl IntoView {
    folded(lines)
        .into_iter()
        .map(|(class, text)| view! { <span class=class>{text}</span> })
        .collect_view()
}

/// A played step: narration, request, result, what changed, the envelope,
/// the expectation, and why.
#[component]
pub fn StepCard(
    result: StepResult,
    story: bool,
    names: AccountNames,
    events: Vec<EventLine>,
    /// How the card's "try the application's side" gets a data key back
    /// through Decrypt, and what it says about it.
    decrypt: Option<(DecryptDataKey, &'static str)>,
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
                <strong>{e.name().to_string()}</strong>
                {if e.message().is_empty() {
                    String::from(" (AWS sends this error with no message)")
                } else {
                    format!(": {}", e.message())
                }}
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
    // A refused PutKeyPolicy replaced nothing: no diff.
    let policy_change = r.policy_change.clone().filter(|_| r.error.is_none()).map(|c| {
        let lines = diff_lines(c.lines);
        view! {
            <details class="policy-diff" open data-testid="policy-diff">
                <summary>{format!("Key policy of {}: the policy replaced (−) against the new one (+)", short_id(&c.key_arn))}</summary>
                <pre>{lines}</pre>
            </details>
        }
    });
    let local = r
        .envelope
        .clone()
        .filter(|e| e.plaintext_data_key().is_some())
        .zip(decrypt)
        .map(|(envelope, (decrypt, note))| view! { <LocalEnvelope envelope decrypt note/> });
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
            {policy_change}
            {error}
            {response}
            {interval}
            {changes}
            {integrity}
            {envelope}
            {local}
            {expected}
            {failures}
            {whys}
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diff_keeps_its_changes_and_folds_long_unchanged_runs() {
        let same = |t: &str| DiffLine::Same(t.into());
        let lines = vec![
            same("1"),
            same("2"),
            same("3"),
            same("4"),
            DiffLine::Removed("old".into()),
            DiffLine::Added("new".into()),
            same("5"),
            same("6"),
            same("7"),
        ];
        let shown: Vec<String> = folded(lines).into_iter().map(|(_, t)| t).collect();
        assert_eq!(
            shown,
            [
                "  ⋯ 2 unchanged lines",
                "  3",
                "  4",
                "- old",
                "+ new",
                "  5",
                "  6",
                "  ⋯ 1 unchanged lines"
            ]
        );
    }

    #[test]
    fn repeated_events_are_one_line_with_a_count() {
        let event = |time: &str, error: Option<&str>| EventLine {
            time: time.into(),
            name: "Decrypt".into(),
            by: "rds.amazonaws.com".into(),
            error: error.map(String::from),
        };
        let grouped = runs(vec![
            event("t1", None),
            event("t2", Some("DisabledException")),
            event("t3", Some("DisabledException")),
            event("t4", Some("DisabledException")),
            event("t5", None),
        ]);
        let counts: Vec<usize> = grouped.iter().map(|r| r.count).collect();
        assert_eq!(counts, [1, 3, 1]);
        assert_eq!(
            (
                grouped[1].first.time.as_str(),
                grouped[1].last_time.as_str()
            ),
            ("t2", "t4")
        );
    }

    #[test]
    fn embedded_policies_are_shown_as_json() {
        let request = serde_json::json!({"Action": "kms:PutKeyPolicy", "Parameters": {"KeyId": "k", "Policy": "{\"Version\":\"2012-10-17\"}"}});
        let shown = pretty(&request);
        assert!(shown.contains("\"Policy\": {\n"), "{shown}");
    }
}
