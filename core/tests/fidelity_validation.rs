//! Issue 14, class 6: sizes and ranges with AWS's wording, sensitive values
//! never echoed.
//!
//! Sources: the API references' member constraints (botocore models):
//! KMS `PlaintextType` min 1 max 4096, `CiphertextType` min 1 max 6144,
//! `NumberOfBytesType` 1..1024; SSM `PSParameterValue` max 4096 (standard
//! tier); the RDS Data API `SqlStatement` max 65536. Wording: AWS's generic
//! validation template; for sensitive members AWS omits the value ("1
//! validation error detected: Value at 'plaintext' failed to satisfy
//! constraint: Member must have length less than or equal to 4096", a
//! captured response).

mod common;

use common::*;
use kms_core::prelude::*;
use serde_json::{Value, json};

fn refused(world: &mut World, action: &str, parameters: Value) -> String {
    let request =
        Request::from_json(&json!({"Action": action, "Parameters": parameters}).to_string())
            .unwrap();
    err(world, &root(PROD), request, "ValidationException")
}

#[test]
fn sizes_are_refused_with_aws_wording_and_no_value() {
    let mut world = world();
    let key = create_key(&mut world, &root(PROD));
    let b64 = |n: usize| kms_core::base64_blob::encode(&vec![0x41; n]);
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "kms:Encrypt",
            json!({"KeyId": key.key_id, "Plaintext": b64(4097)}),
            "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096",
        ),
        (
            "kms:Encrypt",
            json!({"KeyId": key.key_id, "Plaintext": ""}),
            "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length greater than or equal to 1",
        ),
        (
            "kms:Decrypt",
            json!({"CiphertextBlob": b64(6145)}),
            "1 validation error detected: Value at 'ciphertextBlob' failed to satisfy constraint: Member must have length less than or equal to 6144",
        ),
        (
            "kms:Decrypt",
            json!({"CiphertextBlob": ""}),
            "1 validation error detected: Value at 'ciphertextBlob' failed to satisfy constraint: Member must have length greater than or equal to 1",
        ),
        (
            "kms:ReEncrypt",
            json!({"CiphertextBlob": b64(6145), "DestinationKeyId": key.key_id}),
            "1 validation error detected: Value at 'ciphertextBlob' failed to satisfy constraint: Member must have length less than or equal to 6144",
        ),
        (
            "ssm:PutParameter",
            json!({"Name": "/p", "Type": "SecureString", "Value": "A".repeat(4097)}),
            "1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length less than or equal to 4096",
        ),
    ];
    for (action, parameters, expected) in cases {
        let message = refused(&mut world, action, parameters);
        assert_eq!(message, expected, "{action}");
        assert!(!message.contains("AAAA"), "{action} echoed the value");
    }
}
