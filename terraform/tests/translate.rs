//! Terraform in, world out: the seed article's configuration, every
//! supported resource and argument, and every refusal with its line and
//! column.

use kms_core::policy::PolicyKind;
use kms_core::prelude::*;
use kms_core::workbench::advisor::{Concern, advise, concerns};
use kms_core::workbench::{Bench, Question};
use kms_terraform::{Location, Options, TerraformError, build, translate};
use serde_json::{Value, json};

const SEED: &str = include_str!("seeds/terraform-kms-key.tf");
const ACCOUNT: &str = "111122223333";
const HIGA: &str = "arn:aws:iam::111122223333:user/CPI-HIGA";

fn options() -> Options {
    Options::default()
}

fn call(world: &mut World, actor: &str, request: Value) -> Result<Value, KmsError> {
    call_in(world, Region::default(), actor, request)
}

fn call_in(
    world: &mut World,
    region: Region,
    actor: &str,
    request: Value,
) -> Result<Value, KmsError> {
    let caller = Caller::parse(actor, None, region).unwrap();
    let request = Request::from_json(&request.to_string()).unwrap();
    world
        .call(caller, request)
        .result
        .map(|r| serde_json::to_value(r).unwrap())
}

/// The ARN of the one key a world has.
fn only_key_arn(world: &World) -> String {
    let keys = &world.state().kms.keys;
    assert_eq!(keys.len(), 1);
    keys.values().next().unwrap().arn().to_string()
}

fn root() -> String {
    format!("arn:aws:iam::{ACCOUNT}:root")
}

fn refused(text: &str) -> TerraformError {
    match translate(text, &options()) {
        Ok(t) => panic!(
            "translated, but should be refused:\n{text}\n{:?}",
            t.scenario
        ),
        Err(e) => e,
    }
}

fn at(line: usize, column: usize) -> Option<Location> {
    Some(Location { line, column })
}

#[test]
fn the_seed_as_written_is_refused_at_its_first_placeholder() {
    let error = refused(SEED);
    // Line 21: `          AWS = "arn:aws:iam::[アカウントID]:root"`; column
    // 31 is the `[` of the placeholder.
    assert_eq!(error.at, at(21, 31), "{error}");
    assert!(error.message.contains("[アカウントID]"), "{error}");
    assert!(error.message.contains("12-digit"), "{error}");
    assert!(error.to_string().starts_with("line 21, column 31: "));
    // Named, so that the workbench can offer to put an account id there.
    assert_eq!(error.placeholder.as_deref(), Some("[アカウントID]"));
}

#[test]
fn the_seed_with_an_account_builds_the_articles_world() {
    let text = SEED.replace("[アカウントID]", ACCOUNT);
    let (translation, run) = build(&text, &options()).unwrap();
    let addresses: Vec<&str> = translation
        .resources
        .iter()
        .map(|r| r.address.as_str())
        .collect();
    assert_eq!(
        addresses,
        [
            "aws_kms_key.higa_WordPress_KMS",
            "aws_kms_alias.higa_WordPress_KMS"
        ]
    );
    assert_eq!(translation.resources[0].at, Location { line: 7, column: 1 });
    assert_eq!(
        translation.resources[1].at,
        Location {
            line: 95,
            column: 1
        }
    );
    // The user the policy names is created so the policy is valid.
    assert_eq!(translation.scenario.setup.len(), 1);
    assert!(
        translation.scenario.setup[0]
            .narration
            .contains("user/CPI-HIGA")
    );

    let world = run.world();
    let bench = Bench::new(world);
    let ask = |principal: &str, action: &str| {
        bench
            .ask(&Question {
                principal,
                via: None,
                action,
                key: "alias/higa_WordPress_KMS",
                encryption_context: None,
            })
            .unwrap()
            .authorization
            .allowed
    };
    // The user uses and administers the key...
    for action in [
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:GenerateDataKey",
        "kms:ReEncryptFrom",
        "kms:DescribeKey",
        "kms:DisableKey",
        "kms:ScheduleKeyDeletion",
        "kms:PutKeyPolicy",
        "kms:TagResource",
    ] {
        assert!(ask(HIGA, action), "CPI-HIGA should be allowed {action}");
    }
    // ...and nothing the policy does not give (RetireGrant is each
    // grant's to decide, not the policy's).
    assert!(!ask(HIGA, "kms:RotateKeyOnDemand"));
    let matrix = bench.matrix("alias/higa_WordPress_KMS", None).unwrap();
    let granted = [
        "kms:Create*",
        "kms:Describe*",
        "kms:Enable*",
        "kms:List*",
        "kms:Put*",
        "kms:Update*",
        "kms:Revoke*",
        "kms:Disable*",
        "kms:Get*",
        "kms:Delete*",
        "kms:TagResource",
        "kms:UntagResource",
        "kms:ScheduleKeyDeletion",
        "kms:CancelKeyDeletion",
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:ReEncrypt*",
        "kms:GenerateDataKey*",
        "kms:DescribeKey",
    ];
    for action in &matrix.actions {
        let in_policy = granted.iter().any(|g| match g.strip_suffix('*') {
            Some(prefix) => action.starts_with(prefix),
            None => g == action,
        });
        let cell = matrix.cell(HIGA, action).unwrap();
        assert_eq!(cell.allowed, in_policy, "{action}: {cell:?}");
    }

    // A real call, made as the user, through the alias.
    let mut world = run.into_world();
    let key = call(
        &mut world,
        HIGA,
        json!({"Action": "kms:GenerateDataKey", "Parameters": {"KeyId": "alias/higa_WordPress_KMS", "KeySpec": "AES_256"}}),
    );
    assert!(key.is_ok(), "{key:?}");

    // The advisor flags the article's dangers: the user also administers
    // the key, may disable it, and may create grants for anything.
    let policy = translation.scenario.steps[0].request.as_ref().unwrap()["Parameters"]["Policy"]
        .as_str()
        .unwrap()
        .to_string();
    let found = concerns(&advise(&policy, PolicyKind::Key).unwrap());
    for concern in [
        Concern::UsersMayDisableOrDelete,
        Concern::NoSeparation,
        Concern::GrantsNotOnlyForServices,
    ] {
        assert!(found.contains(&concern), "{concern:?} not in {found:?}");
    }
}

