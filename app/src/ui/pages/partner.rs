//! Pages for partner agents: the home, the four submission forms, the history and a request's detail.

pub mod detail;
pub mod history;
pub mod home;
pub mod submit;
