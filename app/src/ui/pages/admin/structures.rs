//! `/admin/structures` (the caisse's partner structures: search, pages, and a new one) and
//! `/admin/structures/{id}` (one structure: its profile, its conventions and their lifecycle, its agents and
//! their invitations, its requests). Every form works without JavaScript.

use crate::api::admin::accounts::InviteAccount;
use crate::api::admin::structures::{ActOnConvention, CreateStructure, SaveConvention, UpdateStructure, fetch_structure, fetch_structures};
use crate::domain::convention::ConventionAction;
use crate::domain::form_values::FormValues;
use crate::domain::request_kind::RequestKind;
use crate::domain::role::Role;
use crate::domain::wording::plural;
use crate::dto::admin::structures::{ConventionLine, StructureList, StructurePage as Page};
use crate::dto::common::href_with_query;
use crate::dto::error::AppError;
use crate::ui::components::{DataTable, DoneNotice, EmptyState, ErrorSummary, Pager, RoleGate, TextField, action_error, loaded, path_param, scoped};
use crate::ui::fields::SelectField;
use crate::ui::page_title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn StructuresPage() -> impl IntoView {
    let params = use_query_map().get_untracked();
    let (search, page) = (params.get("recherche").unwrap_or_default(), params.get("page").and_then(|n| n.parse().ok()).unwrap_or(1));
    view! {
        <PageTitle text="Structures partenaires" />
        <RoleGate role=Role::Admin>
            <h1>"Structures partenaires"</h1>
            {loaded(fetch_structures(search, page), |list| view! { <StructuresView list /> })}
        </RoleGate>
    }
}

fn convention_badge(status: Option<crate::domain::convention::ConventionStatus>) -> AnyView {
    match status {
        Some(status) => view! { <span class=format!("badge badge--{}", status.code())>{status.label()}</span> }.into_any(),
        None => view! { <span>"Aucune"</span> }.into_any(),
    }
}

#[component]
fn StructuresView(list: StructureList) -> impl IntoView {
    let create = ServerAction::<CreateStructure>::new();
    let error = action_error(create);
    let typed = list.returned.clone().unwrap_or_default();
    let page_link =
        |page: u64, search: &str| href_with_query("/admin/structures", &[("recherche", Some(search.to_owned())), ("page", Some(page.to_string()))]);
    let previous = (list.page > 1).then(|| page_link(list.page - 1, &list.search));
    let next = (list.page < list.pages).then(|| page_link(list.page + 1, &list.search));
    let summary = if list.search.is_empty() {
        format!("{} – {}", plural(list.total, "structure", "structures"), list.scope)
    } else {
        format!("{} pour « {} » – {}", plural(list.total, "structure", "structures"), list.search, list.scope)
    };
    view! {
        <p class="lead">{summary}</p>
        <form method="get" action="/admin/structures" class="filters" role="search" aria-label="Chercher une structure">
            <div class="field">
                <label for="recherche">"Nom, commune ou SIRET"</label>
                <input type="search" id="recherche" name="recherche" value=list.search.clone() />
            </div>
            <button type="submit" class="button">"Chercher"</button>
        </form>
        {if list.rows.is_empty() {
            view! { <EmptyState message="Aucune structure ne correspond." /> }.into_any()
        } else {
            view! {
                <DataTable
                    id="structures-table"
                    caption="Structures partenaires, par nom"
                    hide_caption=true
                    columns=["Structure", "Type", "Commune", "SIRET", "Convention", "Agents actifs"]
                >
                    {list.rows.into_iter().map(|s| view! {
                        <tr>
                            <th scope="row"><a href=format!("/admin/structures/{}", s.id)>{s.name}</a></th>
                            <td>{s.kind}</td>
                            <td>{s.commune}</td>
                            <td>{s.siret}</td>
                            <td>{convention_badge(s.convention)}</td>
                            <td>{s.agents}</td>
                        </tr>
                    }).collect_view()}
                </DataTable>
            }.into_any()
        }}
        <Pager label="Pages des structures" previous next position=format!("Page {} sur {}", list.page, list.pages) />
        <section class="card" aria-labelledby="create-title">
            <h2 id="create-title">"Ajouter une structure"</h2>
            <ErrorSummary error title="La structure n'a pas été ajoutée" />
            <ActionForm action=create attr:novalidate=true>
                <p class="hint">"Les champs marqués d'un astérisque (*) sont obligatoires."</p>
                {(!list.caisses.is_empty()).then(|| view! {
                    <SelectField name="caisse_id" label="Caisse" options=list.caisses.clone() value=typed.text("caisse_id").to_owned() required=true error />
                })}
                <ProfileFields kinds=list.kinds typed error />
                <button type="submit" class="button">"Ajouter la structure"</button>
            </ActionForm>
        </section>
    }
}

