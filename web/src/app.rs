use leptos::prelude::*;

/// The whole playground page.
#[component]
pub fn App() -> impl IntoView {
    let check = kms_core::selftest::aes256_gcm_known_answer();
    let tag: String = check.tag.iter().map(|b| format!("{b:02x}")).collect();
    let verdict = if check.passed { "passed" } else { "FAILED" };
    view! {
        <main class="app" data-testid="app">
            <h1>"KMS Playground"</h1>
            <p class="lede">"Learn and reason about AWS KMS: a faithful simulator running in your browser."</p>
            <p class="selftest" data-testid="selftest">
                "AES-256-GCM known-answer test: "
                <strong data-testid="selftest-verdict">{verdict}</strong>
                " (tag " <code data-testid="selftest-tag">{tag}</code> ")"
            </p>
            <footer>"kms-core " {kms_core::VERSION}</footer>
        </main>
    }
}
