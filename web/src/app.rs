use crate::audit::AuditPanel;
use crate::browser;
use crate::console::{Console, ConsoleView};
use crate::envelope::DecryptDataKey;
use crate::free::{CLOCK_STEPS, FreePlay};
use crate::list::{Keyed, keyed};
use crate::markdown::Narration;
use crate::session::Session;
use crate::share;
use crate::step::{StepCard, account_names, interval_events};
use crate::story::{Origin, Story};
use crate::world_view::WorldPanel;
use kms_core::World;
use kms_core::crypto::context::EncryptionContext;
use kms_core::kms::api::DecryptRequest;
use kms_core::scenario::{StepResult, builtin};
use kms_core::{Caller, Request, Response};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The whole playground page. It opens what the address asks for (a deep
/// link, a share link, embed mode), else the last session.
#[component]
pub fn App() -> impl IntoView {
    let query = browser::query();
    let embed = share::parse(&query, browser::decode).is_ok_and(|r| r.embed);
    let session = Session::new(embed);
    let console = Console::new();
    session.boot(&query);
    Effect::new(move |_| session.write_back());
    let follow = window_event_listener(leptos::ev::hashchange, move |_| {
        session.follow(&browser::fragment())
    });
    // → and ← step through a story (not while typing in a field).
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.alt_key() || ev.ctrl_key() || ev.meta_key() || browser::typing(&ev) {
            return;
        }
        let forward = match ev.key().as_str() {
            "ArrowRight" => true,
            "ArrowLeft" => false,
            _ => return,
        };
        if session.story.with_untracked(Option::is_some) {
            ev.prevent_default();
            session.story.update(|s| {
                if let Some(s) = s {
                    if forward { s.next() } else { s.back() }
                }
            });
        }
    });
    // A page that unmounts the playground (a docs page swapping it out)
    // keeps its window: the listeners go with the playground.
    on_cleanup(move || {
        follow.remove();
        keys.remove();
    });
    let has_world = move || session.with_world(|_| ()).is_some();
    // The stage is rebuilt only when another story or world is opened;
    // steps and clock moves update it in place.
    let shown = Memo::new(move |_| {
        (
            session.story.with(|s| s.as_ref().map(|s| s.serial)),
            session.free.with(|f| f.as_ref().map(|f| f.serial)),
        )
    });
    let stage = move || {
        let (story, free) = shown.get();
        if story.is_some() {
            story_view(session).into_any()
        } else if free.is_some() {
            free_view(session, console).into_any()
        } else if embed {
            ().into_any()
        } else {
            welcome().into_any()
        }
    };
    let banner = move || {
        session.banner.get().map(|b| {
            view! {
                <div class="banner" class:error=b.error role="alert" data-testid="banner">
                    <span>{b.text}</span>
                    <button class="icon" aria-label="Dismiss this message" on:click=move |_| session.banner.set(None)>"×"</button>
                </div>
            }
        })
    };
    view! {
        <div class="app" class:embed=embed data-testid="app">
            {(!embed).then(|| view! {
                <header class="top">
                    <div>
                        <h1>"KMS Playground"</h1>
                        <p class="lede">"Learn and reason about AWS KMS: a faithful simulator that runs in your browser and explains every decision."</p>
                        <a href="workbench/" data-testid="to-workbench">"Policy workbench: paste your Terraform"</a>
                    </div>
                    <SessionTools session/>
                </header>
            })}
            {banner}
            <div class="layout" class:embed=embed>
                {(!embed).then(|| view! { <StoryList session/> })}
                <div class="stage" class:with-world=has_world>
                    <main class="main-col">
                        {stage}
                        <AuditPanel session/>
                    </main>
                    <WorldPanel session console/>
                </div>
            </div>
            <Footer session/>
        </div>
    }
}

fn welcome() -> impl IntoView {
    view! {
        <section class="welcome" data-testid="welcome">
            <h2>"Pick a story"</h2>
            <p>"Each story is a real-world KMS situation, played step by step against a simulated AWS: real AES-256-GCM, the real error names, and for every authorization, the statements that decided it."</p>
            <p>"Or start free play and send any request yourself. Your session stays in this browser and in the address bar: copy the address to share exactly this world."</p>
        </section>
    }
}

