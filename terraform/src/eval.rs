//! The configuration's blocks, and the evaluation of expressions: literals,
//! strings with `${...}` interpolation, heredocs, lists, objects,
//! references between blocks, `for` expressions and `jsonencode(...)`.
//! Anything else is refused at its place.

use crate::resources::RESOURCES;
use crate::value::Val;
use crate::{Location, MAX_DEPTH, MAX_NESTING, MAX_TEXT, MAX_WORK, Options, TerraformError};
use hcl_edit::Span;
use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::structure::{Block, Body};
use hcl_edit::template::{Element, Template};
use std::collections::BTreeSet;
use std::ops::Range;

/// The parser's message, in Terraform's words where hcl-edit's are its
/// grammar's ("expected unique object key; found redefined object key").
fn hcl_message(parser: &str) -> String {
    if parser.ends_with("found redefined object key") {
        "this object gives the same key twice: Terraform refuses a duplicate object key".into()
    } else if parser.ends_with("found redefined attribute") {
        "this argument is already set in this block: Terraform refuses an argument given twice"
            .into()
    } else {
        format!("this is not valid HCL: {parser}")
    }
}

/// A `resource` or `data` block.
pub struct Item<'a> {
    /// `resource` or `data`.
    pub data: bool,
    /// `aws_kms_key`.
    pub kind: String,
    /// `app`.
    pub name: String,
    /// The block.
    pub block: &'a Block,
}

impl Item<'_> {
    /// `aws_kms_key.app` or `data.aws_iam_policy_document.app`.
    pub fn address(&self) -> String {
        if self.data {
            format!("data.{}.{}", self.kind, self.name)
        } else {
            format!("{}.{}", self.kind, self.name)
        }
    }
}

/// A parsed configuration.
pub struct Config<'a> {
    pub text: &'a str,
    pub options: Options,
    pub body: Body,
    /// Work done so far (evaluations, and bytes written), bounded by
    /// [`MAX_WORK`]: references may repeat a block's value many times.
    work: core::cell::Cell<usize>,
    /// Where each `resource` and `data` block is in the body, by
    /// (data, type, name).
    index: std::collections::BTreeMap<(bool, String, String), usize>,
    _marker: core::marker::PhantomData<&'a ()>,
}

/// What an evaluation depends on, and how deep it went.
#[derive(Default)]
pub struct Scope {
    /// Addresses of the resources it refers to.
    pub deps: BTreeSet<String>,
    depth: usize,
    /// The variables of the `for` expressions being evaluated, innermost
    /// last.
    bound: Vec<(String, Val)>,
}

impl Scope {
    fn bound(&self, name: &str) -> Option<&Val> {
        self.bound
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }
}

