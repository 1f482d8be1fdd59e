//! Server functions of the administration pages: partner structures and their conventions, accounts and
//! invitations. Each checks the admin and their caisse in the service it calls; without JavaScript each form
//! posts here and the browser is sent back to its page, with a notice, or with the errors and what was typed.

pub mod accounts;
pub mod api_tokens;
pub mod audit_log;
pub mod places;
pub mod structures;
pub mod webhooks;
