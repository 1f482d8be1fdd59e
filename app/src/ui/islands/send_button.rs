//! A form's send button that says it is sending once pressed (a slow upload otherwise looks like nothing happened).
//! Pressing Enter in a field clicks it too. Without JavaScript it is a plain button.

use leptos::prelude::*;

#[island]
pub fn SendButton(label: String, busy: String) -> impl IntoView {
    let sending = RwSignal::new(false);
    view! {
        <button type="submit" class="button" aria-disabled=move || sending.get().then_some("true") on:click=move |_| sending.set(true)>
            {move || if sending.get() { busy.clone() } else { label.clone() }}
        </button>
    }
}
