//! The world beside the story: the clock, accounts and principals, KMS keys
//! as cards (state, manager, aliases, rotation, key policy, editable in free
//! play), grants, Aurora clusters with a psql prompt, snapshots and
//! Parameter Store. Everything is read from the world; every change is a
//! request sent through the console.

use crate::console::Console;
use crate::html::{Html, esc, short_id};
use crate::session::Session;
use kms_core::World;
use kms_core::clock::{DAY, HOUR, MINUTE};
use kms_core::kms::api::{KeyManager, KeyState};
use kms_core::kms::key::KmsKey;
use kms_core::kms::policy_text::pretty_text;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

/// "6 d 23 h", "12 min": a duration for a countdown.
pub fn duration(seconds: u64) -> String {
    match seconds {
        s if s >= DAY => format!("{} d {} h", s / DAY, s % DAY / HOUR),
        s if s >= HOUR => format!("{} h {} min", s / HOUR, s % HOUR / MINUTE),
        s if s >= MINUTE => format!("{} min", s / MINUTE),
        s => format!("{s} s"),
    }
}

/// What the policy editor holds between re-renders.
#[derive(Clone, Copy)]
struct Editor {
    key: RwSignal<Option<String>>,
    draft: RwSignal<String>,
    error: RwSignal<Option<String>>,
}

/// What the psql prompt holds between re-renders.
#[derive(Clone, Copy)]
struct Psql {
    cluster: RwSignal<String>,
    sql: RwSignal<String>,
    output: RwSignal<Option<(bool, String)>>,
}

/// The world panel: read-only HTML for what the world holds (see
/// [`crate::html`]), Leptos views for the controls. Its buttons are handled
/// by one listener reading their `data-` attributes.
#[component]
pub fn WorldPanel(session: Session, console: Console) -> impl IntoView {
    let editor = Editor {
        key: RwSignal::new(None),
        draft: RwSignal::new(String::new()),
        error: RwSignal::new(None),
    };
    let psql = Psql {
        cluster: RwSignal::new(String::new()),
        sql: RwSignal::new(String::from("SELECT * FROM users")),
        output: RwSignal::new(None),
    };
    let has_world = Memo::new(move |_| session.with_world(|_| ()).is_some());
    let free = Memo::new(move |_| session.free.with(Option::is_some));
    let body = move || {
        let free = free.get();
        session.with_world(|w| render(w, free)).unwrap_or_default()
    };
    let clicked = move |ev: leptos::ev::MouseEvent| {
        let Some(button) = ev
            .target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::Element>().ok())
            .and_then(|e| e.closest("button").ok().flatten())
        else {
            return;
        };
        if let Some(arn) = button.get_attribute("data-act-as") {
            console.actor.set(arn);
        } else if let Some(key) = button.get_attribute("data-edit-key") {
            let policy = session.with_world(|w| {
                w.state()
                    .kms
                    .keys
                    .values()
                    .find(|k| k.id.to_string() == key)
                    .map(|k| pretty_text(&k.policy.text))
            });
            editor.draft.set(policy.flatten().unwrap_or_default());
            editor.error.set(None);
            editor.key.set(Some(key));
        }
    };
    move || {
        has_world.get().then(|| {
            view! {
                <aside class="world" aria-label="The world" on:click=clicked>
                    <h3>"World"</h3>
                    <div inner_html=body></div>
                    {move || editor.key.get().map(|key| policy_editor(key, session, console, editor))}
                    {move || free.get().then(|| psql_prompt(session, console, psql))}
                </aside>
            }
        })
    }
}

