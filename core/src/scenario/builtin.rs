//! The built-in scenarios, `core/scenarios/<id>.json`.
//!
//! [`INDEX`] lists them (id, title, story tag) without their text, so a
//! program that only lists them (the playground, which fetches a story's
//! file when it is opened) does not carry every story in its binary. The
//! text is compiled in only where [`text`], [`get`] or [`all`] is called.
//! `build.rs` writes both from the files and keeps the order they are listed in.

use super::{Scenario, ScenarioError};
use alloc::vec::Vec;

/// A built-in scenario, as a list shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// Its id: the file's name and the `?scenario=` of a link.
    pub id: &'static str,
    /// Its title.
    pub title: &'static str,
    /// The SCENARIOS.md story it tells (part of), such as `S4`.
    pub story: Option<&'static str>,
}

/// Every built-in scenario, in the order the playground lists them.
pub const INDEX: &[Entry] = include!(concat!(env!("OUT_DIR"), "/builtin_index.rs"));

/// The JSON text of a built-in scenario.
pub fn text(id: &str) -> Option<&'static str> {
    include!(concat!(env!("OUT_DIR"), "/builtin_texts.rs"))
}

/// The scenario listed after `id`, with its number (counted from 1).
pub fn next(id: &str) -> Option<(usize, Entry)> {
    let i = INDEX.iter().position(|e| e.id == id)? + 1;
    INDEX.get(i).map(|e| (i + 1, *e))
}

/// Says there is no built-in scenario `id`, and lists those there are.
pub fn unknown(id: &str) -> ScenarioError {
    let ids: Vec<&str> = INDEX.iter().map(|e| e.id).collect();
    ScenarioError(alloc::format!(
        "There is no built-in story `{id}`. Pick one from the list: {}.",
        ids.join(", ")
    ))
}

/// Parses one built-in scenario.
pub fn get(id: &str) -> Result<Scenario, ScenarioError> {
    Scenario::parse(text(id).ok_or_else(|| unknown(id))?)
}

/// Parses every built-in scenario.
pub fn all() -> Result<Vec<Scenario>, ScenarioError> {
    INDEX.iter().map(|e| get(e.id)).collect()
}

/// The built-in challenges (`core/challenges/<id>.json`), easiest first:
/// id and text. Compiled in only where it is used (the workbench page).
pub const CHALLENGES: &[(&str, &str)] = &[
    (
        "challenge-app-without-disable",
        include_str!("../../challenges/challenge-app-without-disable.json"),
    ),
    (
        "challenge-wrong-context",
        include_str!("../../challenges/challenge-wrong-context.json"),
    ),
    (
        "challenge-recover-cluster",
        include_str!("../../challenges/challenge-recover-cluster.json"),
    ),
    (
        "challenge-grant-by-context",
        include_str!("../../challenges/challenge-grant-by-context.json"),
    ),
    (
        "challenge-share-snapshot",
        include_str!("../../challenges/challenge-share-snapshot.json"),
    ),
    (
        "challenge-managed-key-snapshot",
        include_str!("../../challenges/challenge-managed-key-snapshot.json"),
    ),
    (
        "challenge-deny-outside-account",
        include_str!("../../challenges/challenge-deny-outside-account.json"),
    ),
    (
        "challenge-lockout-separate-admins",
        include_str!("../../challenges/challenge-lockout-separate-admins.json"),
    ),
];
