//! The KMS Playground front end: Leptos components that render what
//! `kms-core` computes. No KMS rule lives here.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod app;
mod audit;
pub mod browser;
pub mod console;
mod envelope;
mod free;
mod ids;
mod list;
mod markdown;
pub mod session;
pub mod share;
mod step;
mod story;
pub mod why;
mod world_view;

pub use app::{App, fresh_seed};
pub use envelope::IntegrityView;
pub use step::diff_lines;
pub use story::{Origin, Story};

/// Mounts the playground into the page body. Called by the `kms-web` binary.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
