//! Fuzzes every parser of typed dates: the audit log's period (`Period::parse`), a convention's terms
//! (`parse_terms`, then its renewal) and an assuré's birth date (the submission rules). Never a panic.
#![no_main]

use app::domain::period::Period;
use app::domain::convention::parse_terms;
use app::domain::request_kind::RequestKind;
use app::domain::form_values::FormValues;
use app::domain::submission::{Context, validate};
use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // Either the whole input for both ends, or the two lines of it.
    let (first, second) = text.split_once('\n').unwrap_or((text, text));
    if let Ok(period) = Period::parse(first, second)
        && let (Some(from), Some(to)) = (period.from, period.to)
    {
        assert!(from <= to);
    }
    let today = NaiveDate::from_ymd_opt(2026, 11, 22).expect("a date");
    if let Ok(terms) = parse_terms(first, second, &["contact"]) {
        assert!(terms.ends_on.is_none_or(|end| end > terms.starts_on));
        let renewal = terms.renewal(today);
        assert!(renewal.starts_on >= today);
    }
    let form = FormValues::new()
        .with("subject", "Objet")
        .with("message", "Message")
        .with("last_name", "Martin")
        .with("first_names", "Élodie")
        .with("birth_date", first)
        .with("consent", "on")
        .with("consent_method", "oral");
    if let Ok(submission) = validate(RequestKind::Contact, &form, &Context { today, accueils: &[] }) {
        let birth_date = submission.beneficiary.expect("the assuré block was filled in").birth_date;
        assert!(birth_date <= today);
    }
});
