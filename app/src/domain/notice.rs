//! The e-mails the app sends, built from typed notices: a notice only carries references, labels, dates, place names and links, so no e-mail can contain a NIR, an assuré's name or a health detail.

use super::coded::coded;
use super::html::escape;
use serde::{Deserialize, Serialize};

/// Signature at the foot of every e-mail.
const SIGNATURE: &str = "L'équipe Espace Partenaires";

/// Last line of every e-mail: nobody reads replies to the sending address.
const AUTOMATIC_MESSAGE: &str = "Ce message est envoyé automatiquement : merci de ne pas y répondre.";

/// Failed sends after which an e-mail is given up (marked failed, shown to admins).
pub const MAX_ATTEMPTS: u32 = 8;

/// Longest wait between two tries of a failing send.
const MAX_RETRY_MINUTES: i64 = 6 * 60;

/// An e-mail ready to be queued: subject, plain text, and HTML (both bodies say the same thing).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// What a notice is about, for preferences: security notices always go; others follow the person's choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Importance {
    Security,
    Work,
}

coded!(
    /// How a person wants non-essential notices.
    #[derive(Default)]
    MailPreference {
        #[default]
        Immediate => "immediate", "À chaque événement",
        DailyDigest => "daily_digest", "Un récapitulatif par jour",
        Never => "never", "Jamais (hors sécurité du compte)",
    }
);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Notice {
    /// To the caisse (team or assignee): a new request arrived.
    NewRequest { reference: String, kind: String, structure: String, link: String },
    /// To the partner who sent it: the request reached the caisse, which answers by `answer_by` (dd/mm/yyyy).
    Receipt { reference: String, kind: String, answer_by: Option<String>, link: String },
    /// To the team (or every agent) of the caisse: the partner took back a request nobody had started on.
    RequestWithdrawn { reference: String, link: String },
    /// To the assignee (or team): the partner wrote or answered.
    PartnerReplied { reference: String, link: String },
    /// To the partner author (and followers): the caisse wrote.
    CaisseReplied { reference: String, link: String },
    /// To the partner: the caisse needs more (documents or information).
    MoreRequested { reference: String, link: String },
    /// To the partner: an appointment was booked; `when` is already formatted ("mardi 24/11/2026 à 09:00"), `place` an accueil name or "Par téléphone".
    AppointmentBooked { reference: String, when: String, place: String, link: String },
    /// To the partner: the caisse moved the appointment to `when` at `place` (the reason is on the request).
    AppointmentMoved { reference: String, when: String, place: String, link: String },
    /// To the partner: the caisse called off the appointment of `when` (the reason is on the request).
    AppointmentCancelled { reference: String, when: String, link: String },
    /// To the caisse (assignee or team): the partner asks another date for the appointment of `when`, or
    /// (`declined`) called it off.
    AppointmentChangeAsked { reference: String, when: String, declined: bool, link: String },
    /// To the partner: the request was closed; `outcome` is the status label ("Clôturée – traitée").
    RequestClosed { reference: String, outcome: String, link: String },
    /// Security: a one-time link to choose a new password, valid `valid_minutes`.
    PasswordReset { link: String, valid_minutes: u32 },
    /// Security: the password was changed (all sessions were ended).
    PasswordChanged { sign_in_link: String },
    /// Security: the second factor of sign-in changed (`link` leads to the security page).
    SecondFactor { change: FactorChange, link: String },
    /// An invitation to join (`organisation` = caisse or structure name), a one-time link valid `valid_hours`.
    Invitation { organisation: String, link: String, valid_hours: u32 },
    /// To caisse admins: a structure's convention ends on `ends_on` (dd/mm/yyyy), in `days` days.
    ConventionExpiring { structure: String, ends_on: String, days: u32, link: String },
}

/// What happened to a person's second factor, for the security notice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FactorChange {
    /// A recovery code was used to sign in; `left` remain.
    RecoveryCodeUsed { left: u64 },
    /// The person asked for new recovery codes (the old ones stopped working).
    RecoveryCodesRenewed,
    /// The person removed their factor, to enrol another phone at the next sign-in.
    Replaced,
    /// An administrator reset it: the person enrols again at the next sign-in.
    Reset,
}

/// What an e-mail says before it is laid out as text and HTML: plain strings, escaped only when written as HTML.
struct Message {
    subject: String,
    paragraphs: Vec<String>,
    link_label: &'static str,
    link: String,
}