#[test]
fn jsonencode_writes_the_policy_as_terraform_does() {
    let text = SEED.replace("[アカウントID]", ACCOUNT);
    let translation = translate(&text, &options()).unwrap();
    let policy = translation.scenario.steps[0].request.as_ref().unwrap()["Parameters"]["Policy"]
        .as_str()
        .unwrap()
        .to_string();
    // Keys sorted, no spaces.
    assert!(policy.starts_with(r#"{"Statement":[{"Action":"kms:*","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Resource":["*"],"Sid":"Enable IAM User Permissions"}"#), "{policy}");
    assert!(policy.ends_with(r#""Version":"2012-10-17"}"#));
}

/// Every supported resource and argument, referring to each other in an
/// order other than the one written.
const EVERYTHING: &str = r#"
provider "aws" {
  region = "us-east-1"
}

data "aws_caller_identity" "current" {}

resource "aws_kms_alias" "app" {
  name          = "alias/app"
  target_key_id = aws_kms_key.app.key_id
}

resource "aws_kms_alias" "prefixed" {
  name_prefix   = "alias/tmp-"
  target_key_id = aws_kms_key.app.arn
}

resource "aws_kms_key" "app" {
  description              = "app data"
  key_usage                = "ENCRYPT_DECRYPT"
  customer_master_key_spec = "SYMMETRIC_DEFAULT"
  deletion_window_in_days  = 7
  enable_key_rotation      = true
  rotation_period_in_days  = 180
  tags = {
    team = "payments"
  }
}

resource "aws_kms_key" "off" {
  description = "disabled"
  is_enabled  = false
  policy      = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Sid": "Root",
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"},
        "Action": "kms:*",
        "Resource": "*"
      }]
    }
  EOT
  bypass_policy_lockout_safety_check = false
}

resource "aws_kms_key_policy" "app" {
  key_id = aws_kms_key.app.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Root"
        Effect    = "Allow"
        Principal = { AWS = data.aws_caller_identity.current.arn }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "App"
        Effect    = "Allow"
        Principal = { AWS = aws_iam_role.app.arn }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
        Resource  = "*"
      }
    ]
  })
  depends_on = [aws_iam_role_policy.app]
}

resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }, Action = "sts:AssumeRole" }]
  })
}

data "aws_iam_policy_document" "app" {
  statement {
    sid       = "UseTheKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.app.arn]
    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:app"
      values   = ["orders"]
    }
  }
}

resource "aws_iam_role_policy" "app" {
  name   = "use-key"
  role   = aws_iam_role.app.name
  policy = data.aws_iam_policy_document.app.json
}

resource "aws_iam_user" "ops" {
  name = "ops"
}

resource "aws_iam_user_policy" "ops" {
  name   = "describe"
  user   = aws_iam_user.ops.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "kms:DescribeKey", Resource = "*" }] })
}

resource "aws_kms_grant" "ops" {
  name              = "ops-grant"
  key_id            = aws_kms_key.app.key_id
  grantee_principal = aws_iam_user.ops.arn
  operations        = ["Encrypt", "Decrypt"]
  retiring_principal = aws_iam_role.app.arn
  constraints {
    encryption_context_equals = {
      app = "orders"
    }
  }
}

resource "aws_ssm_parameter" "secret" {
  name   = "/app/db-password"
  type   = "SecureString"
  value  = "hunter2"
  key_id = aws_kms_alias.app.name
}

resource "aws_ebs_volume" "data" {
  availability_zone = "us-east-1a"
  size              = 20
  type              = "gp3"
  encrypted         = true
  kms_key_id        = aws_kms_key.app.arn
}

resource "aws_rds_cluster" "db" {
  cluster_identifier  = "app-db"
  engine              = "aurora-postgresql"
  storage_encrypted   = true
  kms_key_id          = aws_kms_key.app.arn
  master_username     = "admin"
  skip_final_snapshot = true
}
"#;

