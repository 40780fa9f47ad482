//! The policy workbench: paste Terraform, get the world it builds (through
//! the ordinary requests, so it can be played as a story), the advisor's
//! findings on each key policy, the access matrix of a key with the trace
//! of any cell, and what a draft key policy would open before it is saved.
//!
//! Its own page and wasm (`workbench.html`): the HCL parser and the
//! workbench do not weigh on the playground's first load. Everything it
//! shows is computed by `kms-core` and `kms-terraform`; the decision trace
//! is the playground's own view.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use kms_core::kms::api::KeyManager;
use kms_core::prelude::*;
use kms_core::scenario::ScenarioRun;
use kms_core::workbench::advisor::{Finding, advise_key_policy};
use kms_core::workbench::{Bench, Change, Draft, Matrix, Question, what_an_edit_opens};
use kms_terraform::{Options, TerraformError, Translation, build};
use kms_web::why::{AccountNames, Why};
use leptos::prelude::*;
use std::sync::Arc;

/// The seed article's Terraform, as its test fixture keeps it.
const SEED: &str = include_str!("../../terraform/tests/seeds/terraform-kms-key.tf");

/// The seed article's Terraform as a learner starts from it: as written,
/// with its account-id placeholder, under a comment saying so (the
/// fixture's own header is for the tests).
pub fn example() -> String {
    let body: String = SEED
        .lines()
        .skip_while(|l| l.starts_with("# "))
        .map(|l| format!("{l}\n"))
        .collect();
    format!(
        "# A practitioner's article creates this key for EBS, RDS and EFS.\n# [アカウントID] stands for an account id: build it as is, then put yours.\n{body}"
    )
}

/// Mounts the workbench into the page body.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(Workbench);
}

/// A key of the built world.
#[derive(Clone)]
struct KeyRow {
    arn: String,
    /// Its Terraform address, or its id.
    label: String,
    policy: String,
    findings: Vec<Finding>,
}

/// What a successful build produced.
struct Built {
    translation: Translation,
    world: World,
    keys: Vec<KeyRow>,
    /// Each resource and the actions of its steps.
    resources: Vec<(String, usize, Vec<&'static str>)>,
}

impl Built {
    fn of(translation: Translation, run: ScenarioRun) -> Built {
        let root = format!("arn:aws:iam::{}:root", translation.scenario.accounts[0].id);
        // Each key's Terraform address, from the response of the step
        // that created it.
        let addresses: Vec<(String, String)> = translation
            .resources
            .iter()
            .filter(|r| r.address.starts_with("aws_kms_key."))
            .filter_map(|r| {
                let response = run.results().get(r.steps.start)?.response.as_ref()?;
                let arn = response.pointer("/KeyMetadata/Arn")?.as_str()?;
                Some((arn.to_string(), r.address.clone()))
            })
            .collect();
        let world = run.into_world();
        let mut keys = Vec::new();
        for key in world.state().kms.keys.values() {
            if key.manager != KeyManager::CUSTOMER {
                continue;
            }
            let arn = key.arn().to_string();
            let label = addresses
                .iter()
                .find(|(a, _)| *a == arn)
                .map_or_else(|| key.id.to_string(), |(_, address)| address.clone());
            let findings =
                advise_key_policy(&world, &arn, &root, &key.policy.text).unwrap_or_default();
            keys.push(KeyRow {
                arn,
                label,
                policy: pretty(&key.policy.text),
                findings,
            });
        }
        let resources = translation
            .resources
            .iter()
            .map(|r| {
                let actions = translation.scenario.steps[r.steps.clone()]
                    .iter()
                    .filter_map(|s| s.request.as_ref()?["Action"].as_str())
                    .filter_map(|a| Request::ACTIONS.iter().copied().find(|k| *k == a))
                    .collect();
                (r.address.clone(), r.at.line, actions)
            })
            .collect();
        Built {
            translation,
            world,
            keys,
            resources,
        }
    }
}

fn pretty(text: &str) -> String {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| text.to_string())
}

/// `principal` without `arn:aws:iam::<account>:`.
fn short_principal(arn: &str) -> &str {
    arn.splitn(6, ':').nth(5).unwrap_or(arn)
}

/// The refused line, with a caret under the column.
fn pointer(text: &str, error: &TerraformError) -> Option<String> {
    let at = error.at?;
    let line = text.lines().nth(at.line.checked_sub(1)?)?;
    let caret: String = line
        .chars()
        .take(at.column.saturating_sub(1))
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    Some(format!("{:>4} | {line}\n     | {caret}^", at.line))
}

