//! The world beside the story: the clock, accounts and principals, KMS keys
//! as cards (state, manager, aliases, rotation, key policy, editable in free
//! play), grants, Aurora clusters with a psql prompt, snapshots and
//! Parameter Store. Everything is read from the world; every change is a
//! request sent through the console.

use crate::console::Console;
use crate::ids::short_id;
use crate::list::{Keyed, keyed};
use crate::session::Session;
use kms_core::World;
use kms_core::clock::{DAY, HOUR, MINUTE};
use kms_core::kms::api::{KeyManager, KeyState};
use kms_core::kms::policy_text::pretty_text;
use leptos::prelude::*;

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

/// The world panel. Each list is keyed by what a row shows: a row the world
/// did not change is not rebuilt, so a key policy the learner opened stays
/// open while the story goes on. Every list is one [`Row`] enum shown by one
/// function, so the view code is compiled once for all of them (a keyed
/// list and a view per row type cost about 20 KB of gzipped wasm).
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
    let world = Reader(session, free);
    let controls = Controls {
        console,
        editor,
        opened: RwSignal::new(Default::default()),
    };
    move || {
        has_world.get().then(|| {
            view! {
                <aside class="world" aria-label="The world">
                    <h3>"World"</h3>
                    <p class="clock">"Virtual clock: "<span data-testid="clock">{world.text(|w| w.now().iso8601())}</span></p>
                    {section(world.text(|_| "Accounts and principals".into()), "accounts", list("list", world.rows(accounts), controls))}
                    {section(world.text(keys_title), "keys", list("cards", world.rows(keys), controls))}
                    {section(world.text(|w| format!("Grants ({})", w.state().kms.grants.values().map(|g| g.len()).sum::<usize>())), "grants", list("list", world.rows(grants), controls))}
                    {section(world.text(|w| format!("Aurora clusters ({})", w.state().rds.clusters.len())), "clusters", list("list", world.rows(clusters), controls))}
                    {section(world.text(|w| format!("Snapshots ({})", w.state().rds.snapshots.len())), "snapshots", list("list", world.rows(snapshots), controls))}
                    {section(world.text(|w| format!("Parameter Store ({})", w.state().ssm.parameters.len())), "parameters", list("list", world.rows(parameters), controls))}
                    {move || editor.key.get().map(|key| policy_editor(key, session, console, editor))}
                    {move || free.get().then(|| psql_prompt(session, console, psql))}
                </aside>
            }
        })
    }
}

/// Reads the world on screen, and whether it is free play (where
/// principals and key policies are controls).
#[derive(Clone, Copy)]
struct Reader(Session, Memo<bool>);

impl Reader {
    fn text(self, f: fn(&World) -> String) -> Signal<String> {
        Signal::derive(move || self.0.with_world(f).unwrap_or_default())
    }

    fn rows(self, f: fn(&World, bool) -> Vec<Row>) -> Signal<Vec<Row>> {
        Signal::derive(move || {
            let free = self.1.get();
            self.0.with_world(|w| f(w, free)).unwrap_or_default()
        })
    }
}

/// What the rows' buttons act on.
#[derive(Clone, Copy)]
struct Controls {
    console: Console,
    editor: Editor,
    /// The keys whose policy the learner opened: a card rebuilt because
    /// its key changed (a new policy, an alias) opens it again.
    opened: RwSignal<std::collections::BTreeSet<String>>,
}

/// A folding section of the panel, its title counting what it lists.
fn section(title: Signal<String>, testid: &'static str, body: AnyView) -> AnyView {
    view! {
        <details class="panel" open data-testid=testid>
            <summary><h4>{title}</h4></summary>
            {body}
        </details>
    }
    .into_any()
}

/// A list whose rows are rebuilt only when what they show changes.
fn list(class: &'static str, each: Signal<Vec<Row>>, controls: Controls) -> AnyView {
    let items = move || {
        each.get()
            .into_iter()
            .map(|r| Keyed::of(r, move |r| row(r, controls)))
            .collect()
    };
    view! { <ul class=class>{keyed(items)}</ul> }.into_any()
}

