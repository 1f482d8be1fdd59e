//! The NIR input, which checks its key as you type (from the 15th character) and when you leave the field, with the
//! same rule as the server; without JavaScript the server says the same thing on submit.

use crate::domain::nir::Nir;
use crate::dto::error::AppError;
use crate::ui::components::FieldMessage;
use leptos::prelude::*;

const NAME: &str = "nir";

/// `error`: the server's message for the field when the form came back refused; `value`: what was typed.
#[island]
pub fn NirField(error: Option<String>, value: String) -> impl IntoView {
    let server = error.map(|message| AppError::field(NAME, message));
    let live: RwSignal<Option<Option<String>>> = RwSignal::new(None);
    let check = move |input: &str, leaving: bool| {
        let compact: String = input.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        let message = match compact.len() {
            0 => None,
            n if n < 15 && !leaving => None,
            _ => Nir::parse(input).err().map(|e| e.to_string()),
        };
        live.set(Some(message));
    };
    // The live verdict once the person typed; until then, the server's.
    let shown = Signal::derive(move || match live.get() {
        Some(message) => message.map(|m| AppError::field(NAME, m)),
        None => server.clone(),
    });
    let invalid = move || shown.with(|e| e.is_some());
    let described = move || if invalid() { "nir-hint nir-error" } else { "nir-hint" };
    view! {
        <div class="field" class:field--error=invalid>
            <label for=NAME>"Numéro de sécurité sociale (NIR)"</label>
            <span class="hint" id="nir-hint">
                "15 caractères, clé comprise, espaces acceptés (ex. 1 84 12 76 451 089 46). Facultatif : les demandeurs d'AME n'en ont souvent pas."
            </span>
            <div aria-live="polite">
                <FieldMessage field=NAME error=shown />
            </div>
            <input
                type="text"
                id=NAME
                name=NAME
                inputmode="text"
                autocomplete="off"
                spellcheck="false"
                class="input--nir"
                value=value
                aria-invalid=move || invalid().then_some("true")
                aria-describedby=described
                on:input=move |ev| check(&event_target_value(&ev), false)
                on:change=move |ev| check(&event_target_value(&ev), true)
            />
        </div>
    }
}
