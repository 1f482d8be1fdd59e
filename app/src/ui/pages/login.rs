//! `/login`: the sign-in form. It posts (no island here, JavaScript or not): the server redirects home or back
//! here with the error.

use crate::api::auth::{Login, take_form_flash};
use crate::ui::components::{ErrorSummary, Loading, TextField};
use crate::ui::page_title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let error = Signal::derive(move || login.value().get().and_then(Result::err));
    // Without JavaScript a failed sign-in comes back here: refill the address that was typed.
    let kept = Resource::new_blocking(|| (), |_| take_form_flash("login".to_owned()));
    // What the address says, read once: the page is rendered on the server and never again in the browser.
    let query = use_query_map().get_untracked();
    let said = |key: &str| query.get(key).is_some();
    let notice = |text: &'static str| view! { <div class="alert alert--success" role="status"><p>{text}</p></div> };
    let suite = query.get("suite").unwrap_or_default();
    let must_sign_in = said("suite") && error.get_untracked().is_none();
    view! {
        <PageTitle text="Connexion" />
        <div class="card narrow">
            <h1>"Connexion"</h1>
            {said("deconnecte").then(|| notice("Vous êtes déconnecté(e). À bientôt !"))}
            {said("mot-de-passe").then(|| notice("Votre mot de passe a été changé et toutes vos sessions ont été fermées. Connectez-vous avec le nouveau."))}
            {said("active").then(|| notice("Votre compte est activé. Connectez-vous avec votre adresse e-mail et le mot de passe choisi."))}
            {must_sign_in.then(|| view! { <div class="alert" role="status"><p>"Connectez-vous pour accéder à cette page."</p></div> })}
            <ErrorSummary error title="La connexion n'a pas abouti" />
            <p class="lead">{"Accédez à l'Espace Partenaires avec l'adresse e-mail et le mot de passe de votre compte."}</p>
            <Suspense fallback=Loading>
                {move || {
                    let suite = suite.clone();
                    Suspend::new(async move {
                    let kept_email = kept.await.map(|fields| fields.text("email").to_owned()).unwrap_or_default();
                    view! {
                        <ActionForm action=login attr:novalidate=true>
                            <input type="hidden" name="suite" value=suite />
                            <TextField
                                name="email"
                                kind="email"
                                label="Adresse e-mail"
                                hint="Par exemple : prenom.nom@structure.fr"
                                autocomplete="username"
                                required=true
                                value=Signal::stored(kept_email)
                                error
                            />
                            <TextField
                                name="password"
                                kind="password"
                                label="Mot de passe"
                                autocomplete="current-password"
                                required=true
                                error
                            />
                            <button type="submit" class="button" >
                                {"Se connecter"}
                            </button>
                        </ActionForm>
                    }
                    })
                }}
            </Suspense>
            <p><a href="/mot-de-passe-oublie">"Mot de passe oublié ?"</a></p>
            <p class="hint">{"Pas encore de compte ? Votre structure doit d'abord signer une convention Espace Partenaires avec sa caisse ; l'administrateur de la caisse vous invitera ensuite."}</p>
        </div>
    }
}
