//! Demo requests for the three demo structures whose partners sign in (Évry, Grigny, Fourmies): every kind, every
//! status a partner can see, over the last two months, with their timelines and messages. Added once per structure.

use super::{ReferenceBlock, id_at, nir};
use app::domain::appointment::{AppointmentStatus, DURATION_MINUTES, Place};
use app::domain::due_date::{DueDatePolicy, add_business_days, handling_days, pauses};
use app::domain::nir::Nir;
use app::domain::request_details::{AppointmentChannel, ConsentMethod, Details, DifficultyGround, DossierType, ReachBy, Urgency};
use app::domain::request_kind::{RequestKind, RequestKinds};
use app::domain::request_lifecycle::{Resolution, Status};
use app::domain::statistics::first_answer;
use app::domain::submission::search_key;
use app::domain::teams::route;
use app::server::entities::{account, accueil, appointment, partner_structure, request, request_event, request_message, team};
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Timelike, Utc};
use chrono_tz::Europe::Paris;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use std::collections::BTreeMap;

/// An assuré of the demo. Invented people; NIRs are computed so that their key is right.
/// Phone numbers are in the ranges ARCEP keeps for fiction (01 99 00, 03 53 58, 06 39 98).
struct Person {
    last_name: &'static str,
    first_names: &'static str,
    /// 1 man, 2 woman (the NIR's first digit).
    sex: u8,
    born: (i32, u32, u32),
    /// INSEE code of the birthplace and birth-register number; `None` for someone without a NIR (an AME applicant, for
    /// instance, or someone who just arrived in France).
    birth_entry: Option<(&'static str, u16)>,
    phone: Option<&'static str>,
    address: &'static str,
}

impl Person {
    fn birth_date(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.born.0, self.born.1, self.born.2)
    }

    fn nir(&self) -> Result<Option<Nir>, DbErr> {
        self.birth_entry.map(|(place, order)| nir(self.sex, self.born.0, self.born.1, place, order)).transpose()
    }
}

/// A demo structure with its partner, the caisse agent who answers it, and the people it helps.
struct Desk {
    siret: &'static str,
    partner_email: &'static str,
    agent_email: &'static str,
    /// The language of the interpreter asked for the appointment at an accueil.
    interpreter: Option<&'static str>,
    /// One per scenario that concerns an assuré, in the order of `scenarios`.
    people: [Person; 10],
}

