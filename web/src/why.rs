//! The "why" panel: an authorization trace, rendered for a learner.

use crate::html::Html;
use kms_core::policy::PrincipalMatch;
use kms_core::policy::{Authorization, DecidingRule, PolicySource};

fn rule_name(rule: DecidingRule) -> &'static str {
    match rule {
        DecidingRule::ExplicitDeny => "explicit deny",
        DecidingRule::DirectAllow => "direct allow",
        DecidingRule::DelegatedAllow => "delegated to IAM, IAM allows",
        DecidingRule::CrossAccountAllow => "cross-account: both sides allow",
        DecidingRule::Grant => "grant",
        DecidingRule::IdentityAllow => "identity policy allows",
        DecidingRule::GrantRetirement => "the grant's own rule for retiring it",
        DecidingRule::ImplicitDeny => "implicit deny: nothing allows",
    }
}

fn mark(ok: bool) -> &'static str {
    if ok { "✓" } else { "✗" }
}

fn ok(ok: bool) -> &'static str {
    if ok { " class=\"ok\"" } else { "" }
}

/// One authorization decision and everything considered, as HTML.
pub fn why_html(h: &mut Html, a: &Authorization) {
    let a = a.view();
    let denied = if a.allowed { "" } else { " denied" };
    h.raw(&format!(
        "<div class=\"why{denied}\" data-testid=\"why\"><p class=\"decision\"><span class=\"verdict\">{}</span> ",
        if a.allowed { "Allowed" } else { "Denied" }
    ))
    .el("code", "", &a.action)
    .raw(" on ")
    .el("code", "arn", &a.resource)
    .raw(" · <span class=\"rule\" data-testid=\"rule\">")
    .text(rule_name(a.rule))
    .raw("</span></p><p class=\"explanation\" data-testid=\"explanation\">")
    .text(&a.explanation)
    .raw("</p><details><summary>Policies and grants considered</summary>");
    for p in &a.policies {
        let side = match p.source {
            PolicySource::Resource => "resource policy",
            PolicySource::Identity => "identity policy",
        };
        h.raw("<div class=\"policy\"><div class=\"policy-name\">")
            .text(&p.name)
            .raw(" ")
            .el("span", "side", side)
            .raw("</div><ul class=\"statements\">");
        for s in &p.statements {
            let principal_ok = !matches!(s.principal, PrincipalMatch::NoMatch);
            let applies = if s.applies { " applies" } else { "" };
            h.raw(&format!(
                "<li class=\"statement{applies}\"><div class=\"statement-head\"><span class=\"applies\">{}</span> ",
                if s.applies { "applies" } else { "does not apply" }
            ))
            .el("strong", "", &s.label)
            .text(&format!(" · {:?}", s.effect))
            .raw("</div><ul class=\"elements\">");
            for (matched, name, detail) in [
                (principal_ok, "Principal", &s.principal_detail),
                (s.action.matched, "Action", &s.action.detail),
                (s.resource.matched, "Resource", &s.resource.detail),
            ] {
                h.raw(&format!("<li{}>{} {name}: ", ok(matched), mark(matched)))
                    .text(detail)
                    .raw("</li>");
            }
            for c in &s.conditions {
                let request = c
                    .request_values
                    .as_ref()
                    .map_or_else(|| String::from("(absent)"), |v| v.join(", "));
                h.raw(&format!("<li{}>{} ", ok(c.matched), mark(c.matched)))
                    .el("code", "", &c.operator)
                    .raw(" ")
                    .el("code", "", &c.key)
                    .text(&format!(
                        ": policy [{}] vs request [{request}]",
                        c.policy_values.join(", ")
                    ));
                if !c.note.is_empty() {
                    h.el("span", "note", &format!(" ({})", c.note));
                }
                h.raw("</li>");
            }
            h.raw("</ul></li>");
        }
        h.raw("</ul></div>");
    }
    h.raw("<ul class=\"grants\">");
    for g in &a.grants {
        h.raw(&format!("<li{}>{} ", ok(g.applies), mark(g.applies)))
            .text(&g.detail)
            .raw("</li>");
    }
    if a.other_grants > 0 {
        h.el(
            "li",
            "note",
            &format!("{} other grant(s) name other principals.", a.other_grants),
        );
    }
    h.raw("</ul></details></div>");
}
