//! `/admin/comptes` (every account of the caisse: filters, the accounts unused for six months, inviting caisse
//! staff) and `/admin/comptes/{id}` (one account: role and team, deactivation, training, invitation).
//! Every form works without JavaScript.

use crate::api::admin::accounts::{
    InviteAccount, RecordTraining, ResendInvitation, ResetSecondFactor, SetAccountActive, UpdateAccount, fetch_account, fetch_accounts,
};
use crate::domain::account_review::AccountState;
use crate::domain::role::Role;
use crate::domain::wording::plural;
use crate::dto::admin::accounts::{AccountList, AccountPage as Page, AccountQuery};
use crate::dto::common::href_with_query;
use crate::ui::components::{
    DataTable, DoneNotice, EmptyState, ErrorSummary, FilterSelect, Pager, RoleGate, TextField, action_error, loaded, path_param,
};
use crate::ui::fields::SelectField;
use crate::ui::page_title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const STATES: [AccountState; 4] = [AccountState::Active, AccountState::Dormant, AccountState::Invited, AccountState::Deactivated];

fn list_link(query: &AccountQuery, page: u64) -> String {
    href_with_query(
        "/admin/comptes",
        &[
            ("recherche", Some(query.search.clone())),
            ("role", Some(query.role.clone())),
            ("etat", Some(query.state.clone())),
            ("page", (page > 1).then(|| page.to_string())),
        ],
    )
}

#[component]
pub fn AccountsPage() -> impl IntoView {
    let p = use_query_map().get_untracked();
    let query = AccountQuery {
        search: p.get("recherche").unwrap_or_default(),
        role: p.get("role").unwrap_or_default(),
        state: p.get("etat").unwrap_or_default(),
        page: p.get("page").and_then(|n| n.parse().ok()).unwrap_or(1),
    };
    view! {
        <PageTitle text="Comptes" />
        <RoleGate role=Role::Admin>
            <h1>"Comptes"</h1>
            <DoneNotice notices=&[("invitation", "L'invitation a été envoyée par e-mail : le lien est valable 72 heures.")] />
            {loaded(fetch_accounts(query.clone()), move |list| view! { <AccountsView list query /> })}
        </RoleGate>
    }
}

#[component]
fn AccountsView(list: AccountList, query: AccountQuery) -> impl IntoView {
    let invite = ServerAction::<InviteAccount>::new();
    let error = action_error(invite);
    let typed = list.returned.clone().unwrap_or_default();
    let value = {
        let typed = typed.clone();
        move |name: &str| Signal::stored(typed.text(name).to_owned())
    };
    let (caisse_typed, role_typed, team_typed) =
        (typed.text("caisse_id").to_owned(), typed.text("role").to_owned(), typed.text("team_id").to_owned());
    let previous = (list.page > 1).then(|| list_link(&query, list.page - 1));
    let next = (list.page < list.pages).then(|| list_link(&query, list.page + 1));
    let dormant_link = list_link(&AccountQuery { state: "dormant".to_owned(), ..Default::default() }, 1);
    let staff_roles = vec![
        (Role::CaisseAgent.code().to_owned(), Role::CaisseAgent.label().to_owned()),
        (Role::Admin.code().to_owned(), Role::Admin.label().to_owned()),
    ];
    let role_options = Role::ALL.into_iter().map(|r| (r.code().to_owned(), r.label().to_owned())).collect();
    let state_options = STATES.into_iter().map(|s| (s.code().to_owned(), s.label().to_owned())).collect();
    view! {
        <p class="lead">{format!("{} – {}", plural(list.total, "compte", "comptes"), list.scope)}</p>
        {(list.dormant > 0).then(|| view! {
            <div class="alert" role="status">
                <p>
                    {format!("{} pas servi depuis 6 mois : ", plural(list.dormant, "compte actif n'a", "comptes actifs n'ont"))}
                    <a href=dormant_link>"les voir"</a>
                    " et désactiver ceux des personnes parties."
                </p>
            </div>
        })}
        <form method="get" action="/admin/comptes" class="filters" role="search" aria-label="Filtrer les comptes">
            <div class="field">
                <label for="recherche">"Nom ou adresse e-mail"</label>
                <input type="search" id="recherche" name="recherche" value=query.search.clone() />
            </div>
            <FilterSelect name="role" id="filtre-role" label="Rôle" selected=query.role.clone() options=role_options unset="Tous les rôles" />
            <FilterSelect name="etat" label="État" selected=query.state.clone() options=state_options unset="Tous les états" />
            <button type="submit" class="button">"Filtrer"</button>
        </form>
        {if list.rows.is_empty() {
            view! { <EmptyState message="Aucun compte ne correspond." /> }.into_any()
        } else {
            view! {
                <DataTable
                    id="accounts-table"
                    caption="Comptes, par nom"
                    hide_caption=true
                    columns=["Nom", "Adresse e-mail", "Rôle", "Structure ou équipe", "État", "Dernière connexion"]
                >
                    {list.rows.into_iter().map(|a| view! {
                        <tr>
                            <th scope="row"><a href=format!("/admin/comptes/{}", a.id)>{a.name}</a></th>
                            <td>{a.email}</td>
                            <td>{a.role.label()}</td>
                            <td>{a.attached_to}</td>
                            <td><span class=format!("badge badge--{}", a.state.code())>{a.state.label()}</span></td>
                            <td>{a.last_sign_in.unwrap_or_else(|| "Jamais".to_owned())}</td>
                        </tr>
                    }).collect_view()}
                </DataTable>
            }.into_any()
        }}
        <Pager label="Pages des comptes" previous next position=format!("Page {} sur {}", list.page, list.pages) />
        <section class="card" aria-labelledby="invite-title">
            <h2 id="invite-title">"Inviter un agent de la caisse ou un administrateur"</h2>
            <p class="hint">"Les agents des structures partenaires s'invitent depuis la page de leur structure. La personne reçoit un lien personnel, valable 72 heures, pour choisir son mot de passe."</p>
            <ErrorSummary error title="L'invitation n'a pas été envoyée" />
            <ActionForm action=invite attr:novalidate=true>
                <input type="hidden" name="back" value="/admin/comptes" />
                {(!list.caisses.is_empty()).then(|| view! {
                    <SelectField name="caisse_id" label="Caisse" hint="Laissez vide pour un administrateur national." options=list.caisses.clone() value=caisse_typed.clone() error />
                })}
                <TextField name="first_name" label="Prénom *" autocomplete="off" required=true error value=value("first_name") />
                <TextField name="last_name" label="Nom *" autocomplete="off" required=true error value=value("last_name") />
                <TextField name="email" kind="email" label="Adresse e-mail professionnelle *" autocomplete="off" required=true error value=value("email") />
                <SelectField name="role" label="Rôle" options=staff_roles value=role_typed required=true error />
                {(!list.teams.is_empty()).then(|| view! {
                    <SelectField name="team_id" label="Équipe (agents de caisse)" hint="Les demandes arrivent à l'équipe qui les traite." options=list.teams.clone() value=team_typed.clone() error />
                })}
                <button type="submit" class="button">"Envoyer l'invitation"</button>
            </ActionForm>
        </section>
    }
}

