//! Each supported resource type: the requests that create it, and the
//! attributes other blocks may refer to.

use crate::TerraformError;
use crate::attributes::alias_name;
use crate::eval::{Config, Item, Scope};
use hcl_edit::Span;
use hcl_edit::structure::Block;
use kms_core::scenario::format::Step;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The resource types translated, and the data sources read.
pub const RESOURCES: [&str; 14] = [
    "aws_kms_key",
    "aws_kms_alias",
    "aws_kms_key_policy",
    "aws_kms_grant",
    "aws_iam_role",
    "aws_iam_user",
    "aws_iam_role_policy",
    "aws_iam_user_policy",
    "aws_iam_policy",
    "aws_iam_role_policy_attachment",
    "aws_iam_user_policy_attachment",
    "aws_ssm_parameter",
    "aws_rds_cluster",
    "aws_ebs_volume",
];
/// The data sources read.
pub const DATA_SOURCES: [&str; 4] = [
    "aws_caller_identity",
    "aws_iam_policy_document",
    "aws_region",
    "aws_partition",
];

/// A step that sends `action` with `parameters`.
fn step(narration: String, action: &str, parameters: Map<String, Value>) -> Step {
    Step {
        narration,
        request: Some(json!({"Action": action, "Parameters": parameters})),
        ..Step::default()
    }
}

/// Parameters with the given optional fields (absent ones left out).
fn params(fields: Vec<(&str, Option<Value>)>) -> Map<String, Value> {
    fields
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
        .collect()
}

fn s(v: Option<String>) -> Option<Value> {
    v.map(Value::String)
}

/// The arguments of `aws_rds_cluster` that change nothing the simulator
/// models; they are accepted and named in the narration.
const RDS_IGNORED: [&str; 16] = [
    "master_username",
    "master_password",
    "manage_master_user_password",
    "database_name",
    "engine_version",
    "engine_mode",
    "skip_final_snapshot",
    "final_snapshot_identifier",
    "backup_retention_period",
    "preferred_backup_window",
    "availability_zones",
    "db_subnet_group_name",
    "vpc_security_group_ids",
    "apply_immediately",
    "deletion_protection",
    "tags",
];