const fn person(
    last_name: &'static str,
    first_names: &'static str,
    sex: u8,
    born: (i32, u32, u32),
    birth_entry: Option<(&'static str, u16)>,
    phone: Option<&'static str>,
    address: &'static str,
) -> Person {
    Person { last_name, first_names, sex, born, birth_entry, phone, address }
}

const DESKS: [Desk; 3] = [
    Desk {
        siret: "26910026800011",
        partner_email: "partenaire.ccas-evry@example.org",
        agent_email: "agent.cpam91@example.org",
        interpreter: Some("vietnamien"),
        people: [
            person(
                "Martinez",
                "Lucie",
                2,
                (1958, 4, 17),
                Some(("91228", 112)),
                Some("06 39 98 73 90"),
                "4 rue du Bois Sauvage, 91000 Évry-Courcouronnes",
            ),
            person(
                "Diallo",
                "Mamadou",
                1,
                (1979, 11, 2),
                Some(("99341", 27)),
                Some("06 39 98 44 10"),
                "18 cours Blaise Pascal, 91000 Évry-Courcouronnes",
            ),
            person(
                "Nguyen",
                "Thi Lan",
                2,
                (1946, 2, 9),
                Some(("99243", 45)),
                Some("01 99 00 12 34"),
                "7 place des Terrasses de l'Agora, 91000 Évry-Courcouronnes",
            ),
            person(
                "Bensaïd",
                "Fatima",
                2,
                (1983, 9, 12),
                Some(("99352", 88)),
                Some("06 39 98 23 58"),
                "25 rue des Mazières, 91000 Évry-Courcouronnes",
            ),
            person(
                "Leroy",
                "Bernard",
                1,
                (1951, 7, 30),
                Some(("75114", 508)),
                Some("01 99 00 30 21"),
                "3 allée Jean Rostand, 91000 Évry-Courcouronnes",
            ),
            person("Morel", "Jean-Pierre Louis", 1, (1967, 5, 21), Some(("91174", 301)), None, "11 rue du Pont Amar, 91000 Évry-Courcouronnes"),
            person("Da Silva", "Ana Maria", 2, (1972, 12, 3), None, Some("06 39 98 87 66"), "9 square du Parc aux Lièvres, 91000 Évry-Courcouronnes"),
            person(
                "Roussel",
                "Gérard",
                1,
                (1949, 1, 14),
                Some(("91228", 77)),
                Some("01 99 00 41 09"),
                "2 rue Paul Claudel, 91000 Évry-Courcouronnes",
            ),
            person(
                "Kouassi",
                "Yao Emmanuel",
                1,
                (1988, 8, 8),
                Some(("99326", 154)),
                Some("06 39 98 08 92"),
                "14 boulevard de l'Europe, 91000 Évry-Courcouronnes",
            ),
            person(
                "Traoré",
                "Aminata",
                2,
                (1990, 3, 25),
                None,
                Some("06 39 98 19 03"),
                "Domiciliée au CCAS, place Guy Briantais, 91000 Évry-Courcouronnes",
            ),
        ],
    },
    Desk {
        siret: "26910028600013",
        partner_email: "partenaire.ml-grigny@example.org",
        agent_email: "agent.cpam91@example.org",
        interpreter: None,
        people: [
            person("Camara", "Moussa", 1, (2004, 6, 11), Some(("91286", 33)), Some("06 39 98 45 67"), "6 rue Vlaminck, 91350 Grigny"),
            person("Lopes", "Inès", 2, (2003, 2, 27), Some(("91286", 219)), Some("06 39 98 18 42"), "21 avenue des Sablons, 91350 Grigny"),
            person("Bertrand", "Kevin", 1, (2001, 10, 5), Some(("91377", 412)), Some("06 39 98 90 11"), "1 rue Pierre Brossolette, 91350 Grigny"),
            person(
                "Sylla",
                "Aïssatou",
                2,
                (2005, 1, 19),
                Some(("99330", 64)),
                Some("06 39 98 86 37"),
                "Foyer de jeunes travailleurs, 5 rue du Minotaure, 91350 Grigny",
            ),
            person("Hamidi", "Yanis", 1, (2006, 7, 3), Some(("91228", 95)), Some("06 39 98 59 04"), "30 route de Corbeil, 91350 Grigny"),
            person("Pereira", "Léa", 2, (2002, 11, 14), Some(("91174", 188)), Some("06 39 98 72 25"), "12 rue Henri Rol-Tanguy, 91350 Grigny"),
            person("N'Diaye", "Ousmane", 1, (2000, 9, 30), None, Some("06 39 98 21 70"), "8 place Henri Barbusse, 91350 Grigny"),
            person("Fontaine", "Chloé", 2, (2004, 4, 22), Some(("91286", 301)), Some("06 39 98 66 83"), "4 allée du Petit Pont, 91350 Grigny"),
            person("Ekani", "Junior Paul", 1, (2003, 12, 1), Some(("99322", 57)), Some("06 39 98 30 16"), "17 rue de la Plaine, 91350 Grigny"),
            person("Osmani", "Arta", 2, (2005, 5, 16), None, Some("06 39 98 77 29"), "Hébergée chez un tiers, 2 rue du Minotaure, 91350 Grigny"),
        ],
    },
    Desk {
        siret: "26591023400011",
        partner_email: "partenaire.fs-fourmies@example.org",
        agent_email: "agent.cpam59@example.org",
        interpreter: None,
        people: [
            person("Dubois", "Monique", 2, (1944, 3, 8), Some(("59249", 14)), Some("03 53 58 41 18"), "15 rue Jean Jaurès, 59610 Fourmies"),
            person("Lefebvre", "Didier", 1, (1963, 10, 21), Some(("59392", 230)), Some("06 39 98 52 30"), "42 rue de Wignehies, 59610 Fourmies"),
            person(
                "Delattre",
                "Jeanine",
                2,
                (1939, 6, 2),
                Some(("59036", 71)),
                Some("03 53 58 02 66"),
                "Résidence Les Tilleuls, 3 rue Saint-Louis, 59610 Fourmies",
            ),
            person("Waroquier", "Steve", 1, (1985, 2, 14), Some(("59249", 118)), Some("06 39 98 93 15"), "8 rue des Verriers, 59610 Fourmies"),
            person("Carpentier", "Sandrine", 2, (1976, 8, 29), Some(("02381", 66)), Some("06 39 98 87 04"), "27 avenue Léo Lagrange, 59610 Fourmies"),
            person("Pottier", "Jean-Marie", 1, (1955, 12, 24), Some(("59606", 402)), None, "5 place Verte, 59610 Fourmies"),
            person("Hadj", "Nora", 2, (1981, 7, 7), None, Some("06 39 98 26 91"), "2 rue Gambetta, 59610 Fourmies"),
            person("Vandenbussche", "Patrick", 1, (1960, 1, 31), Some(("59350", 515)), Some("03 53 58 84 22"), "31 rue Pasteur, 59610 Fourmies"),
            person(
                "Boulanger",
                "Mélanie",
                2,
                (1992, 5, 5),
                Some(("59249", 207)),
                Some("06 39 98 10 58"),
                "19 rue du Général de Gaulle, 59610 Fourmies",
            ),
            person("Moreira", "Rosa", 2, (1970, 9, 18), None, Some("06 39 98 60 12"), "10 rue Saint-Pierre, 59610 Fourmies"),
        ],
    },
];

/// Who acts: the structure's partner or the caisse's agent.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Partner,
    Caisse,
}

