//! What the page needs from the browser: the address bar, localStorage,
//! files, downloads, and the built-in deflate of `CompressionStream` (no
//! compressor in the wasm). Each function hides its JavaScript; errors come
//! back as text for the page to show.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(inline_js = r#"
const message = (e) => String((e && e.message) || e);
async function pump(stream, limit) {
  const reader = stream.getReader();
  const parts = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new Error(`it unpacks to more than ${limit} bytes`);
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
export function deflate(bytes) {
  const s = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return pump(s, Infinity).catch((e) => { throw message(e); });
}
export function inflate(bytes, limit) {
  const s = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return pump(s, limit).catch((e) => { throw message(e); });
}
export function page_hash() { return location.hash.slice(1); }
export function decode_component(s) { try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch (e) { return null; } }
export function encode_component(s) { return encodeURIComponent(s); }
export function page_query() { return location.search.slice(1); }
export function page_address() { return location.href.split(/[?#]/)[0]; }
export function set_hash(fragment) {
  history.replaceState(history.state, '', fragment ? '#' + fragment : location.pathname + location.search);
}
export function editing() {
  const a = document.activeElement;
  return !!a && (/^(INPUT|TEXTAREA|SELECT)$/.test(a.tagName) || a.isContentEditable);
}
export function scroll_into_view(selector) {
  requestAnimationFrame(() => {
    const el = document.querySelector(selector);
    if (!el) return;
    const top = el.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight * 0.4) el.scrollIntoView({ block: 'start' });
  });
}
export function stored(key) { try { return localStorage.getItem(key); } catch (e) { return null; } }
export function store(key, value) {
  try { if (value) localStorage.setItem(key, value); else localStorage.removeItem(key); } catch (e) {}
}
export function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url; a.download = name;
  document.body.appendChild(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
export function read_chosen_file(input, limit) {
  const file = input && input.files && input.files[0];
  if (!file) return Promise.reject('no file was chosen');
  if (file.size > limit) return Promise.reject(`the file is larger than ${limit} bytes`);
  return file.text().catch((e) => { throw message(e); });
}
export async function fetch_text(url, limit) {
  let response;
  try { response = await fetch(url); } catch (e) { throw `could not fetch ${url}: ${message(e)}`; }
  if (!response.ok) throw `${url} answered HTTP ${response.status}`;
  const text = await response.text();
  if (text.length > limit) throw `${url} is larger than ${limit} bytes`;
  return text;
}
export function open_challenge(url, embed) {
  const page = new URL('workbench/' + (embed ? '?embed' : ''), location.href);
  page.hash = 'challenge-url=' + encodeURIComponent(new URL(url, location.href).href);
  location.replace(page.href);
}
export function copy_text(text) {
  return navigator.clipboard ? navigator.clipboard.writeText(text).catch((e) => { throw message(e); })
    : Promise.reject('the clipboard is not available here');
}
"#)]
extern "C" {
    fn deflate(bytes: &[u8]) -> js_sys::Promise;
    fn inflate(bytes: &[u8], limit: f64) -> js_sys::Promise;
    fn page_hash() -> String;
    fn decode_component(s: &str) -> Option<String>;
    fn encode_component(s: &str) -> String;
    fn page_query() -> String;
    fn page_address() -> String;
    fn set_hash(fragment: &str);
    fn editing() -> bool;
    fn scroll_into_view(selector: &str);
    fn stored(key: &str) -> Option<String>;
    fn store(key: &str, value: &str);
    fn download(name: &str, text: &str);
    fn read_chosen_file(input: &JsValue, limit: f64) -> js_sys::Promise;
    fn fetch_text(url: &str, limit: f64) -> js_sys::Promise;
    fn copy_text(text: &str) -> js_sys::Promise;
    fn open_challenge(url: &str, embed: bool);
}

/// The largest world, scenario or file the page accepts once unpacked.
pub const MAX_TEXT: usize = 8 << 20;

async fn settle(promise: js_sys::Promise) -> Result<JsValue, String> {
    JsFuture::from(promise)
        .await
        .map_err(|e| e.as_string().unwrap_or_else(|| format!("{e:?}")))
}

async fn bytes(promise: js_sys::Promise) -> Result<Vec<u8>, String> {
    settle(promise)
        .await
        .map(|v| js_sys::Uint8Array::new(&v).to_vec())
}

async fn text(promise: js_sys::Promise) -> Result<String, String> {
    settle(promise)
        .await
        .and_then(|v| v.as_string().ok_or_else(|| "not text".to_string()))
}

/// Raw deflate (RFC 1951), by the browser.
pub async fn compress(data: &[u8]) -> Result<Vec<u8>, String> {
    bytes(deflate(data)).await
}

/// Undoes [`compress`], refusing anything that unpacks past [`MAX_TEXT`].
pub async fn decompress(data: &[u8]) -> Result<Vec<u8>, String> {
    bytes(inflate(data, MAX_TEXT as f64)).await
}

/// The address bar's fragment, without `#`.
pub fn fragment() -> String {
    page_hash()
}

/// Percent-decodes one query or fragment value; `None` if malformed.
pub fn decode(value: &str) -> Option<String> {
    decode_component(value)
}

/// Percent-encodes one query or fragment value.
pub fn encode(value: &str) -> String {
    encode_component(value)
}

/// The address bar's query, without `?`.
pub fn query() -> String {
    page_query()
}

/// The page's address without its query and fragment: a link made from it
/// opens what its fragment says, not what this page was opened with (an
/// embed's `?embed&scenario=...&step=0`).
pub fn address() -> String {
    page_address()
}

/// Rewrites the fragment without adding a history entry or firing
/// `hashchange`.
pub fn replace_fragment(fragment: &str) {
    set_hash(fragment)
}

/// Whether the learner is typing in a field (keys are theirs, not ours).
pub fn typing(_: &leptos::ev::KeyboardEvent) -> bool {
    editing()
}

/// Brings the story just opened into view when it is out of sight (on a
/// phone it renders below the story list).
pub fn scroll_to_stage() {
    scroll_into_view("[data-testid=story]")
}

/// Brings the element `selector` finds into view, on the next frame (once
/// it is rendered), when it is out of sight.
pub fn reveal(selector: &str) {
    scroll_into_view(selector)
}

/// Reads localStorage (nothing if storage is unavailable).
pub fn load(key: &str) -> Option<String> {
    stored(key)
}

/// Writes localStorage; an empty value removes the key.
pub fn save(key: &str, value: &str) {
    store(key, value)
}

/// Offers `text` as a JSON file download.
pub fn offer_download(name: &str, text: &str) {
    download(name, text)
}

/// The text of the file chosen in an `<input type=file>`.
pub async fn chosen_file(input: &JsValue) -> Result<String, String> {
    text(read_chosen_file(input, MAX_TEXT as f64)).await
}

/// Fetches a text document (a scenario file from a docs site).
pub async fn fetch(url: &str) -> Result<String, String> {
    text(fetch_text(url, MAX_TEXT as f64)).await
}

/// Leaves for the policy workbench, which opens the challenge file at
/// `url` (relative to this page), embedded if this page is.
pub fn open_in_workbench(url: &str, embed: bool) {
    open_challenge(url, embed)
}

/// Puts `text` on the clipboard.
pub async fn copy(text: &str) -> Result<(), String> {
    settle(copy_text(text)).await.map(|_| ())
}
