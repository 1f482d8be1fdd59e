//! The demo accounts under one name each, and fixture builders for what a test needs beyond them: a structure
//! with its convention, partner agents, caisse agents and admins, teams, canned replies and requests in any status,
//! written through the app's sea-orm entities next to the demo data that `TestApp::spawn` seeds (the CPAM de
//! l'Essonne "091" and the CPAM du Hainaut "059" with their teams and accueils). Each builder returns what the
//! test reads back: ids, references, e-mails. Every account built here signs in with `support::PASSWORD`.
//!
//! ```ignore
//! let structure = structure("CCAS de Massy").convention(Convention::active().kinds(&[RequestKind::Contact])).create(&app).await;
//! let partner = partner(&structure).create(&app).await; // trained; `.untrained()` for one who is not
//! let agent = caisse_agent("091").team("Accueil").create(&app).await;
//! let asked = request(&partner).kind(RequestKind::MasReferral).status(Status::AwaitingPartner).create(&app).await;
//! let browser = app.signed_in(&partner.email).await;
//! ```
//!
//! The two scenarios at the end check that what the builders write is what the app reads.

use crate::on_both_databases;
use crate::support::{Db, PASSWORD, TestApp, main_text};
use app::domain::appointment::{AppointmentStatus, DURATION_MINUTES, Place};
use app::domain::convention::ConventionStatus;
use app::domain::due_date::{DueDatePolicy, add_business_days, is_business_day};
use app::domain::nir::Nir;
use app::domain::notice::MailPreference;
use app::domain::request_details::{AppointmentChannel, ConsentMethod, Details, DifficultyGround, DossierType, ReachBy, Urgency};
use app::domain::request_kind::{RequestKind, RequestKinds};
use app::domain::request_lifecycle::{Resolution, Status};
use app::domain::role::Role;
use app::domain::siret::Siret;
use app::domain::structure_kind::StructureKind;
use app::domain::submission::search_key;
use app::domain::teams::route;
use app::server::auth::password::PasswordHash;
use app::server::entities::{
    account, appointment, caisse, canned_reply, convention, partner_structure, request, request_event, request_message, team,
};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::sync::atomic::{AtomicU32, Ordering};

on_both_databases!(each_convention_built_gates_the_partner_as_the_app_says, each_request_built_reads_as_the_app_shows_its_status,);

// ---- The demo accounts (`app::server::seed::DEMO_ACCOUNTS`), all signing in with `support::PASSWORD` ----

/// Admin of the CPAM de l'Essonne ("091").
pub const ADMIN_91: &str = "admin.cpam91@example.org";
/// Admin of the CPAM du Hainaut ("059").
pub const ADMIN_59: &str = "admin.cpam59@example.org";
/// National admin: every caisse.
pub const NATIONAL: &str = "admin.national@example.org";
/// Agent of the CPAM de l'Essonne, team Accueil (contacts and appointments).
pub const AGENT_91: &str = "agent.cpam91@example.org";
/// Agent of the CPAM de l'Essonne, team Mission Accompagnement Santé (MAS referrals).
pub const MAS_AGENT_91: &str = "agent.mas91@example.org";
/// Agent of the CPAM du Hainaut, in no team.
pub const AGENT_59: &str = "agent.cpam59@example.org";
/// Partner at the CCAS d'Évry-Courcouronnes (Essonne): convention active, trained.
pub const PARTNER: &str = "partenaire.ccas-evry@example.org";
/// `PARTNER`'s colleague at the CCAS d'Évry-Courcouronnes, whose training is not recorded.
pub const NEWCOMER: &str = "partenaire.nouveau@example.org";
/// Partner at the Mission locale de Grigny (Essonne): convention active, trained.
pub const GRIGNY: &str = "partenaire.ml-grigny@example.org";
/// Partner at France services de Fourmies (Hainaut): convention active, trained.
pub const FOURMIES: &str = "partenaire.fs-fourmies@example.org";
/// Partner at the Secours populaire de Corbeil-Essonnes, whose convention is suspended.
pub const SUSPENDED: &str = "partenaire.suspendu@example.org";
/// SIRET of the CCAS d'Évry-Courcouronnes.
pub const EVRY_SIRET: &str = "26910026800011";

// ---- Reading back ----