/// The fields of a structure's profile, filled with `typed`.
#[component]
fn ProfileFields(kinds: Vec<(String, String)>, typed: FormValues, error: Signal<Option<AppError>>) -> impl IntoView {
    let value = |name: &str| Signal::stored(typed.text(name).to_owned());
    view! {
        <TextField name="name" label="Nom de la structure *" required=true error value=value("name") />
        <SelectField name="kind" label="Type de structure" options=kinds value=typed.text("kind").to_owned() required=true error />
        <TextField name="siret" label="SIRET *" hint="14 chiffres, espaces acceptés (ex. 269 100 268 00011)." required=true error value=value("siret") />
        <TextField name="address" label="Adresse *" hint="Numéro et voie." autocomplete="street-address" required=true error value=value("address") />
        <TextField name="postal_code" label="Code postal *" autocomplete="postal-code" required=true error value=value("postal_code") />
        <TextField name="commune" label="Commune *" autocomplete="address-level2" required=true error value=value("commune") />
    }
}

const STRUCTURE_NOTICES: &[(&str, &str)] = &[
    ("creation", "La structure a été ajoutée. Ajoutez maintenant sa convention, puis invitez ses agents."),
    ("modification", "La fiche de la structure a été enregistrée."),
    ("convention", "La convention a été enregistrée."),
    ("signature", "La convention signée a été enregistrée : elle s'applique à partir de sa date de début."),
    ("suspension", "La convention a été suspendue : la structure ne peut plus envoyer de demande, mais garde son historique."),
    ("reactivation", "La convention est de nouveau en vigueur."),
    ("resiliation", "La convention a été résiliée."),
    ("renouvellement", "La convention qui suivra a été préparée (brouillon) : vérifiez ses dates, puis enregistrez la version signée."),
    ("invitation", "L'invitation a été envoyée par e-mail : le lien est valable 72 heures."),
];

#[component]
pub fn StructureDetailPage() -> impl IntoView {
    let id = path_param("id");
    view! {
        <RoleGate role=Role::Admin>
            {loaded(fetch_structure(id), |page| view! { <PageTitle text=page.name.clone() /><StructureView page /> })}
        </RoleGate>
    }
}

