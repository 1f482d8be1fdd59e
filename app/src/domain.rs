//! Pure business rules shared by the server and the browser: no I/O, no clock, no framework.
//!
//! Everything here compiles to wasm too, so a form validates the same way in the page and on the server.

pub mod access;
pub mod accessibility;
pub mod account_review;
pub mod account_security;
pub mod accueil;
pub mod api_tokens;
pub mod appointment;
pub mod attachment_policy;
pub mod audit_log;
pub mod client_address;
pub mod coded;
pub mod convention;
pub mod csv;
pub mod due_date;
pub mod email;
pub mod field_error;
pub mod form_values;
pub mod html;
pub mod nir;
pub mod notice;
pub mod opening_hours;
pub mod password_rule;
pub mod period;
pub mod reference;
pub mod request_details;
pub mod request_kind;
pub mod request_lifecycle;
pub mod retention;
pub mod role;
pub mod search;
pub mod second_factor;
pub mod session_policy;
pub mod sign_in_throttle;
pub mod siret;
pub mod statistics;
pub mod structure_kind;
pub mod structure_profile;
pub mod submission;
pub mod teams;
pub mod text_input;
pub mod visibility;
pub mod webhooks;
pub mod wording;
