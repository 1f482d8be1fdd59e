//! `/compte/securite`: the person's open sessions (ended one by one or all but this one) and their second factor
//! (new recovery codes, or another phone), and `/compte/codes-de-secours`, where new recovery codes show once.
//! Every form posts, JavaScript or not.

use crate::api::auth::fresh_recovery_codes;
use crate::api::security::{ChangeSecondFactor, EndOtherSessions, EndSession, fetch_security_overview};
use crate::dto::security::SecurityOverview;
use crate::ui::components::{DataTable, ErrorSummary, TextField, action_error, loaded};
use crate::ui::fields::ChoiceGroup;
use crate::ui::page_title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SecurityPage() -> impl IntoView {
    let query = use_query_map().get_untracked();
    let notice = match (query.get("fait").as_deref(), query.get("codes-restants")) {
        (Some("session"), _) => Some("La session a été fermée : ce navigateur devra se reconnecter.".to_owned()),
        (Some("autres"), _) => Some("Vos autres sessions ont été fermées.".to_owned()),
        (_, Some(left)) => Some(format!(
            "Vous vous êtes connecté(e) avec un code de secours. Il vous en reste {} : si vous avez perdu votre téléphone, changez de téléphone ci-dessous.",
            left.parse::<u32>().unwrap_or(0)
        )),
        _ => None,
    };
    view! {
        <PageTitle text="Sécurité du compte" />
        <h1>"Sécurité du compte"</h1>
        {notice.map(|text| view! { <div class="alert alert--success" role="status"><p>{text}</p></div> })}
        {loaded(fetch_security_overview(), |overview| view! { <Overview overview /> })}
    }
}

#[component]
fn Overview(overview: SecurityOverview) -> impl IntoView {
    let end_one = ServerAction::<EndSession>::new();
    let end_others = ServerAction::<EndOtherSessions>::new();
    let change = ServerAction::<ChangeSecondFactor>::new();
    let session_error = {
        let (one, others) = (action_error(end_one), action_error(end_others));
        Signal::derive(move || one.get().or_else(|| others.get()))
    };
    let change_error = action_error(change);
    let others = overview.sessions.iter().filter(|line| !line.current).count();
    let options = vec![
        ("codes".to_owned(), "Obtenir de nouveaux codes de secours (les anciens ne fonctionneront plus)".to_owned()),
        (
            "telephone".to_owned(),
            "Changer de téléphone : retirer l'application actuelle et en associer une autre à la prochaine connexion".to_owned(),
        ),
    ];
    view! {
        <section class="card" aria-labelledby="sessions-title">
            <h2 id="sessions-title">"Sessions ouvertes"</h2>
            <p>"Chaque navigateur connecté à votre compte. Si vous n'en reconnaissez pas un, fermez-le et changez votre mot de passe."</p>
            <ErrorSummary error=session_error title="La session n'a pas été fermée" />
            <DataTable
                id="sessions-table"
                caption="Sessions ouvertes, la vôtre d'abord"
                hide_caption=true
                columns=["Navigateur", "Adresse approximative", "Ouverte le", "Dernière activité", "Action"]
            >
                {overview.sessions.into_iter().map(|line| view! {
                    <tr>
                        <th scope="row">{line.browser}{line.current.then(|| view! { " " <span class="badge">"Cette session"</span> })}</th>
                        <td>{line.address}</td>
                        <td>{line.started}</td>
                        <td>{line.last_seen}</td>
                        <td>
                            {if line.current {
                                view! { <span class="hint">"Utilisez « Se déconnecter »"</span> }.into_any()
                            } else {
                                view! {
                                    <ActionForm action=end_one>
                                        <input type="hidden" name="session" value=line.handle />
                                        <button type="submit" class="button button--secondary">"Mettre fin à cette session"</button>
                                    </ActionForm>
                                }.into_any()
                            }}
                        </td>
                    </tr>
                }).collect_view()}
            </DataTable>
            {(others > 0).then(|| view! {
                <ActionForm action=end_others>
                    <button type="submit" class="button button--secondary">"Mettre fin à toutes les autres"</button>
                </ActionForm>
            })}
        </section>
        <section class="card" aria-labelledby="factor-title">
            <h2 id="factor-title">"Double authentification"</h2>
            {match overview.enrolled_since {
                Some(since) => view! {
                    <p>{format!("Activée le {since}. Codes de secours restants : {}.", overview.recovery_codes_left)}</p>
                }.into_any(),
                None => view! { <p>"Pas encore activée : elle vous sera proposée à la prochaine connexion."</p> }.into_any(),
            }}
            <ErrorSummary error=change_error title="Rien n'a été changé" />
            <ActionForm action=change attr:novalidate=true>
                <ChoiceGroup name="change" legend="Que voulez-vous faire ?" error=change_error options chosen=vec!["codes".to_owned()] required=true />
                <p>"Pour confirmer que c'est bien vous, saisissez à nouveau votre mot de passe et le code de votre application."</p>
                <TextField name="password" kind="password" label="Mot de passe" autocomplete="current-password" required=true error=change_error />
                <TextField
                    name="code"
                    label="Code à usage unique"
                    hint="6 chiffres"
                    autocomplete="one-time-code"
                    inputmode="numeric"
                    required=true
                    error=change_error
                />
                <button type="submit" class="button">"Confirmer"</button>
            </ActionForm>
        </section>
        <p><a href="/compte/mot-de-passe">"Changer de mot de passe"</a> " · " <a href="/compte/notifications">"Notifications par e-mail"</a></p>
    }
}

/// `/compte/codes-de-secours`: the recovery codes just created, shown this once.
#[component]
pub fn FreshCodesPage() -> impl IntoView {
    view! {
        <PageTitle text="Vos codes de secours" />
        <div class="card narrow">
            <h1>"Vos codes de secours"</h1>
            {loaded(fresh_recovery_codes(), |fresh| match fresh {
                Some(fresh) => view! {
                    <div class="alert" role="status">
                        <p>"Notez ces codes ou imprimez-les, et gardez-les en lieu sûr : chacun permet de vous connecter une fois sans votre téléphone. Ils ne seront plus affichés."</p>
                    </div>
                    <ol class="recovery-codes">
                        {fresh.codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view()}
                    </ol>
                    <p><a class="button" href=fresh.next>"J'ai noté mes codes, continuer"</a></p>
                }.into_any(),
                None => view! {
                    <p>"Ces codes ont déjà été affichés. Pour en obtenir de nouveaux, passez par la page Sécurité de votre compte."</p>
                    <p><a class="button" href="/compte/securite">"Sécurité du compte"</a></p>
                }.into_any(),
            })}
        </div>
    }
}