/// The workbench page.
#[component]
pub fn Workbench() -> impl IntoView {
    let text = RwSignal::new(String::new());
    let account = RwSignal::new(String::from("111122223333"));
    let built: RwSignal<Option<Arc<Built>>> = RwSignal::new(None);
    let error: RwSignal<Option<(String, Option<String>)>> = RwSignal::new(None);
    let run = move |_| {
        let source = text.get_untracked();
        let options = Options {
            account: account.get_untracked(),
            ..Options::default()
        };
        match build(&source, &options) {
            Ok((translation, run)) => {
                error.set(None);
                built.set(Some(Arc::new(Built::of(translation, run))));
                kms_web::browser::reveal("[data-testid=built]");
            }
            Err(e) => {
                built.set(None);
                error.set(Some((e.to_string(), pointer(&source, &e))));
                kms_web::browser::reveal("[data-testid=terraform-error]");
            }
        }
    };
    let example = move |_| text.set(example());
    view! {
        <main class="workbench">
            <header class="wb-header">
                <h1>"Policy workbench"</h1>
                <p class="note">
                    "Paste a Terraform configuration: the workbench builds the world it describes through the ordinary AWS requests, "
                    "advises on each key policy, shows who may do what on each key and why, and what a draft policy would open before you save it."
                </p>
                <a href="../" data-testid="to-playground">"Back to the playground"</a>
            </header>
            <section class="wb-input">
                <label for="terraform">"Terraform (aws_kms_key, aws_kms_alias, aws_kms_key_policy, aws_kms_grant, IAM roles, users and policies, aws_ssm_parameter, aws_rds_cluster, aws_ebs_volume)"</label>
                <textarea id="terraform" data-testid="terraform" rows="16" spellcheck="false"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                <div class="wb-row">
                    <label>"Account id "
                        <input data-testid="account" prop:value=move || account.get()
                            on:input=move |ev| account.set(event_target_value(&ev))/>
                    </label>
                    <button data-testid="example" on:click=example>"Load the article's example"</button>
                    <button class="primary" data-testid="build" on:click=run>"Build the world"</button>
                </div>
            </section>
            {move || error.get().map(|(message, pointer)| view! {
                <section class="wb-error" data-testid="terraform-error" role="alert">
                    <p>{message}</p>
                    {pointer.map(|p| view! { <pre class="wb-pointer">{p}</pre> })}
                </section>
            })}
            {move || built.get().map(|b| view! { <BuiltView built=b/> })}
        </main>
    }
}

#[component]
fn BuiltView(built: Arc<Built>) -> impl IntoView {
    let resources = built
        .resources
        .iter()
        .map(|(address, line, actions)| {
            view! {
                <li><code>{address.clone()}</code>" (line "{*line}"): "{actions.join(", ")}</li>
            }
        })
        .collect_view();
    let setup = built
        .translation
        .scenario
        .setup
        .iter()
        .map(|s| view! { <li>{s.narration.clone()}</li> })
        .collect_view();
    let story = RwSignal::new(None::<String>);
    {
        let scenario = serde_json::to_string(&built.translation.scenario).unwrap_or_default();
        leptos::task::spawn_local(async move {
            if let Ok(packed) = kms_web::browser::compress(scenario.as_bytes()).await {
                story.set(Some(format!("../#story={}", kms_web::share::seal(&packed))));
            }
        });
    }
    let keys = built
        .keys
        .iter()
        .map(|k| view! { <KeyView built=built.clone() key=k.clone()/> })
        .collect_view();
    view! {
        <section class="wb-built" data-testid="built">
            <h2>"The world"</h2>
            <ul class="wb-resources">{resources}</ul>
            <ul class="wb-setup note">{setup}</ul>
            {move || story.get().map(|href| view! {
                <a href=href data-testid="play-story">"Play it step by step in the playground"</a>
            })}
        </section>
        {keys}
    }
}

#[component]
fn KeyView(built: Arc<Built>, key: KeyRow) -> impl IntoView {
    let findings = if key.findings.is_empty() {
        view! { <p class="note" data-testid="no-findings">"The advisor finds nothing to flag in this key policy."</p> }.into_any()
    } else {
        key.findings
            .iter()
            .map(|f| {
                let statements = f.statements.join("; ");
                let fix = f.fix.clone();
                view! {
                    <li class="wb-finding" data-testid="finding" data-concern=format!("{:?}", f.concern)>
                        <strong>{f.concern.title()}</strong>
                        <span class="note">{statements}</span>
                        <p>{f.why}</p>
                        {fix.map(|fix| view! {
                            <details><summary>"The policy with the fix applied"</summary><pre>{fix}</pre></details>
                        })}
                    </li>
                }
            })
            .collect_view()
            .into_any()
    };
    let matrix = Bench::new(&built.world).matrix(&key.arn, None);
    let names = kms_web::why::AccountNames::of(&built.world);
    view! {
        <section class="wb-key" data-testid="key">
            <h2>"Key "<code>{key.label.clone()}</code></h2>
            <p class="note"><code>{key.arn.clone()}</code></p>
            <h3>"Advisor"</h3>
            <ul class="wb-findings">{findings}</ul>
            <h3>"Who may do what"</h3>
            {match matrix {
                Ok(m) => view! { <MatrixView built=built.clone() matrix=Arc::new(m) names=names.clone()/> }.into_any(),
                Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
            }}
            <DraftView built=built key=key/>
        </section>
    }
}