#[test]
fn every_supported_resource_and_argument_builds() {
    let (translation, run) = build(EVERYTHING, &options()).unwrap();
    assert_eq!(translation.scenario.region.as_deref(), Some("us-east-1"));
    let order: Vec<&str> = translation
        .resources
        .iter()
        .map(|r| r.address.as_str())
        .collect();
    let position = |a: &str| order.iter().position(|o| *o == a).unwrap();
    // Apply order follows references (and depends_on), not the text.
    assert!(position("aws_kms_key.app") < position("aws_kms_alias.app"));
    assert!(position("aws_iam_role_policy.app") < position("aws_kms_key_policy.app"));
    assert!(position("aws_kms_alias.app") < position("aws_ssm_parameter.secret"));
    assert_eq!(order.len(), 13);
    let actions: Vec<String> = translation
        .scenario
        .steps
        .iter()
        .map(|s| {
            s.request.as_ref().unwrap()["Action"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    for action in [
        "kms:CreateKey",
        "kms:EnableKeyRotation",
        "kms:DisableKey",
        "kms:CreateAlias",
        "kms:PutKeyPolicy",
        "kms:CreateGrant",
        "iam:CreateRole",
        "iam:CreateUser",
        "iam:PutRolePolicy",
        "iam:PutUserPolicy",
        "ssm:PutParameter",
        "rds:CreateDBCluster",
        "ec2:CreateVolume",
    ] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} not in {actions:?}"
        );
    }
    // The arguments the simulator does not model are named, not hidden.
    let rds = translation
        .scenario
        .steps
        .iter()
        .find(|s| s.narration.contains("aws_rds_cluster.db"))
        .unwrap();
    assert!(
        rds.narration.contains("`master_username`"),
        "{}",
        rds.narration
    );
    assert!(
        translation.scenario.setup.is_empty(),
        "{:?}",
        translation.scenario.setup
    );

    let mut world = run.into_world();
    let root = root();
    let east = || Region::parse("us-east-1").unwrap();
    let app = call_in(
        &mut world,
        east(),
        &root,
        json!({"Action": "kms:DescribeKey", "Parameters": {"KeyId": "alias/app"}}),
    )
    .unwrap();
    let metadata = &app["KeyMetadata"];
    assert_eq!(metadata["Description"], "app data");
    assert!(
        metadata["Arn"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:kms:us-east-1:111122223333:key/")
    );
    let key_id = metadata["KeyId"].as_str().unwrap().to_string();
    let rotation = call_in(
        &mut world,
        east(),
        &root,
        json!({"Action": "kms:GetKeyRotationStatus", "Parameters": {"KeyId": key_id}}),
    )
    .unwrap();
    assert_eq!(rotation["KeyRotationEnabled"], true);
    assert_eq!(rotation["RotationPeriodInDays"], 180);
    let aliases = call_in(
        &mut world,
        east(),
        &root,
        json!({"Action": "kms:ListAliases", "Parameters": {"KeyId": key_id}}),
    )
    .unwrap();
    let names: Vec<&str> = aliases["Aliases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["AliasName"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"alias/app"));
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("alias/tmp-") && n.len() == "alias/tmp-".len() + 26),
        "{names:?}"
    );
    let tags = call_in(
        &mut world,
        east(),
        &root,
        json!({"Action": "kms:ListResourceTags", "Parameters": {"KeyId": key_id}}),
    )
    .unwrap();
    assert_eq!(
        tags["Tags"][0],
        json!({"TagKey": "team", "TagValue": "payments"})
    );
    let off = world
        .state()
        .kms
        .keys
        .values()
        .find(|k| k.description == "disabled")
        .unwrap();
    assert_eq!(format!("{:?}", off.state), "Disabled");
    let grants = call_in(
        &mut world,
        east(),
        &root,
        json!({"Action": "kms:ListGrants", "Parameters": {"KeyId": key_id}}),
    )
    .unwrap();
    let grant = &grants["Grants"][0];
    assert_eq!(grant["Name"], "ops-grant");
    assert_eq!(
        grant["Constraints"]["EncryptionContextEquals"]["app"],
        "orders"
    );
    assert_eq!(
        grant["GranteePrincipal"],
        "arn:aws:iam::111122223333:user/ops"
    );

    // The role's identity policy, from the policy document, needs the
    // context; the key policy lets the role in.
    let role = "arn:aws:iam::111122223333:role/app";
    let with = call_in(
        &mut world,
        east(),
        role,
        json!({"Action": "kms:GenerateDataKey", "Parameters": {"KeyId": key_id, "KeySpec": "AES_256", "EncryptionContext": {"app": "orders"}}}),
    );
    assert!(with.is_ok(), "{with:?}");
    let mut bench_world = world.clone();
    let without = call_in(
        &mut bench_world,
        east(),
        role,
        json!({"Action": "kms:GenerateDataKey", "Parameters": {"KeyId": key_id, "KeySpec": "AES_256"}}),
    );
    assert!(
        without.is_ok(),
        "the key policy alone allows it: {without:?}"
    );
    // The SecureString is encrypted under the key its alias names.
    let parameter = call_in(&mut world, east(), &root, json!({"Action": "ssm:GetParameter", "Parameters": {"Name": "/app/db-password", "WithDecryption": true}})).unwrap();
    assert_eq!(parameter["Parameter"]["Value"], "hunter2");
    let clusters = call_in(&mut world, east(), &root, json!({"Action": "rds:DescribeDBClusters", "Parameters": {"DBClusterIdentifier": "app-db"}})).unwrap();
    assert_eq!(clusters["DBClusters"][0]["KmsKeyId"], metadata["Arn"]);
    let volumes = call_in(
        &mut world,
        east(),
        &root,
        json!({"Action": "ec2:DescribeVolumes", "Parameters": {}}),
    )
    .unwrap();
    assert_eq!(volumes["Volumes"][0]["KmsKeyId"], metadata["Arn"]);
    assert_eq!(volumes["Volumes"][0]["Size"], 20);
}

