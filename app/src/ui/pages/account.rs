//! The signed-in person's own account: `/compte/notifications` (how they want to hear about their requests by
//! e-mail) and `/compte/mot-de-passe` (changing their password). Both work without JavaScript.

use crate::api::account::{ChangePassword, SaveMailPreference, fetch_mail_preference};
use crate::domain::notice::MailPreference;
use crate::ui::components::{ErrorSummary, TextField, action_error, loaded};
use crate::ui::fields::ChoiceGroup;
use crate::ui::page_title::PageTitle;
use crate::ui::pages::password::new_password_hint;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    view! {
        <PageTitle text="Notifications par e-mail" />
        <div class="card narrow">
            <h1>"Notifications par e-mail"</h1>
            {loaded(fetch_mail_preference(), |chosen| view! { <PreferenceForm chosen /> })}
        </div>
    }
}

#[component]
fn PreferenceForm(chosen: String) -> impl IntoView {
    let save = ServerAction::<SaveMailPreference>::new();
    let error = action_error(save);
    let query = use_query_map();
    let saved = move || query.read().get("fait").is_some();
    let options = MailPreference::ALL.iter().map(|p| (p.code().to_owned(), p.label().to_owned())).collect();
    view! {
        <Show when=saved><div class="alert alert--success" role="status"><p>"Votre choix a été enregistré."</p></div></Show>
        <p>"Les e-mails ne contiennent jamais d'information sur les assurés : seulement la référence de la demande et un lien. Les e-mails de sécurité (mot de passe, invitation) partent toujours."</p>
        <ErrorSummary error title="Votre choix n'a pas été enregistré" />
        <ActionForm action=save>
            <ChoiceGroup name="preference" legend="Quand vous écrire au sujet de vos demandes ?" error options chosen=vec![chosen] required=true />
            <button type="submit" class="button">"Enregistrer"</button>
        </ActionForm>
        <p><a href="/compte/securite">"Sécurité du compte"</a> " · " <a href="/compte/mot-de-passe">"Changer de mot de passe"</a></p>
    }
}

/// `/compte/mot-de-passe`: the current password, then the new one twice. Other sessions end; this one goes on.
#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let error = action_error(change);
    // A fresh page once changed: the notice below, and empty fields.
    let query = use_query_map();
    let changed = move || query.read().get("fait").is_some();
    view! {
        <PageTitle text="Changer de mot de passe" />
        <div class="card narrow">
            <h1>"Changer de mot de passe"</h1>
            <Show when=changed>
                <div class="alert alert--success" role="status">
                    <p>"Votre mot de passe a été changé. Vos sessions ouvertes sur d'autres appareils ont été fermées ; un e-mail vous le confirme."</p>
                </div>
            </Show>
            <ErrorSummary error title="Le mot de passe n'a pas été changé" />
            <ActionForm action=change attr:novalidate=true>
                <TextField name="current" kind="password" label="Mot de passe actuel" autocomplete="current-password" required=true error />
                <TextField
                    name="password"
                    kind="password"
                    label="Nouveau mot de passe"
                    hint=new_password_hint()
                    autocomplete="new-password"
                    required=true
                    error
                />
                <TextField name="confirmation" kind="password" label="Confirmez le nouveau mot de passe" autocomplete="new-password" required=true error />
                <button type="submit" class="button">"Changer le mot de passe"</button>
            </ActionForm>
        </div>
        <p><a href="/compte/notifications">"Notifications par e-mail"</a></p>
    }
}
