//! The "why" panel: an authorization trace, rendered for a learner.

use kms_core::authz::{Authorization, DecidingRule, PolicySource};
use kms_core::policy::PrincipalMatch;
use leptos::prelude::*;

fn rule_name(rule: DecidingRule) -> &'static str {
    match rule {
        DecidingRule::ExplicitDeny => "explicit deny",
        DecidingRule::DirectAllow => "direct allow",
        DecidingRule::DelegatedAllow => "delegated to IAM, IAM allows",
        DecidingRule::CrossAccountAllow => "cross-account: both sides allow",
        DecidingRule::Grant => "grant",
        DecidingRule::IdentityAllow => "identity policy allows",
        DecidingRule::ImplicitDeny => "implicit deny: nothing allows",
    }
}

fn mark(ok: bool) -> &'static str {
    if ok { "✓" } else { "✗" }
}

/// One authorization decision and everything considered.
#[component]
pub fn Why(authorization: Authorization) -> impl IntoView {
    let a = authorization;
    let allowed = a.allowed;
    let policies = a
        .policies
        .iter()
        .map(|p| {
            let side = match p.source {
                PolicySource::Resource => "resource policy",
                PolicySource::Identity => "identity policy",
            };
            let statements = p
                .statements
                .iter()
                .map(|s| {
                    let principal_ok = !matches!(s.principal, PrincipalMatch::NoMatch);
                    let conditions = s
                        .conditions
                        .iter()
                        .map(|c| {
                            let request = c.request_values.as_ref().map_or_else(|| String::from("(absent)"), |v| v.join(", "));
                            view! {
                                <li class:ok=c.matched>
                                    {mark(c.matched)} " " <code>{c.operator.clone()}</code> " " <code>{c.key.clone()}</code>
                                    ": policy [" {c.policy_values.join(", ")} "] vs request [" {request} "]"
                                    {(!c.note.is_empty()).then(|| view! { <span class="note">" (" {c.note.clone()} ")"</span> })}
                                </li>
                            }
                        })
                        .collect_view();
                    view! {
                        <li class="statement" class:applies=s.applies>
                            <div class="statement-head">
                                <span class="applies">{if s.applies { "applies" } else { "does not apply" }}</span>
                                " " <strong>{s.label.clone()}</strong> " · " {format!("{:?}", s.effect)}
                            </div>
                            <ul class="elements">
                                <li class:ok=principal_ok>{mark(principal_ok)} " Principal: " {s.principal_detail.clone()}</li>
                                <li class:ok=s.action.matched>{mark(s.action.matched)} " Action: " {s.action.detail.clone()}</li>
                                <li class:ok=s.resource.matched>{mark(s.resource.matched)} " Resource: " {s.resource.detail.clone()}</li>
                                {conditions}
                            </ul>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div class="policy">
                    <div class="policy-name">{p.name.clone()} <span class="side">{side}</span></div>
                    <ul class="statements">{statements}</ul>
                </div>
            }
        })
        .collect_view();
    let grants = a
        .grants
        .iter()
        .map(|g| view! { <li class:ok=g.applies>{mark(g.applies)} " " {g.detail.clone()}</li> })
        .collect_view();
    let others = (a.other_grants > 0).then(|| view! { <li class="note">{format!("{} other grant(s) name other principals.", a.other_grants)}</li> });
    view! {
        <div class="why" class:denied=!allowed data-testid="why">
            <p class="decision">
                <span class="verdict">{if allowed { "Allowed" } else { "Denied" }}</span>
                " " <code>{a.action.clone()}</code> " on " <code class="arn">{a.resource.clone()}</code>
                " · " <span class="rule" data-testid="rule">{rule_name(a.rule)}</span>
            </p>
            <p class="explanation" data-testid="explanation">{a.explanation.clone()}</p>
            <details>
                <summary>"Policies and grants considered"</summary>
                {policies}
                <ul class="grants">{grants}{others}</ul>
            </details>
        </div>
    }
}
