//! `/caisse/reponses-types`: the caisse's canned replies, which agents pick from to pre-fill a reply on a request.
//! Each can be added, changed or deleted here; every form works without JavaScript (a refused form comes back as
//! it was typed, with its errors next to the right reply).

use crate::api::setup::{CreateCannedReply, DeleteCannedReply, UpdateCannedReply, fetch_canned_replies};
use crate::domain::role::Role;
use crate::dto::setup::{CannedRepliesPage as Page, CannedReplyLine};
use crate::ui::components::{EmptyState, ErrorSummary, FieldMessage, RoleGate, TextField, action_error, loaded, scoped};
use crate::ui::fields::TextArea;
use crate::ui::page_title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const TITLE_HINT: &str = "Ce que les agents choisissent dans la liste : 120 caractères au maximum.";
const BODY_HINT: &str = "Il pré-remplit le message à la structure, que l'agent relit et adapte avant l'envoi. 5 000 caractères au maximum.";

#[component]
pub fn CannedRepliesPage() -> impl IntoView {
    view! {
        <PageTitle text="Réponses types" />
        <RoleGate role=Role::CaisseAgent>
            {loaded(fetch_canned_replies(), |page| view! { <CannedRepliesView page /> })}
        </RoleGate>
    }
}

fn notice(done: &str) -> Option<&'static str> {
    match done {
        "ajout" => Some("La réponse type a été ajoutée."),
        "modification" => Some("La réponse type a été modifiée."),
        "suppression" => Some("La réponse type a été supprimée."),
        _ => None,
    }
}

#[component]
fn CannedRepliesView(page: Page) -> impl IntoView {
    let query = use_query_map();
    let done = move || query.read().get("fait").as_deref().and_then(notice);
    let create = ServerAction::<CreateCannedReply>::new();
    let delete = ServerAction::<DeleteCannedReply>::new();
    let create_error = action_error(create);
    let delete_error = action_error(delete);
    let returned = page.returned.clone();
    let new_reply = returned.clone().filter(|r| r.id.is_empty());
    let empty = page.replies.is_empty();
    let nothing_came_back = returned.is_none();
    view! {
        <h1>"Réponses types"</h1>
        <p class="lead">
            {format!(
                "Les réponses que les agents de la caisse ({}) gardent prêtes pour les questions fréquentes des partenaires. Sur une demande, « Partir d'une réponse type » pré-remplit le message.",
                page.caisse_name,
            )}
        </p>
        {move || done().map(|message| view! { <div class="alert alert--success" role="status"><p>{message}</p></div> })}

        <section aria-labelledby="replies-title">
            <h2 id="replies-title">"Réponses de la caisse"</h2>
            <ErrorSummary error=delete_error title="La réponse type n'a pas été supprimée" />
            {if empty {
                view! { <EmptyState message="Aucune réponse type pour l'instant." /> }.into_any()
            } else {
                page.replies
                    .into_iter()
                    .map(|reply| {
                        let returned = returned.clone().filter(|r| r.id == reply.id);
                        let came_back = returned.is_some() || nothing_came_back;
                        view! { <CannedReplyCard reply returned came_back delete /> }
                    })
                    .collect_view()
                    .into_any()
            }}
        </section>

        <section class="card" aria-labelledby="create-title">
            <h2 id="create-title">"Ajouter une réponse type"</h2>
            <ErrorSummary error=create_error title="La réponse type n'a pas été ajoutée" />
            <ActionForm action=create attr:novalidate=true>
                <p class="hint">"Les champs marqués d'un astérisque (*) sont obligatoires."</p>
                <TextField
                    name="title"
                    label="Titre *"
                    hint=TITLE_HINT
                    required=true
                    error=create_error
                    value=Signal::stored(new_reply.as_ref().map(|r| r.title.clone()).unwrap_or_default())
                />
                <TextArea
                    name="body"
                    label="Texte de la réponse"
                    hint=BODY_HINT
                    required=true
                    error=create_error
                    rows=6
                    value=new_reply.map(|r| r.body).unwrap_or_default()
                />
                <button type="submit" class="button">"Ajouter la réponse type"</button>
            </ActionForm>
        </section>
    }
}

/// One reply: its text, the form to change it (open when it came back with errors), and its delete button.
#[component]
fn CannedReplyCard(
    reply: CannedReplyLine,
    /// What was typed in this reply's form when it came back with errors (JavaScript off).
    returned: Option<CannedReplyLine>,
    /// Whether an error read from the address (JavaScript off) belongs to this reply's form.
    came_back: bool,
    delete: ServerAction<DeleteCannedReply>,
) -> impl IntoView {
    let update = ServerAction::<UpdateCannedReply>::new();
    let id = reply.id.clone();
    let error = {
        let id = id.clone();
        {
            let refused = action_error(update);
            Signal::derive(move || refused.get().filter(|_| came_back).map(|e| scoped(e, &id)))
        }
    };
    let (title_id, body_id, heading_id) = (format!("title-{id}"), format!("body-{id}"), format!("reply-{id}"));
    let invalid = |field: String| Signal::derive(move || error.get().and_then(|e| e.message_for(&field)).is_some());
    let (title_invalid, body_invalid) = (invalid(title_id.clone()), invalid(body_id.clone()));
    let described =
        |field: String, invalid: Signal<bool>| move || if invalid.get() { format!("{field}-hint {field}-error") } else { format!("{field}-hint") };
    let (typed_title, typed_body) = match returned {
        Some(typed) => (typed.title, typed.body),
        None => (reply.title.clone(), reply.body.clone()),
    };
    let open = error.get_untracked().is_some();
    let (update_id, delete_id, labelled_by) = (id.clone(), id, heading_id.clone());
    view! {
        <article class="card" aria-labelledby=labelled_by>
            <h3 id=heading_id>{reply.title.clone()}</h3>
            <p class="prewrap">{reply.body.clone()}</p>
            <details open=open>
                <summary>{format!("Modifier « {} »", reply.title)}</summary>
                <ErrorSummary error title="La réponse type n'a pas été modifiée" />
                <ActionForm action=update attr:novalidate=true>
                    <input type="hidden" name="id" value=update_id.clone() />
                    <div class="field" class:field--error=title_invalid>
                        <label for=title_id.clone()>"Titre *"</label>
                        <span class="hint" id=format!("{title_id}-hint")>{TITLE_HINT}</span>
                        <FieldMessage field=title_id.clone() error />
                        <input
                            type="text"
                            id=title_id.clone()
                            name="title"
                            required=true
                            value=typed_title
                            aria-invalid=move || title_invalid.get().then_some("true")
                            aria-describedby=described(title_id.clone(), title_invalid)
                        />
                    </div>
                    <div class="field" class:field--error=body_invalid>
                        <label for=body_id.clone()>"Texte de la réponse *"</label>
                        <span class="hint" id=format!("{body_id}-hint")>{BODY_HINT}</span>
                        <FieldMessage field=body_id.clone() error />
                        <textarea
                            id=body_id.clone()
                            name="body"
                            rows=6
                            required=true
                            aria-invalid=move || body_invalid.get().then_some("true")
                            aria-describedby=described(body_id.clone(), body_invalid)
                        >
                            {crate::ui::raw_text::escaped(&typed_body)}
                        </textarea>
                    </div>
                    <button type="submit" class="button">"Enregistrer les modifications"</button>
                </ActionForm>
            </details>
            <ActionForm action=delete>
                <input type="hidden" name="id" value=delete_id.clone() />
                <button type="submit" class="button button--secondary">{format!("Supprimer « {} »", reply.title)}</button>
            </ActionForm>
        </article>
    }
}
