//! Forgotten passwords and invitations: `/mot-de-passe-oublie` asks for the address and always gives the same answer;
//! `/mot-de-passe/nouveau?jeton=…` (the reset link) and `/compte/activer?jeton=…` (the invitation link) choose the
//! password. All work without JavaScript.

use crate::api::auth::{AskPasswordReset, ChoosePassword, reset_link_valid};
use crate::domain::password_rule::{LinkPurpose, MIN_LENGTH};
use crate::ui::components::{ErrorSummary, TextField, action_error, awaited};
use crate::ui::page_title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ForgottenPasswordPage() -> impl IntoView {
    let ask = ServerAction::<AskPasswordReset>::new();
    let error = action_error(ask);
    let query = use_query_map();
    let answer = ask.value();
    let sent = move || matches!(answer.get(), Some(Ok(()))) || query.read().get("envoye").is_some();
    view! {
        <PageTitle text="Mot de passe oublié" />
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

/// What the new-password field says before anything is typed (reset, invitation and change pages alike).
pub fn new_password_hint() -> String {
    format!(
        "Au moins {MIN_LENGTH} caractères. Une phrase de quelques mots sans lien entre eux se retient bien et se devine mal ; évitez les mots de passe courants, votre nom et votre adresse e-mail."
    )
}

/// The form a reset link opens.
#[component]
pub fn NewPasswordPage() -> impl IntoView {
    view! { <ChoosePasswordPage purpose=LinkPurpose::Reset /> }
}

/// The form an invitation opens: the invitee chooses a first password.
#[component]
pub fn ActivateAccountPage() -> impl IntoView {
    view! { <ChoosePasswordPage purpose=LinkPurpose::Invitation /> }
}

#[component]
fn ChoosePasswordPage(purpose: LinkPurpose) -> impl IntoView {
    let token = use_query_map().read_untracked().get("jeton").unwrap_or_default();
    let choose = ServerAction::<ChoosePassword>::new();
    let error = action_error(choose);
    let (title, label, button) = match purpose {
        LinkPurpose::Reset => ("Choisir un nouveau mot de passe", "Nouveau mot de passe", "Enregistrer le mot de passe"),
        LinkPurpose::Invitation => ("Activer votre compte", "Choisissez votre mot de passe", "Activer mon compte"),
    };
    view! {
        <PageTitle text=title />
        <div class="card narrow">
            <h1>{title}</h1>
            {awaited(reset_link_valid(token.clone()), move |valid| {
                if valid.ok().flatten() != Some(purpose) {
                    return view! {
                        <div class="alert alert--error" role="alert">
                            <p>{purpose.expired()}</p>
                        </div>
                        {(purpose == LinkPurpose::Reset).then(|| view! { <p><a href="/mot-de-passe-oublie">"Demander un nouveau lien"</a></p> })}
                    }
                    .into_any();
                }
                view! {
                    {(purpose == LinkPurpose::Invitation).then(|| view! {
                        <p class="lead">"Choisissez le mot de passe de votre compte Espace Partenaires : vous vous connecterez ensuite avec votre adresse e-mail et ce mot de passe."</p>
                    })}
                    <ErrorSummary error title="Le mot de passe n'a pas été enregistré" />
                    <ActionForm action=choose attr:novalidate=true>
                        <input type="hidden" name="token" value=token />
                        <TextField
                            name="password"
                            kind="password"
                            label=label
                            hint=new_password_hint()
                            autocomplete="new-password"
                            required=true
                            error
                        />
                        <TextField name="confirmation" kind="password" label="Confirmez le mot de passe" autocomplete="new-password" required=true error />
                        <button type="submit" class="button">{button}</button>
                    </ActionForm>
                }
                .into_any()
            })}
        </div>
    }
}
