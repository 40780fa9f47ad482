//! Condition operators and their evaluation, with AWS's rules for keys that
//! the request does not carry:
//!
//! - a positive operator on an absent key is false; a negated one
//!   (`StringNotEquals`, `ArnNotLike`, ...) is true;
//! - `...IfExists` is true when the key is absent;
//! - `Null: {"k": "true"}` is true exactly when `k` is absent;
//! - `ForAnyValue:` is false on an absent or empty key, `ForAllValues:` true
//!   (the classic trap: `ForAllValues` alone allows requests without the key).
//!
//! Within one key, several policy values are alternatives (any may match; for
//! negated operators none may match). Keys and operators of a block all must hold.

use super::context::is_modelled;
pub use super::context::{ContextValues, RequestContext, Text, ValuesOf};
use super::glob::Shape;
use super::values::{Values, malformed_policy, parse_values};
use crate::clock::Timestamp;
use crate::error::KmsError;
use alloc::borrow::Cow;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use serde::Serialize;
use serde_json::Value;

macro_rules! base_operators {
    ($($name:ident),+ $(,)?) => {
        /// A condition operator without qualifiers.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[allow(missing_docs)]
        pub enum BaseOperator { $($name),+ }

        impl BaseOperator {
            const ALL: &'static [(&'static str, BaseOperator)] = &[$((stringify!($name), BaseOperator::$name)),+];

            /// Its name.
            pub fn name(self) -> &'static str {
                match self { $(BaseOperator::$name => stringify!($name)),+ }
            }
        }
    };
}

base_operators!(
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
    IpAddress,
    NotIpAddress,
    BinaryEquals,
);

impl BaseOperator {
    /// For a negated operator, the positive one it negates.
    pub(crate) fn positive(self) -> Option<BaseOperator> {
        use BaseOperator::*;
        Some(match self {
            StringNotEquals => StringEquals,
            StringNotEqualsIgnoreCase => StringEqualsIgnoreCase,
            StringNotLike => StringLike,
            NumericNotEquals => NumericEquals,
            DateNotEquals => DateEquals,
            ArnNotEquals => ArnEquals,
            ArnNotLike => ArnLike,
            NotIpAddress => IpAddress,
            _ => return None,
        })
    }

    fn family(self) -> Family {
        let name = self.name();
        if name.starts_with("Numeric") {
            Family::Numeric
        } else if name.starts_with("Date") {
            Family::Date
        } else if self == BaseOperator::Bool || self == BaseOperator::Null {
            Family::Bool
        } else {
            Family::Text
        }
    }

    /// Whether `request` satisfies this (positive) operator against `policy`.
    fn holds(self, request: &str, policy: &str, shape: Shape) -> bool {
        use BaseOperator::*;
        match self {
            // Base64 values, compared as written.
            StringEquals | BinaryEquals => request == policy,
            // No request here has an IP address (aws:SourceIp and
            // aws:VpcSourceIp are not modelled), and IpAddress over a value
            // that is not one is false in AWS too. Comparing addresses for
            // real, and refusing a value that is neither an address nor a
            // CIDR block, measured +1.2 KB of the page's first load (a
            // hand-written parser; core::net's was +3 KB): it comes with
            // the first modelled IP key.
            IpAddress => false,
            StringEqualsIgnoreCase => request
                .chars()
                .flat_map(char::to_lowercase)
                .eq(policy.chars().flat_map(char::to_lowercase)),
            StringLike | ArnEquals | ArnLike => shape.matches(policy, request, false),
            Bool => request.eq_ignore_ascii_case(policy),
            NumericEquals
            | NumericLessThan
            | NumericLessThanEquals
            | NumericGreaterThan
            | NumericGreaterThanEquals => match (Decimal::parse(request), Decimal::parse(policy)) {
                (Some(r), Some(p)) => compare(self, Some(r.cmp(&p))),
                _ => false,
            },
            DateEquals
            | DateLessThan
            | DateLessThanEquals
            | DateGreaterThan
            | DateGreaterThanEquals => match (parse_date(request), parse_date(policy)) {
                (Some(r), Some(p)) => compare(self, Some(r.cmp(&p))),
                _ => false,
            },
            _ => false,
        }
    }
}

