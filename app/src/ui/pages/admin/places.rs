//! `/admin/accueils` and `/admin/equipes`: the caisse's accueils (address, telephone, opening hours typed day by
//! day; deactivated, one takes no new appointment) and its teams (the kinds of request routed to each). Each has a
//! list with an add form and an edit page, both showing the one form of the thing (`AccueilEditor`, `TeamEditor`);
//! every form works without JavaScript (a refused form comes back as it was typed, with its errors).

use crate::api::admin::places::{
    CreateAccueil, CreateTeam, DeactivateAccueil, DeleteTeam, ReactivateAccueil, UpdateAccueil, UpdateTeam, fetch_accueil, fetch_accueils,
    fetch_team, fetch_teams,
};
use crate::domain::opening_hours::typed::{DAY_FIELDS, day_label, week};
use crate::domain::request_kind::RequestKind;
use crate::domain::role::Role;
use crate::domain::wording::plural;
use crate::dto::admin::places::{AccueilEditPage, AccueilForm, AccueilsPage, TeamEditPage, TeamForm, TeamsPage};
use crate::dto::common::Choice;
use crate::dto::error::AppError;
use crate::ui::components::{DataTable, EmptyState, ErrorSummary, FormAction, RoleGate, TextField, action_error, loaded, path_param};
use crate::ui::fields::{SelectField, TickBoxes};
use crate::ui::page_title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const HOURS_HINT: &str = "Pour chaque jour, les plages d'ouverture séparées par une virgule, par exemple 08:30-12:00, 13:30-16:30 (8h30-12h convient aussi). Laissez vide un jour de fermeture. Les rendez-vous durent 30 minutes et commencent à l'heure ou à la demie.";
const KINDS_HINT: &str = "Les nouvelles demandes de ces types iront à cette équipe. Un type ne peut aller qu'à une seule équipe ; une équipe sans type ne reçoit que ce que les agents lui confient.";

/// The notice of a `?fait=` code, shown once the change is made.
fn success(message: Option<&'static str>) -> impl IntoView {
    message.map(|message| view! { <div class="alert alert--success" role="status"><p>{message}</p></div> })
}

fn done_code() -> Option<String> {
    use_query_map().read_untracked().get("fait")
}

/// The caisse a national admin adds something to.
#[component]
fn CaisseChoice(caisses: Vec<Choice>, chosen: String, error: Signal<Option<AppError>>) -> impl IntoView {
    (!caisses.is_empty()).then(|| {
        let options = caisses.into_iter().map(|c| (c.id, c.label)).collect();
        view! { <SelectField name="caisse" label="Caisse" required=true error options value=chosen /> }
    })
}

/// The seven day fields of the opening hours.
#[component]
fn HoursFields(form: AccueilForm, error: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <fieldset class="group">
            <legend>"Horaires d'ouverture"</legend>
            <p class="hint">{HOURS_HINT}</p>
            {week()
                .into_iter()
                .enumerate()
                .map(|(index, day)| view! { <TextField name=DAY_FIELDS[index] label=day_label(day) error value=Signal::stored(form.day(index)) /> })
                .collect_view()}
        </fieldset>
    }
}

