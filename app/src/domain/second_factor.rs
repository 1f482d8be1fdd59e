//! The rules of the second factor of sign-in: TOTP (RFC 6238: SHA-1, 6 digits, 30-second steps, one step of
//! skew), the replay guard, how a key is shown for typing, the recovery codes' shape, and how long the second step
//! waits. The codes themselves are computed on the server (`server::auth::second_factor`).

/// Seconds per TOTP step.
pub const STEP_SECONDS: u64 = 30;
/// Digits of a code.
pub const DIGITS: usize = 6;
/// Steps accepted on either side of the current one (a phone's clock a little off, a code typed as it changed).
pub const SKEW_STEPS: u64 = 1;
/// Recovery codes given at enrolment (and at each renewal).
pub const RECOVERY_CODE_COUNT: usize = 10;
/// Characters of a recovery code, without the hyphen shown in its middle.
pub const RECOVERY_CODE_CHARS: usize = 10;
/// The alphabet of recovery codes: no 0/O, 1/I/L, so that a code read from paper is typed right.
pub const RECOVERY_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// How long, after the password was accepted, the second step may still be taken (enrolment included: time to
/// install an app).
pub const SECOND_STEP_MINUTES: i64 = 10;
/// The name authenticator apps show next to the account.
pub const ISSUER: &str = "Espace Partenaires";

/// The TOTP step a Unix time falls in.
pub fn step_at(unix_seconds: u64) -> u64 {
    unix_seconds / STEP_SECONDS
}

/// A code as typed, once spaces are removed: six digits, or nothing usable.
pub fn typed_code(typed: &str) -> Option<String> {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    (digits.len() == DIGITS && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// Whether a code that matched `step` may be accepted after `last_accepted`: each step's code works once, and
/// never after a later one was used (totp-rs leaves this guard to its caller).
pub fn replay_free(step: u64, last_accepted: Option<u64>) -> bool {
    last_accepted.is_none_or(|last| step > last)
}

/// A Base32 key in groups of four characters, as people copy it into an app by hand.
pub fn key_in_groups(base32: &str) -> String {
    let chars: Vec<char> = base32.chars().filter(|c| *c != '=').collect();
    chars.chunks(4).map(|group| group.iter().collect::<String>()).collect::<Vec<_>>().join(" ")
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn otpauth_url(account: &str, base32: &str) -> String {
    let label = format!("{ISSUER}:{account}");
    format!(
        "otpauth://totp/{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        percent_encode(&label),
        base32.trim_end_matches('='),
        percent_encode(ISSUER)
    )
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'@' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// A recovery code as shown: `ABCDE-FGHJK`.
pub fn shown_recovery_code(code: &str) -> String {
    let (first, second) = code.split_at(code.len() / 2);
    format!("{first}-{second}")
}

/// A recovery code as typed (any case, with or without its hyphen or spaces), or nothing usable.
pub fn typed_recovery_code(typed: &str) -> Option<String> {
    let code: String = typed.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
    (code.len() == RECOVERY_CODE_CHARS && code.bytes().all(|b| RECOVERY_ALPHABET.contains(&b))).then_some(code)
}

/// A recovery code drawn from `random` bytes (one character per byte, by rejection so that every character is as
/// likely); `None` if the bytes ran out first.
pub fn recovery_code_from(random: &mut impl Iterator<Item = u8>) -> Option<String> {
    let n = RECOVERY_ALPHABET.len();
    let limit = (256 / n * n) as u8;
    let mut code = String::with_capacity(RECOVERY_CODE_CHARS);
    while code.len() < RECOVERY_CODE_CHARS {
        let byte = random.next()?;
        if byte < limit {
            code.push(RECOVERY_ALPHABET[byte as usize % n] as char);
        }
    }
    Some(code)
}

/// Where a person goes after the password when the second factor is required: the code, or the enrolment.
pub fn second_step_path(enrolled: bool) -> &'static str {
    if enrolled { "/login/code" } else { "/login/enrolement" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_six_digits_whatever_the_spaces() {
        assert_eq!(typed_code(" 123 456 ").as_deref(), Some("123456"));
        assert_eq!(typed_code("12345"), None);
        assert_eq!(typed_code("1234567"), None);
        assert_eq!(typed_code("12a456"), None);
        assert_eq!(typed_code("١٢٣٤٥٦"), None, "digits of another script are not typed codes");
    }

    #[test]
    fn each_step_is_accepted_once_and_never_after_a_later_one() {
        assert!(replay_free(100, None));
        assert!(replay_free(101, Some(100)));
        assert!(!replay_free(100, Some(100)), "the same code twice");
        assert!(!replay_free(99, Some(100)), "an older code after a newer one");
        assert_eq!(step_at(59), 1);
        assert_eq!(step_at(60), 2);
    }

    #[test]
    fn a_key_is_shown_in_groups_of_four() {
        assert_eq!(key_in_groups("JBSWY3DPEHPK3PXP"), "JBSW Y3DP EHPK 3PXP");
        assert_eq!(key_in_groups("ABCDEF=="), "ABCD EF");
    }

    #[test]
    fn the_otpauth_address_names_the_issuer_and_the_account() {
        let url = otpauth_url("marie.dupont@ccas-evry.fr", "JBSWY3DPEHPK3PXP");
        assert_eq!(
            url,
            "otpauth://totp/Espace%20Partenaires%3Amarie.dupont@ccas-evry.fr?secret=JBSWY3DPEHPK3PXP&issuer=Espace%20Partenaires&algorithm=SHA1&digits=6&period=30"
        );
    }

    #[test]
    fn recovery_codes_read_back_however_they_are_typed() {
        let code = recovery_code_from(&mut (0u8..=255).cycle()).expect("enough bytes");
        assert_eq!(code.len(), RECOVERY_CODE_CHARS);
        let shown = shown_recovery_code(&code);
        assert_eq!(shown.len(), RECOVERY_CODE_CHARS + 1);
        assert_eq!(typed_recovery_code(&shown).as_deref(), Some(code.as_str()));
        assert_eq!(typed_recovery_code(&shown.to_lowercase().replace('-', " ")).as_deref(), Some(code.as_str()));
        assert_eq!(typed_recovery_code("ABCDE-FGHJ0"), None, "0 is not in the alphabet");
        assert_eq!(typed_recovery_code("ABCDE"), None);
    }

    #[test]
    fn drawing_a_recovery_code_rejects_the_bytes_that_would_bias_it() {
        // 31 characters: bytes from 248 up would favour the first ones, so they are skipped.
        let mut bytes = [255u8, 248, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9].into_iter();
        assert_eq!(recovery_code_from(&mut bytes).as_deref(), Some("23456789AB"));
        assert_eq!(recovery_code_from(&mut [1u8, 2].into_iter()), None, "not enough bytes");
    }
}