impl<'a> Config<'a> {
    /// Checks the text's size and nesting, then parses it.
    pub fn parse(text: &'a str, options: &Options) -> Result<Config<'a>, TerraformError> {
        if text.len() > MAX_TEXT {
            return Err(TerraformError {
                at: None,
                message: format!(
                    "the configuration is {} bytes; the playground translates at most {MAX_TEXT}",
                    text.len()
                ),
                placeholder: None,
            });
        }
        check_nesting(text)?;
        let body = hcl_edit::parser::parse_body(text).map_err(|e| TerraformError {
            at: Some(Location {
                line: e.location().line(),
                column: Location::of(text, e.location().offset()).column,
            }),
            message: hcl_message(e.message()),
            placeholder: None,
        })?;
        let index = body
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                let item = item(s.as_block()?)?;
                Some(((item.data, item.kind, item.name), i))
            })
            .collect();
        Ok(Config {
            text,
            options: options.clone(),
            body,
            work: core::cell::Cell::new(0),
            index,
            _marker: core::marker::PhantomData,
        })
    }

    /// The location of byte `offset`.
    pub fn at(&self, offset: usize) -> Location {
        Location::of(self.text, offset)
    }

    /// An error at the start of `span`.
    pub fn error(&self, span: Option<Range<usize>>, message: impl Into<String>) -> TerraformError {
        TerraformError {
            at: span.map(|s| self.at(s.start)),
            message: message.into(),
            placeholder: None,
        }
    }

    /// Every `resource` and `data` block, in the order written.
    pub fn items(&self) -> Vec<Item<'_>> {
        self.body.blocks().filter_map(item).collect()
    }

    fn find(&self, data: bool, kind: &str, name: &str) -> Option<&Block> {
        let at = *self
            .index
            .get(&(data, kind.to_string(), name.to_string()))?;
        self.body.get(at)?.as_block()
    }

    /// Counts `amount` of work; refuses once the budget is spent.
    fn spend(&self, amount: usize, span: Option<Range<usize>>) -> Result<(), TerraformError> {
        let total = self.work.get().saturating_add(amount);
        self.work.set(total);
        if total > MAX_WORK {
            return Err(self.error(
                span,
                "evaluating the configuration takes too much work (references repeat values too many times); the playground refuses it",
            ));
        }
        Ok(())
    }

    /// Evaluates an expression.
    pub fn eval(&self, expr: &Expression, scope: &mut Scope) -> Result<Val, TerraformError> {
        self.spend(1, expr.span())?;
        match expr {
            Expression::Null(_) => Ok(Val::Null),
            Expression::Bool(b) => Ok(Val::Bool(*b.value())),
            Expression::Number(n) => Ok(Val::Number(n.value().to_string())),
            Expression::String(s) => {
                self.literal(s.value(), expr.span())?;
                Ok(Val::Str(s.value().clone()))
            }
            Expression::StringTemplate(t) => self.template(t, scope),
            Expression::HeredocTemplate(h) => self.template(&h.template, scope),
            Expression::Array(items) => items
                .iter()
                .map(|item| self.eval(item, scope))
                .collect::<Result<_, _>>()
                .map(Val::List),
            Expression::Object(object) => {
                let mut fields: Vec<(String, Val)> = Vec::new();
                for (key, value) in object.iter() {
                    let name = match key {
                        ObjectKey::Ident(ident) => ident.as_str().to_string(),
                        ObjectKey::Expression(e) => {
                            let k = self.eval(e, scope)?;
                            k.as_string().ok_or_else(|| {
                                self.error(e.span(), format!("an object key must be a string, not {}", k.kind()))
                            })?
                        }
                    };
                    let value = self.eval(value.expr(), scope)?;
                    fields.retain(|(k, _)| *k != name);
                    fields.push((name, value));
                }
                Ok(Val::Object(fields))
            }
            Expression::Parenthesis(p) => self.eval(p.inner(), scope),
            Expression::FuncCall(call) => {
                let name = call.name.name.as_str();
                if call.name.is_namespaced() || name != "jsonencode" {
                    return Err(self.error(
                        expr.span(),
                        format!("the function `{name}` is not supported: the playground evaluates only jsonencode(...)"),
                    ));
                }
                if call.args.len() != 1 || call.args.expand_final() {
                    return Err(self.error(expr.span(), "jsonencode takes exactly one argument"));
                }
                let Some(arg) = call.args.get(0) else {
                    return Err(self.error(expr.span(), "jsonencode takes exactly one argument"));
                };
                let json = self.eval(arg, scope)?.jsonencode();
                self.spend(json.len() / 16, expr.span())?;
                Ok(Val::Str(json))
            }
            Expression::Traversal(traversal) => self.reference(traversal, expr.span(), scope),
            Expression::Variable(v) => match scope.bound(v.as_str()) {
                Some(value) => {
                    let value = value.clone();
                    self.spend(value.nodes(), expr.span())?;
                    Ok(value)
                }
                None => Err(self.error(
                    expr.span(),
                    format!("`{}` alone is not a value the playground knows: refer to an attribute, such as aws_kms_key.name.arn", v.as_str()),
                )),
            },
            Expression::Conditional(_) => Err(self.unsupported(expr, "a conditional (`? :`)")),
            Expression::UnaryOp(_) | Expression::BinaryOp(_) => {
                Err(self.unsupported(expr, "an operator"))
            }
            Expression::ForExpr(f) => self.for_expr(f, expr.span(), scope),
        }
    }

    /// `[for v in list : expr]`, `[for i, v in list : expr if cond]`,
    /// `{for k, v in map : key => value}`: each element evaluated with its
    /// variables bound, in order (an object's keys sorted, as Terraform
    /// iterates them). Grouping (`...`) is refused.
    fn for_expr(
        &self,
        f: &hcl_edit::expr::ForExpr,
        span: Option<Range<usize>>,
        scope: &mut Scope,
    ) -> Result<Val, TerraformError> {
        if f.grouping {
            return Err(self.error(
                span,
                "grouping (`...`) in a `for` expression is not supported: write the value it gives",
            ));
        }
        let collection = &f.intro.collection_expr;
        let elements: Vec<(Val, Val)> = match self.eval(collection, scope)? {
            Val::List(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (Val::Number(i.to_string()), v))
                .collect(),
            Val::Object(mut fields) => {
                fields.sort_by(|a, b| a.0.cmp(&b.0));
                fields.into_iter().map(|(k, v)| (Val::Str(k), v)).collect()
            }
            other => {
                return Err(self.error(
                    collection.span(),
                    format!(
                        "a `for` expression iterates a list or an object, not {}",
                        other.kind()
                    ),
                ));
            }
        };
        let mut list = Vec::new();
        let mut object: Vec<(String, Val)> = Vec::new();
        for (key, value) in elements {
            let before = scope.bound.len();
            if let Some(name) = &f.intro.key_var {
                scope.bound.push((name.as_str().to_string(), key));
            }
            scope
                .bound
                .push((f.intro.value_var.as_str().to_string(), value));
            let result = self.for_element(f, scope);
            scope.bound.truncate(before);
            match result? {
                None => {}
                Some((None, value)) => list.push(value),
                Some((Some(key), value)) => {
                    if object.iter().any(|(k, _)| *k == key) {
                        return Err(self.error(
                            f.key_expr.as_ref().and_then(|k| k.span()),
                            format!("the `for` expression gives the key \"{key}\" twice: Terraform refuses a duplicate object key"),
                        ));
                    }
                    object.push((key, value));
                }
            }
        }
        Ok(if f.key_expr.is_some() {
            Val::Object(object)
        } else {
            Val::List(list)
        })
    }

    /// One element of a `for` expression: `None` when its `if` is false,
    /// else its key (for an object) and value.
    fn for_element(
        &self,
        f: &hcl_edit::expr::ForExpr,
        scope: &mut Scope,
    ) -> Result<Option<(Option<String>, Val)>, TerraformError> {
        if let Some(cond) = &f.cond {
            match self.eval(&cond.expr, scope)? {
                Val::Bool(true) => {}
                Val::Bool(false) => return Ok(None),
                other => {
                    return Err(self.error(
                        cond.expr.span(),
                        format!(
                            "the `if` of a `for` expression must be a bool, not {}",
                            other.kind()
                        ),
                    ));
                }
            }
        }
        let key = match &f.key_expr {
            Some(k) => {
                let value = self.eval(k, scope)?;
                Some(value.as_string().ok_or_else(|| {
                    self.error(
                        k.span(),
                        format!("an object key must be a string, not {}", value.kind()),
                    )
                })?)
            }
            None => None,
        };
        Ok(Some((key, self.eval(&f.value_expr, scope)?)))
    }

    fn unsupported(&self, expr: &Expression, what: &str) -> TerraformError {
        self.error(
            expr.span(),
            format!("{what} is not supported: write the value it gives"),
        )
    }

    /// A string as written: an ARN in it must name a 12-digit account (an
    /// article's placeholder is refused where it stands), and a literal
    /// `${` (written `$${`) would be taken for a reference, unless it is an
    /// IAM policy variable (`$${aws:username}`, `$${*}`), which the
    /// scenario leaves for the policy to resolve.
    fn literal(&self, value: &str, span: Option<Range<usize>>) -> Result<(), TerraformError> {
        let raw = span
            .clone()
            .and_then(|s| self.text.get(s))
            .unwrap_or_default();
        let at = |needle: &str| -> Option<Range<usize>> {
            let start = span.as_ref()?.start + raw.find(needle)?;
            Some(start..start + needle.len())
        };
        let Some(masked) = mask_policy_variables(value) else {
            return Err(self.error(
                at("$${").or(span.clone()),
                "a literal `${` is supported only for an IAM policy variable (`$${aws:username}`, `$${*}`): the playground uses it for references",
            ));
        };
        // A policy variable's own `:` would split an ARN's fields: each
        // reads as `${}`, an account the request fills in.
        let mut rest = masked.as_str();
        while let Some(i) = rest.find("arn:") {
            let arn = &rest[i..];
            let arn = &arn[..arn
                .find(|c: char| c == '"' || c.is_whitespace() || c == ',')
                .unwrap_or(arn.len())];
            let fields: Vec<&str> = arn.splitn(6, ':').collect();
            if let Some(account) = fields.get(4).filter(|_| fields.len() == 6) {
                let valid = account.is_empty()
                    || *account == "aws"
                    || *account == "${}"
                    || kms_core::ids::AccountId::parse(account).is_ok();
                if !valid {
                    let place = at(&format!(":{account}:")).map(|r| r.start + 1..r.end - 1);
                    return Err(TerraformError {
                        placeholder: Some(String::from(*account)),
                        ..self.error(
                            place.or(span.clone()),
                            format!(
                                "`{account}` in `{arn}` is not an account id: write a 12-digit account id in its place in the configuration"
                            ),
                        )
                    });
                }
            }
            rest = &rest[i + 4..];
        }
        Ok(())
    }

    fn template(&self, template: &Template, scope: &mut Scope) -> Result<Val, TerraformError> {
        let mut out = String::new();
        for element in template.iter() {
            match element {
                Element::Literal(text) => {
                    self.literal(text.value(), text.span())?;
                    out.push_str(text.value());
                }
                Element::Interpolation(i) => {
                    let value = self.eval(&i.expr, scope)?;
                    if let Val::Str(s) = &value {
                        self.spend(s.len() / 16, i.expr.span())?;
                    }
                    out.push_str(&value.as_string().ok_or_else(|| {
                        self.error(
                            i.expr.span(),
                            format!("{} cannot be written into a string", value.kind()),
                        )
                    })?);
                }
                Element::Directive(d) => {
                    return Err(self.error(
                        d.span(),
                        "template directives (%{ if }, %{ for }) are not supported",
                    ));
                }
            }
        }
        Ok(Val::Str(out))
    }

    fn reference(
        &self,
        traversal: &hcl_edit::expr::Traversal,
        span: Option<Range<usize>>,
        scope: &mut Scope,
    ) -> Result<Val, TerraformError> {
        let Expression::Variable(root) = &traversal.expr else {
            return Err(self.error(
                span,
                "only references such as aws_kms_key.name.arn are supported",
            ));
        };
        let mut names = vec![root.as_str().to_string()];
        for operator in &traversal.operators {
            match operator.value() {
                TraversalOperator::GetAttr(ident) => names.push(ident.as_str().to_string()),
                _ => {
                    return Err(self.error(
                        span,
                        "indexes and splats ([0], [*]) are not supported: refer to one attribute",
                    ));
                }
            }
        }
        let text = names.join(".");
        if let Some(value) = scope.bound(&names[0]) {
            // An attribute of a `for` expression's variable (`role.name`).
            let mut value = value;
            for attribute in &names[1..] {
                value = match value {
                    Val::Object(fields) => {
                        fields.iter().find(|(k, _)| k == attribute).map(|(_, v)| v)
                    }
                    _ => None,
                }
                .ok_or_else(|| {
                    self.error(
                        span.clone(),
                        format!("`{text}`: {} has no attribute `{attribute}`", names[0]),
                    )
                })?;
            }
            let value = value.clone();
            self.spend(value.nodes(), span)?;
            return Ok(value);
        }
        let (data, kind, name, attribute) = match names.as_slice() {
            [d, kind, name, attribute] if d == "data" => (true, kind, name, attribute),
            [kind, name, attribute] if kind.starts_with("aws_") => (false, kind, name, attribute),
            [first, name] if first == "var" || first == "local" => {
                let expr = self
                    .named_value(first == "var", name)
                    .map_err(|why| self.error(span.clone(), format!("`{text}`: {why}")))?;
                return self.referred(&text, span, scope, |scope| self.eval(expr, scope));
            }
            [first, ..] if first == "var" || first == "local" => {
                return Err(self.error(
                    span,
                    format!(
                        "`{text}`: a part of a variable or local is not supported: refer to the whole value (`{first}.name`)"
                    ),
                ));
            }
            [first, ..] if first == "module" => {
                return Err(self.error(
                    span,
                    format!("`{text}`: modules are not supported: write the value"),
                ));
            }
            _ => {
                return Err(self.error(
                    span,
                    format!(
                        "`{text}` is not a reference the playground knows (resource.name.attribute)"
                    ),
                ));
            }
        };
        let block = self.find(data, kind, name).ok_or_else(|| {
            self.error(
                span.clone(),
                format!("`{text}` refers to a block that is not in the configuration"),
            )
        })?;
        let value = self.referred(&text, span.clone(), scope, |scope| {
            crate::attributes::attribute(self, data, kind, name, block, attribute, scope).map_err(
                |e| match e {
                    Missing::Attribute if !data && !RESOURCES.contains(&kind.as_str()) => self
                        .error(
                            span.clone(),
                            format!(
                                "`{text}`: the playground skips {kind} (it does not simulate it), so it does not know its `{attribute}`: write the value"
                            ),
                        ),
                    Missing::Attribute => self.error(
                        span.clone(),
                        format!(
                            "`{text}`: {kind} has no attribute `{attribute}` that the playground knows"
                        ),
                    ),
                    Missing::Error(e) => e,
                },
            )
        })?;
        if !data {
            scope.deps.insert(format!("{kind}.{name}"));
        }
        Ok(value)
    }

    /// The value a reference `text` stands for, worked out by `value` one
    /// level deeper (references at most [`MAX_DEPTH`] deep, so a circle
    /// ends). Each use is a copy: it costs what the value holds, so a value
    /// referred to twice at each of many levels is not one step each.
    fn referred(
        &self,
        text: &str,
        span: Option<Range<usize>>,
        scope: &mut Scope,
        value: impl FnOnce(&mut Scope) -> Result<Val, TerraformError>,
    ) -> Result<Val, TerraformError> {
        if scope.depth >= MAX_DEPTH {
            return Err(self.error(
                span,
                format!(
                    "`{text}`: references lead more than {MAX_DEPTH} levels deep, or in a circle"
                ),
            ));
        }
        // Another block's expression does not see this one's `for`
        // variables.
        let bound = std::mem::take(&mut scope.bound);
        scope.depth += 1;
        let value = value(scope);
        scope.depth -= 1;
        scope.bound = bound;
        let value = value?;
        self.spend(value.nodes(), span)?;
        Ok(value)
    }
}

