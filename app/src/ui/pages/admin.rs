//! Pages for caisse administrators.

pub mod overview;
