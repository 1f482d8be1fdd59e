//! Pages for caisse agents.

pub mod canned;
pub mod queue;
pub mod request;
