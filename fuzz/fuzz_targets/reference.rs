//! Fuzzes `Reference::parse` (a request's reference as typed in a search): never a panic, and what passes prints
//! and reads back the same.
#![no_main]

use app::domain::reference::Reference;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Some(reference) = Reference::parse(text)
    {
        assert_eq!(Reference::parse(&reference.to_string()), Some(reference));
    }
});
