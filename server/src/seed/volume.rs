//! Synthetic volume for load tests (`server seed volume`): test caisses, structures with an active convention and a
//! trained partner each, then many requests over the last two years, inserted in multi-row statements.
//!
//! Re-runnable: caisses (codes `V01`…), structures (SIRETs derived from their number) and accounts
//! (`volume.agentNNNN@example.org` for the structures, `volume.caisseNN@example.org` for the caisses) already there are reused, and the requests are appended.

use super::{ReferenceBlock, id_at, new_id, nir, written};
use app::domain::convention::ConventionStatus;
use app::domain::notice::MailPreference;
use app::domain::opening_hours::OpeningHours;
use app::domain::request_details::{AppointmentChannel, ConsentMethod, Details, DifficultyGround, DossierType, ReachBy, Urgency};
use app::domain::request_kind::{RequestKind, RequestKinds};
use app::domain::request_lifecycle::{Resolution, Status};
use app::domain::role::Role;
use app::domain::siret::Siret;
use app::domain::statistics::first_answer;
use app::domain::structure_kind::StructureKind;
use app::domain::submission::search_key;
use app::server::auth::password::PasswordHash;
use app::server::entities::{account, caisse, convention, partner_structure, request, request_event};
use chrono::{DateTime, Datelike, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, Iterable, QueryFilter, TransactionTrait,
};
use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

/// SQLite accepts at most 32 766 bound parameters per statement (PostgreSQL 65 535).
const MAX_PARAMETERS: usize = 32_766;
/// Rows per multi-row `INSERT`.
const MAX_ROWS: usize = 1_000;
/// Requests per transaction (each with its event and its reserved references).
const PER_TRANSACTION: u64 = 10_000;
const PROGRESS_EVERY: u64 = 100_000;
const SPAN_DAYS: i64 = 730;

pub struct VolumeOptions {
    pub requests: u64,
    pub caisses: u32,
    pub structures: u32,
    /// The password of the partner accounts created.
    pub password: String,
    /// Where the published demo TOTP secret comes from: every generated account is enrolled with it.
    pub mfa: app::server::settings::MfaSettings,
}

#[derive(Debug)]
pub struct VolumeReport {
    pub caisses_added: u64,
    pub structures_added: u64,
    pub accounts_added: u64,
    pub requests: u64,
    pub elapsed: std::time::Duration,
}

impl VolumeReport {
    /// "12 345 demandes générées en 8,2 s"
    pub fn summary(&self) -> String {
        let seconds = format!("{:.1}", self.elapsed.as_secs_f64()).replace('.', ",");
        format!("{} demandes générées en {seconds} s", thousands(self.requests))
    }
}

/// "1 234 567"
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Rows of an entity with `columns` columns that fit in one statement.
fn rows_per_insert(columns: usize) -> usize {
    (MAX_PARAMETERS / columns.max(1)).min(MAX_ROWS)
}

/// Inserts `rows` in as few statements as the parameter limit allows.
pub(super) async fn insert_chunked<A>(db: &impl sea_orm::ConnectionTrait, rows: Vec<A>) -> Result<(), DbErr>
where
    A: ActiveModelTrait,
{
    let size = rows_per_insert(<A::Entity as EntityTrait>::Column::iter().count());
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(size).collect();
        A::Entity::insert_many(chunk).exec_without_returning(db).await?;
    }
    Ok(())
}

