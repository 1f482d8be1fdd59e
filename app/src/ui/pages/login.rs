//! `/login`: the sign-in form. It posts (no island here, JavaScript or not): the server redirects home or back
//! here with the error.

use crate::api::auth::{Login, take_form_flash};
use crate::i18n::*;
use crate::ui::components::{ErrorSummary, Loading, TextField};
use crate::ui::page_title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let login = ServerAction::<Login>::new();
    let error = Signal::derive(move || login.value().get().and_then(Result::err));
    // Without JavaScript a failed sign-in comes back here: refill the address that was typed.
    let kept = Resource::new_blocking(|| (), |_| take_form_flash("login".to_owned()));
    let query = use_query_map();
    let signed_out = move || query.read().get("deconnecte").is_some();
    let password_changed = move || query.read().get("mot-de-passe").is_some();
    let activated = move || query.read().get("active").is_some();
    let must_sign_in = move || query.read().get("suite").is_some();
    let suite = move || query.read().get("suite").unwrap_or_default();
    view! {
        <PageTitle text=t_string!(i18n, login.title) />
        <div class="card narrow">
            <h1>{t!(i18n, login.title)}</h1>
            <Show when=signed_out>
                <div class="alert alert--success" role="status">
                    <p>{t!(i18n, login.signed_out)}</p>
                </div>
            </Show>
            <Show when=password_changed>
                <div class="alert alert--success" role="status">
                    <p>"Votre mot de passe a été changé et toutes vos sessions ont été fermées. Connectez-vous avec le nouveau."</p>
                </div>
            </Show>
            <Show when=activated>
                <div class="alert alert--success" role="status">
                    <p>"Votre compte est activé. Connectez-vous avec votre adresse e-mail et le mot de passe choisi."</p>
                </div>
            </Show>
            <Show when=move || must_sign_in() && error.get().is_none()>
                <div class="alert" role="status">
                    <p>{t!(i18n, login.session_needed)}</p>
                </div>
            </Show>
            <ErrorSummary error title=t_string!(i18n, login.error_title) />
            <p class="lead">{t!(i18n, login.intro)}</p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    let kept_email = kept.await.map(|fields| fields.text("email").to_owned()).unwrap_or_default();
                    view! {
                        <ActionForm action=login attr:novalidate=true>
                            <input type="hidden" name="suite" value=suite />
                            <TextField
                                name="email"
                                kind="email"
                                label=t_string!(i18n, login.email)
                                hint=t_string!(i18n, login.email_hint)
                                autocomplete="username"
                                required=true
                                value=Signal::stored(kept_email)
                                error
                            />
                            <TextField
                                name="password"
                                kind="password"
                                label=t_string!(i18n, login.password)
                                autocomplete="current-password"
                                required=true
                                error
                            />
                            <button type="submit" class="button" >
                                {t!(i18n, login.submit)}
                            </button>
                        </ActionForm>
                    }
                })}
            </Suspense>
            <p><a href="/mot-de-passe-oublie">"Mot de passe oublié ?"</a></p>
            <p class="hint">{t!(i18n, login.no_account)}</p>
        </div>
    }
}
