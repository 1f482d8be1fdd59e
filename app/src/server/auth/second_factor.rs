//! The second factor's store: TOTP secrets sealed at rest (XChaCha20-Poly1305 under `MFA_ENCRYPTION_KEY`, the
//! account id as associated data so a sealed secret cannot be moved to another account), codes checked with
//! totp-rs then accepted once per step by a conditional update (the replay guard, safe under concurrent requests),
//! and recovery codes kept as Argon2id hashes.

use super::password::PasswordHash;
use crate::domain::second_factor::{self as rules, RECOVERY_CODE_COUNT, STEP_SECONDS};
use crate::dto::error::AppError;
use crate::server::entities::{recovery_code, second_factor};
use crate::server::settings::MfaSettings;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use chrono::{DateTime, Utc};
use rand::RngCore;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// Bytes of a new TOTP secret (160 bits, as RFC 4226 recommends).
const SECRET_BYTES: usize = 20;

/// Seals and opens secrets with the deployment's key.
pub struct Sealer(XChaCha20Poly1305);

impl Sealer {
    pub fn new(settings: &MfaSettings) -> Result<Sealer, AppError> {
        let key = hex::decode(settings.encryption_key.expose()).map_err(|_| AppError::Internal)?;
        XChaCha20Poly1305::new_from_slice(&key).map(Sealer).map_err(|_| {
            tracing::error!("MFA_ENCRYPTION_KEY is not a 32-byte key");
            AppError::Internal
        })
    }

    /// `bytes` sealed for `account_id`: a fresh nonce then the ciphertext, in hexadecimal.
    pub fn seal(&self, account_id: &str, bytes: &[u8]) -> Result<String, AppError> {
        let mut nonce = [0u8; 24];
        rand::rng().fill_bytes(&mut nonce);
        let sealed =
            self.0.encrypt(XNonce::from_slice(&nonce), Payload { msg: bytes, aad: account_id.as_bytes() }).map_err(|_| AppError::Internal)?;
        Ok(format!("{}{}", hex::encode(nonce), hex::encode(sealed)))
    }

    /// What [`Sealer::seal`] sealed for `account_id`; an error if the key, the account or the bytes differ.
    pub fn open(&self, account_id: &str, sealed: &str) -> Result<Vec<u8>, AppError> {
        let bytes = hex::decode(sealed).map_err(|_| AppError::Internal)?;
        if bytes.len() < 24 {
            return Err(AppError::Internal);
        }
        let (nonce, ciphertext) = bytes.split_at(24);
        self.0.decrypt(XNonce::from_slice(nonce), Payload { msg: ciphertext, aad: account_id.as_bytes() }).map_err(|_| {
            tracing::error!(account.id = %account_id, "a second-factor secret could not be opened (MFA_ENCRYPTION_KEY changed?)");
            AppError::Internal
        })
    }
}

/// A fresh random secret.
pub fn new_secret() -> Vec<u8> {
    let mut secret = vec![0u8; SECRET_BYTES];
    rand::rng().fill_bytes(&mut secret);
    secret
}

/// A Base32 key's bytes (as an app or the README writes it, spaces and case aside), if it reads.
pub fn decoded_key(base32: &str) -> Option<Vec<u8>> {
    let cleaned: String = base32.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()).collect();
    totp_rs::Secret::try_from_base32(cleaned).ok().map(|secret| secret.as_bytes().to_vec()).filter(|bytes| !bytes.is_empty())
}

/// The secret in Base32, as an authenticator app takes it.
pub fn base32(secret: &[u8]) -> String {
    totp_rs::Secret::from(secret.to_vec()).to_base32()
}

fn totp(secret: &[u8]) -> Result<totp_rs::Totp, AppError> {
    totp_rs::Builder::new()
        .with_algorithm(totp_rs::Algorithm::SHA1)
        .with_digits(rules::DIGITS as u8)
        .with_skew(rules::SKEW_STEPS as u16)
        .with_step_duration(STEP_SECONDS)
        .with_secret(secret.to_vec())
        .build()
        .map_err(|e| {
            tracing::error!(error = %e, "a TOTP secret was refused");
            AppError::Internal
        })
}

/// The code an app shows at `unix_seconds` (the demo's scripts and the tests compute theirs with it).
pub fn code_at(secret: &[u8], unix_seconds: u64) -> Result<String, AppError> {
    Ok(totp(secret)?.generate(unix_seconds).to_string())
}

/// The step `typed` matches for `secret` around `now`, if it is a right code at all (replay not yet considered).
pub fn matching_step(secret: &[u8], typed: &str, now: DateTime<Utc>) -> Result<Option<u64>, AppError> {
    let Some(code) = rules::typed_code(typed) else { return Ok(None) };
    Ok(totp(secret)?.check(&code, u64::try_from(now.timestamp()).unwrap_or(0)))
}

/// An account's factor, opened.
pub struct Factor {
    pub secret: Vec<u8>,
    pub enrolled_at: DateTime<Utc>,
}