impl Config<'_> {
    /// The expression `var.name` (its `variable` block's default) or
    /// `local.name` (its `locals` attribute) stands for.
    fn named_value(&self, var: bool, name: &str) -> Result<&Expression, String> {
        let blocks = || self.body.blocks();
        if var {
            let block = blocks()
                .find(|b| {
                    b.ident.as_str() == "variable"
                        && b.labels.first().is_some_and(|l| l.as_str() == name)
                })
                .ok_or("no `variable` block declares it")?;
            block
                .body
                .get_attribute("default")
                .map(|a| &a.value)
                .ok_or_else(|| {
                    "the variable has no default, and the playground cannot ask for a value: give it a `default`".into()
                })
        } else {
            blocks()
                .filter(|b| b.ident.as_str() == "locals")
                .find_map(|b| b.body.get_attribute(name))
                .map(|a| &a.value)
                .ok_or_else(|| "no `locals` block sets it".into())
        }
    }
}

/// A `resource` or `data` block with its two labels.
fn item(block: &Block) -> Option<Item<'_>> {
    let data = match block.ident.as_str() {
        "resource" => false,
        "data" => true,
        _ => return None,
    };
    Some(Item {
        data,
        kind: block.labels.first()?.as_str().to_string(),
        name: block.labels.get(1)?.as_str().to_string(),
        block,
    })
}

