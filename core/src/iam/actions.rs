//! IAM's and STS's actions, written once (see `crate::kms::actions` for the
//! row format): from here come their `Request` variants, their handlers and
//! the console's templates. `TRUST` and `POLICY` in an example stand for a
//! trust policy and an identity policy the console fills in.

/// The table; see [`crate::kms::actions`].
macro_rules! iam_table {
    ([$($acc:tt)*] $then:ident $($rest:ident)*) => {
        $then! { [$($acc)* Iam {
            CreateUser("iam:CreateUser", crate::iam::api::CreateUserRequest, false,
                r#"{"UserName": "alice"}"#,
                crate::iam::ops::create_user, []),
            CreateRole("iam:CreateRole", crate::iam::api::CreateRoleRequest, false,
                r#"{"RoleName": "app", "AssumeRolePolicyDocument": "TRUST"}"#,
                crate::iam::ops::create_role, []),
            PutUserPolicy("iam:PutUserPolicy", crate::iam::api::PutIdentityPolicyRequest, false,
                r#"{"UserName": "alice", "PolicyName": "kms-use", "PolicyDocument": "POLICY"}"#,
                crate::iam::ops::put_user_policy, []),
            PutRolePolicy("iam:PutRolePolicy", crate::iam::api::PutIdentityPolicyRequest, false,
                r#"{"RoleName": "app", "PolicyName": "kms-use", "PolicyDocument": "POLICY"}"#,
                crate::iam::ops::put_role_policy, []),
            DeleteUserPolicy("iam:DeleteUserPolicy", crate::iam::api::DeleteIdentityPolicyRequest, false,
                r#"{"UserName": "alice", "PolicyName": "kms-use"}"#,
                crate::iam::ops::delete_user_policy, []),
            DeleteRolePolicy("iam:DeleteRolePolicy", crate::iam::api::DeleteIdentityPolicyRequest, false,
                r#"{"RoleName": "app", "PolicyName": "kms-use"}"#,
                crate::iam::ops::delete_role_policy, []),
            AssumeRole("sts:AssumeRole", crate::iam::api::AssumeRoleRequest, false,
                r#"{"RoleArn": "arn:aws:iam::ACCOUNT:role/app", "RoleSessionName": "demo"}"#,
                crate::iam::ops::assume_role, []),
        }] $($rest)* }
    };
}
pub(crate) use iam_table;
