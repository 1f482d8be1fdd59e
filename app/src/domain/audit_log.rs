//! Reading the audit log: French names for the action codes the application writes, how long entries are kept,
//! and the CSV export (French Excel: `;`, BOM, formulas defused). Its period filter is `domain::period`.

use chrono::{DateTime, Months, Utc};

/// The actions the application records, with what an admin reads for each. Codes not listed here are shown as is.
pub const KNOWN_ACTIONS: [(&str, &str); 49] = [
    ("auth.signed_in", "Connexion"),
    ("auth.signed_out", "Déconnexion"),
    ("auth.sign_in_failed", "Échec de connexion"),
    ("auth.sign_in_throttled", "Connexion bloquée (trop de tentatives)"),
    ("password.reset_requested", "Lien de réinitialisation du mot de passe envoyé"),
    ("password.reset_unknown", "Réinitialisation demandée pour une adresse inconnue"),
    ("password.reset", "Mot de passe réinitialisé"),
    ("password.changed", "Mot de passe changé"),
    ("password.change_refused", "Changement de mot de passe refusé (mot de passe actuel erroné)"),
    ("password.change_throttled", "Changement de mot de passe bloqué (trop de tentatives)"),
    ("account.invited", "Compte créé et invitation envoyée"),
    ("account.invitation_resent", "Invitation renvoyée"),
    ("account.activated", "Compte activé depuis une invitation"),
    ("account.updated", "Compte modifié"),
    ("account.training_recorded", "Formation enregistrée"),
    ("account.deactivated", "Compte désactivé"),
    ("account.reactivated", "Compte réactivé"),
    ("account.mail_preference", "Préférence de notification modifiée"),
    ("structure.created", "Structure partenaire ajoutée"),
    ("structure.updated", "Structure partenaire modifiée"),
    ("convention.created", "Convention préparée (brouillon)"),
    ("convention.updated", "Convention modifiée"),
    ("convention.signed", "Convention signée (document enregistré)"),
    ("convention.suspended", "Convention suspendue"),
    ("convention.resumed", "Convention réactivée"),
    ("convention.terminated", "Convention résiliée"),
    ("convention.renewed", "Convention renouvelée (nouveau brouillon)"),
    ("request.submitted", "Demande envoyée"),
    ("request.viewed", "Demande consultée"),
    ("request.withdrawn", "Demande retirée par la structure"),
    ("request.replied", "Message sur une demande"),
    ("request.noted", "Note interne sur une demande"),
    ("request.triaged", "Demande traitée (changement d'étape)"),
    ("request.nir_revealed", "NIR affiché en entier"),
    ("request.followed", "Demande suivie par e-mail"),
    ("request.unfollowed", "Fin du suivi d'une demande par e-mail"),
    ("attachment.downloaded", "Pièce jointe téléchargée"),
    ("canned_reply.created", "Réponse type ajoutée"),
    ("canned_reply.updated", "Réponse type modifiée"),
    ("canned_reply.deleted", "Réponse type supprimée"),
    ("due_dates.updated", "Délais de traitement modifiés"),
    ("accueil.created", "Accueil ajouté"),
    ("accueil.updated", "Accueil modifié"),
    ("accueil.deactivated", "Accueil désactivé"),
    ("accueil.reactivated", "Accueil réactivé"),
    ("team.created", "Équipe ajoutée"),
    ("team.updated", "Équipe modifiée"),
    ("team.deleted", "Équipe supprimée"),
    ("audit.exported", "Journal d'audit exporté (CSV)"),
];

/// Groups of actions an admin can filter on, by the prefix their codes share.
pub const ACTION_FAMILIES: [(&str, &str); 12] = [
    ("auth.", "Connexions"),
    ("password.", "Mots de passe"),
    ("account.", "Comptes"),
    ("request.", "Demandes"),
    ("attachment.", "Pièces jointes"),
    ("canned_reply.", "Réponses types"),
    ("due_dates.", "Délais de traitement"),
    ("accueil.", "Accueils"),
    ("team.", "Équipes"),
    ("structure.", "Structures partenaires"),
    ("convention.", "Conventions"),
    ("audit.", "Journal d'audit"),
];

/// The kinds of object entries are about, as admins name them.
pub const OBJECT_TYPES: [(&str, &str); 9] = [
    ("account", "Compte"),
    ("request", "Demande"),
    ("attachment", "Pièce jointe"),
    ("canned_reply", "Réponse type"),
    ("caisse", "Caisse"),
    ("accueil", "Accueil"),
    ("team", "Équipe"),
    ("structure", "Structure partenaire"),
    ("convention", "Convention"),
];

/// What an admin reads for an action code: its French name, or the code itself when it has none.
pub fn action_label(code: &str) -> String {
    KNOWN_ACTIONS.iter().find(|(known, _)| *known == code).map_or_else(|| code.to_owned(), |(_, label)| (*label).to_owned())
}

/// What an admin reads for an object type: its French name, or the code itself.
pub fn object_type_label(code: &str) -> String {
    OBJECT_TYPES.iter().find(|(known, _)| *known == code).map_or_else(|| code.to_owned(), |(_, label)| (*label).to_owned())
}

/// How many months entries are kept when nothing else is configured.
pub const DEFAULT_RETENTION_MONTHS: u32 = 12;

