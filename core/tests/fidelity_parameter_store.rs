//! Issue 14, class 8 (Parameter Store): PutParameter without Type.
//!
//! Source: SSM API reference, PutParameterRequest.Type: "Specifying a
//! parameter type isn't required when updating a parameter. You must specify
//! a parameter type when creating a parameter." Error text on create: moto's
//! and other emulators' "A parameter type is required when you create a
//! parameter." (ValidationException). An overwrite without Type keeps the
//! type and the key (moto keeps both; AWS documents the type).

mod common;

use common::*;
use kms_core::prelude::*;
use serde_json::{Value, json};

fn put(world: &mut World, parameters: Value) -> Result<Value, KmsError> {
    let request = Request::from_json(
        &json!({"Action": "ssm:PutParameter", "Parameters": parameters}).to_string(),
    )
    .unwrap();
    world
        .call(root(PROD), request)
        .result
        .map(|r| kms_core::json::to_value(&r).unwrap())
}

fn get(world: &mut World, decrypt: bool) -> Value {
    let request = Request::from_json(
        &json!({"Action": "ssm:GetParameter", "Parameters": {"Name": "/app/pw", "WithDecryption": decrypt}})
            .to_string(),
    )
    .unwrap();
    kms_core::json::to_value(&ok(world, &root(PROD), request)).unwrap()
}

#[test]
fn creating_needs_a_type_and_overwriting_keeps_it() {
    let mut world = world();
    let error = put(&mut world, json!({"Name": "/app/pw", "Value": "first"})).unwrap_err();
    assert_eq!(error.name(), "ValidationException");
    assert_eq!(
        error.message(),
        "A parameter type is required when you create a parameter."
    );

    let key = create_key(&mut world, &root(PROD));
    put(
        &mut world,
        json!({"Name": "/app/pw", "Value": "first", "Type": "SecureString", "KeyId": key.key_id}),
    )
    .unwrap();
    put(
        &mut world,
        json!({"Name": "/app/pw", "Value": "second", "Overwrite": true}),
    )
    .unwrap();

    let hidden = get(&mut world, false);
    assert_eq!(hidden["Parameter"]["Type"], "SecureString", "{hidden}");
    assert_ne!(
        hidden["Parameter"]["Value"], "second",
        "without decryption the value stays ciphertext: {hidden}"
    );
    let shown = get(&mut world, true);
    assert_eq!(shown["Parameter"]["Value"], "second");
    let stored = world
        .state()
        .ssm
        .parameters
        .values()
        .next()
        .unwrap()
        .key_arn
        .clone();
    assert_eq!(
        stored.as_deref(),
        Some(key.arn.as_str()),
        "the customer key is kept"
    );
}