/// A small, fast, seedable generator (SplitMix64): plenty for test data, no dependency.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// In `0..n` (`n` > 0).
    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn index(&mut self, len: usize) -> usize {
        usize::try_from(self.below(len as u64)).unwrap_or(0)
    }

    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    /// True `percent` times out of 100.
    pub(super) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// In [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const LAST_NAMES: [&str; 40] = [
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefèvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "Diallo",
    "Traoré",
    "Nguyen",
    "Da Silva",
    "Benali",
];
const WOMEN: [&str; 20] = [
    "Marie",
    "Nathalie",
    "Isabelle",
    "Sylvie",
    "Catherine",
    "Élodie",
    "Sandrine",
    "Aïcha",
    "Fatoumata",
    "Léa",
    "Chloé",
    "Inès",
    "Monique",
    "Françoise",
    "Céline",
    "Amina",
    "Julie",
    "Camille",
    "Yasmine",
    "Thi Hoa",
];
const MEN: [&str; 20] = [
    "Jean",
    "Philippe",
    "Michel",
    "Alain",
    "Patrick",
    "Nicolas",
    "Christophe",
    "Mamadou",
    "Karim",
    "Lucas",
    "Hugo",
    "Yanis",
    "Bernard",
    "Gérard",
    "Thomas",
    "Mohamed",
    "Kevin",
    "Julien",
    "Ousmane",
    "Jean-Pierre",
];
const BODIES: [&str; 6] = [
    "L'assuré a besoin d'aide pour comprendre un courrier de la caisse.",
    "Situation signalée lors d'une permanence : droits à vérifier rapidement.",
    "L'assurée n'a plus de complémentaire santé depuis plusieurs mois.",
    "Demande transmise à la suite d'un entretien individuel à la structure.",
    "Dossier incomplet déposé à l'accueil ; la structure accompagne l'assuré.",
    "L'assuré ne parvient pas à créer son compte ameli et n'a pas d'adresse électronique.",
];

/// A kind of request with its stored subject and details, encoded once.
struct Template {
    kind: RequestKind,
    dossier_type: Option<DossierType>,
    subject: String,
    details: String,
    /// A MAS referral's grounds key (`Details::grounds_key`).
    grounds: Option<String>,
    /// The form requires the assuré's phone (called back by the caisse).
    needs_phone: bool,
}

/// Four templates of each kind, so that picking one at random balances the kinds.
fn templates() -> Result<Vec<Template>, DbErr> {
    let mas = |grounds: Vec<DifficultyGround>, urgency, reach_by, reach_when: &str| Details::MasReferral {
        other_ground: grounds.contains(&DifficultyGround::Other).then(|| "Isolement après une hospitalisation".to_owned()),
        grounds,
        urgency,
        reach_by,
        reach_when: reach_when.to_owned(),
    };
    let appointment = |interpreter: Option<&str>, accessibility, accompanied| Details::Appointment {
        channel: AppointmentChannel::Phone,
        availability: "Du lundi au vendredi, de 9 h à 17 h".to_owned(),
        interpreter_language: interpreter.map(str::to_owned),
        accessibility,
        accompanied,
    };
    let mut list = vec![
        ("Question sur un remboursement", Details::Contact),
        ("Courrier de la caisse incompris", Details::Contact),
        ("Carte Vitale perdue", Details::Contact),
        ("Changement de situation à déclarer", Details::Contact),
        (
            "",
            mas(
                vec![DifficultyGround::CareRenunciation, DifficultyGround::AccessToRights],
                Urgency::Normal,
                ReachBy::ThroughPartner,
                "Lors de ses rendez-vous à la structure",
            ),
        ),
        ("", mas(vec![DifficultyGround::Digital], Urgency::Urgent, ReachBy::Phone, "En semaine, le matin")),
        ("", mas(vec![DifficultyGround::ComplexSocialSituation, DifficultyGround::Disability], Urgency::Normal, ReachBy::Phone, "L'après-midi")),
        ("", mas(vec![DifficultyGround::Other], Urgency::Urgent, ReachBy::ThroughPartner, "Le mardi à la permanence")),
        ("", appointment(None, false, false)),
        ("", appointment(Some("arabe"), false, true)),
        ("", appointment(None, true, false)),
        ("", appointment(Some("anglais"), false, false)),
    ];
    for dossier_type in DossierType::ALL {
        list.push((
            "",
            Details::DossierStudy {
                dossier_type,
                other_type: (dossier_type == DossierType::Other).then(|| "Capital décès".to_owned()),
                documents_provided: dossier_type.checklist().iter().take(2).map(|d| (*d).to_owned()).collect(),
            },
        ));
    }
    list.into_iter()
        .map(|(contact_subject, details)| {
            let (kind, dossier_type, subject) = match &details {
                Details::Contact => (RequestKind::Contact, None, contact_subject.to_owned()),
                Details::MasReferral { .. } => (RequestKind::MasReferral, None, "Signalement d'une situation de difficulté (saisine MAS)".to_owned()),
                Details::Appointment { .. } => (RequestKind::Appointment, None, "Demande de rendez-vous".to_owned()),
                Details::DossierStudy { dossier_type, .. } => {
                    (RequestKind::DossierStudy, Some(*dossier_type), format!("Étude de dossier – {}", dossier_type.label()))
                }
            };
            let needs_phone = matches!(
                details,
                Details::MasReferral { reach_by: ReachBy::Phone, .. } | Details::Appointment { channel: AppointmentChannel::Phone, .. }
            );
            let grounds = details.grounds_key();
            let details = serde_json::to_string(&details).map_err(|e| DbErr::Custom(format!("volume details: {e}")))?;
            Ok(Template { kind, dossier_type, subject, details, grounds, needs_phone })
        })
        .collect()
}

