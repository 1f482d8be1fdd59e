//! The French 404 and 403 pages, with the matching HTTP status when rendered on the server.

use crate::i18n::*;
use crate::ui::page_title::PageTitle;
use crate::ui::response;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    response::not_found();
    let i18n = use_i18n();
    view! { <ErrorCard title=t_string!(i18n, errors.not_found_title) text=t_string!(i18n, errors.not_found_text) /> }
}

#[component]
pub fn Forbidden() -> impl IntoView {
    response::forbidden();
    let i18n = use_i18n();
    view! { <ErrorCard title=t_string!(i18n, errors.forbidden_title) text=t_string!(i18n, errors.forbidden_text) /> }
}

#[component]
fn ErrorCard(title: &'static str, text: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=title />
        <div class="card narrow">
            <h1>{title}</h1>
            <p>{text}</p>
            <p><a href="/">{t!(i18n, errors.back_home)}</a></p>
        </div>
    }
}
