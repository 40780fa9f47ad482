//! What the workbench shows of a built world: for each key, the advisor's
//! findings, the access matrix with the trace of any cell, what a draft
//! would open, and a what-if; for each inline identity policy, its
//! findings and what a draft of it would open on each key.

use crate::{Built, IdentityRow, KeyRow, short_principal};
use kms_core::kms::policy_diff::diff;
use kms_core::prelude::*;
use kms_core::workbench::advisor::{Concern, Finding, advise_key_policy};
use kms_core::workbench::{Bench, Change, Draft, Matrix, Question, caveats, what_an_edit_opens};
use kms_web::why::{AccountNames, Why};
use leptos::prelude::*;
use std::sync::Arc;

/// A change of decision on a key (named by its label).
type KeyChange = (String, Change);

/// An inline identity policy: the advisor's findings, and what a draft of
/// it would open or close on each key.
#[component]
pub(crate) fn IdentityView(built: Arc<Built>, row: IdentityRow) -> impl IntoView {
    let draft = RwSignal::new(row.policy.clone());
    let findings = findings_view(&row.findings, &row.policy, draft, "identity-draft");
    let outcome: RwSignal<Option<Result<Vec<KeyChange>, String>>> = RwSignal::new(None);
    let (identity, name) = (row.identity.clone(), row.name.clone());
    let check = move |_| {
        let candidate = Draft::IdentityPolicy {
            identity: identity.clone(),
            name: name.clone(),
            policy: draft.get_untracked(),
        };
        let mut all = Vec::new();
        for key in &built.keys {
            match what_an_edit_opens(&built.world, &key.arn, &candidate, None) {
                Ok(changes) => all.extend(changes.into_iter().map(|c| (key.label.clone(), c))),
                Err(e) => {
                    outcome.set(Some(Err(e.to_string())));
                    return;
                }
            }
        }
        outcome.set(Some(Ok(all)));
    };
    view! {
        <section class="wb-identity" data-testid="identity">
            <h2>"Identity policy "<code>{row.name.clone()}</code>" of "<code>{short_principal(&row.identity).to_string()}</code></h2>
            <h3>"Advisor"</h3>
            {findings}
            <h3>"What would an edit open?"</h3>
            <textarea class="wb-draft" data-testid="identity-draft" rows="10" spellcheck="false"
                prop:value=move || draft.get()
                on:input=move |ev| draft.set(event_target_value(&ev))></textarea>
            <button data-testid="identity-what-if" on:click=check>"What would this edit open?"</button>
            {move || outcome.get().map(|o| match o {
                Err(e) => view! { <p class="error" data-testid="identity-draft-error">{e}</p> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p data-testid="identity-changes">"No decision changes on any key."</p> }.into_any(),
                Ok(list) => {
                    let items = list.into_iter().map(|(key, c)| {
                        let opens = c.opens();
                        view! {
                            <li class=if opens { "opens" } else { "closes" }>
                                {if opens { "opens: " } else { "closes: " }}
                                <code>{short_principal(&c.principal).to_string()}</code>" "{c.action}" on "<code>{key}</code>
                            </li>
                        }
                    }).collect_view();
                    view! { <ul data-testid="identity-changes">{items}</ul> }.into_any()
                }
            })}
        </section>
    }
}

