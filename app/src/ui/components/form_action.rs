//! What a form component needs to know of the server function it posts to.

use crate::dto::error::AppError;
use serde::de::DeserializeOwned;
use server_fn::client::browser::BrowserClient;
use server_fn::codec::{Json, PostUrl};
use server_fn::{Http, ServerFn};

/// A server function a form posts to (an `ActionForm`, rendered by the server as a plain POST) that answers nothing
/// or a refusal in French: every `#[server]` function of ours that returns `Result<(), AppError>`. A form written
/// once for adding and for changing something takes one of these, so the same markup posts to either.
pub trait FormAction:
    ServerFn<Protocol = Http<PostUrl, Json>, Client = BrowserClient, Output = (), Error = AppError> + DeserializeOwned + Clone + Send + Sync + 'static
{
}

impl<T> FormAction for T where
    T: ServerFn<Protocol = Http<PostUrl, Json>, Client = BrowserClient, Output = (), Error = AppError>
        + DeserializeOwned
        + Clone
        + Send
        + Sync
        + 'static
{
}
