//! How far a file prepared in the background got: asked again every two seconds while it runs, then the link to
//! the file. Without JavaScript the page says the same when it is reloaded (a link does it).

use crate::api::exports::fetch_export;
use crate::domain::csv::thousands;
use crate::dto::exports::{ExportState, ExportView};
use leptos::prelude::*;

/// How often the page asks.
const EVERY: std::time::Duration = std::time::Duration::from_secs(2);

#[island]
pub fn ExportProgress(export: ExportView) -> impl IntoView {
    let id = export.id.clone();
    let shown = RwSignal::new(export);
    Effect::new(move |_| {
        if shown.with_untracked(|e| e.state != ExportState::Running) {
            return;
        }
        let id = id.clone();
        let handle = set_interval_with_handle(
            move || {
                let id = id.clone();
                leptos::task::spawn_local(async move {
                    // A failed poll changes nothing: the next one may succeed, and the page's link still works.
                    if let Ok(now) = fetch_export(id).await {
                        shown.set(now);
                    }
                });
            },
            EVERY,
        );
        if let Ok(handle) = handle {
            on_cleanup(move || handle.clear());
        }
    });
    let running = move || shown.with(|e| e.state == ExportState::Running);
    view! {
        <div aria-live="polite">
            {move || {
                let e = shown.get();
                match e.state {
                    ExportState::Running => {
                        let line = format!(
                            "Préparation en cours : {} lignes sur {} ({} %).",
                            thousands(e.done as usize),
                            thousands(e.total as usize),
                            e.percent(),
                        );
                        view! {
                            <p>{line}</p>
                        }
                            .into_any()
                    }
                    ExportState::Ready => {
                        let line = format!("Le fichier est prêt : {} lignes.", thousands(e.total as usize));
                        let label = format!("Télécharger le fichier ({})", e.format);
                        view! {
                            <div class="alert alert--success" role="status">
                                <p>{line}</p>
                            </div>
                            <p><a class="button" href=e.file_href.clone().unwrap_or_default() download="">{label}</a></p>
                            <p class="hint">"Il reste disponible 24 heures, pour vous seul."</p>
                        }
                            .into_any()
                    }
                    ExportState::Failed => view! {
                        <div class="alert alert--error" role="alert">
                            <p>"La préparation du fichier a échoué. Relancez le téléchargement ; si le problème persiste, contactez l'assistance de votre caisse."</p>
                        </div>
                    }
                        .into_any(),
                }
            }}
        </div>
        <Show when=running>
            <progress max=move || shown.with(|e| e.total.max(1)) value=move || shown.with(|e| e.done) aria-label="Avancement de la préparation"></progress>
            <p class="hint">
                "Cette page se met à jour toute seule. Sans JavaScript, "
                <a href=move || ExportView::href(&shown.with(|e| e.id.clone()))>"actualisez-la"</a>
                "."
            </p>
        </Show>
    }
}