/// Where a request of this age stands: old ones are nearly all finished, recent ones often still open.
fn status_for(age: Duration, rng: &mut Rng) -> Status {
    const OLD: [(Status, u64); 4] = [
        (Status::Closed(Resolution::Resolved), 82),
        (Status::Closed(Resolution::RejectedOutOfScope), 9),
        (Status::Closed(Resolution::Duplicate), 4),
        (Status::Withdrawn, 5),
    ];
    const RECENT: [(Status, u64); 8] = [
        (Status::Submitted, 15),
        (Status::InProgress, 20),
        (Status::AwaitingPartner, 10),
        (Status::AppointmentScheduled, 8),
        (Status::Closed(Resolution::Resolved), 35),
        (Status::Closed(Resolution::RejectedOutOfScope), 5),
        (Status::Closed(Resolution::Duplicate), 3),
        (Status::Withdrawn, 4),
    ];
    let table: &[(Status, u64)] = if age > Duration::days(60) { &OLD } else { &RECENT };
    let mut roll = rng.below(table.iter().map(|(_, w)| w).sum());
    for (status, weight) in table {
        if roll < *weight {
            return *status;
        }
        roll -= weight;
    }
    Status::Closed(Resolution::Resolved)
}

/// A valid SIRET of a volume structure: "99", the number, and the Luhn check digit.
fn siret(number: u32) -> String {
    let payload = format!("99{number:011}");
    (0..10).map(|d| format!("{payload}{d}")).find(|s| Siret::parse(s).is_ok()).unwrap_or(payload)
}

fn departement(number: u32) -> String {
    let d = (number.saturating_sub(1)) % 94 + 1;
    format!("{:02}", if d >= 20 { d + 1 } else { d })
}

/// A partner structure's author: account id and the name shown in timelines.
struct Author {
    structure_id: String,
    caisse_id: String,
    account_id: String,
    label: String,
}