/// A step of the timeline after the submission, `after` its creation.
struct Step {
    after: Duration,
    side: Side,
    action: &'static str,
    to: Status,
    note: Option<String>,
}

/// A message on the thread, `after` the creation; `internal` notes are the caisse's own and never shown to partners.
struct Message {
    after: Duration,
    side: Side,
    internal: bool,
    body: &'static str,
}

/// One demo request: what was asked, how long ago, and what happened to it since.
struct Scenario {
    kind: RequestKind,
    age: Duration,
    /// Typed by the partner for a contact; the other forms have a fixed subject.
    subject: &'static str,
    body: &'static str,
    details: Details,
    with_person: bool,
    steps: Vec<Step>,
    messages: Vec<Message>,
}

impl Scenario {
    fn status(&self) -> Status {
        self.steps.last().map_or(Status::Submitted, |s| s.to)
    }

    /// The subject as the submission forms store it.
    fn subject(&self) -> String {
        match &self.details {
            Details::Contact => self.subject.to_owned(),
            Details::MasReferral { .. } => "Signalement d'une situation de difficulté (saisine MAS)".to_owned(),
            Details::Appointment { .. } => "Demande de rendez-vous".to_owned(),
            Details::DossierStudy { dossier_type, .. } => format!("Étude de dossier – {}", dossier_type.label()),
        }
    }
}

fn step(after: Duration, side: Side, action: &'static str, to: Status, note: Option<&str>) -> Step {
    Step { after, side, action, to, note: note.map(str::to_owned) }
}

fn take(after: Duration) -> Step {
    step(after, Side::Caisse, "take", Status::InProgress, None)
}

fn close(after: Duration, resolution: Resolution, note: &str) -> Step {
    step(after, Side::Caisse, "close", Status::Closed(resolution), Some(note))
}

fn message(after: Duration, side: Side, internal: bool, body: &'static str) -> Message {
    Message { after, side, internal, body }
}

fn checklist(dossier_type: DossierType, count: usize) -> Vec<String> {
    dossier_type.checklist().iter().take(count).map(|d| (*d).to_owned()).collect()
}

