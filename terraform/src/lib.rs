//! Terraform in, a world out.
//!
//! [`translate`] reads a Terraform configuration (HCL, parsed by
//! `hcl-edit`, which keeps every expression's place in the text) and writes
//! the scenario that creates the same resources through the ordinary
//! requests: `aws_kms_key` becomes `kms:CreateKey` (then `DisableKey`,
//! `EnableKeyRotation`), `aws_kms_alias` becomes `kms:CreateAlias`, and so
//! on, in the order Terraform would apply them. The world is therefore
//! built, audited, replayed and shared like any other; each step is named
//! by the resource's Terraform address.
//!
//! What the playground cannot translate is refused with its line and
//! column, never guessed: an unknown argument or data source, a function
//! other than `jsonencode`, a variable without a default, an ARN whose
//! account is not 12 digits (such as an article's `[account id]`
//! placeholder). A resource of a type the playground does not simulate (a
//! log group, a bucket) is skipped and listed in [`Translation::skipped`];
//! a reference to one of its attributes that is not written in its block
//! is refused.
//!
//! Untrusted input: the text is at most [`MAX_TEXT`] bytes and its brackets
//! nest at most [`MAX_NESTING`] deep (checked before parsing, so the parser
//! cannot exhaust the stack); references are followed at most
//! [`MAX_DEPTH`] deep, at most [`MAX_BLOCKS`] blocks, a reference cycle is
//! refused, and the whole
//! evaluation is bounded by [`MAX_WORK`] (references that double a string
//! at each step would otherwise take exponential time and memory).

mod args;
mod attributes;
mod document;
mod eval;
mod principals;
mod resources;
mod translate;
mod value;

use kms_core::scenario::format::Scenario;
use kms_core::scenario::runner::ScenarioRun;
pub use value::Val;

/// The most bytes of Terraform translated at once.
pub const MAX_TEXT: usize = 256 * 1024;
/// How deep `(`, `[` and `{` may nest.
pub const MAX_NESTING: usize = 64;
/// How deep references may lead from one block to another.
pub const MAX_DEPTH: usize = 32;
/// How much evaluation one configuration may take: one unit per expression
/// evaluated and per 16 bytes interpolated or encoded.
pub const MAX_WORK: usize = 4_000_000;
/// The most `resource` and `data` blocks one configuration may have. The
/// workbench evaluates every principal against every key (keys ×
/// principals × actions): 150 keys and 150 roles froze a tab for seconds
/// and exhausted its memory.
pub const MAX_BLOCKS: usize = 60;

/// A place in the Terraform text: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1, counted in characters.
    pub column: usize,
}

impl Location {
    /// The location of byte `offset` of `text`.
    pub fn of(text: &str, offset: usize) -> Location {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Location {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }
}

/// Why a configuration cannot be translated, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerraformError {
    /// Where, if the error has a place.
    pub at: Option<Location>,
    /// What is wrong, in a sentence.
    pub message: String,
    /// Text written where an account id must be, such as an article's
    /// placeholder (`[アカウントID]`): the workbench offers to put the
    /// learner's account id in its place.
    pub placeholder: Option<String>,
}

impl core::fmt::Display for TerraformError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.at {
            Some(at) => write!(
                f,
                "line {}, column {}: {}",
                at.line, at.column, self.message
            ),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for TerraformError {}

/// One resource (or data source) of the configuration and the steps that
/// create it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// Its Terraform address: `aws_kms_key.app`.
    pub address: String,
    /// Where its block starts.
    pub at: Location,
    /// The steps of the scenario it became (indices into `Steps`).
    pub steps: core::ops::Range<usize>,
}

/// A translated configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Translation {
    /// The scenario that builds the world: principals the policies name but
    /// the configuration does not create are made in `Setup`; each resource
    /// is one or more `Steps`, in apply order.
    pub scenario: Scenario,
    /// The resources, in apply order.
    pub resources: Vec<Resource>,
    /// The resources of types the playground does not simulate, left out,
    /// in the order written.
    pub skipped: Vec<Skipped>,
}

/// A resource left out of the world: its type is not simulated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Its Terraform address: `aws_cloudwatch_log_group.app`.
    pub address: String,
    /// Where its block starts.
    pub at: Location,
}

/// Options of a translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The account Terraform applies in (`data.aws_caller_identity`).
    pub account: String,
    /// The Region, unless a `provider "aws"` block sets one.
    pub region: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            account: "111122223333".into(),
            region: "eu-west-1".into(),
        }
    }
}

