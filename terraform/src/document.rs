//! `data "aws_iam_policy_document"`: statement blocks written out as the
//! JSON policy the provider would render.

use crate::TerraformError;
use crate::eval::{Config, Scope};
use crate::value::Val;
use hcl_edit::Span;
use hcl_edit::structure::Block;

/// Values by name, in the order first written (a condition operator's
/// keys).
type Named = Vec<(String, Vec<String>)>;

/// One value alone, several as a list (as the provider renders them).
fn one_or_many(mut items: Vec<String>) -> Val {
    if items.len() == 1 {
        Val::Str(items.remove(0))
    } else {
        Val::List(items.into_iter().map(Val::Str).collect())
    }
}

/// The policy document's JSON.
pub fn render(
    config: &Config<'_>,
    block: &Block,
    scope: &mut Scope,
) -> Result<Val, TerraformError> {
    let address = format!(
        "data.aws_iam_policy_document.{}",
        block.labels.get(1).map_or("", |l| l.as_str())
    );
    config.only(block, &address, &["version", "policy_id"], &["statement"])?;
    let mut document = vec![(
        "Version".to_string(),
        Val::Str(
            config
                .string(block, "version", scope)?
                .unwrap_or_else(|| "2012-10-17".into()),
        ),
    )];
    if let Some(id) = config.string(block, "policy_id", scope)? {
        document.push(("Id".into(), Val::Str(id)));
    }
    let mut statements = Vec::new();
    for statement in block.body.get_blocks("statement") {
        config.only(
            statement,
            "statement",
            &[
                "sid",
                "effect",
                "actions",
                "not_actions",
                "resources",
                "not_resources",
            ],
            &["principals", "not_principals", "condition"],
        )?;
        let mut out: Vec<(String, Val)> = Vec::new();
        if let Some(sid) = config.string(statement, "sid", scope)? {
            out.push(("Sid".into(), Val::Str(sid)));
        }
        let effect = config
            .string(statement, "effect", scope)?
            .unwrap_or_else(|| "Allow".into());
        out.push(("Effect".into(), Val::Str(effect)));
        for (field, element) in [
            ("actions", "Action"),
            ("not_actions", "NotAction"),
            ("resources", "Resource"),
            ("not_resources", "NotResource"),
        ] {
            if let Some(items) = config.strings(statement, field, scope)? {
                out.push((element.into(), one_or_many(items)));
            }
        }
        for (kind, element) in [
            ("principals", "Principal"),
            ("not_principals", "NotPrincipal"),
        ] {
            let mut principals: Vec<(String, Vec<String>)> = Vec::new();
            for p in statement.body.get_blocks(kind) {
                config.only(p, kind, &["type", "identifiers"], &[])?;
                let fail =
                    || config.error(p.span(), format!("`{kind}` needs `type` and `identifiers`"));
                let ty = config.string(p, "type", scope)?.ok_or_else(fail)?;
                let ids = config.strings(p, "identifiers", scope)?.ok_or_else(fail)?;
                match principals.iter_mut().find(|(t, _)| *t == ty) {
                    Some((_, existing)) => existing.extend(ids),
                    None => principals.push((ty, ids)),
                }
            }
            if principals.is_empty() {
                continue;
            }
            let value = if principals.len() == 1
                && principals[0].0 == "*"
                && principals[0].1.iter().all(|i| i == "*")
            {
                Val::Str("*".into())
            } else {
                Val::Object(
                    principals
                        .into_iter()
                        .map(|(t, ids)| (t, one_or_many(ids)))
                        .collect(),
                )
            };
            out.push((element.into(), value));
        }
        let mut conditions: Vec<(String, Named)> = Vec::new();
        for c in statement.body.get_blocks("condition") {
            config.only(c, "condition", &["test", "variable", "values"], &[])?;
            let fail = || {
                config.error(
                    c.span(),
                    "`condition` needs `test`, `variable` and `values`",
                )
            };
            let test = config.string(c, "test", scope)?.ok_or_else(fail)?;
            let variable = config.string(c, "variable", scope)?.ok_or_else(fail)?;
            let values = config.strings(c, "values", scope)?.ok_or_else(fail)?;
            let entry = match conditions.iter_mut().find(|(t, _)| *t == test) {
                Some(entry) => entry,
                None => {
                    conditions.push((test, Vec::new()));
                    let last = conditions.len() - 1;
                    &mut conditions[last]
                }
            };
            match entry.1.iter_mut().find(|(v, _)| *v == variable) {
                Some((_, existing)) => existing.extend(values),
                None => entry.1.push((variable, values)),
            }
        }
        if !conditions.is_empty() {
            out.push((
                "Condition".into(),
                Val::Object(
                    conditions
                        .into_iter()
                        .map(|(test, vars)| {
                            (
                                test,
                                Val::Object(
                                    vars.into_iter()
                                        .map(|(v, values)| (v, one_or_many(values)))
                                        .collect(),
                                ),
                            )
                        })
                        .collect(),
                ),
            ));
        }
        statements.push(Val::Object(out));
    }
    document.push(("Statement".into(), Val::List(statements)));
    Ok(Val::Object(document))
}
