//! The condition keys of one request and their values, as the policies'
//! conditions read them: which keys the simulator sets, and a context that
//! holds them without copying (the encryption context is kept whole).

use crate::crypto::context::EncryptionContext;
use alloc::borrow::Cow;
use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

/// Condition keys the simulator fills in. `kms:EncryptionContext:<key>`
/// is filled in for any context key. A policy may name any other key (KMS
/// supports every global key): no request here has it.
pub const MODELLED_KEYS: &[&str] = &[
    "kms:CallerAccount",
    "kms:ViaService",
    "kms:EncryptionAlgorithm",
    "kms:EncryptionContextKeys",
    "kms:GrantIsForAWSResource",
    "kms:GrantOperations",
    "kms:GranteePrincipal",
    "kms:RetiringPrincipal",
    "kms:KeySpec",
    "kms:KeyUsage",
    "kms:KeyOrigin",
    "kms:RequestAlias",
    "kms:ResourceAliases",
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
    "aws:username",
    "aws:PrincipalIsAWSService",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:CurrentTime",
];

/// Whether the simulator fills in `key` for some requests.
pub fn is_modelled(key: &str) -> bool {
    MODELLED_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key)) || is_pair_key(key)
}

/// Whether `key` names one encryption context pair
/// (`kms:EncryptionContext:<key>`).
pub fn is_pair_key(key: &str) -> bool {
    strip_prefix_ignoring_case(key, ENCRYPTION_CONTEXT_PREFIX).is_some()
}

/// What follows `prefix` in `text`, comparing ASCII letters without case
/// (as condition keys compare).
pub fn strip_prefix_ignoring_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    text.get(..prefix.len())
        .filter(|p| p.eq_ignore_ascii_case(prefix))
        .and_then(|_| text.get(prefix.len()..))
}

/// The modelled key `key` is likely a misspelling of: at most two letters
/// added, removed or changed, ignoring case.
pub fn near_miss(key: &str) -> Option<&'static str> {
    MODELLED_KEYS
        .iter()
        .copied()
        .find(|k| edits_within_two(&k.to_ascii_lowercase(), &key.to_ascii_lowercase()))
}

/// Levenshtein distance of `a` and `b` is at most 2 (one row at a time).
fn edits_within_two(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().abs_diff(b.len()) > 2 {
        return false;
    }
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, &x) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &y) in b.iter().enumerate() {
            let next = (diagonal + usize::from(x != y))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()] <= 2
}

/// The prefix of per-pair encryption context keys.
pub const ENCRYPTION_CONTEXT_PREFIX: &str = "kms:encryptioncontext:";

/// One value of a request's condition key: static text, shared text, or
/// text made for this request (no copy in any case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    /// Known at compile time (`SYMMETRIC_DEFAULT`).
    Static(&'static str),
    /// Shared with the world (an account id, the clock's text).
    Shared(Arc<str>),
    /// Made for this request (a principal's ARN).
    Owned(String),
}

impl core::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Text::Static(s) => s,
            Text::Shared(s) => s,
            Text::Owned(s) => s,
        }
    }
}

impl From<&'static str> for Text {
    fn from(s: &'static str) -> Self {
        Text::Static(s)
    }
}

impl From<Arc<str>> for Text {
    fn from(s: Arc<str>) -> Self {
        Text::Shared(s)
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text::Owned(s)
    }
}

/// One condition key's values in a request, cheap to clone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextValues {
    /// One value.
    One(Text),
    /// Several (`kms:ResourceAliases`, `kms:GrantOperations`).
    Many(Vec<Text>),
}

