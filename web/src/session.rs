//! The learner's session: the story or free-play world on screen, how it is
//! opened from a link, a file or localStorage, and how it is written back.

use crate::browser;
use crate::free::FreePlay;
use crate::share::{self, Target};
use crate::story::{Origin, Story};
use kms_core::World;
use kms_core::scenario::{Scenario, builtin};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Where the session survives a reload.
pub const STORAGE_KEY: &str = "kms-playground.session";

/// A message above the stage: a link that could not open, a restored session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Banner {
    /// Whether it reports a failure.
    pub error: bool,
    /// What to say.
    pub text: String,
}

/// Everything the page shows, as signals. Copy: every component holds one.
#[derive(Clone, Copy)]
pub struct Session {
    /// The story being followed, if any.
    pub story: RwSignal<Option<Story>>,
    /// The free-play world, if any.
    pub free: RwSignal<Option<FreePlay>>,
    /// A message for the learner.
    pub banner: RwSignal<Option<Banner>>,
    /// The link to what is on screen (the fragment, without `#`), once known.
    pub link: RwSignal<String>,
    /// The compact layout for documentation pages: no chrome, and the
    /// session is neither written to the address bar nor to localStorage.
    pub embed: bool,
    written: StoredValue<String>,
    generation: StoredValue<u64>,
    /// Built-in stories already fetched, so opening one again is instant.
    fetched: StoredValue<Vec<Scenario>>,
    /// Counts what the learner opened: a story that arrives after the
    /// learner opened something else is dropped.
    opened: StoredValue<u64>,
}

impl Session {
    /// An empty session.
    pub fn new(embed: bool) -> Self {
        Self {
            story: RwSignal::new(None),
            free: RwSignal::new(None),
            banner: RwSignal::new(None),
            link: RwSignal::new(String::new()),
            embed,
            written: StoredValue::new(String::new()),
            generation: StoredValue::new(0),
            fetched: StoredValue::new(Vec::new()),
            opened: StoredValue::new(0),
        }
    }

    /// Reads the world on screen (and subscribes to it).
    pub fn with_world<R>(&self, f: impl FnOnce(&World) -> R) -> Option<R> {
        let mut f = Some(f);
        let read = self.story.with(|s| {
            s.as_ref()
                .and_then(|s| f.take().map(|f| f(s.run().world())))
        });
        read.or_else(|| {
            self.free
                .with(|p| p.as_ref().and_then(|p| f.take().map(|f| f(&p.world))))
        })
    }

    /// Shows a message. A refusal also puts the address of what is on
    /// screen back in the address bar: a reload must not open the refused
    /// link again, nor a copied address share it.
    fn say(&self, error: bool, text: impl Into<String>) {
        self.banner.set(Some(Banner {
            error,
            text: text.into(),
        }));
        if error && !self.embed {
            let current = self.link.get_untracked();
            self.written.set_value(current.clone());
            browser::replace_fragment(&current);
        }
    }

    /// Shows a story at a step. A scenario the core refuses leaves the
    /// world on screen as it was and says why.
    pub fn show_story(&self, scenario: &Scenario, origin: Origin, step: usize) {
        match Story::at(scenario, origin, step) {
            Ok(story) => {
                self.free.set(None);
                self.story.set(Some(story));
                let steps = scenario.steps.len();
                if step > steps {
                    self.say(
                        false,
                        format!("This link asks for step {step}; the story has {steps} steps, so it is shown at its end."),
                    );
                }
            }
            Err(e) => self.say(
                true,
                format!("The story \"{}\" could not start: {e}", scenario.title),
            ),
        }
    }

    /// Shows a free-play world.
    pub fn show_free(&self, free: FreePlay) {
        self.opening();
        self.story.set(None);
        self.free.set(Some(free));
    }

    /// Opens what a link (query or fragment text) asks for; says why when it
    /// cannot. Returns whether the link asked for anything.
    pub fn open_link(&self, text: &str) -> bool {
        match share::parse(text, browser::decode) {
            Err(e) => {
                self.say(true, format!("This link could not be opened: {e}"));
                true
            }
            Ok(request) => match request.target {
                None => false,
                Some(target) => {
                    self.open(target);
                    true
                }
            },
        }
    }