const ACCOUNT_NOTICES: &[(&str, &str)] = &[
    ("modification", "Le rôle et l'équipe ont été enregistrés."),
    ("desactivation", "Le compte a été désactivé : ses sessions ont été fermées et il ne peut plus se connecter."),
    ("reactivation", "Le compte a été réactivé."),
    ("formation", "La date de formation a été enregistrée."),
    ("invitation", "Une nouvelle invitation a été envoyée : le lien précédent ne fonctionne plus."),
    (
        "double-authentification",
        "La double authentification a été réinitialisée : les sessions de la personne sont fermées, elle en a été avertie par e-mail et associera une nouvelle application à sa prochaine connexion.",
    ),
];

#[component]
pub fn AccountDetailPage() -> impl IntoView {
    let id = path_param("id");
    view! {
        <RoleGate role=Role::Admin>
            {loaded(fetch_account(id), |page| view! { <PageTitle text=page.name.clone() /><AccountView page /> })}
        </RoleGate>
    }
}

#[component]
fn AccountView(page: Page) -> impl IntoView {
    let update = ServerAction::<UpdateAccount>::new();
    let active = ServerAction::<SetAccountActive>::new();
    let training = ServerAction::<RecordTraining>::new();
    let resend = ServerAction::<ResendInvitation>::new();
    let reset = ServerAction::<ResetSecondFactor>::new();
    let reset_error = action_error(reset);
    let update_error = action_error(update);
    let active_error = action_error(active);
    let training_error = action_error(training);
    let resend_error = action_error(resend);
    let typed = page.returned.clone().unwrap_or_default();
    let role = if typed.text("role").is_empty() { page.role.code().to_owned() } else { typed.text("role").to_owned() };
    let team = if typed.text("role").is_empty() { page.team_id.clone() } else { typed.text("team_id").to_owned() };
    let trained = if typed.text("trained_on").is_empty() { page.trained_on_iso.clone() } else { typed.text("trained_on").to_owned() };
    let staff_roles = vec![
        (Role::CaisseAgent.code().to_owned(), Role::CaisseAgent.label().to_owned()),
        (Role::Admin.code().to_owned(), Role::Admin.label().to_owned()),
    ];
    let deactivated = page.state == AccountState::Deactivated;
    let id = StoredValue::new(page.id.clone());
    view! {
        <p><a href="/admin/comptes">"← Tous les comptes"</a></p>
        <h1>{page.name.clone()}</h1>
        <DoneNotice notices=ACCOUNT_NOTICES />
        <dl class="facts card">
            <div><dt>"Adresse e-mail"</dt><dd>{page.email.clone()}</dd></div>
            <div><dt>"Rôle"</dt><dd>{page.role.label()}</dd></div>
            <div><dt>"Caisse"</dt><dd>{page.caisse_name.clone()}</dd></div>
            {page.structure.clone().map(|(sid, name)| view! { <div><dt>"Structure"</dt><dd><a href=format!("/admin/structures/{sid}")>{name}</a></dd></div> })}
            <div><dt>"État"</dt><dd><span class=format!("badge badge--{}", page.state.code())>{page.state.label()}</span></dd></div>
            <div><dt>"Dernière connexion"</dt><dd>{page.last_sign_in.clone().unwrap_or_else(|| "Jamais".to_owned())}</dd></div>
            <div><dt>"Compte créé le"</dt><dd>{page.created.clone()}</dd></div>
        </dl>
        {(page.state == AccountState::Invited).then(|| view! {
            <section class="card" aria-labelledby="invitation-title">
                <h2 id="invitation-title">"Invitation"</h2>
                <p>"La personne n'a pas encore choisi son mot de passe. Si le lien a expiré (72 heures) ou s'est perdu, envoyez-en un nouveau."</p>
                <ErrorSummary error=resend_error title="L'invitation n'a pas été envoyée" />
                <ActionForm action=resend>
                    <input type="hidden" name="id" value=id.get_value() />
                    <button type="submit" class="button">"Renvoyer l'invitation"</button>
                </ActionForm>
            </section>
        })}
        {(page.role != Role::PartnerAgent).then(|| view! {
            <section class="card" aria-labelledby="role-title">
                <h2 id="role-title">"Rôle et équipe"</h2>
                <ErrorSummary error=update_error title="Le rôle n'a pas été changé" />
                <ActionForm action=update attr:novalidate=true>
                    <input type="hidden" name="id" value=id.get_value() />
                    <SelectField name="role" label="Rôle" options=staff_roles value=role required=true error=update_error />
                    <SelectField name="team_id" label="Équipe" hint="Pour un agent de caisse ; un administrateur n'a pas d'équipe." options=page.teams.clone() value=team error=update_error />
                    <button type="submit" class="button">"Enregistrer"</button>
                </ActionForm>
            </section>
        })}
        {(page.role == Role::PartnerAgent).then(|| view! {
            <section class="card" aria-labelledby="training-title">
                <h2 id="training-title">"Formation"</h2>
                <p>{match &page.trained_on {
                    Some(day) => format!("Formation suivie le {day}."),
                    None => "Aucune formation enregistrée : la personne ne peut pas encore envoyer de demande.".to_owned(),
                }}</p>
                <ErrorSummary error=training_error title="La formation n'a pas été enregistrée" />
                <ActionForm action=training attr:novalidate=true>
                    <input type="hidden" name="id" value=id.get_value() />
                    <TextField name="trained_on" kind="date" label="Date de la formation" required=true error=training_error value=Signal::stored(trained) />
                    <button type="submit" class="button">"Enregistrer la formation"</button>
                </ActionForm>
            </section>
        })}
        <section class="card" aria-labelledby="factor-title">
            <h2 id="factor-title">"Double authentification"</h2>
            {if !page.second_factor {
                view! { <p>"Pas encore activée : la personne associera une application d'authentification à sa prochaine connexion."</p> }.into_any()
            } else if page.is_self {
                view! { <p>"Activée. Pour changer de téléphone, passez par " <a href="/compte/securite">"Sécurité du compte"</a> "."</p> }.into_any()
            } else {
                view! {
                    <p>"Activée. Si la personne a perdu son téléphone et ses codes de secours, réinitialisez-la : ses sessions seront fermées et elle associera une nouvelle application à sa prochaine connexion."</p>
                    <ErrorSummary error=reset_error title="La double authentification n'a pas été réinitialisée" />
                    <ActionForm action=reset>
                        <input type="hidden" name="id" value=id.get_value() />
                        <button type="submit" class="button button--danger">"Réinitialiser la double authentification"</button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="access-title">
            <h2 id="access-title">"Accès"</h2>
            <ErrorSummary error=active_error title="Le compte n'a pas été modifié" />
            {if deactivated {
                view! {
                    <p>"Ce compte est désactivé : la personne ne peut plus se connecter."</p>
                    <ActionForm action=active>
                        <input type="hidden" name="id" value=id.get_value() />
                        <input type="hidden" name="active" value="true" />
                        <button type="submit" class="button">"Réactiver le compte"</button>
                    </ActionForm>
                }.into_any()
            } else if page.is_self {
                view! { <p>"C'est votre compte : un autre administrateur peut le désactiver."</p> }.into_any()
            } else {
                view! {
                    <p>"Désactiver le compte ferme aussitôt toutes ses sessions ; son historique est conservé."</p>
                    <ActionForm action=active>
                        <input type="hidden" name="id" value=id.get_value() />
                        <input type="hidden" name="active" value="false" />
                        <button type="submit" class="button button--danger">"Désactiver le compte"</button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}
