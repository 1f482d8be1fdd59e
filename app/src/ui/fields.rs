//! Form fields beyond the single-line input: text areas, selects, checkbox and radio groups, and files (the NIR
//! field, which checks its key as you type, is an island: `ui::islands`). Each wires its label, hint and error message for assistive technologies,
//! and its `id` is the field name the error summary links to (the first box of a group).

use crate::dto::error::AppError;
use crate::ui::components::FieldMessage;
use leptos::prelude::*;

/// `aria-describedby` for a field: its hint (if any) and its error (when there is one).
fn described_by(name: &str, has_hint: bool, invalid: Signal<bool>) -> impl Fn() -> Option<String> + Send + Sync + use<> {
    let hint_id = has_hint.then(|| format!("{name}-hint"));
    let error_id = format!("{name}-error");
    move || {
        let ids: Vec<String> = hint_id.iter().cloned().chain(invalid.get().then(|| error_id.clone())).collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

fn invalid_signal(name: &str, error: Signal<Option<AppError>>) -> Signal<bool> {
    let name = name.to_owned();
    Signal::derive(move || error.get().and_then(|e| e.message_for(&name)).is_some())
}

fn label_text(label: String, required: bool) -> String {
    if required { format!("{label} *") } else { label }
}

/// The label, hint and error message above a field.
#[component]
fn FieldHead(name: String, label: String, hint: Option<String>, error: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <label for=name.clone()>{label}</label>
        {hint.map(|hint| view! { <span class="hint" id=format!("{name}-hint")>{hint}</span> })}
        <FieldMessage field=name error />
    }
}

#[component]
pub fn TextArea(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] value: String,
    #[prop(default = 5)] rows: u32,
) -> impl IntoView {
    let invalid = invalid_signal(&name, error);
    let described = described_by(&name, hint.is_some(), invalid);
    view! {
        <div class="field" class:field--error=invalid>
            <FieldHead name=name.clone() label=label_text(label, required) hint error />
            <textarea
                id=name.clone()
                name=name.clone()
                rows=rows
                required=required
                aria-invalid=move || invalid.get().then_some("true")
                aria-describedby=described
            >
                {crate::ui::raw_text::escaped(&value)}
            </textarea>
        </div>
    }
}