fn policy_editor(key: String, session: Session, console: Console, editor: Editor) -> impl IntoView {
    let short = key[..8.min(key.len())].to_string();
    let save = move |_| {
        let request = serde_json::json!({
            "Action": "kms:PutKeyPolicy",
            "Parameters": {"KeyId": key, "PolicyName": "default", "Policy": editor.draft.get_untracked()},
        });
        match console.send(session, &request.to_string()) {
            Some(e) => editor
                .error
                .set(Some(format!("{}: {}", e.name(), e.message()))),
            None => {
                editor.error.set(None);
                editor.key.set(None);
            }
        }
    };
    view! {
        <div class="policy-editor" data-testid="policy-editor">
            <h4>"Key policy of " <code>{short}</code></h4>
            <textarea data-testid="policy-draft" aria-label="Key policy (JSON)" rows="14" spellcheck="false"
                prop:value=editor.draft.get_untracked()
                on:input=move |ev| editor.draft.set(event_target_value(&ev))></textarea>
            {move || editor.error.get().map(|e| view! { <p class="error" data-testid="policy-error" role="alert">{e}</p> })}
            <div class="controls">
                <button class="primary" data-testid="policy-save" on:click=save>"Save (PutKeyPolicy)"</button>
                <button on:click=move |_| { editor.key.set(None); editor.error.set(None); }>"Cancel"</button>
            </div>
        </div>
    }
}

