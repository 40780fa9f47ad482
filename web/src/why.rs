//! The "why" panel: an authorization trace, rendered for a learner. Its
//! first line is the deciding factor (a grant that is not effective yet, a
//! grant's context constraint, the side of a cross-account call that
//! refused, the lockout check), then the sentence, then everything that was
//! considered on request.

use crate::envelope::pairs_text;
use crate::ids::{principal_parts, short_id};
use kms_core::policy::{
    AuthorizationView, ContextConstraint, GrantBlocker, GrantTrace, PolicySource, PolicyTrace,
    PrincipalMatch, Purpose, StatementTrace,
};
use leptos::prelude::*;

fn ok_class(ok: bool) -> &'static str {
    if ok { "ok" } else { "" }
}

fn mark(ok: bool) -> &'static str {
    if ok { "✓" } else { "✗" }
}

/// The account an ARN names (`arn:aws:kms:region:ACCOUNT:...`).
fn account_of(arn: &str) -> &str {
    arn.split(':').nth(4).unwrap_or_default()
}

/// Names accounts for a learner: "production (111122223333)".
#[derive(Clone, Default)]
pub struct AccountNames(pub Vec<(String, String)>);

impl AccountNames {
    /// The accounts of `world`, named.
    pub fn of(world: &kms_core::World) -> Self {
        AccountNames(
            world
                .state()
                .iam
                .accounts
                .iter()
                .map(|(id, a)| (id.to_string(), a.name.clone()))
                .collect(),
        )
    }

    fn label(&self, id: &str) -> String {
        match self.0.iter().find(|(i, _)| i == id) {
            Some((_, name)) => format!("{name} ({id})"),
            None => id.to_string(),
        }
    }

    /// A principal by its ARN, for a sentence: "the root user of
    /// production (111122223333)", "role/KeyAdmin of production (…)".
    fn principal(&self, arn: &str) -> String {
        match principal_parts(arn) {
            Some((name, account)) if name == "root" => {
                format!("the root user of {}", self.label(&account))
            }
            Some((name, account)) => format!("{name} of {}", self.label(&account)),
            None => arn.to_string(),
        }
    }
}

