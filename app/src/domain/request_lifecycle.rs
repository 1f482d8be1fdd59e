//! The life of a request (demande): its statuses, who may do what in each, and where each action leads.
//! One state machine for the partner and the caisse sides; invalid moves are refused with a French reason.

use super::coded::{Coded, UnknownCode};
use super::role::Role;
use serde::{Deserialize, Serialize};

/// How a closed request ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Resolution {
    Resolved,
    RejectedOutOfScope,
    Duplicate,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    Submitted,
    InProgress,
    AwaitingPartner,
    AppointmentScheduled,
    Closed(Resolution),
    Withdrawn,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    /// Partner: take back a request the caisse has not started on.
    Withdraw,
    /// Partner: answer the caisse's request for more (message or documents).
    AnswerCaisse,
    /// Caisse: start working on a submitted request (or take over one in progress).
    Take,
    /// Caisse: hand it to a colleague or a team.
    Assign,
    /// Caisse: ask the partner for more; the clock pauses until they answer.
    AskPartner,
    /// Caisse: book an appointment for the assuré.
    ScheduleAppointment,
    /// Caisse: move the appointment to another slot (a reason is required; the partner gets the updated calendar file).
    RescheduleAppointment,
    /// Caisse: call the appointment off (a reason is required); the request is back in the caisse's hands.
    CancelAppointment,
    /// Partner: ask the caisse for another date; the appointment stands until the caisse moves it.
    AskAnotherDate,
    /// Partner: call the appointment off (the assuré cannot come); the request is back in the caisse's hands.
    DeclineAppointment,
    /// Caisse: the assuré came; the request is resolved.
    RecordAppointmentHeld,
    /// Caisse: the assuré did not come; back to work (reschedule or close).
    RecordAppointmentMissed,
    /// Caisse: close with a resolution.
    Close(Resolution),
}

/// Why an action was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("Cette action est réservée {0}.")]
    NotYourAction(&'static str),
    #[error("La caisse a déjà pris en charge cette demande : elle ne peut plus être retirée. Écrivez-lui plutôt un message.")]
    AlreadyTaken,
    #[error("Cette demande est {0} : aucune action n'est plus possible.")]
    Finished(&'static str),
    #[error("Cette action n'est pas possible pour une demande {0}.")]
    NotNow(&'static str),
}

impl Status {
    /// Every status, in the order lists and filters show them.
    pub const ALL: [Status; 8] = [
        Status::Submitted,
        Status::InProgress,
        Status::AwaitingPartner,
        Status::AppointmentScheduled,
        Status::Closed(Resolution::Resolved),
        Status::Closed(Resolution::RejectedOutOfScope),
        Status::Closed(Resolution::Duplicate),
        Status::Withdrawn,
    ];

    /// Whether reaching this status tells the partner something from the caisse (a question, an appointment, an
    /// outcome): a first answer, for the statistics. Withdrawal is the partner's own doing.
    pub fn answers_partner(self) -> bool {
        matches!(self, Status::AwaitingPartner | Status::AppointmentScheduled | Status::Closed(_))
    }

    pub fn code(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::InProgress => "in_progress",
            Status::AwaitingPartner => "awaiting_partner",
            Status::AppointmentScheduled => "appointment_scheduled",
            Status::Closed(Resolution::Resolved) => "closed_resolved",
            Status::Closed(Resolution::RejectedOutOfScope) => "closed_out_of_scope",
            Status::Closed(Resolution::Duplicate) => "closed_duplicate",
            Status::Withdrawn => "withdrawn",
        }
    }

    /// The status of a stored or posted code; an unknown code is refused.
    pub fn parse(code: &str) -> Result<Status, UnknownCode> {
        <Status as Coded>::parse(code)
    }

    /// The status as `reader` reads it: the partner is waiting for « votre réponse » where the caisse waits for the
    /// partner's.
    pub fn label(self, reader: Reader) -> &'static str {
        match self {
            Status::Submitted => "Envoyée",
            Status::InProgress => "En cours de traitement",
            Status::AwaitingPartner => match reader {
                Reader::Partner => "En attente de votre réponse",
                Reader::Caisse => "En attente du partenaire",
            },
            Status::AppointmentScheduled => "Rendez-vous programmé",
            Status::Closed(Resolution::Resolved) => "Clôturée – traitée",
            Status::Closed(Resolution::RejectedOutOfScope) => "Clôturée – hors périmètre",
            Status::Closed(Resolution::Duplicate) => "Clôturée – doublon",
            Status::Withdrawn => "Retirée",
        }
    }

    /// Still expecting work from someone (counts for duplicates and queues).
    pub fn is_open(self) -> bool {
        matches!(self, Status::Submitted | Status::InProgress | Status::AwaitingPartner | Status::AppointmentScheduled)
    }

    /// Whether the caisse's clock runs: the request is open and in the caisse's hands, not waiting for the partner.
    /// Only then does it have a due date to show (`domain::due_date`).
    pub fn clock_runs(self) -> bool {
        self.is_open() && self != Status::AwaitingPartner
    }

    /// Phrase used in refusals: "une demande {phrase}".
    fn phrase(self) -> &'static str {
        match self {
            Status::Submitted => "envoyée et pas encore prise en charge",
            Status::InProgress => "en cours de traitement",
            Status::AwaitingPartner => "en attente de la réponse du partenaire",
            Status::AppointmentScheduled => "avec un rendez-vous programmé",
            Status::Closed(_) => "clôturée",
            Status::Withdrawn => "retirée",
        }
    }
}