/// The requests of one structure, newest first; `accueil` is where the desk appointment takes place, `interpreter` the
/// language asked for it.
fn scenarios(accueil: Option<(String, String)>, interpreter: Option<&str>, now: DateTime<Utc>, desk: usize) -> Vec<Scenario> {
    let (h, d) = (Duration::hours, Duration::days);
    let at_accueil = accueil.map_or(AppointmentChannel::Phone, |(id, name)| AppointmentChannel::Accueil { id, name });
    let phone_appointment = demo_appointment_start(now, desk).with_timezone(&Paris).format("%d/%m/%Y à %H:%M");
    vec![
        Scenario {
            kind: RequestKind::Contact,
            age: h(3),
            subject: "Courrier de relance incompris",
            body: "Bonjour, la personne que nous accompagnons a reçu un courrier lui demandant un justificatif sous quinze \
                   jours. Pouvez-vous nous préciser quelle pièce fournir et à quelle adresse l'envoyer ? Merci.",
            details: Details::Contact,
            with_person: true,
            steps: vec![],
            messages: vec![],
        },
        Scenario {
            kind: RequestKind::MasReferral,
            age: h(29),
            subject: "",
            body: "Renoncement à des soins dentaires depuis deux ans faute de complémentaire santé : les droits à la C2S ont \
                   pris fin au printemps sans être renouvelés. Personne isolée, sans accès à internet.",
            details: Details::MasReferral {
                grounds: vec![DifficultyGround::CareRenunciation, DifficultyGround::AccessToRights],
                other_ground: None,
                urgency: Urgency::Urgent,
                reach_by: ReachBy::Phone,
                reach_when: "En semaine, plutôt le matin avant 11 h".to_owned(),
            },
            with_person: true,
            steps: vec![],
            messages: vec![],
        },
        Scenario {
            kind: RequestKind::Appointment,
            age: d(3) + h(4),
            subject: "",
            body: "Carte Vitale perdue et changement d'adresse à déclarer : la personne lit difficilement le français et \
                   souhaite un rendez-vous avec un conseiller pour faire le point sur son dossier.",
            details: Details::Appointment {
                channel: at_accueil,
                availability: "Le lundi ou le jeudi après-midi".to_owned(),
                interpreter_language: interpreter.map(str::to_owned),
                accessibility: false,
                accompanied: true,
            },
            with_person: true,
            steps: vec![take(h(20))],
            messages: vec![message(
                h(22),
                Side::Caisse,
                true,
                "Note interne : une demande de carte Vitale est déjà en cours de fabrication, vérifier l'adresse avant de l'annuler.",
            )],
        },
        Scenario {
            kind: RequestKind::DossierStudy,
            age: d(6) + h(2),
            subject: "",
            body: "Foyer de trois personnes, ressources en forte baisse depuis la perte d'un emploi en juin.",
            details: Details::DossierStudy { dossier_type: DossierType::C2s, other_type: None, documents_provided: checklist(DossierType::C2s, 3) },
            with_person: true,
            steps: vec![take(h(18)), step(h(26), Side::Caisse, "ask_partner", Status::AwaitingPartner, Some("Avis d'imposition manquant."))],
            messages: vec![message(
                h(26),
                Side::Caisse,
                false,
                "Bonjour, pour instruire la demande de Complémentaire santé solidaire, il nous manque le dernier avis \
                 d'imposition (ou de non-imposition) du foyer. Pouvez-vous nous le transmettre en réponse à ce message ? Merci.",
            )],
        },
        Scenario {
            kind: RequestKind::Appointment,
            age: d(9),
            subject: "",
            body: "Des remboursements de soins sont en attente depuis plusieurs mois ; la personne n'a pas de compte ameli \
                   et souhaite qu'un conseiller l'appelle pour faire le point.",
            details: Details::Appointment {
                channel: AppointmentChannel::Phone,
                availability: "Tous les jours sauf le mercredi, de 9 h à 17 h".to_owned(),
                interpreter_language: None,
                accessibility: false,
                accompanied: false,
            },
            with_person: true,
            steps: vec![
                take(d(1)),
                step(
                    d(2),
                    Side::Caisse,
                    "schedule_appointment",
                    Status::AppointmentScheduled,
                    Some(&format!("Rendez-vous téléphonique le {phone_appointment}.")),
                ),
            ],
            messages: vec![],
        },
        Scenario {
            kind: RequestKind::MasReferral,
            age: d(15),
            subject: "",
            body: "Personne hébergée chez un tiers après une séparation, sans médecin traitant, suivi irrégulier d'un diabète.",
            details: Details::MasReferral {
                grounds: vec![DifficultyGround::ComplexSocialSituation],
                other_ground: None,
                urgency: Urgency::Normal,
                reach_by: ReachBy::ThroughPartner,
                reach_when: "Lors de ses passages à la structure, le mardi matin".to_owned(),
            },
            with_person: true,
            steps: vec![take(h(20)), close(d(5), Resolution::Resolved, "Entretien réalisé : médecin traitant déclaré, droits à la C2S ouverts.")],
            messages: vec![],
        },
        Scenario {
            kind: RequestKind::DossierStudy,
            age: d(24),
            subject: "",
            body: "Première demande de PUMa : la personne réside en France depuis huit mois et n'a jamais été affiliée.",
            details: Details::DossierStudy { dossier_type: DossierType::Puma, other_type: None, documents_provided: checklist(DossierType::Puma, 2) },
            with_person: true,
            steps: vec![
                take(d(1)),
                step(d(2), Side::Caisse, "ask_partner", Status::AwaitingPartner, Some("Justificatif de domicile manquant.")),
                step(d(4), Side::Partner, "answer_caisse", Status::InProgress, None),
                close(d(9), Resolution::Resolved, "Affiliation enregistrée ; l'attestation de droits a été envoyée par courrier."),
            ],
            messages: vec![
                message(
                    d(2),
                    Side::Caisse,
                    false,
                    "Bonjour, il manque un justificatif de domicile ou une attestation d'élection de domicile. Merci de nous le transmettre.",
                ),
                message(
                    d(4),
                    Side::Partner,
                    false,
                    "Bonjour, l'attestation d'élection de domicile délivrée par notre structure a été remise à l'accueil ce matin.",
                ),
            ],
        },
        Scenario {
            kind: RequestKind::Contact,
            age: d(31),
            subject: "Aide au logement refusée",
            body: "La personne ne comprend pas le refus de son aide personnalisée au logement. Pouvez-vous regarder son dossier ?",
            details: Details::Contact,
            with_person: true,
            steps: vec![
                take(d(2)),
                close(d(2) + h(1), Resolution::RejectedOutOfScope, "Question relevant de la CAF (aide au logement) : la structure a été réorientée."),
            ],
            messages: vec![],
        },
        Scenario {
            kind: RequestKind::Appointment,
            age: d(38),
            subject: "",
            body: "Demande de rendez-vous pour faire le point sur les remboursements de soins infirmiers.",
            details: Details::Appointment {
                channel: AppointmentChannel::Phone,
                availability: "Le vendredi matin".to_owned(),
                interpreter_language: None,
                accessibility: true,
                accompanied: false,
            },
            with_person: true,
            steps: vec![close(h(21), Resolution::Duplicate, "Même demande déjà enregistrée la veille pour la même personne.")],
            messages: vec![],
        },
        Scenario {
            kind: RequestKind::DossierStudy,
            age: d(45),
            subject: "",
            body: "Renouvellement de l'AME arrivant à échéance le mois prochain.",
            details: Details::DossierStudy {
                dossier_type: DossierType::AmeRenewal,
                other_type: None,
                documents_provided: checklist(DossierType::AmeRenewal, 4),
            },
            with_person: true,
            steps: vec![step(
                h(5),
                Side::Partner,
                "withdraw",
                Status::Withdrawn,
                Some("Le dossier a finalement été déposé directement à l'accueil de la caisse."),
            )],
            messages: vec![],
        },
        Scenario {
            kind: RequestKind::Contact,
            age: d(58),
            subject: "Nouvelle référente de la structure",
            body: "Bonjour, nous vous informons de l'arrivée d'une nouvelle référente Espace Partenaires dans notre structure. \
                   Faut-il prévoir une session de formation avec la caisse ?",
            details: Details::Contact,
            with_person: false,
            steps: vec![take(d(1)), close(d(1) + h(1), Resolution::Resolved, "Réponse apportée sur le fil de la demande.")],
            messages: vec![message(
                d(1),
                Side::Caisse,
                false,
                "Bonjour, oui : la formation est obligatoire avant tout envoi de demande. Votre administrateur de caisse vous \
                 proposera une date dans les prochains jours.",
            )],
        },
    ]
}