    /// A new number for what is being opened; [`Session::current`] says
    /// whether it is still what the learner asked for last.
    fn opening(&self) -> u64 {
        let n = self.opened.get_value() + 1;
        self.opened.set_value(n);
        n
    }

    /// Whether `opened` is still what the learner opened last; not once the
    /// playground is unmounted, for what finishes after that.
    fn current(&self, opened: u64) -> bool {
        self.opened.try_get_value() == Some(opened)
    }

    /// Opens a target; links that need fetching or unpacking finish later,
    /// unless the learner opened something else meanwhile.
    pub fn open(&self, target: Target) {
        self.open_then(target, || ());
    }

    /// Opens a built-in story at its first step, and brings it into view
    /// once it is on screen.
    pub fn open_story(&self, id: &str) {
        self.open_then(
            Target::Scenario {
                id: id.to_string(),
                step: 0,
            },
            browser::scroll_to_stage,
        );
    }

    fn open_then(&self, target: Target, shown: fn()) {
        self.banner.set(None);
        let opened = self.opening();
        let session = *self;
        match target {
            Target::Scenario { id, step } => {
                let Some(entry) = builtin::INDEX.iter().find(|e| e.id == id) else {
                    return self.say(true, builtin::unknown(&id).0);
                };
                let fetched = self
                    .fetched
                    .with_value(|f| f.iter().find(|s| s.id == entry.id).cloned());
                if let Some(scenario) = fetched.or_else(|| bundled(entry.id)) {
                    self.show_story(&scenario, Origin::Builtin(id), step);
                    return shown();
                }
                spawn_local(async move {
                    let loaded = browser::fetch(&format!("scenarios/{}.json", entry.id))
                        .await
                        .and_then(|text| Scenario::parse(&text).map_err(|e| e.0));
                    if !session.current(opened) {
                        return;
                    }
                    match loaded {
                        Ok(scenario) => {
                            session.fetched.update_value(|f| f.push(scenario.clone()));
                            session.show_story(&scenario, Origin::Builtin(id), step);
                            shown();
                        }
                        Err(e) => session.say(
                            true,
                            format!("The story \"{}\" could not be loaded: {e}.", entry.title),
                        ),
                    }
                })
            }
            Target::ScenarioUrl { url, step } => spawn_local(async move {
                let loaded = browser::fetch(&url).await;
                if !session.current(opened) {
                    return;
                }
                match loaded {
                    Ok(text) => session.open_scenario_text(&text, Origin::Url(url), step),
                    Err(e) => {
                        session.say(true, format!("The scenario file could not be loaded: {e}."))
                    }
                }
            }),
            Target::PackedScenario { payload, step } => spawn_local(async move {
                let unpacked = share::unpack(&payload).await;
                if !session.current(opened) {
                    return;
                }
                match unpacked {
                    Ok(text) => session.open_scenario_text(&text.clone(), Origin::Text(text), step),
                    Err(e) => session.say(true, format!("This link could not be opened: {e}")),
                }
            }),
            Target::World { payload } => spawn_local(async move {
                let unpacked = share::unpack(&payload).await;
                if !session.current(opened) {
                    return;
                }
                match unpacked {
                    Ok(text) => session.open_world_text(&text, "This link"),
                    Err(e) => session.say(true, format!("This link could not be opened: {e}")),
                }
            }),
        }
    }

    fn open_scenario_text(&self, text: &str, origin: Origin, step: usize) {
        match (Scenario::parse(text), origin) {
            (Ok(scenario), origin) => self.show_story(&scenario, origin, step),
            // A docs author's challenge: the workbench checks attempts.
            (Err(e), Origin::Url(url)) if e.is_challenge_file() => {
                browser::open_in_workbench(&url, self.embed)
            }
            (Err(e), _) => self.say(true, format!("This scenario could not be read: {e}")),
        }
    }