impl Notice {
    /// Security notices go whatever the person chose; work notices follow their [`MailPreference`].
    pub fn importance(&self) -> Importance {
        match self {
            Notice::PasswordReset { .. } | Notice::PasswordChanged { .. } | Notice::SecondFactor { .. } | Notice::Invitation { .. } => {
                Importance::Security
            }
            Notice::NewRequest { .. }
            | Notice::Receipt { .. }
            | Notice::RequestWithdrawn { .. }
            | Notice::PartnerReplied { .. }
            | Notice::CaisseReplied { .. }
            | Notice::MoreRequested { .. }
            | Notice::AppointmentBooked { .. }
            | Notice::AppointmentMoved { .. }
            | Notice::AppointmentCancelled { .. }
            | Notice::AppointmentChangeAsked { .. }
            | Notice::RequestClosed { .. }
            | Notice::ConventionExpiring { .. } => Importance::Work,
        }
    }

    /// The e-mail for this notice, with the same words in its text and HTML bodies.
    pub fn render(&self) -> Email {
        let message = self.message();
        Email { text: text_body(&message), html: html_body(&message), subject: message.subject }
    }

    /// The link the notice leads to, for the daily digest.
    fn link(&self) -> &str {
        match self {
            Notice::NewRequest { link, .. }
            | Notice::Receipt { link, .. }
            | Notice::RequestWithdrawn { link, .. }
            | Notice::PartnerReplied { link, .. }
            | Notice::CaisseReplied { link, .. }
            | Notice::MoreRequested { link, .. }
            | Notice::AppointmentBooked { link, .. }
            | Notice::AppointmentMoved { link, .. }
            | Notice::AppointmentCancelled { link, .. }
            | Notice::AppointmentChangeAsked { link, .. }
            | Notice::RequestClosed { link, .. }
            | Notice::PasswordReset { link, .. }
            | Notice::SecondFactor { link, .. }
            | Notice::Invitation { link, .. }
            | Notice::ConventionExpiring { link, .. } => link,
            Notice::PasswordChanged { sign_in_link } => sign_in_link,
        }
    }