fn compare(op: BaseOperator, ordering: Option<core::cmp::Ordering>) -> bool {
    use BaseOperator::*;
    use core::cmp::Ordering::*;
    matches!(
        (op, ordering),
        (NumericEquals | DateEquals, Some(Equal))
            | (NumericLessThan | DateLessThan, Some(Less))
            | (
                NumericLessThanEquals | DateLessThanEquals,
                Some(Less | Equal)
            )
            | (NumericGreaterThan | DateGreaterThan, Some(Greater))
            | (
                NumericGreaterThanEquals | DateGreaterThanEquals,
                Some(Greater | Equal)
            )
    )
}

/// Dates in conditions: ISO 8601 or epoch seconds.
/// An integer or decimal, as numeric condition operators compare them
/// ("an integer or decimal value", IAM's reference): exactly, without the
/// rounding of a binary float.
#[derive(Debug, PartialEq, Eq)]
struct Decimal<'a> {
    negative: bool,
    /// Digits before the point, without leading zeros.
    whole: &'a str,
    /// Digits after the point, without trailing zeros.
    fraction: &'a str,
}

impl<'a> Decimal<'a> {
    /// `-12.50`, `+3`, `.5`, `7.`; no exponent, no spaces inside.
    fn parse(text: &'a str) -> Option<Self> {
        let text = text.trim();
        let (negative, digits) = match text.as_bytes().first()? {
            b'-' => (true, &text[1..]),
            b'+' => (false, &text[1..]),
            _ => (false, text),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.len() + fraction.len() == 0 || !all_digits(whole) || !all_digits(fraction) {
            return None;
        }
        let whole = whole.trim_start_matches('0');
        let fraction = fraction.trim_end_matches('0');
        // Zero has no sign.
        let negative = negative && !(whole.is_empty() && fraction.is_empty());
        Some(Self {
            negative,
            whole,
            fraction,
        })
    }
}

impl Ord for Decimal<'_> {
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        // Same number of whole digits (no leading zeros): the digits
        // compare as text; fractions without trailing zeros too.
        let magnitude = self
            .whole
            .len()
            .cmp(&other.whole.len())
            .then_with(|| self.whole.cmp(other.whole))
            .then_with(|| self.fraction.cmp(other.fraction));
        match (self.negative, other.negative) {
            (false, false) => magnitude,
            (true, true) => magnitude.reverse(),
            (false, true) => core::cmp::Ordering::Greater,
            (true, false) => core::cmp::Ordering::Less,
        }
    }
}

impl PartialOrd for Decimal<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

fn parse_date(text: &str) -> Option<Timestamp> {
    Timestamp::parse_iso8601(text).or_else(|| text.parse::<u64>().ok().map(Timestamp))
}

#[derive(PartialEq, Eq)]
enum Family {
    Text,
    Numeric,
    Date,
    Bool,
}

/// `ForAnyValue:` or `ForAllValues:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetQualifier {
    /// At least one request value must match.
    ForAnyValue,
    /// Every request value must match (true when there are none).
    ForAllValues,
}

/// A full operator: qualifier, base, `IfExists`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operator {
    /// The set qualifier, if any.
    pub set: Option<SetQualifier>,
    /// The base operator.
    pub base: BaseOperator,
    /// Whether `IfExists` was appended.
    pub if_exists: bool,
}

impl Operator {
    /// Parses `ForAnyValue:StringLikeIfExists` and friends.
    pub fn parse(text: &str) -> Option<Self> {
        let (set, rest) = if let Some(r) = text.strip_prefix("ForAnyValue:") {
            (Some(SetQualifier::ForAnyValue), r)
        } else if let Some(r) = text.strip_prefix("ForAllValues:") {
            (Some(SetQualifier::ForAllValues), r)
        } else {
            (None, text)
        };
        let (name, if_exists) = match rest.strip_suffix("IfExists") {
            Some(n) => (n, true),
            None => (rest, false),
        };
        let base = BaseOperator::ALL.iter().find(|(n, _)| *n == name)?.1;
        if base == BaseOperator::Null && (if_exists || set.is_some()) {
            return None;
        }
        Some(Self {
            set,
            base,
            if_exists,
        })
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.set {
            Some(SetQualifier::ForAnyValue) => f.write_str("ForAnyValue:")?,
            Some(SetQualifier::ForAllValues) => f.write_str("ForAllValues:")?,
            None => {}
        }
        f.write_str(self.base.name())?;
        if self.if_exists {
            f.write_str("IfExists")?;
        }
        Ok(())
    }
}

/// One operator applied to one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// The operator.
    pub operator: Operator,
    /// The key as written (condition keys are case-insensitive).
    pub key: String,
    /// The policy's values.
    pub values: Values,
}