/// The list of built-in stories, and free play.
#[component]
fn StoryList(session: Session) -> impl IntoView {
    let picker = builtin::INDEX
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            // Stories are numbered: several tell parts of one SCENARIOS.md
            // story, whose tag is kept as the button's title.
            let tag = (i + 1).to_string();
            let story_tag = entry.story.unwrap_or_default();
            let title = entry.title;
            let testid = format!("story-{}", entry.id);
            let id = entry.id;
            let current = move || {
                session
                    .story
                    .with(|s| s.as_ref().is_some_and(|s| matches!(&s.origin, Origin::Builtin(i) if i == id)))
            };
            view! {
                <li>
                    <button class="story-link" data-testid=testid title=story_tag aria-current=move || current().then_some("true")
                        on:click=move |_| session.open_story(id)>
                        <span class="tag">{tag}</span>
                        <span>{title}</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="stories" aria-label="Stories">
            <h2>"Stories"</h2>
            <ul>{picker}</ul>
            <h2>"Experiment"</h2>
            <button class="story-link" data-testid="free-play" on:click=move |_| {
                session.banner.set(None);
                match fresh_seed() {
                    Ok(seed) => session.show_free(FreePlay::fresh(seed)),
                    Err(text) => session.banner.set(Some(crate::session::Banner { error: true, text })),
                }
            }>
                <span class="tag">"+"</span>
                <span>"Free play: a new world with a production and a staging account"</span>
            </button>
        </nav>
    }
}

/// Share, export and open: the session as a link or a file.
#[component]
fn SessionTools(session: Session) -> impl IntoView {
    let shown = RwSignal::new(None::<String>);
    let copied = RwSignal::new(String::new());
    let share = move |_| {
        let address = session.address();
        shown.set(Some(address.clone()));
        spawn_local(async move {
            copied.set(match browser::copy(&address).await {
                Ok(()) => "Copied to the clipboard.".into(),
                Err(_) => "Select it and copy it.".into(),
            })
        });
    };
    let export = move |_| {
        if let Some(json) = session.with_world(|w| w.export_json()) {
            browser::offer_download("kms-playground-world.json", &json);
        }
    };
    let open = move |ev: leptos::ev::Event| {
        let input = ev.target().map(wasm_bindgen::JsValue::from);
        spawn_local(async move {
            let Some(input) = input else { return };
            match browser::chosen_file(&input).await {
                Ok(text) => session.open_file(&text),
                Err(e) => session.banner.set(Some(crate::session::Banner {
                    error: true,
                    text: format!("The file could not be read: {e}."),
                })),
            }
        });
    };
    let no_world = move || session.with_world(|_| ()).is_none();
    view! {
        <div class="tools" role="toolbar" aria-label="Share and save">
            <button data-testid="share" disabled=no_world on:click=share
                title="A link that opens exactly this world, ciphertexts included">"Share link"</button>
            <button data-testid="export" disabled=no_world on:click=export
                title="Download the world (seed and request log, plaintexts included) as JSON">"Export JSON"</button>
            <label class="button file" title="Open an exported world or a scenario file">
                "Open file…"
                <input type="file" accept=".json,application/json" data-testid="open-file" on:change=open/>
            </label>
            {move || shown.get().map(|address| view! {
                <div class="share-box">
                    <input readonly data-testid="share-link" aria-label="Link to this world" prop:value=address
                        on:focus=move |ev| {
                            use wasm_bindgen::JsCast;
                            if let Some(input) = ev.target().and_then(|t| t.dyn_into::<leptos::web_sys::HtmlInputElement>().ok()) {
                                input.select();
                            }
                        }/>
                    <span class="note">{move || copied.get()}</span>
                    <p class="note warning" data-testid="share-warning">
                        "This link replays everything done in this world, so it contains the plaintexts you encrypted, the SecureString values you stored and the rows you inserted. Share it only with people who may see them."
                    </p>
                </div>
            })}
        </div>
    }
}

