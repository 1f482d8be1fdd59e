//! `/accessibilite`: the accessibility statement RGAA requires, for anyone, linked from every footer; and
//! `/admin/accessibilite`, where a national admin edits its text. Both work without JavaScript.

use crate::api::accessibility::{SaveAccessibilityStatement, fetch_accessibility_statement, fetch_statement_editor};
use crate::domain::accessibility::{Block, MAX_CHARS};
use crate::domain::role::Role;
use crate::dto::accessibility::{AccessibilityStatement, StatementEditor};
use crate::ui::components::{ErrorSummary, RoleGate, action_error, loaded};
use crate::ui::fields::TextArea;
use crate::ui::page_title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AccessibilityPage() -> impl IntoView {
    view! {
        <PageTitle text="Déclaration d'accessibilité" />
        {loaded(fetch_accessibility_statement(), |statement| view! { <StatementView statement /> })}
    }
}

#[component]
fn StatementView(statement: AccessibilityStatement) -> impl IntoView {
    let query = use_query_map();
    let saved = move || query.read().get("fait").is_some();
    view! {
        <h1>"Déclaration d'accessibilité"</h1>
        <Show when=saved><div class="alert alert--success" role="status"><p>"La déclaration a été enregistrée."</p></div></Show>
        {statement.updated.map(|updated| view! { <p class="hint">{updated}</p> })}
        <div class="statement">
            {statement
                .blocks
                .into_iter()
                .map(|block| match block {
                    Block::Heading(text) => view! { <h2>{text}</h2> }.into_any(),
                    Block::Paragraph(text) => view! { <p>{text}</p> }.into_any(),
                    Block::List(items) => view! { <ul>{items.into_iter().map(|item| view! { <li>{item}</li> }).collect_view()}</ul> }.into_any(),
                })
                .collect_view()}
        </div>
        {statement.can_edit.then(|| view! { <p><a href="/admin/accessibilite">"Modifier la déclaration"</a></p> })}
    }
}

#[component]
pub fn AccessibilityEditPage() -> impl IntoView {
    view! {
        <PageTitle text="Modifier la déclaration d'accessibilité" />
        <RoleGate role=Role::Admin>
            {loaded(fetch_statement_editor(), |editor| view! { <EditorView editor /> })}
        </RoleGate>
    }
}

#[component]
fn EditorView(editor: StatementEditor) -> impl IntoView {
    let save = ServerAction::<SaveAccessibilityStatement>::new();
    let error = action_error(save);
    view! {
        <h1>"Modifier la déclaration d'accessibilité"</h1>
        <p class="lead">"Le texte publié sur la page « Accessibilité », à laquelle renvoie le pied de chaque page."</p>
        <ErrorSummary error title="La déclaration n'a pas été enregistrée" />
        <ActionForm action=save attr:novalidate=true>
            <TextArea
                name="text"
                label="Texte de la déclaration"
                hint=format!(
                    "Une ligne commençant par « ## » devient un intertitre, une ligne commençant par « - » un élément de liste ; une ligne vide sépare les paragraphes. {} caractères au plus.",
                    crate::domain::statistics::count_label(MAX_CHARS as u64),
                )
                required=true
                error
                value=editor.text
                rows=30
            />
            <button type="submit" class="button">"Enregistrer la déclaration"</button>
            " "
            <a href="/accessibilite">"Annuler"</a>
        </ActionForm>
    }
}