    fn open_world_text(&self, text: &str, what: &str) {
        match FreePlay::restore(text) {
            Ok(free) => self.show_free(free),
            Err(e) => self.say(
                true,
                format!("{what} could not be opened: {}: {}", e.name(), e.message()),
            ),
        }
    }

    /// Opens a file the learner chose: a scenario (it has `Steps`) or an
    /// exported world.
    pub fn open_file(&self, text: &str) {
        self.banner.set(None);
        self.opening();
        let scenario = serde_json::from_str::<serde_json::Value>(text)
            .map(|v| v.get("Steps").is_some())
            .unwrap_or(false);
        if scenario {
            self.open_scenario_text(text, Origin::Text(text.to_string()), 0);
        } else {
            self.open_world_text(text, "This file");
        }
    }

    /// Starts the page: the query (deep links, embed), else the fragment
    /// (share links), else the last session from localStorage.
    pub fn boot(&self, query: &str) {
        if self.open_link(query) || self.open_link(&browser::fragment()) || self.embed {
            return;
        }
        if let Some(saved) = browser::load(STORAGE_KEY) {
            self.written.set_value(saved.clone());
            if !self.open_link(&saved) {
                browser::save(STORAGE_KEY, "");
            }
        }
    }

    /// Follows the address bar when the learner pastes another link.
    pub fn follow(&self, fragment: &str) {
        if fragment != self.written.get_value() {
            self.written.set_value(fragment.to_string());
            self.open_link(fragment);
        }
    }

    /// Writes the session back as a link (in `link`, and unless embedded,
    /// to the address bar and localStorage). Call inside an effect: it
    /// subscribes to the session.
    pub fn write_back(&self) {
        let plan = self.plan();
        let Some(plan) = plan else { return };
        let generation = self.generation.get_value() + 1;
        self.generation.set_value(generation);
        let session = *self;
        spawn_local(async move {
            let fragment = match plan {
                Plan::Ready(target) => share::write(&target, browser::encode),
                Plan::PackStory(json, step) => match share::pack(&json).await {
                    Ok(payload) => {
                        share::write(&Target::PackedScenario { payload, step }, browser::encode)
                    }
                    Err(_) => return,
                },
                Plan::PackWorld(json) => match share::pack(&json).await {
                    Ok(payload) => share::write(&Target::World { payload }, browser::encode),
                    Err(_) => return,
                },
            };
            // A newer write is on its way, or the playground is gone.
            if session.generation.try_get_value() != Some(generation) {
                return;
            }
            session.link.set(fragment.clone());
            if !session.embed {
                session.written.set_value(fragment.clone());
                browser::replace_fragment(&fragment);
                browser::save(STORAGE_KEY, &fragment);
            }
        });
    }

    fn plan(&self) -> Option<Plan> {
        let story = self.story.with(|s| {
            s.as_ref().map(|s| {
                let step = s.run().position();
                match &s.origin {
                    Origin::Builtin(id) => Plan::Ready(Target::Scenario {
                        id: id.clone(),
                        step,
                    }),
                    Origin::Url(url) => Plan::Ready(Target::ScenarioUrl {
                        url: url.clone(),
                        step,
                    }),
                    Origin::Text(text) => Plan::PackStory(text.clone(), step),
                }
            })
        });
        story.or_else(|| {
            self.free
                .with(|f| f.as_ref().map(|f| Plan::PackWorld(f.world.export_json())))
        })
    }

    /// The full address of what is on screen, for sharing.
    pub fn address(&self) -> String {
        format!("{}#{}", browser::address(), self.link.get())
    }
}

/// How to write the session as a link.
enum Plan {
    Ready(Target),
    PackStory(String, usize),
    PackWorld(String),
}

/// A built-in story compiled into the page: only where the page has no
/// server beside it to fetch `scenarios/<id>.json` from (the wasm tests).
/// The playground fetches them: their text would cost 12 KB of gzipped
/// wasm on first load.
#[cfg(feature = "bundled-stories")]
fn bundled(id: &str) -> Option<Scenario> {
    builtin::get(id).ok()
}

#[cfg(not(feature = "bundled-stories"))]
fn bundled(_: &str) -> Option<Scenario> {
    None
}
