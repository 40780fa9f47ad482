use crate::free::{CLOCK_STEPS, FreePlay};
use crate::markdown::Narration;
use crate::step::StepCard;
use crate::story::Story;
use crate::world_view::{WorldSnapshot, WorldSummary};
use kms_core::scenario::builtin;
use leptos::prelude::*;

/// The whole playground page.
#[component]
pub fn App() -> impl IntoView {
    let scenarios = builtin::all().unwrap_or_default();
    let story: RwSignal<Option<Story>> = RwSignal::new(None);
    let free: RwSignal<Option<FreePlay>> = RwSignal::new(None);
    let console = Console {
        actor: RwSignal::new(String::from("arn:aws:iam::111122223333:root")),
        via: RwSignal::new(String::new()),
        request: RwSignal::new(String::from(EXAMPLE_REQUEST)),
    };
    let picker = scenarios
        .into_iter()
        .map(|scenario| {
            let tag = scenario.story.clone().unwrap_or_default();
            let title = scenario.title.clone();
            let testid = format!("story-{}", scenario.id);
            view! {
                <li>
                    <button class="story-link" data-testid=testid on:click=move |_| {
                        free.set(None);
                        story.set(Some(Story::start(&scenario)));
                    }>
                        <span class="tag">{tag}</span>
                        <span>{title}</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    let check = kms_core::selftest::aes256_gcm_known_answer();
    let tag: String = check.tag.iter().map(|b| format!("{b:02x}")).collect();
    let verdict = if check.passed { "passed" } else { "FAILED" };
    view! {
        <div class="app" data-testid="app">
            <header class="top">
                <h1>"KMS Playground"</h1>
                <p class="lede">"Learn and reason about AWS KMS: a faithful simulator that runs in your browser and explains every decision."</p>
            </header>
            <div class="layout">
                <nav class="stories" aria-label="Stories">
                    <h2>"Stories"</h2>
                    <ul>{picker}</ul>
                    <h2>"Experiment"</h2>
                    <button class="story-link" data-testid="free-play" on:click=move |_| {
                        story.set(None);
                        free.set(Some(FreePlay::fresh(fresh_seed())));
                    }>
                        <span class="tag">"+"</span>
                        <span>"Free play: a new world with a production and a staging account"</span>
                    </button>
                </nav>
                <main class="stage">
                    {move || free.with(|f| f.as_ref().map(|f| free_view(f, free, console).into_any()))}
                    {move || story.with(|s| match s {
                        None if free.with(Option::is_some) => ().into_any(),
                        None => view! {
                            <section class="welcome" data-testid="welcome">
                                <h2>"Pick a story"</h2>
                                <p>"Each story is a real-world KMS situation, played step by step against a simulated AWS: real AES-256-GCM, the real error names, and for every authorization, the statements that decided it."</p>
                            </section>
                        }
                        .into_any(),
                        Some(s) => story_view(s, story, free).into_any(),
                    })}
                </main>
            </div>
            <footer>
                "kms-core " {kms_core::VERSION} " · AES-256-GCM known-answer test: "
                <strong data-testid="selftest-verdict">{verdict}</strong>
                " (tag " <code data-testid="selftest-tag">{tag}</code> ")"
            </footer>
        </div>
    }
}

fn story_view(
    s: &Story,
    story: RwSignal<Option<Story>>,
    free: RwSignal<Option<FreePlay>>,
) -> impl IntoView + use<> {
    let scenario = s.scenario();
    let total = scenario.steps.len();
    let played = s.run().position();
    let finished = s.run().finished();
    let passed = s.results().iter().filter(|r| r.passed).count();
    let cards = s
        .results()
        .iter()
        .rev()
        .map(|r| view! { <StepCard result=r.clone()/> })
        .collect_view();
    let upcoming = s.upcoming().map(|n| {
        let n = n.to_string();
        view! { <p class="upcoming" data-testid="upcoming">"Next: " <Narration text=n/></p> }
    });
    let error = s.error.clone().map(|e| view! { <p class="error">{e}</p> });
    let world = WorldSnapshot::of(s.run().world());
    view! {
        <section class="story" data-testid="story">
            <div class="story-main">
                <h2>{scenario.title.clone()}</h2>
                <p class="summary">{scenario.summary.clone()}</p>
                {error}
                <div class="controls" role="toolbar" aria-label="Story controls">
                    <button data-testid="back" disabled=played == 0 on:click=move |_| story.update(|s| if let Some(s) = s { s.back() })>"Back"</button>
                    <button data-testid="next" class="primary" disabled=finished on:click=move |_| story.update(|s| if let Some(s) = s { s.next() })>"Next step"</button>
                    <button data-testid="run-to-end" disabled=finished on:click=move |_| story.update(|s| if let Some(s) = s { s.run_to_end() })>"Run to end"</button>
                    <button data-testid="experiment" title="Leave the story and continue freely in this world" on:click=move |_| {
                        let world = story.with(|s| s.as_ref().map(|s| s.run().world().clone()));
                        if let Some(world) = world {
                            story.set(None);
                            free.set(Some(FreePlay::from_world(world)));
                        }
                    }>"Experiment from here"</button>
                    <span class="progress" data-testid="progress">{format!("{played} of {total} steps · {passed} as expected")}</span>
                </div>
                {upcoming}
                <div class="steps">{cards}</div>
            </div>
            <WorldSummary snapshot=world/>
        </section>
    }
}

/// A first request for the console: the AWS JSON of CreateKey.
const EXAMPLE_REQUEST: &str = r#"{
  "Action": "kms:CreateKey",
  "Parameters": {"Description": "my first key"}
}"#;

/// The console's inputs; they outlive re-renders of the stage.
#[derive(Clone, Copy)]
struct Console {
    actor: RwSignal<String>,
    via: RwSignal<String>,
    request: RwSignal<String>,
}

/// A seed for a fresh world from the browser's clock: every free-play world
/// differs, and its log (seed included) still replays it exactly.
fn fresh_seed() -> [u8; 32] {
    let now = js_sys_now().to_bits().to_le_bytes();
    let mut seed = [0u8; 32];
    for (i, byte) in seed.iter_mut().enumerate() {
        *byte = now[i % 8] ^ (i as u8).wrapping_mul(151);
    }
    seed
}

fn js_sys_now() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
    }
}

