//! The demo accounts under one name each (all signing in with `support::PASSWORD`), and how a test finds the ids
//! of what the demo data holds.

use crate::support::TestApp;

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
    app.text(&format!("SELECT id FROM accounts WHERE email = '{email}'")).await
}

/// The id of the structure with this SIRET.
pub async fn structure_id(app: &TestApp, siret: &str) -> String {
    app.text(&format!("SELECT id FROM partner_structures WHERE siret = '{siret}'")).await
}

/// The id of the caisse with this code ("091", "059").
pub async fn caisse_id(app: &TestApp, code: &str) -> String {
    app.text(&format!("SELECT id FROM caisses WHERE code = '{code}'")).await
}
