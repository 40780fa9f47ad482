//! The whole translation: which blocks are read, their apply order (a
//! resource after those it refers to), and the scenario that builds them.

use crate::eval::{Config, Scope};
use crate::resources::{DATA_SOURCES, RESOURCES, resource_steps};
use crate::{ACCOUNT_NAME, Resource, Skipped, TerraformError, Translation};
use hcl_edit::Span;
use hcl_edit::structure::Block;
use kms_core::scenario::format::{Scenario, ScenarioAccount};
use std::collections::BTreeSet;

impl Config<'_> {
    /// The whole translation.
    pub fn translate(mut self) -> Result<Translation, TerraformError> {
        for block in self.body.blocks() {
            match block.ident.as_str() {
                "resource" | "data" if block.labels.len() == 2 => {}
                // Read where referred to (`var.name`, `local.name`).
                "terraform" | "output" | "locals" => {}
                "variable" if block.labels.len() == 1 => {}
                "provider" => {
                    if let Some(region) = block.body.get_attribute("region") {
                        let value = self.eval(&region.value, &mut Scope::default())?;
                        let region = value.as_string().ok_or_else(|| {
                            self.error(region.value.span(), "`region` must be a string")
                        })?;
                        self.options.region = region;
                    }
                }
                other => {
                    return Err(self.error(
                        block.span(),
                        format!(
                            "`{other}` blocks are not supported: the playground reads resource, data, variable, locals, provider, terraform and output blocks"
                        ),
                    ));
                }
            }
        }
        if let Some(attribute) = self.body.attributes().next() {
            return Err(self.error(
                attribute.span(),
                "a top-level argument is not valid Terraform: arguments go inside blocks",
            ));
        }
        let mut seen = BTreeSet::new();
        let mut units = Vec::new();
        let mut skipped = Vec::new();
        let items = self.items();
        if let Some(extra) = items.get(crate::MAX_BLOCKS) {
            return Err(self.error(
                extra.block.span(),
                format!(
                    "the configuration has {} resource and data blocks; the playground builds at most {} at once",
                    items.len(),
                    crate::MAX_BLOCKS
                ),
            ));
        }
        for item in items {
            if !seen.insert(item.address()) {
                return Err(self.error(
                    item.block.span(),
                    format!("{} is declared twice", item.address()),
                ));
            }
            if item.data {
                if !DATA_SOURCES.contains(&item.kind.as_str()) {
                    return Err(self.error(
                        item.block.span(),
                        format!(
                            "the data source {} is not simulated; the playground reads {}",
                            item.kind,
                            DATA_SOURCES.join(", ")
                        ),
                    ));
                }
                // They give the provider's Region and the standard
                // partition: an argument choosing another is not simulated.
                if matches!(item.kind.as_str(), "aws_region" | "aws_partition")
                    && let Some(argument) = item.block.body.attributes().next()
                {
                    return Err(self.error(
                        argument.span(),
                        format!(
                            "`{}` is not supported in data.{}: it gives the provider's Region and partition",
                            argument.key.as_str(),
                            item.kind
                        ),
                    ));
                }
                if item.kind == "aws_iam_policy_document" {
                    crate::document::render(&self, item.block, &mut Scope::default())?;
                }
                continue;
            }
            // A resource the simulator has no service for (the log group
            // or bucket that uses the key) is left out, and said so: a
            // real configuration always has some.
            if !RESOURCES.contains(&item.kind.as_str()) {
                skipped.push(Skipped {
                    address: item.address(),
                    at: self.at(item.block.span().map_or(0, |s| s.start)),
                });
                continue;
            }
            let mut scope = Scope::default();
            let steps = resource_steps(&self, &item, &mut scope)?;
            for dep in depends_on(&self, item.block)? {
                scope.deps.insert(dep);
            }
            units.push((item.address(), item.block.span(), scope.deps, steps));
        }
        // Apply order: a resource after those it refers to, otherwise as
        // written.
        // What waits for a skipped resource goes ahead without it.
        let mut done: BTreeSet<String> = skipped.iter().map(|s| s.address.clone()).collect();
        let mut ordered = Vec::new();
        while !units.is_empty() {
            let Some(next) = units.iter().position(|(address, _, deps, _)| {
                deps.iter().all(|d| d == address || done.contains(d))
            }) else {
                let (address, span, deps, _) = &units[0];
                let waiting: Vec<&String> = deps.iter().filter(|d| !done.contains(*d)).collect();
                return Err(self.error(
                    span.clone(),
                    format!(
                        "{address} waits for {}, which waits for it: Terraform refuses a cycle",
                        waiting
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            };
            let unit = units.remove(next);
            done.insert(unit.0.clone());
            ordered.push(unit);
        }
        let mut scenario = Scenario {
            id: "terraform".into(),
            title: "Your Terraform".into(),
            story: None,
            summary: "The world your Terraform configuration builds, resource by resource.".into(),
            seed: None,
            region: Some(self.options.region.clone()),
            accounts: vec![ScenarioAccount {
                id: self.options.account.clone(),
                name: ACCOUNT_NAME.into(),
            }],
            setup: Vec::new(),
            steps: Vec::new(),
            recap: None,
        };
        let mut resources = Vec::new();
        for (address, span, _, steps) in ordered {
            let start = scenario.steps.len();
            scenario.steps.extend(steps);
            resources.push(Resource {
                address,
                at: self.at(span.map_or(0, |s| s.start)),
                steps: start..scenario.steps.len(),
            });
        }
        if scenario.steps.is_empty() {
            return Err(TerraformError {
                at: None,
                message: format!(
                    "the configuration creates nothing the playground simulates ({}){}",
                    RESOURCES.join(", "),
                    match skipped.first() {
                        Some(s) => format!(
                            "; it skipped {} (line {}) and every other resource",
                            s.address, s.at.line
                        ),
                        None => String::new(),
                    }
                ),
                placeholder: None,
            });
        }
        crate::principals::complete(&mut scenario);
        Ok(Translation {
            scenario,
            resources,
            skipped,
        })
    }
}

/// The addresses of `depends_on = [aws_kms_key.x, ...]`.
fn depends_on(config: &Config<'_>, block: &Block) -> Result<Vec<String>, TerraformError> {
    let Some(attribute) = block.body.get_attribute("depends_on") else {
        return Ok(Vec::new());
    };
    let fail = || {
        config.error(
            attribute.value.span(),
            "`depends_on` must list resources, such as [aws_kms_key.app]",
        )
    };
    let items = attribute.value.as_array().ok_or_else(fail)?;
    items
        .iter()
        .map(|e| {
            let t = e.as_traversal().ok_or_else(fail)?;
            let root = t.expr.as_variable().ok_or_else(fail)?;
            let mut names = vec![root.as_str().to_string()];
            for op in &t.operators {
                match op.value() {
                    hcl_edit::expr::TraversalOperator::GetAttr(i) => {
                        names.push(i.as_str().to_string())
                    }
                    _ => return Err(fail()),
                }
            }
            match names.as_slice() {
                [kind, name] => Ok(format!("{kind}.{name}")),
                _ => Err(fail()),
            }
        })
        .collect()
}
