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

/// TOTP (RFC 6238) as authenticator apps do it: SHA-1, 6 digits, 30-second steps.
pub mod totp {
    use totp_rs::{Algorithm, Secret, TOTP};

    pub const STEP: u64 = 30;

    /// A new random secret, base32 (what authenticator apps are given).
    pub fn new_secret() -> String {
        Secret::generate_secret().to_encoded().to_string()
    }

    fn totp(secret_b32: &str, account: &str) -> Option<TOTP> {
        let bytes = Secret::Encoded(secret_b32.to_string()).to_bytes().ok()?;
        TOTP::new(
            Algorithm::SHA1,
            6,
            1,
            STEP,
            bytes,
            Some("Nigehban".to_string()),
            account.to_string(),
        )
        .ok()
    }

    /// The `otpauth://` URI an authenticator app can be given (or shown as a QR code).
    pub fn uri(secret_b32: &str, account: &str) -> Option<String> {
        totp(secret_b32, account).map(|t| t.get_url())
    }

    /// The code for a moment (for tests and for showing a sample).
    pub fn code_at(secret_b32: &str, unix: u64) -> Option<String> {
        totp(secret_b32, "x").map(|t| t.generate(unix))
    }

    /// If `code` is right for the step of `unix` or one step either side (clock drift), the step
    /// it matched; the caller refuses a step that was already used.
    pub fn matching_step(secret_b32: &str, code: &str, unix: u64) -> Option<u64> {
        let code = code.trim().replace(' ', "");
        if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let t = totp(secret_b32, "x")?;
        let step = unix / STEP;
        [step.saturating_sub(1), step, step + 1]
            .into_iter()
            .find(|s| t.generate(s * STEP) == code)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn codes_match_their_step_and_neighbours_only() {
            let s = new_secret();
            let now = 1_800_000_000;
            let code = code_at(&s, now).unwrap();
            assert_eq!(matching_step(&s, &code, now), Some(now / STEP));
            assert_eq!(matching_step(&s, &code, now + STEP), Some(now / STEP));
            assert_eq!(matching_step(&s, &code, now + 3 * STEP), None);
            assert_eq!(matching_step(&s, "12345", now), None);
            assert!(uri(&s, "supervisor")
                .unwrap()
                .starts_with("otpauth://totp/Nigehban:supervisor"));
        }
    }
}