    fn message(&self) -> Message {
        const SEE_REQUEST: &str = "Voir la demande";
        match self {
            Notice::NewRequest { reference, kind, structure, link } => Message {
                subject: format!("Nouvelle demande {reference} – {kind}"),
                paragraphs: vec![format!("Une nouvelle demande {reference} ({kind}) a été envoyée par {structure}.")],
                link_label: SEE_REQUEST,
                link: link.clone(),
            },
            Notice::Receipt { reference, kind, answer_by, link } => Message {
                subject: format!("Accusé de réception – demande {reference}"),
                paragraphs: std::iter::once(format!("Votre demande {reference} ({kind}) a bien été transmise à la caisse."))
                    .chain(answer_by.as_ref().map(|day| format!("La caisse s'engage à y répondre au plus tard le {day}.")))
                    .collect(),
                link_label: SEE_REQUEST,
                link: link.clone(),
            },
            Notice::RequestWithdrawn { reference, link } => Message {
                subject: format!("Demande {reference} retirée par la structure"),
                paragraphs: vec![format!(
                    "La structure a retiré la demande {reference} avant sa prise en charge : elle n'attend plus de traitement de la caisse."
                )],
                link_label: SEE_REQUEST,
                link: link.clone(),
            },
            Notice::PartnerReplied { reference, link } => Message {
                subject: format!("Nouveau message du partenaire – demande {reference}"),
                paragraphs: vec![format!("Le partenaire a écrit un nouveau message sur la demande {reference}.")],
                link_label: SEE_REQUEST,
                link: link.clone(),
            },
            Notice::CaisseReplied { reference, link } => Message {
                subject: format!("Réponse de la caisse – demande {reference}"),
                paragraphs: vec![format!("La caisse a écrit un nouveau message sur votre demande {reference}. Connectez-vous pour le lire.")],
                link_label: SEE_REQUEST,
                link: link.clone(),
            },
            Notice::MoreRequested { reference, link } => Message {
                subject: format!("Complément attendu – demande {reference}"),
                paragraphs: vec![
                    format!("Pour traiter la demande {reference}, la caisse a besoin de documents ou d'informations complémentaires."),
                    "Le traitement reprendra dès votre réponse.".to_owned(),
                ],
                link_label: "Répondre à la demande",
                link: link.clone(),
            },
            Notice::AppointmentBooked { reference, when, place, link } => Message {
                subject: format!("Rendez-vous fixé – demande {reference}"),
                paragraphs: vec![
                    format!("Un rendez-vous a été fixé pour la demande {reference}."),
                    format!("Date : {when}"),
                    format!("Lieu : {place}"),
                ],
                link_label: SEE_REQUEST,
                link: link.clone(),
            },
            Notice::AppointmentMoved { reference, when, place, link } => Message {
                subject: format!("Rendez-vous déplacé – demande {reference}"),
                paragraphs: vec![
                    format!("La caisse a déplacé le rendez-vous de la demande {reference}. Le motif est indiqué sur la demande."),
                    format!("Nouvelle date : {when}"),
                    format!("Lieu : {place}"),
                    "Le fichier joint met à jour le rendez-vous dans votre agenda.".to_owned(),
                ],
                link_label: SEE_REQUEST,
                link: link.clone(),
            },
            Notice::AppointmentCancelled { reference, when, link } => Message {
                subject: format!("Rendez-vous annulé – demande {reference}"),
                paragraphs: vec![
                    format!("La caisse a annulé le rendez-vous du {when} pour la demande {reference}. Le motif est indiqué sur la demande."),
                    "Le fichier joint retire le rendez-vous de votre agenda. La caisse poursuit le traitement de la demande.".to_owned(),
                ],
                link_label: SEE_REQUEST,
                link: link.clone(),
            },
            Notice::AppointmentChangeAsked { reference, when, declined, link } => Message {
                subject: if *declined {
                    format!("Rendez-vous annulé par la structure – demande {reference}")
                } else {
                    format!("Autre date de rendez-vous demandée – demande {reference}")
                },
                paragraphs: vec![if *declined {
                    format!(
                        "La structure a annulé le rendez-vous du {when} pour la demande {reference} : le créneau est libéré et la demande revient en traitement."
                    )
                } else {
                    format!(
                        "La structure demande une autre date que le {when} pour le rendez-vous de la demande {reference}. Le rendez-vous reste programmé tant qu'il n'est pas déplacé."
                    )
                }],
                link_label: SEE_REQUEST,
                link: link.clone(),
            },
            Notice::RequestClosed { reference, outcome, link } => Message {
                subject: format!("Demande {reference} clôturée"),
                paragraphs: vec![format!("La demande {reference} a été clôturée. Statut : {outcome}.")],
                link_label: SEE_REQUEST,
                link: link.clone(),
            },
            Notice::PasswordReset { link, valid_minutes } => Message {
                subject: "Espace Partenaires – Choisir un nouveau mot de passe".to_owned(),
                paragraphs: vec![
                    "Vous avez demandé à choisir un nouveau mot de passe pour votre compte Espace Partenaires.".to_owned(),
                    format!("Ce lien est valable {} et ne peut servir qu'une seule fois.", count(*valid_minutes, "minute", "minutes")),
                    "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe ne change pas.".to_owned(),
                ],
                link_label: "Choisir un nouveau mot de passe",
                link: link.clone(),
            },
            Notice::PasswordChanged { sign_in_link } => Message {
                subject: "Espace Partenaires – Votre mot de passe a été modifié".to_owned(),
                paragraphs: vec![
                    "Le mot de passe de votre compte Espace Partenaires vient d'être modifié.".to_owned(),
                    "Par sécurité, vos sessions ouvertes sur d'autres appareils ont été fermées : reconnectez-vous avec votre nouveau mot de passe."
                        .to_owned(),
                    "Si vous n'êtes pas à l'origine de ce changement, prévenez sans attendre l'administrateur de votre caisse.".to_owned(),
                ],
                link_label: "Se connecter",
                link: sign_in_link.clone(),
            },
            Notice::SecondFactor { change, link } => {
                const WARN: &str = "Si vous n'êtes pas à l'origine de cette action, prévenez sans attendre l'administrateur de votre caisse.";
                let (subject, what) = match change {
                    FactorChange::RecoveryCodeUsed { left } => (
                        "Un code de secours a été utilisé",
                        format!(
                            "Un code de secours vient d'être utilisé pour vous connecter à l'Espace Partenaires. Il vous en reste {left} : \
                             renouvelez-les depuis la page Sécurité de votre compte si vous avez perdu votre téléphone."
                        ),
                    ),
                    FactorChange::RecoveryCodesRenewed => (
                        "Vos codes de secours ont été renouvelés",
                        "De nouveaux codes de secours ont été créés pour votre compte : les anciens ne fonctionnent plus.".to_owned(),
                    ),
                    FactorChange::Replaced => (
                        "Votre double authentification a été retirée",
                        "Vous avez retiré votre application d'authentification : à votre prochaine connexion, vous en associerez une nouvelle. \
                         Vos sessions ouvertes ont été fermées."
                            .to_owned(),
                    ),
                    FactorChange::Reset => (
                        "Votre double authentification a été réinitialisée",
                        "Un administrateur a réinitialisé votre double authentification : à votre prochaine connexion, vous associerez à \
                         nouveau une application d'authentification. Vos sessions ouvertes ont été fermées."
                            .to_owned(),
                    ),
                };
                Message {
                    subject: format!("Espace Partenaires – {subject}"),
                    paragraphs: vec![what, WARN.to_owned()],
                    link_label: "Voir la sécurité de mon compte",
                    link: link.clone(),
                }
            }
            Notice::Invitation { organisation, link, valid_hours } => Message {
                subject: format!("Invitation à rejoindre l'Espace Partenaires – {organisation}"),
                paragraphs: vec![
                    format!("Vous êtes invité(e) à rejoindre l'Espace Partenaires pour {organisation}."),
                    format!(
                        "Ce lien personnel vous permet d'activer votre compte. Il est valable {} et ne peut servir qu'une seule fois.",
                        count(*valid_hours, "heure", "heures")
                    ),
                    "Si vous n'attendiez pas cette invitation, ignorez ce message.".to_owned(),
                ],
                link_label: "Activer mon compte",
                link: link.clone(),
            },
            Notice::ConventionExpiring { structure, ends_on, days, link } => {
                let when = match days {
                    0 => "aujourd'hui".to_owned(),
                    1 => "demain".to_owned(),
                    _ => format!("dans {days} jours"),
                };
                Message {
                    subject: format!("Convention de {structure} : fin le {ends_on}"),
                    paragraphs: vec![
                        format!("La convention de la structure {structure} prend fin le {ends_on}, {when}."),
                        "Sans renouvellement, ses utilisateurs ne pourront plus envoyer de demandes.".to_owned(),
                    ],
                    link_label: "Voir la structure",
                    link: link.clone(),
                }
            }
        }
    }
}