/// One row of the panel, as it shows.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Row {
    Account {
        id: String,
        name: String,
        /// (ARN, name in the account).
        principals: Vec<(String, String)>,
        free: bool,
    },
    Key(KeyRow),
    Grant {
        name: String,
        grantee: String,
        operations: String,
        key: String,
        constraints: String,
        /// When a new grant takes effect, if it has not yet.
        pending: String,
    },
    Cluster {
        id: String,
        account: String,
        status: &'static str,
        broken: bool,
        rows: usize,
        key: String,
    },
    Snapshot {
        id: String,
        account: String,
        cluster: String,
        note: String,
    },
    Parameter {
        name: String,
        account: String,
        kind: String,
        note: String,
    },
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct KeyRow {
    id: String,
    arn: String,
    state: &'static str,
    manager: &'static str,
    countdown: Option<String>,
    description: String,
    aliases: String,
    note: String,
    policy: String,
    editable: bool,
}

fn row(r: Row, controls: Controls) -> AnyView {
    match r {
        Row::Account { id, name, principals, free } => {
            let principals = principals
                .into_iter()
                .map(|(arn, label)| {
                    if free {
                        let title = format!("Act as {arn} in the console");
                        view! { <li><button class="link" title=title on:click=move |_| controls.console.actor.set(arn.clone())>{label}</button></li> }.into_any()
                    } else {
                        view! { <li><code title=arn>{label}</code></li> }.into_any()
                    }
                })
                .collect_view();
            view! {
                <li><strong>{name}</strong>" "<code>{id}</code><ul class="principals">{principals}</ul></li>
            }
            .into_any()
        }
        Row::Key(k) => key_card(k, controls),
        Row::Grant { name, grantee, operations, key, constraints, pending } => view! {
            <li data-testid="grant"><code>{name}</code>": "<code>{grantee}</code>{format!(" may {operations} on ")}<code>{key}</code>{constraints}<span class="note">{pending}</span></li>
        }
        .into_any(),
        Row::Cluster { id, account, status, broken, rows, key } => view! {
            <li class="cluster" class:broken=broken>
                <code>{id}</code>{format!(" ({account}) ")}
                <span class="badge status" class:broken=broken data-testid="cluster-status">{status}</span>
                {broken.then(|| view! { <p class="alarm" role="status">"The cluster cannot use its KMS key: every query fails until the key is usable again and RDS recovers."</p> })}
                <p class="note">{format!("{rows} encrypted row(s) under key {key}")}</p>
            </li>
        }
        .into_any(),
        Row::Snapshot { id, account, cluster, note } => view! {
            <li data-testid="snapshot"><code>{id}</code>{format!(" ({account}) of ")}<code>{cluster}</code><span class="note">{note}</span></li>
        }
        .into_any(),
        Row::Parameter { name, account, kind, note } => view! {
            <li data-testid="parameter"><code>{name}</code>{format!(" ({account}) ")}<span class="badge ok">{kind}</span><span class="note">{note}</span></li>
        }
        .into_any(),
    }
}

fn key_card(k: KeyRow, controls: Controls) -> AnyView {
    let Controls { editor, opened, .. } = controls;
    let open = opened.with_untracked(|o| o.contains(&k.id));
    let id = k.id.clone();
    let toggled = move |ev: leptos::ev::Event| {
        let now = event_target::<leptos::web_sys::HtmlDetailsElement>(&ev).open();
        opened.update(|o| {
            if now {
                o.insert(id.clone());
            } else {
                o.remove(&id);
            }
        });
    };
    let edit = k.editable.then(|| {
        let (id, policy) = (k.id.clone(), k.policy.clone());
        view! {
            <button data-testid="policy-edit" on:click=move |_| {
                editor.draft.set(policy.clone());
                editor.error.set(None);
                editor.key.set(Some(id.clone()));
                crate::browser::reveal("[data-testid=policy-editor]");
            }>"Edit policy"</button>
        }
    });
    view! {
        <li class="key-card" data-testid="key-card">
            <div class="key-head">
                <span class=format!("badge state {}", k.state.to_ascii_lowercase()) data-testid="key-state">{k.state}</span>" "
                <code title=k.arn>{short_id(&k.id).to_string()}</code>" "
                <span class="manager">{k.manager}</span>
            </div>
            {k.countdown.map(|c| view! { <p class="countdown" data-testid="countdown">{c}</p> })}
            {(!k.description.is_empty()).then(|| view! { <p class="note">{k.description}</p> })}
            {(!k.aliases.is_empty()).then(|| view! { <p><code>{k.aliases}</code></p> })}
            <p class="note">{k.note}</p>
            <details class="policy" open=open on:toggle=toggled><summary>"Key policy"</summary><pre class="policy-text">{k.policy}</pre>{edit}</details>
        </li>
    }
    .into_any()
}

