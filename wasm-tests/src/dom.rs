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

/// The text of the single element matching `data-testid="<id>"` below `root`.
pub fn text_of(root: &web_sys::HtmlElement, id: &str) -> String {
    root.query_selector(&format!("[data-testid=\"{id}\"]"))
        .ok()
        .flatten()
        .and_then(|e| e.text_content())
        .unwrap_or_else(|| panic!("no element with data-testid={id}"))
}
