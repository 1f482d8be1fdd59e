//! `/partenaire/demandes/nouvelle/{contact|mas|rendez-vous|etude-dossier}`: the four submission forms.
//! Plain multipart forms posted to the server (files included), so they behave the same with JavaScript off;
//! with it on, the NIR is checked as you type and the dossier checklist follows the chosen type.

use crate::api::requests::fetch_submission_page;
use crate::domain::form_values::FormValues;
use crate::domain::request_details::{ConsentMethod, DifficultyGround, ReachBy, Urgency};
use crate::domain::request_kind::RequestKind;
use crate::domain::role::Role;
use crate::dto::requests::{FormReturn, SubmissionPage};
use crate::ui::components::{ErrorSummary, RoleGate, TextField, loaded, path_param};
use crate::ui::fields::{Checkbox, ChoiceGroup, FilesField, SelectField, TextArea};
use crate::ui::islands::{DossierDocuments, NirField, SendButton};
use crate::ui::page_title::PageTitle;
use crate::ui::pages::errors::NotFound;
use leptos::prelude::*;

fn choices<T: Copy>(all: &[T], code: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Vec<(String, String)> {
    all.iter().map(|c| (code(*c).to_owned(), label(*c).to_owned())).collect()
}

#[component]
pub fn SubmissionPageView() -> impl IntoView {
    match RequestKind::from_path_segment(&path_param("kind")) {
        None => view! { <NotFound /> }.into_any(),
        Some(kind) => view! {
            <PageTitle text=kind.label() />
            <RoleGate role=Role::PartnerAgent>
                {loaded(fetch_submission_page(kind), |page| view! { <SubmissionForm page /> })}
            </RoleGate>
        }
        .into_any(),
    }
}

#[component]
fn SubmissionForm(page: SubmissionPage) -> impl IntoView {
    let kind = page.kind;
    let returned = page.returned.clone().unwrap_or_default();
    let error = Signal::stored(returned.as_error());
    let values = StoredValue::new(returned.values.clone());
    let intro = match kind {
        RequestKind::Contact => "Écrivez à votre caisse : une question, un suivi, une information. Précisez l'assuré concerné s'il y en a un.",
        RequestKind::MasReferral => {
            "Signalez à la Mission Accompagnement Santé un assuré qui rencontre des difficultés d'accès aux droits ou aux soins. La caisse le contactera."
        }
        RequestKind::Appointment => {
            "Pour un assuré qui ne peut pas faire ses démarches seul et n'a pas de compte ameli : la caisse vous proposera un rendez-vous."
        }
        RequestKind::DossierStudy => {
            "Demandez l'étude d'un dossier (PUMa, Complémentaire santé solidaire, renouvellement d'AME…) et joignez les pièces."
        }
    };
    view! {
        <p><a href="/partenaire/demandes">"← Retour à mes demandes"</a></p>
        <h1>{kind.label()}</h1>
        <p class="lead">{format!("{intro} Destinataire : {}.", page.caisse_name)}</p>
        {page.usual_delay.clone().map(|line| view! { <p class="usual-delay">{line}</p> })}
        {match page.blocked.clone() {
            Some(reason) => view! {
                <div class="alert alert--warning" role="status">
                    <h2>"Envoi impossible pour le moment"</h2>
                    <p>{reason}</p>
                    <p><a href="/partenaire/historique">"Consulter l'historique des demandes de la structure"</a></p>
                </div>
            }
            .into_any(),
            None => view! {
                <ErrorSummary error title="L'envoi n'a pas abouti" />
                <Duplicates returned=returned.clone() />
                <form
                    method="post"
                    action=format!("/partenaire/demandes/envoyer/{}", kind.path_segment())
                    enctype="multipart/form-data"
                    novalidate=true
                >
                    <p class="hint">"Les champs marqués d'un astérisque (*) sont obligatoires."</p>
                    {if returned.duplicates.is_empty() {
                        ().into_any()
                    } else {
                        view! {
                            <Checkbox
                                name="confirm_duplicate"
                                label="Je confirme vouloir créer une nouvelle demande malgré la demande déjà en cours"
                                error
                            />
                        }
                        .into_any()
                    }}
                    <KindFields kind page=page.clone() values error />
                    <BeneficiaryFields kind values error />
                    <FilesField legend="Pièces jointes" kept=returned.kept_files.clone() max_files=page.max_files max_mb=page.max_mb error />
                    <SendButton label="Envoyer la demande".to_owned() busy="Envoi en cours…".to_owned() />
                </form>
            }
            .into_any(),
        }}
    }
}

/// The warning shown when the same assuré already has an open request of this kind.
#[component]
fn Duplicates(returned: FormReturn) -> impl IntoView {
    (!returned.duplicates.is_empty()).then(|| {
        view! {
            <div class="alert alert--warning" role="alert">
                <h2>"Une demande est peut-être déjà en cours"</h2>
                <p>"Votre structure a déjà envoyé une demande du même type pour cet assuré, et elle n'est pas terminée :"</p>
                <ul>
                    {returned
                        .duplicates
                        .into_iter()
                        .map(|d| {
                            let href = format!("/partenaire/demandes/{}", d.reference);
                            view! { <li><a href=href>{d.reference.clone()}</a>{format!(" – {} – envoyée le {}", d.status, d.created_at)}</li> }
                        })
                        .collect_view()}
                </ul>
                <p>"Consultez-la et complétez-la si possible. Pour créer quand même une nouvelle demande, cochez la confirmation ci-dessous puis envoyez."</p>
            </div>
        }
    })
}

#[component]
fn KindFields(
    kind: RequestKind,
    page: SubmissionPage,
    values: StoredValue<FormValues>,
    error: Signal<Option<crate::dto::error::AppError>>,
) -> impl IntoView {
    let text = move |name: &str| values.with_value(|v| v.text(name).to_owned());
    let all = move |name: &str| values.with_value(|v| v.all(name).into_iter().map(str::to_owned).collect::<Vec<_>>());
    let checked = move |name: &str| values.with_value(|v| v.checked(name));
    let message = move |name: &str| error.with_untracked(|e| e.as_ref().and_then(|e| e.message_for(name)));
    match kind {
        RequestKind::Contact => view! {
            <TextField name="subject" label="Objet *" error required=true value=Signal::stored(text("subject")) />
            <TextArea name="message" label="Message" required=true error value=text("message") rows=8 />
        }
        .into_any(),
        RequestKind::MasReferral => view! {
            <fieldset class="group">
                <legend>"La situation"</legend>
                <ChoiceGroup
                    name="grounds"
                    legend="Motifs de difficulté"
                    multiple=true
                    required=true
                    hint="Cochez tout ce qui s'applique."
                    options=choices(&DifficultyGround::ALL, DifficultyGround::code, DifficultyGround::label)
                    chosen=all("grounds")
                    error
                />
                <TextField name="other_ground" label="Autre motif : précisez" hint="Seulement si vous avez coché « Autre motif »." error value=Signal::stored(text("other_ground")) />
                <TextArea name="description" label="Description de la situation" required=true error value=text("description") rows=6 />
                <ChoiceGroup
                    name="urgency"
                    legend="Urgence"
                    required=true
                    options=choices(&Urgency::ALL, Urgency::code, Urgency::label)
                    chosen=all("urgency")
                    error
                />
                <ChoiceGroup
                    name="reach_by"
                    legend="Comment joindre l'assuré"
                    required=true
                    options=choices(&ReachBy::ALL, ReachBy::code, ReachBy::label)
                    chosen=all("reach_by")
                    error
                />
                <TextField name="reach_when" label="Quand le joindre *" hint="Jours et horaires où l'assuré est disponible." required=true error value=Signal::stored(text("reach_when")) />
            </fieldset>
        }
        .into_any(),
        RequestKind::Appointment => {
            let mut channels: Vec<(String, String)> =
                page.accueils.iter().map(|a| (format!("accueil:{}", a.id), a.label.clone())).collect();
            channels.push(("phone".to_owned(), "Rendez-vous par téléphone".to_owned()));
            view! {
                <fieldset class="group">
                    <legend>"Le rendez-vous"</legend>
                    <Checkbox name="not_autonomous" label="L'assuré ne peut pas effectuer ses démarches seul *" checked=checked("not_autonomous") error />
                    <Checkbox name="no_ameli_account" label="L'assuré n'a pas de compte ameli *" checked=checked("no_ameli_account") error />
                    <TextArea name="reason" label="Objet du rendez-vous" required=true error value=text("reason") rows=4 />
                    <ChoiceGroup name="channel" legend="Où recevoir l'assuré" required=true options=channels chosen=all("channel") error />
                    <TextField name="availability" label="Disponibilités de l'assuré *" hint="Par exemple : le mardi matin, pas le mercredi." required=true error value=Signal::stored(text("availability")) />
                    <fieldset class="choices">
                        <legend>"Besoins particuliers"</legend>
                        <Checkbox name="interpreter" label="Un interprète" checked=checked("interpreter") error />
                        <TextField name="interpreter_language" label="Langue de l'interprète" error value=Signal::stored(text("interpreter_language")) />
                        <Checkbox name="accessibility" label="Un accès adapté à une personne à mobilité réduite" checked=checked("accessibility") error />
                        <Checkbox name="accompanied" label="L'assuré sera accompagné par un agent de notre structure" checked=checked("accompanied") error />
                    </fieldset>
                </fieldset>
            }
            .into_any()
        }
        RequestKind::DossierStudy => {
            view! {
                <fieldset class="group">
                    <legend>"Le dossier"</legend>
                    <DossierDocuments
                        value=text("dossier_type")
                        ticked=all("documents")
                        type_error=message("dossier_type")
                        documents_error=message("documents")
                        other=text("other_type")
                        other_error=message("other_type")
                    />
                    <TextArea name="message" label="Informations utiles pour la caisse" error value=text("message") rows=4 />
                </fieldset>
            }
            .into_any()
        }
    }
}

#[component]
fn BeneficiaryFields(kind: RequestKind, values: StoredValue<FormValues>, error: Signal<Option<crate::dto::error::AppError>>) -> impl IntoView {
    let text = move |name: &str| values.with_value(|v| v.text(name).to_owned());
    let optional = kind == RequestKind::Contact;
    let star = if optional { "" } else { " *" };
    view! {
        <fieldset class="group">
            <legend>{if optional { "L'assuré concerné (facultatif)" } else { "L'assuré" }}</legend>
            {optional.then(|| view! { <p class="hint">"Si votre message concerne un assuré, renseignez au moins son nom, ses prénoms, sa date de naissance et son accord."</p> })}
            <TextField name="last_name" label=format!("Nom{star}") autocomplete="off" error value=Signal::stored(text("last_name")) />
            <TextField name="first_names" label=format!("Prénoms{star}") autocomplete="off" error value=Signal::stored(text("first_names")) />
            <TextField name="birth_date" kind="date" label=format!("Date de naissance{star}") hint="Format jj/mm/aaaa." error value=Signal::stored(text("birth_date")) />
            <NirField error=error.with_untracked(|e| e.as_ref().and_then(|e| e.message_for("nir"))) value=text("nir") />
            <TextField name="phone" kind="tel" label="Téléphone de l'assuré" hint="Obligatoire si la caisse doit l'appeler." autocomplete="off" error value=Signal::stored(text("phone")) />
            <TextField name="address" label="Adresse postale de l'assuré" hint="Obligatoire si la caisse doit lui écrire." autocomplete="off" error value=Signal::stored(text("address")) />
            <Checkbox
                name="consent"
                label=format!("L'assuré a donné son accord pour que notre structure fasse cette démarche pour lui{star}")
                checked=values.with_value(|v| v.checked("consent"))
                error
            />
            <SelectField
                name="consent_method"
                label="Comment l'accord a été recueilli"
                required=!optional
                options=choices(&ConsentMethod::ALL, ConsentMethod::code, ConsentMethod::label)
                value=text("consent_method")
                error
            />
        </fieldset>
    }
}