#[component]
pub fn SelectField(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(into)] error: Signal<Option<AppError>>,
    /// (value, label) pairs; an empty first choice asks the person to pick.
    options: Vec<(String, String)>,
    #[prop(optional, into)] value: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] required: bool,
    /// Told of every change (when JavaScript runs).
    #[prop(optional)]
    on_change: Option<Callback<String>>,
) -> impl IntoView {
    let invalid = invalid_signal(&name, error);
    let described = described_by(&name, hint.is_some(), invalid);
    view! {
        <div class="field" class:field--error=invalid>
            <FieldHead name=name.clone() label=label_text(label, required) hint error />
            <select
                id=name.clone()
                name=name.clone()
                required=required
                aria-invalid=move || invalid.get().then_some("true")
                aria-describedby=described
                on:change=move |ev| {
                    if let Some(callback) = on_change {
                        callback.run(event_target_value(&ev));
                    }
                }
            >
                <option value="" selected=value.is_empty()>"Choisissez…"</option>
                {options
                    .into_iter()
                    .map(|(code, text)| {
                        let selected = code == value;
                        view! { <option value=code selected=selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// Checkboxes (`multiple`) or radio buttons under one legend.
#[component]
pub fn ChoiceGroup(
    #[prop(into)] name: String,
    #[prop(into)] legend: String,
    #[prop(into)] error: Signal<Option<AppError>>,
    options: Vec<(String, String)>,
    /// The values ticked when the form is shown.
    #[prop(optional)]
    chosen: Vec<String>,
    #[prop(optional)] multiple: bool,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] required: bool,
    /// The ids' stem when several groups share a name (defaults to the name).
    #[prop(optional, into)]
    id: Option<String>,
) -> impl IntoView {
    let stem = id.unwrap_or_else(|| name.clone());
    let invalid = invalid_signal(&name, error);
    let described = described_by(&name, hint.is_some(), invalid);
    let kind = if multiple { "checkbox" } else { "radio" };
    view! {
        <fieldset class="field choices" class:field--error=invalid aria-describedby=described>
            <legend>{label_text(legend, required)}</legend>
            {hint.map(|hint| view! { <span class="hint" id=format!("{name}-hint")>{hint}</span> })}
            <FieldMessage field=name.clone() error />
            {options
                .into_iter()
                .enumerate()
                .map(|(i, (code, text))| {
                    let id = if i == 0 { stem.clone() } else { format!("{stem}-{i}") };
                    let checked = chosen.contains(&code);
                    view! {
                        <div class="choice">
                            <input type=kind id=id.clone() name=name.clone() value=code checked=checked />
                            <label for=id>{text}</label>
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

/// Checkboxes under one legend, each its own field, `{prefix}{code}` (a server function cannot read a name that a
/// group repeats; `:` and `.` in a code become `_`). The first box carries the id `group`, which the error summary
/// and the field's message refer to; the others `{group}-{code}`.
#[component]
pub fn TickBoxes(
    group: &'static str,
    #[prop(into)] legend: String,
    #[prop(optional, into)] hint: Option<String>,
    prefix: &'static str,
    /// (code, label) of each box.
    options: Vec<(String, String)>,
    /// The codes ticked when the form is shown.
    chosen: Vec<String>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let invalid = invalid_signal(group, error);
    let described = described_by(group, hint.is_some(), invalid);
    let plain = |code: &str| code.replace([':', '.'], "_");
    view! {
        <fieldset class="field choices" class:field--error=invalid aria-describedby=described>
            <legend>{legend}</legend>
            {hint.map(|hint| view! { <span class="hint" id=format!("{group}-hint")>{hint}</span> })}
            <FieldMessage field=group error />
            {options
                .into_iter()
                .enumerate()
                .map(|(index, (code, label))| {
                    let id = if index == 0 { group.to_owned() } else { format!("{group}-{}", plain(&code)) };
                    let checked = chosen.contains(&code);
                    view! {
                        <div class="choice">
                            <input type="checkbox" id=id.clone() name=format!("{prefix}{}", plain(&code)) value="oui" checked=checked />
                            <label for=id>{label}</label>
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

/// A single checkbox that must or may be ticked (a declaration, a consent, a need).
#[component]
pub fn Checkbox(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional)] checked: bool,
    #[prop(optional, into)] hint: Option<String>,
) -> impl IntoView {
    let invalid = invalid_signal(&name, error);
    let described = described_by(&name, hint.is_some(), invalid);
    view! {
        <div class="field choice" class:field--error=invalid>
            <FieldMessage field=name.clone() error />
            <input
                type="checkbox"
                id=name.clone()
                name=name.clone()
                value="oui"
                checked=checked
                aria-invalid=move || invalid.get().then_some("true")
                aria-describedby=described
            />
            <label for=name.clone()>{label}</label>
            {hint.map(|hint| view! { <span class="hint" id=format!("{name}-hint")>{hint}</span> })}
        </div>
    }
}

/// The files of a form: those already received (kept while the form is corrected) and new ones.
#[component]
pub fn FilesField(
    #[prop(into)] legend: String,
    kept: Vec<crate::dto::requests::KeptFile>,
    max_files: usize,
    max_mb: u64,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let invalid = Signal::derive(move || error.get().is_some_and(|e| e.field_errors().iter().any(|f| f.field == "files")));
    view! {
        <fieldset class="group">
            <legend>{legend}</legend>
            {(!kept.is_empty()).then(|| view! {
                <div class="choices">
                    <p>"Fichiers déjà reçus (décochez pour les retirer) :"</p>
                    {kept
                        .into_iter()
                        .map(|file| {
                            let id = format!("kept-{}", file.id);
                            view! {
                                <div class="choice">
                                    <input type="checkbox" id=id.clone() name="kept_files" value=file.id.clone() checked=true />
                                    <label for=id>{format!("{} ({})", file.name, file.size)}</label>
                                </div>
                            }
                        })
                        .collect_view()}
                </div>
            })}
            <div class="field" class:field--error=invalid>
                <label for="files">"Ajouter des fichiers"</label>
                <span class="hint" id="files-hint">
                    {format!("PDF, JPEG ou PNG ; {max_mb} Mo au maximum par fichier, {max_files} fichiers au maximum.")}
                </span>
                <FilesMessages error />
                <input
                    type="file"
                    id="files"
                    name="files"
                    multiple=true
                    accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
                    aria-describedby=move || if invalid.get() { "files-hint files-error" } else { "files-hint" }
                />
            </div>
        </fieldset>
    }
}

/// Every refused file, each with its reason (a form can refuse several).
#[component]
fn FilesMessages(error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        let messages: Vec<String> =
            error.get().map(|e| e.field_errors().iter().filter(|f| f.field == "files").map(|f| f.message.clone()).collect()).unwrap_or_default();
        (!messages.is_empty()).then(|| {
            view! {
                <span class="field-error" id="files-error">
                    <span class="visually-hidden">"Erreur : "</span>
                    {messages.join(" ")}
                </span>
            }
        })
    }
}
