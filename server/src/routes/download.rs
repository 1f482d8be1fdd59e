//! A file answered for download: under its own name (RFC 5987 for the non-ASCII part), never cached.

use app::server::storage::StoredFile;
use axum::body::Body;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// A file to download under its own name, never cached.
pub(super) fn file_response(file_name: &str, content_type: &str, content: impl IntoResponse) -> Response {
    let ascii: String = file_name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_ ".contains(c) { c } else { '_' }).collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", encoded_file_name(file_name));
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_str(content_type).unwrap_or(HeaderValue::from_static("application/octet-stream"))),
        (header::CONTENT_DISPOSITION, HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment"))),
        (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
    ];
    (headers, content).into_response()
}

/// A stored file to download, streamed from the store as it is sent (never whole in memory).
pub(crate) fn stored_file_response(file_name: &str, content_type: &str, file: StoredFile) -> Response {
    let length = [(header::CONTENT_LENGTH, HeaderValue::from(file.size))];
    file_response(file_name, content_type, (length, Body::from_stream(file.content)))
}

/// `filename*` as RFC 5987 wants it: UTF-8, percent-encoded.
fn encoded_file_name(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