/// The advisor's findings on `policy`; each fix as a diff that can be put
/// into `draft` (the textarea `data-testid=<draft_id>`).
fn findings_view(
    findings: &[Finding],
    policy: &str,
    draft: RwSignal<String>,
    draft_id: &'static str,
) -> AnyView {
    if findings.is_empty() {
        return view! { <p class="note" data-testid="no-findings">"The advisor finds nothing to flag in this policy."</p> }.into_any();
    }
    let items = findings
        .iter()
        .map(|f| {
            let statements = f.statements.join("; ");
            let fix = f.fix.clone().map(|fix| {
                let lines = kms_web::diff_lines(diff(policy, &fix));
                view! {
                    <details class="policy-diff">
                        <summary>"The fix, as a diff (−) current (+) fixed"</summary>
                        <pre>{lines}</pre>
                        <button data-testid="apply-fix" on:click=move |_| {
                            draft.set(fix.clone());
                            kms_web::browser::reveal(&format!("[data-testid={draft_id}]"));
                        }>"Put the fix in the draft below"</button>
                    </details>
                }
            });
            view! {
                <li class="wb-finding" data-testid="finding" data-concern=format!("{:?}", f.concern)>
                    <strong>{f.concern.title()}</strong>
                    <span class="note">{statements}</span>
                    <p>{f.why.to_string()}</p>
                    {fix}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="wb-findings">{items}</ul> }.into_any()
}

#[component]
pub(crate) fn KeyView(built: Arc<Built>, key: KeyRow) -> impl IntoView {
    let draft = RwSignal::new(key.policy.clone());
    let findings = findings_view(&key.findings, &key.policy, draft, "draft");
    let matrix = Bench::new(&built.world).matrix(&key.arn, None);
    let names = AccountNames::of(&built.world);
    let principals = matrix
        .as_ref()
        .map(|m| m.principals.clone())
        .unwrap_or_default();
    view! {
        <section class="wb-key" data-testid="key">
            <h2>"Key "<code>{key.label.clone()}</code></h2>
            <p class="note"><code>{key.arn.clone()}</code></p>
            <h3>"Advisor"</h3>
            {findings}
            <h3>"Who may do what"</h3>
            {match matrix {
                Ok(m) => view! { <MatrixView built=built.clone() matrix=Arc::new(m) names=names.clone()/> }.into_any(),
                Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
            }}
            <DraftView built=built.clone() key=key.clone() draft=draft/>
            <WhatIf built=built key=key draft=draft principals=principals names=names/>
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
                    let (class, mark, said) = match (cell.allowed, cell.conditional) {
                        (true, _) => ("cell allowed", "✓", "allowed"),
                        (false, true) => ("cell conditional", "◐", "denied as asked, allowed on conditions"),
                        (false, false) => ("cell denied", "✗", "denied"),
                    };
                    let label = format!(
                        "{} {}: {said} ({})",
                        short_principal(p),
                        matrix.actions[c],
                        cell.rule.words()
                    );
                    view! {
                        <td>
                            <button class=class
                                class:chosen=move || chosen.get() == Some((r, c))
                                aria-pressed=move || if chosen.get() == Some((r, c)) { "true" } else { "false" }
                                data-testid="cell" title=label.clone() aria-label=label
                                on:click=move |_| chosen.set(Some((r, c)))>
                                {mark}
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
                let view = answer.authorization.view();
                let caveats = caveat_list(&view);
                view! {
                    <div class="wb-trace" data-testid="cell-trace">
                        <h4>{format!("{} {action}", short_principal(&principal))}</h4>
                        <Why view=view names=names.clone() call_failed=false/>
                        {caveats}
                        {state}
                    </div>
                }
                .into_any()
            }
            Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
        })
    };
    view! {
        <p class="note wb-scroll-hint" data-testid="scroll-hint">{format!("The table scrolls sideways: {columns} actions.")}</p>
        <div class="wb-matrix-wrap">
            <table class="wb-matrix" data-testid="matrix">
                <thead><tr><th></th>{head}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p class="note">"The matrix asks for a direct call without an encryption context. ◐: denied so, but an Allow statement covers it on conditions another request could meet (through a service, with an encryption context). Choose a cell to see the decision, statement by statement. CreateAlias, UpdateAlias and DeleteAlias also need the action on the alias itself, which only IAM policies allow: these columns answer the key's side."</p>
        {trace}
    }
}