/// An accueil's form, written once for adding one and for changing one, so that a field added to one is in both:
/// with `form.id` empty it adds an accueil (to the caisse a national admin picks among `caisses`), with `form.id`
/// set it changes that one. `form` holds the values shown (as stored, or as typed when the form came back refused);
/// `action` is the server function it posts to.
#[component]
fn AccueilEditor<S: FormAction>(action: ServerAction<S>, form: AccueilForm, #[prop(optional)] caisses: Vec<Choice>) -> impl IntoView {
    let error = action_error(action);
    let adding = form.id.is_empty();
    let (heading_id, heading, refused, submit) = if adding {
        ("new-accueil-title", "Ajouter un accueil", "L'accueil n'a pas été ajouté", "Ajouter l'accueil")
    } else {
        ("edit-accueil-title", "Coordonnées et horaires", "L'accueil n'a pas été modifié", "Enregistrer les modifications")
    };
    let value = |v: &str| Signal::stored(v.to_owned());
    view! {
        <section class="card" aria-labelledby=heading_id>
            <h2 id=heading_id>{heading}</h2>
            <ErrorSummary error title=refused />
            <ActionForm action attr:novalidate=true>
                {(!adding).then(|| view! { <input type="hidden" name="id" value=form.id.clone() /> })}
                <CaisseChoice caisses chosen=form.caisse.clone() error />
                <p class="hint">"Les champs marqués d'un astérisque (*) sont obligatoires."</p>
                <TextField name="name" label="Nom *" hint="Par exemple « Accueil de Massy » : 120 caractères au maximum." required=true error value=value(&form.name) />
                <TextField name="address" label="Adresse *" hint="Numéro et voie." autocomplete="off" required=true error value=value(&form.address) />
                <TextField name="postal_code" label="Code postal *" hint="5 chiffres." required=true error value=value(&form.postal_code) />
                <TextField name="commune" label="Commune *" required=true error value=value(&form.commune) />
                <TextField name="phone" label="Téléphone" kind="tel" hint="Facultatif : le numéro que les assurés peuvent appeler." error value=value(&form.phone) />
                <HoursFields form error />
                <button type="submit" class="button">{submit}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn AccueilsListPage() -> impl IntoView {
    view! {
        <PageTitle text="Accueils" />
        <RoleGate role=Role::Admin>
            {loaded(fetch_accueils(), |page| view! { <AccueilsView page /> })}
        </RoleGate>
    }
}

#[component]
fn AccueilsView(page: AccueilsPage) -> impl IntoView {
    let notice = done_code().and_then(|done| match done.as_str() {
        "ajout" => Some("L'accueil a été ajouté."),
        "desactivation" => Some("L'accueil a été désactivé : il ne reçoit plus de nouveau rendez-vous."),
        "reactivation" => Some("L'accueil a été réactivé."),
        _ => None,
    });
    let create = ServerAction::<CreateAccueil>::new();
    let deactivate = ServerAction::<DeactivateAccueil>::new();
    let reactivate = ServerAction::<ReactivateAccueil>::new();
    let toggle_error = {
        let (deactivated, reactivated) = (action_error(deactivate), action_error(reactivate));
        Signal::derive(move || deactivated.get().or_else(|| reactivated.get()))
    };
    let all_caisses = !page.caisses.is_empty();
    let returned = page.returned.clone().unwrap_or_default();
    view! {
        <h1>"Accueils"</h1>
        <p class="lead">
            {format!(
                "Les accueils où les assurés sont reçus ({}). Leurs horaires donnent les créneaux que les agents proposent en rendez-vous ; un accueil désactivé n'en reçoit plus de nouveau (ceux déjà fixés sont maintenus).",
                page.scope,
            )}
        </p>
        {success(notice)}
        <section aria-labelledby="accueils-title">
            <h2 id="accueils-title">"Accueils de la caisse"</h2>
            <ErrorSummary error=toggle_error title="L'accueil n'a pas été modifié" />
            {if page.rows.is_empty() {
                view! { <EmptyState message="Aucun accueil pour l'instant." /> }.into_any()
            } else {
                let columns: Vec<&str> = ["Accueil", "Adresse", "Téléphone", "Horaires", "État"]
                    .into_iter()
                    .chain(all_caisses.then_some("Caisse"))
                    .chain(["Action"])
                    .collect();
                view! {
                    <DataTable id="accueils-table" caption="Accueils, les actifs d'abord" columns>
                        {page.rows.into_iter().map(|row| {
                            let (id, name) = (row.id.clone(), row.name.clone());
                            let hidden = id.clone();
                            let toggle = if row.active {
                                let label = format!("Désactiver « {name} »");
                                view! {
                                    <ActionForm action=deactivate>
                                        <input type="hidden" name="id" value=hidden />
                                        <button type="submit" class="button button--secondary">{label}</button>
                                    </ActionForm>
                                }.into_any()
                            } else {
                                let label = format!("Réactiver « {name} »");
                                view! {
                                    <ActionForm action=reactivate>
                                        <input type="hidden" name="id" value=hidden />
                                        <button type="submit" class="button button--secondary">{label}</button>
                                    </ActionForm>
                                }.into_any()
                            };
                            view! {
                                <tr>
                                    <th scope="row"><a href=format!("/admin/accueils/{id}") aria-label=format!("Modifier « {name} »")>{row.name.clone()}</a></th>
                                    <td>{row.address}</td>
                                    <td>{row.phone.unwrap_or_else(|| "–".to_owned())}</td>
                                    <td>
                                        {if row.hours.is_empty() {
                                            view! { "Aucun horaire" }.into_any()
                                        } else {
                                            view! { <ul class="plain">{row.hours.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul> }.into_any()
                                        }}
                                    </td>
                                    <td>
                                        {if row.active {
                                            view! { <span class="badge badge--active">"Actif"</span> }.into_any()
                                        } else {
                                            view! { <span class="badge badge--withdrawn">"Désactivé"</span> }.into_any()
                                        }}
                                    </td>
                                    {row.caisse.map(|caisse| view! { <td>{caisse}</td> })}
                                    <td>{toggle}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </DataTable>
                }.into_any()
            }}
        </section>

        <AccueilEditor action=create form=returned caisses=page.caisses />
    }
}

#[component]
pub fn AccueilEditPageView() -> impl IntoView {
    let id = path_param("id");
    view! {
        <PageTitle text="Modifier un accueil" />
        <RoleGate role=Role::Admin>
            {loaded(fetch_accueil(id), |page| view! { <AccueilEditView page /> })}
        </RoleGate>
    }
}

#[component]
fn AccueilEditView(page: AccueilEditPage) -> impl IntoView {
    let notice = done_code().filter(|d| d == "modification").map(|_| "L'accueil a été modifié.");
    let update = ServerAction::<UpdateAccueil>::new();
    view! {
        <p><a href="/admin/accueils">"← Tous les accueils"</a></p>
        <h1>{format!("Modifier « {} »", page.form.name)}</h1>
        <p class="lead">{page.caisse_name}</p>
        {success(notice)}
        {(!page.active).then(|| view! {
            <div class="alert alert--warning"><p>"Cet accueil est désactivé : aucun nouveau rendez-vous ne peut y être fixé. Réactivez-le depuis la liste des accueils."</p></div>
        })}
        <AccueilEditor action=update form=page.form />
    }
}

/// One checkbox per kind of request (each its own field, `kind_{code}`).
#[component]
fn KindsField(chosen: Vec<String>, error: Signal<Option<AppError>>) -> impl IntoView {
    let options = RequestKind::ALL.into_iter().map(|kind| (kind.code().to_owned(), kind.short_label().to_owned())).collect();
    view! { <TickBoxes group="kinds" legend="Types de demandes reçus" hint=KINDS_HINT prefix="kind_" options chosen error /> }
}

/// A team's form, written once for adding one and for changing one: with `form.id` empty it adds a team (to the
/// caisse a national admin picks among `caisses`), with `form.id` set it changes that one. `form` holds the values
/// shown (as stored, or as typed when the form came back refused); `action` is the server function it posts to.
#[component]
fn TeamEditor<S: FormAction>(action: ServerAction<S>, form: TeamForm, #[prop(optional)] caisses: Vec<Choice>) -> impl IntoView {
    let error = action_error(action);
    let adding = form.id.is_empty();
    let (heading_id, heading, refused, name_hint, submit) = if adding {
        (
            "new-team-title",
            "Ajouter une équipe",
            "L'équipe n'a pas été ajoutée",
            "Par exemple « Accueil » : 80 caractères au maximum.",
            "Ajouter l'équipe",
        )
    } else {
        ("edit-team-title", "Nom et types de demandes", "L'équipe n'a pas été modifiée", "80 caractères au maximum.", "Enregistrer les modifications")
    };
    view! {
        <section class="card" aria-labelledby=heading_id>
            <h2 id=heading_id>{heading}</h2>
            <ErrorSummary error title=refused />
            <ActionForm action attr:novalidate=true>
                {(!adding).then(|| view! { <input type="hidden" name="id" value=form.id.clone() /> })}
                <CaisseChoice caisses chosen=form.caisse.clone() error />
                <TextField name="name" label="Nom *" hint=name_hint required=true error value=Signal::stored(form.name.clone()) />
                <KindsField chosen=form.kinds error />
                {(!adding).then(|| view! {
                    <p class="hint">"Les demandes que l'équipe a déjà restent à elle ; le changement vaut pour les demandes envoyées ensuite."</p>
                })}
                <button type="submit" class="button">{submit}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn TeamsListPage() -> impl IntoView {
    view! {
        <PageTitle text="Équipes" />
        <RoleGate role=Role::Admin>
            {loaded(fetch_teams(), |page| view! { <TeamsView page /> })}
        </RoleGate>
    }
}

#[component]
fn TeamsView(page: TeamsPage) -> impl IntoView {
    let notice = done_code().and_then(|done| match done.as_str() {
        "ajout" => Some("L'équipe a été ajoutée."),
        "suppression" => Some("L'équipe a été supprimée."),
        _ => None,
    });
    let create = ServerAction::<CreateTeam>::new();
    let delete = ServerAction::<DeleteTeam>::new();
    let delete_error = action_error(delete);
    let all_caisses = !page.caisses.is_empty();
    let returned: TeamForm = page.returned.clone().unwrap_or_default();
    view! {
        <h1>"Équipes"</h1>
        <p class="lead">
            {format!(
                "Les équipes ({}) : chaque nouvelle demande va à l'équipe qui reçoit son type, et un type ne va qu'à une seule équipe. Changer les types d'une équipe vaut pour les demandes envoyées ensuite.",
                page.scope,
            )}
        </p>
        {(!page.unrouted.is_empty()).then(|| view! {
            <p>{format!("Aucune équipe ne reçoit : {}. Ces demandes restent visibles de tous les agents de la caisse.", page.unrouted.join(", "))}</p>
        })}
        {success(notice)}
        <section aria-labelledby="teams-title">
            <h2 id="teams-title">"Équipes de la caisse"</h2>
            <ErrorSummary error=delete_error title="L'équipe n'a pas été supprimée" />
            {if page.rows.is_empty() {
                view! { <EmptyState message="Aucune équipe pour l'instant : les demandes restent visibles de tous les agents de la caisse." /> }.into_any()
            } else {
                let columns: Vec<&str> = ["Équipe", "Types de demandes reçus", "Agents", "Demandes en cours"]
                    .into_iter()
                    .chain(all_caisses.then_some("Caisse"))
                    .chain(["Action"])
                    .collect();
                view! {
                    <DataTable id="teams-table" caption="Équipes et types de demandes reçus" columns>
                        {page.rows.into_iter().map(|row| {
                            let (id, name) = (row.id.clone(), row.name.clone());
                            view! {
                                <tr>
                                    <th scope="row"><a href=format!("/admin/equipes/{id}") aria-label=format!("Modifier l'équipe « {name} »")>{row.name.clone()}</a></th>
                                    <td>{if row.kinds.is_empty() { "Aucun (attribution manuelle)".to_owned() } else { row.kinds.join(", ") }}</td>
                                    <td>{row.agents}</td>
                                    <td>{row.open_requests}</td>
                                    {row.caisse.map(|caisse| view! { <td>{caisse}</td> })}
                                    <td>
                                        <ActionForm action=delete>
                                            <input type="hidden" name="id" value=id.clone() />
                                            <button type="submit" class="button button--secondary">{format!("Supprimer « {name} »")}</button>
                                        </ActionForm>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </DataTable>
                    <p class="hint">"Une équipe ne peut être supprimée que si aucun agent n'y est rattaché et qu'aucune demande en cours ne lui est confiée."</p>
                }.into_any()
            }}
        </section>

        <TeamEditor action=create form=returned caisses=page.caisses />
    }
}

#[component]
pub fn TeamEditPageView() -> impl IntoView {
    let id = path_param("id");
    view! {
        <PageTitle text="Modifier une équipe" />
        <RoleGate role=Role::Admin>
            {loaded(fetch_team(id), |page| view! { <TeamEditView page /> })}
        </RoleGate>
    }
}

#[component]
fn TeamEditView(page: TeamEditPage) -> impl IntoView {
    let notice = done_code().filter(|d| d == "modification").map(|_| "L'équipe a été modifiée.");
    let update = ServerAction::<UpdateTeam>::new();
    let form = page.form;
    view! {
        <p><a href="/admin/equipes">"← Toutes les équipes"</a></p>
        <h1>{format!("Modifier l'équipe « {} »", form.name)}</h1>
        <p class="lead">
            {format!(
                "{} — {}, {}.",
                page.caisse_name,
                plural(page.agents, "agent rattaché", "agents rattachés"),
                plural(page.open_requests, "demande en cours", "demandes en cours"),
            )}
        </p>
        {success(notice)}
        <TeamEditor action=update form />
    }
}