/// The values of one key, as a condition reads them.
#[derive(Debug, Clone, Copy)]
pub enum ValuesOf<'a> {
    /// Set directly.
    Set(&'a ContextValues),
    /// One value of the encryption context.
    Pair(&'a str),
    /// The encryption context's keys.
    Keys(&'a EncryptionContext),
}

impl<'a> ValuesOf<'a> {
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        match self {
            ValuesOf::Set(ContextValues::Many(v)) => v.is_empty(),
            ValuesOf::Keys(c) => c.is_empty(),
            _ => false,
        }
    }

    /// The values.
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + 'a {
        let (one, many, keys): (Option<&'a str>, &'a [Text], Option<&'a EncryptionContext>) =
            match *self {
                ValuesOf::Set(ContextValues::One(v)) => (Some(&**v), &[], None),
                ValuesOf::Set(ContextValues::Many(v)) => (None, v.as_slice(), None),
                ValuesOf::Pair(v) => (Some(v), &[], None),
                ValuesOf::Keys(c) => (None, &[], Some(c)),
            };
        one.into_iter()
            .chain(many.iter().map(|v| &**v))
            .chain(keys.into_iter().flat_map(|c| c.pairs().map(|(k, _)| k)))
    }
}

/// The condition keys of one request and their values. Keys are looked up
/// case-insensitively, as IAM does. A request sets a dozen keys at most; the
/// encryption context is kept whole (its pairs answer
/// `kms:EncryptionContext:<key>` and `kms:EncryptionContextKeys` when a
/// condition asks), so building a context costs the same whatever its size.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestContext {
    values: Vec<(Cow<'static, str>, ContextValues)>,
    encryption_context: Option<EncryptionContext>,
}

impl RequestContext {
    /// An empty context with room for `keys` keys (a request sets about a
    /// dozen: one allocation instead of four).
    pub fn with_capacity(keys: usize) -> Self {
        Self {
            values: Vec::with_capacity(keys),
            encryption_context: None,
        }
    }

    fn position(&self, key: &str) -> Option<usize> {
        self.values
            .iter()
            .position(|(k, _)| k.eq_ignore_ascii_case(key))
    }

    /// Sets a key to one value.
    pub fn set(&mut self, key: impl Into<Cow<'static, str>>, value: impl Into<Text>) {
        self.set_values(key, ContextValues::One(value.into()));
    }

    /// Sets a (multi-valued) key.
    pub fn set_all(&mut self, key: impl Into<Cow<'static, str>>, values: Vec<Text>) {
        self.set_values(key, ContextValues::Many(values));
    }

    /// Adds a key the context does not have yet (what builders of a
    /// request's context use: they set each key once, so no search).
    pub fn insert_new(&mut self, key: &'static str, value: impl Into<Text>) {
        debug_assert!(self.position(key).is_none(), "{key} is set twice");
        self.values
            .push((Cow::Borrowed(key), ContextValues::One(value.into())));
    }

    fn set_values(&mut self, key: impl Into<Cow<'static, str>>, values: ContextValues) {
        let key = key.into();
        match self.position(&key) {
            Some(i) => self.values[i].1 = values,
            None => self.values.push((key, values)),
        }
    }

    /// Sets the encryption context the request carries (a non-empty one
    /// gives the `kms:EncryptionContext:<key>` and
    /// `kms:EncryptionContextKeys` keys).
    pub fn set_encryption_context(&mut self, context: &EncryptionContext) {
        self.encryption_context = (!context.is_empty()).then(|| context.clone());
    }

    /// The values of a key, if the request has it.
    pub fn get(&self, key: &str) -> Option<ValuesOf<'_>> {
        if let Some(i) = self.position(key) {
            return Some(ValuesOf::Set(&self.values[i].1));
        }
        let context = self.encryption_context.as_ref()?;
        if key.eq_ignore_ascii_case("kms:EncryptionContextKeys") {
            return Some(ValuesOf::Keys(context));
        }
        let name = strip_prefix_ignoring_case(key, ENCRYPTION_CONTEXT_PREFIX)?;
        // Context keys compare case-insensitively here; of two that differ
        // only in case, the last in canonical order answers.
        context
            .pairs()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .last()
            .map(|(_, v)| ValuesOf::Pair(v))
    }

    /// Every key with its values, as written, for explanations: the keys
    /// set, then one per encryption context pair and the context's keys.
    pub fn entries(&self) -> Vec<(String, Vec<String>)> {
        let mut out: Vec<(String, Vec<String>)> = self
            .values
            .iter()
            .map(|(k, v)| {
                (
                    String::from(&**k),
                    ValuesOf::Set(v).iter().map(String::from).collect(),
                )
            })
            .collect();

        if let Some(context) = &self.encryption_context {
            for (k, v) in context.pairs() {
                out.push((format!("kms:EncryptionContext:{k}"), alloc::vec![v.into()]));
            }
            out.push((
                String::from("kms:EncryptionContextKeys"),
                context.pairs().map(|(k, _)| String::from(k)).collect(),
            ));
        }
        out
    }
}
