//! `/compte/notifications`: how the signed-in person wants to hear about their requests by e-mail.

use crate::api::account::{SaveMailPreference, fetch_mail_preference};
use crate::domain::notice::MailPreference;
use crate::ui::components::{ErrorSummary, loaded, reload_on_success};
use crate::ui::fields::ChoiceGroup;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    view! {
        <Title text="Notifications par e-mail" />
        <h1>"Notifications par e-mail"</h1>
        {loaded(fetch_mail_preference, |chosen| view! { <PreferenceForm chosen /> })}
    }
}

#[component]
fn PreferenceForm(chosen: String) -> impl IntoView {
    let save = ServerAction::<SaveMailPreference>::new();
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    reload_on_success(Signal::derive(move || matches!(save.value().get(), Some(Ok(())))), "fait=1");
    let query = use_query_map();
    let saved = move || query.read().get("fait").is_some();
    let options = MailPreference::ALL.iter().map(|p| (p.code().to_owned(), p.label().to_owned())).collect();
    view! {
        <Show when=saved><div class="alert alert--success" role="status"><p>"Votre choix a été enregistré."</p></div></Show>
        <div class="card narrow">
            <p>"Les e-mails ne contiennent jamais d'information sur les assurés : seulement la référence de la demande et un lien. Les e-mails de sécurité (mot de passe, invitation) partent toujours."</p>
            <ErrorSummary error title="Votre choix n'a pas été enregistré" />
            <ActionForm action=save>
                <ChoiceGroup name="preference" legend="Quand vous écrire au sujet de vos demandes ?" error options chosen=vec![chosen] required=true />
                <button type="submit" class="button">"Enregistrer"</button>
            </ActionForm>
        </div>
    }
}