/// `at`, or earlier the same afternoon (or the afternoon before) when it falls outside office hours (8 h – 17 h UTC):
/// partners send requests while at work. Only ever earlier, so the timeline stays in the past.
/// When a demo structure's telephone appointment takes place: on the first business day at least five days on,
/// at 10:30 (Paris) for the first structure, half an hour later for each next one (their agent is the same).
fn demo_appointment_start(now: DateTime<Utc>, desk: usize) -> DateTime<Utc> {
    let mut day = now.with_timezone(&Paris).date_naive() + Duration::days(5);
    while !app::domain::due_date::is_business_day(day) {
        day += Duration::days(1);
    }
    day.and_hms_opt(10, 30, 0)
        .map(|start| start + Duration::minutes(30 * i64::try_from(desk).unwrap_or(0)))
        .and_then(|start| Paris.from_local_datetime(&start).single())
        .map_or(now + Duration::days(5), |start| start.with_timezone(&Utc))
}

fn office_hours(at: DateTime<Utc>) -> DateTime<Utc> {
    match at.hour() {
        hour @ 0..8 => at - Duration::hours(i64::from(hour) + 8),
        hour @ 17.. => at - Duration::hours(i64::from(hour) - 16),
        _ => at,
    }
}

/// Someone who appears in a timeline: account id and the name shown.
struct Actor {
    id: String,
    label: String,
}

async fn actor(db: &DatabaseConnection, email: &str) -> Result<Option<Actor>, DbErr> {
    Ok(account::Entity::find()
        .filter(account::Column::Email.eq(email))
        .one(db)
        .await?
        .map(|a| Actor { id: a.id, label: format!("{} {}", a.first_name, a.last_name) }))
}

