//! View types of the administration pages: accounts, partner structures and conventions, accueils and teams, the audit log.

pub mod accounts;
pub mod api_tokens;
pub mod audit_log;
pub mod places;
pub mod structures;
pub mod webhooks;
