//! Argon2id password hashing (argon2 0.6 defaults); hashes never leave this module in clear types.

use argon2::password_hash::Error as HashError;
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use std::fmt;
use std::sync::LazyLock;

/// A stored Argon2id PHC string. No `Debug` content, no `Serialize`: it cannot end up in a log or a page.
#[derive(Clone)]
pub struct PasswordHash(String);

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash(…)")
    }
}

/// Hashing failed for a reason other than a wrong password (corrupt stored hash, OS randomness).
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct PasswordError(HashError);

impl PasswordHash {
    /// Wraps a value read from the database.
    pub fn from_stored(phc: String) -> Self {
        PasswordHash(phc)
    }

    pub fn as_stored(&self) -> &str {
        &self.0
    }

    /// Hashes a new password with a fresh random salt. CPU- and memory-heavy: call from a blocking task.
    pub fn new(password: &str) -> Result<Self, PasswordError> {
        Argon2::default().hash_password(password.as_bytes()).map(|hash| PasswordHash(hash.to_string())).map_err(PasswordError)
    }

    /// Whether `password` matches; `Err` only when the stored hash itself is unusable.
    pub fn verify(&self, password: &str) -> Result<bool, PasswordError> {
        match Argon2::default().verify_password(password.as_bytes(), self.0.as_str()) {
            Ok(()) => Ok(true),
            Err(HashError::PasswordInvalid) => Ok(false),
            Err(other) => Err(PasswordError(other)),
        }
    }
}

/// A hash checked against when the account does not exist, so that timing does not reveal which addresses have one.
pub static DECOY: LazyLock<PasswordHash> =
    LazyLock::new(|| PasswordHash::new("decoy password that matches nothing").unwrap_or_else(|_| PasswordHash(String::new())));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_own_password_only() {
        let hash = PasswordHash::new("correct horse battery staple").expect("hashed");
        assert!(hash.as_stored().starts_with("$argon2id$"));
        assert!(hash.verify("correct horse battery staple").expect("a readable hash"));
        assert!(!hash.verify("Correct horse battery staple").expect("a readable hash"));
        assert_eq!(format!("{hash:?}"), "PasswordHash(…)");
    }
}
