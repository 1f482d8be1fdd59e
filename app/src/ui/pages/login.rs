//! `/login`: the sign-in form, then its second step — `/login/code` (the app's code), `/login/secours` (a recovery
//! code) or, for an account without its second factor yet, `/login/enrolement` (the QR code and the key). Every form
//! posts (no island here, JavaScript or not): the server redirects onwards or back here with the error.

use crate::api::auth::{ConfirmCode, Login, UseRecoveryCode, enrolment_sheet, take_form_flash};
use crate::dto::error::AppError;
use crate::ui::components::{ErrorSummary, TextField, action_error, awaited, loaded};
use crate::ui::page_title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let error = action_error(login);
    // What the address says, read once: the page is rendered on the server and never again in the browser.
    let query = use_query_map().get_untracked();
    let said = |key: &str| query.get(key).is_some();
    let notice = |text: &'static str| view! { <div class="alert alert--success" role="status"><p>{text}</p></div> };
    let suite = query.get("suite").unwrap_or_default();
    let must_sign_in = said("suite") && !said("expiree") && error.get_untracked().is_none();
    view! {
        <PageTitle text="Connexion" />
        <div class="card narrow">
            <h1>"Connexion"</h1>
            {said("deconnecte").then(|| notice("Vous êtes déconnecté(e). À bientôt !"))}
            {said("mot-de-passe").then(|| notice("Votre mot de passe a été changé et toutes vos sessions ont été fermées. Connectez-vous avec le nouveau."))}
            {said("active").then(|| notice("Votre compte est activé. Connectez-vous avec votre adresse e-mail et le mot de passe choisi."))}
            {said("etape").then(|| view! { <div class="alert" role="status"><p>"La connexion a pris trop de temps : saisissez à nouveau votre mot de passe."</p></div> })}
            {said("reinitialise").then(|| notice("Votre double authentification est retirée et vos sessions sont fermées. À votre prochaine connexion, vous associerez votre nouvelle application."))}
            {said("expiree").then(|| view! {
                <div class="alert alert--warning" role="status">
                    <p>"Votre session a expiré. Reconnectez-vous : vous reviendrez à la page où vous étiez, avec ce que vous aviez saisi (sauf les fichiers joints)."</p>
                </div>
            })}
            {must_sign_in.then(|| view! { <div class="alert" role="status"><p>"Connectez-vous pour accéder à cette page."</p></div> })}
            <ErrorSummary error title="La connexion n'a pas abouti" />
            <p class="lead">{"Accédez à l'Espace Partenaires avec l'adresse e-mail et le mot de passe de votre compte."}</p>
            // Without JavaScript a failed sign-in comes back here: refill the address that was typed.
            {awaited(take_form_flash("login".to_owned()), move |kept| {
                let kept_email = kept.map(|fields| fields.text("email").to_owned()).unwrap_or_default();
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
            })}
            <p><a href="/mot-de-passe-oublie">"Mot de passe oublié ?"</a></p>
            <p class="hint">{"Pas encore de compte ? Votre structure doit d'abord signer une convention Espace Partenaires avec sa caisse ; l'administrateur de la caisse vous invitera ensuite."}</p>
        </div>
    }
}

/// The second step's forms send the person back to the password when the step ran out of time.
fn restart_if_expired(error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        matches!(error.get(), Some(AppError::Unauthenticated)).then(|| {
            view! { <p><a href="/login" class="button">"Recommencer la connexion"</a></p> }
        })
    }
}

/// `/login/code`: the code the person's authenticator app shows.
#[component]
pub fn CodePage() -> impl IntoView {
    let confirm = ServerAction::<ConfirmCode>::new();
    let error = action_error(confirm);
    view! {
        <PageTitle text="Code de connexion" />
        <div class="card narrow">
            <h1>"Code de connexion"</h1>
            <ErrorSummary error title="La connexion n'a pas abouti" />
            {restart_if_expired(error)}
            <p class="lead">"Ouvrez votre application d'authentification et saisissez le code à 6 chiffres affiché pour l'Espace Partenaires."</p>
            <ActionForm action=confirm attr:novalidate=true>
                <CodeField error />
                <button type="submit" class="button">"Valider"</button>
            </ActionForm>
            <p><a href="/login/secours">"Vous n'avez pas votre téléphone ? Utiliser un code de secours"</a></p>
        </div>
    }
}

/// The one-time code field: digits, filled in by the phone's keyboard and password managers.
#[component]
fn CodeField(error: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <TextField
            name="code"
            label="Code à usage unique"
            hint="6 chiffres, par exemple 123456"
            autocomplete="one-time-code"
            inputmode="numeric"
            required=true
            error
        />
    }
}

/// `/login/secours`: one of the recovery codes noted at enrolment.
#[component]
pub fn RecoveryCodePage() -> impl IntoView {
    let recover = ServerAction::<UseRecoveryCode>::new();
    let error = action_error(recover);
    view! {
        <PageTitle text="Code de secours" />
        <div class="card narrow">
            <h1>"Se connecter avec un code de secours"</h1>
            <ErrorSummary error title="La connexion n'a pas abouti" />
            {restart_if_expired(error)}
            <p class="lead">"Saisissez un des codes de secours que vous avez notés en activant la double authentification. Chaque code ne sert qu'une fois."</p>
            <ActionForm action=recover attr:novalidate=true>
                <TextField
                    name="recovery_code"
                    label="Code de secours"
                    hint="10 caractères, par exemple ABCDE-FGHJK"
                    autocomplete="off"
                    required=true
                    error
                />
                <button type="submit" class="button">"Valider"</button>
            </ActionForm>
            <p>"Plus de code de secours ? L'administrateur de votre caisse peut réinitialiser votre double authentification."</p>
            <p><a href="/login/code">"Revenir au code de l'application"</a></p>
        </div>
    }
}

/// `/login/enrolement`: the first sign-in of an account without its second factor. The QR code (drawn on the
/// server), the same key to type, then a code from the app to confirm.
#[component]
pub fn EnrolmentPage() -> impl IntoView {
    let confirm = ServerAction::<ConfirmCode>::new();
    let error = action_error(confirm);
    view! {
        <PageTitle text="Activer la double authentification" />
        <div class="card narrow">
            <h1>"Activer la double authentification"</h1>
            <ErrorSummary error title="L'activation n'a pas abouti" />
            {restart_if_expired(error)}
            {loaded(enrolment_sheet(), move |sheet| view! {
                <p class="lead">
                    "Pour protéger les données des assurés, chaque connexion demande, après le mot de passe, un code à usage unique "
                    "donné par une application d'authentification (par exemple FreeOTP, Aegis, Google Authenticator ou Microsoft Authenticator)."
                </p>
                <ol class="steps">
                    <li>
                        <p>"Installez une application d'authentification sur votre téléphone, puis scannez ce QR code avec elle :"</p>
                        <div class="qr-code" inner_html=sheet.qr_svg></div>
                    </li>
                    <li>
                        <p>"Si vous ne pouvez pas scanner, saisissez cette clé dans l'application (compte : " <span class="address">{sheet.email}</span> ") :"</p>
                        <p class="secret-key" aria-label="Clé, par groupes de quatre caractères"><code>{sheet.key}</code></p>
                    </li>
                    <li>
                        <p>"Saisissez le code à 6 chiffres que l'application affiche pour confirmer."</p>
                        <ActionForm action=confirm attr:novalidate=true>
                            <CodeField error />
                            <button type="submit" class="button">"Activer et me connecter"</button>
                        </ActionForm>
                    </li>
                </ol>
            })}
        </div>
    }
}
