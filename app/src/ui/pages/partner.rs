//! Pages for partner agents.

pub mod home;
