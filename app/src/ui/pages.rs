//! Pages, one module per role, plus the public ones (sign-in, errors).

pub mod admin;
pub mod caisse;
pub mod errors;
pub mod login;
pub mod partner;
pub mod root;
