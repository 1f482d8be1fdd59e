//! The French 404 and 403 pages, with the matching HTTP status when rendered on the server.

use crate::i18n::*;
use crate::ui::status;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    status::not_found();
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, errors.not_found_title) />
        <div class="card narrow">
            <h1>{t!(i18n, errors.not_found_title)}</h1>
            <p>{t!(i18n, errors.not_found_text)}</p>
            <p><a href="/">{t!(i18n, errors.back_home)}</a></p>
        </div>
    }
}

#[component]
pub fn Forbidden() -> impl IntoView {
    status::forbidden();
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, errors.forbidden_title) />
        <div class="card narrow">
            <h1>{t!(i18n, errors.forbidden_title)}</h1>
            <p>{t!(i18n, errors.forbidden_text)}</p>
            <p><a href="/">{t!(i18n, errors.back_home)}</a></p>
        </div>
    }
}
