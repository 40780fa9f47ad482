use leptos::prelude::*;
use std::any::Any;
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};

/// Mounts a view into a fresh `<section>` appended to the document body and
/// returns that section, so each test looks only at what it mounted. The
/// page is made fresh first ([`fresh_page`]): the playground opens what the
/// address and localStorage hold.
pub fn mount_fresh<F, V>(view: F) -> web_sys::HtmlElement
where
    F: FnOnce() -> V + 'static,
    V: IntoView + 'static,
{
    fresh_page();
    mount_at("", view)
}

thread_local! {
    /// What [`mount_at`] mounted, with its section, until the next
    /// [`fresh_page`]: dropping the handle unmounts the view and disposes
    /// its reactive owner.
    static MOUNTED: RefCell<Vec<(Box<dyn Any>, web_sys::HtmlElement)>> =
        const { RefCell::new(Vec::new()) };
}

/// Unmounts every view mounted so far and empties localStorage, as a new
/// page would be. All the tests of a file share one page: an app left
/// mounted would still follow the address and keep writing links and
/// saved sessions while the next test reads them.
pub fn fresh_page() {
    for (handle, section) in MOUNTED.with_borrow_mut(std::mem::take) {
        drop(handle);
        section.remove();
    }
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.clear();
    }
}

/// What the playground saved in localStorage.
pub fn saved_session() -> Option<String> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(kms_web::session::STORAGE_KEY).ok().flatten())
}

/// The page's fragment, without `#`.
pub fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_string())
        .unwrap_or_default()
}

/// Mounts a view after setting the page's query and fragment to `address`
/// (`"?scenario=aliases"`, `"#world=v1...."`, or `""` for none), as a link
/// would; localStorage is left as it is.
pub fn mount_at<F, V>(address: &str, view: F) -> web_sys::HtmlElement
where
    F: FnOnce() -> V + 'static,
    V: IntoView + 'static,
{
    let window = web_sys::window().expect("a window");
    let path = window.location().pathname().unwrap_or_default();
    let _ = window.history().expect("a history").replace_state_with_url(
        &JsValue::NULL,
        "",
        Some(&format!("{path}{address}")),
    );
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
    let handle = leptos::mount::mount_to(section.clone(), view);
    MOUNTED.with_borrow_mut(|mounted| mounted.push((Box::new(handle), section.clone())));
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

/// Waits (in macrotask turns, up to about two seconds) until `ready` holds;
/// for what the page finishes asynchronously (packing a link, unpacking it).
pub async fn wait_for(what: &str, mut ready: impl FnMut() -> bool) {
    for _ in 0..200 {
        if ready() {
            return;
        }
        sleep(10).await;
    }
    panic!("timed out waiting for {what}");
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .expect("a window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Whether an element `data-testid="<id>"` is below `root`.
pub fn has(root: &web_sys::HtmlElement, id: &str) -> bool {
    root.query_selector(&format!("[data-testid=\"{id}\"]"))
        .ok()
        .flatten()
        .is_some()
}

/// Chooses `value` in the `<select data-testid="<id>">` and fires `change`.
pub fn choose(root: &web_sys::HtmlElement, id: &str, value: &str) {
    let element = find(root, id);
    if let Some(select) = element.dyn_ref::<web_sys::HtmlSelectElement>() {
        select.set_value(value);
    } else if let Some(input) = element.dyn_ref::<web_sys::HtmlInputElement>() {
        input.set_checked(value == "on");
    }
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("change", &init).expect("a change event");
    let _ = element.dispatch_event(&event);
}

/// The text of every element matching `selector` below `root`, in document order.
pub fn texts(root: &web_sys::Element, selector: &str) -> Vec<String> {
    let found = root.query_selector_all(selector).expect("a valid selector");
    (0..found.length())
        .filter_map(|i| found.item(i)?.text_content())
        .collect()
}
