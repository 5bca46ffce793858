//! Passwords (Argon2id) and session tokens. The cookie carries a random token; the database keeps
//! only its SHA-256, so a copy of the database cannot be replayed as a login.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 256;

pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A Argon2 hash of a random password, for checking against when the user does not exist, so
/// that a login for an unknown user takes as long as one with a wrong password.
pub fn dummy_hash() -> String {
    hash_password("not-a-real-password-0").unwrap_or_default()
}

/// 32 random bytes, hex-encoded.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A readable random password (for `user add` without one and for the demo login).
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    let mut out = String::new();
    for i in 0..16 {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        let idx = (rng.next_u32() as usize) % ALPHABET.len();
        out.push(ALPHABET.get(idx).copied().map(char::from).unwrap_or('x'));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_and_tokens_hash() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("x", "not a hash"));
        let t = random_token();
        assert_eq!(t.len(), 64);
        assert_ne!(token_hash(&t), t);
        assert_eq!(generate_password().len(), 19);
    }
}