/// The account's factor, if it enrolled.
pub async fn factor_of(db: &impl ConnectionTrait, sealer: &Sealer, account_id: &str) -> Result<Option<Factor>, AppError> {
    let Some(row) = second_factor::Entity::find_by_id(account_id.to_owned()).one(db).await? else { return Ok(None) };
    Ok(Some(Factor { secret: sealer.open(account_id, &row.secret)?, enrolled_at: row.enrolled_at }))
}

/// Whether `typed` is the account's code now and its step was not used yet; the step is then used up, atomically:
/// of two requests bearing the same code, one wins.
pub async fn accept_code(db: &impl ConnectionTrait, account_id: &str, secret: &[u8], typed: &str, now: DateTime<Utc>) -> Result<bool, AppError> {
    let Some(step) = matching_step(secret, typed, now)? else { return Ok(false) };
    let step = i64::try_from(step).map_err(|_| AppError::Internal)?;
    let taken = second_factor::Entity::update_many()
        .col_expr(second_factor::Column::LastStep, Expr::value(step))
        .filter(second_factor::Column::AccountId.eq(account_id))
        .filter(Expr::col(second_factor::Column::LastStep).is_null().or(Expr::col(second_factor::Column::LastStep).lt(step)))
        .exec(db)
        .await?;
    Ok(taken.rows_affected == 1)
}

/// Records the factor of an account that just confirmed it with a code of `step`, replacing any earlier one, and
/// gives it fresh recovery codes (returned in clear, to be shown once).
pub async fn enrol(
    db: &impl ConnectionTrait,
    sealer: &Sealer,
    account_id: &str,
    secret: &[u8],
    step: u64,
    now: DateTime<Utc>,
) -> Result<Vec<String>, AppError> {
    second_factor::Entity::delete_by_id(account_id.to_owned()).exec(db).await?;
    second_factor::ActiveModel {
        account_id: Set(account_id.to_owned()),
        secret: Set(sealer.seal(account_id, secret)?),
        last_step: Set(Some(i64::try_from(step).map_err(|_| AppError::Internal)?)),
        enrolled_at: Set(now),
    }
    .insert(db)
    .await?;
    new_recovery_codes(db, account_id, now).await
}

/// Replaces the account's recovery codes with ten new ones, returned in clear (to be shown once).
pub async fn new_recovery_codes(db: &impl ConnectionTrait, account_id: &str, now: DateTime<Utc>) -> Result<Vec<String>, AppError> {
    let codes: Vec<String> = (0..RECOVERY_CODE_COUNT)
        .map(|_| {
            let mut random = std::iter::repeat_with(|| {
                let mut byte = [0u8; 1];
                rand::rng().fill_bytes(&mut byte);
                byte[0]
            });
            rules::recovery_code_from(&mut random).ok_or(AppError::Internal)
        })
        .collect::<Result<_, _>>()?;
    let plain = codes.clone();
    let hashes = tokio::task::spawn_blocking(move || plain.iter().map(|code| PasswordHash::new(code)).collect::<Result<Vec<_>, _>>()).await??;
    recovery_code::Entity::delete_many().filter(recovery_code::Column::AccountId.eq(account_id)).exec(db).await?;
    for hash in hashes {
        recovery_code::ActiveModel {
            id: Set(uuid::Uuid::now_v7().to_string()),
            account_id: Set(account_id.to_owned()),
            code_hash: Set(hash.as_stored().to_owned()),
            used_at: Set(None),
            created_at: Set(now),
        }
        .insert(db)
        .await?;
    }
    Ok(codes.iter().map(|code| rules::shown_recovery_code(code)).collect())
}

