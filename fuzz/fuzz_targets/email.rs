//! Fuzzes `EmailAddress::parse`: any text gets an answer, never a panic, and a stored address parses to itself.
#![no_main]

use app::domain::email::EmailAddress;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(email) = EmailAddress::parse(text)
    {
        assert!(email.as_str().len() <= 254);
        assert_eq!(EmailAddress::parse(email.as_str()).as_ref(), Ok(&email));
    }
});
