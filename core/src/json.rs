//! Typed shapes to JSON values, with the secrets in them shown or hidden.
//!
//! Secret types serialize as a newtype struct named [`SECRET`] (bytes:
//! plaintexts, data keys) or [`MASKED`] (text: SecureString values, SQL and
//! rows). Every serializer but this module's redacting one ignores the
//! name, so an API response or an exported log carries the value as AWS
//! would. [`to_redacted_value`] leaves a [`SECRET`] struct field out
//! entirely (CloudTrail omits `Plaintext`) and writes [`HIDDEN`] for a
//! [`MASKED`] one (CloudTrail's `"value": "HIDDEN_DUE_TO_SECURITY_REASONS"`
//! for PutParameter), and wherever a secret stands inside a list or map.
//! Secrets are found by their type, wherever a field of that type is,
//! whatever its name.
//!
//! [`to_value`] is the same serializer showing everything: the playground
//! uses it instead of `serde_json::to_value` so that the wasm holds one
//! serializer per shape, not two.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde::Serialize;
use serde::ser::{self, Impossible};
use serde_json::{Error, Map, Number, Value};

/// The newtype name of a secret that the audit trail leaves out.
pub const SECRET: &str = "$kms_playground::Secret";
/// The newtype name of a secret that the audit trail shows as [`HIDDEN`].
pub const MASKED: &str = "$kms_playground::Masked";
/// What stands for a secret inside a list or a map once redacted.
pub const HIDDEN: &str = "HIDDEN_DUE_TO_SECURITY_REASONS";

/// `value` as JSON, secrets included (what the API returns).
pub fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, Error> {
    value
        .serialize(Ser {
            redact: false,
            cloudtrail: false,
        })
        .map(|v| v.unwrap_or(Value::Null))
}

/// `value` as JSON with every secret left out.
pub fn to_redacted_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, Error> {
    value
        .serialize(Ser {
            redact: true,
            cloudtrail: false,
        })
        .map(|v| v.unwrap_or_else(|| Value::String(HIDDEN.into())))
}

/// `value` as CloudTrail writes request parameters and response elements:
/// secrets left out (or masked), field names in camelCase (`KeyId` becomes
/// `keyId`, `AWSAccountId` becomes `aWSAccountId`, sic), ciphertext blobs
/// left out (not secret, only bulky). Keys of maps (an encryption context,
/// a grant constraint) are user data and keep their spelling.
pub fn to_cloudtrail_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, Error> {
    value
        .serialize(Ser {
            redact: true,
            cloudtrail: true,
        })
        .map(|v| v.unwrap_or_else(|| Value::String(HIDDEN.into())))
}

/// `None` is a secret that was left out.
type Slot = Option<Value>;

#[derive(Clone, Copy)]
struct Ser {
    redact: bool,
    cloudtrail: bool,
}

fn shown(slot: Slot) -> Value {
    slot.unwrap_or_else(|| Value::String(HIDDEN.into()))
}

fn tagged(variant: &str, value: Value) -> Slot {
    let mut map = Map::new();
    map.insert(variant.into(), value);
    Some(Value::Object(map))
}

impl ser::Serializer for Ser {
    type Ok = Slot;
    type Error = Error;
    type SerializeSeq = Seq;
    type SerializeTuple = Seq;
    type SerializeTupleStruct = Seq;
    type SerializeTupleVariant = Seq;
    type SerializeMap = Object;
    type SerializeStruct = Object;
    type SerializeStructVariant = Object;