/// A request ready to insert, but for its reference.
struct Planned {
    created_at: DateTime<Utc>,
    request: request::ActiveModel,
    events: Vec<request_event::ActiveModel>,
    messages: Vec<request_message::ActiveModel>,
    appointment: Option<appointment::ActiveModel>,
}

#[allow(clippy::too_many_arguments)]
fn plan(
    scenario: &Scenario,
    person: Option<&Person>,
    consent_method: ConsentMethod,
    structure: &partner_structure::Model,
    partner: &Actor,
    agent: &Actor,
    teams: &[(String, RequestKinds)],
    created_at: DateTime<Utc>,
    now: DateTime<Utc>,
    desk: usize,
) -> Result<Planned, DbErr> {
    let id = id_at(created_at);
    let who = |side: Side| if side == Side::Partner { partner } else { agent };
    let mut events = vec![request_event::ActiveModel {
        id: Set(id_at(created_at)),
        request_id: Set(id.clone()),
        occurred_at: Set(created_at),
        actor_id: Set(Some(partner.id.clone())),
        actor_label: Set(partner.label.clone()),
        action: Set("submit".to_owned()),
        from_status: Set(None),
        to_status: Set(Status::Submitted),
        note: Set(None),
    }];
    let mut from = Status::Submitted;
    for step in &scenario.steps {
        let at = created_at + step.after;
        events.push(request_event::ActiveModel {
            id: Set(id_at(at)),
            request_id: Set(id.clone()),
            occurred_at: Set(at),
            actor_id: Set(Some(who(step.side).id.clone())),
            actor_label: Set(who(step.side).label.clone()),
            action: Set(step.action.to_owned()),
            from_status: Set(Some(from)),
            to_status: Set(step.to),
            note: Set(step.note.clone()),
        });
        from = step.to;
    }
    let messages: Vec<_> = scenario
        .messages
        .iter()
        .map(|m| {
            let at = created_at + m.after;
            request_message::ActiveModel {
                id: Set(id_at(at)),
                request_id: Set(id.clone()),
                author_id: Set(who(m.side).id.clone()),
                author_label: Set(who(m.side).label.clone()),
                from_caisse: Set(m.side == Side::Caisse),
                internal: Set(m.internal),
                body: Set(m.body.to_owned()),
                created_at: Set(at),
            }
        })
        .collect();
    let last_move = created_at + scenario.steps.last().map_or(Duration::zero(), |s| s.after);
    let status = scenario.status();
    let details = serde_json::to_string(&scenario.details).map_err(|e| DbErr::Custom(format!("demo request details: {e}")))?;
    let taken = scenario.steps.iter().any(|s| s.action == "take");
    let day = |at: DateTime<Utc>| at.with_timezone(&Paris).date_naive();
    let sent = day(created_at);
    let due_on = add_business_days(sent, DueDatePolicy::default().days_for(scenario.kind));
    let answered_at = scenario
        .steps
        .iter()
        .filter(|s| s.side == Side::Caisse && s.to.answers_partner())
        .map(|s| created_at + s.after)
        .chain(scenario.messages.iter().filter(|m| m.side == Side::Caisse && !m.internal).map(|m| created_at + m.after))
        .min();
    let answer = answered_at.map(|at| first_answer(sent, day(at), Some(due_on)));
    let timeline = std::iter::once((sent, Status::Submitted)).chain(scenario.steps.iter().map(|s| (day(created_at + s.after), s.to)));
    let closing_days = matches!(status, Status::Closed(_)).then(|| handling_days(sent, &pauses(timeline), day(last_move)) as i32);
    let request = request::ActiveModel {
        id: Set(id),
        reference: NotSet,
        kind: Set(scenario.kind),
        dossier_type: Set(match &scenario.details {
            Details::DossierStudy { dossier_type, .. } => Some(*dossier_type),
            _ => None,
        }),
        subject: Set(scenario.subject()),
        body: Set(scenario.body.to_owned()),
        details: Set(details),
        mas_grounds: Set(scenario.details.grounds_key()),
        status: Set(status),
        caisse_id: Set(structure.caisse_id.clone()),
        structure_id: Set(structure.id.clone()),
        author_id: Set(partner.id.clone()),
        assignee_id: Set(taken.then(|| agent.id.clone())),
        team_id: Set(route(scenario.kind, teams).map(str::to_owned)),
        due_on: Set(Some(due_on)),
        due_budget_days: Set(Some(DueDatePolicy::default().days_for(scenario.kind) as i32)),
        beneficiary_last_name: Set(person.map(|p| p.last_name.to_owned())),
        beneficiary_first_names: Set(person.map(|p| p.first_names.to_owned())),
        beneficiary_birth_date: Set(person.and_then(Person::birth_date)),
        beneficiary_nir: Set(person.map(Person::nir).transpose()?.flatten()),
        beneficiary_phone: Set(person.and_then(|p| p.phone.map(str::to_owned))),
        beneficiary_address: Set(person.map(|p| p.address.to_owned())),
        beneficiary_search: Set(person.map(|p| search_key(&format!("{} {}", p.last_name, p.first_names)))),
        consent_method: Set(person.map(|_| consent_method)),
        consent_recorded_at: Set(person.map(|_| created_at)),
        created_at: Set(created_at),
        updated_at: Set(scenario.messages.iter().map(|m| created_at + m.after).chain([last_move]).max().unwrap_or(last_move)),
        closed_at: Set((!status.is_open()).then_some(last_move)),
        first_answer_at: Set(answered_at),
        first_answer_days: Set(answer.map(|(days, _)| days as i32)),
        answered_on_time: Set(answer.map(|(_, on_time)| on_time)),
        closing_days: Set(closing_days),
        purged_at: Set(None),
    };
    let appointment = (status == Status::AppointmentScheduled).then(|| {
        let start = demo_appointment_start(now, desk);
        appointment::ActiveModel {
            id: Set(id_at(last_move)),
            request_id: request.id.clone(),
            caisse_id: Set(structure.caisse_id.clone()),
            accueil_id: Set(None),
            starts_at: Set(start),
            duration_minutes: Set(DURATION_MINUTES as i32),
            status: Set(AppointmentStatus::Confirmed),
            slot_key: Set(Some(Place::Phone(agent.id.clone()).slot_key(start.with_timezone(&Paris).naive_local()))),
            instructions: Set("La caisse appellera l'assuré au numéro indiqué dans la demande.".to_owned()),
            sequence: Set(0),
            change_note: Set(None),
            created_by: Set(agent.id.clone()),
            created_at: Set(last_move),
            updated_at: Set(last_move),
        }
    });
    Ok(Planned { created_at, request, events, messages, appointment })
}

