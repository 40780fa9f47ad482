//! Links: what the address bar, a shared link, localStorage and an
//! embedding page say the playground should open, and how the current
//! session is written back as a link.
//!
//! A link is `key=value` pairs, in the query or the fragment:
//! - `scenario=<id>&step=<n>`: a built-in story at a step;
//! - `scenario-url=<url>&step=<n>`: a scenario file a docs author published;
//! - `story=v1.<packed>&step=<n>`: a scenario carried in the link itself;
//! - `world=v1.<packed>`: a whole world (format, core version, seed and
//!   request log, as `World::export_json` writes it): opening it replays the
//!   log, so every ciphertext byte is the same;
//! - `embed` (query only): the compact layout for documentation pages.
//!
//! `v1.<packed>` is raw deflate (the browser's `CompressionStream`) in
//! unpadded base64url. Everything read from a link is checked and refused
//! with a sentence saying why; nothing in it can panic the page.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The packing this playground writes and reads.
pub const PACKING: &str = "v1";

/// What a link asks the page to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A built-in story, after `step` steps.
    Scenario {
        /// Its id.
        id: String,
        /// Steps already played.
        step: usize,
    },
    /// A scenario file at a URL, after `step` steps.
    ScenarioUrl {
        /// Where the file is.
        url: String,
        /// Steps already played.
        step: usize,
    },
    /// A scenario packed into the link, after `step` steps.
    PackedScenario {
        /// `v1.<packed>`.
        payload: String,
        /// Steps already played.
        step: usize,
    },
    /// A whole world, packed.
    World {
        /// `v1.<packed>`.
        payload: String,
    },
}

/// What a page address asks for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Request {
    /// The compact layout for documentation pages.
    pub embed: bool,
    /// What to open, if anything.
    pub target: Option<Target>,
}

/// Reads `a=b&c` pairs; values are percent-decoded by `decode` (the
/// browser's `decodeURIComponent`), which says `None` for malformed ones.
pub fn parse(text: &str, decode: impl Fn(&str) -> Option<String>) -> Result<Request, String> {
    let mut request = Request::default();
    let (mut scenario, mut url, mut story, mut world, mut step) = (None, None, None, None, None);
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
        let value = decode(raw)
            .ok_or_else(|| format!("The link's `{key}` is not correctly percent-encoded."))?;
        match key {
            "embed" => request.embed = true,
            "scenario" => scenario = Some(value),
            "scenario-url" => url = Some(value),
            "story" => story = Some(value),
            "world" => world = Some(value),
            "step" => {
                step = Some(value.parse::<usize>().map_err(|_| {
                    format!("The link's step must be a whole number of steps, not `{value}`.")
                })?)
            }
            _ => {}
        }
    }
    let step = step.unwrap_or(0);
    request.target = match (scenario, url, story, world) {
        (None, None, None, None) => None,
        (Some(id), None, None, None) => Some(Target::Scenario { id, step }),
        (None, Some(url), None, None) => Some(Target::ScenarioUrl { url, step }),
        (None, None, Some(payload), None) => Some(Target::PackedScenario { payload, step }),
        (None, None, None, Some(payload)) => Some(Target::World { payload }),
        _ => {
            return Err(
                "The link names more than one of scenario, scenario-url, story and world; it can open only one."
                    .into(),
            );
        }
    };
    Ok(request)
}

/// Writes a target as link text (`encode` percent-encodes a value).
pub fn write(target: &Target, encode: impl Fn(&str) -> String) -> String {
    let step = |step: &usize| {
        if *step == 0 {
            String::new()
        } else {
            format!("&step={step}")
        }
    };
    match target {
        Target::Scenario { id, step: n } => format!("scenario={}{}", encode(id), step(n)),
        Target::ScenarioUrl { url, step: n } => format!("scenario-url={}{}", encode(url), step(n)),
        Target::PackedScenario { payload, step: n } => format!("story={payload}{}", step(n)),
        Target::World { payload } => format!("world={payload}"),
    }
}

/// `v1.` and the base64url of already compressed bytes.
pub fn seal(compressed: &[u8]) -> String {
    format!("{PACKING}.{}", URL_SAFE_NO_PAD.encode(compressed))
}

/// The compressed bytes of a `v1.` payload, or why it cannot be one.
pub fn open(payload: &str) -> Result<Vec<u8>, String> {
    let (packing, data) = payload.split_once('.').ok_or_else(|| {
        "The link's data has no packing version (it should start with `v1.`); it was cut or edited."
            .to_string()
    })?;
    if packing != PACKING {
        return Err(format!(
            "The link's data is packed as `{packing}`; this playground (core {}) reads `{PACKING}`. Open it with the playground that made it, or ask for a new link.",
            kms_core::VERSION
        ));
    }
    if data.len() > crate::browser::MAX_TEXT {
        return Err("The link's data is too long to be a playground link.".into());
    }
    URL_SAFE_NO_PAD.decode(data).map_err(|e| {
        format!("The link's data is damaged (not base64url: {e}); it was cut or edited.")
    })
}

/// Packs JSON text into a `v1.` payload.
pub async fn pack(json: &str) -> Result<String, String> {
    crate::browser::compress(json.as_bytes())
        .await
        .map(|bytes| seal(&bytes))
}

/// Unpacks a `v1.` payload into its JSON text, refusing anything damaged or
/// too large with a sentence saying why.
pub async fn unpack(payload: &str) -> Result<String, String> {
    let compressed = open(payload)?;
    let bytes = crate::browser::decompress(&compressed)
        .await
        .map_err(|e| format!("The link's data is damaged (it does not unpack: {e})."))?;
    String::from_utf8(bytes).map_err(|_| "The link's data is damaged (not UTF-8 text).".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: &str) -> Option<String> {
        (!s.contains('%')).then(|| s.to_string())
    }

    #[test]
    fn links_round_trip() {
        for target in [
            Target::Scenario {
                id: "aurora-disable-key".into(),
                step: 3,
            },
            Target::ScenarioUrl {
                url: "docs/s.json".into(),
                step: 0,
            },
            Target::World {
                payload: "v1.abc".into(),
            },
        ] {
            let text = write(&target, |s| s.to_string());
            assert_eq!(parse(&text, plain).unwrap().target, Some(target));
        }
    }

    #[test]
    fn bad_links_say_why() {
        for (text, needle) in [
            ("scenario=a&step=-1", "whole number"),
            ("scenario=a&world=v1.x", "more than one"),
            ("scenario=%zz", "percent-encoded"),
        ] {
            let error = parse(text, plain).unwrap_err();
            assert!(error.contains(needle), "{text}: {error}");
        }
        assert!(open("v0.abc").unwrap_err().contains("`v0`"));
        assert!(open("nodot").unwrap_err().contains("packing version"));
        assert!(open("v1.@@@").unwrap_err().contains("base64url"));
        assert_eq!(open(&seal(&[1, 2, 3])).unwrap(), vec![1, 2, 3]);
        let embed = parse("embed&scenario=x", plain).unwrap();
        assert!(embed.embed);
    }
}
