//! Demo data drawn from the field (CPAM de l'Essonne, CPAM du Hainaut): loaded only by `server seed demo`,
//! and idempotent: running it twice changes nothing. `volume` fills a database for load tests.

mod history;
mod requests;
pub mod volume;

use app::domain::convention::ConventionStatus;
use app::domain::nir::Nir;
use app::domain::notice::MailPreference;
use app::domain::opening_hours::OpeningHours;
use app::domain::request_kind::RequestKinds;
use app::domain::role::Role;
use app::domain::siret::Siret;
use app::domain::structure_kind::StructureKind;
use app::domain::teams::DEFAULT_TEAMS;
use app::server::auth::password::PasswordHash;
use app::server::entities::second_factor;
use app::server::entities::{account, accueil, caisse, convention, partner_structure, team};
use app::server::settings::MfaSettings;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryFilter};

/// The demo sign-ins, as printed after seeding: (e-mail, what the account shows).
pub const DEMO_ACCOUNTS: [(&str, &str); 11] = [
    ("admin.cpam91@example.org", "admin, CPAM de l'Essonne"),
    ("admin.cpam59@example.org", "admin, CPAM du Hainaut"),
    ("admin.national@example.org", "admin national (toutes les caisses)"),
    ("agent.cpam91@example.org", "agent de la CPAM de l'Essonne, équipe Accueil"),
    ("agent.mas91@example.org", "agent de la CPAM de l'Essonne, équipe Mission Accompagnement Santé"),
    ("agent.cpam59@example.org", "agent de la CPAM du Hainaut"),
    ("partenaire.ccas-evry@example.org", "partenaire, CCAS d'Évry-Courcouronnes (convention active, formé)"),
    ("partenaire.ml-grigny@example.org", "partenaire, Mission locale de Grigny (convention active, formé)"),
    ("partenaire.fs-fourmies@example.org", "partenaire, France services de Fourmies (Hainaut)"),
    ("partenaire.nouveau@example.org", "partenaire, CCAS d'Évry-Courcouronnes, formation non enregistrée"),
    ("partenaire.suspendu@example.org", "partenaire d'une structure dont la convention est suspendue"),
];

struct CaisseSeed {
    code: &'static str,
    name: &'static str,
    departement: &'static str,
    accueils: &'static [(&'static str, &'static str, &'static str, &'static str, &'static str)],
}

const CAISSES: [CaisseSeed; 2] = [
    CaisseSeed {
        code: "091",
        name: "CPAM de l'Essonne",
        departement: "91",
        accueils: &[
            ("Accueil d'Évry-Courcouronnes", "Boulevard François Mitterrand", "91000", "Évry-Courcouronnes", "36 46"),
            ("Accueil de Corbeil-Essonnes", "17 rue Feray", "91100", "Corbeil-Essonnes", "36 46"),
            ("Accueil de Massy", "1 avenue du Noyer Lambert", "91300", "Massy", "36 46"),
        ],
    },
    CaisseSeed {
        code: "059",
        name: "CPAM du Hainaut",
        departement: "59",
        accueils: &[
            ("Accueil de Valenciennes", "Rue Ernest Macarez", "59300", "Valenciennes", "36 46"),
            ("Accueil de Maubeuge", "Place de l'Industrie", "59600", "Maubeuge", "36 46"),
            ("Accueil de Fourmies", "Rue Jean Jaurès", "59610", "Fourmies", "36 46"),
        ],
    },
];

/// Convention state for a demo structure, relative to the day of seeding so the demo never goes stale.
#[derive(Clone, Copy)]
enum Deal {
    Active,
    Suspended,
    Signed,
    Expired,
    Draft,
}

struct StructureSeed {
    caisse: &'static str,
    name: &'static str,
    kind: StructureKind,
    siret: &'static str,
    address: &'static str,
    postal_code: &'static str,
    commune: &'static str,
    deal: Deal,
}

