//! Server functions: thin doors that authorise, call one service and return a view type (`crate::dto`).

pub mod accessibility;
pub mod account;
pub mod admin;
pub mod agenda;
pub mod auth;
pub mod exports;
pub mod homes;
pub mod outbox;
pub mod requests;
pub mod security;
pub mod setup;
pub mod statistics;
pub mod triage;