/// One e-mail summing up a day's work notices for one person (None when the list is empty).
/// Subject e.g. "Espace Partenaires – 3 nouveautés sur vos demandes"; bodies list one line per notice (its subject) with its link.
pub fn digest(notices: &[Notice]) -> Option<Email> {
    if notices.is_empty() {
        return None;
    }
    let subject = format!("Espace Partenaires – {} sur vos demandes", count(count_u32(notices.len()), "nouveauté", "nouveautés"));
    let entries: Vec<(String, &str)> = notices.iter().map(|notice| (notice.message().subject, notice.link())).collect();
    let introduction = "Voici les nouveautés de la journée sur vos demandes :";

    let text_lines: String = entries.iter().map(|(title, link)| format!("- {title} : {link}\n")).collect();
    let text = format!("Bonjour,\n\n{introduction}\n\n{text_lines}\n{SIGNATURE}\n\n{AUTOMATIC_MESSAGE}\n");

    let html_items: String = entries.iter().map(|(title, link)| format!("<li><a href=\"{}\">{}</a></li>\n", escape(link), escape(title))).collect();
    let body = format!(
        "<p>Bonjour,</p>\n<p>{}</p>\n<ul>\n{html_items}</ul>\n<p>{}</p>\n<p>{}</p>\n",
        escape(introduction),
        escape(SIGNATURE),
        escape(AUTOMATIC_MESSAGE)
    );
    let html = html_document(&subject, &body);
    Some(Email { subject, text, html })
}