#[test]
fn what_aws_refuses_is_reported_at_the_resource() {
    let text = r#"
resource "aws_kms_key" "k" {}

resource "aws_kms_alias" "bad" {
  name          = "not-an-alias"
  target_key_id = aws_kms_key.k.key_id
}
"#;
    let Err(error) = build(text, &options()) else {
        panic!("built, but AWS refuses the alias name")
    };
    assert_eq!(error.at, at(4, 1), "{error}");
    assert!(
        error
            .message
            .starts_with("aws_kms_alias.bad: AWS refuses it with ValidationException: "),
        "{error}"
    );
    assert!(error.message.contains("alias/"), "{error}");
    // A literal ARN naming a role the configuration creates later: the
    // message names the resource that creates it and how to order it.
    let later = r#"
resource "aws_kms_key" "k" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      { Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "kms:*", Resource = "*" },
      { Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/app" }, Action = "kms:Decrypt", Resource = "*" }
    ]
  })
}
resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "sts:AssumeRole" }]
  })
}
"#;
    let Err(error) = build(later, &options()) else {
        panic!("built a key policy naming a role that does not exist yet")
    };
    assert!(
        error.message.contains(
            "aws_iam_role.app (line 11) creates it, but after this resource: refer to aws_iam_role.app.arn, or add depends_on = [aws_iam_role.app]"
        ),
        "{error}"
    );
    // A policy that locks its author out: the message says who applies it.
    let locked = r#"
resource "aws_kms_key" "k" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "kms:Decrypt", Resource = "*" }]
  })
}
"#;
    let Err(error) = build(locked, &options()) else {
        panic!("built a policy its author cannot change")
    };
    assert!(
        error.message.contains(
            "MalformedPolicyDocumentException: The new key policy will not allow you to update the key policy in the future."
        ) && error.message.contains(
            "The playground applies the configuration as the account root, arn:aws:iam::111122223333:root"
        ),
        "{error}"
    );
}