const STRUCTURES: [StructureSeed; 9] = [
    StructureSeed {
        caisse: "091",
        name: "CCAS d'Évry-Courcouronnes",
        kind: StructureKind::Ccas,
        siret: "26910026800011",
        address: "Place Guy Briantais",
        postal_code: "91000",
        commune: "Évry-Courcouronnes",
        deal: Deal::Active,
    },
    StructureSeed {
        caisse: "091",
        name: "Mission locale de Grigny",
        kind: StructureKind::MissionLocale,
        siret: "26910028600013",
        address: "2 rue du Minotaure",
        postal_code: "91350",
        commune: "Grigny",
        deal: Deal::Active,
    },
    StructureSeed {
        caisse: "091",
        name: "Secours populaire – comité de Corbeil-Essonnes",
        kind: StructureKind::Association,
        siret: "77540123300025",
        address: "8 rue de la Commanderie",
        postal_code: "91100",
        commune: "Corbeil-Essonnes",
        deal: Deal::Suspended,
    },
    StructureSeed {
        caisse: "091",
        name: "PASS du Centre hospitalier Sud Francilien",
        kind: StructureKind::PassHospitaliere,
        siret: "26910045600012",
        address: "40 avenue Serge Dassault",
        postal_code: "91100",
        commune: "Corbeil-Essonnes",
        deal: Deal::Signed,
    },
    StructureSeed {
        caisse: "091",
        name: "France services de Dourdan",
        kind: StructureKind::FranceServices,
        siret: "26910078900016",
        address: "Place du Général de Gaulle",
        postal_code: "91410",
        commune: "Dourdan",
        deal: Deal::Expired,
    },
    StructureSeed {
        caisse: "091",
        name: "UDAF de l'Essonne",
        kind: StructureKind::Udaf,
        siret: "77540987600031",
        address: "1 rue de la Libération",
        postal_code: "91000",
        commune: "Évry-Courcouronnes",
        deal: Deal::Draft,
    },
    StructureSeed {
        caisse: "059",
        name: "France services de Fourmies",
        kind: StructureKind::FranceServices,
        siret: "26591023400011",
        address: "Rue Saint-Louis",
        postal_code: "59610",
        commune: "Fourmies",
        deal: Deal::Active,
    },
    StructureSeed {
        caisse: "059",
        name: "CCAS de Valenciennes",
        kind: StructureKind::Ccas,
        siret: "26591060600010",
        address: "Place d'Armes",
        postal_code: "59300",
        commune: "Valenciennes",
        deal: Deal::Active,
    },
    StructureSeed {
        caisse: "059",
        name: "Mission locale du Valenciennois",
        kind: StructureKind::MissionLocale,
        siret: "77590345600025",
        address: "Avenue de Liège",
        postal_code: "59300",
        commune: "Valenciennes",
        deal: Deal::Active,
    },
];

struct AccountSeed {
    email: &'static str,
    first_name: &'static str,
    last_name: &'static str,
    role: Role,
    caisse: &'static str,
    structure_siret: Option<&'static str>,
    trained: bool,
    /// The caisse team of a caisse agent (one of `DEFAULT_TEAMS`).
    team: Option<&'static str>,
}