/// Creates (or finds) the caisses, structures, conventions and accounts; returns the authors, one per structure.
async fn setup(db: &DatabaseConnection, options: &VolumeOptions, now: DateTime<Utc>, report: &mut VolumeReport) -> Result<Vec<Author>, DbErr> {
    let today = now.date_naive();
    let codes: Vec<String> = (1..=options.caisses).map(|n| format!("V{n:02}")).collect();
    let mut caisse_ids: HashMap<String, String> = HashMap::new();
    for chunk in codes.chunks(MAX_ROWS) {
        for c in caisse::Entity::find().filter(caisse::Column::Code.is_in(chunk.iter().cloned())).all(db).await? {
            caisse_ids.insert(c.code, c.id);
        }
    }
    let mut new_caisses = vec![];
    for (n, code) in (1..).zip(&codes) {
        if !caisse_ids.contains_key(code) {
            let id = new_id();
            caisse_ids.insert(code.clone(), id.clone());
            new_caisses.push(caisse::ActiveModel {
                id: Set(id),
                code: Set(code.clone()),
                name: Set(format!("CPAM de test {n:02}")),
                departement: Set(departement(n)),
                phone_hours: Set(written(OpeningHours::parse(super::PHONE_HOURS), "phone hours")?),
                created_at: Set(now),
            });
        }
    }

    let sirets: Vec<String> = (1..=options.structures).map(siret).collect();
    let mut structures: HashMap<String, partner_structure::Model> = HashMap::new();
    for chunk in sirets.chunks(MAX_ROWS) {
        for s in partner_structure::Entity::find().filter(partner_structure::Column::Siret.is_in(chunk.iter().cloned())).all(db).await? {
            if let Some(siret) = &s.siret {
                structures.insert(siret.as_str().to_owned(), s);
            }
        }
    }
    let (mut new_structures, mut new_conventions) = (vec![], vec![]);
    for (n, siret) in (1..).zip(&sirets) {
        if structures.contains_key(siret) {
            continue;
        }
        let caisse_number = (n - 1) % options.caisses + 1;
        let caisse_id = caisse_ids
            .get(&format!("V{caisse_number:02}"))
            .cloned()
            .ok_or_else(|| DbErr::Custom(format!("test caisse V{caisse_number:02} missing")))?;
        let kind = StructureKind::ALL[usize::try_from(n - 1).unwrap_or(0) % StructureKind::ALL.len()];
        let dep = departement(caisse_number);
        let structure = partner_structure::Model {
            id: new_id(),
            caisse_id: caisse_id.clone(),
            name: format!("{} de test {n:04}", kind.label()),
            kind,
            siret: Some(written(Siret::parse(siret), "SIRET")?),
            address: format!("{n} rue de l'Essai"),
            postal_code: format!("{dep}000"),
            commune: format!("Commune de test {dep}"),
            created_at: now,
            updated_at: now,
        };
        new_conventions.push(convention::ActiveModel {
            id: Set(new_id()),
            structure_id: Set(structure.id.clone()),
            caisse_id: Set(caisse_id),
            status: Set(ConventionStatus::Active),
            starts_on: Set(today - Duration::days(SPAN_DAYS + 30)),
            ends_on: Set(Some(today + Duration::days(SPAN_DAYS))),
            kinds: Set(RequestKinds::all()),
            suspension_reason: Set(None),
            signed_document_key: Set(None),
            signed_document_name: Set(None),
            previous_convention_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        });
        new_structures.push(partner_structure::ActiveModel::from(structure.clone()));
        structures.insert(siret.clone(), structure);
    }

    let emails: Vec<String> = (1..=options.structures).map(|n| format!("volume.agent{n:04}@example.org")).collect();
    let mut accounts: HashMap<String, account::Model> = HashMap::new();
    for chunk in emails.chunks(MAX_ROWS) {
        for a in account::Entity::find().filter(account::Column::Email.is_in(chunk.iter().cloned())).all(db).await? {
            accounts.insert(a.email.clone(), a);
        }
    }
    // One caisse agent per test caisse (`volume.caisseNN@example.org`), for the queue's load tests and benchmarks.
    let agents: Vec<(String, String)> =
        codes.iter().zip(1u32..).map(|(code, n)| (format!("volume.caisse{n:02}@example.org"), code.clone())).collect();
    let mut existing_agents = std::collections::HashSet::new();
    for a in account::Entity::find().filter(account::Column::Email.is_in(agents.iter().map(|(email, _)| email.clone()))).all(db).await? {
        existing_agents.insert(a.email);
    }
    let missing = emails.iter().filter(|e| !accounts.contains_key(*e)).count() + agents.len() - existing_agents.len();
    let hash = if missing > 0 {
        let password = options.password.clone();
        let hash = tokio::task::spawn_blocking(move || PasswordHash::new(&password))
            .await
            .map_err(|e| DbErr::Custom(e.to_string()))?
            .map_err(|e| DbErr::Custom(e.to_string()))?;
        Some(hash.as_stored().to_owned())
    } else {
        None
    };
    let mut new_accounts = vec![];
    let mut authors = vec![];
    for (n, (siret, email)) in sirets.iter().zip(&emails).enumerate() {
        let Some(structure) = structures.get(siret) else { continue };
        let account = match accounts.get(email) {
            Some(existing) => existing.clone(),
            None => {
                let first_name = if n % 2 == 0 { WOMEN[n % WOMEN.len()] } else { MEN[n % MEN.len()] };
                let account = account::Model {
                    id: new_id(),
                    email: email.clone(),
                    first_name: first_name.to_owned(),
                    last_name: LAST_NAMES[(n / 2) % LAST_NAMES.len()].to_owned(),
                    role: Role::PartnerAgent,
                    caisse_id: Some(structure.caisse_id.clone()),
                    structure_id: Some(structure.id.clone()),
                    team_id: None,
                    mail_preference: MailPreference::default(),
                    password_hash: hash.clone(),
                    trained_on: Some(today - Duration::days(SPAN_DAYS)),
                    active: true,
                    last_sign_in_at: None,
                    created_at: now,
                    updated_at: now,
                };
                new_accounts.push(account::ActiveModel::from(account.clone()));
                account
            }
        };
        authors.push(Author {
            structure_id: structure.id.clone(),
            caisse_id: structure.caisse_id.clone(),
            account_id: account.id,
            label: format!("{} {}", account.first_name, account.last_name),
        });
    }

    for (n, (email, code)) in agents.iter().enumerate() {
        let (Some(caisse_id), false) = (caisse_ids.get(code), existing_agents.contains(email)) else { continue };
        new_accounts.push(account::ActiveModel::from(account::Model {
            id: new_id(),
            email: email.clone(),
            first_name: WOMEN[n % WOMEN.len()].to_owned(),
            last_name: format!("Agent {code}"),
            role: Role::CaisseAgent,
            caisse_id: Some(caisse_id.clone()),
            structure_id: None,
            team_id: None,
            mail_preference: MailPreference::default(),
            password_hash: hash.clone(),
            trained_on: None,
            active: true,
            last_sign_in_at: None,
            created_at: now,
            updated_at: now,
        }));
    }

    report.caisses_added = new_caisses.len() as u64;
    report.structures_added = new_structures.len() as u64;
    report.accounts_added = new_accounts.len() as u64;
    let txn = db.begin().await?;
    insert_chunked(&txn, new_caisses).await?;
    insert_chunked(&txn, new_structures).await?;
    insert_chunked(&txn, new_conventions).await?;
    insert_chunked(&txn, new_accounts).await?;
    txn.commit().await?;
    let every_email = emails.iter().chain(agents.iter().map(|(email, _)| email)).map(String::as_str);
    super::enrol_with_demo_secret(db, &options.mfa, every_email, now).await?;
    Ok(authors)
}

