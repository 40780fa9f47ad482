//! The values a Terraform expression evaluates to, and `jsonencode`
//! written the way Terraform writes it.

use serde_json::Value;

/// A Terraform value. Numbers keep the text they were written with.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written.
    Number(String),
    /// A string. References to what only exists once applied (a key's id
    /// or ARN, a grant's id) are `${address.attribute}`, which the scenario
    /// runner replaces when the resource has been created.
    Str(String),
    /// A tuple or list.
    List(Vec<Val>),
    /// An object or map, in the order written.
    Object(Vec<(String, Val)>),
}

impl Val {
    /// How many values it holds, itself included: what copying it costs.
    pub fn nodes(&self) -> usize {
        match self {
            Val::List(items) => 1 + items.iter().map(Val::nodes).sum::<usize>(),
            Val::Object(fields) => 1 + fields.iter().map(|(_, v)| v.nodes()).sum::<usize>(),
            _ => 1,
        }
    }
}

impl Val {
    /// What kind of value it is, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Val::Null => "null",
            Val::Bool(_) => "a bool",
            Val::Number(_) => "a number",
            Val::Str(_) => "a string",
            Val::List(_) => "a list",
            Val::Object(_) => "an object",
        }
    }

    /// The value as the string Terraform converts it to, if it has one.
    pub fn as_string(&self) -> Option<String> {
        match self {
            Val::Str(s) => Some(s.clone()),
            Val::Number(n) => Some(n.clone()),
            Val::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// `jsonencode(value)`: object keys sorted (Terraform's objects and
    /// maps have no order), no spaces, and `<`, `>`, `&`, U+2028 and
    /// U+2029 escaped as `\u003c`-style sequences, as Go's encoder does.
    pub fn jsonencode(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    fn write_json(&self, out: &mut String) {
        match self {
            Val::Null => out.push_str("null"),
            Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Val::Number(n) => out.push_str(n),
            Val::Str(s) => write_json_string(s, out),
            Val::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_json(out);
                }
                out.push(']');
            }
            Val::Object(fields) => {
                let mut sorted: Vec<&(String, Val)> = fields.iter().collect();
                sorted.sort_by(|a, b| a.0.cmp(&b.0));
                out.push('{');
                for (i, (key, value)) in sorted.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_json_string(key, out);
                    out.push(':');
                    value.write_json(out);
                }
                out.push('}');
            }
        }
    }

    /// The value as JSON, for request parameters.
    pub fn to_json(&self) -> Value {
        match self {
            Val::Null => Value::Null,
            Val::Bool(b) => Value::Bool(*b),
            Val::Number(n) => serde_json::from_str(n).unwrap_or_else(|_| Value::String(n.clone())),
            Val::Str(s) => Value::String(s.clone()),
            Val::List(items) => Value::Array(items.iter().map(Val::to_json).collect()),
            Val::Object(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

fn write_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonencode_sorts_keys_and_escapes_like_terraform() {
        let v = Val::Object(vec![
            ("b".into(), Val::Str("<a & b>".into())),
            (
                "a".into(),
                Val::List(vec![Val::Number("1".into()), Val::Bool(true), Val::Null]),
            ),
            (
                "c".into(),
                Val::Str("line\nnext\u{2028}\"q\"\\\u{1}".into()),
            ),
        ]);
        assert_eq!(
            v.jsonencode(),
            r#"{"a":[1,true,null],"b":"\u003ca \u0026 b\u003e","c":"line\nnext\u2028\"q\"\\\u0001"}"#
        );
    }
}
