//! The AWS CLI command that makes a request: engineers work in the CLI, so
//! every request the playground shows as JSON is also shown as
//! `aws kms encrypt --key-id ... --plaintext ...`. Built from the request
//! as sent (`{"Action": "kms:Encrypt", "Parameters": {...}}`): the service
//! and operation become `aws <service> <operation>`, each parameter a
//! `--kebab-case` option, as the CLI names them (botocore's `xform_name`).
//! Blobs stay base64, which is what AWS CLI v2 takes for binary parameters;
//! structures, maps and lists are given as JSON; booleans are `--flag` or
//! `--no-flag`. Every value is quoted for a POSIX shell.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde_json::Value;

/// The CLI's name for an API name: `DBClusterIdentifier` gives
/// `db-cluster-identifier`, `KMSKeyId` gives `kms-key-id`, `resourceArn`
/// gives `resource-arn`.
pub fn kebab(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1);
        let boundary = c.is_ascii_uppercase()
            && match prev {
                None => false,
                // `aB`, `1B`: a word starts.
                Some(p) if p.is_ascii_lowercase() || p.is_ascii_digit() => true,
                // `DBCluster`: the last capital of an acronym starts a word.
                Some(p) if p.is_ascii_uppercase() => next.is_some_and(|n| n.is_ascii_lowercase()),
                Some(_) => false,
            };
        if boundary {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// `value` quoted for a POSIX shell: bare when it is only safe characters,
/// else in single quotes (a quote inside written `'\''`).
pub fn shell_quote(value: &str) -> String {
    let safe = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    if safe {
        return value.into();
    }
    let mut out = String::from("'");
    for c in value.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// The `aws` command for a request as sent, if it names an action
/// (`service:Operation`) and its parameters are an object.
pub fn aws_command(sent: &Value) -> Option<String> {
    let action = sent.get("Action")?.as_str()?;
    let (service, operation) = action.split_once(':')?;
    let mut command = alloc::format!("aws {service} {}", kebab(operation));
    let parameters = match sent.get("Parameters") {
        None | Some(Value::Null) => return Some(command),
        Some(Value::Object(map)) => map,
        Some(_) => return None,
    };
    for (name, value) in parameters {
        let option = kebab(name);
        match value {
            Value::Null => continue,
            Value::Bool(true) => command.push_str(&alloc::format!(" --{option}")),
            Value::Bool(false) => command.push_str(&alloc::format!(" --no-{option}")),
            Value::String(s) => command.push_str(&alloc::format!(" --{option} {}", shell_quote(s))),
            Value::Number(n) => command.push_str(&alloc::format!(" --{option} {n}")),
            other => command.push_str(&alloc::format!(
                " --{option} {}",
                shell_quote(&other.to_string())
            )),
        }
    }
    Some(command)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_are_the_clis() {
        for (api, cli) in [
            ("KeyId", "key-id"),
            ("DBClusterIdentifier", "db-cluster-identifier"),
            ("KMSKeyId", "kms-key-id"),
            (
                "SourceDBClusterSnapshotIdentifier",
                "source-db-cluster-snapshot-identifier",
            ),
            ("resourceArn", "resource-arn"),
            (
                "GenerateDataKeyWithoutPlaintext",
                "generate-data-key-without-plaintext",
            ),
            ("RotateKeyOnDemand", "rotate-key-on-demand"),
            (
                "BypassPolicyLockoutSafetyCheck",
                "bypass-policy-lockout-safety-check",
            ),
            ("sql", "sql"),
        ] {
            assert_eq!(kebab(api), cli, "{api}");
        }
    }

    #[test]
    fn values_are_quoted_for_a_shell() {
        assert_eq!(shell_quote("alias/app-db"), "alias/app-db");
        assert_eq!(shell_quote("aGVsbG8="), "aGVsbG8=");
        assert_eq!(shell_quote("my key"), "'my key'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("$(rm -rf /)"), "'$(rm -rf /)'");
    }

    #[test]
    fn a_request_becomes_its_command() {
        assert_eq!(
            aws_command(&json!({"Action": "kms:Encrypt", "Parameters": {
                "KeyId": "alias/app", "Plaintext": "aGk=", "EncryptionContext": {"purpose": "demo"}
            }}))
            .unwrap(),
            r#"aws kms encrypt --key-id alias/app --plaintext aGk= --encryption-context '{"purpose":"demo"}'"#
        );
        assert_eq!(
            aws_command(&json!({"Action": "ssm:GetParameter", "Parameters": {"Name": "/app/db", "WithDecryption": false}}))
                .unwrap(),
            "aws ssm get-parameter --name /app/db --no-with-decryption"
        );
        assert_eq!(
            aws_command(&json!({"Action": "kms:ListKeys"})).unwrap(),
            "aws kms list-keys"
        );
        assert_eq!(
            aws_command(&json!({"Action": "kms:EnableKeyRotation", "Parameters": {"KeyId": "k", "RotationPeriodInDays": 90}}))
                .unwrap(),
            "aws kms enable-key-rotation --key-id k --rotation-period-in-days 90"
        );
        assert_eq!(aws_command(&json!({"Parameters": {}})), None);
        assert_eq!(aws_command(&json!("kms:Encrypt")), None);
    }
}