/// Uses one of the account's recovery codes: `Some(codes left)` when `typed` was one not used yet.
pub async fn use_recovery_code(db: &impl ConnectionTrait, account_id: &str, typed: &str, now: DateTime<Utc>) -> Result<Option<u64>, AppError> {
    let Some(code) = rules::typed_recovery_code(typed) else { return Ok(None) };
    let unused = recovery_code::Entity::find()
        .filter(recovery_code::Column::AccountId.eq(account_id))
        .filter(recovery_code::Column::UsedAt.is_null())
        .all(db)
        .await?;
    let hashes: Vec<(String, PasswordHash)> = unused.into_iter().map(|row| (row.id, PasswordHash::from_stored(row.code_hash))).collect();
    let found = tokio::task::spawn_blocking(move || {
        for (id, hash) in hashes {
            if hash.verify(&code)? {
                return Ok(Some(id));
            }
        }
        Ok::<_, super::password::PasswordError>(None)
    })
    .await??;
    let Some(id) = found else { return Ok(None) };
    // Used once: of two requests bearing the same code, one wins.
    let used = recovery_code::Entity::update_many()
        .col_expr(recovery_code::Column::UsedAt, Expr::value(now))
        .filter(recovery_code::Column::Id.eq(id))
        .filter(recovery_code::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if used.rows_affected != 1 {
        return Ok(None);
    }
    Ok(Some(recovery_codes_left(db, account_id).await?))
}

/// How many of the account's recovery codes are still unused.
pub async fn recovery_codes_left(db: &impl ConnectionTrait, account_id: &str) -> Result<u64, AppError> {
    Ok(recovery_code::Entity::find()
        .filter(recovery_code::Column::AccountId.eq(account_id))
        .filter(recovery_code::Column::UsedAt.is_null())
        .count(db)
        .await?)
}

/// Removes the account's factor and recovery codes: it enrols again at its next sign-in.
pub async fn remove(db: &impl ConnectionTrait, account_id: &str) -> Result<(), AppError> {
    recovery_code::Entity::delete_many().filter(recovery_code::Column::AccountId.eq(account_id)).exec(db).await?;
    second_factor::Entity::delete_by_id(account_id.to_owned()).exec(db).await?;
    Ok(())
}

/// Enrols an account with a known secret and no recovery codes (the demo accounts and the volume data, whose
/// published secret lets people and scripts compute codes). Inside the seeder's transaction.
pub async fn enrol_with_known_secret(
    db: &impl ConnectionTrait,
    settings: &MfaSettings,
    account_id: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let secret = decoded_key(&settings.demo_secret).ok_or(AppError::Internal)?;
    second_factor::ActiveModel {
        account_id: Set(account_id.to_owned()),
        secret: Set(Sealer::new(settings)?.seal(account_id, &secret)?),
        last_step: Set(None),
        enrolled_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The enrolment QR code of `text` as inline SVG (drawn on the server: it shows with JavaScript off).
pub fn qr_svg(text: &str) -> Result<String, AppError> {
    use qrcodegen::{QrCode, QrCodeEcc};
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).map_err(|_| AppError::Internal)?;
    let border = 4;
    let size = qr.size() + border * 2;
    let mut path = String::new();
    for y in 0..qr.size() {
        for x in 0..qr.size() {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    Ok(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="232" height="232" role="img" aria-labelledby="qr-titre" shape-rendering="crispEdges"><title id="qr-titre">QR code à scanner avec votre application d'authentification</title><rect width="100%" height="100%" fill="#ffffff"/><path d="{path}" fill="#000000"/></svg>"##
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> MfaSettings {
        MfaSettings {
            encryption_key: crate::server::settings::Secret::new("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"),
            demo_key: false,
            required: true,
            demo_secret: crate::server::settings::DEFAULT_DEMO_TOTP_SECRET.to_owned(),
        }
    }

    #[test]
    fn codes_follow_rfc_6238() {
        // RFC 6238, appendix B (SHA-1): the 8-digit values' last six digits.
        let secret = b"12345678901234567890";
        for (time, code) in [(59, "287082"), (1_111_111_109, "081804"), (1_234_567_890, "005924"), (2_000_000_000, "279037")] {
            assert_eq!(code_at(secret, time).expect("a code"), code, "at {time}");
        }
        let at = DateTime::from_timestamp(1_111_111_109, 0).expect("a time");
        assert_eq!(matching_step(secret, "081 804", at).expect("checked"), Some(1_111_111_109 / 30));
        assert_eq!(matching_step(secret, "081805", at).expect("checked"), None);
        // One step of skew either side, not two.
        let earlier = code_at(secret, 1_111_111_109 - 30).expect("a code");
        let much_earlier = code_at(secret, 1_111_111_109 - 60).expect("a code");
        assert!(matching_step(secret, &earlier, at).expect("checked").is_some());
        assert_eq!(matching_step(secret, &much_earlier, at).expect("checked"), None);
    }

    #[test]
    fn a_sealed_secret_opens_only_for_its_account_and_key() {
        let sealer = Sealer::new(&settings()).expect("a key");
        let sealed = sealer.seal("compte-a", b"secret").expect("sealed");
        assert!(!sealed.contains(&hex::encode(b"secret")));
        assert_ne!(sealed, sealer.seal("compte-a", b"secret").expect("sealed"), "a fresh nonce each time");
        assert_eq!(sealer.open("compte-a", &sealed).expect("opened"), b"secret");
        assert!(sealer.open("compte-b", &sealed).is_err(), "moved to another account");
        let other = MfaSettings {
            encryption_key: crate::server::settings::Secret::new("ff112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"),
            ..settings()
        };
        assert!(Sealer::new(&other).expect("a key").open("compte-a", &sealed).is_err(), "another key");
    }

    #[test]
    fn the_demo_secret_reads_back_and_the_qr_code_is_svg() {
        let secret = decoded_key(crate::server::settings::DEFAULT_DEMO_TOTP_SECRET).expect("Base32");
        assert_eq!(secret.len(), 20);
        assert_eq!(base32(&secret), crate::server::settings::DEFAULT_DEMO_TOTP_SECRET);
        assert_eq!(decoded_key("jbsw y3dp ehpk 3pxp"), decoded_key("JBSWY3DPEHPK3PXP"));
        let svg = qr_svg(&rules::otpauth_url("a@example.org", &base32(&secret))).expect("drawn");
        assert!(svg.starts_with("<svg") && svg.contains("<title") && svg.contains("<path d=\"M"));
    }
}
