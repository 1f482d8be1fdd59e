//! Pages for caisse agents.

pub mod queue;
