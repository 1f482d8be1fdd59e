//! Setting the HTTP status of a server-rendered page (404, 403); does nothing in the browser.

#[cfg(feature = "ssr")]
mod imp {
    use leptos::prelude::use_context;

    pub fn set(code: http::StatusCode) {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(code);
        }
    }
}

pub fn not_found() {
    #[cfg(feature = "ssr")]
    imp::set(http::StatusCode::NOT_FOUND);
}

pub fn forbidden() {
    #[cfg(feature = "ssr")]
    imp::set(http::StatusCode::FORBIDDEN);
}