#[test]
fn what_cannot_be_translated_is_refused_with_its_line_and_column() {
    let cases: &[(&str, Option<Location>, &str)] = &[
        (
            "resource \"aws_s3_bucket\" \"b\" {}\n",
            None,
            "creates nothing the playground simulates (aws_kms_key, ",
        ),
        (
            "resource \"aws_s3_bucket\" \"b\" {}\nresource \"aws_kms_key\" \"k\" {\n  description = aws_s3_bucket.b.arn\n}\n",
            at(3, 17),
            "the playground skips aws_s3_bucket (it does not simulate it), so it does not know its `arn`",
        ),
        (
            "resource \"aws_kms_key\" \"k\" {\n  colour = \"red\"\n}\n",
            at(2, 3),
            "`colour` is not an argument",
        ),
        (
            "resource \"aws_kms_key\" \"k\" {\n  policy = file(\"p.json\")\n}\n",
            at(2, 12),
            "`file` is not supported",
        ),
        (
            "resource \"aws_kms_key\" \"k\" {\n  description = var.name\n}\n",
            at(2, 17),
            "`var.name`: no `variable` block declares it",
        ),
        (
            "variable \"name\" {}\nresource \"aws_kms_key\" \"k\" {\n  description = var.name\n}\n",
            at(3, 17),
            "the variable has no default",
        ),
        (
            "variable \"tags\" {\n  default = { team = \"a\" }\n}\nresource \"aws_kms_key\" \"k\" {\n  description = var.tags.team\n}\n",
            at(5, 17),
            "refer to the whole value (`var.name`)",
        ),
        (
            "locals {\n  a = local.b\n  b = local.a\n}\nresource \"aws_kms_key\" \"k\" {\n  description = local.a\n}\n",
            at(3, 7),
            "or in a circle",
        ),
        (
            "resource \"aws_kms_key\" \"k\" {\n  is_enabled = 1 == 1 ? true : false\n}\n",
            at(2, 16),
            "conditional",
        ),
        (
            "resource \"aws_kms_key\" \"k\" {\n  count = 2\n}\n",
            at(2, 3),
            "`count` is not supported",
        ),
        (
            "resource \"aws_kms_key\" \"k\" {\n  description = \"a\" \n",
            at(2, 21),
            "not valid HCL",
        ),
        (
            "resource \"aws_kms_alias\" \"a\" {\n  name = \"alias/a\"\n  target_key_id = aws_kms_key.missing.key_id\n}\n",
            at(3, 19),
            "not in the configuration",
        ),
        (
            "resource \"aws_kms_key\" \"k\" {\n  deletion_window_in_days = 3\n}\n",
            at(2, 29),
            "from 7 to 30",
        ),
        (
            "resource \"aws_kms_key\" \"k\" {\n  description = \"$${x}\"\n}\n",
            at(2, 18),
            "only for an IAM policy variable",
        ),
        (
            "resource \"aws_kms_key\" \"k\" {\n  description = \"${[1]}\"\n}\n",
            at(2, 20),
            "cannot be written into a string",
        ),
        (
            "data \"aws_iam_policy_document\" \"d\" {\n  source_policy_documents = []\n}\nresource \"aws_kms_key\" \"k\" {}\n",
            at(2, 3),
            "is not an argument of data.aws_iam_policy_document that the playground simulates (it knows version, policy_id, and statement blocks)",
        ),
        (
            "resource \"aws_kms_key\" \"k\" {\n  dynamic \"x\" {}\n}\n",
            at(2, 3),
            "a `dynamic` block is not supported in aws_kms_key.k: write each block it makes out",
        ),
        (
            "data \"aws_region\" \"other\" {\n  name = \"us-west-2\"\n}\n",
            at(2, 3),
            "`name` is not supported in data.aws_region",
        ),
        (
            "module \"m\" {}\n",
            at(1, 1),
            "`module` blocks are not supported",
        ),
        (
            "resource \"aws_kms_key\" \"k\" {}\nresource \"aws_kms_key\" \"k\" {}\n",
            at(2, 1),
            "declared twice",
        ),
        (
            "resource \"aws_iam_user\" \"u\" {\n  name = \"u\"\n  path = \"/teams/\"\n}\n",
            at(3, 3),
            "IAM path",
        ),
        (
            "data \"aws_iam_policy_document\" \"d\" {\n  statement {\n    effect = \"Allow\"\n    principals {\n      type = \"AWS\"\n    }\n  }\n}\nresource \"aws_kms_key\" \"k\" {}\n",
            at(4, 5),
            "`principals` needs",
        ),
        ("", None, "creates nothing"),
        (
            "resource \"aws_kms_key\" \"k\" {\n  multi_region = true\n}\n",
            at(2, 18),
            "multi-Region keys are not simulated",
        ),
        (
            "resource \"aws_kms_key\" \"k\" {\n  tags = { a = \"1\", a = \"2\" }\n}\n",
            at(2, 21),
            "this object gives the same key twice",
        ),
        (
            "resource \"aws_kms_key\" \"k\" {\n  description = \"a\"\n  description = \"b\"\n}\n",
            at(3, 3),
            "this argument is already set in this block",
        ),
        (
            "resource \"aws_kms_key\" \"k\" {\n  description = jsonencode({for k, v in {a = 1} : v => k...})\n}\n",
            at(2, 28),
            "grouping (`...`) in a `for` expression is not supported",
        ),
        (
            "resource \"aws_kms_key\" \"k\" {\n  description = jsonencode([for c in \"abc\" : c])\n}\n",
            at(2, 38),
            "iterates a list or an object, not a string",
        ),
        (
            "resource \"aws_kms_key\" \"k\" {\n  description = jsonencode({for v in [\"a\", \"b\"] : \"same\" => v})\n}\n",
            at(2, 51),
            "gives the key \"same\" twice",
        ),
        (
            "resource \"aws_kms_key\" \"k\" {\n  description = jsonencode([for v in [\"a\"] : v if v])\n}\n",
            at(2, 51),
            "the `if` of a `for` expression must be a bool, not a string",
        ),
    ];
    for (text, location, message) in cases {
        let error = refused(text);
        assert_eq!(error.at, *location, "{text}\n{error}");
        assert!(error.message.contains(message), "{text}\n{error}");
    }
}

#[test]
fn a_reference_cycle_is_refused() {
    let text = r#"
resource "aws_iam_role" "a" {
  name               = aws_iam_role.b.name
  assume_role_policy = "{}"
}
resource "aws_iam_role" "b" {
  name               = aws_iam_role.a.name
  assume_role_policy = "{}"
}
"#;
    let error = refused(text);
    assert!(error.message.contains("in a circle"), "{error}");
    assert!(error.at.is_some());
}

