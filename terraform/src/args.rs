//! A block's arguments read as the types a resource expects (a string, a
//! bool, a whole number in a range, a list or map of strings), and the
//! refusal of arguments and blocks the translation does not know.

use crate::TerraformError;
use crate::eval::{Config, Scope};
use crate::value::Val;
use hcl_edit::Span;
use hcl_edit::structure::Block;

impl Config<'_> {
    /// Evaluates an attribute of a block, if present.
    pub fn attr(
        &self,
        block: &Block,
        name: &str,
        scope: &mut Scope,
    ) -> Result<Option<Val>, TerraformError> {
        match block.body.get_attribute(name) {
            Some(attribute) => self.eval(&attribute.value, scope).map(Some),
            None => Ok(None),
        }
    }

    /// An attribute that must be a string.
    pub fn string(
        &self,
        block: &Block,
        name: &str,
        scope: &mut Scope,
    ) -> Result<Option<String>, TerraformError> {
        let Some(attribute) = block.body.get_attribute(name) else {
            return Ok(None);
        };
        let value = self.eval(&attribute.value, scope)?;
        match value {
            Val::Null => Ok(None),
            other => other.as_string().map(Some).ok_or_else(|| {
                self.error(
                    attribute.value.span(),
                    format!("`{name}` must be a string, not {}", other.kind()),
                )
            }),
        }
    }

    /// An attribute that must be a bool (or the strings `true`/`false`).
    pub fn bool(
        &self,
        block: &Block,
        name: &str,
        scope: &mut Scope,
    ) -> Result<Option<bool>, TerraformError> {
        let Some(attribute) = block.body.get_attribute(name) else {
            return Ok(None);
        };
        match self.eval(&attribute.value, scope)? {
            Val::Null => Ok(None),
            Val::Bool(b) => Ok(Some(b)),
            Val::Str(s) if s == "true" || s == "false" => Ok(Some(s == "true")),
            other => Err(self.error(
                attribute.value.span(),
                format!("`{name}` must be true or false, not {}", other.kind()),
            )),
        }
    }

    /// An attribute that must be a whole number in `range`.
    pub fn number(
        &self,
        block: &Block,
        name: &str,
        range: core::ops::RangeInclusive<u64>,
        scope: &mut Scope,
    ) -> Result<Option<u64>, TerraformError> {
        let Some(attribute) = block.body.get_attribute(name) else {
            return Ok(None);
        };
        let value = self.eval(&attribute.value, scope)?;
        if value == Val::Null {
            return Ok(None);
        }
        value
            .as_string()
            .and_then(|s| s.parse::<u64>().ok())
            .filter(|n| range.contains(n))
            .map(Some)
            .ok_or_else(|| {
                self.error(
                    attribute.value.span(),
                    format!(
                        "`{name}` must be a whole number from {} to {}",
                        range.start(),
                        range.end()
                    ),
                )
            })
    }

    /// An attribute that must be a list of strings.
    pub fn strings(
        &self,
        block: &Block,
        name: &str,
        scope: &mut Scope,
    ) -> Result<Option<Vec<String>>, TerraformError> {
        let Some(attribute) = block.body.get_attribute(name) else {
            return Ok(None);
        };
        let fail = || {
            self.error(
                attribute.value.span(),
                format!("`{name}` must be a list of strings"),
            )
        };
        match self.eval(&attribute.value, scope)? {
            Val::Null => Ok(None),
            Val::List(items) => items
                .iter()
                .map(|v| v.as_string().ok_or_else(fail))
                .collect::<Result<_, _>>()
                .map(Some),
            _ => Err(fail()),
        }
    }

    /// An attribute that must be a map of strings.
    pub fn string_map(
        &self,
        block: &Block,
        name: &str,
        scope: &mut Scope,
    ) -> Result<Option<Vec<(String, String)>>, TerraformError> {
        let Some(attribute) = block.body.get_attribute(name) else {
            return Ok(None);
        };
        let fail = || {
            self.error(
                attribute.value.span(),
                format!("`{name}` must be a map of strings"),
            )
        };
        match self.eval(&attribute.value, scope)? {
            Val::Null => Ok(None),
            Val::Object(fields) => fields
                .into_iter()
                .map(|(k, v)| v.as_string().map(|v| (k, v)).ok_or_else(fail))
                .collect::<Result<_, _>>()
                .map(Some),
            _ => Err(fail()),
        }
    }

    /// Refuses arguments and blocks the translation does not know.
    pub fn only(
        &self,
        block: &Block,
        address: &str,
        attributes: &[&str],
        blocks: &[&str],
    ) -> Result<(), TerraformError> {
        const META: [&str; 3] = ["depends_on", "lifecycle", "provider"];
        // `aws_kms_key` of `aws_kms_key.k`, `data.aws_region` of
        // `data.aws_region.current`.
        let kind = address.rsplit_once('.').map_or(address, |(kind, _)| kind);
        let known = || {
            let mut known = attributes.join(", ");
            if !blocks.is_empty() {
                known.push_str(&format!(
                    "{}{} blocks",
                    if known.is_empty() { "" } else { ", and " },
                    blocks.join(", ")
                ));
            }
            known
        };
        for structure in block.body.iter() {
            if let Some(attribute) = structure.as_attribute() {
                let key = attribute.key.as_str();
                if key == "count" || key == "for_each" {
                    return Err(self.error(
                        attribute.span(),
                        format!("`{key}` is not supported: write each {address} out"),
                    ));
                }
                if !attributes.contains(&key) && !META.contains(&key) {
                    return Err(self.error(
                        attribute.span(),
                        format!(
                            "`{key}` is not an argument of {kind} that the playground simulates (it knows {})",
                            known()
                        ),
                    ));
                }
            }
            if let Some(inner) = structure.as_block() {
                let ident = inner.ident.as_str();
                if ident == "dynamic" {
                    return Err(self.error(
                        inner.span(),
                        format!("a `dynamic` block is not supported in {address}: write each block it makes out"),
                    ));
                }
                if !blocks.contains(&ident) && !META.contains(&ident) && ident != "timeouts" {
                    return Err(self.error(
                        inner.span(),
                        format!(
                            "a `{ident}` block is not supported in {address} (it knows {})",
                            known()
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
}