/// Why an attribute of a block has no value.
pub enum Missing {
    /// The block type has no such attribute.
    Attribute,
    /// Evaluating it failed.
    Error(TerraformError),
}

impl From<TerraformError> for Missing {
    fn from(e: TerraformError) -> Self {
        Missing::Error(e)
    }
}

/// Refuses text whose brackets nest deeper than [`MAX_NESTING`] (counted
/// over the whole text, strings and comments included: a bound, not a
/// parse).
fn check_nesting(text: &str) -> Result<(), TerraformError> {
    let mut depth = 0usize;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(TerraformError {
                        at: Some(Location::of(text, i)),
                        message: format!(
                            "brackets nest more than {MAX_NESTING} deep here; the playground refuses deeper nesting"
                        ),
                        placeholder: None,
                    });
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// `value` with each IAM policy variable written `${}`, or `None` if a
/// `${...}` in it is not one. A policy variable is a condition key (it has
/// a `:`; a default may follow, `${aws:username, 'x'}`) or one of `${*}`,
/// `${?}`, `${$}`. A scenario's own variables (account and saved names)
/// have no `:` (the translator names them), so the scenario leaves policy
/// variables for the policy to resolve.
fn mask_policy_variables(value: &str) -> Option<String> {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find("${") {
        let end = at + rest[at..].find('}')?;
        let inner = &rest[at + 2..end];
        if !(inner.contains(':') || matches!(inner, "*" | "?" | "$")) {
            return None;
        }
        out.push_str(&rest[..at]);
        out.push_str("${}");
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}