/// After `attempts` failed sends, how long to wait before the next try: 1 min, 2, 4, 8… capped at 6 hours.
/// Zero attempts counts as one, so a caller never waits less than a minute.
pub fn retry_delay(attempts: u32) -> chrono::Duration {
    let doublings = attempts.max(1) - 1;
    let minutes = 1_i64.checked_shl(doublings).filter(|minutes| *minutes > 0).map_or(MAX_RETRY_MINUTES, |minutes| minutes.min(MAX_RETRY_MINUTES));
    chrono::Duration::minutes(minutes)
}

fn text_body(message: &Message) -> String {
    let paragraphs = message.paragraphs.join("\n\n");
    format!("Bonjour,\n\n{paragraphs}\n\n{} : {}\n\n{SIGNATURE}\n\n{AUTOMATIC_MESSAGE}\n", message.link_label, message.link)
}

fn html_body(message: &Message) -> String {
    let paragraphs: String = message.paragraphs.iter().map(|paragraph| format!("<p>{}</p>\n", escape(paragraph))).collect();
    let link = escape(&message.link);
    let body = format!(
        "<p>Bonjour,</p>\n{paragraphs}<p><a href=\"{link}\">{}</a></p>\n\
         <p>Si le lien ne fonctionne pas, copiez cette adresse dans votre navigateur : {link}</p>\n\
         <p>{}</p>\n<p>{}</p>\n",
        escape(message.link_label),
        escape(SIGNATURE),
        escape(AUTOMATIC_MESSAGE)
    );
    html_document(&message.subject, &body)
}

/// A complete, minimal HTML document in French around an already escaped `body`.
fn html_document(subject: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n</head>\n<body>\n{body}</body>\n</html>\n",
        escape(subject)
    )
}

/// "1 minute", "15 minutes": French uses the singular for 0 and 1.
fn count(amount: u32, singular: &str, plural: &str) -> String {
    format!("{amount} {}", if amount <= 1 { singular } else { plural })
}

