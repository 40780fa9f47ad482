//! Property tests of the evaluation rules and the policy parser.

mod common;

use common::*;
use kms_core::ids::AccountId;
use kms_core::policy::{
    Considered, DecidingRule, PolicyDocument, PolicyKind, PolicyRole, Purpose, Question,
    RequestContext, StoredPolicy, authorize,
};
use kms_core::prelude::*;
use proptest::prelude::*;
use serde_json::{Value, json};
use std::sync::Arc;

const ACTIONS: &[&str] = &[
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:DescribeKey",
    "kms:GenerateDataKey",
];

fn principal_strategy() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!("*")),
        Just(json!({"AWS": PROD})),
        Just(json!({"AWS": format!("arn:aws:iam::{PROD}:root")})),
        Just(json!({"AWS": format!("arn:aws:iam::{PROD}:role/App")})),
        Just(json!({"AWS": format!("arn:aws:iam::{PROD}:user/bob")})),
        Just(json!({"AWS": STAGING})),
    ]
}

fn action_strategy() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!("kms:*")),
        Just(json!("kms:Decrypt")),
        Just(json!("kms:Encrypt")),
        Just(json!(["kms:De*", "kms:GenerateDataKey*"])),
        Just(json!("kms:Describe*")),
    ]
}

fn condition_strategy() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        Just(None),
        Just(Some(json!({"StringEquals": {"kms:CallerAccount": PROD}}))),
        Just(Some(
            json!({"StringEquals": {"kms:ViaService": format!("rds.{REGION}.amazonaws.com")}})
        )),
        Just(Some(
            json!({"StringNotEquals": {"aws:PrincipalArn": format!("arn:aws:iam::{PROD}:role/App")}})
        )),
        Just(Some(json!({"Null": {"kms:EncryptionContextKeys": "true"}}))),
        Just(Some(
            json!({"ForAllValues:StringEquals": {"kms:EncryptionContextKeys": ["tenant"]}})
        )),
        Just(Some(
            json!({"StringEqualsIfExists": {"kms:EncryptionContext:tenant": "acme"}})
        )),
    ]
}

fn statement_strategy(with_principal: bool) -> impl Strategy<Value = Value> {
    (any::<bool>(), principal_strategy(), action_strategy(), condition_strategy()).prop_map(move |(allow, principal, action, condition)| {
        let mut s = json!({"Effect": if allow { "Allow" } else { "Deny" }, "Action": action, "Resource": "*"});
        if with_principal {
            s["Principal"] = principal;
        }
        if let Some(c) = condition {
            s["Condition"] = c;
        }
        s
    })
}

fn caller_strategy() -> impl Strategy<Value = Caller> {
    (0..3usize, any::<bool>()).prop_map(|(who, via_rds)| {
        let caller = match who {
            0 => root(PROD),
            1 => role(PROD, "App"),
            _ => role(STAGING, "Ops"),
        };
        if via_rds {
            caller.via(AwsService::Rds)
        } else {
            caller
        }
    })
}

fn context_strategy() -> impl Strategy<Value = EncryptionContext> {
    prop_oneof![
        Just(ctx(&[])),
        Just(ctx(&[("tenant", "acme")])),
        Just(ctx(&[("tenant", "other"), ("x", "y")]))
    ]
}

/// A scenario: a key policy, the caller's identity policy, the caller, the action, the context.
#[derive(Debug, Clone)]
struct Case {
    key_policy: Vec<Value>,
    identity_policy: Vec<Value>,
    caller: Caller,
    action: &'static str,
    context: EncryptionContext,
}

fn case_strategy() -> impl Strategy<Value = Case> {
    (
        proptest::collection::vec(statement_strategy(true), 1..6),
        proptest::collection::vec(statement_strategy(false), 0..4),
        caller_strategy(),
        proptest::sample::select(ACTIONS),
        context_strategy(),
    )
        .prop_map(
            |(key_policy, identity_policy, caller, action, context)| Case {
                key_policy,
                identity_policy,
                caller,
                action,
                context,
            },
        )
}