/// Entries that occurred before this instant are past the retention period (`months` calendar months before `now`).
pub fn retention_cutoff(now: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    now.checked_sub_months(Months::new(months)).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// How many rows an export carries at most.
pub const EXPORT_MAX_ROWS: usize = 100_000;

/// A CSV document as French Excel opens it: UTF-8 with a byte-order mark, `;` between fields, every field quoted,
/// lines ended by CRLF, and cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) defused
/// with a leading apostrophe.
pub struct CsvDocument {
    text: String,
}

impl CsvDocument {
    pub fn new(header: &[&str]) -> Self {
        let mut document = CsvDocument { text: String::from('\u{feff}') };
        document.push_row(header);
        document
    }

    pub fn push_row<S: AsRef<str>>(&mut self, cells: &[S]) {
        let line: Vec<String> = cells.iter().map(|cell| csv_cell(cell.as_ref())).collect();
        self.text.push_str(&line.join(";"));
        self.text.push_str("\r\n");
    }

    /// The document, with `note` as a last line of its own when there is one (e.g. the export was cut).
    pub fn finish(mut self, note: Option<&str>) -> String {
        if let Some(note) = note {
            self.push_row(&[note]);
        }
        self.text
    }
}

/// One field, quoted, with a spreadsheet formula made inert.
pub fn csv_cell(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_owned() };
    format!("\"{}\"", guarded.replace('"', "\"\""))
}

/// The last line of an export cut at `max` rows.
pub fn cut_note(max: usize) -> String {
    format!(
        "Export limité aux {} entrées les plus récentes : précisez les filtres (période, acteur, action) pour obtenir les autres.",
        thousands(max)
    )
}

/// `100000` → `100 000` (a narrow no-break space, as French typography wants).
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_actions_read_in_french_and_unknown_ones_as_their_code() {
        for (code, label) in [
            ("auth.signed_in", "Connexion"),
            ("request.nir_revealed", "NIR affiché en entier"),
            ("audit.exported", "Journal d'audit exporté (CSV)"),
            ("structure.archived", "structure.archived"),
            ("", ""),
        ] {
            assert_eq!(action_label(code), label, "{code}");
        }
        assert_eq!(object_type_label("request"), "Demande");
        assert_eq!(object_type_label("widget"), "widget");
    }

    #[test]
    fn every_known_action_belongs_to_a_family_and_appears_once() {
        for (code, _) in KNOWN_ACTIONS {
            assert!(ACTION_FAMILIES.iter().any(|(prefix, _)| code.starts_with(prefix)), "{code}");
            assert_eq!(KNOWN_ACTIONS.iter().filter(|(c, _)| *c == code).count(), 1, "{code}");
        }
    }

    #[test]
    fn retention_counts_calendar_months_back_from_now() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).expect("date").with_timezone(&Utc);
        for (now, months, cutoff) in [
            ("2026-11-22T10:00:00Z", 12, "2025-11-22T10:00:00Z"),
            ("2026-11-22T10:00:00Z", 1, "2026-10-22T10:00:00Z"),
            ("2026-03-31T00:00:00Z", 1, "2026-02-28T00:00:00Z"),
            ("2026-11-22T10:00:00Z", 0, "2026-11-22T10:00:00Z"),
        ] {
            assert_eq!(retention_cutoff(at(now), months), at(cutoff), "{now} − {months} mois");
        }
    }

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        for (value, cell) in [
            ("admin@example.org", r#""admin@example.org""#),
            ("", r#""""#),
            ("dit \"bonjour\"", r#""dit ""bonjour""""#),
            ("a;b", r#""a;b""#),
            ("ligne 1\nligne 2", "\"ligne 1\nligne 2\""),
            ("=HYPERLINK(\"http://x\")", r#""'=HYPERLINK(""http://x"")""#),
            ("+33 1 23", r#""'+33 1 23""#),
            ("-2+3", r#""'-2+3""#),
            ("@SUM(A1)", r#""'@SUM(A1)""#),
            ("\t=1", "\"'\t=1\""),
            ("Évry = ville", r#""Évry = ville""#),
        ] {
            assert_eq!(csv_cell(value), cell, "{value}");
        }
    }

    #[test]
    fn a_document_starts_with_a_bom_and_its_header_and_may_end_with_a_note() {
        let mut document = CsvDocument::new(&["Date", "Acteur"]);
        document.push_row(&["22/11/2026 10:00", "=cmd"]);
        assert_eq!(document.finish(None), "\u{feff}\"Date\";\"Acteur\"\r\n\"22/11/2026 10:00\";\"'=cmd\"\r\n");
        let cut = CsvDocument::new(&["Date"]).finish(Some(&cut_note(EXPORT_MAX_ROWS)));
        assert!(cut.ends_with("\"Export limité aux 100\u{202f}000 entrées les plus récentes : précisez les filtres (période, acteur, action) pour obtenir les autres.\"\r\n"), "{cut}");
    }

    #[test]
    fn thousands_are_grouped_by_three() {
        for (n, text) in [(0, "0"), (999, "999"), (1000, "1\u{202f}000"), (100_000, "100\u{202f}000"), (1_234_567, "1\u{202f}234\u{202f}567")] {
            assert_eq!(thousands(n), text);
        }
    }
}
