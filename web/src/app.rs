use crate::markdown::Narration;
use crate::step::StepCard;
use crate::story::Story;
use crate::world_view::WorldSummary;
use kms_core::scenario::builtin;
use leptos::prelude::*;

/// The whole playground page.
#[component]
pub fn App() -> impl IntoView {
    let scenarios = builtin::all().unwrap_or_default();
    let story: RwSignal<Option<Story>> = RwSignal::new(None);
    let picker = scenarios
        .into_iter()
        .map(|scenario| {
            let tag = scenario.story.clone().unwrap_or_default();
            let title = scenario.title.clone();
            let testid = format!("story-{}", scenario.id);
            view! {
                <li>
                    <button class="story-link" data-testid=testid on:click=move |_| story.set(Some(Story::start(&scenario)))>
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
                </nav>
                <main class="stage">
                    {move || story.with(|s| match s {
                        None => view! {
                            <section class="welcome" data-testid="welcome">
                                <h2>"Pick a story"</h2>
                                <p>"Each story is a real-world KMS situation, played step by step against a simulated AWS: real AES-256-GCM, the real error names, and for every authorization, the statements that decided it."</p>
                            </section>
                        }
                        .into_any(),
                        Some(s) => story_view(s, story).into_any(),
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

fn story_view(s: &Story, story: RwSignal<Option<Story>>) -> impl IntoView + use<> {
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
    let world = s.run().world().clone();
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
                    <span class="progress" data-testid="progress">{format!("{played} of {total} steps · {passed} as expected")}</span>
                </div>
                {upcoming}
                <div class="steps">{cards}</div>
            </div>
            <WorldSummary world=world/>
        </section>
    }
}
