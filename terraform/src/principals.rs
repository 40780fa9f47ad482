//! Principals a configuration names but does not create.
//!
//! A key policy may only name principals that exist (KMS refuses the
//! policy otherwise), and a Terraform configuration usually refers to
//! users and roles created elsewhere. The translation creates each IAM
//! user and role its policies and grants name, and each other account, in
//! `Setup`, so the world builds and the learner can act as them. An
//! account a condition on the caller's account names (`Principal: "*"`
//! limited by `kms:CallerAccount`) is created too, so the workbench can be
//! asked about it.

use kms_core::ids::AccountId;
use kms_core::principal::Principal;
use kms_core::scenario::Scenario;
use kms_core::scenario::format::{ScenarioAccount, Step};
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// Adds to `Setup` what the policies name and the steps do not create.
pub fn complete(scenario: &mut Scenario) {
    let mut created: BTreeSet<(String, String)> = BTreeSet::new();
    let mut named: Vec<String> = Vec::new();
    let owner = scenario.accounts[0].id.clone();
    for step in &scenario.steps {
        let Some(request) = &step.request else {
            continue;
        };
        let parameters = &request["Parameters"];
        match request["Action"].as_str() {
            Some("iam:CreateUser") => {
                created.insert((
                    "user".into(),
                    parameters["UserName"].as_str().unwrap_or("").into(),
                ));
            }
            Some("iam:CreateRole") => {
                created.insert((
                    "role".into(),
                    parameters["RoleName"].as_str().unwrap_or("").into(),
                ));
            }
            _ => {}
        }
        for field in ["Policy", "AssumeRolePolicyDocument"] {
            if let Some(Ok(document)) = parameters[field]
                .as_str()
                .map(serde_json::from_str::<Value>)
            {
                principals_in(&document, &mut named);
            }
        }
        for field in ["GranteePrincipal", "RetiringPrincipal"] {
            if let Some(arn) = parameters[field].as_str() {
                named.push(arn.to_string());
            }
        }
    }
    let mut accounts: Vec<String> = Vec::new();
    let mut made: BTreeSet<(String, String, String)> = BTreeSet::new();
    for principal in named {
        // The core's own reading of a principal (a bare account id means
        // that account's root).
        let (account, made_as) = match AccountId::parse(&principal) {
            Ok(account) => (account, None),
            Err(_) => match Principal::parse(&principal) {
                Ok(Principal::Root(account)) => (account, None),
                Ok(Principal::User(account, name)) => (account, Some(("user", name))),
                Ok(Principal::Role(account, name)) => (account, Some(("role", name))),
                _ => continue,
            },
        };
        let account = account.to_string();
        if account != owner && !accounts.contains(&account) {
            accounts.push(account.clone());
        }
        let Some((kind, name)) = made_as else {
            continue;
        };
        let name = name.to_string();
        if account == owner && created.contains(&(kind.to_string(), name.clone())) {
            continue;
        }
        made.insert((account, kind.to_string(), name));
    }
    for (i, id) in accounts.iter().enumerate() {
        scenario.accounts.push(ScenarioAccount {
            id: id.clone(),
            name: format!("account-{}", i + 2),
        });
    }
    for (account, kind, name) in made {
        let actor = scenario
            .accounts
            .iter()
            .find(|a| a.id == account)
            .map(|a| a.name.clone());
        let narration = format!(
            "The configuration names {kind}/{name} in account {account} but does not create it: the playground creates it so the policy is valid and you can act as it."
        );
        let request = if kind == "user" {
            json!({"Action": "iam:CreateUser", "Parameters": {"UserName": name}})
        } else {
            let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{account}:root")}, "Action": "sts:AssumeRole"}]});
            json!({"Action": "iam:CreateRole", "Parameters": {"RoleName": name, "AssumeRolePolicyDocument": trust.to_string()}})
        };
        scenario.setup.push(Step {
            narration,
            actor: actor.map(kms_core::scenario::Actor::Named),
            request: Some(request),
            ..Step::default()
        });
    }
}

/// Condition keys whose values are account ids: a statement for
/// `Principal: "*"` limited to some accounts names them there.
const ACCOUNT_KEYS: [&str; 3] = [
    "kms:calleraccount",
    "aws:principalaccount",
    "aws:sourceaccount",
];

/// The AWS principals of a policy's `Principal` and `NotPrincipal`, and
/// the accounts its conditions on the caller's account name.
fn principals_in(document: &Value, out: &mut Vec<String>) {
    let statements = match &document["Statement"] {
        Value::Array(items) => items.clone(),
        one @ Value::Object(_) => vec![one.clone()],
        _ => return,
    };
    let mut strings = |value: &Value| match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => {
            out.extend(items.iter().filter_map(|v| v.as_str().map(String::from)))
        }
        _ => {}
    };
    for statement in statements {
        for element in ["Principal", "NotPrincipal"] {
            strings(&statement[element]["AWS"]);
        }
        let Some(operators) = statement["Condition"].as_object() else {
            continue;
        };
        for (key, values) in operators.values().filter_map(Value::as_object).flatten() {
            if ACCOUNT_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key)) {
                strings(values);
            }
        }
    }
}
