//! What a new password must be, wherever it is chosen (reset link, invitation, change page): at least
//! [`MIN_LENGTH`] characters, typed twice the same, and hard to guess — see [`strength`], the server's half of the
//! rule — and what the one-time links sent by e-mail are for.

use super::coded::coded;

/// The strength check proper (zxcvbn and the shipped list of common passwords): server only.
#[cfg(feature = "ssr")]
pub mod strength;

/// The shortest password accepted.
pub const MIN_LENGTH: usize = 12;
/// The longest password accepted (Argon2 hashes any length, but nobody types more).
pub const MAX_LENGTH: usize = 128;

coded!(
    /// What a one-time link sent by e-mail is for: choosing a new password, or a first one when invited.
    LinkPurpose {
        Reset => "reset", "Nouveau mot de passe",
        Invitation => "invitation", "Invitation",
    }
);

impl LinkPurpose {
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
