//! Components and pages, grouped by role.

pub mod app;
pub mod assets;
pub mod components;
pub mod fields;
pub mod frame;
pub mod islands;
pub mod page_title;
pub mod pages;
pub mod raw_text;
pub mod response;
