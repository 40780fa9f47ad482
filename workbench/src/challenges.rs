//! Challenges the playground checks by itself: pick one, edit what it
//! allows, check. Each check is replayed on the learner's world and shown
//! with its decision; hints come one at a time; a solution is offered once
//! the learner has tried; solved challenges are kept in localStorage; the
//! address (`#challenge=<id>`) shares a challenge.

use kms_core::scenario::builtin::CHALLENGES;
use kms_core::scenario::challenge::{Attempt, Challenge, ChallengeFile};
use kms_core::scenario::{ScenarioRun, StepResult};
use kms_web::why::{AccountNames, Why};
use leptos::prelude::*;
use std::sync::Arc;

/// Where solved challenges are remembered.
const SOLVED_KEY: &str = "kms-playground-challenges-solved";

fn solved() -> Vec<String> {
    kms_web::browser::load(SOLVED_KEY)
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn mark_solved(id: &str) {
    let mut all = solved();
    if !all.iter().any(|s| s == id) {
        all.push(id.to_string());
        kms_web::browser::save(SOLVED_KEY, &serde_json::to_string(&all).unwrap_or_default());
    }
}

/// What the address asks the challenges tab to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wanted {
    /// A built-in challenge: `#challenge=<id>`.
    Builtin(String),
    /// A docs author's challenge file: `#challenge-url=<url>`.
    Url(String),
}

/// The challenge the address names, if any.
pub fn from_address() -> Option<Wanted> {
    let fragment = kms_web::browser::fragment();
    fragment.split('&').find_map(|pair| {
        if let Some(id) = pair.strip_prefix("challenge=") {
            return CHALLENGES
                .iter()
                .any(|(c, _)| *c == id)
                .then(|| Wanted::Builtin(id.to_string()));
        }
        let url = pair.strip_prefix("challenge-url=")?;
        kms_web::browser::decode(url).map(Wanted::Url)
    })
}

/// A challenge opened: its id (a built-in's, or the file's URL) and file.
#[derive(Clone)]
struct Opened {
    id: String,
    file: Arc<ChallengeFile>,
}

fn builtin(id: &str) -> Option<Opened> {
    let text = CHALLENGES.iter().find(|(c, _)| *c == id)?.1;
    Some(Opened {
        id: id.to_string(),
        file: Arc::new(ChallengeFile::parse(text).ok()?),
    })
}