fn free_view(
    f: &FreePlay,
    free: RwSignal<Option<FreePlay>>,
    console: Console,
) -> impl IntoView + use<> {
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
    let notice = f
        .notice
        .clone()
        .map(|n| view! { <span class="note">{n}</span> });
    let cards = f
        .results
        .iter()
        .rev()
        .map(|r| view! { <StepCard result=r.clone()/> })
        .collect_view();
    let world = WorldSnapshot::of(&f.world);
    let send = move |_| {
        let (actor, via, request) = (
            console.actor.get(),
            console.via.get(),
            console.request.get(),
        );
        free.update(|f| {
            if let Some(f) = f {
                f.send(&actor, &via, &request)
            }
        });
    };
    view! {
        <section class="story" data-testid="free">
            <div class="story-main">
                <h2>"Free play"</h2>
                <p class="summary">"Send any request as any principal. Requests and errors are AWS's; every authorization comes with its why."</p>
                <div class="controls" role="toolbar" aria-label="Virtual clock">
                    <span class="progress">"Clock:"</span>
                    {clock}
                    {notice}
                </div>
                <div class="console">
                    <label>"As "
                        <input data-testid="actor" aria-label="Principal ARN" prop:value=move || console.actor.get()
                            on:input=move |ev| console.actor.set(event_target_value(&ev))/>
                    </label>
                    <label>" via "
                        <select data-testid="via" aria-label="Through a service" on:change=move |ev| console.via.set(event_target_value(&ev))>
                            <option value="" selected=move || console.via.get().is_empty()>"(directly)"</option>
                            <option value="rds.amazonaws.com" selected=move || console.via.get() == "rds.amazonaws.com">"RDS"</option>
                            <option value="ssm.amazonaws.com" selected=move || console.via.get() == "ssm.amazonaws.com">"SSM"</option>
                        </select>
                    </label>
                    <textarea data-testid="request" aria-label="Request (AWS JSON)" rows="7" spellcheck="false"
                        prop:value=move || console.request.get()
                        on:input=move |ev| console.request.set(event_target_value(&ev))></textarea>
                    <button class="primary" data-testid="send" on:click=send>"Send"</button>
                </div>
                <div class="steps">{cards}</div>
            </div>
            <WorldSummary snapshot=world/>
        </section>
    }
}
