//! How long personal data is kept (CNIL, RGPD): audit entries `AUDIT_RETENTION_MONTHS` (12), the assuré's data of a
//! closed or withdrawn request `RETENTION_MONTHS` (24) after it ended; past that, it is purged, counts kept.

use chrono::{DateTime, Months, Utc};

/// How many months an ended request keeps its assuré's data when nothing else is configured.
pub const DEFAULT_REQUEST_MONTHS: u32 = 24;

/// What a purged request's subject reads, in lists and on its page.
pub const PURGED_SUBJECT: &str = "Contenu effacé au terme de la durée de conservation";

/// What happened before this instant is past a retention period of `months` calendar months counted back from `now`.
pub fn cutoff(now: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    now.checked_sub_months(Months::new(months)).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retention_counts_calendar_months_back_from_now() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).expect("date").with_timezone(&Utc);
        for (now, months, expected) in [
            ("2026-11-22T10:00:00Z", 12, "2025-11-22T10:00:00Z"),
            ("2026-11-22T10:00:00Z", 24, "2024-11-22T10:00:00Z"),
            ("2026-11-22T10:00:00Z", 1, "2026-10-22T10:00:00Z"),
            ("2026-03-31T00:00:00Z", 1, "2026-02-28T00:00:00Z"),
            ("2026-11-22T10:00:00Z", 0, "2026-11-22T10:00:00Z"),
        ] {
            assert_eq!(cutoff(at(now), months), at(expected), "{now} − {months} mois");
        }
    }
}
