//! Pages for caisse agents.

pub mod agenda;
pub mod setup;
pub mod triage;
