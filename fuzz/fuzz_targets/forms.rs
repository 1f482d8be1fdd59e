//! Fuzzes the admin forms' other parsers with the input's lines as fields: a structure's profile (SIRET, postal
//! code), an accueil (postal code, telephone, hours), a team, an answer budget, a reason.
//! Never a panic; every problem names a field.
#![no_main]

use app::domain::accueil::AccueilDraft;
use app::domain::convention::parse_reason;
use app::domain::request_kind::RequestKinds;
use app::domain::due_date::DueDatePolicy;
use app::domain::form_values::FormValues;
use app::domain::structure_profile::{StructureProfile, TypedProfile};
use app::domain::teams::TeamDraft;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut lines = text.split('\n');
    let fields: [&str; 6] = std::array::from_fn(|_| lines.next().unwrap_or(""));

    let typed = TypedProfile { name: fields[0], kind: fields[1], siret: fields[2], address: fields[3], postal_code: fields[4], commune: fields[5] };
    if let Err(problems) = StructureProfile::parse(&typed) {
        assert!(!problems.is_empty());
    }

    let mut form = FormValues::new();
    for (name, value) in ["name", "address", "postal_code", "commune", "phone", "hours_mon"].into_iter().zip(fields) {
        form.push(name, value);
    }
    if let Ok(accueil) = AccueilDraft::parse(&form) {
        assert_eq!(accueil.postal_code.len(), 5);
    }

    let _ = TeamDraft::parse(fields[0], &fields[1..]);
    if let Ok(days) = DueDatePolicy::parse_budget(text) {
        assert!((1..=60).contains(&days));
    }
    let _ = parse_reason(text);
    if let Ok(kinds) = RequestKinds::parse(text) {
        assert_eq!(RequestKinds::parse(&kinds.codes()), Ok(kinds));
    }
});
