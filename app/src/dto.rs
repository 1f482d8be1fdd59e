//! View types: what server functions return and pages render, and the one wire error (`AppError`).
//! Compiled for both builds; depends on the domain only. Services build them, never the other way round.

pub mod accessibility;
pub mod admin;
pub mod agenda;
pub mod auth;
pub mod common;
pub mod error;
pub mod exports;
pub mod homes;
pub mod outbox;
pub mod requests;
pub mod security;
pub mod setup;
pub mod statistics;
pub mod triage;