/// A 12-digit account id that the request of step `index` names in an
/// `arn:aws:iam::<id>:` ARN and that is not `account`, if any.
fn other_account(scenario: &Scenario, index: usize, account: &str) -> Option<String> {
    let text = scenario.steps.get(index)?.request.as_ref()?.to_string();
    text.match_indices("arn:aws:iam::").find_map(|(at, m)| {
        let id = text.get(at + m.len()..at + m.len() + 12)?;
        (kms_core::ids::AccountId::parse(id).is_ok() && id != account).then(|| id.to_string())
    })
}

/// When `failure` says a principal does not exist that a later resource
/// of the configuration creates (a literal ARN gives Terraform no order),
/// which resource and how to order it first.
fn created_later(translation: &Translation, index: usize, failure: &str) -> Option<String> {
    let before = &failure[..failure.find(" does not exist")?];
    let arn = &before[before.rfind("arn:aws:iam::")?..];
    let (action, field, name) = match arn.rsplit_once(":role/") {
        Some((_, name)) => ("iam:CreateRole", "RoleName", name),
        None => ("iam:CreateUser", "UserName", arn.rsplit_once(":user/")?.1),
    };
    let step = translation
        .scenario
        .steps
        .iter()
        .enumerate()
        .skip(index + 1)
        .find_map(|(i, step)| {
            let request = step.request.as_ref()?;
            (request["Action"] == action && request["Parameters"][field] == name).then_some(i)
        })?;
    let creator = translation
        .resources
        .iter()
        .find(|r| r.steps.contains(&step))?;
    Some(format!(
        " {address} (line {line}) creates it, but after this resource: refer to {address}.arn, or add depends_on = [{address}], so that it is created first.",
        address = creator.address,
        line = creator.at.line
    ))
}

/// The name of the applying account in the scenario (`${main}`).
pub const ACCOUNT_NAME: &str = "main";

/// Translates a configuration into the scenario that builds it.
pub fn translate(text: &str, options: &Options) -> Result<Translation, TerraformError> {
    if kms_core::ids::AccountId::parse(&options.account).is_err() {
        return Err(TerraformError {
            at: None,
            message: format!(
                "The account id \"{}\" is not 12 digits: give the account Terraform applies in, such as 111122223333.",
                options.account
            ),
            placeholder: None,
        });
    }
    eval::Config::parse(text, options)?.translate()
}

/// Translates and plays a configuration: the world it builds, or the first
/// request AWS would refuse, with the line of the resource that sent it.
pub fn build(text: &str, options: &Options) -> Result<(Translation, ScenarioRun), TerraformError> {
    let translation = translate(text, options)?;
    let mut run = ScenarioRun::start(&translation.scenario).map_err(|e| TerraformError {
        at: None,
        message: e.0,
        placeholder: None,
    })?;
    while let Some(result) = run.step() {
        if !result.passed {
            let index = result.index;
            // AWS's refusal as AWS words it (not the story runner's
            // "expected success, got ...").
            let mut failure = match &result.error {
                Some(e) => format!("AWS refuses it with {}: {}", e.name(), e.message()),
                None => result.failures.join("; "),
            };
            let refused_to_root = result.error.as_ref().is_some_and(|e| {
                e.name() == "AccessDeniedException"
                    || e.message()
                        .contains("will not allow you to update the key policy")
            });
            if refused_to_root {
                failure.push_str(&format!(
                    " The playground applies the configuration as the account root, arn:aws:iam::{}:root: the key policy must let it make the requests Terraform makes next, or set bypass_policy_lockout_safety_check.",
                    options.account
                ));
            }
            if let Some(hint) = created_later(&translation, index, &failure) {
                failure.push_str(&hint);
            }
            if let Some(other) = other_account(&translation.scenario, index, &options.account) {
                failure.push_str(&format!(
                    " The configuration is applied as account {} (the account id); this request names account {other}: if the configuration is for {other}, apply it as {other}.",
                    options.account
                ));
            }
            let resource = translation
                .resources
                .iter()
                .find(|r| r.steps.contains(&index));
            return Err(TerraformError {
                at: resource.map(|r| r.at),
                message: match resource {
                    Some(r) => format!("{}: {failure}", r.address),
                    None => failure,
                },
                placeholder: None,
            });
        }
    }
    Ok((translation, run))
}