#[component]
fn Footer(session: Session) -> impl IntoView {
    let check = kms_core::selftest::aes256_gcm_known_answer();
    let tag = hex::encode(check.tag);
    let verdict = if check.passed { "passed" } else { "FAILED" };
    let open_full = session.embed.then(|| {
        view! {
            <a class="open-full" target="_blank" rel="noopener" data-testid="open-in-playground"
                href=move || session.address()>"Open in KMS Playground ↗"</a>
        }
    });
    view! {
        <footer>
            {open_full}
            <span>"kms-core " {kms_core::VERSION} " · AES-256-GCM known-answer test: "
            <strong data-testid="selftest-verdict">{verdict}</strong>
            " (tag " <code data-testid="selftest-tag">{tag}</code> ")"</span>
        </footer>
    }
}

/// Where a list of cards reads its steps: the story or the free-play world
/// on screen. One (non-generic) list serves both.
#[derive(Clone, Copy)]
enum Cards {
    Story(RwSignal<Option<Story>>),
    Free(RwSignal<Option<FreePlay>>),
}

impl Cards {
    /// Reads the serial, the results and the world (subscribing if `tracked`).
    fn read<R>(self, tracked: bool, f: impl FnOnce(u64, &[StepResult], &World) -> R) -> Option<R> {
        match self {
            Cards::Story(signal) => {
                let read = |s: &Option<Story>| {
                    s.as_ref()
                        .map(|s| f(s.serial, s.results(), s.run().world()))
                };
                if tracked {
                    signal.with(read)
                } else {
                    signal.with_untracked(read)
                }
            }
            Cards::Free(signal) => {
                let read =
                    |p: &Option<FreePlay>| p.as_ref().map(|p| f(p.serial, &p.results, &p.world));
                if tracked {
                    signal.with(read)
                } else {
                    signal.with_untracked(read)
                }
            }
        }
    }

    /// How a card gets a stored data key back through KMS's Decrypt, as the
    /// card's caller (`actor`, "arn" or "arn via service"): in free play a
    /// real call (a new card, a new event); in a story, a call in a copy
    /// of the story's world, which leaves the story as it is.
    fn decrypt(self, actor: Option<String>) -> Option<(DecryptDataKey, &'static str)> {
        let actor = actor?;
        let (arn, via) = match actor.split_once(" via ") {
            Some((arn, via)) => (arn.to_string(), via.to_string()),
            None => (actor, String::new()),
        };
        let request = |blob: Vec<u8>, context: EncryptionContext| {
            Request::Decrypt(DecryptRequest {
                ciphertext_blob: blob,
                encryption_context: Some(context),
                ..Default::default()
            })
        };
        match self {
            Cards::Story(story) => Some((
                Callback::new(move |(blob, context): (Vec<u8>, EncryptionContext)| {
                    let (mut world, region) = story
                        .with_untracked(|s| {
                            let run = s.as_ref()?.run();
                            Some((run.world().clone(), run.region().clone()))
                        })
                        .ok_or("the story is closed")?;
                    let caller =
                        Caller::parse(&arn, Some(&via), region).map_err(|e| e.to_string())?;
                    match world.call(caller, request(blob, context)).result {
                        Ok(Response::Decrypt(d)) => Ok(d.plaintext),
                        Ok(_) => Err(String::from("Decrypt answered something else")),
                        Err(e) => Err(e.to_string()),
                    }
                }),
                "The Decrypt runs in a copy of the story's world, as this step's caller: the story does not change.",
            )),
            Cards::Free(free) => Some((
                Callback::new(move |(blob, context): (Vec<u8>, EncryptionContext)| {
                    let json = kms_core::json::to_value(&request(blob, context))
                        .map_err(|e| e.to_string())?
                        .to_string();
                    let answer = free.try_update(|f| {
                        let f = f.as_mut()?;
                        let r = f.send(&arn, &via, &json);
                        // The Decrypt card's envelope holds the plaintext it returned.
                        Some(match (&r.error, &r.envelope) {
                            (Some(e), _) => Err(e.to_string()),
                            (None, Some(e)) => e
                                .plaintext
                                .clone()
                                .ok_or_else(|| String::from("Decrypt answered no plaintext")),
                            (None, None) => Err(String::from("Decrypt answered nothing")),
                        })
                    });
                    answer
                        .flatten()
                        .unwrap_or_else(|| Err(String::from("free play is closed")))
                }),
                "The Decrypt is a real call in this world, as this step's caller: it is a new card and a new event in the audit trail.",
            )),
        }
    }