fn psql_prompt(session: Session, console: Console, psql: Psql) -> impl IntoView {
    let names = move || {
        session
            .with_world(|w| {
                w.state()
                    .rds
                    .clusters
                    .values()
                    .map(|c| c.id.clone())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    let run = move || {
        let cluster = psql.cluster.get_untracked();
        let cluster = if cluster.is_empty() {
            names().into_iter().next().unwrap_or_default()
        } else {
            cluster
        };
        let request = serde_json::json!({
            "Action": "rds-data:ExecuteStatement",
            "Parameters": {"resourceArn": cluster, "sql": psql.sql.get_untracked()},
        });
        let output = match console.send(session, &request.to_string()) {
            Some(e) => (true, format!("ERROR:  {}: {}", e.name(), e.message())),
            None => (
                false,
                session
                    .free
                    .with_untracked(|f| {
                        f.as_ref()?
                            .results
                            .last()?
                            .response
                            .as_ref()?
                            .get("psqlOutput")?
                            .as_str()
                            .map(String::from)
                    })
                    .unwrap_or_default(),
            ),
        };
        psql.output.set(Some(output));
    };
    move || {
        let names = names();
        (!names.is_empty()).then(|| {
            let chosen = psql.cluster.get_untracked();
            let options = names
                .into_iter()
                .map(|n| {
                    let selected = n == chosen;
                    let label = n.clone();
                    view! { <option value=n selected=selected>{label}</option> }
                })
                .collect_view();
            view! {
                <form class="psql" on:submit=move |ev| { ev.prevent_default(); run(); }>
                    <h4>"psql"</h4>
                    <select aria-label="Cluster" data-testid="psql-cluster" on:change=move |ev| psql.cluster.set(event_target_value(&ev))>{options}</select>
                    <label class="prompt"><span aria-hidden="true">"=>"</span>
                        <input data-testid="psql-input" aria-label="SQL statement" spellcheck="false"
                            prop:value=psql.sql.get_untracked() on:input=move |ev| psql.sql.set(event_target_value(&ev))/>
                    </label>
                    <button type="submit" data-testid="psql-run">"Run"</button>
                    {move || psql.output.get().map(|(error, text)| view! {
                        <pre class="psql-output" class:error=error data-testid="psql-output">{text}</pre>
                    })}
                </form>
            }
        })
    }
}

fn section(h: &mut Html, title: &str, testid: &str, body: impl FnOnce(&mut Html)) {
    h.raw(&format!(
        "<details class=\"panel\" open data-testid=\"{testid}\"><summary><h4>"
    ))
    .text(title)
    .raw("</h4></summary>");
    body(h);
    h.raw("</details>");
}

/// The world as read-only HTML.
fn render(w: &World, free: bool) -> String {
    let mut h = Html::new();
    h.raw("<p class=\"clock\">Virtual clock: <span data-testid=\"clock\">")
        .text(&w.now().iso8601())
        .raw("</span></p>");
    accounts(&mut h, w, free);
    keys(&mut h, w, free);
    clusters(&mut h, w);
    snapshots(&mut h, w);
    parameters(&mut h, w);
    h.finish()
}

fn accounts(h: &mut Html, w: &World, free: bool) {
    section(h, "Accounts and principals", "accounts", |h| {
        h.raw("<ul class=\"list\">");
        for (id, account) in &w.state().iam.accounts {
            let principals: Vec<(String, String)> = account
                .principals(id)
                .iter()
                .map(|p| (p.arn(), p.name_in_account()))
                .collect();
            h.raw("<li>")
                .el("strong", "", &account.name)
                .raw(" ")
                .el("code", "", &id.to_string());
            h.raw("<ul class=\"principals\">");
            for (arn, label) in principals {
                let arn = esc(&arn);
                if free {
                    h.raw(&format!(
                        "<li><button class=\"link\" data-act-as=\"{arn}\" title=\"Act as {arn} in the console\">"
                    ))
                    .text(&label)
                    .raw("</button></li>");
                } else {
                    h.raw(&format!("<li><code title=\"{arn}\">"))
                        .text(&label)
                        .raw("</code></li>");
                }
            }
            h.raw("</ul></li>");
        }
        h.raw("</ul>");
    });
}

fn key_card(h: &mut Html, w: &World, k: &KmsKey, free: bool) {
    let kms = &w.state().kms;
    let id = k.id.to_string();
    let state = match k.state {
        KeyState::Enabled => "Enabled",
        KeyState::Disabled => "Disabled",
        KeyState::PendingDeletion => "PendingDeletion",
    };
    let manager = match k.manager {
        KeyManager::AWS => "AWS managed",
        KeyManager::CUSTOMER => "customer managed",
    };
    h.raw(&format!(
        "<li class=\"key-card\" data-testid=\"key-card\"><div class=\"key-head\"><span class=\"badge state {}\" data-testid=\"key-state\">{state}</span> <code title=\"{}\">{}</code> <span class=\"manager\">{manager}</span></div>",
        state.to_lowercase(),
        esc(k.arn()),
        short_id(&id),
    ));
    if let Some(d) = k.deletion_date {
        h.raw("<p class=\"countdown\" data-testid=\"countdown\">")
            .text(&format!("deleted in {}", duration(d.since(w.now()))))
            .raw("</p>");
    }
    if !k.description.is_empty() {
        h.el("p", "note", &k.description);
    }
    let aliases: Vec<String> = kms.aliases_of(k.id).map(|a| a.name.to_string()).collect();
    if !aliases.is_empty() {
        h.raw("<p>").el("code", "", &aliases.join(", ")).raw("</p>");
    }
    let rotation = if k.rotation.enabled {
        format!(
            "rotation every {} days{}",
            k.rotation.period_days,
            k.rotation
                .next
                .map(|n| format!(", next {}", n.iso8601()))
                .unwrap_or_default()
        )
    } else {
        "automatic rotation off".into()
    };
    let grants = kms.grants.get(&k.id).map(|g| g.len()).unwrap_or(0);
    h.el(
        "p",
        "note",
        &format!(
            "{rotation}; {} backing key version(s); {grants} grant(s)",
            k.backing_keys.len()
        ),
    );
    h.raw("<details class=\"policy\"><summary>Key policy</summary>")
        .el("pre", "policy-text", &pretty_text(&k.policy.text));
    if free && k.manager == KeyManager::CUSTOMER {
        h.raw(&format!(
            "<button data-edit-key=\"{}\" data-testid=\"policy-edit\">Edit policy</button>",
            esc(&id)
        ));
    }
    h.raw("</details></li>");
}

fn keys(h: &mut Html, w: &World, free: bool) {
    let kms = &w.state().kms;
    section(h, &format!("KMS keys ({})", kms.keys.len()), "keys", |h| {
        h.raw("<ul class=\"cards\">");
        for k in kms.keys.values() {
            key_card(h, w, k, free);
        }
        h.raw("</ul>");
        if !kms.deleted.is_empty() {
            h.el(
                "p",
                "note",
                &format!("{} key(s) deleted for good", kms.deleted.len()),
            );
        }
    });
    let grants: Vec<_> = kms.grants.values().flat_map(|g| g.iter()).collect();
    section(h, &format!("Grants ({})", grants.len()), "grants", |h| {
        h.raw("<ul class=\"list\">");
        for g in grants {
            let name = g
                .name
                .as_deref()
                .unwrap_or_else(|| short_id(&g.id))
                .to_string();
            let constraints = g
                .constraints
                .as_ref()
                .and_then(|c| serde_json::to_string(c).ok())
                .map(|c| format!(" with {c}"))
                .unwrap_or_default();
            h.raw("<li data-testid=\"grant\">")
                .el("code", "", &name)
                .text(": ")
                .el("code", "", &g.grantee)
                .text(&format!(" may {} on ", g.operations.join(", ")))
                .el("code", "", short_id(&g.key.to_string()))
                .text(&constraints)
                .raw("</li>");
        }
        h.raw("</ul>");
    });
}

fn clusters(h: &mut Html, w: &World) {
    let rds = &w.state().rds;
    section(
        h,
        &format!("Aurora clusters ({})", rds.clusters.len()),
        "clusters",
        |h| {
            h.raw("<ul class=\"list\">");
            for c in rds.clusters.values() {
                let status = c.status.as_str();
                let broken = if c.status.is_inaccessible() {
                    " broken"
                } else {
                    ""
                };
                let rows: usize = c.storage.tables.values().map(|t| t.rows.len()).sum();
                h.raw(&format!("<li class=\"cluster{broken}\">"))
                .el("code", "", &c.id)
                .text(&format!(" ({}) ", c.account))
                .raw(&format!(
                    "<span class=\"badge status{broken}\" data-testid=\"cluster-status\">{status}</span>"
                ));
                if !broken.is_empty() {
                    h.raw("<p class=\"alarm\" role=\"status\">The cluster cannot use its KMS key: every query fails until the key is usable again and RDS recovers.</p>");
                }
                h.el(
                    "p",
                    "note",
                    &format!(
                        "{rows} encrypted row(s) under key {}",
                        short_id(&c.storage.key.to_string())
                    ),
                )
                .raw("</li>");
            }
            h.raw("</ul>");
        },
    );
}

fn snapshots(h: &mut Html, w: &World) {
    let rds = &w.state().rds;
    section(
        h,
        &format!("Snapshots ({})", rds.snapshots.len()),
        "snapshots",
        |h| {
            h.raw("<ul class=\"list\">");
            for s in rds.snapshots.values() {
                let shared = if s.shared_with.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; shared with {}",
                        s.shared_with
                            .iter()
                            .map(|a| a.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                h.raw("<li data-testid=\"snapshot\">")
                    .el("code", "", &s.id)
                    .text(&format!(" ({}) of ", s.account))
                    .el("code", "", &s.cluster_id)
                    .el(
                        "span",
                        "note",
                        &format!(
                            " under key {}{shared}",
                            short_id(&s.storage.key.to_string())
                        ),
                    )
                    .raw("</li>");
            }
            h.raw("</ul>");
        },
    );
}

fn parameters(h: &mut Html, w: &World) {
    let ssm = &w.state().ssm;
    section(
        h,
        &format!("Parameter Store ({})", ssm.parameters.len()),
        "parameters",
        |h| {
            h.raw("<ul class=\"list\">");
            for ((account, _, name), p) in &ssm.parameters {
                let key = p
                    .key_arn
                    .as_ref()
                    .map(|k| format!(" under {k}"))
                    .unwrap_or_default();
                h.raw("<li data-testid=\"parameter\">")
                    .el("code", "", name)
                    .text(&format!(" ({account}) "))
                    .el("span", "badge ok", &format!("{:?}", p.kind))
                    .el("span", "note", &format!(" v{}{key}", p.version))
                    .raw("</li>");
            }
            h.raw("</ul>");
        },
    );
}
