//! Secrets at rest: argon2id for passwords and client secrets, SHA-256 for
//! random bearer tokens and invitation links (they carry 256 bits of
//! entropy, so a fast hash is enough and lookups stay one indexed query),
//! and how strong a new password must be (`strength`).
//!
//! Below both `auth` (which checks secrets at sign-in) and `services`
//! (which makes them: invitations, credentials), so neither imports the
//! other for them.

pub mod strength;

use crate::model::AppError;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub fn hash_secret(secret: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("could not hash a secret: {e}")))
}

pub fn secret_matches(secret: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(secret.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Spends about the time of one verification, so that an unknown account
/// answers as slowly as a wrong password and timing tells nothing.
pub fn waste_a_verification() {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let hash = DUMMY.get_or_init(|| hash_secret("portolan-timing-equaliser").unwrap_or_default());
    let _ = secret_matches("not the password", hash);
}

pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// 256 random bits as 64 hex characters.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A password a person can type: 20 characters without look-alikes.
pub fn generated_password() -> String {
    use rand::Rng;
    const CHARS: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rngs::OsRng;
    (0..20)
        .map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_verify_only_against_their_own_hash() {
        let hash = hash_secret("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(secret_matches("correct horse battery", &hash));
        assert!(!secret_matches("correct horse batterx", &hash));
        assert!(!secret_matches("anything", "not a hash"));
    }

    #[test]
    fn tokens_and_passwords_are_random_and_hash_stably() {
        assert_eq!(token_hash("abc").len(), 64);
        assert_eq!(token_hash("abc"), token_hash("abc"));
        assert_ne!(random_token(), random_token());
        let p = generated_password();
        assert_eq!(p.len(), 20);
        assert!(!p.contains('l') && !p.contains('0'));
    }
}
