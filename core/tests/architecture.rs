//! The shape of `core/src`: no module imports a module that imports it back.
//!
//! A module is a file. Its imports are the `crate::` and `super::` paths it
//! names outside `macro_rules!` bodies, comments and its `#[cfg(test)]`
//! module. The one stated exception is by construction, not by accident: an
//! action table (`kms::actions`, `iam::actions`, `services::*::actions`) is a
//! macro whose rows name their handlers; the table's module only *defines*
//! the macro, and the module that expands it with handlers (`*::handle`)
//! takes the dependency. `request.rs` expands the same tables and never
//! touches a handler. See ARCHITECTURE.md.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// `kms/ops/keys.rs` -> `kms::ops::keys`; `kms/mod.rs` -> `kms`.
fn module_name(root: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(root).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts.join("::")
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text with comments, `macro_rules!` bodies and the test module removed.
fn code(source: &str) -> String {
    let source = match source.find("#[cfg(test)]\nmod tests") {
        Some(at) => &source[..at],
        None => source,
    };
    let source: String = source
        .lines()
        .map(|l| match l.find("//") {
            Some(at) => &l[..at],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = String::new();
    let mut rest = source.as_str();
    while let Some(at) = rest.find("macro_rules!") {
        out.push_str(&rest[..at]);
        let body = &rest[at..];
        let open = body.find('{').unwrap();
        let mut depth = 0;
        let mut end = body.len();
        for (i, c) in body[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &body[end..];
    }
    out.push_str(rest);
    out
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Every path after `prefix` (`crate::`, `super::`), including the members
/// of a `{...}` group that follows it.
fn paths(code: &str, prefix: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    for (at, _) in code.match_indices(prefix) {
        if code[..at].chars().next_back().is_some_and(is_ident) {
            continue;
        }
        let rest = &code[at + prefix.len()..];
        let mut parts = Vec::new();
        let mut tail = rest;
        loop {
            let len = tail.find(|c: char| !is_ident(c)).unwrap_or(tail.len());
            if len == 0 {
                break;
            }
            parts.push(tail[..len].to_string());
            tail = &tail[len..];
            if let Some(next) = tail.strip_prefix("::") {
                tail = next;
            } else {
                break;
            }
        }
        if tail.starts_with('{') {
            let group = &tail[1..tail.find('}').unwrap_or(tail.len())];
            for member in group.split(',') {
                let member: Vec<String> = member
                    .trim()
                    .split("::")
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty() && s.chars().all(is_ident))
                    .collect();
                let mut full = parts.clone();
                full.extend(member);
                found.push(full);
            }
        }
        found.push(parts);
    }
    found
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&root, &mut all);
    let sources: BTreeMap<String, String> = all
        .iter()
        .map(|f| (module_name(&root, f), std::fs::read_to_string(f).unwrap()))
        .collect();
    let mut edges = BTreeMap::new();
    for (module, source) in &sources {
        let code = code(source);
        let parent: Vec<String> = match module.rsplit_once("::") {
            Some((p, _)) => p.split("::").map(String::from).collect(),
            None => Vec::new(),
        };
        let mut targets = BTreeSet::new();
        let absolute = paths(&code, "crate::");
        let relative = paths(&code, "super::").into_iter().map(|p| {
            let mut full = parent.clone();
            full.extend(p);
            full
        });
        for path in absolute.into_iter().chain(relative) {
            // The longest prefix of the path that is a module.
            let target = (1..=path.len())
                .rev()
                .map(|n| path[..n].join("::"))
                .find(|m| sources.contains_key(m));
            if let Some(t) = target {
                let inside = t == *module || module.starts_with(&format!("{t}::"));
                if !inside {
                    targets.insert(t);
                }
            }
        }
        edges.insert(module.clone(), targets);
    }
    edges
}

/// The module path from `from` to `to`, if `to` is reachable.
fn path_between(
    edges: &BTreeMap<String, BTreeSet<String>>,
    from: &str,
    to: &str,
) -> Option<Vec<String>> {
    let mut previous: BTreeMap<String, String> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([from.to_string()]);
    while let Some(m) = queue.pop_front() {
        for next in edges.get(&m).into_iter().flatten() {
            if previous.contains_key(next) || next == from {
                continue;
            }
            previous.insert(next.clone(), m.clone());
            if next == to {
                let mut path = vec![to.to_string()];
                while let Some(p) = previous.get(path.last().unwrap()) {
                    path.push(p.clone());
                    if p == from {
                        break;
                    }
                }
                path.reverse();
                return Some(path);
            }
            queue.push_back(next.clone());
        }
    }
    None
}

#[test]
fn no_module_imports_a_module_that_imports_it_back() {
    let edges = graph();
    assert!(edges.len() > 50, "found {} modules", edges.len());
    let mut cycles = Vec::new();
    for (module, targets) in &edges {
        for target in targets {
            if let Some(back) = path_between(&edges, target, module) {
                cycles.push(format!("{module} -> {}", back.join(" -> ")));
            }
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn the_reader_finds_imports_as_written() {
    // The parser this test relies on sees grouped, nested and relative uses.
    let code = code(
        "use crate::{a::b, c};\nuse super::d::E;\n// crate::commented\nmacro_rules! m { () => { crate::hidden } }\nfn f() { crate::e::f(); }",
    );
    let mut absolute = paths(&code, "crate::");
    absolute.sort();
    assert_eq!(
        absolute,
        vec![
            vec![],
            vec!["a".to_string(), "b".to_string()],
            vec!["c".to_string()],
            vec!["e".to_string(), "f".to_string()],
        ]
    );
    assert_eq!(paths(&code, "super::"), vec![vec!["d", "E"]]);
}

#[test]
fn the_world_names_no_service() {
    let source =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/world.rs"))
            .unwrap();
    let code = code(&source);
    for service in ["kms::", "services::", "iam::", "Rds", "Ssm", "rds.", "ssm."] {
        assert!(
            !code.contains(service),
            "world.rs names {service}: routing belongs to route.rs"
        );
    }
}
