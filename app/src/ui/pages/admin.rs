//! Pages for caisse administrators.

pub mod accounts;
pub mod api_tokens;
pub mod audit_log;
pub mod outbox;
pub mod overview;
pub mod places;
pub mod setup;
pub mod structures;
pub mod webhooks;