/// `caisse` is the caisse's code; empty for the national admin.
const ACCOUNTS: [AccountSeed; 11] = [
    AccountSeed {
        email: "admin.cpam91@example.org",
        first_name: "Nadia",
        last_name: "Benali",
        role: Role::Admin,
        caisse: "091",
        structure_siret: None,
        trained: true,
        team: None,
    },
    AccountSeed {
        email: "admin.cpam59@example.org",
        first_name: "Marc",
        last_name: "Lambert",
        role: Role::Admin,
        caisse: "059",
        structure_siret: None,
        trained: true,
        team: None,
    },
    AccountSeed {
        email: "admin.national@example.org",
        first_name: "Hélène",
        last_name: "Garnier",
        role: Role::Admin,
        caisse: "",
        structure_siret: None,
        trained: true,
        team: None,
    },
    AccountSeed {
        email: "agent.cpam91@example.org",
        first_name: "Julien",
        last_name: "Moreau",
        role: Role::CaisseAgent,
        caisse: "091",
        structure_siret: None,
        trained: true,
        team: Some("Accueil"),
    },
    AccountSeed {
        email: "agent.mas91@example.org",
        first_name: "Karim",
        last_name: "Haddad",
        role: Role::CaisseAgent,
        caisse: "091",
        structure_siret: None,
        trained: true,
        team: Some("Mission Accompagnement Santé"),
    },
    AccountSeed {
        email: "agent.cpam59@example.org",
        first_name: "Sophie",
        last_name: "Lefebvre",
        role: Role::CaisseAgent,
        caisse: "059",
        structure_siret: None,
        trained: true,
        team: None,
    },
    AccountSeed {
        email: "partenaire.ccas-evry@example.org",
        first_name: "Claire",
        last_name: "Martin",
        role: Role::PartnerAgent,
        caisse: "091",
        structure_siret: Some("26910026800011"),
        trained: true,
        team: None,
    },
    AccountSeed {
        email: "partenaire.ml-grigny@example.org",
        first_name: "Karim",
        last_name: "Haddad",
        role: Role::PartnerAgent,
        caisse: "091",
        structure_siret: Some("26910028600013"),
        trained: true,
        team: None,
    },
    AccountSeed {
        email: "partenaire.fs-fourmies@example.org",
        first_name: "Émilie",
        last_name: "Dupont",
        role: Role::PartnerAgent,
        caisse: "059",
        structure_siret: Some("26591023400011"),
        trained: true,
        team: None,
    },
    AccountSeed {
        email: "partenaire.nouveau@example.org",
        first_name: "Thomas",
        last_name: "Petit",
        role: Role::PartnerAgent,
        caisse: "091",
        structure_siret: Some("26910026800011"),
        trained: false,
        team: None,
    },
    AccountSeed {
        email: "partenaire.suspendu@example.org",
        first_name: "Aïcha",
        last_name: "Diallo",
        role: Role::PartnerAgent,
        caisse: "091",
        structure_siret: Some("77540123300025"),
        trained: true,
        team: None,
    },
];

const WEEKDAY_HOURS: &str = r#"{"mon":[["08:30","12:00"],["13:30","16:30"]],"tue":[["08:30","12:00"],["13:30","16:30"]],"wed":[["08:30","12:00"]],"thu":[["08:30","12:00"],["13:30","16:30"]],"fri":[["08:30","12:00"],["13:30","16:00"]]}"#;

/// When the demo caisses call assurés back: weekdays 08:30–12:00 and 13:30–16:30.
const PHONE_HOURS: &str = r#"{"mon":[["08:30","12:00"],["13:30","16:30"]],"tue":[["08:30","12:00"],["13:30","16:30"]],"wed":[["08:30","12:00"],["13:30","16:30"]],"thu":[["08:30","12:00"],["13:30","16:30"]],"fri":[["08:30","12:00"],["13:30","16:30"]]}"#;

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A UUIDv7 for something that happened `at`: lists sort by id, so back-dated rows need ids of their own time.
fn id_at(at: DateTime<Utc>) -> String {
    let secs = u64::try_from(at.timestamp()).unwrap_or(0);
    uuid::Uuid::new_v7(uuid::Timestamp::from_unix(uuid::NoContext, secs, at.timestamp_subsec_nanos())).to_string()
}

/// A NIR with its key (97 minus the 13 digits modulo 97): `sex` 1 or 2, `birthplace` the 5-digit INSEE code of the
/// commune (département 99 and a country code for people born abroad), `order` the birth-register number.
fn nir(sex: u8, year: i32, month: u32, birthplace: &str, order: u16) -> Result<Nir, DbErr> {
    written(Nir::with_key(&format!("{sex}{:02}{month:02}{birthplace}{order:03}", year.rem_euclid(100))), "NIR")
}

/// Reserved reference numbers of `year` handed out one at a time, in order.
struct ReferenceBlock {
    year: i32,
    next: u32,
}

impl ReferenceBlock {
    /// Reserves `count` numbers of `year` (inside the caller's transaction, so a failure leaves no gap).
    async fn reserve(db: &impl sea_orm::ConnectionTrait, year: i32, count: u32) -> Result<Self, DbErr> {
        let last = app::server::requests::submit::reserve_references(db, year, count)
            .await
            .map_err(|e| DbErr::Custom(format!("reference numbers of {year} could not be reserved: {e}")))?;
        Ok(ReferenceBlock { year, next: last + 1 - count })
    }

    fn take(&mut self) -> String {
        let reference = app::domain::reference::Reference { year: self.year, number: self.next };
        self.next += 1;
        reference.to_string()
    }
}

