//! One request as its partner structure sees it: answers, assuré (NIR masked), files, timeline and the shared
//! thread (never the caisse's internal notes). Every reading is audited: it shows an assuré's personal data.

use crate::domain::nir::Nir;
use crate::domain::request_details::Details;
use crate::domain::request_lifecycle::{Action, Reader, Status, transition};
use crate::domain::role::Role;
use crate::dto::error::AppError;
use crate::dto::requests::{AttachmentLine, BeneficiaryView, FormReturn, MessageLine, RequestDetail, TimelineEntry};
use crate::server::audit::{self, Actor, Entry};
use crate::server::context::RequestContext;
use crate::server::entities::{attachment, caisse, request, request_event, request_message};
use crate::server::time_fr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

/// Where a refused reply to `reference` is kept in the session (the reference as typed in the URL is normalised,
/// so the route that keeps it and the page that reads it agree).
pub fn reply_flash_key(reference: &str) -> String {
    let normalised = crate::domain::reference::Reference::parse(reference).map(|r| r.to_string());
    format!("reply.{}", normalised.unwrap_or_else(|| reference.to_owned()))
}

pub(crate) fn beneficiary_view(model: &request::Model) -> Option<BeneficiaryView> {
    let last_name = model.beneficiary_last_name.clone()?;
    let consent = match (model.consent_method, model.consent_recorded_at) {
        (Some(method), Some(at)) => format!("{} – enregistré le {}", method.label(), time_fr::date_time(at)),
        _ => "Non renseigné".to_owned(),
    };
    Some(BeneficiaryView {
        name: format!("{} {}", last_name.to_uppercase(), model.beneficiary_first_names.clone().unwrap_or_default()),
        birth_date: model.beneficiary_birth_date.map(time_fr::date).unwrap_or_default(),
        nir: model.beneficiary_nir.as_ref().map(Nir::masked),
        phone: model.beneficiary_phone.clone(),
        address: model.beneficiary_address.clone(),
        consent,
    })
}

/// A timeline line, as `reader` reads it (the codes are `triage::ACTIONS`' and the partner's own).
pub(crate) fn event_label(action: &str, to: Status, reader: Reader) -> String {
    match action {
        "submit" => "Demande envoyée à la caisse".to_owned(),
        "withdraw" => "Demande retirée par la structure".to_owned(),
        "answer_caisse" => "Réponse de la structure : la demande revient à la caisse".to_owned(),
        "take" | "assign" | "assign_team" => "Prise en charge par la caisse".to_owned(),
        "ask_partner" => "La caisse demande des compléments à la structure".to_owned(),
        "schedule" => "Rendez-vous programmé par la caisse".to_owned(),
        "reschedule" => "Rendez-vous déplacé par la caisse".to_owned(),
        "cancel_appointment" => "Rendez-vous annulé par la caisse : la demande reste en cours".to_owned(),
        "ask_another_date" => "La structure demande une autre date de rendez-vous".to_owned(),
        "decline_appointment" => "Rendez-vous annulé par la structure : la demande revient à la caisse".to_owned(),
        "appointment_held" => "Rendez-vous honoré".to_owned(),
        "appointment_missed" => "Rendez-vous manqué : la demande reste en cours".to_owned(),
        _ => format!("Statut : {}", to.label(reader)),
    }
}

pub(crate) fn line(file: &attachment::Model) -> AttachmentLine {
    AttachmentLine { id: file.id.clone(), name: file.file_name.clone(), size: super::human_size(file.size_bytes) }
}

/// What both sides show of a request: its answers, timeline, messages (internal notes only if asked) and files.
/// Loading it is the reading of an assuré's data, so it is audited here, once for both sides.
pub(crate) struct Contents {
    pub answers: Vec<(String, String)>,
    pub timeline: Vec<TimelineEntry>,
    pub messages: Vec<request_message::Model>,
    pub files: Vec<attachment::Model>,
}

impl Contents {
    /// The files joined to the request itself (not to a message).
    pub fn request_files(&self) -> Vec<AttachmentLine> {
        self.files.iter().filter(|f| f.message_id.is_none()).map(line).collect()
    }

    /// The files joined to one message.
    pub fn message_files(&self, message_id: &str) -> Vec<AttachmentLine> {
        self.files.iter().filter(|f| f.message_id.as_deref() == Some(message_id)).map(line).collect()
    }
}

