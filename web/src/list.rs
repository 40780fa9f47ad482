//! Keyed lists: the cards of a story, the world's rows, the audit trail.
//! An item whose key is unchanged is not rebuilt when the list changes, so
//! what the learner opened in it stays open. Every keyed list of the page
//! goes through [`keyed`]: Leptos's `For` compiles once per item type, and
//! each instance cost about 2 KB of gzipped wasm.

use leptos::prelude::*;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

/// An item of a keyed list: its key, and how to build its view.
#[derive(Clone)]
pub struct Keyed {
    key: u64,
    build: Arc<dyn Fn() -> AnyView + Send + Sync>,
}

impl Keyed {
    /// An item keyed by `key`: a list rebuilds it when `key` changes.
    pub fn new(key: &impl Hash, build: impl Fn() -> AnyView + Send + Sync + 'static) -> Self {
        let mut hasher = DefaultHasher::new();
        key.hash(&mut hasher);
        Self {
            key: hasher.finish(),
            build: Arc::new(build),
        }
    }

    /// An item keyed by what it shows: rebuilt when `item` changes.
    pub fn of<T>(item: T, build: impl Fn(T) -> AnyView + Send + Sync + 'static) -> Self
    where
        T: Hash + Clone + Send + Sync + 'static,
    {
        Self::new(&item.clone(), move || build(item.clone()))
    }
}

/// The items of `each`, in order.
pub fn keyed(each: impl Fn() -> Vec<Keyed> + Send + Sync + 'static) -> AnyView {
    let each = Signal::derive(each);
    view! { <For each=move || each.get() key=|k: &Keyed| k.key children=|k| (k.build)()/> }
        .into_any()
}