#[component]
fn DraftView(built: Arc<Built>, key: KeyRow, draft: RwSignal<String>) -> impl IntoView {
    let outcome: RwSignal<Option<Result<Vec<Change>, String>>> = RwSignal::new(None);
    let locks_out = RwSignal::new(false);
    // Terraform's jsonencode sorts an object's keys; a policy written
    // otherwise (aws_iam_policy_document, heredoc JSON) keeps its order.
    let sorted = move || {
        draft.with(|d| {
            d.trim_start()
                .strip_prefix('{')
                .is_some_and(|rest| rest.trim_start().starts_with("\"Statement\""))
        })
    };
    let arn = key.arn.clone();
    let root = format!(
        "arn:aws:iam::{}:root",
        arn.split(':').nth(4).unwrap_or_default()
    );
    let check = move |_| {
        // Saving it as the account root: would the lockout check refuse it?
        locks_out.set(
            advise_key_policy(&built.world, &arn, &root, &draft.get_untracked())
                .is_ok_and(|f| f.iter().any(|f| f.concern == Concern::LocksOutAuthor)),
        );
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
                <span class="note">{format!("({} → {})", c.before.rule.words(), c.after.rule.words())}</span>
            </li>
        }
    };
    view! {
        <h3>"What would an edit open?"</h3>
        <p class="note">"Edit the key policy; nothing is saved. The draft is applied to a copy of the world by the PutKeyPolicy that would save it. "
            {move || sorted().then_some("It is the policy as KMS holds it: Terraform's jsonencode writes an object's keys in alphabetical order, so \"Statement\" comes before \"Version\".")}</p>
        <textarea class="wb-draft" data-testid="draft" rows="12" spellcheck="false"
            prop:value=move || draft.get()
            on:input=move |ev| draft.set(event_target_value(&ev))></textarea>
        <button data-testid="what-if" on:click=check>"What would this edit open?"</button>
        {move || (locks_out.get() && outcome.with(|o| o.is_some())).then(|| view! {
            <p class="wb-lockout" data-testid="draft-locks-out" role="alert">
                "KMS would refuse to save this as the account root: under it the root could no longer call PutKeyPolicy (the lockout safety check, MalformedPolicyDocumentException). "
                "The changes below are what it would do if saved with the check bypassed, which only AWS Support could undo."
            </p>
        })}
        {move || outcome.get().map(|o| match o {
            Err(e) => view! { <p class="error" data-testid="draft-error">{e}</p> }.into_any(),
            Ok(list) if list.is_empty() => view! { <p data-testid="draft-changes">"No decision changes: every principal keeps exactly the access it has."</p> }.into_any(),
            Ok(list) => view! {
                <p data-testid="draft-summary">{summary(&list)}</p>
                <ul data-testid="draft-changes">{list.into_iter().map(change).collect_view()}</ul>
            }.into_any(),
        })}
    }
}

/// A list of changes in one sentence, so a long list reads at a glance:
/// "5 decisions change for 2 principals: 1 opens, 4 close."
fn summary(changes: &[Change]) -> String {
    let opens = changes.iter().filter(|c| c.opens()).count();
    let mut principals: Vec<&str> = changes.iter().map(|c| c.principal.as_str()).collect();
    principals.sort_unstable();
    principals.dedup();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{} change for {}: {}, {}.",
        plural(changes.len(), "decision", "decisions"),
        plural(principals.len(), "principal", "principals"),
        plural(opens, "opens", "open"),
        plural(changes.len() - opens, "closes", "close"),
    )
}

/// A What-if answer: the question in words, and the decision (or why it
/// could not be asked).
type Asked = (
    String,
    Result<(kms_core::policy::AuthorizationView, Option<String>), String>,
);

/// The encryption context typed as `key=value, key=value`.
fn parse_context(text: &str) -> Result<Option<EncryptionContext>, String> {
    let pairs: Vec<(String, String)> = text
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.split_once('=')
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                .ok_or_else(|| format!("`{p}` is not key=value"))
        })
        .collect::<Result<_, _>>()?;
    Ok((!pairs.is_empty()).then(|| EncryptionContext::from_pairs(pairs)))
}

/// What may make AWS answer otherwise than `view` (a condition key the
/// simulator never fills in), under the decision it qualifies.
fn caveat_list(view: &kms_core::policy::AuthorizationView) -> impl IntoView + use<> {
    caveats(view)
        .into_iter()
        .map(|c| view! { <p class="wb-caveat" data-testid="caveat">"⚠ "{c}</p> })
        .collect_view()
}

/// Why a question cannot be asked, with what to ask instead for a
/// service principal the simulator has no model of (a log group's
/// `logs.<region>.amazonaws.com`).
fn refused_question(e: &KmsError, principal: &str) -> String {
    let mut text = e.to_string();
    if e.name() == "InvalidArnException" && principal.trim().ends_with(".amazonaws.com") {
        text.push_str(
            " The simulator models only the services it simulates: rds.amazonaws.com, ssm.amazonaws.com, ec2.amazonaws.com and kms.amazonaws.com, as a principal or (under \"through\") calling for one. A statement for another service's principal cannot be checked here.",
        );
    }
    text
}