/// Which side of a request reads a status (see `Status::label`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reader {
    Partner,
    Caisse,
}

impl Reader {
    /// The side a role works on (admins work for the caisse).
    pub fn of(role: Role) -> Reader {
        match role {
            Role::PartnerAgent => Reader::Partner,
            Role::CaisseAgent | Role::Admin => Reader::Caisse,
        }
    }
}

impl Coded for Status {
    fn all() -> &'static [Self] {
        &Status::ALL
    }

    fn code(self) -> &'static str {
        Status::code(self)
    }
}

impl Action {
    /// The role that performs the action.
    pub fn actor(self) -> Role {
        match self {
            Action::Withdraw | Action::AnswerCaisse | Action::AskAnotherDate | Action::DeclineAppointment => Role::PartnerAgent,
            _ => Role::CaisseAgent,
        }
    }
}

impl Action {
    /// What to write when the action needs a reason and none was given (the reason is shared with the other side).
    pub fn reason_missing(self) -> Option<&'static str> {
        match self {
            Action::AskPartner => Some("Précisez ce que la structure doit fournir."),
            Action::Close(Resolution::RejectedOutOfScope) => Some("Indiquez pourquoi la demande est hors périmètre."),
            Action::RescheduleAppointment => Some("Indiquez pourquoi le rendez-vous est déplacé."),
            Action::CancelAppointment | Action::DeclineAppointment => Some("Indiquez pourquoi le rendez-vous est annulé."),
            Action::AskAnotherDate => Some("Indiquez pourquoi une autre date est nécessaire, et les disponibilités de l'assuré."),
            _ => None,
        }
    }
}

