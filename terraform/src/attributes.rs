//! What other blocks may refer to: each resource's and data source's
//! attributes, known at translation time or saved when the resource is
//! created (`${address.attribute}`).

use crate::TerraformError;
use crate::eval::{Config, Missing, Scope};
use crate::value::Val;
use hcl_edit::Span;
use hcl_edit::structure::Block;

/// What only exists once a resource is created: `${address.attribute}`,
/// saved from the response by the step that creates it.
fn later(address: &str, attribute: &str) -> Val {
    Val::Str(format!("${{{address}.{attribute}}}"))
}

/// The value of `kind.name.attribute` (or `data.kind.name.attribute`).
pub fn attribute(
    config: &Config<'_>,
    data: bool,
    kind: &str,
    name: &str,
    block: &Block,
    attribute: &str,
    scope: &mut Scope,
) -> Result<Val, Missing> {
    let account = &config.options.account;
    let region = &config.options.region;
    let address = format!("{kind}.{name}");
    let string = |scope: &mut Scope, field: &str| -> Result<String, Missing> {
        config
            .string(block, field, scope)?
            .ok_or(Missing::Attribute)
    };
    Ok(match (data, kind, attribute) {
        (true, "aws_caller_identity", "account_id" | "id") => Val::Str(account.clone()),
        (true, "aws_caller_identity", "arn") => Val::Str(format!("arn:aws:iam::{account}:root")),
        // The Region Terraform applies in (the provider's), in the
        // standard partition: the simulator's one.
        (true, "aws_region", "name" | "id" | "region") => Val::Str(region.to_string()),
        (true, "aws_partition", "partition" | "id") => Val::Str("aws".into()),
        (true, "aws_partition", "dns_suffix") => Val::Str("amazonaws.com".into()),
        (true, "aws_iam_policy_document", "json" | "minified_json") => Val::Str(
            crate::document::render(config, block, scope)?
                .to_json()
                .to_string(),
        ),
        (false, "aws_kms_key", "key_id" | "id") => later(&address, "key_id"),
        (false, "aws_kms_key", "arn") => later(&address, "arn"),
        (false, "aws_kms_alias", "name" | "id") => {
            Val::Str(alias_name(config, block, name, scope)?)
        }
        (false, "aws_kms_alias", "arn") => Val::Str(format!(
            "arn:aws:kms:{region}:{account}:{}",
            alias_name(config, block, name, scope)?
        )),
        (false, "aws_kms_grant", "grant_id") => later(&address, "grant_id"),
        (false, "aws_kms_grant", "grant_token") => later(&address, "grant_token"),
        (false, "aws_iam_role", "name" | "id") => Val::Str(string(scope, "name")?),
        (false, "aws_iam_role", "arn") => Val::Str(format!(
            "arn:aws:iam::{account}:role/{}",
            string(scope, "name")?
        )),
        (false, "aws_iam_policy", "name") => Val::Str(string(scope, "name")?),
        (false, "aws_iam_policy", "arn" | "id") => Val::Str(format!(
            "arn:aws:iam::{account}:policy/{}",
            string(scope, "name")?
        )),
        (false, "aws_iam_user", "name" | "id") => Val::Str(string(scope, "name")?),
        (false, "aws_iam_user", "arn") => Val::Str(format!(
            "arn:aws:iam::{account}:user/{}",
            string(scope, "name")?
        )),
        (false, "aws_ssm_parameter", "name" | "id") => Val::Str(string(scope, "name")?),
        (false, "aws_ssm_parameter", "arn") => Val::Str(format!(
            "arn:aws:ssm:{region}:{account}:parameter/{}",
            string(scope, "name")?.trim_start_matches('/')
        )),
        (false, "aws_rds_cluster", "cluster_identifier" | "id") => {
            Val::Str(string(scope, "cluster_identifier")?)
        }
        (false, "aws_ebs_volume", "id") => later(&address, "id"),
        (false, "aws_ebs_volume", "arn") => Val::Str(format!(
            "arn:aws:ec2:{region}:{account}:volume/${{{address}.id}}"
        )),
        (false, "aws_rds_cluster", "arn") => Val::Str(format!(
            "arn:aws:rds:{region}:{account}:cluster:{}",
            string(scope, "cluster_identifier")?
        )),
        // An argument written in the block reads back as written.
        _ => config
            .attr(block, attribute, scope)?
            .ok_or(Missing::Attribute)?,
    })
}

/// An alias's name: `name`, or `name_prefix` and a suffix unique in the
/// configuration (Terraform appends a timestamp and a counter).
pub fn alias_name(
    config: &Config<'_>,
    block: &Block,
    label: &str,
    scope: &mut Scope,
) -> Result<String, TerraformError> {
    if let Some(name) = config.string(block, "name", scope)? {
        return Ok(name);
    }
    if let Some(prefix) = config.string(block, "name_prefix", scope)? {
        // Deterministic, so the same text builds the same world.
        let n = config
            .items()
            .iter()
            .position(|i| !i.data && i.kind == "aws_kms_alias" && i.name == label)
            .unwrap_or(0);
        return Ok(format!("{prefix}{:026}", n + 1));
    }
    Err(config.error(block.span(), "aws_kms_alias needs `name` or `name_prefix`"))
}
