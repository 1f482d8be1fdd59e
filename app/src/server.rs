//! Server-only code: database, entities, services, authentication. Never compiled to wasm.

pub mod admin;
pub mod agenda;
pub mod appointments;
pub mod audit;
pub mod auth;
pub mod context;
pub mod conventions;
pub mod db;
pub mod entities;
pub mod error;
pub mod exports;
pub mod form_flash;
pub mod guard;
pub mod homes;
pub mod mail;
pub mod mail_watch;
pub mod request_notices;
pub mod requests;
pub mod settings;
pub mod setup;
pub mod spreadsheet;
pub mod state;
pub mod statistics;
pub mod storage;
pub mod time_fr;
pub mod triage;
