//! Fuzzes `Siret::parse`: any text gets an answer, never a panic, and an accepted SIRET reads back from its display.
#![no_main]

use app::domain::siret::Siret;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(siret) = Siret::parse(text)
    {
        assert_eq!(siret.as_str().len(), 14);
        assert!(siret.as_str().starts_with(siret.siren()));
        assert_eq!(Siret::parse(&siret.to_string()).as_ref(), Ok(&siret));
    }
});
