//! The caisse agent's triage: the queue of the caisse's requests and one request with what can be done on it.

pub mod queue;
pub mod request;