/// The id of the account with this e-mail.
pub async fn account_id(app: &TestApp, email: &str) -> String {
    account(app, email).await.id
}

/// The id of the structure with this SIRET.
pub async fn structure_id(app: &TestApp, siret: &str) -> String {
    app.text(&format!("SELECT id FROM partner_structures WHERE siret = '{siret}'")).await
}

/// The id of the caisse with this code ("091", "059").
pub async fn caisse_id(app: &TestApp, code: &str) -> String {
    caisse::Entity::find()
        .filter(caisse::Column::Code.eq(code))
        .one(&app.state.db)
        .await
        .expect("read the caisses")
        .unwrap_or_else(|| panic!("no caisse {code} in the demo data"))
        .id
}

/// An account (a demo one, or one built here), to write requests as or assign them to.
pub async fn account(app: &TestApp, email: &str) -> Account {
    let model = account::Entity::find()
        .filter(account::Column::Email.eq(email))
        .one(&app.state.db)
        .await
        .expect("read the accounts")
        .unwrap_or_else(|| panic!("no account {email}"));
    Account::from(model)
}

/// Deactivates the account with this e-mail, as if an admin had (without going through the admin's page).
pub async fn deactivate(app: &TestApp, email: &str) {
    let model = account::Entity::find().filter(account::Column::Email.eq(email)).one(&app.state.db).await.expect("read").expect("the account");
    let mut active: account::ActiveModel = model.into();
    active.active = Set(false);
    active.update(&app.state.db).await.expect("deactivate the account");
}

// ---- Building ----