pub use history::demo_history;

/// Loads the demo caisses, accueils, structures, conventions, accounts and requests; returns how many rows were added.
pub async fn demo(db: &DatabaseConnection, password: &str, mfa: &MfaSettings, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let today = now.date_naive();
    let phone_hours = written(OpeningHours::parse(PHONE_HOURS), "phone hours")?;
    let weekday_hours = written(OpeningHours::parse(WEEKDAY_HOURS), "accueil hours")?;
    let mut added = 0;
    let mut caisse_ids = std::collections::HashMap::new();
    for seed in &CAISSES {
        let id = match caisse::Entity::find().filter(caisse::Column::Code.eq(seed.code)).one(db).await? {
            Some(existing) => existing.id,
            None => {
                added += 1;
                caisse::ActiveModel {
                    id: Set(new_id()),
                    code: Set(seed.code.to_owned()),
                    name: Set(seed.name.to_owned()),
                    departement: Set(seed.departement.to_owned()),
                    phone_hours: Set(phone_hours.clone()),
                    created_at: Set(now),
                }
                .insert(db)
                .await?
                .id
            }
        };
        if accueil::Entity::find().filter(accueil::Column::CaisseId.eq(&id)).count(db).await? == 0 {
            for (name, address, postal_code, commune, phone) in seed.accueils {
                added += 1;
                accueil::ActiveModel {
                    id: Set(new_id()),
                    caisse_id: Set(id.clone()),
                    name: Set((*name).to_owned()),
                    address: Set((*address).to_owned()),
                    postal_code: Set((*postal_code).to_owned()),
                    commune: Set((*commune).to_owned()),
                    phone: Set(Some((*phone).to_owned())),
                    opening_hours: Set(weekday_hours.clone()),
                    active: Set(true),
                }
                .insert(db)
                .await?;
            }
        }
        if team::Entity::find().filter(team::Column::CaisseId.eq(&id)).count(db).await? == 0 {
            for (name, kinds) in DEFAULT_TEAMS {
                added += 1;
                team::ActiveModel {
                    id: Set(new_id()),
                    caisse_id: Set(id.clone()),
                    name: Set(name.to_owned()),
                    kinds: Set(RequestKinds::from(kinds)),
                    created_at: Set(now),
                }
                .insert(db)
                .await?;
            }
        }
        caisse_ids.insert(seed.code, id);
    }

    let mut structure_ids = std::collections::HashMap::new();
    for seed in &STRUCTURES {
        let caisse_id = caisse_ids[seed.caisse].clone();
        let existing = partner_structure::Entity::find().filter(partner_structure::Column::Siret.eq(seed.siret)).one(db).await?;
        let id = match existing {
            Some(structure) => structure.id,
            None => {
                added += 1;
                let id = partner_structure::ActiveModel {
                    id: Set(new_id()),
                    caisse_id: Set(caisse_id.clone()),
                    name: Set(seed.name.to_owned()),
                    kind: Set(seed.kind),
                    siret: Set(Some(written(Siret::parse(seed.siret), "SIRET")?)),
                    address: Set(seed.address.to_owned()),
                    postal_code: Set(seed.postal_code.to_owned()),
                    commune: Set(seed.commune.to_owned()),
                    created_at: Set(now),
                    updated_at: Set(now),
                }
                .insert(db)
                .await?
                .id;
                added += 1;
                convention_for(seed.deal, &id, &caisse_id, today, now).insert(db).await?;
                id
            }
        };
        structure_ids.insert(seed.siret, id);
    }

    for seed in &ACCOUNTS {
        if account::Entity::find().filter(account::Column::Email.eq(seed.email)).one(db).await?.is_some() {
            continue;
        }
        let password = password.to_owned();
        let hash = tokio::task::spawn_blocking(move || PasswordHash::new(&password))
            .await
            .map_err(|e| DbErr::Custom(e.to_string()))?
            .map_err(|e| DbErr::Custom(e.to_string()))?;
        let team_id = match seed.team {
            Some(name) => team::Entity::find()
                .filter(team::Column::CaisseId.eq(&caisse_ids[seed.caisse]))
                .filter(team::Column::Name.eq(name))
                .one(db)
                .await?
                .map(|t| t.id),
            None => None,
        };
        added += 1;
        account::ActiveModel {
            id: Set(new_id()),
            email: Set(seed.email.to_owned()),
            first_name: Set(seed.first_name.to_owned()),
            last_name: Set(seed.last_name.to_owned()),
            role: Set(seed.role),
            caisse_id: Set(caisse_ids.get(seed.caisse).cloned()),
            structure_id: Set(seed.structure_siret.map(|siret| structure_ids[siret].clone())),
            team_id: Set(team_id),
            mail_preference: Set(MailPreference::default()),
            password_hash: Set(Some(hash.as_stored().to_owned())),
            trained_on: Set(seed.trained.then(|| today - Duration::days(90))),
            active: Set(true),
            last_sign_in_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(db)
        .await?;
    }
    enrol_with_demo_secret(db, mfa, ACCOUNTS.iter().map(|seed| seed.email), now).await?;
    added += requests::demo_requests(db, now).await?;
    Ok(added)
}

/// Enrols the accounts of `emails` that have no second factor yet with the published demo secret
/// (`DEMO_TOTP_SECRET`), so that people and scripts compute their codes.
pub(crate) async fn enrol_with_demo_secret<'a>(
    db: &DatabaseConnection,
    mfa: &MfaSettings,
    emails: impl Iterator<Item = &'a str>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let emails: Vec<&str> = emails.collect();
    let accounts = account::Entity::find().filter(account::Column::Email.is_in(emails)).all(db).await?;
    let enrolled: std::collections::HashSet<String> =
        second_factor::Entity::find().all(db).await?.into_iter().map(|factor| factor.account_id).collect();
    for account in accounts.iter().filter(|account| !enrolled.contains(&account.id)) {
        app::server::auth::second_factor::enrol_with_known_secret(db, mfa, &account.id, now).await.map_err(|e| DbErr::Custom(e.to_string()))?;
    }
    Ok(())
}

