//! Small building blocks shared by pages: error summary, field errors, role gate, error panel, data awaited by a page; and,
//! in their own files, the pieces of every list page (table, empty state, pager, filter selects) and what a form
//! written once for adding and changing needs of its server function.

pub mod chart;
pub mod data_table;
pub mod empty_state;
pub mod filter_select;
pub mod form_action;
pub mod pager;

pub use data_table::{Column, DataTable};
pub use empty_state::EmptyState;
pub use filter_select::{FilterSelect, KindSelect, StatusSelect};
pub use form_action::FormAction;
pub use pager::Pager;

use crate::domain::role::Role;
use crate::dto::error::AppError;
use crate::ui::frame::CurrentUser;
use crate::ui::pages::errors::{Forbidden, NotFound};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use std::future::Future;

/// The heading of a failure that is not about one field (the error summary's and the error panel's).
const PROBLEM_TITLE: &str = "Un problème est survenu";

/// A parameter of the page's path (`:id`, `:reference`…), read once: pages are rendered once, on the server (empty
/// when absent).
pub fn path_param(name: &str) -> String {
    leptos_router::hooks::use_params_map().get_untracked().get(name).unwrap_or_default()
}

/// The error an action came back with (`None` before it ran, or when it succeeded). The action's value is taken once
/// here: `ServerAction::value` builds a new signal at each call, and a page reads its error once per field.
pub fn action_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let value = action.value();
    Signal::derive(move || value.get().and_then(Result::err))
}

/// The error summary at the top of a form: a titled alert that links each message to its field. It comes with the
/// page the refused form leads to, and takes the focus there (`autofocus`, no script) so that screen-reader and
/// keyboard users land on it.
#[component]
pub fn ErrorSummary(
    #[prop(into)] error: Signal<Option<AppError>>,
    /// The heading when the error is not about fields (e.g. "La connexion n'a pas abouti").
    #[prop(optional)]
    title: Option<&'static str>,
) -> impl IntoView {
    move || {
        error.get().map(|err| {
            let fields = err.field_errors().to_vec();
            let title = if fields.is_empty() { title.unwrap_or(PROBLEM_TITLE) } else { "Le formulaire contient des erreurs" };
            view! {
                <div class="alert alert--error" role="alert" tabindex="-1" autofocus=true aria-labelledby="error-summary-title">
                    <h2 id="error-summary-title">{title}</h2>
                    {if fields.is_empty() {
                        view! { <p>{err.to_string()}</p> }.into_any()
                    } else {
                        view! {
                            <ul>
                                {fields
                                    .into_iter()
                                    .map(|f| view! { <li><a href=format!("#{}", f.field)>{f.message}</a></li> })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }}
                </div>
            }
        })
    }
}

/// The message under a field, with the id its input points to through `aria-describedby`.
#[component]
pub fn FieldMessage(#[prop(into)] field: String, #[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let id = format!("{field}-error");
    move || {
        error.get().and_then(|e| e.message_for(&field)).map(|message| {
            view! {
                <span class="field-error" id=id.clone()>
                    <span class="visually-hidden">"Erreur : "</span>
                    {message}
                </span>
            }
        })
    }
}

/// Renders its children only for the given role; sends anonymous visitors to sign in and shows
/// the 403 page to other roles. The server enforces the same rule before any page is rendered.
#[component]
pub fn RoleGate(role: Role, children: Children) -> impl IntoView {
    let CurrentUser(user) = expect_context::<CurrentUser>();
    match user {
        Some(user) if user.role == role => children().into_any(),
        Some(_) => view! { <Forbidden /> }.into_any(),
        None => view! { <Redirect path="/login" /> }.into_any(),
    }
}

/// A failure to load a page's data, in French.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    view! {
        <div class="alert alert--error" role="alert">
            <h2>{PROBLEM_TITLE}</h2>
            <p>{error.to_string()}</p>
        </div>
    }
}

/// A page body whose data comes from one server function: the data rendered, or the error in French (the 404 and 403
/// pages, with their status, for what is missing or not theirs).
pub fn loaded<T, Fut, Render, View>(load: Fut, render: Render) -> impl IntoView
where
    T: Send + 'static,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
    Render: FnOnce(T) -> View + Send + 'static,
    View: IntoView + 'static,
{
    awaited(load, move |data| match data {
        Ok(data) => render(data).into_any(),
        Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
        Err(AppError::Forbidden) => view! { <Forbidden /> }.into_any(),
        Err(error) => view! { <ErrorPanel error /> }.into_any(),
    })
}

/// What `load` gives, rendered by `render` once it is there. Pages are rendered whole, once, on the server (islands:
/// the browser never renders them again), so a page part that waits for its data needs no `<Suspense>` boundary,
/// whose fallback would never be shown, nor a resource, whose data would never be sent: it awaits the server function
/// itself. Both cost: the sign-in page served a third to a half more pages without them.
pub fn awaited<T, Fut, Render, View>(load: Fut, render: Render) -> impl IntoView
where
    Fut: Future<Output = T> + Send + 'static,
    Render: FnOnce(T) -> View + Send + 'static,
    View: IntoView + 'static,
{
    Suspend::new(async move { render(load.await) })
}