/// The steps of one resource.
pub fn resource_steps(
    config: &Config<'_>,
    item: &Item<'_>,
    scope: &mut Scope,
) -> Result<Vec<Step>, TerraformError> {
    let block = item.block;
    let address = item.address();
    let line = config.at(block.span().map_or(0, |s| s.start)).line;
    let title = |what: &str| format!("**`{address}`** (line {line}): {what}");
    let mut steps = Vec::new();
    match item.kind.as_str() {
        "aws_kms_key" => {
            config.only(
                block,
                &address,
                &[
                    "description",
                    "key_usage",
                    "customer_master_key_spec",
                    "policy",
                    "bypass_policy_lockout_safety_check",
                    "deletion_window_in_days",
                    "is_enabled",
                    "enable_key_rotation",
                    "rotation_period_in_days",
                    "multi_region",
                    "tags",
                ],
                &[],
            )?;
            // Refused where it is written, not when the request is made.
            if config.bool(block, "multi_region", scope)? == Some(true) {
                return Err(config.error(
                    block.body.get_attribute("multi_region").and_then(|a| a.value.span()),
                    "multi_region = true: multi-Region keys are not simulated (every key here exists in one Region only); remove it to build a single-Region key",
                ));
            }
            let window = config.number(block, "deletion_window_in_days", 7..=30, scope)?;
            let tags = config.string_map(block, "tags", scope)?.map(|tags| {
                Value::Array(
                    tags.into_iter()
                        .map(|(k, v)| json!({"TagKey": k, "TagValue": v}))
                        .collect(),
                )
            });
            let policy = config.string(block, "policy", scope)?;
            let narration = match &policy {
                Some(_) => "`kms:CreateKey` with the key policy written in Terraform.",
                None => {
                    "`kms:CreateKey` without a policy: the key gets the default key policy (the account root may do everything, so IAM policies decide)."
                }
            };
            let mut create = step(
                title(&format!(
                    "{narration}{}",
                    window.map_or(String::new(), |d| format!(
                        " `deletion_window_in_days = {d}` is used only when Terraform destroys the key."
                    ))
                )),
                "kms:CreateKey",
                params(vec![
                    ("Description", s(config.string(block, "description", scope)?)),
                    ("KeyUsage", s(config.string(block, "key_usage", scope)?)),
                    ("KeySpec", s(config.string(block, "customer_master_key_spec", scope)?)),
                    ("Policy", s(policy)),
                    (
                        "BypassPolicyLockoutSafetyCheck",
                        config.bool(block, "bypass_policy_lockout_safety_check", scope)?.map(Value::Bool),
                    ),
                    ("MultiRegion", config.bool(block, "multi_region", scope)?.map(Value::Bool)),
                    ("Tags", tags),
                ]),
            );
            create.save = BTreeMap::from([
                (format!("{address}.key_id"), "/KeyMetadata/KeyId".into()),
                (format!("{address}.arn"), "/KeyMetadata/Arn".into()),
            ]);
            steps.push(create);
            let key = format!("${{{address}.key_id}}");
            if config.bool(block, "is_enabled", scope)? == Some(false) {
                steps.push(step(
                    title("`is_enabled = false`: `kms:DisableKey`."),
                    "kms:DisableKey",
                    params(vec![("KeyId", Some(Value::String(key.clone())))]),
                ));
            }
            let period = config.number(block, "rotation_period_in_days", 90..=2560, scope)?;
            if config.bool(block, "enable_key_rotation", scope)? == Some(true) {
                steps.push(step(
                    title("`enable_key_rotation = true`: `kms:EnableKeyRotation`."),
                    "kms:EnableKeyRotation",
                    params(vec![
                        ("KeyId", Some(Value::String(key))),
                        ("RotationPeriodInDays", period.map(Value::from)),
                    ]),
                ));
            }
        }
        "aws_kms_alias" => {
            config.only(
                block,
                &address,
                &["name", "name_prefix", "target_key_id"],
                &[],
            )?;
            let name = alias_name(config, block, &item.name, scope)?;
            let target = required(config, block, "target_key_id", scope)?;
            steps.push(step(
                title(&format!("`kms:CreateAlias` `{name}`.")),
                "kms:CreateAlias",
                params(vec![
                    ("AliasName", Some(Value::String(name))),
                    ("TargetKeyId", Some(Value::String(target))),
                ]),
            ));
        }
        "aws_kms_key_policy" => {
            config.only(
                block,
                &address,
                &["key_id", "policy", "bypass_policy_lockout_safety_check"],
                &[],
            )?;
            steps.push(step(
                title("`kms:PutKeyPolicy`: the key policy is replaced by this one."),
                "kms:PutKeyPolicy",
                params(vec![
                    ("KeyId", s(Some(required(config, block, "key_id", scope)?))),
                    ("PolicyName", s(Some("default".into()))),
                    ("Policy", s(Some(required(config, block, "policy", scope)?))),
                    (
                        "BypassPolicyLockoutSafetyCheck",
                        config
                            .bool(block, "bypass_policy_lockout_safety_check", scope)?
                            .map(Value::Bool),
                    ),
                ]),
            ));
        }
        "aws_kms_grant" => {
            config.only(
                block,
                &address,
                &[
                    "name",
                    "key_id",
                    "grantee_principal",
                    "operations",
                    "retiring_principal",
                    "grant_creation_tokens",
                    "retire_on_delete",
                ],
                &["constraints"],
            )?;
            let mut constraints = Map::new();
            for c in block.body.get_blocks("constraints") {
                config.only(
                    c,
                    "constraints",
                    &["encryption_context_equals", "encryption_context_subset"],
                    &[],
                )?;
                for (field, name) in [
                    ("encryption_context_equals", "EncryptionContextEquals"),
                    ("encryption_context_subset", "EncryptionContextSubset"),
                ] {
                    if let Some(pairs) = config.string_map(c, field, scope)? {
                        constraints.insert(
                            name.into(),
                            Value::Object(
                                pairs
                                    .into_iter()
                                    .map(|(k, v)| (k, Value::String(v)))
                                    .collect(),
                            ),
                        );
                    }
                }
            }
            let operations = config.strings(block, "operations", scope)?.ok_or_else(|| {
                config.error(block.span(), format!("{address} needs `operations`"))
            })?;
            let mut grant = step(
                title("`kms:CreateGrant`."),
                "kms:CreateGrant",
                params(vec![
                    ("KeyId", s(Some(required(config, block, "key_id", scope)?))),
                    (
                        "GranteePrincipal",
                        s(Some(required(config, block, "grantee_principal", scope)?)),
                    ),
                    (
                        "RetiringPrincipal",
                        s(config.string(block, "retiring_principal", scope)?),
                    ),
                    ("Operations", Some(json!(operations))),
                    (
                        "Constraints",
                        (!constraints.is_empty()).then_some(Value::Object(constraints)),
                    ),
                    (
                        "GrantTokens",
                        config
                            .strings(block, "grant_creation_tokens", scope)?
                            .map(|t| json!(t)),
                    ),
                    ("Name", s(config.string(block, "name", scope)?)),
                ]),
            );
            grant.save = BTreeMap::from([
                (format!("{address}.grant_id"), "/GrantId".into()),
                (format!("{address}.grant_token"), "/GrantToken".into()),
            ]);
            steps.push(grant);
        }
        "aws_iam_role" => {
            config.only(
                block,
                &address,
                &["name", "assume_role_policy", "description", "path", "tags"],
                &[],
            )?;
            path_is_root(config, block, scope)?;
            let name = required(config, block, "name", scope)?;
            steps.push(step(
                title(&format!("`iam:CreateRole` `{name}`.")),
                "iam:CreateRole",
                params(vec![
                    ("RoleName", s(Some(name))),
                    (
                        "AssumeRolePolicyDocument",
                        s(Some(required(config, block, "assume_role_policy", scope)?)),
                    ),
                ]),
            ));
        }
        "aws_iam_user" => {
            config.only(
                block,
                &address,
                &["name", "path", "tags", "force_destroy"],
                &[],
            )?;
            path_is_root(config, block, scope)?;
            let name = required(config, block, "name", scope)?;
            steps.push(step(
                title(&format!("`iam:CreateUser` `{name}`.")),
                "iam:CreateUser",
                params(vec![("UserName", s(Some(name)))]),
            ));
        }
        "aws_iam_role_policy" | "aws_iam_user_policy" => {
            let (owner, action, _) = policy_owner(&item.kind);
            config.only(block, &address, &["name", owner, "policy"], &[])?;
            let name = config
                .string(block, "name", scope)?
                .unwrap_or_else(|| item.name.clone());
            let who = required(config, block, owner, scope)?;
            let policy = required(config, block, "policy", scope)?;
            steps.push(put_policy(
                title(&format!("`{action}`: the inline policy `{name}`.")),
                &item.kind,
                who,
                name,
                policy,
            ));
        }
        // The simulator's IAM has inline policies only: a managed policy
        // is a document until attached, and each attachment puts it on
        // the role or user as an inline policy of the same name and
        // document, which IAM evaluates alike.
        "aws_iam_policy" => {
            config.only(
                block,
                &address,
                &["name", "description", "path", "policy", "tags"],
                &[],
            )?;
            path_is_root(config, block, scope)?;
            required(config, block, "name", scope)?;
            required(config, block, "policy", scope)?;
        }
        "aws_iam_role_policy_attachment" | "aws_iam_user_policy_attachment" => {
            let (owner, action, _) = policy_owner(&item.kind);
            config.only(block, &address, &[owner, "policy_arn"], &[])?;
            let who = required(config, block, owner, scope)?;
            let (name, policy) = managed_policy(config, block, scope)?;
            steps.push(put_policy(
                title(&format!(
                    "`{action}`: the policy `{name}`, attached (the playground keeps it as an inline policy: managed policies are not simulated)."
                )),
                &item.kind,
                who,
                name,
                policy,
            ));
        }
        "aws_ssm_parameter" => {
            config.only(
                block,
                &address,
                &[
                    "name",
                    "type",
                    "value",
                    "insecure_value",
                    "key_id",
                    "description",
                    "overwrite",
                    "tags",
                ],
                &[],
            )?;
            let value = match config.string(block, "value", scope)? {
                Some(v) => v,
                None => required(config, block, "insecure_value", scope)?,
            };
            steps.push(step(
                title("`ssm:PutParameter`."),
                "ssm:PutParameter",
                params(vec![
                    ("Name", s(Some(required(config, block, "name", scope)?))),
                    ("Type", s(Some(required(config, block, "type", scope)?))),
                    ("Value", s(Some(value))),
                    ("KeyId", s(config.string(block, "key_id", scope)?)),
                    (
                        "Description",
                        s(config.string(block, "description", scope)?),
                    ),
                    (
                        "Overwrite",
                        config.bool(block, "overwrite", scope)?.map(Value::Bool),
                    ),
                ]),
            ));
        }
        "aws_rds_cluster" => {
            let mut known = vec![
                "cluster_identifier",
                "engine",
                "storage_encrypted",
                "kms_key_id",
            ];
            known.extend(RDS_IGNORED);
            config.only(block, &address, &known, &[])?;
            let ignored: Vec<&str> = RDS_IGNORED
                .iter()
                .copied()
                .filter(|a| block.body.get_attribute(a).is_some())
                .collect();
            let note = if ignored.is_empty() {
                String::new()
            } else {
                format!(
                    " The simulator does not model {}: they are left out.",
                    ignored
                        .iter()
                        .map(|a| format!("`{a}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            steps.push(step(
                title(&format!("`rds:CreateDBCluster`.{note}")),
                "rds:CreateDBCluster",
                params(vec![
                    (
                        "DBClusterIdentifier",
                        s(Some(required(config, block, "cluster_identifier", scope)?)),
                    ),
                    ("Engine", s(config.string(block, "engine", scope)?)),
                    (
                        "StorageEncrypted",
                        config
                            .bool(block, "storage_encrypted", scope)?
                            .map(Value::Bool),
                    ),
                    ("KmsKeyId", s(config.string(block, "kms_key_id", scope)?)),
                ]),
            ));
        }
        "aws_ebs_volume" => {
            config.only(
                block,
                &address,
                &[
                    "availability_zone",
                    "size",
                    "type",
                    "encrypted",
                    "kms_key_id",
                    "tags",
                ],
                &[],
            )?;
            let mut volume = step(
                title("`ec2:CreateVolume`."),
                "ec2:CreateVolume",
                params(vec![
                    (
                        "AvailabilityZone",
                        s(Some(required(config, block, "availability_zone", scope)?)),
                    ),
                    (
                        "Size",
                        config
                            .number(block, "size", 1..=16384, scope)?
                            .map(Value::from),
                    ),
                    ("VolumeType", s(config.string(block, "type", scope)?)),
                    (
                        "Encrypted",
                        config.bool(block, "encrypted", scope)?.map(Value::Bool),
                    ),
                    ("KmsKeyId", s(config.string(block, "kms_key_id", scope)?)),
                ]),
            );
            volume.save = BTreeMap::from([(format!("{address}.id"), "/VolumeId".into())]);
            steps.push(volume);
        }
        other => {
            return Err(config.error(
                block.labels.first().and_then(|l| l.span()).or(block.span()),
                format!(
                    "the resource type {other} is not simulated; the playground translates {}",
                    RESOURCES.join(", ")
                ),
            ));
        }
    }
    Ok(steps)
}

/// A string argument that must be present.
fn required(
    config: &Config<'_>,
    block: &Block,
    name: &str,
    scope: &mut Scope,
) -> Result<String, TerraformError> {
    config.string(block, name, scope)?.ok_or_else(|| {
        config.error(
            block.span(),
            format!("this block needs the argument `{name}`"),
        )
    })
}

/// For a policy (or attachment) of a role or a user: the argument that
/// names its owner, the IAM action that puts it there, and that action's
/// field for the owner.
fn policy_owner(kind: &str) -> (&'static str, &'static str, &'static str) {
    if kind.starts_with("aws_iam_role") {
        ("role", "iam:PutRolePolicy", "RoleName")
    } else {
        ("user", "iam:PutUserPolicy", "UserName")
    }
}

/// The step that puts `document` on `owner` as its inline policy `name`.
fn put_policy(
    narration: String,
    kind: &str,
    owner: String,
    name: String,
    document: String,
) -> Step {
    let (_, action, field) = policy_owner(kind);
    step(
        narration,
        action,
        params(vec![
            (field, s(Some(owner))),
            ("PolicyName", s(Some(name))),
            ("PolicyDocument", s(Some(document))),
        ]),
    )
}

/// The name and document of the `aws_iam_policy` an attachment's
/// `policy_arn` names (one this configuration creates).
fn managed_policy(
    config: &Config<'_>,
    attachment: &Block,
    scope: &mut Scope,
) -> Result<(String, String), TerraformError> {
    let arn = required(config, attachment, "policy_arn", scope)?;
    let at = || {
        attachment
            .body
            .get_attribute("policy_arn")
            .and_then(|a| a.value.span())
    };
    if arn.starts_with("arn:aws:iam::aws:policy/") {
        return Err(config.error(
            at(),
            format!("`{arn}` is an AWS managed policy, which the playground does not simulate: write the statements you need in an aws_iam_policy"),
        ));
    }
    let name = arn.rsplit('/').next().unwrap_or_default();
    for block in config.body.blocks() {
        let ours = block.ident.as_str() == "resource"
            && block
                .labels
                .first()
                .is_some_and(|l| l.as_str() == "aws_iam_policy");
        if ours && config.string(block, "name", scope)?.as_deref() == Some(name) {
            return Ok((name.to_string(), required(config, block, "policy", scope)?));
        }
    }
    Err(config.error(
        at(),
        format!("`{arn}` names no aws_iam_policy of this configuration: the playground attaches only the policies it creates"),
    ))
}

/// Paths other than `/` are not simulated (ARNs here have none).
fn path_is_root(
    config: &Config<'_>,
    block: &Block,
    scope: &mut Scope,
) -> Result<(), TerraformError> {
    match config.string(block, "path", scope)? {
        Some(path) if path != "/" => Err(config.error(
            block.body.get_attribute("path").and_then(|a| a.span()),
            format!("the IAM path {path} is not simulated: principals here live at /"),
        )),
        _ => Ok(()),
    }
}