impl Condition {
    /// Marks the values holding a policy variable, for the operators that
    /// read variables (string and ARN ones).
    pub(crate) fn mark_variables(&mut self) {
        if self.operator.base.family() == Family::Text {
            self.values.mark_variables();
        }
    }

    /// Parses a `Condition` block.
    pub fn parse_block(label: &str, value: &Value) -> Result<Vec<Condition>, KmsError> {
        let Value::Object(block) = value else {
            return Err(malformed_policy(format!(
                "{label}: Condition must be an object of operators"
            )));
        };
        let mut out = Vec::new();
        for (op_text, keys) in block {
            let operator = Operator::parse(op_text).ok_or_else(|| {
                malformed_policy(format!("{label}: unknown condition operator \"{op_text}\""))
            })?;
            let Value::Object(keys) = keys else {
                return Err(malformed_policy(format!(
                    "{label}: {op_text} must map condition keys to values"
                )));
            };
            for (key, raw) in keys {
                // Any key a service or AWS could define is accepted, as KMS
                // accepts every global key; one the simulator does not
                // fill in is absent from every request (the trace says so).
                if !key
                    .split_once(':')
                    .is_some_and(|(service, name)| !service.is_empty() && !name.is_empty())
                {
                    return Err(malformed_policy(format!(
                        "{label}: \"{key}\" in {op_text} is not a condition key: keys are written service:name, such as kms:CallerAccount"
                    )));
                }
                // JSON booleans and numbers are allowed as values and compared as text.
                let normalized = match raw {
                    Value::Bool(b) => Value::String(b.to_string()),
                    Value::Number(n) => Value::String(n.to_string()),
                    Value::Array(items) => Value::Array(
                        items
                            .iter()
                            .map(|v| match v {
                                Value::Bool(b) => Value::String(b.to_string()),
                                Value::Number(n) => Value::String(n.to_string()),
                                other => other.clone(),
                            })
                            .collect(),
                    ),
                    other => other.clone(),
                };
                let values = parse_values(label, &format!("{op_text}.{key}"), &normalized)?;
                check_values(label, &operator, key, &values)?;
                out.push(Condition {
                    operator,
                    key: key.clone(),
                    values,
                });
            }
        }
        Ok(out)
    }

    /// Evaluates the condition against the request's values, without
    /// allocating: what the sentence will say is kept as a [`ConditionNote`].
    pub fn evaluate(&self, context: &RequestContext) -> ConditionResult {
        let request = context.get(&self.key).filter(|v| !v.is_empty());
        let op = self.operator;
        let (matched, note) = if op.base == BaseOperator::Null {
            // Like any condition's values, a list's are ORed: ["true",
            // "false"] holds whether the key is there or not.
            let absent = request.is_none();
            let matched = self
                .values
                .items
                .iter()
                .any(|v| v.eq_ignore_ascii_case("true") == absent);
            (
                matched,
                if absent {
                    ConditionNote::NullAbsent
                } else {
                    ConditionNote::NullPresent
                },
            )
        } else {
            match request {
                None if op.if_exists => (true, ConditionNote::AbsentIfExists),
                None => match op.set {
                    Some(SetQualifier::ForAllValues) => (true, ConditionNote::AbsentForAllValues),
                    Some(SetQualifier::ForAnyValue) => (false, ConditionNote::AbsentForAnyValue),
                    None if op.base.positive().is_some() => (true, ConditionNote::AbsentNegated),
                    None => (false, ConditionNote::Absent),
                },
                Some(values) => {
                    // A value holding a policy variable is compared with the
                    // request's value put in; one that cannot be resolved
                    // compares with nothing.
                    let policy = || {
                        self.values
                            .items
                            .iter()
                            .zip(&self.values.shapes)
                            .filter_map(|(p, s)| match s {
                                Shape::Template => {
                                    let r = super::variables::resolve(p, context)?;
                                    let shape = Shape::of(&r);
                                    Some((Cow::Owned(r), shape))
                                }
                                _ => Some((Cow::Borrowed(p.as_str()), *s)),
                            })
                    };
                    let one = |v: &str| match op.base.positive() {
                        Some(positive) => !policy().any(|(p, s)| positive.holds(v, &p, s)),
                        None => policy().any(|(p, s)| op.base.holds(v, &p, s)),
                    };
                    let negated = op.base.positive().is_some();
                    let matched = match op.set {
                        Some(SetQualifier::ForAnyValue) => values.iter().any(one),
                        Some(SetQualifier::ForAllValues) => values.iter().all(one),
                        None if negated => values.iter().all(one),
                        None => values.iter().any(one),
                    };
                    (matched, ConditionNote::Compared)
                }
            }
        };
        ConditionResult { matched, note }
    }

