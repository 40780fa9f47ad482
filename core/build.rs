//! Writes the index of the built-in scenarios (id, title, story tag) from
//! `scenarios/*.json`, so the playground lists them without compiling in
//! their text: it fetches a story's file when the learner opens it.

use std::{env, fs, path::Path};

/// The order the playground lists them in.
const ORDER: &[&str] = &[
    "envelope-encryption",
    "encryption-context",
    "aliases",
    "rotation-and-deletion",
    "key-policies",
    "policy-lockout",
    "terraform-kms-key",
    "grant-constraints",
    "aurora-disable-key",
    "snapshot-second-key",
    "cross-account-snapshot",
    "parameter-store",
];

fn main() {
    let dir = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join("scenarios");
    let mut index = String::from("&[\n");
    let mut texts = String::from("match id {\n");
    for id in ORDER {
        let path = dir.join(format!("{id}.json"));
        println!("cargo:rerun-if-changed={}", path.display());
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let json: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let field = |name: &str| json.get(name).and_then(|v| v.as_str());
        assert_eq!(
            field("Id"),
            Some(*id),
            "{}: Id must be the file's name",
            path.display()
        );
        let title = field("Title").unwrap_or_else(|| panic!("{}: no Title", path.display()));
        index += &format!(
            "    Entry {{ id: {id:?}, title: {title:?}, story: {:?} }},\n",
            field("Story")
        );
        texts += &format!(
            "    {id:?} => Some(include_str!({:?})),\n",
            path.display().to_string()
        );
    }
    index += "]\n";
    texts += "    _ => None,\n}\n";
    let out = Path::new(&env::var("OUT_DIR").unwrap()).to_path_buf();
    fs::write(out.join("builtin_index.rs"), index).unwrap();
    fs::write(out.join("builtin_texts.rs"), texts).unwrap();
    println!("cargo:rerun-if-changed=build.rs");
}
