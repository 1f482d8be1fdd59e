//! sea-orm entities: one file per table, mirroring the migrations crate.

pub mod account;
pub mod accueil;
pub mod appointment;
pub mod attachment;
pub mod audit_event;
pub mod caisse;
pub mod canned_reply;
pub mod convention;
pub mod due_date_setting;
pub mod export;
pub mod job_claim;
pub mod outbox;
pub mod partner_structure;
pub mod password_reset;
pub mod recovery_code;
pub mod reference_counter;
pub mod request;
pub mod request_event;
pub mod request_follower;
pub mod request_message;
pub mod second_factor;
pub mod session;
pub mod sign_in_failure;
pub mod site_text;
pub mod stored;
pub mod team;