/// Where `action` by `role` takes a request in `status`, or why it cannot.
pub fn transition(status: Status, action: Action, role: Role) -> Result<Status, TransitionError> {
    if action.actor() != role {
        return Err(TransitionError::NotYourAction(match action.actor() {
            Role::PartnerAgent => "au partenaire qui suit la demande",
            _ => "aux agents de la caisse",
        }));
    }
    use Status as S;
    match (status, action) {
        (S::Submitted, Action::Withdraw) => Ok(S::Withdrawn),
        (S::InProgress | S::AwaitingPartner | S::AppointmentScheduled, Action::Withdraw) => Err(TransitionError::AlreadyTaken),
        (S::AwaitingPartner, Action::AnswerCaisse) => Ok(S::InProgress),
        (S::Submitted | S::InProgress | S::AwaitingPartner, Action::Take | Action::Assign) => {
            Ok(if status == S::AwaitingPartner { S::AwaitingPartner } else { S::InProgress })
        }
        (S::InProgress, Action::AskPartner) => Ok(S::AwaitingPartner),
        (S::InProgress | S::AwaitingPartner, Action::ScheduleAppointment) => Ok(S::AppointmentScheduled),
        (S::AppointmentScheduled, Action::RescheduleAppointment | Action::AskAnotherDate) => Ok(S::AppointmentScheduled),
        (S::AppointmentScheduled, Action::CancelAppointment | Action::DeclineAppointment) => Ok(S::InProgress),
        (S::AppointmentScheduled, Action::RecordAppointmentHeld) => Ok(S::Closed(Resolution::Resolved)),
        (S::AppointmentScheduled, Action::RecordAppointmentMissed) => Ok(S::InProgress),
        (S::Submitted | S::InProgress | S::AwaitingPartner | S::AppointmentScheduled, Action::Close(resolution)) => Ok(S::Closed(resolution)),
        (S::Closed(_) | S::Withdrawn, _) => Err(TransitionError::Finished(status.phrase())),
        _ => Err(TransitionError::NotNow(status.phrase())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACTIONS: [Action; 15] = [
        Action::Withdraw,
        Action::AnswerCaisse,
        Action::Take,
        Action::Assign,
        Action::AskPartner,
        Action::ScheduleAppointment,
        Action::RescheduleAppointment,
        Action::CancelAppointment,
        Action::AskAnotherDate,
        Action::DeclineAppointment,
        Action::RecordAppointmentHeld,
        Action::RecordAppointmentMissed,
        Action::Close(Resolution::Resolved),
        Action::Close(Resolution::RejectedOutOfScope),
        Action::Close(Resolution::Duplicate),
    ];

    /// Every allowed (status, action) and where it leads; everything else must be refused.
    fn allowed() -> Vec<(Status, Action, Status)> {
        use Status as S;
        let mut table = vec![
            (S::Submitted, Action::Withdraw, S::Withdrawn),
            (S::AwaitingPartner, Action::AnswerCaisse, S::InProgress),
            (S::Submitted, Action::Take, S::InProgress),
            (S::InProgress, Action::Take, S::InProgress),
            (S::AwaitingPartner, Action::Take, S::AwaitingPartner),
            (S::Submitted, Action::Assign, S::InProgress),
            (S::InProgress, Action::Assign, S::InProgress),
            (S::AwaitingPartner, Action::Assign, S::AwaitingPartner),
            (S::InProgress, Action::AskPartner, S::AwaitingPartner),
            (S::InProgress, Action::ScheduleAppointment, S::AppointmentScheduled),
            (S::AwaitingPartner, Action::ScheduleAppointment, S::AppointmentScheduled),
            (S::AppointmentScheduled, Action::RescheduleAppointment, S::AppointmentScheduled),
            (S::AppointmentScheduled, Action::CancelAppointment, S::InProgress),
            (S::AppointmentScheduled, Action::AskAnotherDate, S::AppointmentScheduled),
            (S::AppointmentScheduled, Action::DeclineAppointment, S::InProgress),
            (S::AppointmentScheduled, Action::RecordAppointmentHeld, S::Closed(Resolution::Resolved)),
            (S::AppointmentScheduled, Action::RecordAppointmentMissed, S::InProgress),
        ];
        for open in [S::Submitted, S::InProgress, S::AwaitingPartner, S::AppointmentScheduled] {
            for resolution in [Resolution::Resolved, Resolution::RejectedOutOfScope, Resolution::Duplicate] {
                table.push((open, Action::Close(resolution), S::Closed(resolution)));
            }
        }
        table
    }

    #[test]
    fn every_status_action_and_role_triple_behaves_as_the_table_says() {
        let allowed = allowed();
        for status in Status::ALL {
            for action in ACTIONS {
                for role in Role::ALL {
                    let result = transition(status, action, role);
                    let expected = allowed.iter().find(|(s, a, _)| *s == status && *a == action).map(|(_, _, to)| *to);
                    match (expected, role == action.actor()) {
                        (Some(to), true) => assert_eq!(result, Ok(to), "{status:?} {action:?} {role:?}"),
                        (_, false) => assert!(
                            matches!(result, Err(TransitionError::NotYourAction(_))),
                            "{status:?} {action:?} by {role:?} must be refused as not theirs: {result:?}"
                        ),
                        (None, true) => assert!(result.is_err(), "{status:?} {action:?} {role:?} must be refused"),
                    }
                }
            }
        }
    }

    #[test]
    fn refusals_explain_themselves_in_french() {
        assert_eq!(transition(Status::InProgress, Action::Withdraw, Role::PartnerAgent), Err(TransitionError::AlreadyTaken));
        let finished = transition(Status::Closed(Resolution::Resolved), Action::Take, Role::CaisseAgent).expect_err("refused");
        assert_eq!(finished.to_string(), "Cette demande est clôturée : aucune action n'est plus possible.");
        let not_theirs = transition(Status::Submitted, Action::Take, Role::PartnerAgent).expect_err("refused");
        assert_eq!(not_theirs.to_string(), "Cette action est réservée aux agents de la caisse.");
        let admin = transition(Status::AwaitingPartner, Action::AnswerCaisse, Role::Admin).expect_err("refused");
        assert_eq!(admin.to_string(), "Cette action est réservée au partenaire qui suit la demande.");
    }

    #[test]
    fn status_codes_round_trip_and_only_working_statuses_are_open() {
        for status in Status::ALL {
            assert_eq!(Status::parse(status.code()), Ok(status));
        }
        let open: Vec<_> = Status::ALL.into_iter().filter(|s| s.is_open()).collect();
        assert_eq!(open, [Status::Submitted, Status::InProgress, Status::AwaitingPartner, Status::AppointmentScheduled]);
        let running: Vec<_> = Status::ALL.into_iter().filter(|s| s.clock_runs()).collect();
        assert_eq!(running, [Status::Submitted, Status::InProgress, Status::AppointmentScheduled], "not while the partner is asked");
    }
}