fn stored(statements: &[Value], kind: PolicyKind) -> StoredPolicy {
    StoredPolicy::parse(
        "policy",
        &json!({"Version": "2012-10-17", "Statement": statements}).to_string(),
        kind,
    )
    .unwrap()
}

fn decide(case: &Case) -> (bool, DecidingRule) {
    let key_account = AccountId::parse(PROD).unwrap();
    let key_arn = format!("arn:aws:kms:{REGION}:{PROD}:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    let key_policy = stored(&case.key_policy, PolicyKind::Key);
    let identity = (!case.identity_policy.is_empty()
        && !matches!(case.caller.principal, Principal::Root(_)))
    .then(|| stored(&case.identity_policy, PolicyKind::Identity));
    let mut context = RequestContext::default();
    if let Some(account) = case.caller.principal.account() {
        context.set("kms:CallerAccount", account.as_arc());
    }
    context.set("aws:PrincipalArn", case.caller.principal.arn());
    if case.caller.via_service.is_some() {
        context.set("kms:ViaService", format!("rds.{REGION}.amazonaws.com"));
    }
    context.set_encryption_context(&case.context);
    let owner: Arc<str> = case.caller.principal.arn().into();
    let decision = authorize(Question {
        principal: case.caller.principal.clone(),
        principal_arn: case.caller.principal.arn().into(),
        action: case.action,
        resource: key_arn.into(),
        resource_account: key_account,
        context,
        resource_policy: Some(Considered {
            role: PolicyRole::KeyPolicy,
            policy: Arc::new(key_policy),
        }),
        identity_policies: identity
            .into_iter()
            .map(|p| Considered {
                role: PolicyRole::Identity(owner.clone()),
                policy: Arc::new(p),
            })
            .collect(),
        grants: Vec::new(),
        other_grants: 0,
        cross_account_allowed: kms_core::kms::actions::is_cross_account(case.action),
        purpose: Purpose::Request,
    });
    (decision.allowed, decision.rule)
}

fn matching_deny(action: &str, with_principal: bool) -> Value {
    let mut s = json!({"Sid": "Added", "Effect": "Deny", "Action": action, "Resource": "*"});
    if with_principal {
        s["Principal"] = json!("*");
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn a_matching_explicit_deny_anywhere_always_denies(case in case_strategy(), position in any::<prop::sample::Index>(), in_key_policy in any::<bool>()) {
        let mut case = case;
        let identity_capable = !matches!(case.caller.principal, Principal::Root(_)) && !case.identity_policy.is_empty();
        if in_key_policy || !identity_capable {
            let at = position.index(case.key_policy.len() + 1);
            case.key_policy.insert(at, matching_deny(case.action, true));
        } else {
            let at = position.index(case.identity_policy.len() + 1);
            case.identity_policy.insert(at, matching_deny(case.action, false));
        }
        prop_assert_eq!(decide(&case), (false, DecidingRule::ExplicitDeny));
    }

    #[test]
    fn adding_allows_never_overturns_an_explicit_deny(case in case_strategy(), extra in proptest::collection::vec(statement_strategy(true), 1..4)) {
        prop_assume!(decide(&case).1 == DecidingRule::ExplicitDeny);
        let mut case = case;
        for mut s in extra {
            s["Effect"] = json!("Allow");
            case.key_policy.push(s);
        }
        prop_assert_eq!(decide(&case), (false, DecidingRule::ExplicitDeny));
    }

    #[test]
    fn without_any_allow_nothing_is_allowed(case in case_strategy()) {
        let mut case = case;
        let deny_only = |v: &Value| v["Effect"] == "Deny";
        case.key_policy.retain(deny_only);
        case.identity_policy.retain(deny_only);
        if case.key_policy.is_empty() {
            // A key policy needs a statement; one that applies to nobody.
            case.key_policy.push(json!({"Effect": "Deny", "Principal": {"AWS": "999999999999"}, "Action": "kms:*", "Resource": "*"}));
        }
        let (allowed, rule) = decide(&case);
        prop_assert!(!allowed);
        prop_assert!(matches!(rule, DecidingRule::ExplicitDeny | DecidingRule::ImplicitDeny));
    }

    #[test]
    fn statement_order_does_not_matter(case in case_strategy(), seed in any::<u64>()) {
        let mut shuffled = case.clone();
        // A deterministic shuffle from the seed.
        let n = shuffled.key_policy.len();
        for i in (1..n).rev() {
            let j = (seed.wrapping_mul(6364136223846793005).wrapping_add(i as u64) % (i as u64 + 1)) as usize;
            shuffled.key_policy.swap(i, j);
        }
        shuffled.identity_policy.reverse();
        prop_assert_eq!(decide(&case), decide(&shuffled));
    }

    #[test]
    fn the_parser_never_panics_on_any_json(value in json_strategy()) {
        for kind in [PolicyKind::Key, PolicyKind::Identity, PolicyKind::Trust] {
            if let Ok(doc) = PolicyDocument::parse(&value.to_string(), kind) {
                // Whatever parses serializes back to something that parses the same.
                let again = PolicyDocument::parse(&doc.to_json().to_string(), kind);
                prop_assert_eq!(again.ok(), Some(doc));
            }
        }
    }

    #[test]
    fn policy_shaped_json_never_panics(statements in proptest::collection::vec(policy_shaped_statement(), 1..4)) {
        let text = json!({"Version": "2012-10-17", "Statement": statements}).to_string();
        let mut world = world();
        let result = world.call(root(PROD), Request::CreateKey(CreateKeyRequest { policy: Some(text), ..Default::default() })).result;
        if let Err(e) = result {
            prop_assert!(matches!(e.name(), "MalformedPolicyDocumentException"), "{e}");
        }
    }
}

fn json_strategy() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| json!(n)),
        prop_oneof![
            Just("*".to_string()),
            Just("Allow".to_string()),
            Just("kms:*".to_string()),
            Just("2012-10-17".to_string()),
            ".{0,8}",
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("Version".to_string()),
                    Just("Statement".to_string()),
                    Just("Effect".to_string()),
                    Just("Principal".to_string()),
                    Just("Action".to_string()),
                    Just("Resource".to_string()),
                    Just("Condition".to_string()),
                    Just("AWS".to_string()),
                    Just("StringEquals".to_string()),
                    Just("kms:CallerAccount".to_string()),
                    "[A-Za-z:]{1,10}",
                ],
                inner,
                0..5,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn policy_shaped_statement() -> impl Strategy<Value = Value> {
    (
        prop_oneof![Just(json!("Allow")), Just(json!("Deny")), Just(json!("Maybe")), Just(json!(3))],
        prop_oneof![Just(json!("*")), Just(json!({"AWS": PROD})), Just(json!({"AWS": []})), Just(json!({"Federated": "x"})), Just(json!(7))],
        prop_oneof![Just(json!("kms:*")), Just(json!([])), Just(json!(["kms:Decrypt", 5])), Just(json!("Decrypt"))],
        prop_oneof![
            Just(json!(null)),
            Just(json!({"StringEquals": {"kms:CallerAccount": [PROD, true, 12]}})),
            Just(json!({"NumericLessThan": {"kms:CallerAccount": "x"}})),
            Just(json!({"ForAllValues:Null": {"kms:ViaService": "true"}})),
            Just(json!({"DateGreaterThan": {"aws:CurrentTime": "2026-01-01T00:00:00Z"}})),
            Just(json!([1, 2])),
        ],
    )
        .prop_map(|(effect, principal, action, condition)| {
            let mut s = json!({"Effect": effect, "Principal": principal, "Action": action, "Resource": "*"});
            if !condition.is_null() {
                s["Condition"] = condition;
            }
            s
        })
}