#[component]
fn StructureView(page: Page) -> impl IntoView {
    let update = ServerAction::<UpdateStructure>::new();
    let update_error = action_error(update);
    let profile = page.returned_profile.clone().unwrap_or_else(|| {
        FormValues::new()
            .with("name", &page.name)
            .with("kind", &page.kind)
            .with("siret", &page.siret)
            .with("address", &page.address)
            .with("postal_code", &page.postal_code)
            .with("commune", &page.commune)
    });
    let profile_open = page.returned_profile.is_some();
    let siret = crate::domain::siret::Siret::parse(&page.siret).map(|s| s.to_string()).unwrap_or_default();
    let id = page.id.clone();
    let kinds = page.kinds.clone();
    view! {
        <p><a href="/admin/structures">"← Toutes les structures"</a></p>
        <h1>{page.name.clone()}</h1>
        <p class="lead">{format!("{} · SIRET {} · {} {} {} · {}", page.kind_label, siret, page.address, page.postal_code, page.commune, page.caisse_name)}</p>
        <DoneNotice notices=STRUCTURE_NOTICES />
        <details class="card" open=profile_open>
            <summary>"Modifier la fiche de la structure"</summary>
            <ErrorSummary error=update_error title="La fiche n'a pas été enregistrée" />
            <ActionForm action=update attr:novalidate=true>
                <input type="hidden" name="id" value=id.clone() />
                <ProfileFields kinds typed=profile error=update_error />
                <button type="submit" class="button">"Enregistrer la fiche"</button>
            </ActionForm>
        </details>
        <Conventions page=page.clone() />
        <Agents page=page.clone() />
        <section class="card" aria-labelledby="requests-title">
            <h2 id="requests-title">"Demandes de la structure"</h2>
            {if page.total_requests == 0 {
                view! { <p>"Aucune demande pour l'instant."</p> }.into_any()
            } else {
                view! {
                    <dl class="stats">
                        <div><dt>"Total"</dt><dd>{page.total_requests}</dd></div>
                        {page.requests.into_iter().map(|(label, n)| view! { <div><dt>{label}</dt><dd>{n}</dd></div> }).collect_view()}
                    </dl>
                }.into_any()
            }}
        </section>
    }
}

/// A date input named `name` for the server, with the id `id` (unique on the page) the error summary links to.
#[component]
fn DateInput(
    name: &'static str,
    id: String,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    value: String,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let invalid = {
        let id = id.clone();
        Signal::derive(move || error.get().and_then(|e| e.message_for(&id)).is_some())
    };
    let (hint_id, error_id) = (format!("{id}-hint"), format!("{id}-error"));
    let described = move || {
        let ids: Vec<&str> = hint.map(|_| hint_id.as_str()).into_iter().chain(invalid.get().then_some(error_id.as_str())).collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    view! {
        <div class="field" class:field--error=invalid>
            <label for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <span class="hint" id=format!("{id}-hint")>{hint}</span> })}
            <crate::ui::components::FieldMessage field=id.clone() error />
            <input type="date" id=id.clone() name=name value=value aria-invalid=move || invalid.get().then_some("true") aria-describedby=described />
        </div>
    }
}

