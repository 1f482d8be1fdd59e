//! Espace Partenaires: the Leptos application, compiled for the server (feature `ssr`) and the browser (`hydrate`).
#![recursion_limit = "256"]
#![allow(deprecated)] // leptos_i18n's `load_locales!` is deprecated in favour of a build script we cannot fetch offline.

pub mod api;
pub mod domain;
pub mod dto;
#[cfg(feature = "ssr")]
pub mod server;
pub mod ui;

leptos_i18n::load_locales!();
// Cargo does not know the macro reads the translations: make edits trigger a rebuild.
const _: &str = include_str!("../locales/fr.json");

pub use ui::app::{App, shell};