/// One generated request and its "submit" event.
fn generate(
    created_at: DateTime<Utc>,
    author: &Author,
    template: &Template,
    now: DateTime<Utc>,
    rng: &mut Rng,
) -> Result<(request::ActiveModel, request_event::ActiveModel), DbErr> {
    let id = id_at(created_at);
    let status = status_for(now - created_at, rng);
    let closed_at = (!status.is_open()).then(|| (created_at + Duration::hours(2 + i64::try_from(rng.below(30 * 24)).unwrap_or(0))).min(now));
    let with_person = template.kind != RequestKind::Contact || rng.chance(50);
    let woman = rng.chance(50);
    let first = if woman { *rng.pick(&WOMEN) } else { *rng.pick(&MEN) };
    let last = *rng.pick(&LAST_NAMES);
    let year = 1935 + i32::try_from(rng.below(72)).unwrap_or(0);
    let month = 1 + u32::try_from(rng.below(12)).unwrap_or(0);
    let birth_date = chrono::NaiveDate::from_ymd_opt(year, month, 1 + u32::try_from(rng.below(28)).unwrap_or(0));
    let place = format!("{}{:03}", departement(1 + u32::try_from(rng.below(94)).unwrap_or(0)), 1 + rng.below(400));
    let nir =
        rng.chance(85).then(|| nir(if woman { 2 } else { 1 }, year, month, &place, 1 + u16::try_from(rng.below(998)).unwrap_or(0))).transpose()?;
    // 06 39 98: a range ARCEP keeps for fiction.
    let phone = (template.needs_phone || rng.chance(60)).then(|| format!("06 39 98 {:02} {:02}", rng.below(100), rng.below(100)));
    let consent = if rng.chance(60) { ConsentMethod::Oral } else { ConsentMethod::Written };
    let person = |value: String| with_person.then_some(value);
    let sent = created_at.date_naive();
    let due_on = sent + Duration::days(14);
    // A request the caisse closed was answered then, on its clock all along (no partner wait in this data).
    let closed_by_caisse = closed_at.filter(|_| matches!(status, Status::Closed(_)));
    let answer = closed_by_caisse.map(|at| first_answer(sent, at.date_naive(), Some(due_on)));
    let request = request::ActiveModel {
        id: Set(id.clone()),
        reference: Set(String::new()),
        kind: Set(template.kind),
        dossier_type: Set(template.dossier_type),
        subject: Set(template.subject.clone()),
        body: Set((*rng.pick(&BODIES)).to_owned()),
        details: Set(template.details.clone()),
        mas_grounds: Set(template.grounds.clone()),
        status: Set(status),
        caisse_id: Set(author.caisse_id.clone()),
        structure_id: Set(author.structure_id.clone()),
        author_id: Set(author.account_id.clone()),
        assignee_id: Set(None),
        team_id: Set(None),
        // Within the usual 10-business-day budget: two weeks after submission.
        due_on: Set(Some(due_on)),
        due_budget_days: Set(Some(10)),
        beneficiary_last_name: Set(person(last.to_owned())),
        beneficiary_first_names: Set(person(first.to_owned())),
        beneficiary_birth_date: Set(birth_date.filter(|_| with_person)),
        beneficiary_nir: Set(nir.filter(|_| with_person)),
        beneficiary_phone: Set(phone.filter(|_| with_person)),
        beneficiary_address: Set(None),
        beneficiary_search: Set(person(search_key(&format!("{last} {first}")))),
        consent_method: Set(with_person.then_some(consent)),
        consent_recorded_at: Set(with_person.then_some(created_at)),
        created_at: Set(created_at),
        updated_at: Set(closed_at.unwrap_or(created_at)),
        closed_at: Set(closed_at),
        first_answer_at: Set(closed_by_caisse),
        first_answer_days: Set(answer.map(|(days, _)| days as i32)),
        answered_on_time: Set(answer.map(|(_, on_time)| on_time)),
        closing_days: Set(answer.map(|(days, _)| days as i32)),
        purged_at: Set(None),
    };
    let event = request_event::ActiveModel {
        id: Set(id_at(created_at)),
        request_id: Set(id),
        occurred_at: Set(created_at),
        actor_id: Set(Some(author.account_id.clone())),
        actor_label: Set(author.label.clone()),
        action: Set("submit".to_owned()),
        from_status: Set(None),
        to_status: Set(Status::Submitted),
        note: Set(None),
    };
    Ok((request, event))
}