#[test]
fn hostile_input_is_bounded() {
    let deep = format!(
        "resource \"aws_kms_key\" \"k\" {{\n  tags = {}{}\n}}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let error = refused(&deep);
    assert!(error.message.contains("nest more than"), "{error}");
    let huge = format!(
        "resource \"aws_kms_key\" \"k\" {{\n  description = \"{}\"\n}}\n",
        "a".repeat(300_000)
    );
    assert!(refused(&huge).message.contains("at most"));
    // A chain of references is bounded too.
    let mut chain = String::from("resource \"aws_iam_user\" \"u0\" { name = \"u\" }\n");
    for i in 1..45 {
        chain.push_str(&format!(
            "resource \"aws_iam_user\" \"u{i}\" {{ name = aws_iam_user.u{}.name }}\n",
            i - 1
        ));
    }
    assert!(refused(&chain).message.contains("deep"));
    // References that double a value at each step: bounded work, not 2^30.
    let mut doubling = String::from("resource \"aws_iam_user\" \"u0\" { name = \"ab\" }\n");
    for i in 1..30 {
        doubling.push_str(&format!(
            "resource \"aws_iam_user\" \"u{i}\" {{ name = \"${{aws_iam_user.u{p}.name}}${{aws_iam_user.u{p}.name}}\" }}\n",
            p = i - 1
        ));
    }
    assert!(refused(&doubling).message.contains("too much work"));
    // Lists that double through locals: each use costs what it copies
    // (2^28 copies took 2.7 s and 176 MB before).
    let mut lists = String::from("locals {\n");
    for i in 0..28 {
        lists.push_str(&format!("  l{i} = [local.l{n}, local.l{n}]\n", n = i + 1));
    }
    lists.push_str("  l28 = \"x\"\n}\nresource \"aws_kms_key\" \"k\" {\n  description = jsonencode(local.l0)\n}\n");
    assert!(refused(&lists).message.contains("too much work"));
    // Nested `for` expressions over a long list: every element evaluated
    // counts, so a cube of 200 is refused, not computed.
    let list: Vec<String> = (0..200).map(|i| format!("\"{i}\"")).collect();
    let cube = format!(
        "locals {{\n  l = [{}]\n}}\nresource \"aws_kms_key\" \"k\" {{\n  description = jsonencode([for a in local.l : [for b in local.l : [for c in local.l : \"${{a}}${{b}}${{c}}\"]]])\n}}\n",
        list.join(", ")
    );
    assert!(refused(&cube).message.contains("too much work"));
}

#[test]
fn the_builtin_story_starts_with_the_seeds_translation() {
    let text = SEED.replace("[アカウントID]", ACCOUNT);
    let translation = translate(&text, &options()).unwrap();
    let story = kms_core::scenario::builtin::get("terraform-kms-key").unwrap();
    let requests = |steps: &[kms_core::scenario::Step]| -> Vec<Value> {
        steps.iter().filter_map(|s| s.request.clone()).collect()
    };
    assert_eq!(
        requests(&story.steps[..2]),
        requests(&translation.scenario.steps)
    );
    assert_eq!(
        story.setup[0].request,
        translation.scenario.setup[0].request
    );
}

#[test]
fn an_ebs_volume_under_an_asymmetric_key_is_refused_at_the_volume() {
    let text = r#"
resource "aws_kms_key" "signing" {
  customer_master_key_spec = "RSA_2048"
  key_usage                = "SIGN_VERIFY"
}

resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  encrypted         = true
  kms_key_id        = aws_kms_key.signing.arn
}
"#;
    let Err(error) = build(text, &options()) else {
        panic!("built, but EBS accepts symmetric keys only")
    };
    assert_eq!(error.at, at(7, 1), "{error}");
    assert!(
        error.message.starts_with("aws_ebs_volume.data: "),
        "{error}"
    );
    assert!(
        error
            .message
            .contains("does not support asymmetric KMS keys"),
        "{error}"
    );
}

#[test]
fn the_workbench_answers_in_the_region_terraform_applied_in() {
    let text = r#"
provider "aws" {
  region = "us-east-1"
}
resource "aws_kms_key" "k" {}
"#;
    let (_, run) = build(text, &options()).unwrap();
    let world = run.world();
    let key = only_key_arn(world);
    let matrix = Bench::new(world).matrix(&key, None).unwrap();
    assert!(
        matrix
            .cell("arn:aws:iam::111122223333:root", "kms:Decrypt")
            .unwrap()
            .allowed
    );
    let answer = Bench::new(world)
        .ask(&Question {
            principal: "arn:aws:iam::111122223333:root",
            via: None,
            action: "kms:Encrypt",
            key: &key,
            encryption_context: None,
        })
        .unwrap();
    assert!(answer.authorization.allowed);
    // A draft is saved in the key's Region too.
    let policy = world
        .state()
        .kms
        .keys
        .values()
        .next()
        .unwrap()
        .policy
        .text
        .clone();
    let changes = kms_core::workbench::what_an_edit_opens(
        world,
        &key,
        &kms_core::workbench::Draft::KeyPolicy {
            key: key.clone(),
            policy,
        },
        None,
    )
    .unwrap();
    assert!(changes.is_empty(), "{changes:?}");
}

#[test]
fn too_many_blocks_are_refused_at_the_first_one_over() {
    let text: String = (0..61)
        .map(|i| format!("resource \"aws_kms_key\" \"k{i}\" {{}}\n"))
        .collect();
    let error = refused(&text);
    assert_eq!(error.at, at(61, 1), "{error}");
    assert!(error.message.contains("at most 60"), "{error}");
}

