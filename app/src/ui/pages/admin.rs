//! Pages for caisse administrators.

pub mod accounts;
pub mod due_dates;
pub mod journal;
pub mod places;
pub mod overview;
pub mod mail;
pub mod structures;