pub(crate) async fn contents(cx: &RequestContext, model: &request::Model, with_internal_notes: bool) -> Result<Contents, AppError> {
    let db = cx.db();
    let user = &cx.user;
    let origin = &cx.origin;
    let now = cx.now;
    let events =
        request_event::Entity::find().filter(request_event::Column::RequestId.eq(&model.id)).order_by_asc(request_event::Column::Id).all(db).await?;
    let mut messages = request_message::Entity::find().filter(request_message::Column::RequestId.eq(&model.id));
    if !with_internal_notes {
        messages = messages.filter(request_message::Column::Internal.eq(false));
    }
    let messages = messages.order_by_asc(request_message::Column::Id).all(db).await?;
    let files = attachment::Entity::find().filter(attachment::Column::RequestId.eq(&model.id)).order_by_asc(attachment::Column::Id).all(db).await?;
    let details: Details = serde_json::from_str(&model.details).map_err(|e| {
        tracing::error!(error = %e, request.reference = %model.reference, "stored request details not understood");
        AppError::Internal
    })?;
    audit::record(
        db,
        Entry::new(Actor::signed_in(user), "request.viewed", "request", Some(model.id.clone()))
            .in_caisse(Some(model.caisse_id.clone()))
            .detail(model.reference.clone()),
        origin,
        now,
    )
    .await?;
    Ok(Contents {
        answers: details.lines().into_iter().map(|(q, a)| (q.to_owned(), a)).collect(),
        timeline: events
            .into_iter()
            .map(|e| TimelineEntry {
                at: time_fr::date_time(e.occurred_at),
                label: event_label(&e.action, e.to_status, Reader::of(user.role)),
                actor: e.actor_label,
                note: e.note,
            })
            .collect(),
        messages,
        files,
    })
}

pub async fn for_partner(cx: &RequestContext, reference: &str, returned_reply: Option<FormReturn>) -> Result<RequestDetail, AppError> {
    let state = &cx.state;
    let user = &cx.user;
    let db = &state.db;
    let model = super::visibility::find(db, user, reference, Role::PartnerAgent).await?;
    let status = model.status;
    let contents = contents(cx, &model, false).await?;
    let caisse_name = caisse::Entity::find_by_id(model.caisse_id.clone()).one(db).await?.map(|c| c.name).unwrap_or_default();
    let author = crate::server::entities::account::Entity::find_by_id(model.author_id.clone())
        .one(db)
        .await?
        .map(|a| format!("{} {}", a.first_name, a.last_name))
        .unwrap_or_default();
    let policy = state.settings.attachments;
    let following = super::followers::standing(db, user, &model).await?;
    let appointments = crate::server::appointments::of_request(db, &model.id, cx.now).await?;
    Ok(RequestDetail {
        following,
        can_change_appointment: transition(status, Action::DeclineAppointment, Role::PartnerAgent).is_ok() && appointments.iter().any(|a| a.upcoming),
        appointments,
        kind: model.kind.label().to_owned(),
        status_code: status.code().to_owned(),
        status: status.label(Reader::Partner).to_owned(),
        created_at: time_fr::date_time(model.created_at),
        author,
        caisse_name,
        beneficiary: beneficiary_view(&model),
        attachments: contents.request_files(),
        messages: contents
            .messages
            .iter()
            .map(|m| MessageLine {
                at: time_fr::date_time(m.created_at),
                author: m.author_label.clone(),
                from_caisse: m.from_caisse,
                body: m.body.clone(),
                attachments: contents.message_files(&m.id),
            })
            .collect(),
        answers: contents.answers,
        timeline: contents.timeline,
        expected_by: model.due_on.filter(|_| status.clock_runs()).map(|due| format!("Réponse attendue au plus tard le {}", time_fr::date(due))),
        can_withdraw: transition(status, Action::Withdraw, Role::PartnerAgent).is_ok(),
        can_reply: status.is_open(),
        awaiting_partner: status == Status::AwaitingPartner,
        max_files: policy.max_files,
        max_mb: policy.max_mb(),
        returned_reply,
        subject: model.subject,
        body: model.body,
        reference: model.reference,
    })
}
