//! Forgotten passwords: `/mot-de-passe-oublie` asks for the address and always gives the same answer;
//! `/mot-de-passe/nouveau?jeton=…` (the link sent by e-mail) chooses the new password. Both work without JavaScript.

use crate::api::auth::{AskPasswordReset, ChoosePassword, reset_link_valid};
use crate::domain::password_rule::{MIN_LENGTH, PASSPHRASE_LENGTH};
use crate::ui::components::{ErrorSummary, Loading, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ForgottenPasswordPage() -> impl IntoView {
    let ask = ServerAction::<AskPasswordReset>::new();
    let error = Signal::derive(move || ask.value().get().and_then(Result::err));
    let query = use_query_map();
    let sent = move || matches!(ask.value().get(), Some(Ok(()))) || query.read().get("envoye").is_some();
    view! {
        <Title text="Mot de passe oublié" />
        <div class="card narrow">
            <h1>"Mot de passe oublié"</h1>
            <Show
                when=sent
                fallback=move || view! {
                    <ErrorSummary error title="La demande n'a pas été envoyée" />
                    <p class="lead">"Indiquez l'adresse e-mail de votre compte : vous recevrez un lien pour choisir un nouveau mot de passe."</p>
                    <ActionForm action=ask attr:novalidate=true>
                        <TextField name="email" kind="email" label="Adresse e-mail" autocomplete="username" required=true error />
                        <button type="submit" class="button">"Recevoir le lien"</button>
                    </ActionForm>
                }
            >
                <div class="alert alert--success" role="status" tabindex="-1">
                    <p>"Si un compte correspond à cette adresse, un e-mail vient de lui être envoyé. Le lien qu'il contient est valable une heure et ne sert qu'une fois."</p>
                </div>
            </Show>
            <p><a href="/login">"Retour à la connexion"</a></p>
        </div>
    }
}

#[component]
pub fn NewPasswordPage() -> impl IntoView {
    let token = use_query_map().read_untracked().get("jeton").unwrap_or_default();
    let valid = {
        let token = token.clone();
        Resource::new_blocking(move || token.clone(), reset_link_valid)
    };
    let choose = ServerAction::<ChoosePassword>::new();
    let error = Signal::derive(move || choose.value().get().and_then(Result::err));
    Effect::new(move |_| {
        if let Some(Ok(())) = choose.value().get() {
            let _ = window().location().set_href("/login?mot-de-passe=1");
        }
    });
    let token = StoredValue::new(token);
    view! {
        <Title text="Choisir un nouveau mot de passe" />
        <div class="card narrow">
            <h1>"Choisir un nouveau mot de passe"</h1>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    if !valid.await.unwrap_or(false) {
                        return view! {
                            <div class="alert alert--error" role="alert">
                                <p>{crate::domain::password_rule::EXPIRED_LINK}</p>
                            </div>
                            <p><a href="/mot-de-passe-oublie">"Demander un nouveau lien"</a></p>
                        }
                        .into_any();
                    }
                    view! {
                        <ErrorSummary error title="Le mot de passe n'a pas été changé" />
                        <ActionForm action=choose attr:novalidate=true>
                            <input type="hidden" name="token" value=token.get_value() />
                            <TextField
                                name="password"
                                kind="password"
                                label="Nouveau mot de passe"
                                hint=format!("Au moins {MIN_LENGTH} caractères mêlant trois sortes (minuscules, majuscules, chiffres, symboles), ou une phrase d'au moins {PASSPHRASE_LENGTH} caractères.")
                                autocomplete="new-password"
                                required=true
                                error
                            />
                            <TextField name="confirmation" kind="password" label="Confirmez le mot de passe" autocomplete="new-password" required=true error />
                            <button type="submit" class="button">"Enregistrer le mot de passe"</button>
                        </ActionForm>
                    }
                    .into_any()
                })}
            </Suspense>
        </div>
    }
}