fn accounts(w: &World, free: bool) -> Vec<Row> {
    w.state()
        .iam
        .accounts
        .iter()
        .map(|(id, account)| Row::Account {
            id: id.to_string(),
            name: account.name.clone(),
            principals: account
                .principals(id)
                .iter()
                .map(|p| (p.arn(), p.name_in_account()))
                .collect(),
            free,
        })
        .collect()
}

fn keys_title(w: &World) -> String {
    let kms = &w.state().kms;
    match kms.deleted.len() {
        0 => format!("KMS keys ({})", kms.keys.len()),
        deleted => format!("KMS keys ({}; {deleted} deleted for good)", kms.keys.len()),
    }
}

fn keys(w: &World, free: bool) -> Vec<Row> {
    let kms = &w.state().kms;
    kms.keys
        .values()
        .map(|k| {
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
            Row::Key(KeyRow {
                id: k.id.to_string(),
                arn: k.arn().to_string(),
                state: match k.state {
                    KeyState::Enabled => "Enabled",
                    KeyState::Disabled => "Disabled",
                    KeyState::PendingDeletion => "PendingDeletion",
                },
                manager: match k.manager {
                    KeyManager::AWS => "AWS managed",
                    KeyManager::CUSTOMER => "customer managed",
                },
                countdown: k
                    .deletion_date
                    .map(|d| format!("deleted in {}", duration(d.since(w.now())))),
                description: k.description.clone(),
                aliases: kms
                    .aliases_of(k.id)
                    .map(|a| a.name.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                note: format!(
                    "{rotation}; {} backing key version(s); {grants} grant(s)",
                    k.backing_keys.len()
                ),
                policy: pretty_text(&k.policy.text),
                editable: free && k.manager == KeyManager::CUSTOMER,
            })
        })
        .collect()
}

fn grants(w: &World, _: bool) -> Vec<Row> {
    w.state()
        .kms
        .grants
        .values()
        .flat_map(|g| g.iter())
        .map(|g| Row::Grant {
            name: g
                .name
                .as_deref()
                .unwrap_or_else(|| short_id(&g.id))
                .to_string(),
            grantee: g.grantee.to_string(),
            operations: g.operations.join(", "),
            key: short_id(&g.key.to_string()).to_string(),
            constraints: g
                .constraints
                .as_ref()
                .and_then(|c| serde_json::to_string(c).ok())
                .map(|c| format!(" with {c}"))
                .unwrap_or_default(),
            pending: if g.effective() > w.now() {
                format!(
                    " (in effect at {}; its grant token works before)",
                    g.effective().iso8601()
                )
            } else {
                String::new()
            },
        })
        .collect()
}

fn clusters(w: &World, _: bool) -> Vec<Row> {
    w.state()
        .rds
        .clusters
        .values()
        .map(|c| Row::Cluster {
            id: c.id.clone(),
            account: c.account.to_string(),
            status: c.status.as_str(),
            broken: c.status.is_inaccessible(),
            rows: c.storage.tables.values().map(|t| t.rows.len()).sum(),
            key: short_id(&c.storage.key.to_string()).to_string(),
        })
        .collect()
}

fn snapshots(w: &World, _: bool) -> Vec<Row> {
    w.state()
        .rds
        .snapshots
        .values()
        .map(|s| {
            let shared = if s.shared_with.is_empty() {
                String::new()
            } else {
                let with: Vec<String> = s.shared_with.iter().map(|a| a.to_string()).collect();
                format!("; shared with {}", with.join(", "))
            };
            Row::Snapshot {
                id: s.id.clone(),
                account: s.account.to_string(),
                cluster: s.cluster_id.clone(),
                note: format!(
                    " under key {}{shared}",
                    short_id(&s.storage.key.to_string())
                ),
            }
        })
        .collect()
}

fn parameters(w: &World, _: bool) -> Vec<Row> {
    w.state()
        .ssm
        .parameters
        .iter()
        .map(|((account, _, name), p)| Row::Parameter {
            name: name.to_string(),
            account: account.to_string(),
            kind: format!("{:?}", p.kind),
            note: format!(
                " v{}{}",
                p.version,
                p.key_arn
                    .as_ref()
                    .map(|k| format!(" under {k}"))
                    .unwrap_or_default()
            ),
        })
        .collect()
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
