//! Pages for caisse administrators.

pub mod due_dates;
pub mod overview;
pub mod mail;