/// Any principal (chosen or typed), through a service or not, any key
/// action, any encryption context, against the world as it is or with the
/// draft above saved: the decision and its trace, nothing changed.
#[component]
fn WhatIf(
    built: Arc<Built>,
    key: KeyRow,
    draft: RwSignal<String>,
    principals: Vec<String>,
    names: AccountNames,
) -> impl IntoView {
    let principal = RwSignal::new(principals.last().cloned().unwrap_or_default());
    let via = RwSignal::new(String::new());
    let action = RwSignal::new(String::from("kms:Decrypt"));
    let context = RwSignal::new(String::new());
    let with_draft = RwSignal::new(false);
    let answer: RwSignal<Option<Asked>> = RwSignal::new(None);
    let arn = key.arn.clone();
    let ask = move |_| {
        // The question, read once: said in words, then asked.
        let (p, v, a, c, drafted) = (
            principal.get_untracked(),
            via.get_untracked(),
            action.get_untracked(),
            context.get_untracked(),
            with_draft.get_untracked(),
        );
        let mut question = format!("{} {a}", short_principal(&p));
        if !v.is_empty() {
            question.push_str(&format!(" through {v}"));
        }
        if !c.trim().is_empty() {
            question.push_str(&format!(" with context {}", c.trim()));
        }
        if drafted {
            question.push_str(", with the draft saved");
        }
        let result = parse_context(&c).and_then(|context| {
            let bench = if drafted {
                Bench::with_draft(
                    &built.world,
                    &Draft::KeyPolicy {
                        key: arn.clone(),
                        policy: draft.get_untracked(),
                    },
                )
            } else {
                Ok(Bench::new(&built.world))
            };
            bench
                .and_then(|bench| {
                    bench.ask(&Question {
                        principal: &p,
                        via: (!v.is_empty()).then_some(v.as_str()),
                        action: &a,
                        key: &arn,
                        encryption_context: context.as_ref(),
                    })
                })
                .map(|a| (a.authorization.view(), a.key_state.map(|e| e.to_string())))
                .map_err(|e| refused_question(&e, &p))
        });
        answer.set(Some((question, result)));
    };
    // An answer is for the question asked: changing it clears the answer.
    let changed = move || answer.set(None);
    let options = principals
        .iter()
        .map(|p| view! { <option value=p.clone()></option> })
        .collect_view();
    let actions = kms_core::workbench::matrix_actions()
        .into_iter()
        .map(|a| view! { <option value=a>{a}</option> })
        .collect_view();
    let list = format!(
        "principals-{}",
        key.arn.rsplit('/').next().unwrap_or_default()
    );
    view! {
        <h3>"What if…"</h3>
        <div class="wb-whatif">
            <label>"Principal (choose or type an ARN) "
                <input data-testid="what-if-principal" list=list.clone() prop:value=move || principal.get()
                    on:input=move |ev| { principal.set(event_target_value(&ev)); changed(); }/>
                <datalist id=list>{options}</datalist>
            </label>
            <label>"through "
                <select data-testid="what-if-via" on:change=move |ev| { via.set(event_target_value(&ev)); changed(); }>
                    <option value="">"(directly)"</option>
                    <option value="rds.amazonaws.com">"RDS"</option>
                    <option value="ssm.amazonaws.com">"Parameter Store"</option>
                    <option value="ec2.amazonaws.com">"EBS"</option>
                </select>
            </label>
            <label>"action "
                <select data-testid="what-if-action" prop:value=move || action.get()
                    on:change=move |ev| { action.set(event_target_value(&ev)); changed(); }>{actions}</select>
            </label>
            <label>"encryption context "
                <input data-testid="what-if-context" placeholder="app=orders, tenant=acme" prop:value=move || context.get()
                    on:input=move |ev| { context.set(event_target_value(&ev)); changed(); }/>
            </label>
            <label>
                <input type="checkbox" data-testid="what-if-draft" on:change=move |ev| { with_draft.set(event_target_checked(&ev)); changed(); }/>
                " with the draft above saved"
            </label>
            <button class="primary" data-testid="what-if-ask" on:click=ask>"Ask"</button>
        </div>
        {move || answer.get().map(|(question, a)| match a {
            Ok((view, state)) => view! {
                <div class="wb-trace" data-testid="what-if-answer">
                    <h4 data-testid="what-if-question">{question}</h4>
                    {let caveats = caveat_list(&view); view! {
                        <Why view=view names=names.clone() call_failed=false/>
                        {caveats}
                    }}
                    {state.map(|e| view! { <p class="note">"Allowed by policy, but the key's state refuses it: "{e}</p> })}
                </div>
            }.into_any(),
            Err(e) => view! { <p class="error" data-testid="what-if-error">{question}": "{e}</p> }.into_any(),
        })}
    }
}