/// The date and function fields of a convention; `suffix` keeps ids unique when several such forms are shown
/// (the errors must then be `scoped` with the same suffix).
#[component]
fn TermsFields(typed: FormValues, suffix: String, error: Signal<Option<AppError>>) -> impl IntoView {
    let id = |name: &str| if suffix.is_empty() { name.to_owned() } else { format!("{name}-{suffix}") };
    let kinds_id = id("kinds");
    let kinds_invalid = {
        let kinds_id = kinds_id.clone();
        Signal::derive(move || error.get().and_then(|e| e.message_for(&kinds_id)).is_some())
    };
    view! {
        <DateInput name="starts_on" id=id("starts_on") label="Date de début *" value=typed.text("starts_on").to_owned() error />
        <DateInput name="ends_on" id=id("ends_on") label="Date de fin" hint="Laissez vide pour une convention sans terme." value=typed.text("ends_on").to_owned() error />
        <fieldset class="field choices" class:field--error=kinds_invalid id=kinds_id.clone() tabindex="-1">
            <legend>"Fonctions ouvertes à la structure *"</legend>
            <crate::ui::components::FieldMessage field=kinds_id.clone() error />
            {RequestKind::ALL.into_iter().map(|f| {
                let box_id = format!("{}-{}", kinds_id, f.code());
                view! {
                    <div class="choice">
                        <input type="checkbox" id=box_id.clone() name=f.code() value="oui" checked=typed.has("kinds", f.code()) />
                        <label for=box_id>{f.label()}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

#[component]
fn Conventions(page: Page) -> impl IntoView {
    let create = ServerAction::<SaveConvention>::new();
    let act = ServerAction::<ActOnConvention>::new();
    let returned = page.returned_convention.clone();
    // What came back belongs to the new convention's form when it names no convention.
    let new_typed = returned.clone().filter(|t| t.text("id").is_empty());
    let new_came_back = new_typed.is_some();
    let create_error = {
        let refused = action_error(create);
        Signal::derive(move || refused.get().filter(|_| new_came_back || create.version().get() > 0))
    };
    let act_error = action_error(act);
    let structure_id = page.id.clone();
    let empty = page.conventions.is_empty();
    view! {
        <section aria-labelledby="conventions-title" id="conventions">
            <h2 id="conventions-title">"Conventions"</h2>
            <ErrorSummary error=act_error title="La convention n'a pas été modifiée" />
            {empty.then(|| view! { <EmptyState message="Aucune convention : la structure ne peut rien envoyer tant qu'aucune n'est en vigueur." /> })}
            {page.conventions.into_iter().map(|c| {
                let typed = returned.clone().filter(|t| t.text("id") == c.id);
                view! { <ConventionCard convention=c structure_id=structure_id.clone() typed refused=page.document_refused.clone() act /> }
            }).collect_view()}
            <details class="card" open=new_came_back || empty>
                <summary>"Ajouter une convention"</summary>
                <ErrorSummary error=create_error title="La convention n'a pas été enregistrée" />
                <ActionForm action=create attr:novalidate=true>
                    <input type="hidden" name="structure_id" value=page.id.clone() />
                    <p class="hint">"La convention commence en brouillon ; elle s'applique une fois sa version signée enregistrée, à partir de sa date de début."</p>
                    <TermsFields typed=new_typed.unwrap_or_default() suffix=String::new() error=create_error />
                    <button type="submit" class="button">"Enregistrer le brouillon"</button>
                </ActionForm>
            </details>
        </section>
    }
}

#[component]
fn ConventionCard(
    convention: ConventionLine,
    structure_id: String,
    /// The edit form as typed, when it came back with errors (JavaScript off).
    typed: Option<FormValues>,
    /// (convention id, reason) of the last signed document refused.
    refused: Option<(String, String)>,
    act: ServerAction<ActOnConvention>,
) -> impl IntoView {
    let c = convention;
    let edit = ServerAction::<SaveConvention>::new();
    let came_back = typed.is_some();
    let suffix = c.id.clone();
    let edit_error = {
        let suffix = suffix.clone();
        {
            let refused = action_error(edit);
            Signal::derive(move || refused.get().filter(|_| came_back || edit.version().get() > 0).map(|e| scoped(e, &suffix)))
        }
    };
    let refused = refused.filter(|(id, _)| *id == c.id).map(|(_, reason)| reason);
    let document_id = format!("document-{}", c.id);
    let terms = typed.unwrap_or_else(|| {
        let mut values = FormValues::new().with("starts_on", &c.starts_on_iso).with("ends_on", &c.ends_on_iso);
        for f in &c.kinds {
            values.push("kinds", f.code());
        }
        values
    });
    let period = match &c.ends_on {
        Some(end) => format!("Du {} au {}", c.starts_on, end),
        None => format!("À partir du {}, sans terme", c.starts_on),
    };
    let heading_id = format!("convention-title-{}", c.id);
    let labelled_by = heading_id.clone();
    let has = |a: ConventionAction| c.actions.contains(&a);
    let id = StoredValue::new(c.id.clone());
    let structure_id = StoredValue::new(structure_id);
    view! {
        <article class="card" id=format!("convention-{}", c.id) aria-labelledby=labelled_by>
            <h3 id=heading_id>
                {period}" "<span class=format!("badge badge--{}", c.status.code())>{c.status.label()}</span>
            </h3>
            {c.renews.then(|| view! { <p>"Renouvellement de la convention précédente."</p> })}
            {c.renewed.then(|| view! { <p>"Une convention qui la suit a déjà été préparée."</p> })}
            <p>"Fonctions ouvertes : "{c.kinds.iter().map(|f| f.short_label()).collect::<Vec<_>>().join(", ")}</p>
            {c.reason.clone().map(|reason| view! { <p><strong>"Motif : "</strong>{reason}</p> })}
            {c.document.clone().map(|name| view! {
                <p><a href=format!("/admin/conventions/{}/document", c.id) download="">{format!("Convention signée : {name}")}</a></p>
            })}
            {refused.clone().filter(|_| !has(ConventionAction::Sign)).map(|reason| view! {
                <div class="alert alert--error" role="alert"><p>{reason}</p></div>
            })}
            {has(ConventionAction::Edit).then(|| view! {
                <details open=came_back>
                    <summary>"Modifier les dates et les fonctions"</summary>
                    <ErrorSummary error=edit_error title="La convention n'a pas été enregistrée" />
                    <ActionForm action=edit attr:novalidate=true>
                        <input type="hidden" name="structure_id" value=structure_id.get_value() />
                        <input type="hidden" name="id" value=id.get_value() />
                        <TermsFields typed=terms.clone() suffix=suffix.clone() error=edit_error />
                        <button type="submit" class="button">"Enregistrer"</button>
                    </ActionForm>
                </details>
            })}
            {has(ConventionAction::Sign).then(|| view! {
                <form method="post" action=format!("/admin/conventions/{}/signature", id.get_value()) enctype="multipart/form-data" class="inline-form">
                    <input type="hidden" name="structure_id" value=structure_id.get_value() />
                    <div class="field" class:field--error=refused.is_some()>
                        <label for=document_id.clone()>"Convention signée (PDF, 10 Mo au maximum)"</label>
                        {refused.clone().map(|reason| view! {
                            <span class="field-error" id=format!("{document_id}-error") role="alert"><span class="visually-hidden">"Erreur : "</span>{reason}</span>
                        })}
                        <input type="file" id=document_id.clone() name="document" accept=".pdf,application/pdf" required=true
                            aria-describedby=refused.is_some().then(|| format!("{document_id}-error")) aria-invalid=refused.is_some().then_some("true") />
                    </div>
                    <button type="submit" class="button">"Enregistrer la convention signée"</button>
                </form>
            })}
            {[ConventionAction::Suspend, ConventionAction::Terminate].into_iter().filter(|a| has(*a)).map(|action| {
                let (code, label, button) = match action {
                    ConventionAction::Suspend => ("suspend", "Motif de la suspension", "Suspendre la convention"),
                    _ => ("terminate", "Motif de la résiliation", "Résilier la convention"),
                };
                let reason_id = format!("reason-{code}-{}", id.get_value());
                view! {
                    <details>
                        <summary>{button}</summary>
                        <ActionForm action=act>
                            <input type="hidden" name="id" value=id.get_value() />
                            <input type="hidden" name="action" value=code />
                            <div class="field">
                                <label for=reason_id.clone()>{label}" *"</label>
                                <span class="hint" id=format!("{reason_id}-hint")>"Obligatoire ; conservé avec la convention et montré à la structure."</span>
                                <textarea id=reason_id.clone() name="reason" rows=3 required=true aria-describedby=format!("{reason_id}-hint")></textarea>
                            </div>
                            <button type="submit" class="button button--secondary">{button}</button>
                        </ActionForm>
                    </details>
                }
            }).collect_view()}
            {[ConventionAction::Resume, ConventionAction::Renew].into_iter().filter(|a| has(*a)).map(|action| {
                let (code, button) = match action {
                    ConventionAction::Resume => ("resume", "Lever la suspension"),
                    _ => ("renew", "Préparer le renouvellement"),
                };
                view! {
                    <ActionForm action=act attr:class="inline-form">
                        <input type="hidden" name="id" value=id.get_value() />
                        <input type="hidden" name="action" value=code />
                        <button type="submit" class="button button--secondary">{button}</button>
                    </ActionForm>
                }
            }).collect_view()}
        </article>
    }
}

#[component]
fn Agents(page: Page) -> impl IntoView {
    let invite = ServerAction::<InviteAccount>::new();
    let error = action_error(invite);
    let typed = page.returned_invitation.clone().unwrap_or_default();
    let value = move |name: &str| Signal::stored(typed.text(name).to_owned());
    let empty = page.agents.is_empty();
    view! {
        <section class="card" aria-labelledby="agents-title" id="agents">
            <h2 id="agents-title">"Agents de la structure"</h2>
            {if empty {
                view! { <p>"Aucun agent : invitez la première personne ci-dessous."</p> }.into_any()
            } else {
                view! {
                    <DataTable id="agents-table" caption="Agents de la structure" hide_caption=true columns=["Nom", "Adresse e-mail", "Compte", "Formation"]>
                        {page.agents.into_iter().map(|a| view! {
                            <tr>
                                <th scope="row"><a href=format!("/admin/comptes/{}", a.id)>{a.name}</a></th>
                                <td>{a.email}</td>
                                <td><span class=format!("badge badge--{}", a.state.code())>{a.state.label()}</span></td>
                                <td>{a.trained_on.unwrap_or_else(|| "Non enregistrée".to_owned())}</td>
                            </tr>
                        }).collect_view()}
                    </DataTable>
                }.into_any()
            }}
            <h3>"Inviter un agent"</h3>
            <p class="hint">"La personne reçoit un lien personnel, valable 72 heures, pour choisir son mot de passe. Elle pourra envoyer des demandes une fois sa formation enregistrée."</p>
            <ErrorSummary error title="L'invitation n'a pas été envoyée" />
            <ActionForm action=invite attr:novalidate=true>
                <input type="hidden" name="role" value=Role::PartnerAgent.code() />
                <input type="hidden" name="structure_id" value=page.id.clone() />
                <input type="hidden" name="back" value=format!("/admin/structures/{}", page.id) />
                <TextField name="first_name" label="Prénom *" autocomplete="off" required=true error value=value("first_name") />
                <TextField name="last_name" label="Nom *" autocomplete="off" required=true error value=value("last_name") />
                <TextField name="email" kind="email" label="Adresse e-mail professionnelle *" autocomplete="off" required=true error value=value("email") />
                <button type="submit" class="button">"Envoyer l'invitation"</button>
            </ActionForm>
        </section>
    }
}

/// `/admin/conventions`: the conventions in force that end within 60 days.
#[component]
pub fn ExpiringConventionsPage() -> impl IntoView {
    view! {
        <PageTitle text="Conventions arrivant à échéance" />
        <RoleGate role=Role::Admin>
            <h1>"Conventions arrivant à échéance"</h1>
            <p class="lead">"Les conventions en vigueur qui prennent fin dans les 60 jours. Préparez leur renouvellement depuis la page de la structure."</p>
            {loaded(fetch_expiring_lines(), |lines: Vec<crate::dto::admin::structures::ExpiringLine>| {
                if lines.is_empty() {
                    return view! { <EmptyState message="Aucune convention ne prend fin dans les 60 jours." /> }.into_any();
                }
                view! {
                    <DataTable
                        id="expiring-table"
                        caption="Conventions arrivant à échéance, la plus proche d'abord"
                        hide_caption=true
                        columns=["Structure", "Fin", "Jours restants", "Renouvellement"]
                    >
                        {lines.into_iter().map(|l| view! {
                            <tr>
                                <th scope="row"><a href=format!("/admin/structures/{}#conventions", l.structure_id)>{l.structure}</a></th>
                                <td>{l.ends_on}</td>
                                <td>{l.days_left}</td>
                                <td>{if l.renewed { "Préparé" } else { "À préparer" }}</td>
                            </tr>
                        }).collect_view()}
                    </DataTable>
                }.into_any()
            })}
        </RoleGate>
    }
}

async fn fetch_expiring_lines() -> Result<Vec<crate::dto::admin::structures::ExpiringLine>, AppError> {
    crate::api::admin::structures::fetch_expiring().await
}
