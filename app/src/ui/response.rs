//! What a server-rendered page adds to its HTTP response: its status (404, 403) and its
//! Content-Security-Policy, which allows only the scripts carrying this response's nonce.
//! Does nothing in the browser.

/// The policy for every response; pages pass their nonce, other responses `None` (no inline script at all).
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let scripts = match nonce {
        Some(nonce) => format!("'self' 'nonce-{nonce}' 'wasm-unsafe-eval'"),
        None => "'self' 'wasm-unsafe-eval'".to_owned(),
    };
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self'; img-src 'self' data:; \
         connect-src 'self' ws://127.0.0.1:* ws://localhost:*; object-src 'none'; frame-ancestors 'none'; \
         form-action 'self'; base-uri 'self'"
    )
}

#[cfg(feature = "ssr")]
mod imp {
    use leptos::prelude::use_context;
    use leptos_axum::ResponseOptions;

    pub fn set_status(code: http::StatusCode) {
        if let Some(response) = use_context::<ResponseOptions>() {
            response.set_status(code);
        }
    }

    pub fn send_policy() {
        if let (Some(response), Some(nonce)) = (use_context::<ResponseOptions>(), leptos::nonce::use_nonce()) {
            let policy = super::content_security_policy(Some(&nonce));
            if let Ok(value) = http::HeaderValue::from_str(&policy) {
                response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
            }
        }
    }
}

pub fn not_found() {
    #[cfg(feature = "ssr")]
    imp::set_status(http::StatusCode::NOT_FOUND);
}

pub fn forbidden() {
    #[cfg(feature = "ssr")]
    imp::set_status(http::StatusCode::FORBIDDEN);
}

/// Sends the page's Content-Security-Policy with the nonce Leptos put on its scripts.
pub fn content_security_policy_for_page() {
    #[cfg(feature = "ssr")]
    imp::send_policy();
}

#[cfg(test)]
mod tests {
    use super::content_security_policy;

    #[test]
    fn only_scripts_with_the_nonce_may_run_inline() {
        let page = content_security_policy(Some("abc123"));
        assert!(page.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"));
        assert!(!page.contains("unsafe-inline"));
        let other = content_security_policy(None);
        assert!(other.contains("script-src 'self' 'wasm-unsafe-eval';"));
        assert!(other.contains("frame-ancestors 'none'"));
    }
}