    /// The condition's result as a learner reads it: operator, key, both
    /// sides' values and, for an absent key, the rule that applied.
    pub fn trace(&self, result: ConditionResult, context: &RequestContext) -> ConditionTrace {
        ConditionTrace {
            operator: self.operator.to_string(),
            key: self.key.clone(),
            policy_values: self.values.items.clone(),
            request_values: context
                .get(&self.key)
                .filter(|v| !v.is_empty())
                .map(|v| v.iter().map(String::from).collect()),
            matched: result.matched,
            note: self.unmodelled_note(result.note),
        }
    }

    /// The note's sentence, and for a key the simulator never fills in,
    /// that it is absent from every request here. (The workbench's advisor
    /// also names the key a misspelling was meant to be: the Levenshtein
    /// search costs the playground's first load about 480 bytes gzipped.)
    fn unmodelled_note(&self, note: ConditionNote) -> String {
        let mut text = String::from(note.sentence());
        if note != ConditionNote::Compared && !is_modelled(&self.key) {
            text.push_str("; the simulator does not model ");
            text.push_str(&self.key);
            text.push_str(", so no request has it");
        }
        text
    }
}

/// Why a condition came out as it did, when the answer depends on the
/// request lacking the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConditionNote {
    /// The request's values were compared.
    Compared,
    /// `...IfExists` on an absent key.
    AbsentIfExists,
    /// `ForAllValues:` on an absent key.
    AbsentForAllValues,
    /// `ForAnyValue:` on an absent key.
    AbsentForAnyValue,
    /// A negated operator on an absent key.
    AbsentNegated,
    /// A positive operator on an absent key.
    Absent,
    /// `Null` and the key is absent.
    NullAbsent,
    /// `Null` and the key is present.
    NullPresent,
}

impl ConditionNote {
    /// The note as the explanation words it (empty when values were compared).
    pub fn sentence(self) -> &'static str {
        match self {
            ConditionNote::Compared => "",
            ConditionNote::AbsentIfExists => {
                "the key is absent, and IfExists makes an absent key match"
            }
            ConditionNote::AbsentForAllValues => {
                "the key is absent: ForAllValues is true for an empty set"
            }
            ConditionNote::AbsentForAnyValue => {
                "the key is absent: ForAnyValue needs at least one value"
            }
            ConditionNote::AbsentNegated => {
                "the key is absent: a negated operator matches an absent key"
            }
            ConditionNote::Absent | ConditionNote::NullAbsent => {
                "the key is absent from the request"
            }
            ConditionNote::NullPresent => "the key is present in the request",
        }
    }
}

/// How one condition fared, compactly: the trace a decision records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConditionResult {
    /// Whether it held.
    pub matched: bool,
    /// Why, when the request lacks the key.
    pub note: ConditionNote,
}

