use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Mounts a view into a fresh `<section>` appended to the document body and
/// returns that section, so each test looks only at what it mounted.
pub fn mount_fresh<F, V>(view: F) -> web_sys::HtmlElement
where
    F: FnOnce() -> V + 'static,
    V: IntoView + 'static,
{
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a browser document");
    let section: web_sys::HtmlElement = document
        .create_element("section")
        .expect("create <section>")
        .unchecked_into();
    document
        .body()
        .expect("a <body>")
        .append_child(&section)
        .expect("append the test section");
    // The handle unmounts on drop; the section lives as long as the page.
    leptos::mount::mount_to(section.clone(), view).forget();
    section
}

fn find(root: &web_sys::HtmlElement, id: &str) -> web_sys::Element {
    root.query_selector(&format!("[data-testid=\"{id}\"]"))
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no element with data-testid={id}"))
}

/// The text of the first element matching `data-testid="<id>"` below `root`.
pub fn text_of(root: &web_sys::HtmlElement, id: &str) -> String {
    find(root, id).text_content().unwrap_or_default()
}

/// Clicks the first element matching `data-testid="<id>"` below `root`.
pub fn click(root: &web_sys::HtmlElement, id: &str) {
    find(root, id)
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
}

/// Lets the reactive system apply pending updates (a macrotask turn).
pub async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .expect("a window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Types `value` into the input or textarea `data-testid="<id>"`, as a user
/// would: sets it and fires a bubbling `input` event.
pub fn type_into(root: &web_sys::HtmlElement, id: &str, value: &str) {
    let element = find(root, id);
    if let Some(area) = element.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        area.set_value(value);
    } else if let Some(input) = element.dyn_ref::<web_sys::HtmlInputElement>() {
        input.set_value(value);
    }
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("input", &init).expect("an input event");
    let _ = element.dispatch_event(&event);
}
