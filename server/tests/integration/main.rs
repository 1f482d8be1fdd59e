//! Integration tests: the real router on a fresh database, SQLite and PostgreSQL alike, driven over HTTP.

mod fixtures;
mod support;

mod access;
mod accessibility;
mod admin;
mod admin_audit;
mod admin_places;
mod api;
mod appointment_changes;
mod auth;
mod concurrency;
mod due_dates;
mod files;
mod hardening;
mod injection;
mod instances;
mod mail;
mod operations;
mod passwords;
mod requests;
mod retention;
mod second_factor;
mod setup;
mod statistics;
mod triage;
mod triage_tools;
mod webhooks;
