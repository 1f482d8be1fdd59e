//! Reading a multipart form: its text fields under the same rules as any posted form, its files cut at the largest
//! size allowed (what is beyond is never kept in memory).

use app::domain::form_values::FormValues;
use app::domain::text_input;
use app::dto::error::AppError;
use app::server::requests::attachments::Upload;
use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;
use axum::http::StatusCode;
use leptos::server_fn::error::ServerFnErrorErr;

/// Reads the form: text fields into `FormValues`, the files of `file_field` (cut at `max_bytes` + 1) into uploads.
pub(super) async fn read_form(mut multipart: Multipart, file_field: &str, max_bytes: u64) -> Result<(FormValues, Vec<Upload>), AppError> {
    let mut values = FormValues::new();
    let mut uploads = vec![];
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == file_field {
            let file_name = text_input::bounded(field.file_name().unwrap_or_default(), text_input::MAX_LABEL_CHARS);
            let mut content = Vec::new();
            let mut truncated = false;
            while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                if truncated {
                    continue;
                }
                content.extend_from_slice(&chunk);
                if content.len() as u64 > max_bytes {
                    truncated = true;
                    content.truncate(64);
                }
            }
            // A file input left empty still posts a nameless, empty part.
            if !(file_name.is_empty() && content.is_empty()) {
                uploads.push(Upload { name: file_name, content: content.into(), truncated });
            }
        } else {
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                bytes.extend_from_slice(&chunk);
                // Four bytes are the most one character takes in UTF-8.
                if bytes.len() > 4 * text_input::MAX_FIELD_CHARS {
                    return Err(AppError::TooLarge);
                }
            }
            let text = String::from_utf8(bytes).map_err(|_| AppError::field(&name, "Ce champ n'a pas pu être lu : retapez-le."))?;
            text_input::check_field(&text).map_err(|problem| AppError::field(&name, problem.to_string()))?;
            values.push(name, text);
        }
    }
    Ok((values, uploads))
}

/// A body past the route's limit is too large (413); one cut short or malformed could not be read (400).
fn unreadable(err: MultipartError) -> AppError {
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE { AppError::TooLarge } else { AppError::Transport(ServerFnErrorErr::Args(err.body_text())) }
}
