//! What a partner does on an existing request: reply on the shared thread (with documents; an answer to the
//! caisse's question sends the request back to it), withdraw it while the caisse has not taken it, and ask another
//! date for its appointment or call it off.

use super::attachments::{self, Upload};
use crate::domain::appointment::{Change, REASON_MAX};
use crate::domain::field_error::Problems;
use crate::domain::form_values::FormValues;
use crate::domain::request_lifecycle::{Action, Reader, Status, transition};
use crate::domain::role::Role;
use crate::dto::error::AppError;
use crate::dto::requests::FormReturn;
use crate::server::audit::{self, Actor, Entry};
use crate::server::context::RequestContext;
use crate::server::entities::request_message;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};

const MESSAGE_MAX: usize = 5000;

pub async fn withdraw(cx: &RequestContext, reference: &str, reason: &str, confirmed: bool) -> Result<(), AppError> {
    let db = cx.db();
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    if !confirmed {
        return Err(AppError::field("confirm", "Cochez la case pour confirmer le retrait de la demande."));
    }
    let txn = crate::server::db::write_transaction(db).await?;
    let model = super::visibility::find(&txn, user, reference, Role::PartnerAgent).await?;
    let from = model.status;
    let to = transition(from, Action::Withdraw, Role::PartnerAgent)?;
    crate::server::request_notices::withdrawn(&txn, &cx.state.settings.mail, &model, now).await?;
    let (id, caisse_id) = (model.id.clone(), model.caisse_id.clone());
    super::moved(&txn, model, to, now).await?.update(&txn).await?;
    let reason: String = reason.trim().chars().take(MESSAGE_MAX).collect();
    super::record_event(&txn, &id, user, super::Step { action: "withdraw", from: Some(from), to, note: Some(reason) }, now).await?;
    audit::record(&txn, Entry::new(Actor::signed_in(user), "request.withdrawn", "request", Some(id)).in_caisse(Some(caisse_id)), origin, now).await?;
    txn.commit().await?;
    Ok(())
}

/// What the partner may want of the request's appointment: the form's value, the lifecycle action, the change to
/// the appointment, the timeline's code and the audit log's.
const APPOINTMENT_WISHES: [(&str, Action, Change, &str, &str); 2] = [
    ("autre-date", Action::AskAnotherDate, Change::AnotherDateAsked, "ask_another_date", "request.another_date_asked"),
    ("annulation", Action::DeclineAppointment, Change::DeclinedByPartner, "decline_appointment", "request.appointment_declined"),
];

/// Asks the caisse for another date (the appointment stands until it moves it) or calls the appointment off (its
/// slot is freed and the request is back in the caisse's hands); either way with a reason, and the caisse is told.
pub async fn change_appointment(cx: &RequestContext, reference: &str, wish: &str, reason: &str) -> Result<(), AppError> {
    let user = &cx.user;
    let (wish, action, change, timeline_code, audited) = APPOINTMENT_WISHES
        .iter()
        .copied()
        .find(|(value, ..)| *value == wish)
        .ok_or_else(|| AppError::field("wish", "Choisissez : demander une autre date ou annuler le rendez-vous."))?;
    let mut problems = Problems::new();
    let reason = problems.required("reason", reason, action.reason_missing().unwrap_or_default(), REASON_MAX);
    problems.into_result(()).map_err(AppError::Validation)?;
    let txn = crate::server::db::write_transaction(cx.db()).await?;
    let model = super::visibility::find(&txn, user, reference, Role::PartnerAgent).await?;
    let from = model.status;
    let to = transition(from, action, Role::PartnerAgent)?;
    let changed = crate::server::appointments::change(&txn, &model.id, change, &reason, cx.now).await?;
    crate::server::request_notices::appointment_change_asked(&txn, &cx.state.settings.mail, &model, changed.when, change.cancels(), cx.now).await?;
    let (id, caisse_id) = (model.id.clone(), model.caisse_id.clone());
    if to != from {
        super::moved(&txn, model, to, cx.now).await?.update(&txn).await?;
    }
    super::record_event(&txn, &id, user, super::Step { action: timeline_code, from: Some(from), to, note: Some(changed.note) }, cx.now).await?;
    audit::record(&txn, Entry::new(Actor::signed_in(user), audited, "request", Some(id)).in_caisse(Some(caisse_id)).detail(wish), &cx.origin, cx.now)
        .await?;
    txn.commit().await?;
    Ok(())
}

pub enum ReplyOutcome {
    Sent,
    /// Back to the request, with what to correct: the route keeps it for the page (`reply_flash_key`).
    Returned(FormReturn),
}

/// Adds the partner's message (and files) to the thread; answers the caisse's question if it asked one.
pub async fn reply(cx: &RequestContext, reference: &str, values: FormValues, uploads: Vec<Upload>) -> Result<ReplyOutcome, AppError> {
    let state = &cx.state;
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    let model = super::visibility::find(&state.db, user, reference, Role::PartnerAgent).await?;
    let status = model.status;
    if !status.is_open() {
        let problem = format!(
            "Cette demande est « {} » : il n'est plus possible d'y répondre. Envoyez une nouvelle demande si besoin.",
            status.label(Reader::Partner)
        );
        let returned = FormReturn { values: values.without(&["kept_files", "files"]), problem: Some(problem), ..Default::default() };
        return Ok(ReplyOutcome::Returned(returned));
    }
    let kept = attachments::pending(&state.db, user, &values.all("kept_files")).await?;
    let (received, mut issues) = attachments::receive(cx, uploads, kept.len()).await?;
    let files: Vec<_> = kept.into_iter().chain(received).collect();
    let mut problems = Problems::new();
    let body = problems.required("message", values.text("message"), "Saisissez votre message.", MESSAGE_MAX);
    issues.splice(0..0, problems.into_vec());
    if !issues.is_empty() {
        let returned = FormReturn {
            values: values.without(&["kept_files", "files"]),
            issues,
            kept_files: files.iter().map(attachments::kept_file).collect(),
            ..Default::default()
        };
        return Ok(ReplyOutcome::Returned(returned));
    }

    let txn = crate::server::db::write_transaction(&state.db).await?;
    let (id, caisse_id) = (model.id.clone(), model.caisse_id.clone());
    let message_id = uuid::Uuid::now_v7().to_string();
    request_message::ActiveModel {
        id: Set(message_id.clone()),
        request_id: Set(id.clone()),
        author_id: Set(user.id.clone()),
        author_label: Set(user.display_name()),
        from_caisse: Set(false),
        internal: Set(false),
        body: Set(body),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let file_ids: Vec<String> = files.iter().map(|f| f.id.clone()).collect();
    attachments::claim(&txn, user, &file_ids, &id, Some(&message_id)).await?;
    crate::server::webhooks::message_added(&txn, &model, &message_id, false, false, now).await?;
    crate::server::request_notices::partner_replied(&txn, &state.settings.mail, &model, now).await?;
    if status == Status::AwaitingPartner {
        let to = transition(status, Action::AnswerCaisse, Role::PartnerAgent)?;
        // The clock stopped while the caisse waited for the partner: `moved` counts the pause from the timeline.
        super::moved(&txn, model, to, now).await?.update(&txn).await?;
        super::record_event(&txn, &id, user, super::Step { action: "answer_caisse", from: Some(status), to, note: None }, now).await?;
    }
    audit::record(&txn, Entry::new(Actor::signed_in(user), "request.replied", "request", Some(id)).in_caisse(Some(caisse_id)), origin, now).await?;
    txn.commit().await?;
    Ok(ReplyOutcome::Sent)
}