fn check_values(label: &str, op: &Operator, key: &str, values: &Values) -> Result<(), KmsError> {
    let bad = |what: &str, v: &str| {
        malformed_policy(format!(
            "{label}: {op} on {key} needs {what}, and \"{v}\" is not one"
        ))
    };
    for v in &values.items {
        match op.base.family() {
            Family::Numeric if Decimal::parse(v).is_none() => return Err(bad("numbers", v)),
            Family::Date if parse_date(v).is_none() => {
                return Err(bad("dates (ISO 8601 or epoch seconds)", v));
            }
            Family::Bool
                if !(v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false")) =>
            {
                return Err(bad("true or false", v));
            }
            _ => {}
        }
    }
    Ok(())
}

/// How one condition fared, with the values compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConditionTrace {
    /// The operator as written.
    pub operator: String,
    /// The key as written.
    pub key: String,
    /// The policy's values.
    pub policy_values: Vec<String>,
    /// The request's values, if the request has the key.
    pub request_values: Option<Vec<String>>,
    /// Whether it held.
    pub matched: bool,
    /// Why, when the answer depends on an absent key.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn numbers_compare_exactly_as_decimals() {
        use core::cmp::Ordering::*;
        let cmp = |a: &str, b: &str| Decimal::parse(a).unwrap().cmp(&Decimal::parse(b).unwrap());
        assert_eq!(cmp("10", "9"), Greater);
        assert_eq!(cmp("010", "10.000"), Equal);
        assert_eq!(cmp("-0", "+0.0"), Equal);
        assert_eq!(cmp("0.5", "0.49"), Greater);
        assert_eq!(cmp(".5", "0.50"), Equal);
        assert_eq!(cmp("-2", "-10"), Greater);
        assert_eq!(cmp("-0.1", "0"), Less);
        assert_eq!(cmp(" 7. ", "7"), Equal);
        // A binary float rounds both of these to the same number.
        assert_eq!(cmp("9007199254740993", "9007199254740992"), Greater);
        assert_eq!(cmp("0.30000000000000001", "0.3"), Greater);
        for bad in [
            "", "-", ".", "1e3", "inf", "NaN", "1 2", "0x10", "1.2.3", "--1",
        ] {
            assert_eq!(Decimal::parse(bad), None, "{bad:?}");
        }
    }

    fn condition(op: &str, key: &str, values: &[&str]) -> Condition {
        let json = serde_json::json!({ op: { key: values } });
        Condition::parse_block("Statement 1", &json)
            .unwrap()
            .remove(0)
    }

    fn context(pairs: &[(&str, &[&str])]) -> RequestContext {
        let mut c = RequestContext::default();
        for (k, vs) in pairs {
            c.set_all(
                String::from(*k),
                vs.iter().map(|v| Text::Owned(String::from(*v))).collect(),
            );
        }
        c
    }

    #[test]
    fn operator_names_parse_and_print() {
        for text in [
            "StringEquals",
            "ForAnyValue:StringLike",
            "ForAllValues:StringEqualsIfExists",
            "ArnNotLikeIfExists",
            "Null",
        ] {
            assert_eq!(Operator::parse(text).unwrap().to_string(), text);
        }
        for bad in [
            "StringEqual",
            "NullIfExists",
            "ForAnyValue:Null",
            "ForSomeValues:StringLike",
        ] {
            assert!(Operator::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn absent_keys_follow_aws_rules() {
        let empty = RequestContext::default();
        let cases = [
            ("StringEquals", false),
            ("StringNotEquals", true),
            ("StringEqualsIfExists", true),
            ("ForAnyValue:StringEquals", false),
            ("ForAllValues:StringEquals", true),
            ("ArnNotLike", true),
        ];
        for (op, expected) in cases {
            assert_eq!(
                condition(op, "kms:ViaService", &["rds.eu-west-1.amazonaws.com"])
                    .evaluate(&empty)
                    .matched,
                expected,
                "{op}"
            );
        }
        assert!(
            condition("Null", "kms:ViaService", &["true"])
                .evaluate(&empty)
                .matched
        );
        let present = context(&[("kms:ViaService", &["x"])]);
        assert!(
            !condition("Null", "kms:ViaService", &["true"])
                .evaluate(&present)
                .matched
        );
        assert!(
            condition("Null", "kms:ViaService", &["false"])
                .evaluate(&present)
                .matched
        );
    }

    #[test]
    fn operators_compare_values() {
        let c = context(&[
            ("kms:CallerAccount", &["111122223333"]),
            ("aws:CurrentTime", &["2026-01-05T09:00:00Z"]),
            ("kms:GrantIsForAWSResource", &["true"]),
            ("aws:PrincipalArn", &["arn:aws:iam::111122223333:role/App"]),
            ("kms:EncryptionContextKeys", &["tenant", "app"]),
            ("kms:EncryptionContext:Tenant", &["acme"]),
        ]);
        let holds =
            |op: &str, key: &str, values: &[&str]| condition(op, key, values).evaluate(&c).matched;
        assert!(holds(
            "StringEquals",
            "kms:calleraccount",
            &["444455556666", "111122223333"]
        ));
        assert!(!holds(
            "StringNotEquals",
            "kms:CallerAccount",
            &["444455556666", "111122223333"]
        ));
        assert!(holds(
            "StringEqualsIgnoreCase",
            "kms:EncryptionContext:tenant",
            &["ACME"]
        ));
        assert!(!holds(
            "StringEquals",
            "kms:EncryptionContext:tenant",
            &["ACME"]
        ));
        assert!(holds(
            "StringLike",
            "aws:PrincipalArn",
            &["arn:aws:iam::*:role/A?p"]
        ));
        assert!(holds(
            "ArnLike",
            "aws:PrincipalArn",
            &["arn:aws:iam::111122223333:role/*"]
        ));
        assert!(!holds(
            "ArnNotLike",
            "aws:PrincipalArn",
            &["arn:aws:iam::111122223333:role/*"]
        ));
        assert!(holds("Bool", "kms:GrantIsForAWSResource", &["true"]));
        assert!(holds(
            "DateLessThan",
            "aws:CurrentTime",
            &["2027-01-01T00:00:00Z"]
        ));
        assert!(!holds(
            "DateGreaterThan",
            "aws:CurrentTime",
            &["2027-01-01"]
        ));
        assert!(holds(
            "NumericLessThan",
            "kms:CallerAccount",
            &["200000000000"]
        ));
        assert!(holds(
            "ForAnyValue:StringEquals",
            "kms:EncryptionContextKeys",
            &["tenant"]
        ));
        assert!(!holds(
            "ForAllValues:StringEquals",
            "kms:EncryptionContextKeys",
            &["tenant"]
        ));
        assert!(holds(
            "ForAllValues:StringEquals",
            "kms:EncryptionContextKeys",
            &["tenant", "app", "other"]
        ));
    }

    #[test]
    fn unmodelled_keys_are_absent_and_bad_values_are_errors() {
        let parse = |json: serde_json::Value| Condition::parse_block("Statement 3", &json);
        // A key the simulator does not fill in is accepted, absent from
        // every request, and the trace says so.
        let context = RequestContext::default();
        for key in ["aws:PrincipalOrgID", "kms:CallerAcount"] {
            let conditions = parse(serde_json::json!({"StringEquals": {key: "1"}})).unwrap();
            let result = conditions[0].evaluate(&context);
            assert!(!result.matched);
            let note = conditions[0].trace(result, &context).note;
            assert!(
                note.contains(&format!("the simulator does not model {key}")),
                "{note}"
            );
        }
        // A modelled key that is absent gets the plain sentence.
        let conditions =
            parse(serde_json::json!({"StringEquals": {"kms:ViaService": "rds.amazonaws.com"}}))
                .unwrap();
        let result = conditions[0].evaluate(&context);
        assert_eq!(
            conditions[0].trace(result, &context).note,
            "the key is absent from the request"
        );
        let e = parse(serde_json::json!({"StringEquals": {"CallerAccount": "1"}})).unwrap_err();
        assert!(e.message().contains("is not a condition key"), "{e}");
        let e = parse(serde_json::json!({"StringEqualz": {"kms:CallerAccount": "1"}})).unwrap_err();
        assert!(
            e.message()
                .contains("unknown condition operator \"StringEqualz\""),
            "{e}"
        );
        assert!(
            parse(serde_json::json!({"NumericLessThan": {"kms:CallerAccount": "ten"}})).is_err()
        );
        assert!(
            parse(serde_json::json!({"DateLessThan": {"aws:CurrentTime": "tomorrow"}})).is_err()
        );
        assert!(parse(serde_json::json!({"Bool": {"kms:GrantIsForAWSResource": "yes"}})).is_err());
        assert!(parse(serde_json::json!({"Bool": {"kms:GrantIsForAWSResource": true}})).is_ok());
        let _ = vec![0];
    }

    /// IAM's IP operators and BinaryEquals: a data perimeter on
    /// aws:SourceIp is accepted; the key is absent here, so NotIpAddress
    /// holds and IpAddress does not.
    #[test]
    fn ip_and_binary_operators_are_accepted() {
        let parse = |op: &str, key: &str, values: &[&str]| {
            Condition::parse_block("Statement 1", &serde_json::json!({op: {key: values}}))
        };
        let empty = RequestContext::default();
        for (op, expected) in [("IpAddress", false), ("NotIpAddress", true)] {
            let c = parse(
                op,
                "aws:SourceIp",
                &["203.0.113.0/24", "2001:DB8:1234:5678::/64"],
            )
            .unwrap();
            let result = c[0].evaluate(&empty);
            assert_eq!(result.matched, expected, "{op}");
            let note = c[0].trace(result, &empty).note;
            assert!(
                note.contains("the simulator does not model aws:SourceIp"),
                "{note}"
            );
        }
        // A present key that is not an address is outside any block.
        let account = context(&[("kms:CallerAccount", &["111122223333"])]);
        let c = parse("NotIpAddress", "kms:CallerAccount", &["0.0.0.0/0"]).unwrap();
        assert!(c[0].evaluate(&account).matched);
        let c = parse("BinaryEquals", "kms:CallerAccount", &["MTExMTIyMjIzMzMz"]).unwrap();
        assert!(!c[0].evaluate(&account).matched);
        assert!(BaseOperator::BinaryEquals.holds("QmluYXJ5", "QmluYXJ5", Shape::Exact));
    }
}
