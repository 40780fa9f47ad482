//! One played step of a story.

use crate::markdown::Narration;
use crate::why::Why;
use kms_core::scenario::StepResult;
use leptos::prelude::*;

fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// A played step: narration, request, result, expectation, and why.
#[component]
pub fn StepCard(result: StepResult) -> impl IntoView {
    let passed = result.passed;
    // Console results have no story expectation to compare with.
    let judged = !result.expected.is_empty();
    let outcome = match (&result.response, &result.error) {
        (_, Some(e)) => view! {
            <div class="error" data-testid="step-error">
                <strong>{e.name()}</strong> ": " {e.message().to_string()}
            </div>
        }
        .into_any(),
        (Some(r), None) => view! {
            <details class="response">
                <summary>"Response"</summary>
                <pre>{pretty(r)}</pre>
            </details>
        }
        .into_any(),
        (None, None) => ().into_any(),
    };
    let failures = result
        .failures
        .iter()
        .map(|f| view! { <li>{f.clone()}</li> })
        .collect_view();
    let authorizations = result
        .authorizations
        .into_iter()
        .map(|a| view! { <Why authorization=a/> })
        .collect_view();
    view! {
        <article class="step" class:failed=!passed data-testid="step-result">
            <header class="step-head">
                <span class="step-no">{if judged { format!("Step {}", result.index + 1) } else { format!("Request {}", result.index + 1) }}</span>
                {judged.then(|| view! {
                    <span class="badge" class:ok=passed data-testid="step-verdict">
                        {if passed { "as the story says" } else { "not what the story expects" }}
                    </span>
                })}
            </header>
            <p class="narration"><Narration text=result.narration.clone()/></p>
            {result.actor.map(|a| view! { <p class="actor">"As " <code>{a}</code></p> })}
            {result.request.as_ref().map(|r| view! {
                <details class="request">
                    <summary>"Request"</summary>
                    <pre>{pretty(r)}</pre>
                </details>
            })}
            {outcome}
            {judged.then(|| view! { <p class="expected">{result.expected.clone()}</p> })}
            <ul class="failures">{failures}</ul>
            {authorizations}
        </article>
    }
}
