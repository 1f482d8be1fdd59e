//! Pages for caisse agents.

pub mod setup;
pub mod triage;
