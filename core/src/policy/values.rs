//! The building blocks of the policy grammar shared by statements and
//! conditions: a string-or-list element, the statement label used in every
//! error, and the error itself.

use super::context::RequestContext;
use super::glob::Shape;
use crate::error::KmsError;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use serde_json::Value;

/// A string element that may be written as one value or a list; kept as
/// written so the document serializes back the way the author wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Values {
    /// The values.
    pub items: Vec<String>,
    /// Whether the author wrote a list (`["a"]`) rather than a string (`"a"`).
    pub was_list: bool,
    /// Each value's wildcard shape (for the elements matched with wildcards).
    pub shapes: Vec<Shape>,
}

impl Values {
    /// Whether `text` matches any value, as a wildcard pattern.
    pub fn any_matches(&self, text: &str, ignore_case: bool) -> bool {
        self.items
            .iter()
            .zip(&self.shapes)
            .any(|(p, shape)| shape.matches(p, text, ignore_case))
    }

    /// Like [`Values::any_matches`], with the policy variables of a value
    /// replaced from the request's `context` first.
    pub fn any_matches_in(&self, text: &str, ignore_case: bool, context: &RequestContext) -> bool {
        self.items
            .iter()
            .zip(&self.shapes)
            .any(|(p, shape)| match shape {
                Shape::Template => super::variables::resolve(p, context)
                    .is_some_and(|r| Shape::of(&r).matches(&r, text, ignore_case)),
                _ => shape.matches(p, text, ignore_case),
            })
    }

    /// Marks the values that hold a policy variable (in a `2012-10-17`
    /// policy, where variables are read).
    pub(crate) fn mark_variables(&mut self) {
        for (item, shape) in self.items.iter().zip(self.shapes.iter_mut()) {
            if item.contains("${") {
                *shape = Shape::Template;
            }
        }
    }
}

impl Values {
    pub(crate) fn to_json(&self) -> Value {
        if self.was_list || self.items.len() != 1 {
            Value::Array(self.items.iter().cloned().map(Value::String).collect())
        } else {
            Value::String(self.items[0].clone())
        }
    }
}

pub(crate) fn malformed_policy(message: String) -> KmsError {
    KmsError::MalformedPolicyDocumentException(message)
}

/// A label for error messages: `Statement 2 (Sid "Allow use")`.
pub fn statement_label(index: usize, sid: Option<&str>) -> String {
    match sid {
        Some(sid) => format!("Statement {} (Sid \"{sid}\")", index + 1),
        None => format!("Statement {}", index + 1),
    }
}

pub(crate) fn parse_values(label: &str, element: &str, value: &Value) -> Result<Values, KmsError> {
    let one = |v: &Value| match v {
        Value::String(s) if !s.is_empty() => Ok(s.clone()),
        _ => Err(malformed_policy(format!(
            "{label}: {element} must be a non-empty string or a list of them"
        ))),
    };
    match value {
        Value::Array(items) if !items.is_empty() => {
            let items: Vec<String> = items.iter().map(one).collect::<Result<_, _>>()?;
            Ok(Values {
                shapes: items.iter().map(|i| Shape::of(i)).collect(),
                items,
                was_list: true,
            })
        }
        Value::Array(_) => Err(malformed_policy(format!(
            "{label}: {element} must not be empty"
        ))),
        other => {
            let item = one(other)?;
            Ok(Values {
                shapes: vec![Shape::of(&item)],
                items: vec![item],
                was_list: false,
            })
        }
    }
}