fn count_u32(amount: usize) -> u32 {
    u32::try_from(amount).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINK: &str = "https://partenaires.example.fr/demandes/42";

    fn every_notice() -> Vec<Notice> {
        let reference = || "EP-2026-000123".to_owned();
        let link = || LINK.to_owned();
        vec![
            Notice::NewRequest { reference: reference(), kind: "Saisine MAS".to_owned(), structure: "CCAS de Lyon".to_owned(), link: link() },
            Notice::Receipt { reference: reference(), kind: "Saisine MAS".to_owned(), answer_by: Some("08/12/2026".to_owned()), link: link() },
            Notice::RequestWithdrawn { reference: reference(), link: link() },
            Notice::PartnerReplied { reference: reference(), link: link() },
            Notice::CaisseReplied { reference: reference(), link: link() },
            Notice::MoreRequested { reference: reference(), link: link() },
            Notice::AppointmentBooked {
                reference: reference(),
                when: "mardi 24/11/2026 à 09:00".to_owned(),
                place: "Par téléphone".to_owned(),
                link: link(),
            },
            Notice::RequestClosed { reference: reference(), outcome: "Clôturée – traitée".to_owned(), link: link() },
            Notice::AppointmentMoved {
                reference: reference(),
                when: "jeudi 26/11/2026 à 10:00".to_owned(),
                place: "Accueil de Massy".to_owned(),
                link: link(),
            },
            Notice::AppointmentCancelled { reference: reference(), when: "jeudi 26/11/2026 à 10:00".to_owned(), link: link() },
            Notice::AppointmentChangeAsked { reference: reference(), when: "jeudi 26/11/2026 à 10:00".to_owned(), declined: false, link: link() },
            Notice::AppointmentChangeAsked { reference: reference(), when: "jeudi 26/11/2026 à 10:00".to_owned(), declined: true, link: link() },
            Notice::PasswordReset { link: link(), valid_minutes: 30 },
            Notice::PasswordChanged { sign_in_link: link() },
            Notice::Invitation { organisation: "CPAM du Rhône".to_owned(), link: link(), valid_hours: 72 },
            Notice::ConventionExpiring { structure: "CCAS de Lyon".to_owned(), ends_on: "31/12/2026".to_owned(), days: 30, link: link() },
        ]
    }

    fn has_reference(notice: &Notice) -> bool {
        !matches!(
            notice,
            Notice::PasswordReset { .. } | Notice::PasswordChanged { .. } | Notice::Invitation { .. } | Notice::ConventionExpiring { .. }
        )
    }

    #[test]
    fn every_notice_names_its_reference_in_the_subject_and_carries_its_link() {
        for notice in every_notice() {
            let email = notice.render();
            if has_reference(&notice) {
                assert!(email.subject.contains("EP-2026-000123"), "{notice:?}: {}", email.subject);
            }
            assert!(email.text.contains(LINK), "{notice:?}");
            assert!(email.html.contains(&format!("<a href=\"{LINK}\">")), "{notice:?}");
        }
    }

    #[test]
    fn every_body_is_polite_signed_and_says_it_is_automatic() {
        for notice in every_notice() {
            let email = notice.render();
            assert!(email.text.starts_with("Bonjour,\n\n"), "{notice:?}");
            assert!(email.text.contains(SIGNATURE));
            assert!(email.text.trim_end().ends_with(AUTOMATIC_MESSAGE));
            assert!(email.html.contains("merci de ne pas y répondre"));
        }
    }

    #[test]
    fn html_is_a_french_document() {
        for notice in every_notice() {
            let html = notice.render().html;
            assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"));
            assert!(html.contains("<meta charset=\"utf-8\">"));
            assert!(html.contains("<title>"));
            assert!(html.contains("<body>") && html.trim_end().ends_with("</body>\n</html>"));
            assert!(html.contains("<p>Bonjour,</p>"));
        }
    }

    #[test]
    fn carried_strings_are_escaped_in_html_and_verbatim_in_text() {
        let hostile = "<script>alert(\"x\")</script> & Cie";
        let email = Notice::NewRequest {
            reference: "EP-2026-000123".to_owned(),
            kind: "Saisine MAS".to_owned(),
            structure: hostile.to_owned(),
            link: "https://example.fr/?a=1&b='2'".to_owned(),
        }
        .render();
        assert!(email.text.contains(hostile));
        assert!(!email.html.contains("<script>"));
        assert!(email.html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Cie"));
        assert!(email.html.contains("href=\"https://example.fr/?a=1&amp;b=&#39;2&#39;\""));
    }

    #[test]
    fn escape_covers_the_five_html_specials() {
        assert_eq!(escape(r#"a&b<c>d"e'f"#), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
        assert_eq!(escape("Clôturée – traitée"), "Clôturée – traitée");
    }

    #[test]
    fn new_request_subject_reads_naturally() {
        let email = every_notice().remove(0).render();
        assert_eq!(email.subject, "Nouvelle demande EP-2026-000123 – Saisine MAS");
    }

    #[test]
    fn password_reset_tells_validity_single_use_and_what_if_not_asked() {
        let email = Notice::PasswordReset { link: LINK.to_owned(), valid_minutes: 30 }.render();
        assert!(email.text.contains("valable 30 minutes"));
        assert!(email.text.contains("une seule fois"));
        assert!(email.text.contains("votre mot de passe ne change pas"));
        let one_minute = Notice::PasswordReset { link: LINK.to_owned(), valid_minutes: 1 }.render();
        assert!(one_minute.text.contains("valable 1 minute "));
    }

    #[test]
    fn appointment_and_closing_show_their_details() {
        let notices = every_notice();
        let appointment = notices[6].render();
        assert!(appointment.text.contains("mardi 24/11/2026 à 09:00"));
        assert!(appointment.text.contains("Par téléphone"));
        let closed = notices[7].render();
        assert!(closed.text.contains("Clôturée – traitée"));
        let moved = notices[8].render();
        assert!(moved.subject.starts_with("Rendez-vous déplacé") && moved.text.contains("Nouvelle date : jeudi 26/11/2026 à 10:00"));
        assert!(moved.text.contains("Lieu : Accueil de Massy"));
        assert!(notices[9].render().subject.starts_with("Rendez-vous annulé"));
        let (asked, declined) = (notices[10].render(), notices[11].render());
        assert!(asked.subject.starts_with("Autre date") && asked.text.contains("reste programmé"), "{}", asked.text);
        assert!(declined.subject.contains("annulé par la structure") && declined.text.contains("créneau est libéré"), "{}", declined.text);
    }

    #[test]
    fn convention_expiry_says_when() {
        let notice =
            |days| Notice::ConventionExpiring { structure: "CCAS de Lyon".to_owned(), ends_on: "31/12/2026".to_owned(), days, link: LINK.to_owned() };
        assert!(notice(30).render().text.contains("le 31/12/2026, dans 30 jours."));
        assert!(notice(1).render().text.contains("demain"));
        assert!(notice(0).render().text.contains("aujourd'hui"));
        assert!(notice(30).render().subject.contains("CCAS de Lyon"));
    }

    #[test]
    fn security_notices_always_go_and_work_notices_follow_preferences() {
        let importances: Vec<Importance> = every_notice().iter().map(Notice::importance).collect();
        use Importance::{Security, Work};
        assert_eq!(importances, vec![Work, Work, Work, Work, Work, Work, Work, Work, Work, Work, Work, Work, Security, Security, Security, Work]);
    }

    #[test]
    fn a_receipt_gives_the_kind_and_the_date_the_caisse_answers_by() {
        let receipt = every_notice()[1].render();
        assert_eq!(receipt.subject, "Accusé de réception – demande EP-2026-000123");
        assert!(receipt.text.contains("Votre demande EP-2026-000123 (Saisine MAS) a bien été transmise à la caisse."), "{}", receipt.text);
        assert!(receipt.text.contains("au plus tard le 08/12/2026"), "{}", receipt.text);
        let undated =
            Notice::Receipt { reference: "EP-2026-000123".to_owned(), kind: "Saisine MAS".to_owned(), answer_by: None, link: LINK.to_owned() };
        assert!(!undated.render().text.contains("au plus tard"));
    }

    #[test]
    fn preference_codes_round_trip() {
        for preference in MailPreference::ALL {
            assert_eq!(MailPreference::parse(preference.code()), Ok(preference));
            assert!(!preference.label().is_empty());
        }
        assert_eq!(MailPreference::Immediate.code(), "immediate");
        assert_eq!(MailPreference::DailyDigest.code(), "daily_digest");
        assert_eq!(MailPreference::Never.code(), "never");
        assert_eq!(MailPreference::Never.label(), "Jamais (hors sécurité du compte)");
        assert_eq!(MailPreference::default(), MailPreference::Immediate);
    }

    #[test]
    fn unknown_preference_code_is_none() {
        assert!(MailPreference::parse("weekly").is_err());
        assert!(MailPreference::parse("").is_err());
        assert!(MailPreference::parse("Immediate").is_err());
    }

    #[test]
    fn digest_of_nothing_is_no_email() {
        assert_eq!(digest(&[]), None);
    }

    #[test]
    fn digest_lists_every_notice_with_its_link() {
        let notices: Vec<Notice> = (1..=3)
            .map(|number| Notice::CaisseReplied {
                reference: format!("EP-2026-00000{number}"),
                link: format!("https://partenaires.example.fr/demandes/{number}"),
            })
            .collect();
        let Some(email) = digest(&notices) else { panic!("three notices make a digest") };
        assert_eq!(email.subject, "Espace Partenaires – 3 nouveautés sur vos demandes");
        for number in 1..=3 {
            let link = format!("https://partenaires.example.fr/demandes/{number}");
            assert!(email.text.contains(&link));
            assert!(email.html.contains(&format!("<a href=\"{link}\">")));
            assert!(email.text.contains(&format!("EP-2026-00000{number}")));
        }
        assert!(email.html.contains("lang=\"fr\""));
        assert!(email.text.contains(AUTOMATIC_MESSAGE));
    }

    #[test]
    fn digest_of_one_uses_the_singular() {
        let notices = [Notice::MoreRequested { reference: "EP-2026-000001".to_owned(), link: LINK.to_owned() }];
        let Some(email) = digest(&notices) else { panic!("one notice makes a digest") };
        assert_eq!(email.subject, "Espace Partenaires – 1 nouveauté sur vos demandes");
    }

    #[test]
    fn retry_delay_doubles_from_one_minute_up_to_six_hours() {
        let minutes = |attempts| retry_delay(attempts).num_minutes();
        assert_eq!(minutes(0), 1);
        assert_eq!(minutes(1), 1);
        assert_eq!(minutes(2), 2);
        assert_eq!(minutes(3), 4);
        assert_eq!(minutes(4), 8);
        assert_eq!(minutes(9), 256);
        assert_eq!(minutes(10), 360);
        assert_eq!(minutes(64), 360);
        assert_eq!(minutes(u32::MAX), 360);
        assert_eq!(retry_delay(MAX_ATTEMPTS), chrono::Duration::minutes(128));
    }
}
