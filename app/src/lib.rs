//! Espace Partenaires: the Leptos application, compiled for the server (feature `ssr`) and the browser (`hydrate`).
#![recursion_limit = "256"]

pub mod api;
pub mod domain;
pub mod dto;
#[cfg(feature = "ssr")]
pub mod server;
pub mod ui;

pub use ui::app::{App, shell};