/// Generates the caisses, structures and accounts (reused when already there), then appends `options.requests`
/// requests spread evenly over the last two years, oldest first, in transactions of `PER_TRANSACTION` requests.
pub async fn volume(db: &DatabaseConnection, options: VolumeOptions, now: DateTime<Utc>) -> Result<VolumeReport, DbErr> {
    if options.caisses == 0 || options.structures == 0 {
        return Err(DbErr::Custom("at least one caisse and one structure are needed".to_owned()));
    }
    let started = Instant::now();
    let mut report = VolumeReport { caisses_added: 0, structures_added: 0, accounts_added: 0, requests: 0, elapsed: Default::default() };
    let authors = setup(db, &options, now, &mut report).await?;
    let templates = templates()?;
    let mut rng = Rng(now.timestamp_micros().unsigned_abs());
    let start = now - Duration::days(SPAN_DAYS);
    let span_ms = Duration::days(SPAN_DAYS).num_milliseconds() as f64;
    let total = options.requests;

    let mut done = 0;
    while done < total {
        let count = PER_TRANSACTION.min(total - done);
        let (mut requests, mut events) = (Vec::with_capacity(count as usize), Vec::with_capacity(count as usize));
        let mut per_year: BTreeMap<i32, u32> = BTreeMap::new();
        for i in done..done + count {
            // Evenly spread and increasing: request i falls in the i-th slice of the span.
            let offset = span_ms * (i as f64 + rng.unit()) / total as f64;
            let created_at = start + Duration::milliseconds(offset as i64);
            let author = rng.pick(&authors);
            let (request, event) = generate(created_at, author, rng.pick(&templates), now, &mut rng)?;
            *per_year.entry(created_at.year()).or_default() += 1;
            requests.push((created_at.year(), request));
            events.push(event);
        }
        let txn = db.begin().await?;
        let mut blocks = BTreeMap::new();
        for (year, n) in per_year {
            blocks.insert(year, ReferenceBlock::reserve(&txn, year, n).await?);
        }
        let requests: Vec<request::ActiveModel> = requests
            .into_iter()
            .map(|(year, mut request)| {
                if let Some(block) = blocks.get_mut(&year) {
                    request.reference = Set(block.take());
                }
                request
            })
            .collect();
        insert_chunked(&txn, requests).await?;
        insert_chunked(&txn, events).await?;
        txn.commit().await?;
        let before = done;
        done += count;
        if done / PROGRESS_EVERY > before / PROGRESS_EVERY {
            eprintln!("{} demandes sur {}…", thousands(done), thousands(total));
        }
    }
    // A bulk load leaves PostgreSQL's statistics behind (autovacuum analyses later, perhaps halfway through): its
    // planner would then take a structure with thousands of requests for one with a single row, and scan the wrong
    // index. Analysed now, the data is ready to be read as soon as the seed ends; vacuumed too, as autovacuum keeps a
    // live database, so that the statistics' covering indexes are read without visiting the rows.
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        db.execute_unprepared("VACUUM ANALYZE").await?;
    }
    report.requests = done;
    report.elapsed = started.elapsed();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::TryIntoModel;

    #[test]
    fn generated_sirets_nirs_and_statuses_are_valid() {
        for n in [1, 2, 199, 200, 9_999] {
            assert!(Siret::parse(&siret(n)).is_ok(), "{n}");
        }
        let mut rng = Rng(42);
        let now = Utc::now();
        let author = Author { structure_id: "s".into(), caisse_id: "c".into(), account_id: "a".into(), label: "A B".into() };
        let templates = templates().expect("templates");
        for i in 0..2_000 {
            let created_at = now - Duration::hours(i * 9);
            let (request, event) = generate(created_at, &author, rng.pick(&templates), now, &mut rng).expect("generated");
            let request = request.try_into_model().expect("a complete request");
            assert!(request.closed_at.is_none_or(|at| at >= created_at && at <= now));
            assert_eq!(event.try_into_model().expect("a complete event").request_id, request.id);
        }
        for kind in RequestKind::ALL {
            assert_eq!(templates.iter().filter(|t| t.kind == kind).count(), 4, "{kind:?}");
        }
    }

    #[test]
    fn chunks_respect_the_parameter_limits_and_numbers_read_the_french_way() {
        let request_columns = request::Column::iter().count();
        assert!(rows_per_insert(request_columns) * request_columns <= MAX_PARAMETERS);
        assert!(rows_per_insert(request_columns) <= 1_000);
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(12_345), "12 345");
        assert_eq!(thousands(1_000_000), "1 000 000");
        let report = VolumeReport {
            caisses_added: 0,
            structures_added: 0,
            accounts_added: 0,
            requests: 12_345,
            elapsed: std::time::Duration::from_millis(8_240),
        };
        assert_eq!(report.summary(), "12 345 demandes générées en 8,2 s");
    }
}
