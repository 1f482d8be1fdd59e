//! Pages, one module per role, plus the public ones (sign-in, errors) and the statistics every role has its own of.

pub mod accessibility;
pub mod account;
pub mod admin;
pub mod caisse;
pub mod errors;
pub mod exports;
pub mod login;
pub mod partner;
pub mod password;
pub mod root;
pub mod security;
pub mod statistics;
