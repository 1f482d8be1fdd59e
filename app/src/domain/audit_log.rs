//! Reading the audit log: French names for the action codes the application writes, the period an admin asks
//! for (typed dates), how long entries are kept, and the CSV export (French Excel: `;`, BOM, formulas defused).

use crate::domain::field_error::FieldError;
use chrono::{DateTime, Months, NaiveDate, Utc};

/// The actions the application records, with what an admin reads for each. Codes not listed here are shown as is.
pub const KNOWN_ACTIONS: [(&str, &str); 29] = [
    ("auth.signed_in", "Connexion"),
    ("auth.signed_out", "Déconnexion"),
    ("auth.sign_in_failed", "Échec de connexion"),
    ("auth.sign_in_throttled", "Connexion bloquée (trop de tentatives)"),
    ("password.reset_requested", "Lien de réinitialisation du mot de passe envoyé"),
    ("password.reset_unknown", "Réinitialisation demandée pour une adresse inconnue"),
    ("password.reset", "Mot de passe réinitialisé"),
    ("account.activated", "Compte activé depuis une invitation"),
    ("account.mail_preference", "Préférence de notification modifiée"),
    ("request.submitted", "Demande envoyée"),
    ("request.viewed", "Demande consultée"),
    ("request.withdrawn", "Demande retirée par la structure"),
    ("request.replied", "Message sur une demande"),
    ("request.noted", "Note interne sur une demande"),
    ("request.triaged", "Demande traitée (changement d'étape)"),
    ("request.nir_revealed", "NIR affiché en entier"),
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

/// The days an admin asked for, both included; either end may be open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Period {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

const DATE_FORMAT_HINT: &str = "au format JJ/MM/AAAA, par exemple 22/11/2026";

/// A day as a date field sends it (`2026-11-22`) or as someone types it (`22/11/2026`, `22-11-2026`, `22.11.2026`).
fn parse_day(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .or_else(|| ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"].into_iter().find_map(|format| NaiveDate::parse_from_str(text, format).ok()))
        .filter(|day| (1900..=9999).contains(&chrono::Datelike::year(day)))
}

impl Period {
    /// The period typed in the fields `du` and `au` (empty: no bound), with a French message per wrong field.
    pub fn parse(from: &str, to: &str) -> Result<Period, Vec<FieldError>> {
        let mut problems = vec![];
        let mut read = |field: &'static str, text: &str, what: &str| {
            if text.trim().is_empty() {
                return None;
            }
            let day = parse_day(text);
            if day.is_none() {
                problems.push(FieldError::new(
                    field,
                    format!("La date {what} « {} » n'est pas une date : saisissez-la {DATE_FORMAT_HINT}.", text.trim()),
                ));
            }
            day
        };
        let period = Period { from: read("du", from, "de début"), to: read("au", to, "de fin") };
        if let (Some(from), Some(to)) = (period.from, period.to)
            && to < from
        {
            problems
                .push(FieldError::new("au", "La date de fin précède la date de début : choisissez une date de fin postérieure ou égale.".to_owned()));
        }
        if problems.is_empty() { Ok(period) } else { Err(problems) }
    }
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

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

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
    fn periods_accept_date_fields_and_typed_french_dates() {
        for (from, to, expected) in [
            ("", "", Period::default()),
            ("2026-11-01", "", Period { from: day(2026, 11, 1), to: None }),
            ("", " 22/11/2026 ", Period { from: None, to: day(2026, 11, 22) }),
            ("01-11-2026", "01.12.2026", Period { from: day(2026, 11, 1), to: day(2026, 12, 1) }),
            ("2026-11-22", "2026-11-22", Period { from: day(2026, 11, 22), to: day(2026, 11, 22) }),
        ] {
            assert_eq!(Period::parse(from, to), Ok(expected), "{from} → {to}");
        }
    }

    #[test]
    fn wrong_dates_are_refused_on_their_own_field() {
        for (from, to, fields) in [
            ("hier", "", vec!["du"]),
            ("", "31/02/2026", vec!["au"]),
            ("2026-13-01", "n'importe", vec!["du", "au"]),
            ("2026-11-22", "2026-11-21", vec!["au"]),
            ("22/11/26", "", vec!["du"]),
        ] {
            let problems = Period::parse(from, to).expect_err("refused");
            assert_eq!(problems.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), fields, "{from} → {to}");
        }
        let problems = Period::parse("hier", "").expect_err("refused");
        assert_eq!(problems[0].message, "La date de début « hier » n'est pas une date : saisissez-la au format JJ/MM/AAAA, par exemple 22/11/2026.");
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

    #[test]
    fn multibyte_and_far_dates_are_refused_in_french() {
        for typed in ["２２/11/2026", "22/11/2026€", "22/1é/2026", "+262143-12-31", "-0001-01-01"] {
            let problems = Period::parse(typed, "").expect_err(typed);
            assert_eq!(
                problems,
                [FieldError::new("du", format!("La date de début « {typed} » n'est pas une date : saisissez-la {DATE_FORMAT_HINT}."))]
            );
        }
    }

    mod properties {
        //! Properties of `Period::parse` (the audit log's date filters) over arbitrary and generated text.

        use super::*;
        use crate::domain::form_values::typed_text::{any_text, shaped_with_one_odd_char};
        use chrono::Datelike;
        use proptest::prelude::*;

        fn day_ish() -> impl Strategy<Value = String> {
            prop_oneof!["[+-]?[0-9]{1,6}[-/.][0-9]{1,2}[-/.][0-9]{1,6}", shaped_with_one_odd_char("[0-9]{2}/[0-9]{2}/[0-9]{4}"), any_text(),]
        }

        proptest! {
            #[test]
            fn any_typed_period_gets_an_answer(from in day_ish(), to in day_ish()) {
                match Period::parse(&from, &to) {
                    Ok(period) => {
                        for day in [period.from, period.to].into_iter().flatten() {
                            prop_assert!((1900..=9999).contains(&day.year()));
                        }
                        if let (Some(from), Some(to)) = (period.from, period.to) {
                            prop_assert!(from <= to);
                        }
                        prop_assert_eq!(period.from.is_none(), from.trim().is_empty());
                        prop_assert_eq!(period.to.is_none(), to.trim().is_empty());
                    }
                    Err(problems) => {
                        prop_assert!(!problems.is_empty());
                        prop_assert!(problems.iter().all(|p| ["du", "au"].contains(&p.field.as_str()) && p.message.starts_with("La date de ")));
                    }
                }
            }

            #[test]
            fn a_day_reads_back_in_every_accepted_form(offset in 0u64..2_900_000) {
                let day = NaiveDate::from_ymd_opt(1900, 1, 1).expect("a date") + chrono::Days::new(offset);
                for format in ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"] {
                    let typed = day.format(format).to_string();
                    prop_assert_eq!(Period::parse(&typed, &typed), Ok(Period { from: Some(day), to: Some(day) }), "{}", typed);
                }
            }
        }
    }
}