    /// "Next:" after the card of step `index` if it is the newest (or
    /// before any card, `usize::MAX`): stories only.
    fn upcoming(self, index: usize) -> Option<String> {
        let Cards::Story(story) = self else {
            return None;
        };
        story.with(|s| {
            let s = s.as_ref()?;
            let newest = s.run().position().checked_sub(1).unwrap_or(usize::MAX);
            (newest == index)
                .then(|| s.upcoming().map(String::from))
                .flatten()
        })
    }
}

/// The cards of played steps, newest first, keyed: a step played adds its
/// card and going back removes one; the others are not rebuilt, so what the
/// learner opened in them stays open. "Next:" follows the newest card.
fn cards(source: Cards) -> impl IntoView {
    let story = matches!(source, Cards::Story(_));
    let keys = move || {
        source
            .read(true, |serial, results, _| {
                results
                    .iter()
                    .rev()
                    .map(|r| (serial, r.index))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    let upcoming = move |index: usize| {
        source.upcoming(index).map(|text| {
            view! { <p class="upcoming" data-testid="upcoming">"Next: " <Narration text/></p> }
        })
    };
    let card = move |index: usize| {
        let card = source
            .read(false, |_, results, world| {
                let result = results.get(index)?;
                // Only a card with a plaintext data key offers the round trip.
                let offers = result
                    .envelope
                    .as_ref()
                    .and_then(|e| e.plaintext_data_key());
                let decrypt = offers.and_then(|_| source.decrypt(result.actor.clone()));
                Some(card_view(world, result, story, decrypt))
            })
            .flatten();
        view! { {card} {move || upcoming(index)} }.into_any()
    };
    let items = move || {
        keys()
            .into_iter()
            .map(|(serial, index)| Keyed::new(&(serial, index), move || card(index)))
            .collect()
    };
    view! {
        {move || keys().is_empty().then(|| upcoming(usize::MAX))}
        {keyed(items)}
    }
}

/// One card for `result`, played in `world`. Built outside the list above so
/// that its (large) view code is compiled once.
#[inline(never)]
fn card_view(
    world: &World,
    result: &StepResult,
    story: bool,
    decrypt: Option<(DecryptDataKey, &'static str)>,
) -> AnyView {
    let names = account_names(world);
    let events = interval_events(world, result);
    let result = result.clone();
    view! { <StepCard result story names events decrypt/> }.into_any()
}

fn story_view(session: Session) -> impl IntoView {
    let story = session.story;
    let read = move |f: fn(&Story) -> String| story.with(|s| s.as_ref().map(f).unwrap_or_default());
    let played = move || story.with(|s| s.as_ref().map_or(0, |s| s.run().position()));
    let finished = move || story.with(|s| s.as_ref().is_none_or(|s| s.run().finished()));
    let progress = move || {
        story.with(|s| {
            s.as_ref().map(|s| {
                let passed = s.results().iter().filter(|r| r.passed).count();
                format!(
                    "{} of {} steps · {passed} as expected",
                    s.run().position(),
                    s.scenario().steps.len()
                )
            })
        })
    };
    // Once the last step is played: what to remember, and the next story.
    let recap = move || {
        let (recap, next) = story.with(|s| {
            let s = s.as_ref().filter(|s| s.run().finished())?;
            let next = match &s.origin {
                Origin::Builtin(id) => builtin::next(id),
                _ => None,
            };
            Some((s.scenario().recap.clone(), next))
        })?;
        let next = next.map(|(number, entry)| {
            let label = format!("Next story: {number}. {} →", entry.title);
            view! {
                <button class="primary" data-testid="next-story" on:click=move |_| session.open_story(entry.id)>{label}</button>
            }
        });
        Some(view! {
            <aside class="recap" data-testid="recap">
                <h3>"Recap"</h3>
                {recap.map(|text| view! { <p><Narration text/></p> })}
                {next}
            </aside>
        })
    };
    view! {
        <section class="story" data-testid="story">
            <h2>{move || read(|s| s.scenario().title.clone())}</h2>
            <p class="summary">{move || read(|s| s.scenario().summary.clone())}</p>
            <div class="controls" role="toolbar" aria-label="Story controls">
                <button data-testid="back" disabled=move || played() == 0 aria-keyshortcuts="ArrowLeft" title="Back (←)" on:click=move |_| story.update(|s| if let Some(s) = s { s.back() })>"← Back"</button>
                <button data-testid="next" class="primary" disabled=finished aria-keyshortcuts="ArrowRight" title="Next step (→)" on:click=move |_| story.update(|s| if let Some(s) = s { s.next() })>"Next step →"</button>
                <button data-testid="run-to-end" disabled=finished on:click=move |_| story.update(|s| if let Some(s) = s { s.run_to_end() })>"Run to end"</button>
                {(!session.embed).then(|| view! {
                    <button data-testid="experiment" title="Leave the story and continue freely in this world" on:click=move |_| {
                        let left = story.with(|s| {
                            s.as_ref().map(|s| {
                                let mut free = FreePlay::from_world(s.run().world().clone());
                                free.story = Some((s.scenario().title.clone(), s.results().to_vec()));
                                free
                            })
                        });
                        if let Some(free) = left {
                            session.show_free(free);
                        }
                    }>"Experiment from here"</button>
                })}
                <span class="progress" data-testid="progress" aria-live="polite">{progress}</span>
                <span class="keys note" aria-hidden="true">"Keys: → next, ← back"</span>
            </div>
            <div class="steps">{recap}{cards(Cards::Story(story))}</div>
        </section>
    }
}

/// A seed for a fresh world from the host's entropy (the browser's
/// `crypto.getRandomValues`, through getrandom): every free-play world
/// differs, and its log (seed included) still replays it exactly.
pub fn fresh_seed() -> Result<[u8; 32], String> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed)
        .map(|()| seed)
        .map_err(|e| format!("This browser gave no random numbers for a new world ({e})."))
}

/// The cards of the story free play was continued from, below the free
/// play's own: they never change, so they are built once.
fn story_so_far(free: RwSignal<Option<FreePlay>>) -> Option<impl IntoView> {
    let (title, cards) = free.with_untracked(|f| {
        let f = f.as_ref()?;
        let (title, results) = f.story.as_ref()?;
        let cards = results
            .iter()
            .rev()
            .map(|r| card_view(&f.world, r, true, None))
            .collect_view();
        Some((title.clone(), cards))
    })?;
    Some(view! {
        <section class="story-so-far" data-testid="story-so-far">
            <h3>{format!("Before: the story “{title}”")}</h3>
            <div class="steps">{cards}</div>
        </section>
    })
}

fn free_view(session: Session, console: Console) -> impl IntoView {
    let free = session.free;
    let clock = CLOCK_STEPS
        .iter()
        .enumerate()
        .map(|(i, (label, seconds))| {
            let seconds = *seconds;
            view! {
                <button data-testid=format!("clock-{i}") on:click=move |_| free.update(|f| if let Some(f) = f { f.advance(seconds) })>{*label}</button>
            }
        })
        .collect_view();
    let notice = move || {
        free.with(|f| f.as_ref().and_then(|f| f.notice.clone()))
            .map(|n| view! { <span class="note" data-testid="notice">{n}</span> })
    };
    view! {
        <section class="story" data-testid="free">
            <h2>"Free play"</h2>
            <p class="summary">"Send any request as any principal. Requests and errors are AWS's; every authorization comes with its why."</p>
            <div class="controls" role="toolbar" aria-label="Virtual clock">
                <span class="progress">"Clock:"</span>
                {clock}
                <button data-testid="undo" title="Undo the newest card exactly: the world is replayed without it"
                    disabled=move || free.with(|f| f.as_ref().is_none_or(|f| f.results.is_empty()))
                    on:click=move |_| free.update(|f| if let Some(f) = f { f.undo() })>"↶ Undo"</button>
                {notice}
            </div>
            <ConsoleView session console/>
            <div class="steps">{cards(Cards::Free(free))}</div>
            {story_so_far(free)}
        </section>
    }
}
