//! Server functions: thin doors that authorise, fetch the state, call one service and return a DTO.

pub mod account;
pub mod admin;
pub mod admin_audit;
pub mod admin_places;
pub mod auth;
pub mod caisse;
pub mod error;
pub mod homes;
pub mod outbox;
pub mod requests;
pub mod setup;

#[cfg(feature = "ssr")]
pub mod guard;