/// A number no other fixture of this run has: unique e-mails, names and SIRETs.
fn unique() -> u32 {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

fn today() -> NaiveDate {
    app::server::time_fr::paris_day(Utc::now())
}

/// A valid SIRET (Luhn key) that no demo structure has.
fn fresh_siret() -> String {
    let body = format!("99{:011}", unique());
    let sum: u32 = body
        .chars()
        .rev()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

/// The state of a structure's convention; dates are relative to today, as in the demo data.
#[derive(Clone, Debug)]
pub struct Convention {
    status: ConventionStatus,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    kinds: Vec<RequestKind>,
    reason: Option<String>,
}

impl Convention {
    fn with(status: ConventionStatus, starts_in: i64, ends_in: Option<i64>) -> Convention {
        Convention {
            status,
            starts_on: today() + Duration::days(starts_in),
            ends_on: ends_in.map(|days| today() + Duration::days(days)),
            kinds: RequestKind::ALL.to_vec(),
            reason: None,
        }
    }

    /// In force: started 400 days ago, ends in 700 days, opens every function.
    pub fn active() -> Convention {
        Convention::with(ConventionStatus::Active, -400, Some(700))
    }

    /// Suspended by the caisse, with its reason; not yet ended.
    pub fn suspended() -> Convention {
        Convention {
            reason: Some("Accès suspendu dans l'attente d'un référent formé.".to_owned()),
            ..Convention::with(ConventionStatus::Suspended, -300, Some(400))
        }
    }

    /// Ended 35 days ago.
    pub fn expired() -> Convention {
        Convention::with(ConventionStatus::Expired, -1130, Some(-35))
    }

    /// Signed, in force in 30 days.
    pub fn signed() -> Convention {
        Convention::with(ConventionStatus::Signed, 30, Some(1125))
    }

    /// Being drafted, not signed.
    pub fn draft() -> Convention {
        Convention::with(ConventionStatus::Draft, 60, None)
    }

    pub fn starting(self, on: NaiveDate) -> Convention {
        Convention { starts_on: on, ..self }
    }

    pub fn ending(self, on: NaiveDate) -> Convention {
        Convention { ends_on: Some(on), ..self }
    }

    /// Opens only these functions.
    /// Without an end date.
    pub fn open_ended(self) -> Convention {
        Convention { ends_on: None, ..self }
    }

    pub fn kinds(self, kinds: &[RequestKind]) -> Convention {
        Convention { kinds: kinds.to_vec(), ..self }
    }

    /// Adds it to an existing structure (of caisse `caisse_id`); returns its id.
    pub async fn create_for(self, app: &TestApp, structure_id: &str, caisse_id: &str) -> String {
        let now = Utc::now();
        convention::ActiveModel {
            id: Set(new_id()),
            structure_id: Set(structure_id.to_owned()),
            caisse_id: Set(caisse_id.to_owned()),
            status: Set(self.status),
            starts_on: Set(self.starts_on),
            ends_on: Set(self.ends_on),
            kinds: Set(RequestKinds(self.kinds)),
            suspension_reason: Set(self.reason),
            signed_document_key: Set(None),
            signed_document_name: Set(None),
            previous_convention_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&app.state.db)
        .await
        .expect("insert a convention")
        .id
    }
}

/// A partner structure built by [`structure`].
#[derive(Clone, Debug)]
pub struct Structure {
    pub id: String,
    pub name: String,
    /// 14 digits, no spaces.
    pub siret: String,
    pub caisse_id: String,
    /// Its convention, if it was given one.
    pub convention_id: Option<String>,
}

pub struct NewStructure {
    name: String,
    caisse: String,
    kind: StructureKind,
    convention: Option<Convention>,
}

/// A CCAS of the CPAM de l'Essonne named `name`, in Évry-Courcouronnes, with an active convention opening every function.
pub fn structure(name: &str) -> NewStructure {
    NewStructure { name: name.to_owned(), caisse: "091".to_owned(), kind: StructureKind::Ccas, convention: Some(Convention::active()) }
}

impl NewStructure {
    /// Of the caisse with this code instead ("059").
    pub fn in_caisse(self, code: &str) -> NewStructure {
        NewStructure { caisse: code.to_owned(), ..self }
    }

    pub fn kind(self, kind: StructureKind) -> NewStructure {
        NewStructure { kind, ..self }
    }

    pub fn convention(self, convention: Convention) -> NewStructure {
        NewStructure { convention: Some(convention), ..self }
    }

    pub fn without_convention(self) -> NewStructure {
        NewStructure { convention: None, ..self }
    }

    pub async fn create(self, app: &TestApp) -> Structure {
        let caisse_id = caisse_id(app, &self.caisse).await;
        let siret = fresh_siret();
        let now = Utc::now();
        let id = partner_structure::ActiveModel {
            id: Set(new_id()),
            caisse_id: Set(caisse_id.clone()),
            name: Set(self.name.clone()),
            kind: Set(self.kind),
            siret: Set(Some(Siret::parse(&siret).expect("a valid SIRET"))),
            address: Set("1 place de la Mairie".to_owned()),
            postal_code: Set("91000".to_owned()),
            commune: Set("Évry-Courcouronnes".to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&app.state.db)
        .await
        .expect("insert a structure")
        .id;
        let convention_id = match self.convention {
            Some(convention) => Some(convention.create_for(app, &id, &caisse_id).await),
            None => None,
        };
        Structure { id, name: self.name, siret, caisse_id, convention_id }
    }
}

/// An account built by [`partner`], [`caisse_agent`] or [`admin`], or read back by [`account`].
#[derive(Clone, Debug)]
pub struct Account {
    pub id: String,
    pub email: String,
    /// "First Last", as pages and timelines show it.
    pub name: String,
    pub caisse_id: Option<String>,
    pub structure_id: Option<String>,
}

impl From<account::Model> for Account {
    fn from(model: account::Model) -> Account {
        Account {
            name: format!("{} {}", model.first_name, model.last_name),
            id: model.id,
            email: model.email,
            caisse_id: model.caisse_id,
            structure_id: model.structure_id,
        }
    }
}

pub struct NewAccount {
    role: Role,
    email: Option<String>,
    first_name: String,
    last_name: String,
    caisse: Option<String>,
    /// (structure id, its caisse id) for a partner.
    structure: Option<(String, String)>,
    team: Option<String>,
    trained: bool,
}

/// A partner agent of `structure`, trained 90 days ago.
pub fn partner(structure: &Structure) -> NewAccount {
    NewAccount {
        role: Role::PartnerAgent,
        email: None,
        first_name: "Camille".to_owned(),
        last_name: format!("Partenaire{}", unique()),
        caisse: None,
        structure: Some((structure.id.clone(), structure.caisse_id.clone())),
        team: None,
        trained: true,
    }
}

/// An agent of the caisse with this code, in no team.
pub fn caisse_agent(caisse_code: &str) -> NewAccount {
    NewAccount {
        role: Role::CaisseAgent,
        email: None,
        first_name: "Dominique".to_owned(),
        last_name: format!("Agent{}", unique()),
        caisse: Some(caisse_code.to_owned()),
        structure: None,
        team: None,
        trained: true,
    }
}

/// An admin of the caisse with this code, or a national one.
pub fn admin(caisse_code: Option<&str>) -> NewAccount {
    NewAccount {
        role: Role::Admin,
        email: None,
        first_name: "Alix".to_owned(),
        last_name: format!("Admin{}", unique()),
        caisse: caisse_code.map(str::to_owned),
        structure: None,
        team: None,
        trained: true,
    }
}

impl NewAccount {
    pub fn email(self, email: &str) -> NewAccount {
        NewAccount { email: Some(email.to_owned()), ..self }
    }

    pub fn named(self, first_name: &str, last_name: &str) -> NewAccount {
        NewAccount { first_name: first_name.to_owned(), last_name: last_name.to_owned(), ..self }
    }

    /// Whose training is not recorded (a partner cannot send requests until it is).
    pub fn untrained(self) -> NewAccount {
        NewAccount { trained: false, ..self }
    }

    /// In the caisse's team of this name ("Accueil", "Mission Accompagnement Santé", "Droits (PUMa, C2S, AME)"…).
    pub fn team(self, name: &str) -> NewAccount {
        NewAccount { team: Some(name.to_owned()), ..self }
    }

    pub async fn create(self, app: &TestApp) -> Account {
        let caisse_id = match (&self.structure, &self.caisse) {
            (Some((_, caisse_id)), _) => Some(caisse_id.clone()),
            (None, Some(code)) => Some(caisse_id(app, code).await),
            (None, None) => None,
        };
        let team_id = match &self.team {
            Some(name) => Some(
                team::Entity::find()
                    .filter(team::Column::CaisseId.eq(caisse_id.clone().expect("a team belongs to a caisse")))
                    .filter(team::Column::Name.eq(name))
                    .one(&app.state.db)
                    .await
                    .expect("read the teams")
                    .unwrap_or_else(|| panic!("no team « {name} » in the caisse"))
                    .id,
            ),
            None => None,
        };
        let hash = tokio::task::spawn_blocking(|| PasswordHash::new(PASSWORD)).await.expect("hashing").expect("a password hash");
        let role = match self.role {
            Role::PartnerAgent => "partenaire",
            Role::CaisseAgent => "agent",
            Role::Admin => "admin",
        };
        let email = self.email.unwrap_or_else(|| format!("{role}.{}@fixture.example.org", unique()));
        let now = Utc::now();
        account::ActiveModel {
            id: Set(new_id()),
            email: Set(email),
            first_name: Set(self.first_name),
            last_name: Set(self.last_name),
            role: Set(self.role),
            caisse_id: Set(caisse_id),
            structure_id: Set(self.structure.map(|(id, _)| id)),
            team_id: Set(team_id),
            mail_preference: Set(MailPreference::default()),
            password_hash: Set(Some(hash.as_stored().to_owned())),
            trained_on: Set(self.trained.then(|| today() - Duration::days(90))),
            active: Set(true),
            last_sign_in_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&app.state.db)
        .await
        .expect("insert an account")
        .into()
    }
}

/// A team of the caisse with this code, receiving these kinds of request on submission (none: only what agents hand
/// it); returns its id.
pub async fn team(app: &TestApp, caisse_code: &str, name: &str, kinds: &[RequestKind]) -> String {
    team::ActiveModel {
        id: Set(new_id()),
        caisse_id: Set(caisse_id(app, caisse_code).await),
        name: Set(name.to_owned()),
        kinds: Set(RequestKinds::from(kinds)),
        created_at: Set(Utc::now()),
    }
    .insert(&app.state.db)
    .await
    .expect("insert a team")
    .id
}

/// A canned reply of the caisse with this code; returns its id.
pub async fn canned_reply(app: &TestApp, caisse_code: &str, title: &str, body: &str) -> String {
    let now = Utc::now();
    canned_reply::ActiveModel {
        id: Set(new_id()),
        caisse_id: Set(caisse_id(app, caisse_code).await),
        title: Set(title.to_owned()),
        body: Set(body.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&app.state.db)
    .await
    .expect("insert a canned reply")
    .id
}

/// A request built by [`request`].
#[derive(Clone, Debug)]
pub struct Request {
    pub id: String,
    /// "EP-2026-000042".
    pub reference: String,
}

pub struct NewRequest {
    author: Account,
    kind: RequestKind,
    status: Status,
    subject: Option<String>,
    body: String,
    beneficiary: Option<String>,
    nir: Option<String>,
    assignee: Option<Account>,
    team: Option<String>,
    due_on: Option<NaiveDate>,
    question: String,
}

/// A contact message sent just now by the partner `author` to their caisse, not yet taken.
pub fn request(author: &Account) -> NewRequest {
    NewRequest {
        author: author.clone(),
        kind: RequestKind::Contact,
        status: Status::Submitted,
        subject: None,
        body: "Bonjour, pouvez-vous nous rappeler ?".to_owned(),
        beneficiary: None,
        nir: None,
        assignee: None,
        team: None,
        due_on: None,
        question: "Merci de nous transmettre le justificatif manquant.".to_owned(),
    }
}

impl NewRequest {
    /// Another kind of request; all but a contact concern an assuré (named "Durand" unless [`Self::about`] says).
    pub fn kind(self, kind: RequestKind) -> NewRequest {
        NewRequest { kind, ..self }
    }

    /// Where the request stands, with the timeline that led there (taken, asked, booked, closed by the caisse's
    /// agent; withdrawn by its author). `AppointmentScheduled` books a telephone appointment in a week or so.
    pub fn status(self, status: Status) -> NewRequest {
        NewRequest { status, ..self }
    }

    /// The subject of a contact message.
    pub fn subject(self, subject: &str) -> NewRequest {
        NewRequest { subject: Some(subject.to_owned()), ..self }
    }

    /// The assuré it concerns, by last name (first names "Marcel", born 3 December 1984, no NIR unless [`Self::nir`]).
    pub fn about(self, last_name: &str) -> NewRequest {
        NewRequest { beneficiary: Some(last_name.to_owned()), ..self }
    }

    /// The assuré's NIR, 15 digits without spaces.
    pub fn nir(self, nir: &str) -> NewRequest {
        NewRequest { nir: Some(nir.to_owned()), ..self }
    }

    /// The agent who took it, if its status says it was taken (by default the caisse's first agent by e-mail).
    pub fn assigned_to(self, agent: &Account) -> NewRequest {
        NewRequest { assignee: Some(agent.clone()), ..self }
    }

    /// Handed to this team (by default the team its kind is routed to).
    pub fn team(self, team_id: &str) -> NewRequest {
        NewRequest { team: Some(team_id.to_owned()), ..self }
    }

    /// Falls due on this day (by default the caisse's default answer budget from today).
    pub fn due_on(self, day: NaiveDate) -> NewRequest {
        NewRequest { due_on: Some(day), ..self }
    }

    /// What the caisse asked the partner, for a request awaiting the partner.
    pub fn question(self, question: &str) -> NewRequest {
        NewRequest { question: question.to_owned(), ..self }
    }

    fn details(&self) -> Details {
        match self.kind {
            RequestKind::Contact => Details::Contact,
            RequestKind::MasReferral => Details::MasReferral {
                grounds: vec![DifficultyGround::AccessToRights],
                other_ground: None,
                urgency: Urgency::Normal,
                reach_by: ReachBy::ThroughPartner,
                reach_when: "Le mardi matin".to_owned(),
            },
            RequestKind::Appointment => Details::Appointment {
                channel: AppointmentChannel::Phone,
                availability: "Le jeudi après-midi".to_owned(),
                interpreter_language: None,
                accessibility: false,
                accompanied: false,
            },
            RequestKind::DossierStudy => Details::DossierStudy { dossier_type: DossierType::C2s, other_type: None, documents_provided: vec![] },
        }
    }

    fn subject_line(&self) -> String {
        match self.kind {
            RequestKind::Contact => self.subject.clone().unwrap_or_else(|| "Question sur un dossier".to_owned()),
            RequestKind::MasReferral => "Signalement d'une situation de difficulté (saisine MAS)".to_owned(),
            RequestKind::Appointment => "Demande de rendez-vous".to_owned(),
            RequestKind::DossierStudy => format!("Étude de dossier – {}", DossierType::C2s.label()),
        }
    }

    /// The timeline after the submission: (action code as the app writes it, actor, status reached, note).
    fn steps(&self) -> Vec<(&'static str, bool, Status, Option<String>)> {
        let take = ("take", true, Status::InProgress, None);
        match self.status {
            Status::Submitted => vec![],
            Status::InProgress => vec![take],
            Status::AwaitingPartner => vec![take, ("ask_partner", true, Status::AwaitingPartner, Some(self.question.clone()))],
            Status::AppointmentScheduled => vec![take, ("schedule", true, Status::AppointmentScheduled, Some("Rendez-vous téléphonique".to_owned()))],
            Status::Closed(resolution) => {
                let code = match resolution {
                    Resolution::Resolved => "close_resolved",
                    Resolution::RejectedOutOfScope => "close_out_of_scope",
                    Resolution::Duplicate => "close_duplicate",
                };
                vec![take, (code, true, self.status, Some("Réponse apportée.".to_owned()))]
            }
            Status::Withdrawn => vec![("withdraw", false, Status::Withdrawn, None)],
        }
    }

    pub async fn create(self, app: &TestApp) -> Request {
        let db = &app.state.db;
        let structure_id = self.author.structure_id.clone().expect("requests are written by partner agents");
        let caisse_id = self.author.caisse_id.clone().expect("a partner's caisse");
        let steps = self.steps();
        let assignee = match (&self.assignee, steps.iter().any(|(_, by_caisse, _, _)| *by_caisse)) {
            (_, false) => None,
            (Some(agent), true) => Some(agent.clone()),
            (None, true) => Some(Account::from(
                account::Entity::find()
                    .filter(account::Column::CaisseId.eq(&caisse_id))
                    .filter(account::Column::Role.eq(Role::CaisseAgent.code()))
                    .order_by_asc(account::Column::Email)
                    .one(db)
                    .await
                    .expect("read the accounts")
                    .expect("an agent of the caisse"),
            )),
        };
        let team_id = match self.team.clone() {
            Some(id) => Some(id),
            None => {
                let teams: Vec<(String, RequestKinds)> = team::Entity::find()
                    .filter(team::Column::CaisseId.eq(&caisse_id))
                    .order_by_asc(team::Column::Name)
                    .all(db)
                    .await
                    .expect("read the teams")
                    .into_iter()
                    .map(|t| (t.id, t.kinds))
                    .collect();
                route(self.kind, &teams).map(str::to_owned)
            }
        };
        let now = Utc::now();
        let reference = app::server::requests::submit::next_reference(db, chrono::Datelike::year(&now)).await.expect("a reference").to_string();
        let id = new_id();
        let person = match (&self.beneficiary, self.kind) {
            (Some(name), _) => Some(name.clone()),
            (None, RequestKind::Contact) => None,
            (None, _) => Some("Durand".to_owned()),
        };
        let born = NaiveDate::from_ymd_opt(1984, 12, 3);
        let status = self.status;
        request::ActiveModel {
            id: Set(id.clone()),
            reference: Set(reference.clone()),
            kind: Set(self.kind),
            dossier_type: Set((self.kind == RequestKind::DossierStudy).then_some(DossierType::C2s)),
            subject: Set(self.subject_line()),
            body: Set(self.body.clone()),
            details: Set(serde_json::to_string(&self.details()).expect("details as JSON")),
            mas_grounds: Set(self.details().grounds_key()),
            status: Set(status),
            caisse_id: Set(caisse_id.clone()),
            structure_id: Set(structure_id),
            author_id: Set(self.author.id.clone()),
            assignee_id: Set(assignee.as_ref().map(|a| a.id.clone())),
            team_id: Set(team_id),
            due_on: Set(Some(self.due_on.unwrap_or_else(|| add_business_days(today(), DueDatePolicy::default().days_for(self.kind))))),
            due_budget_days: Set(Some(DueDatePolicy::default().days_for(self.kind) as i32)),
            beneficiary_last_name: Set(person.clone()),
            beneficiary_first_names: Set(person.as_ref().map(|_| "Marcel".to_owned())),
            beneficiary_birth_date: Set(person.as_ref().and(born)),
            beneficiary_nir: Set(person.as_ref().and(self.nir.as_deref().map(|nir| Nir::parse(nir).expect("a valid NIR")))),
            beneficiary_phone: Set(None),
            beneficiary_address: Set(None),
            beneficiary_search: Set(person.as_ref().map(|name| search_key(&format!("{name} Marcel")))),
            consent_method: Set(person.as_ref().map(|_| ConsentMethod::Oral)),
            consent_recorded_at: Set(person.as_ref().map(|_| now)),
            created_at: Set(now),
            updated_at: Set(now),
            closed_at: Set((!status.is_open()).then_some(now)),
            first_answer_at: Set(None),
            first_answer_days: Set(None),
            answered_on_time: Set(None),
            closing_days: Set(None),
            purged_at: Set(None),
        }
        .insert(db)
        .await
        .expect("insert a request");

        let event = |action: &str, actor: &Account, from: Option<Status>, to: Status, note: Option<String>| request_event::ActiveModel {
            id: Set(new_id()),
            request_id: Set(id.clone()),
            occurred_at: Set(now),
            actor_id: Set(Some(actor.id.clone())),
            actor_label: Set(actor.name.clone()),
            action: Set(action.to_owned()),
            from_status: Set(from),
            to_status: Set(to),
            note: Set(note),
        };
        event("submit", &self.author, None, Status::Submitted, None).insert(db).await.expect("the submission event");
        let mut from = Status::Submitted;
        for (action, by_caisse, to, note) in steps {
            let actor = if by_caisse { assignee.as_ref().expect("the agent") } else { &self.author };
            event(action, actor, Some(from), to, note).insert(db).await.expect("a timeline event");
            from = to;
            if action == "ask_partner" {
                request_message::ActiveModel {
                    id: Set(new_id()),
                    request_id: Set(id.clone()),
                    author_id: Set(actor.id.clone()),
                    author_label: Set(actor.name.clone()),
                    from_caisse: Set(true),
                    internal: Set(false),
                    body: Set(self.question.clone()),
                    created_at: Set(now),
                }
                .insert(db)
                .await
                .expect("the caisse's question");
            }
            if action == "schedule" {
                insert_phone_appointment(app, &id, &caisse_id, actor, now).await;
            }
        }
        Request { id, reference }
    }
}

/// A confirmed telephone appointment by `agent`, on a business day a week or more ahead, at a time no other
/// fixture appointment of this run takes.
async fn insert_phone_appointment(app: &TestApp, request_id: &str, caisse_id: &str, agent: &Account, now: DateTime<Utc>) {
    let n = i64::from(unique());
    let mut day = today() + Duration::days(7 + n / 14);
    while !is_business_day(day) {
        day += Duration::days(1);
    }
    let local = day.and_hms_opt(9, 0, 0).expect("a time") + Duration::minutes(30 * (n % 14));
    let start = chrono_tz::Europe::Paris.from_local_datetime(&local).single().expect("a Paris time").with_timezone(&Utc);
    appointment::ActiveModel {
        id: Set(new_id()),
        request_id: Set(request_id.to_owned()),
        caisse_id: Set(caisse_id.to_owned()),
        accueil_id: Set(None),
        starts_at: Set(start),
        duration_minutes: Set(DURATION_MINUTES as i32),
        status: Set(AppointmentStatus::Confirmed),
        slot_key: Set(Some(Place::Phone(agent.id.clone()).slot_key(local))),
        instructions: Set("La caisse appellera l'assuré au numéro indiqué dans la demande.".to_owned()),
        sequence: Set(0),
        change_note: Set(None),
        created_by: Set(agent.id.clone()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&app.state.db)
    .await
    .expect("insert an appointment");
}

// ---- The builders build what the app reads ----

async fn each_convention_built_gates_the_partner_as_the_app_says(db: Db) {
    let app = TestApp::spawn(db).await;
    let cases = [
        (structure("Ouverte"), false, None),
        (structure("Suspendue").convention(Convention::suspended()), false, Some("La convention de votre structure est suspendue")),
        (structure("Expirée").convention(Convention::expired()), false, Some("La convention de votre structure a expiré")),
        (structure("Signée").convention(Convention::signed()), false, Some("n'est pas en vigueur (statut : signée)")),
        (structure("Brouillon").convention(Convention::draft()), false, Some("n'est pas en vigueur (statut : brouillon)")),
        (structure("Sans convention").without_convention(), false, Some("Votre structure n'a pas de convention")),
        (
            structure("Rendez-vous seulement").convention(Convention::active().kinds(&[RequestKind::Appointment])),
            false,
            Some("n'ouvre pas la fonction « Contacter la caisse »"),
        ),
        (structure("Formation à venir"), true, Some("Votre formation à l'Espace Partenaires n'est pas encore enregistrée")),
    ];
    for (new_structure, untrained, block) in cases {
        let structure = new_structure.create(&app).await;
        let person = partner(&structure).named("Léa", "Roux");
        let person = if untrained { person.untrained() } else { person };
        let person = person.create(&app).await;
        let browser = app.signed_in(&person.email).await;
        let text = main_text(&browser.get("/partenaire/demandes/nouvelle/contact").await.text().await.expect("html"));
        match block {
            Some(why) => assert!(text.contains("Envoi impossible pour le moment") && text.contains(why), "{}: {text}", structure.name),
            None => assert!(!text.contains("Envoi impossible") && text.contains("Contacter la caisse"), "{}: {text}", structure.name),
        }
        let home = browser.get("/partenaire/demandes").await.text().await.expect("html");
        assert!(main_text(&home).contains(&structure.name) && home.contains("Léa Roux"), "the home names the structure, the header the person");
    }
    // In the Hainaut, found by its SIRET by that caisse's admin only.
    let hainaut = structure("CCAS de Maubeuge").in_caisse("059").kind(StructureKind::Ccas).create(&app).await;
    let admin_59 = admin(Some("059")).email("admin.maubeuge@example.org").create(&app).await;
    let found = main_text(
        &app.signed_in(&admin_59.email).await.get(&format!("/admin/structures?recherche={}", hainaut.siret)).await.text().await.expect("html"),
    );
    assert!(found.contains("CCAS de Maubeuge") && found.contains("1 structure pour"), "{found}");
    let elsewhere =
        main_text(&app.signed_in(ADMIN_91).await.get(&format!("/admin/structures?recherche={}", hainaut.siret)).await.text().await.expect("html"));
    assert!(!elsewhere.contains("CCAS de Maubeuge"), "{elsewhere}");
}

async fn each_request_built_reads_as_the_app_shows_its_status(db: Db) {
    let app = TestApp::spawn(db).await;
    let structure = structure("CCAS de Massy").create(&app).await;
    let author = partner(&structure).create(&app).await;
    let agent = caisse_agent("091").named("Inès", "Garcia").team("Accueil").create(&app).await;
    let partner_browser = app.signed_in(&author.email).await;
    let agent_browser = app.signed_in(&agent.email).await;
    for (status, label) in [
        (Status::Submitted, "Envoyée"),
        (Status::InProgress, "En cours de traitement"),
        (Status::AwaitingPartner, "En attente de votre réponse"),
        (Status::AppointmentScheduled, "Rendez-vous programmé"),
        (Status::Closed(Resolution::Resolved), "Clôturée – traitée"),
        (Status::Withdrawn, "Retirée"),
    ] {
        let built = request(&author)
            .kind(RequestKind::Appointment)
            .about("Fixture")
            .nir("184127645108946")
            .status(status)
            .assigned_to(&agent)
            .question("Merci de joindre l'avis d'imposition.")
            .create(&app)
            .await;
        let seen = main_text(&partner_browser.get(&format!("/partenaire/demandes/{}", built.reference)).await.text().await.expect("html"));
        assert!(seen.contains(label) && seen.contains("FIXTURE Marcel") && seen.contains("1 84 •• •• ••• ••• 46"), "{label}: {seen}");
        assert_eq!(seen.contains("Merci de joindre l'avis d'imposition."), status == Status::AwaitingPartner, "{label}: {seen}");
        let handled = main_text(&agent_browser.get(&format!("/caisse/demandes/{}", built.reference)).await.text().await.expect("html"));
        let taken = !matches!(status, Status::Submitted | Status::Withdrawn);
        assert_eq!(handled.contains("Attribuée à Inès Garcia"), taken, "{label}: {handled}");
        assert_eq!(handled.contains("Confirmé"), status == Status::AppointmentScheduled, "{label}: the appointment booked: {handled}");
    }
}
