//! Integration tests: the real router on a fresh database, SQLite and PostgreSQL alike, driven over HTTP.

mod fixtures;
mod support;

mod auth;
mod access;
mod admin;
mod admin_audit;
mod admin_places;
mod concurrency;
mod due_dates;
mod injection;
mod hardening;
mod mail;
mod operations;
mod passwords;
mod requests;
mod setup;
mod triage;
mod triage_tools;
