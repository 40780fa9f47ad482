//! One played step of a story, or one request of the console, as HTML (see
//! [`crate::html`]).

use crate::html::Html;
use crate::markdown::narration_html;
use crate::why::why_html;
use kms_core::scenario::StepResult;

fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// Played steps, newest first; a story's steps are "Step N", the console's
/// "Request N". `upcoming` (already HTML) follows the newest step.
pub fn steps_html(results: &[StepResult], story: bool, upcoming: Option<&str>) -> String {
    let mut h = Html::new();
    for (i, r) in results.iter().rev().enumerate() {
        step_html(&mut h, r, story);
        if i == 0
            && let Some(next) = upcoming
        {
            h.raw(next);
        }
    }
    if results.is_empty()
        && let Some(next) = upcoming
    {
        h.raw(next);
    }
    h.finish()
}

/// A played step: narration, request, result, envelope, expectation, why.
fn step_html(h: &mut Html, r: &StepResult, story: bool) {
    // Console results have no story expectation to compare with.
    let judged = story && !r.expected.is_empty();
    let failed = if r.passed { "" } else { " failed" };
    h.raw(&format!(
        "<article class=\"step{failed}\" data-testid=\"step-result\"><header class=\"step-head\"><span class=\"step-no\">{} {}</span>",
        if story { "Step" } else { "Request" },
        r.index + 1
    ));
    if judged {
        let (class, verdict) = if r.passed {
            ("badge ok", "as the story says")
        } else {
            ("badge", "not what the story expects")
        };
        h.raw(&format!(
            "<span class=\"{class}\" data-testid=\"step-verdict\">{verdict}</span>"
        ));
    }
    h.raw("</header>");
    if !r.narration.is_empty() {
        h.raw("<p class=\"narration\">");
        narration_html(h, &r.narration);
        h.raw("</p>");
    }
    if let Some(actor) = &r.actor {
        h.raw("<p class=\"actor\">As ")
            .el("code", "", actor)
            .raw("</p>");
    }
    if let Some(request) = &r.request {
        h.raw("<details class=\"request\"><summary>Request</summary>")
            .el("pre", "", &pretty(request))
            .raw("</details>");
    }
    match (&r.response, &r.error) {
        (_, Some(e)) => {
            h.raw("<div class=\"error\" data-testid=\"step-error\">")
                .el("strong", "", e.name())
                .text(&format!(": {}", e.message()))
                .raw("</div>");
        }
        (Some(response), None) => {
            h.raw("<details class=\"response\"><summary>Response</summary>")
                .el("pre", "", &pretty(response))
                .raw("</details>");
        }
        (None, None) => {}
    }
    crate::envelope::envelope_html(h, r.envelope.as_ref());
    if judged {
        h.el("p", "expected", &r.expected);
    }
    if !r.failures.is_empty() {
        h.raw("<ul class=\"failures\">");
        for f in &r.failures {
            h.el("li", "", f);
        }
        h.raw("</ul>");
    }
    for a in &r.authorizations {
        why_html(h, a);
    }
    h.raw("</article>");
}