/// The list of challenges and the one open.
#[component]
pub fn Challenges(
    /// The challenge to open first.
    start: Option<Wanted>,
    /// Only the challenge opened, for a documentation page.
    embed: bool,
) -> impl IntoView {
    let open: RwSignal<Option<Opened>> = RwSignal::new(None);
    let problem: RwSignal<Option<String>> = RwSignal::new(None);
    match start {
        Some(Wanted::Builtin(id)) => open.set(builtin(&id)),
        Some(Wanted::Url(url)) => leptos::task::spawn_local(async move {
            match kms_web::browser::fetch(&url)
                .await
                .and_then(|text| ChallengeFile::parse(&text).map_err(|e| e.to_string()))
            {
                Ok(file) => open.set(Some(Opened {
                    id: url,
                    file: Arc::new(file),
                })),
                Err(e) => problem.set(Some(format!(
                    "The challenge at {url} cannot be opened: {e}"
                ))),
            }
        }),
        None => {}
    }
    let done = RwSignal::new(solved());
    let list = CHALLENGES
        .iter()
        .filter_map(|(id, text)| Some((*id, ChallengeFile::parse(text).ok()?)))
        .map(|(id, file)| {
            let level = file.challenge.level.clone();
            view! {
                <li>
                    <button class="wb-challenge" data-testid=format!("challenge-{id}")
                        class:open=move || open.with(|o| o.as_ref().is_some_and(|o| o.id == id))
                        on:click=move |_| {
                            open.set(builtin(id));
                            kms_web::browser::replace_fragment(&format!("challenge={id}"));
                            kms_web::browser::reveal("[data-testid=challenge]");
                        }>
                        <span class="tag">{level}</span>" "{file.scenario.title.clone()}
                        {move || done.get().iter().any(|d| d == id).then(|| view! { <span class="wb-solved" title="solved">" ✓"</span> })}
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="wb-challenges" style:display=move || if embed { "none" } else { "" }>
            <h2>"Challenges"</h2>
            <p class="note">"Make it work, and the playground checks it: each check is a request replayed on your world, shown with the decision that answered it."</p>
            <ul class="wb-challenge-list">{list}</ul>
            <p class="note">"Write your own: a scenario file with a \"Challenge\" (docs/challenges.md), opened with "<code>"#challenge-url=<url>"</code>"."</p>
        </section>
        {move || problem.get().map(|p| view! { <p class="error" data-testid="challenge-problem" role="alert">{p}</p> })}
        {move || open.get().map(|o| match o.file.start() {
            Ok(run) => view! {
                <ChallengeView id=o.id.clone() run=Arc::new(run) challenge=Arc::new(o.file.challenge.clone()) done=done/>
            }.into_any(),
            Err(e) => view! { <p class="error" data-testid="challenge-problem">{e.to_string()}</p> }.into_any(),
        })}
    }
}

#[component]
fn ChallengeView(
    id: String,
    run: Arc<ScenarioRun>,
    challenge: Arc<Challenge>,
    done: RwSignal<Vec<String>>,
) -> impl IntoView {
    let texts: Vec<RwSignal<String>> = (0..challenge.editable.len())
        .map(|i| RwSignal::new(run.editable_text(&challenge, i).unwrap_or_default()))
        .collect();
    let hints_shown = RwSignal::new(0usize);
    let attempts = RwSignal::new(0usize);
    let outcome: RwSignal<Option<Result<Attempt, String>>> = RwSignal::new(None);
    let names = AccountNames::of(run.world());
    let editors = challenge
        .editable
        .iter()
        .zip(texts.iter().copied())
        .enumerate()
        .map(|(i, (editable, text))| {
            view! {
                <label class="wb-editable">{format!("Edit {}", run.expand(&editable.label()))}
                    <textarea class="wb-draft" data-testid=format!("edit-{i}") rows="14" spellcheck="false"
                        prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                </label>
            }
        })
        .collect_view();
    let check = {
        let (run, id, texts, challenge) =
            (run.clone(), id.clone(), texts.clone(), challenge.clone());
        move |_| {
            let values: Vec<String> = texts.iter().map(|t| t.get_untracked()).collect();
            let result = run.attempt(&challenge, &values).map_err(|e| e.to_string());
            if result.as_ref().is_ok_and(Attempt::passed) {
                mark_solved(&id);
                done.set(solved());
            }
            attempts.update(|n| *n += 1);
            outcome.set(Some(result));
            kms_web::browser::reveal("[data-testid=attempt]");
        }
    };
    let hints = challenge.hints.clone();
    let hint_count = hints.len();
    let solution = challenge.solution.clone();
    let show_solution = {
        let texts = texts.clone();
        let run_for_solution = run.clone();
        move |_| {
            for (text, value) in texts.iter().zip(&solution) {
                text.set(run_for_solution.expand(value));
            }
        }
    };
    view! {
        <section class="wb-challenge-open" data-testid="challenge">
            <h2>{run.scenario().title.clone()}</h2>
            <p>{run.scenario().summary.clone()}</p>
            <p class="wb-task" data-testid="task"><strong>"Task: "</strong>{run.expand(&challenge.task)}</p>
            {editors}
            <div class="wb-row">
                <button class="primary" data-testid="check" on:click=check>"Check"</button>
                <button data-testid="hint" disabled=move || { hints_shown.get() >= hint_count }
                    on:click=move |_| hints_shown.update(|n| *n += 1)>
                    {move || format!("A hint ({} of {hint_count})", (hints_shown.get() + 1).min(hint_count))}
                </button>
                <button data-testid="show-solution" disabled=move || attempts.get() == 0
                    title="After a first attempt" on:click=show_solution>"Show a solution"</button>
            </div>
            <ol class="wb-hints" data-testid="hints">
                {move || hints.iter().take(hints_shown.get()).map(|h| view! { <li>{h.clone()}</li> }).collect_view()}
            </ol>
            {move || outcome.get().map(|o| match o {
                Err(e) => view! { <p class="error" data-testid="attempt">{e}</p> }.into_any(),
                Ok(attempt) => view! { <AttemptView attempt=attempt names=names.clone()/> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn AttemptView(attempt: Attempt, names: AccountNames) -> impl IntoView {
    let passed = attempt.passed();
    let row = move |r: StepResult, names: AccountNames| {
        let ok = r.passed;
        let why = r.authorizations.last().map(|a| {
            let call_failed = r.error.is_some();
            view! {
                <details><summary>"The decision"</summary>
                    <Why view=a.view() names=names.clone() call_failed=call_failed/>
                </details>
            }
        });
        let error = r
            .error
            .as_ref()
            .map(|e| view! { <p class="note">{e.to_string()}</p> });
        // A Decrypt refused by its context: the pairs given beside the
        // pairs bound, as the playground shows them.
        let integrity = r
            .context_mismatch
            .clone()
            .map(|m| view! { <kms_web::IntegrityView mismatch=m/> });
        view! {
            <li class=if ok { "wb-check passed" } else { "wb-check failed" } data-testid="check-result"
                data-passed=ok.to_string()>
                <strong>{if ok { "✓ " } else { "✗ " }}{r.narration.clone()}</strong>
                {(!ok).then(|| view! { <p>{r.failures.join("; ")}</p> })}
                {error}
                {integrity}
                {why}
            </li>
        }
    };
    let edits = attempt
        .edits
        .iter()
        .filter(|e| !e.passed)
        .cloned()
        .map(|e| row(e, names.clone()))
        .collect_view();
    let checks = attempt
        .checks
        .iter()
        .cloned()
        .map(|c| row(c, names.clone()))
        .collect_view();
    view! {
        <div class="wb-attempt" data-testid="attempt" data-passed=passed.to_string()>
            <p class=if passed { "wb-verdict passed" } else { "wb-verdict failed" }>
                {if passed { "Solved: every check passes." } else { "Not yet: read the checks below." }}
            </p>
            <ul>{edits}{checks}</ul>
        </div>
    }
}
