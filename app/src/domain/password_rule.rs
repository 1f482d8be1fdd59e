//! What a new password must be: long enough to resist guessing (12 characters and three kinds of characters,
//! or 16 characters of any kind), typed twice the same.

/// The shortest password accepted.
pub const MIN_LENGTH: usize = 12;
/// From this length, any mix of characters is accepted (a passphrase).
pub const PASSPHRASE_LENGTH: usize = 16;
const MAX_LENGTH: usize = 128;

/// What a one-time link sent by e-mail is for: choosing a new password, or a first one when invited.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LinkPurpose {
    Reset,
    Invitation,
}

impl LinkPurpose {
    pub const ALL: [LinkPurpose; 2] = [LinkPurpose::Reset, LinkPurpose::Invitation];

    pub fn code(self) -> &'static str {
        match self {
            LinkPurpose::Reset => "reset",
            LinkPurpose::Invitation => "invitation",
        }
    }

    pub fn parse(code: &str) -> Option<LinkPurpose> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    /// How long the link works, in hours.
    pub fn valid_hours(self) -> u32 {
        match self {
            LinkPurpose::Reset => 1,
            LinkPurpose::Invitation => 72,
        }
    }

    /// What a used or expired link says, and what to do instead.
    pub fn expired(self) -> &'static str {
        match self {
            LinkPurpose::Reset => "Ce lien n'est plus valable (il sert une seule fois, pendant une heure) : demandez-en un nouveau.",
            LinkPurpose::Invitation => {
                "Ce lien d'invitation n'est plus valable (il sert une seule fois, pendant 72 heures) : demandez à l'administrateur de votre caisse de vous inviter à nouveau."
            }
        }
    }
}

/// Checks a new password and its confirmation; each problem names its field ("password" or "confirmation").
pub fn check_new_password(password: &str, confirmation: &str) -> Result<(), Vec<(&'static str, String)>> {
    let length = password.chars().count();
    let kinds = [
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ]
    .into_iter()
    .filter(|present| *present)
    .count();
    let mut problems = vec![];
    if password.is_empty() {
        problems.push(("password", "Choisissez un mot de passe.".to_owned()));
    } else if length < MIN_LENGTH {
        problems.push(("password", format!("Le mot de passe doit compter au moins {MIN_LENGTH} caractères.")));
    } else if length > MAX_LENGTH {
        problems.push(("password", format!("Le mot de passe doit compter au plus {MAX_LENGTH} caractères.")));
    } else if length < PASSPHRASE_LENGTH && kinds < 3 {
        problems.push((
            "password",
            format!(
                "Mélangez au moins trois sortes de caractères (minuscules, majuscules, chiffres, symboles), ou choisissez une phrase d'au moins {PASSPHRASE_LENGTH} caractères."
            ),
        ));
    }
    if confirmation != password {
        problems.push(("confirmation", "Les deux saisies ne sont pas identiques.".to_owned()));
    }
    if problems.is_empty() { Ok(()) } else { Err(problems) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(password: &str, confirmation: &str) -> Vec<&'static str> {
        check_new_password(password, confirmation).err().unwrap_or_default().into_iter().map(|(field, _)| field).collect()
    }

    #[test]
    fn strong_enough_passwords_are_accepted() {
        for password in ["Soleil-2026!", "abcDEF123456", "une phrase assez longue", "Ça-marche-9"] {
            let expected: Vec<&str> = if password.chars().count() < MIN_LENGTH { vec!["password"] } else { vec![] };
            assert_eq!(fields(password, password), expected, "{password}");
        }
    }

    #[test]
    fn weak_passwords_are_refused_with_a_reason() {
        for password in ["", "court1A!", "toutminuscule", "motdepasse12", "a".repeat(129).as_str()] {
            assert_eq!(fields(password, password), ["password"], "{password}");
        }
        let reason = check_new_password("motdepasse12", "motdepasse12").err().unwrap_or_default();
        assert!(reason[0].1.contains("trois sortes"), "{reason:?}");
    }

    #[test]
    fn the_confirmation_must_match() {
        assert_eq!(fields("Soleil-2026!", "Soleil-2026?"), ["confirmation"]);
        assert_eq!(fields("court", "autre"), ["password", "confirmation"]);
    }
}