#[test]
fn a_policy_for_another_account_says_which_account_applies() {
    let text = SEED.replace("[アカウントID]", "123456789012");
    let Err(error) = build(&text, &options()) else {
        panic!("built as 111122223333 a policy that names only 123456789012")
    };
    assert!(
        error.message.contains("MalformedPolicyDocumentException"),
        "{error}"
    );
    assert!(
        error.message.contains("applied as account 111122223333"),
        "{error}"
    );
    assert!(
        error.message.contains("names account 123456789012"),
        "{error}"
    );
    // Applied as that account, it builds.
    let options = Options {
        account: "123456789012".into(),
        ..Options::default()
    };
    assert!(build(&text, &options).is_ok());
}

/// `$${aws:PrincipalAccount}` is Terraform's way to write the IAM policy
/// variable `${aws:PrincipalAccount}`: it reaches the policy as written,
/// which resolves it per request.
#[test]
fn a_policy_variable_written_with_dollar_dollar_reaches_the_policy() {
    let text = r#"
resource "aws_kms_key" "k" {}
resource "aws_iam_user" "app" {
  name = "app"
}
resource "aws_iam_user_policy" "app" {
  name = "own-account-keys"
  user = aws_iam_user.app.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "kms:DescribeKey"
      Resource = "arn:aws:kms:*:$${aws:PrincipalAccount}:key/*"
    }]
  })
}
"#;
    let (_, run) = build(text, &options()).unwrap();
    let world = run.world();
    let key = only_key_arn(world);
    let answer = Bench::new(world)
        .ask(&Question {
            principal: "arn:aws:iam::111122223333:user/app",
            via: None,
            action: "kms:DescribeKey",
            key: &key,
            encryption_context: None,
        })
        .unwrap();
    assert!(answer.authorization.allowed, "{:?}", answer.authorization);
    // Only policy variables: a scenario's own `${name}` stays refused.
    let e = refused("resource \"aws_kms_key\" \"k\" {\n  description = \"$${production}\"\n}\n");
    assert!(
        e.message.contains("only for an IAM policy variable"),
        "{e:?}"
    );
}

/// `variable` blocks (by their default), `locals`, and the `aws_region` and
/// `aws_partition` data sources give values, as real-world configurations
/// use them; a local may refer to a resource.
#[test]
fn variables_locals_and_the_region_and_partition_give_their_values() {
    let text = r#"
data "aws_region" "current" {}
data "aws_partition" "current" {}
variable "alias" {
  type        = string
  description = "The key's alias"
  default     = "alias/orders"
}
locals {
  account = "111122223333"
  admin   = "arn:${data.aws_partition.current.partition}:iam::${local.account}:root"
  key     = aws_kms_key.k.key_id
}
resource "aws_kms_key" "k" {
  description = "for ${var.alias} in ${data.aws_region.current.name}"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = local.admin }, Action = "kms:*", Resource = "*" }]
  })
}
resource "aws_kms_alias" "a" {
  name          = var.alias
  target_key_id = local.key
}
"#;
    let (_, run) = build(text, &options()).unwrap();
    let world = run.world();
    let key = world.state().kms.keys.values().next().unwrap();
    assert_eq!(key.description, "for alias/orders in eu-west-1");
    assert!(
        world
            .state()
            .kms
            .aliases
            .iter()
            .any(|(k, a)| k.name.to_string() == "alias/orders" && a.target == key.id),
        "the alias, after the key it names through a local"
    );
}

/// A managed policy attached to a role or user is kept as an inline policy
/// of the same name and document (the simulator's IAM has inline policies
/// only), which IAM evaluates alike.
#[test]
fn a_managed_policy_attached_is_an_inline_policy_of_the_same_document() {
    let text = r#"
resource "aws_kms_key" "k" {}
resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "sts:AssumeRole" }]
  })
}
resource "aws_iam_policy" "use" {
  name = "use-the-key"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["kms:Decrypt", "kms:DescribeKey"], Resource = aws_kms_key.k.arn }]
  })
}
resource "aws_iam_role_policy_attachment" "app" {
  role       = aws_iam_role.app.name
  policy_arn = aws_iam_policy.use.arn
}
"#;
    let (_, run) = build(text, &options()).unwrap();
    let world = run.world();
    let key = only_key_arn(world);
    let ask = |action: &str| {
        Bench::new(world)
            .ask(&Question {
                principal: "arn:aws:iam::111122223333:role/app",
                via: None,
                action,
                key: &key,
                encryption_context: None,
            })
            .unwrap()
            .authorization
            .allowed
    };
    assert!(ask("kms:DescribeKey"));
    assert!(!ask("kms:DisableKey"));
    let roles = &world.state().iam.accounts[&AccountId::parse(ACCOUNT).unwrap()].roles;
    let inline: Vec<&String> = roles["app"].identity.policies.keys().collect();
    assert_eq!(inline, ["use-the-key"]);

    let managed = text.replace(
        "aws_iam_policy.use.arn",
        "\"arn:aws:iam::aws:policy/ReadOnlyAccess\"",
    );
    assert!(refused(&managed).message.contains("AWS managed policy"));
    let elsewhere = text.replace(
        "aws_iam_policy.use.arn",
        "\"arn:aws:iam::111122223333:policy/not-here\"",
    );
    assert!(
        refused(&elsewhere)
            .message
            .contains("names no aws_iam_policy")
    );
}

