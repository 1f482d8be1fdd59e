//! sea-orm entities: one file per table, mirroring the migrations crate.

pub mod account;
pub mod accueil;
pub mod audit_event;
pub mod caisse;
pub mod convention;
pub mod partner_structure;
pub mod session;
pub mod sign_in_failure;