/// A labelled input with its hint and error message wired for assistive technologies
/// (`aria-describedby`, `aria-invalid`); the `name` is also the `id` the error summary links to.
#[component]
pub fn TextField(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] value: Option<Signal<String>>,
    /// The keyboard a phone shows (`numeric` for a code).
    #[prop(optional)]
    inputmode: Option<&'static str>,
) -> impl IntoView {
    let hint_id = hint.as_ref().map(|_| format!("{name}-hint"));
    let invalid = {
        let name = name.clone();
        Signal::derive(move || error.get().and_then(|e| e.message_for(&name)).is_some())
    };
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), format!("{name}-error"));
        move || {
            let ids: Vec<String> = hint_id.iter().cloned().chain(invalid.get().then(|| error_id.clone())).collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:field--error=invalid>
            <label for=name.clone()>{label}</label>
            {hint.map(|hint| view! { <span class="hint" id=hint_id.clone()>{hint}</span> })}
            <FieldMessage field=name.clone() error />
            <input
                type=kind
                id=name.clone()
                name=name
                autocomplete=autocomplete
                inputmode=inputmode
                spellcheck=(kind == "email").then_some("false")
                required=required
                value=move || value.map(|v| v.get())
                aria-invalid=move || invalid.get().then_some("true")
                aria-describedby=described_by
            />
        </div>
    }
}

/// The request's appointments, with the calendar file of the one to come.
#[component]
pub fn Appointments(appointments: Vec<crate::dto::requests::AppointmentLine>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="appointments-title">
            <h2 id="appointments-title">"Rendez-vous"</h2>
            <ul class="appointments">
                {appointments.into_iter().map(|a| view! {
                    <li>
                        <strong>{format!("{} – {}", a.when, a.place)}</strong>
                        " "<span class="badge">{a.status}</span>
                        {a.address.map(|address| view! { <br />{address} })}
                        {(!a.instructions.is_empty()).then(|| view! { <p class="prewrap">{a.instructions}</p> })}
                        {a.change_note.map(|note| view! { <p class="prewrap"><em>{note}</em></p> })}
                        {(a.confirmed || a.cancelled).then(|| view! {
                            <p>
                                <a href=format!("/rendez-vous/{}", a.id) download="">
                                    {if a.cancelled { "Retirer de mon agenda (fichier .ics)" } else { "Ajouter à mon agenda (fichier .ics)" }}
                                </a>
                            </p>
                        })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// A request's or a message's files, each a download link with its size; nothing when there are none.
pub fn attachment_links(files: Vec<crate::dto::requests::AttachmentLine>) -> impl IntoView {
    (!files.is_empty()).then(|| {
        view! {
            <ul class="files">
                {files
                    .into_iter()
                    .map(|f| view! { <li><a href=format!("/pieces-jointes/{}", f.id) download="">{f.name}</a>{format!(" ({})", f.size)}</li> })
                    .collect_view()}
            </ul>
        }
    })
}

/// A request's files under their heading, or that it has none.
pub fn request_attachments(files: Vec<crate::dto::requests::AttachmentLine>) -> impl IntoView {
    let none = files.is_empty().then(|| view! { <p>"Aucune pièce jointe."</p> });
    view! {
        <h3>"Pièces jointes"</h3>
        {none}
        {attachment_links(files)}
    }
}

/// The error with its field names made unique to one of several forms on a page (`title` → `title-{suffix}`), so
/// the message sits next to the right field and the error summary links to it.
pub fn scoped(error: AppError, suffix: &str) -> AppError {
    match error {
        AppError::Validation(errors) => AppError::Validation(
            errors.into_iter().map(|e| crate::dto::error::FieldError { field: format!("{}-{suffix}", e.field), message: e.message }).collect(),
        ),
        other => other,
    }
}

/// The success notice a page shows after a redirect (`?fait=…`), from its own table of notices.
#[component]
pub fn DoneNotice(notices: &'static [(&'static str, &'static str)]) -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    move || {
        let done = query.read().get("fait")?;
        notices
            .iter()
            .find(|(code, _)| *code == done)
            .map(|(_, message)| view! { <div class="alert alert--success" role="status"><p>{*message}</p></div> })
    }
}

/// A secret shown once (an API token, a webhook's signing secret): a notice that takes the focus, what to do with
/// it, and the value under `id`.
#[component]
pub fn ShownOnce(#[prop(into)] title: String, #[prop(into)] text: String, value: String, id: &'static str) -> impl IntoView {
    view! {
        <div class="alert alert--success" role="status" tabindex="-1" autofocus=true aria-labelledby="shown-once-title">
            <h2 id="shown-once-title">{title}</h2>
            <p class="long-text">{text}</p>
            <p><code class="secret" id=id>{value}</code></p>
        </div>
    }
}