    fn serialize_bool(self, v: bool) -> Result<Slot, Error> {
        Ok(Some(Value::Bool(v)))
    }
    fn serialize_i8(self, v: i8) -> Result<Slot, Error> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<Slot, Error> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<Slot, Error> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<Slot, Error> {
        Ok(Some(Value::Number(v.into())))
    }
    fn serialize_u8(self, v: u8) -> Result<Slot, Error> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<Slot, Error> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<Slot, Error> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<Slot, Error> {
        Ok(Some(Value::Number(v.into())))
    }
    fn serialize_f32(self, v: f32) -> Result<Slot, Error> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<Slot, Error> {
        Ok(Some(Number::from_f64(v).map_or(Value::Null, Value::Number)))
    }
    fn serialize_char(self, v: char) -> Result<Slot, Error> {
        Ok(Some(Value::String(v.to_string())))
    }
    fn serialize_str(self, v: &str) -> Result<Slot, Error> {
        Ok(Some(Value::String(v.into())))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Slot, Error> {
        Ok(Some(Value::Array(
            v.iter().map(|b| Value::Number((*b).into())).collect(),
        )))
    }
    fn serialize_none(self) -> Result<Slot, Error> {
        Ok(Some(Value::Null))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Slot, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Slot, Error> {
        Ok(Some(Value::Null))
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Slot, Error> {
        Ok(Some(Value::Null))
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Slot, Error> {
        Ok(Some(Value::String(variant.into())))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<Slot, Error> {
        match name {
            SECRET if self.redact => Ok(None),
            MASKED if self.redact => Ok(Some(Value::String(HIDDEN.into()))),
            _ => value.serialize(self),
        }
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Slot, Error> {
        Ok(tagged(variant, shown(value.serialize(self)?)))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq, Error> {
        Ok(Seq {
            ser: self,
            items: Vec::with_capacity(len.unwrap_or(0)),
            variant: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Seq, Error> {
        let mut seq = self.serialize_seq(Some(len))?;
        seq.variant = Some(variant);
        Ok(seq)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Object, Error> {
        Ok(Object {
            ser: self,
            map: Map::new(),
            key: None,
            variant: None,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Object, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Object, Error> {
        let mut object = self.serialize_map(Some(len))?;
        object.variant = Some(variant);
        Ok(object)
    }
}

struct Seq {
    ser: Ser,
    items: Vec<Value>,
    variant: Option<&'static str>,
}

impl Seq {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.items.push(shown(value.serialize(self.ser)?));
        Ok(())
    }

    fn done(self) -> Result<Slot, Error> {
        let array = Value::Array(self.items);
        Ok(match self.variant {
            Some(variant) => tagged(variant, array),
            None => Some(array),
        })
    }
}

impl ser::SerializeSeq for Seq {
    type Ok = Slot;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }
    fn end(self) -> Result<Slot, Error> {
        self.done()
    }
}

impl ser::SerializeTuple for Seq {
    type Ok = Slot;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }
    fn end(self) -> Result<Slot, Error> {
        self.done()
    }
}

impl ser::SerializeTupleStruct for Seq {
    type Ok = Slot;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }
    fn end(self) -> Result<Slot, Error> {
        self.done()
    }
}

impl ser::SerializeTupleVariant for Seq {
    type Ok = Slot;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }
    fn end(self) -> Result<Slot, Error> {
        self.done()
    }
}

struct Object {
    ser: Ser,
    map: Map<String, Value>,
    key: Option<String>,
    variant: Option<&'static str>,
}

impl Object {
    /// A struct field: a secret one is left out.
    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        if self.ser.cloudtrail && key == "CiphertextBlob" {
            return Ok(());
        }
        if let Some(value) = value.serialize(self.ser)? {
            let key = if self.ser.cloudtrail {
                let mut chars = key.chars();
                chars
                    .next()
                    .map(|c| c.to_ascii_lowercase())
                    .into_iter()
                    .chain(chars)
                    .collect()
            } else {
                String::from(key)
            };
            self.map.insert(key, value);
        }
        Ok(())
    }

    fn done(self) -> Result<Slot, Error> {
        let object = Value::Object(self.map);
        Ok(match self.variant {
            Some(variant) => tagged(variant, object),
            None => Some(object),
        })
    }
}

impl ser::SerializeMap for Object {
    type Ok = Slot;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key = Some(key.serialize(KeySer)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| <Error as ser::Error>::custom("a map value without its key"))?;
        self.map.insert(key, shown(value.serialize(self.ser)?));
        Ok(())
    }
    fn end(self) -> Result<Slot, Error> {
        self.done()
    }
}

impl ser::SerializeStruct for Object {
    type Ok = Slot;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }
    fn end(self) -> Result<Slot, Error> {
        self.done()
    }
}

impl ser::SerializeStructVariant for Object {
    type Ok = Slot;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }
    fn end(self) -> Result<Slot, Error> {
        self.done()
    }
}

/// Map keys: JSON object keys are strings (numbers are written as text).
struct KeySer;

fn key_error() -> Error {
    <Error as ser::Error>::custom("a map key must be a string")
}

impl ser::Serializer for KeySer {
    type Ok = String;
    type Error = Error;
    type SerializeSeq = Impossible<String, Error>;
    type SerializeTuple = Impossible<String, Error>;
    type SerializeTupleStruct = Impossible<String, Error>;
    type SerializeTupleVariant = Impossible<String, Error>;
    type SerializeMap = Impossible<String, Error>;
    type SerializeStruct = Impossible<String, Error>;
    type SerializeStructVariant = Impossible<String, Error>;

    fn serialize_str(self, v: &str) -> Result<String, Error> {
        Ok(v.into())
    }
    fn serialize_char(self, v: char) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<String, Error> {
        Ok(variant.into())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<String, Error> {
        value.serialize(self)
    }
    fn serialize_bool(self, v: bool) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_i8(self, v: i8) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_i16(self, v: i16) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_i32(self, v: i32) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_i64(self, v: i64) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_u16(self, v: u16) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_u32(self, v: u32) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_u64(self, v: u64) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_f32(self, _: f32) -> Result<String, Error> {
        Err(key_error())
    }
    fn serialize_f64(self, _: f64) -> Result<String, Error> {
        Err(key_error())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<String, Error> {
        Err(key_error())
    }
    fn serialize_none(self) -> Result<String, Error> {
        Err(key_error())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<String, Error> {
        Err(key_error())
    }
    fn serialize_unit(self) -> Result<String, Error> {
        Err(key_error())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<String, Error> {
        Err(key_error())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, Error> {
        Err(key_error())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_error())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_error())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_error())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_error())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_error())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(key_error())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::{SecretBytes, SecretString};
    use alloc::collections::BTreeMap;
    use serde_json::json;

    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Shape {
        key_id: &'static str,
        plaintext: SecretBytes,
        value: Option<SecretString>,
        rows: Vec<SecretString>,
        context: BTreeMap<&'static str, SecretString>,
        kind: Kind,
    }

    #[derive(Serialize)]
    enum Kind {
        Tuple(u8, SecretString),
        Unit,
    }

    fn shape() -> Shape {
        Shape {
            key_id: "k",
            plaintext: SecretBytes::new(b"hunter2".to_vec()),
            value: Some(SecretString::from("s3cret")),
            rows: alloc::vec![SecretString::from("Alice")],
            context: [("a", SecretString::from("b"))].into(),
            kind: Kind::Tuple(1, SecretString::from("x")),
        }
    }

    #[test]
    fn reveal_matches_serde_json() {
        let shape = shape();
        assert_eq!(
            to_value(&shape).unwrap(),
            serde_json::to_value(&shape).unwrap()
        );
        assert_eq!(to_value(&Kind::Unit).unwrap(), json!("Unit"));
        assert_eq!(to_value(&1.5f64).unwrap(), json!(1.5));
        assert_eq!(to_value(&f64::NAN).unwrap(), Value::Null);
    }

    #[test]
    fn redaction_leaves_secret_fields_out_and_hides_the_rest() {
        assert_eq!(
            to_redacted_value(&shape()).unwrap(),
            json!({
                "KeyId": "k",
                "Value": HIDDEN,
                "Rows": [HIDDEN],
                "Context": {"a": HIDDEN},
                "Kind": {"Tuple": [1, HIDDEN]}
            })
        );
        assert_eq!(
            to_redacted_value(&SecretString::from("x")).unwrap(),
            json!(HIDDEN)
        );
        assert_eq!(
            to_redacted_value(&SecretBytes::new(alloc::vec![1])).unwrap(),
            json!(HIDDEN)
        );
    }

    #[test]
    fn cloudtrail_camel_cases_fields_drops_blobs_and_keeps_map_keys() {
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Request {
            key_id: &'static str,
            ciphertext_blob: &'static str,
            encryption_context: BTreeMap<&'static str, &'static str>,
            key_metadata: Metadata,
            plaintext: SecretBytes,
        }
        #[derive(Serialize)]
        struct Metadata {
            #[serde(rename = "AWSAccountId")]
            account: &'static str,
        }
        let value = to_cloudtrail_value(&Request {
            key_id: "alias/app",
            ciphertext_blob: "AQICAHg=",
            encryption_context: [("Tenant", "acme")].into(),
            key_metadata: Metadata {
                account: "111122223333",
            },
            plaintext: SecretBytes::new(b"x".to_vec()),
        })
        .unwrap();
        assert_eq!(
            value,
            json!({
                "keyId": "alias/app",
                "encryptionContext": {"Tenant": "acme"},
                "keyMetadata": {"aWSAccountId": "111122223333"}
            })
        );
    }

    #[test]
    fn map_keys_must_be_text() {
        let numbers: BTreeMap<u8, u8> = [(1, 2)].into();
        assert_eq!(to_value(&numbers).unwrap(), json!({"1": 2}));
        let bad: BTreeMap<Vec<u8>, u8> = [(alloc::vec![1], 2)].into();
        assert!(to_value(&bad).is_err());
    }
}