/// Adds the demo requests of each demo structure that has none yet; returns how many rows were added.
pub(super) async fn demo_requests(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let mut planned = vec![];
    for (index, desk) in DESKS.iter().enumerate() {
        let Some(structure) = partner_structure::Entity::find().filter(partner_structure::Column::Siret.eq(desk.siret)).one(db).await? else {
            continue;
        };
        if request::Entity::find().filter(request::Column::StructureId.eq(&structure.id)).count(db).await? > 0 {
            continue;
        }
        let (Some(partner), Some(agent)) = (actor(db, desk.partner_email).await?, actor(db, desk.agent_email).await?) else {
            continue;
        };
        let accueil = accueil::Entity::find()
            .filter(accueil::Column::CaisseId.eq(&structure.caisse_id))
            .filter(accueil::Column::Active.eq(true))
            .order_by_asc(accueil::Column::Name)
            .one(db)
            .await?
            .map(|a| (a.id, a.name));
        let teams: Vec<(String, RequestKinds)> = team::Entity::find()
            .filter(team::Column::CaisseId.eq(&structure.caisse_id))
            .order_by_asc(team::Column::Name)
            .all(db)
            .await?
            .into_iter()
            .map(|t| (t.id, t.kinds))
            .collect();
        let mut people = desk.people.iter();
        // Each structure a few hours apart, so that the three histories do not look copied.
        let shift = Duration::hours(5 * i64::try_from(index).unwrap_or(0));
        for (n, scenario) in scenarios(accueil.clone(), desk.interpreter, now, index).iter().enumerate() {
            let person = if scenario.with_person { people.next() } else { None };
            let consent = if n % 2 == 0 { ConsentMethod::Oral } else { ConsentMethod::Written };
            let created_at = office_hours(now - scenario.age - shift);
            planned.push(plan(scenario, person, consent, &structure, &partner, &agent, &teams, created_at, now, index)?);
        }
    }
    if planned.is_empty() {
        return Ok(0);
    }

    // References follow the order of creation, numbered within each year.
    planned.sort_by_key(|p| p.created_at);
    let txn = db.begin().await?;
    let mut per_year: BTreeMap<i32, u32> = BTreeMap::new();
    for p in &planned {
        *per_year.entry(p.created_at.year()).or_default() += 1;
    }
    let mut blocks = BTreeMap::new();
    for (year, count) in per_year {
        blocks.insert(year, ReferenceBlock::reserve(&txn, year, count).await?);
    }
    let (mut requests, mut events, mut messages, mut appointments) = (vec![], vec![], vec![], vec![]);
    for mut p in planned {
        let block = blocks.get_mut(&p.created_at.year()).ok_or_else(|| DbErr::Custom("no reference block for the year".to_owned()))?;
        p.request.reference = Set(block.take());
        requests.push(p.request);
        events.extend(p.events);
        messages.extend(p.messages);
        appointments.extend(p.appointment);
    }
    let added = requests.len() + events.len() + messages.len() + appointments.len();
    request::Entity::insert_many(requests).exec_without_returning(&txn).await?;
    request_event::Entity::insert_many(events).exec_without_returning(&txn).await?;
    request_message::Entity::insert_many(messages).exec_without_returning(&txn).await?;
    if !appointments.is_empty() {
        appointment::Entity::insert_many(appointments).exec_without_returning(&txn).await?;
    }
    txn.commit().await?;
    Ok(u64::try_from(added).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_assure_has_a_valid_birth_date_and_nir_and_names_fold_for_search() {
        for desk in &DESKS {
            for person in &desk.people {
                assert!(person.birth_date().is_some(), "{}", person.last_name);
                assert!(person.nir().is_ok(), "{}", person.last_name);
            }
            assert!(desk.people.iter().any(|p| matches!(p.nir(), Ok(None))), "some assurés have no NIR");
        }
        assert_eq!(search_key("N'Diaye Ousmane"), "N DIAYE OUSMANE");
    }

    #[test]
    fn demo_requests_are_created_in_office_hours_and_never_later() {
        let start = DateTime::parse_from_rfc3339("2026-11-22T00:30:00Z").map(|t| t.with_timezone(&Utc)).expect("a valid date");
        for quarter in 0..96 {
            let at = start + Duration::minutes(15 * quarter);
            let moved = office_hours(at);
            assert!(moved <= at && at - moved < Duration::hours(16), "{at}");
            assert!((8..17).contains(&moved.hour()), "{at} -> {moved}");
        }
    }

    #[test]
    fn the_scenarios_cover_every_kind_and_every_status_a_partner_sees_along_allowed_paths() {
        use app::domain::request_lifecycle::{Action, transition};
        use app::domain::role::Role;
        let now = DateTime::parse_from_rfc3339("2026-11-22T10:00:00Z").map(|t| t.with_timezone(&Utc)).expect("a valid date");
        let scenarios = scenarios(None, Some("tamoul"), now, 0);
        for kind in RequestKind::ALL {
            assert!(scenarios.iter().any(|s| s.kind == kind), "{kind:?}");
        }
        let visible = Status::ALL.into_iter();
        for status in visible {
            assert!(scenarios.iter().any(|s| s.status() == status), "{status:?}");
        }
        assert_eq!(scenarios.iter().filter(|s| s.with_person).count(), DESKS[0].people.len());
        for scenario in &scenarios {
            let mut status = Status::Submitted;
            let mut last = Duration::zero();
            for step in &scenario.steps {
                assert_eq!(Status::parse(step.to.code()), Ok(step.to));
                let action = match step.action {
                    "take" => Action::Take,
                    "ask_partner" => Action::AskPartner,
                    "answer_caisse" => Action::AnswerCaisse,
                    "schedule_appointment" => Action::ScheduleAppointment,
                    "withdraw" => Action::Withdraw,
                    "close" => match step.to {
                        Status::Closed(resolution) => Action::Close(resolution),
                        other => panic!("close to {other:?}"),
                    },
                    other => panic!("unknown action {other}"),
                };
                let role = if step.side == Side::Partner { Role::PartnerAgent } else { Role::CaisseAgent };
                assert_eq!(transition(status, action, role), Ok(step.to), "{}", scenario.body);
                assert!(step.after >= last && step.after < scenario.age, "steps in order and in the past: {}", scenario.body);
                (status, last) = (step.to, step.after);
            }
            assert!(scenario.messages.iter().all(|m| m.after < scenario.age));
            if scenario.status() == Status::AwaitingPartner {
                assert!(scenario.messages.iter().any(|m| m.side == Side::Caisse && !m.internal), "the caisse says what it awaits");
            }
        }
        assert!(scenarios.iter().any(|s| s.messages.iter().any(|m| m.internal)), "one internal note");
    }
}