/// A grant that names the caller for this operation but did not apply: the
/// deciding factor when nothing else allowed the call. The sentence, and
/// for a context constraint both contexts side by side.
fn grant_headline(g: &GrantTrace, blocker: &GrantBlocker) -> (String, Option<(String, String)>) {
    let grant = match &g.name {
        Some(n) => format!("Grant \"{n}\" ({})", short_id(&g.grant_id)),
        None => format!("Grant {}", short_id(&g.grant_id)),
    };
    let pairs =
        |list: &[(String, String)]| pairs_text(list.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let constraint = |name: &str, c: &ContextConstraint| {
        (
            format!(
                "{grant} would allow this, but its {name} constraint does not match the request's encryption context."
            ),
            Some((pairs(&c.wanted), pairs(&c.request))),
        )
    };
    match blocker {
        GrantBlocker::NotYetEffective(at) => (
            format!(
                "{grant} would allow this, but it is not effective yet: it takes effect at {at} (grants are eventually consistent). Presenting its grant token in GrantTokens works at once."
            ),
            None,
        ),
        GrantBlocker::ContextEquals(c) => constraint("EncryptionContextEquals", c),
        GrantBlocker::ContextSubset(c) => constraint("EncryptionContextSubset", c),
    }
}

/// Both sides of a cross-account decision, side by side.
fn sides_view(a: &AuthorizationView, names: &AccountNames) -> Option<impl IntoView + use<>> {
    let sides = a.sides.as_ref()?;
    let key_side = format!("Key policy in {}", names.label(account_of(&a.resource)));
    let iam_side = format!("IAM in {}", names.label(account_of(&a.principal)));
    let cell = |ok: bool, text: String| {
        view! {
            <div class=if ok { "verdict-side ok" } else { "verdict-side" } data-testid="side">
                {format!("{} {text}", mark(ok))}
            </div>
        }
    };
    Some(view! {
        <div class="sides" data-testid="sides" aria-label="Cross-account: both sides must allow">
            {cell(sides.resource_policy, key_side)}
            {cell(sides.identity_policy, iam_side)}
        </div>
    })
}

fn statement_view(s: StatementTrace) -> impl IntoView {
    let principal_ok = !matches!(s.principal, PrincipalMatch::NoMatch);
    let elements = [
        (principal_ok, "Principal", s.principal_detail),
        (s.action.matched, "Action", s.action.detail),
        (s.resource.matched, "Resource", s.resource.detail),
    ]
    .into_iter()
    .map(|(matched, name, detail)| {
        view! { <li class=ok_class(matched)>{format!("{} {name}: {detail}", mark(matched))}</li> }
    })
    .collect_view();
    let conditions = s
        .conditions
        .into_iter()
        .map(|c| {
            let request = c
                .request_values
                .as_ref()
                .map_or_else(|| String::from("(absent)"), |v| v.join(", "));
            let note =
                (!c.note.is_empty()).then(|| view! { <span class="note">" (" {c.note} ")"</span> });
            view! {
                <li class=ok_class(c.matched)>
                    {format!("{} ", mark(c.matched))} <code>{c.operator}</code> " " <code>{c.key}</code>
                    {format!(": policy [{}] vs request [{request}]", c.policy_values.join(", "))}
                    {note}
                </li>
            }
        })
        .collect_view();
    view! {
        <li class="statement" class:applies=s.applies>
            <div class="statement-head">
                <span class="applies">{if s.applies { "applies" } else { "does not apply" }}</span> " "
                <strong>{s.label}</strong> {format!(" · {:?}", s.effect)}
            </div>
            <ul class="elements">{elements}{conditions}</ul>
        </li>
    }
}

fn policy_view(p: PolicyTrace) -> impl IntoView {
    let side = match p.source {
        PolicySource::Resource => "resource policy",
        PolicySource::Identity => "identity policy",
    };
    let statements = p.statements.into_iter().map(statement_view).collect_view();
    view! {
        <div class="policy">
            <div class="policy-name">{p.name} " " <span class="side">{side}</span></div>
            <ul class="statements">{statements}</ul>
        </div>
    }
}

/// One authorization decision and everything considered. `call_failed`:
/// whether the call it belongs to failed.
#[component]
pub fn Why(
    /// The decision and everything it considered.
    view: AuthorizationView,
    /// The accounts' names, to say "production (111122223333)".
    names: AccountNames,
    /// Whether the call the decision belongs to failed afterwards.
    call_failed: bool,
) -> impl IntoView {
    let a = view;
    // A permission granted to a call that failed afterwards (a key state, an
    // integrity check) is not a green success.
    let superseded = a.allowed && call_failed && a.purpose == Purpose::Request;
    let lockout = a.purpose == Purpose::LockoutCheck;
    let blocked = (!a.allowed)
        .then(|| {
            a.grants
                .iter()
                .find_map(|g| g.blocker.as_ref().map(|b| grant_headline(g, b)))
        })
        .flatten();
    let caller = names.principal(&a.principal);
    let (headline, compare) = match (lockout, blocked) {
        (true, _) => (
            Some(if a.allowed {
                format!(
                    "The policy lockout safety check passes: under the new policy, {caller} could still change it."
                )
            } else {
                format!(
                    "The policy lockout safety check fails: under the new policy, {caller} could no longer change it, so KMS refuses to save it."
                )
            }),
            None,
        ),
        (false, Some((text, compare))) => (Some(text), compare),
        (false, None) => (None, None),
    };
    let headline =
        headline.map(|text| view! { <p class="headline" data-testid="headline">{text}</p> });
    let compare = compare.map(|(wanted, request)| {
        view! {
            <div class="compare" data-testid="constraint-compare">
                <div><span class="label">"The grant requires"</span><code>{wanted}</code></div>
                <div><span class="label">"The request brought"</span><code>{request}</code></div>
            </div>
        }
    });
    let sides = sides_view(&a, &names);
    let verdict = match (lockout, a.allowed) {
        (true, true) => "Lockout check passes",
        (true, false) => "Lockout check fails",
        (false, true) if superseded => "Allowed, yet the call failed afterwards:",
        (false, true) => "Allowed",
        (false, false) => "Denied",
    };
    let grants = a
        .grants
        .into_iter()
        .map(|g| view! { <li class=ok_class(g.applies)>{format!("{} {}", mark(g.applies), g.detail)}</li> })
        .collect_view();
    let others = (a.other_grants > 0).then(|| {
        view! { <li class="note">{format!("{} other grant(s) name other principals.", a.other_grants)}</li> }
    });
    let policies = a.policies.into_iter().map(policy_view).collect_view();
    view! {
        <div class="why" class:denied=!a.allowed class:lockout=lockout class:superseded=superseded data-testid="why">
            <p class="decision">
                <span class="verdict">{verdict}</span> " " <code>{a.action}</code>
                // The lockout check asks about the draft, for a key that a
                // refused CreateKey never creates: no ARN to show.
                {if lockout { view! { " under the new key policy" }.into_any() } else { view! { " on " <code class="arn">{a.resource}</code> }.into_any() }}
                " · "
                <span class="rule" data-testid="rule">{a.rule_name}</span>
            </p>
            {headline}
            {compare}
            {sides}
            <p class="explanation" data-testid="explanation">{a.explanation}</p>
            <details>
                <summary>"Policies and grants considered"</summary>
                {policies}
                <ul class="grants">{grants}{others}</ul>
            </details>
        </div>
    }
}