/// A value the seed writes in its own source, read through the domain like any typed one: a typo fails the seed.
pub(crate) fn written<T, E: std::fmt::Display>(parsed: Result<T, E>, what: &str) -> Result<T, DbErr> {
    parsed.map_err(|e| DbErr::Custom(format!("seed {what}: {e}")))
}

fn convention_for(deal: Deal, structure_id: &str, caisse_id: &str, today: NaiveDate, now: DateTime<Utc>) -> convention::ActiveModel {
    let (status, starts_on, ends_on, reason) = match deal {
        Deal::Active => (ConventionStatus::Active, today - Duration::days(400), Some(today + Duration::days(700)), None),
        Deal::Suspended => (
            ConventionStatus::Suspended,
            today - Duration::days(300),
            Some(today + Duration::days(400)),
            Some("Accès suspendu dans l'attente de la désignation d'un nouveau référent formé.".to_owned()),
        ),
        Deal::Signed => (ConventionStatus::Signed, today + Duration::days(30), Some(today + Duration::days(1125)), None),
        Deal::Expired => (ConventionStatus::Expired, today - Duration::days(1130), Some(today - Duration::days(35)), None),
        Deal::Draft => (ConventionStatus::Draft, today + Duration::days(60), None, None),
    };
    convention::ActiveModel {
        id: Set(new_id()),
        structure_id: Set(structure_id.to_owned()),
        caisse_id: Set(caisse_id.to_owned()),
        status: Set(status),
        starts_on: Set(starts_on),
        ends_on: Set(ends_on),
        kinds: Set(RequestKinds::all()),
        suspension_reason: Set(reason),
        signed_document_key: Set(None),
        signed_document_name: Set(None),
        previous_convention_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::siret::Siret;

    #[test]
    fn demo_structures_carry_valid_sirets_and_accounts_point_at_them() {
        for structure in &STRUCTURES {
            assert!(Siret::parse(structure.siret).is_ok(), "{}", structure.name);
        }
        for account in &ACCOUNTS {
            if let Some(siret) = account.structure_siret {
                assert!(STRUCTURES.iter().any(|s| s.siret == siret && s.caisse == account.caisse), "{}", account.email);
            }
        }
        assert_eq!(DEMO_ACCOUNTS.map(|(email, _)| email), ACCOUNTS.map(|a| a.email));
    }

    #[test]
    fn nirs_get_the_key_of_their_thirteen_digits() {
        assert_eq!(nir(1, 1984, 12, "76451", 89).map(|n| n.normalised().to_owned()), Ok("184127645108946".to_owned()));
        for (sex, year, month, place, order) in
            [(2, 2005, 1, "99330", 64), (1, 1900, 1, "01001", 1), (2, 2009, 12, "99352", 999), (1, 1955, 10, "99999", 1)]
        {
            assert!(nir(sex, year, month, place, order).is_ok(), "{sex}{year}{month}{place}{order}");
        }
    }

    /// Demo twice (the second run adds nothing), then volume twice (the second appends), on a scratch SQLite file.
    #[tokio::test]
    async fn demo_and_volume_fill_a_fresh_database_consistently() {
        use app::server::entities::{request, request_event, request_message};
        use chrono::Datelike;
        use sea_orm::QueryOrder;

        let path = std::env::temp_dir().join(format!("seed-{}.db", uuid::Uuid::new_v4()));
        let db = app::server::db::connect(&format!("sqlite://{}?mode=rwc", path.display())).await.expect("a scratch SQLite file");
        app::server::db::migrate(&db).await.expect("migrated");
        let now = Utc::now();

        let mfa = app::server::settings::Settings::from_lookup(|_| None).expect("defaults").mfa;
        assert!(demo(&db, "secret", &mfa, now).await.expect("demo data") > 0);
        assert_eq!(demo(&db, "secret", &mfa, now).await.expect("demo data"), 0, "a second run adds nothing");
        assert_eq!(second_factor::Entity::find().count(&db).await.expect("factors") as usize, ACCOUNTS.len(), "every demo account enrolled once");
        let all = request::Entity::find().order_by_asc(request::Column::Id).all(&db).await.expect("requests");
        assert_eq!(all.len(), 33);
        assert!(all.windows(2).all(|w| w[0].created_at <= w[1].created_at), "ids follow creation time");
        assert!(all.iter().all(|r| r.created_at <= now));
        for r in &all {
            let events = request_event::Entity::find()
                .filter(request_event::Column::RequestId.eq(&r.id))
                .order_by_asc(request_event::Column::Id)
                .all(&db)
                .await
                .expect("events");
            assert_eq!(events[0].action, "submit");
            assert_eq!(events.last().map(|e| e.to_status), Some(r.status), "{}", r.reference);
            assert!(events.windows(2).all(|w| w[0].occurred_at <= w[1].occurred_at && w[1].occurred_at <= now));
            assert_eq!(r.closed_at.is_some(), !r.status.is_open());
        }
        let internal = request_message::Entity::find().filter(request_message::Column::Internal.eq(true)).count(&db).await.expect("messages");
        assert_eq!(internal, 3);

        let options = |requests| volume::VolumeOptions { requests, caisses: 2, structures: 5, password: "secret".to_owned(), mfa: mfa.clone() };
        let first = volume::volume(&db, options(2_500), now).await.expect("volume data");
        assert_eq!((first.caisses_added, first.structures_added, first.accounts_added, first.requests), (2, 5, 5 + 2, 2_500));
        let again = volume::volume(&db, options(100), now).await.expect("volume data");
        assert_eq!((again.caisses_added, again.structures_added, again.accounts_added, again.requests), (0, 0, 0, 100));

        let all = request::Entity::find().all(&db).await.expect("requests");
        assert_eq!(all.len(), 33 + 2_600);
        assert_eq!(request_event::Entity::find().filter(request_event::Column::Action.eq("submit")).count(&db).await.expect("events"), 33 + 2_600);
        let mut numbers: std::collections::HashMap<i32, Vec<u32>> = std::collections::HashMap::new();
        for r in &all {
            let reference = app::domain::reference::Reference::parse(&r.reference).expect("a valid reference");
            assert_eq!(reference.year, r.created_at.year(), "{}", r.reference);
            numbers.entry(reference.year).or_default().push(reference.number);
        }
        for (year, mut list) in numbers {
            list.sort_unstable();
            assert_eq!(list, (1..=list.len() as u32).collect::<Vec<_>>(), "references of {year} have no gap");
        }
        drop(db);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
}