/// A resource of a type the playground does not simulate is left out and
/// listed, not a reason to refuse the file: what refers to it or waits for
/// it still builds, with the arguments written in its block.
#[test]
fn a_resource_the_playground_does_not_simulate_is_skipped_and_listed() {
    let text = r#"
resource "aws_kms_key" "logs" {
  description = "for ${aws_cloudwatch_log_group.app.name}"
  depends_on  = [aws_cloudwatch_log_group.app]
}
resource "aws_cloudwatch_log_group" "app" {
  name       = "/app/web"
  kms_key_id = aws_kms_key.logs.arn
}
resource "aws_s3_bucket" "b" {
  bucket = "logs"
}
"#;
    let (translation, run) = build(text, &options()).unwrap();
    let skipped: Vec<(&str, usize)> = translation
        .skipped
        .iter()
        .map(|s| (s.address.as_str(), s.at.line))
        .collect();
    assert_eq!(
        skipped,
        [("aws_cloudwatch_log_group.app", 6), ("aws_s3_bucket.b", 10)]
    );
    let addresses: Vec<&str> = translation
        .resources
        .iter()
        .map(|r| r.address.as_str())
        .collect();
    assert_eq!(addresses, ["aws_kms_key.logs"]);
    let key = run.world().state().kms.keys.values().next().unwrap();
    assert_eq!(key.description, "for /app/web");
}

/// `Principal: "*"` limited by `kms:CallerAccount` to this account and a
/// partner's: the partner's account exists in the world, so the workbench
/// can be asked about it (it answered UnrecognizedClientException).
#[test]
fn an_account_named_by_a_caller_account_condition_exists_in_the_world() {
    let text = r#"
resource "aws_kms_key" "trail" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Root", Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "kms:*", Resource = "*" },
      { Sid = "Readers", Effect = "Allow", Principal = "*", Action = "kms:Decrypt", Resource = "*",
        Condition = { StringEquals = { "kms:CallerAccount" = ["111122223333", "444455556666"] } } }
    ]
  })
}
"#;
    let (translation, run) = build(text, &options()).unwrap();
    let ids: Vec<&str> = translation
        .scenario
        .accounts
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(ids, ["111122223333", "444455556666"]);
    let world = run.world();
    let key = only_key_arn(world);
    let ask = |principal: &str| {
        Bench::new(world)
            .ask(&Question {
                principal,
                via: None,
                action: "kms:Decrypt",
                key: &key,
                encryption_context: None,
            })
            .unwrap_or_else(|e| panic!("{principal}: {e}"))
            .authorization
            .allowed
    };
    assert!(ask("arn:aws:iam::444455556666:root"));
}

/// `for` expressions, as real configurations build principals' ARNs from a
/// variable's list, and objects from a local's map (keys in sorted order,
/// filtered by `if`).
#[test]
fn a_for_expression_gives_its_list_or_object() {
    let text = r#"
variable "readers" {
  default = ["app", "etl"]
}
locals {
  teams = {
    ops = { reads = false, id = 2 }
    bi  = { reads = true, id = 1 }
  }
}
resource "aws_kms_key" "k" {
  description = jsonencode({ for name, team in local.teams : "team-${name}" => team.id if team.reads })
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Root", Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "kms:*", Resource = "*" },
      { Sid = "Readers", Effect = "Allow", Action = "kms:Decrypt", Resource = "*",
        Principal = { AWS = [for i, r in var.readers : "arn:aws:iam::111122223333:role/${r}"] } }
    ]
  })
}
"#;
    let (_, run) = build(text, &options()).unwrap();
    let world = run.world();
    let key = world.state().kms.keys.values().next().unwrap();
    assert_eq!(key.description, r#"{"team-bi":1}"#);
    let arn = only_key_arn(world);
    for reader in ["app", "etl"] {
        let principal = format!("arn:aws:iam::111122223333:role/{reader}");
        let answer = Bench::new(world)
            .ask(&Question {
                principal: &principal,
                via: None,
                action: "kms:Decrypt",
                key: &arn,
                encryption_context: None,
            })
            .unwrap();
        assert!(answer.authorization.allowed, "{reader}");
    }
}

/// An account id that is not one is refused in the workbench's words, not
/// the scenario loader's ("Accounts: ...").
#[test]
fn an_account_id_that_is_not_one_is_refused_first() {
    let options = Options {
        account: "12345".into(),
        ..Options::default()
    };
    let Err(error) = build("resource \"aws_kms_key\" \"k\" {}\n", &options) else {
        panic!("built for account 12345")
    };
    assert_eq!(error.at, None);
    assert_eq!(
        error.message,
        "The account id \"12345\" is not 12 digits: give the account Terraform applies in, such as 111122223333."
    );
}
