//! Parameter Store's actions, written once (see `crate::kms::actions` for
//! the row format).

/// The table; see [`crate::kms::actions`].
macro_rules! ssm_table {
    ([$($acc:tt)*] $then:ident $($rest:ident)*) => {
        $then! { [$($acc)* Ssm {
            PutParameter("ssm:PutParameter", crate::services::ssm::api::PutParameterRequest, false,
                r#"{"Name": "/app/db-password", "Value": "correct horse", "Type": "SecureString", "KeyId": "KEY"}"#,
                crate::services::ssm::ops::put_parameter, []),
            GetParameter("ssm:GetParameter", crate::services::ssm::api::GetParameterRequest, true,
                r#"{"Name": "/app/db-password", "WithDecryption": true}"#,
                crate::services::ssm::ops::get_parameter, []),
            GetParameters("ssm:GetParameters", crate::services::ssm::api::GetParametersRequest, true,
                r#"{"Names": ["/app/db-password"], "WithDecryption": true}"#,
                crate::services::ssm::ops::get_parameters, []),
            DeleteParameter("ssm:DeleteParameter", crate::services::ssm::api::DeleteParameterRequest, false,
                r#"{"Name": "/app/db-password"}"#,
                crate::services::ssm::ops::delete_parameter, []),
        }] $($rest)* }
    };
}
pub(crate) use ssm_table;
