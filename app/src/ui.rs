//! Components and pages, grouped by role.

pub mod app;
pub mod components;
pub mod fields;
pub mod frame;
pub mod pages;
pub mod response;