#[component]
fn MatrixView(built: Arc<Built>, matrix: Arc<Matrix>, names: AccountNames) -> impl IntoView {
    let chosen: RwSignal<Option<(usize, usize)>> = RwSignal::new(None);
    let head = matrix
        .actions
        .iter()
        .map(|a| view! { <th scope="col"><span>{a.trim_start_matches("kms:")}</span></th> })
        .collect_view();
    let columns = matrix.actions.len();
    let rows = matrix
        .principals
        .iter()
        .enumerate()
        .map(|(r, p)| {
            let cells = (0..columns)
                .map(|c| {
                    let cell = matrix.cells[r * columns + c];
                    let label = format!(
                        "{} {}: {} ({:?})",
                        short_principal(p),
                        matrix.actions[c],
                        if cell.allowed { "allowed" } else { "denied" },
                        cell.rule
                    );
                    view! {
                        <td>
                            <button class=if cell.allowed { "cell allowed" } else { "cell denied" }
                                data-testid="cell" title=label.clone() aria-label=label
                                on:click=move |_| chosen.set(Some((r, c)))>
                                {if cell.allowed { "✓" } else { "✗" }}
                            </button>
                        </td>
                    }
                })
                .collect_view();
            view! { <tr><th scope="row">{short_principal(p).to_string()}</th>{cells}</tr> }
        })
        .collect_view();
    let trace = move || {
        let (r, c) = chosen.get()?;
        let principal = matrix.principals.get(r)?.clone();
        let action = *matrix.actions.get(c)?;
        let answer = Bench::new(&built.world).ask(&Question {
            principal: &principal,
            via: None,
            action,
            key: &matrix.key_arn,
            encryption_context: None,
        });
        Some(match answer {
            Ok(answer) => {
                let state = answer.key_state.map(|e| view! {
                    <p class="note">"Allowed by policy, but the key's state refuses it: "{e.to_string()}</p>
                });
                view! {
                    <div class="wb-trace" data-testid="cell-trace">
                        <h4>{format!("{} {action}", short_principal(&principal))}</h4>
                        <Why view=answer.authorization.view() names=names.clone() call_failed=false/>
                        {state}
                    </div>
                }
                .into_any()
            }
            Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
        })
    };
    view! {
        <div class="wb-matrix-wrap">
            <table class="wb-matrix" data-testid="matrix">
                <thead><tr><th></th>{head}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p class="note">"Choose a cell to see the decision, statement by statement."</p>
        {trace}
    }
}

#[component]
fn DraftView(built: Arc<Built>, key: KeyRow) -> impl IntoView {
    let draft = RwSignal::new(key.policy.clone());
    let outcome: RwSignal<Option<Result<Vec<Change>, String>>> = RwSignal::new(None);
    let arn = key.arn.clone();
    let check = move |_| {
        let changes = what_an_edit_opens(
            &built.world,
            &arn,
            &Draft::KeyPolicy {
                key: arn.clone(),
                policy: draft.get_untracked(),
            },
            None,
        );
        outcome.set(Some(changes.map_err(|e| e.to_string())));
    };
    let change = |c: Change| {
        let opens = c.opens();
        view! {
            <li class=if opens { "opens" } else { "closes" }>
                {if opens { "opens: " } else { "closes: " }}
                <code>{short_principal(&c.principal).to_string()}</code>" "{c.action}" "
                <span class="note">{format!("{:?} → {:?}", c.before.rule, c.after.rule)}</span>
            </li>
        }
    };
    view! {
        <h3>"What would an edit open?"</h3>
        <p class="note">"Edit the key policy; nothing is saved. The draft is applied to a copy of the world by the PutKeyPolicy that would save it."</p>
        <textarea class="wb-draft" data-testid="draft" rows="12" spellcheck="false"
            prop:value=move || draft.get()
            on:input=move |ev| draft.set(event_target_value(&ev))></textarea>
        <button data-testid="what-if" on:click=check>"What would this edit open?"</button>
        {move || outcome.get().map(|o| match o {
            Err(e) => view! { <p class="error" data-testid="draft-error">{e}</p> }.into_any(),
            Ok(list) if list.is_empty() => view! { <p data-testid="draft-changes">"No decision changes: every principal keeps exactly the access it has."</p> }.into_any(),
            Ok(list) => view! { <ul data-testid="draft-changes">{list.into_iter().map(change).collect_view()}</ul> }.into_any(),
        })}
    }
}
