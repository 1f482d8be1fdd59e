//! Pure business rules shared by the server and the browser: no I/O, no clock, no framework.
//!
//! Everything here compiles to wasm too, so a form validates the same way in the page and on the server.

pub mod access;
pub mod email;
pub mod role;
pub mod session_policy;
pub mod sign_in_throttle;
pub mod coded;
pub mod convention;
pub mod request_kind;
pub mod visibility;
pub mod structure_kind;
pub mod nir;
pub mod request_lifecycle;
pub mod reference;
pub mod siret;
pub mod field_error;
pub mod form_values;
pub mod request_details;
pub mod submission;
pub mod attachment_policy;
pub mod teams;
pub mod appointment;
pub mod due_date;
pub mod opening_hours;
pub mod notice;
pub mod password_rule;
pub mod account_review;
pub mod structure_profile;
pub mod audit_log;
pub mod accueil;
pub mod text_input;
pub mod html;
pub mod client_address;
