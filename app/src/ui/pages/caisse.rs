//! Pages for caisse agents.

pub mod queue;
pub mod request;
