//! Encryption at rest for the identities Nigehban holds: victims, witnesses and informants must
//! not be named by a database dump alone. The data keys live in a separate key file (or the
//! `NIGEHBAN_KEY` environment variable), never in the database.
//!
//! - [`Keyring::encrypt`] seals one field with XChaCha20-Poly1305 under the newest key. The
//!   field's place (`context`, e.g. `"persons.name_roman:<row id>"`) is bound as associated data,
//!   so a sealed value copied into another field or row fails to open instead of silently
//!   claiming to be that field.
//! - [`Keyring::blind_index`] gives a keyed HMAC of a normalised value, for exact lookups (CNIC,
//!   phone, name tokens) without decrypting every row. Without the key it reveals nothing but
//!   equality.
//! - Keys carry versions: the highest id encrypts, every listed id decrypts, so a key can be
//!   rotated while old rows are re-encrypted in the background ([`Keyring::rotate`],
//!   [`Keyring::key_id_of`], [`Keyring::retire_old`]).
//!
//! Key bytes are held in [`Zeroizing`] buffers, wiped when dropped, and never printed: neither
//! `Debug` nor any error message shows a secret or the value being sealed or opened (a legacy
//! plaintext passed to [`Keyring::decrypt`] must not end up in a log either).

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use chacha20poly1305::aead::{AeadInPlace, KeyInit};
use chacha20poly1305::{Tag, XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::rngs::OsRng;
use rand::RngCore;
use serde::Deserialize;
use sha2::Sha256;
use zeroize::{Zeroize, Zeroizing};

/// Length of a data key in bytes (XChaCha20-Poly1305 keys are 256 bits).
pub const KEY_LEN: usize = 32;
/// Length of the random nonce stored in front of every ciphertext. XChaCha's 192-bit nonce is
/// large enough to be drawn at random for every value without a realistic chance of repeating.
const NONCE_LEN: usize = 24;
/// Length of the Poly1305 authentication tag at the end of every ciphertext.
const TAG_LEN: usize = 16;
/// Prefix of the sealed text form. The version lets a later format sit beside this one.
const SEALED_PREFIX: &str = "v1:";
/// Label of the blind-index key derivation: the index key is never the encryption key itself.
const BLIND_INDEX_LABEL: &[u8] = b"nigehban blind index v1";
/// Bytes of HMAC output kept in a blind index (128 bits: collisions are not a practical concern
/// and the column stays short).
const BLIND_INDEX_LEN: usize = 16;
/// Highest key id accepted from a key file. Ids are small integers counted from 1; the bound
/// keeps [`Keyring::rotate`] far from `u32` overflow.
pub const MAX_KEY_ID: u32 = u32::MAX / 2;

/// The first line of a key file written by [`Keyring::to_toml`].
const KEY_FILE_HEADER: &str = "\
# Nigehban data keys. Keep this file secret and backed up apart from the database.
# The key with the highest id encrypts; every listed key decrypts. Do not remove a key while
# any value sealed under it remains in the database: that value could never be read again.
";

/// Everything that can go wrong here. Messages name the problem, never a secret or a value.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    /// The value was sealed under a key id this keyring does not hold (retired, or a key file
    /// from another installation).
    #[error("no data key with id {0} in the keyring")]
    UnknownKey(u32),
    /// The value is not in the sealed text form `v1:<key id>:<base64url>`.
    #[error("malformed sealed value: {0}")]
    Malformed(String),
    /// The value did not authenticate: it was altered, or it belongs to another field or row
    /// (different context), or the key with its id is not the one that sealed it.
    #[error("sealed value failed authentication (altered, moved from another field or row, or wrong key)")]
    Authentication,
    /// The key file or key text is unusable; the message says what is wrong with it.
    #[error("key file: {0}")]
    KeyFile(String),
    /// Reading or writing the key file failed.
    #[error("key file input/output: {0}")]
    Io(String),
}

/// One data-encryption key version: 32 bytes, with a small integer id.
///
/// The id is written into every value sealed under the key, so the keyring knows which key
/// opens it and rotation can tell old values from new ones.
#[derive(Clone)]
pub struct Key {
    id: u32,
    /// When the key was made (RFC 3339), for people reading the key file; not used otherwise.
    created: Option<String>,
    bytes: Zeroizing<[u8; KEY_LEN]>,
    /// HMAC(bytes, "nigehban blind index v1"), computed once: the key of the blind indexes.
    index_key: Zeroizing<[u8; KEY_LEN]>,
}

impl Key {
    fn new(id: u32, created: Option<String>, bytes: Zeroizing<[u8; KEY_LEN]>) -> Key {
        let index_key = Zeroizing::new(hmac_sha256(&bytes, &[BLIND_INDEX_LABEL]));
        Key {
            id,
            created,
            bytes,
            index_key,
        }
    }

    fn random(id: u32) -> Key {
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        OsRng.fill_bytes(bytes.as_mut());
        let created = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        Key::new(id, Some(created), bytes)
    }

    /// The key's version number.
    pub fn id(&self) -> u32 {
        self.id
    }

    /// When the key was made (RFC 3339), if known. Informational only.
    pub fn created(&self) -> Option<&str> {
        self.created.as_deref()
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(self.bytes.as_slice()))
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Key")
            .field("id", &self.id)
            .field("created", &self.created)
            .finish_non_exhaustive()
    }
}

/// All key versions; the newest (highest id) encrypts, any listed one decrypts.
///
/// Holding the newest key apart from the older ones makes "there is always an encrypting key"
/// a fact of the type rather than a check at every use.
#[derive(Clone)]
pub struct Keyring {
    /// The newest key: it seals every new value and computes [`Keyring::blind_index`].
    current: Key,
    /// Older keys, kept only to open values not yet re-encrypted. Every id here is below
    /// `current.id`.
    previous: BTreeMap<u32, Key>,
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keyring")
            .field("current", &self.current.id)
            .field("ids", &self.ids())
            .finish_non_exhaustive()
    }
}

/// The key file as written on disk. Unknown fields are errors, as in the configuration file:
/// a misspelt `secret` must not pass unnoticed.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKeyFile {
    #[serde(default)]
    key: Vec<RawKey>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKey {
    id: u32,
    created: Option<String>,
    secret: Zeroizing<String>,
}

impl Keyring {
    /// A new keyring with one random key (id 1).
    pub fn generate() -> Keyring {
        Keyring {
            current: Key::random(1),
            previous: BTreeMap::new(),
        }
    }

    /// Parse the key file format (TOML):
    ///
    /// ```toml
    /// # Nigehban data keys. Keep this file secret and backed up apart from the database.
    /// [[key]]
    /// id = 1
    /// created = "2026-11-22T03:00:00Z"   # RFC 3339, informational
    /// secret = "<base64 of 32 bytes>"
    /// ```
    ///
    /// Every problem is a [`CryptoError::KeyFile`] naming the key and what is wrong; parse errors
    /// give the line but not its text, which could hold a secret.
    pub fn from_toml(text: &str) -> Result<Keyring, CryptoError> {
        let raw: RawKeyFile = toml::from_str(text).map_err(|e| {
            let place = e
                .span()
                .map(|span| format!(" (line {})", line_of(text, span.start)))
                .unwrap_or_default();
            let message = e.message().trim().replace('\n', "; ");
            CryptoError::KeyFile(format!("not a valid key file{place}: {message}"))
        })?;
        let mut keys: BTreeMap<u32, Key> = BTreeMap::new();
        for raw_key in raw.key {
            let id = raw_key.id;
            if id == 0 {
                return Err(CryptoError::KeyFile(
                    "key id 0 is not allowed: ids start at 1".to_owned(),
                ));
            }
            if id > MAX_KEY_ID {
                return Err(CryptoError::KeyFile(format!(
                    "key id {id} is too large (at most {MAX_KEY_ID})"
                )));
            }
            if keys.contains_key(&id) {
                return Err(CryptoError::KeyFile(format!(
                    "key id {id} appears more than once"
                )));
            }
            if let Some(created) = &raw_key.created {
                if chrono::DateTime::parse_from_rfc3339(created).is_err() {
                    return Err(CryptoError::KeyFile(format!(
                        "key {id}: created {created:?} is not an RFC 3339 timestamp"
                    )));
                }
            }
            let bytes = decode_secret(raw_key.secret.trim())
                .map_err(|problem| CryptoError::KeyFile(format!("key {id}: secret {problem}")))?;
            keys.insert(id, Key::new(id, raw_key.created.clone(), bytes));
        }
        let Some((_, current)) = keys.pop_last() else {
            return Err(CryptoError::KeyFile(
                "no [[key]] entries: the file holds no data key".to_owned(),
            ));
        };
        Ok(Keyring {
            current,
            previous: keys,
        })
    }

    /// The key file text for this keyring (see [`Keyring::from_toml`]), oldest key first.
    /// It contains the secrets: write it only where the key file belongs.
    pub fn to_toml(&self) -> String {
        let mut out = String::from(KEY_FILE_HEADER);
        for key in self.keys() {
            out.push_str("\n[[key]]\n");
            out.push_str(&format!("id = {}\n", key.id));
            if let Some(created) = &key.created {
                out.push_str(&format!(
                    "created = {}\n",
                    toml::Value::String(created.clone())
                ));
            }
            let secret = Zeroizing::new(STANDARD.encode(key.bytes.as_slice()));
            out.push_str("secret = \"");
            out.push_str(&secret);
            out.push_str("\"\n");
        }
        out
    }

    /// Also accept a single base64 key (standard alphabet, padded; e.g. the output of
    /// `openssl rand -base64 32`) from an environment variable (`NIGEHBAN_KEY`), as key id 1.
    /// Surrounding whitespace is ignored.
    pub fn from_base64_key(b64: &str) -> Result<Keyring, CryptoError> {
        let bytes = decode_secret(b64.trim())
            .map_err(|problem| CryptoError::KeyFile(format!("the key {problem}")))?;
        Ok(Keyring {
            current: Key::new(1, None, bytes),
            previous: BTreeMap::new(),
        })
    }

    /// Load from a file, or create it with a fresh keyring if it does not exist. The flag is
    /// `true` when the file was created (the caller should tell the operator to back it up).
    ///
    /// A new file gets mode 0600 on unix and appears complete or not at all (written to a
    /// temporary file, then linked into place without replacing anything): when two processes
    /// start together, one creates the file and the other loads it.
    pub fn load_or_create(path: &Path) -> Result<(Keyring, bool), CryptoError> {
        match read_key_file(path) {
            Ok(keyring) => return Ok((keyring, false)),
            Err(ReadError::NotFound) => {}
            Err(ReadError::Other(e)) => return Err(e),
        }
        let keyring = Keyring::generate();
        let temp = write_temp(path, &keyring)?;
        let linked = fs::hard_link(&temp, path);
        // The temporary name is only a way in; whatever happened, it goes.
        let _ = fs::remove_file(&temp);
        match linked {
            Ok(()) => {
                sync_parent(path);
                Ok((keyring, true))
            }
            // Another process created the file first: use its keys, not ours.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => match read_key_file(path) {
                Ok(keyring) => Ok((keyring, false)),
                Err(ReadError::NotFound) => Err(io_error("reading", path, &not_found())),
                Err(ReadError::Other(e)) => Err(e),
            },
            Err(e) => Err(io_error("creating", path, &e)),
        }
    }

    /// Write atomically (temporary file in the same directory, then rename), mode 0600 on unix.
    /// A crash leaves either the old file or the new one, never a mixture.
    pub fn save(&self, path: &Path) -> Result<(), CryptoError> {
        let temp = write_temp(path, self)?;
        if let Err(e) = fs::rename(&temp, path) {
            let _ = fs::remove_file(&temp);
            return Err(io_error("replacing", path, &e));
        }
        sync_parent(path);
        Ok(())
    }

    /// Add a new key version (id = max+1) that becomes the encrypting key; returns its id.
    /// The previous keys stay for decryption until [`Keyring::retire_old`].
    pub fn rotate(&mut self) -> u32 {
        // Ids from files are at most MAX_KEY_ID, so this cannot saturate in any real use.
        let id = self.current.id.saturating_add(1);
        let old = std::mem::replace(&mut self.current, Key::random(id));
        self.previous.insert(old.id, old);
        id
    }

    /// Drop all key versions but the newest (after every record was re-encrypted). Values still
    /// sealed under a dropped key can never be opened again.
    pub fn retire_old(&mut self) {
        self.previous.clear();
    }

    /// The id of the key that encrypts new values.
    pub fn current_id(&self) -> u32 {
        self.current.id
    }

    /// Every key id held, ascending.
    pub fn ids(&self) -> Vec<u32> {
        self.keys().map(|k| k.id).collect()
    }

    /// Every key held, ascending by id (for listing; the secrets stay inside).
    pub fn keys(&self) -> impl Iterator<Item = &Key> {
        self.previous.values().chain(std::iter::once(&self.current))
    }

    fn key(&self, id: u32) -> Option<&Key> {
        if id == self.current.id {
            Some(&self.current)
        } else {
            self.previous.get(&id)
        }
    }

    /// Encrypt a UTF-8 string under the newest key. `context` is bound as associated data (e.g.
    /// `"persons.name_roman:<row id>"`) so a ciphertext cannot be moved to another field or row
    /// undetected; the same context must be given to [`Keyring::decrypt`].
    ///
    /// Output text form: `"v1:<key id>:<base64url-nopad of 24-byte nonce || ciphertext+tag>"`.
    /// The nonce is random, so sealing the same text twice gives different values (equality is
    /// what [`Keyring::blind_index`] is for). The header `v1:<key id>:` is authenticated too.
    ///
    /// Fails only for a text longer than XChaCha20-Poly1305 can seal in one message (256 GiB),
    /// which no field value is; the error keeps that impossible case from being a panic.
    pub fn encrypt(&self, plaintext: &str, context: &str) -> Result<String, CryptoError> {
        let key = &self.current;
        let header = format!("{SEALED_PREFIX}{}:", key.id);
        let mut nonce = [0u8; NONCE_LEN];
        OsRng.fill_bytes(&mut nonce);
        let mut buffer = plaintext.as_bytes().to_vec();
        let tag = match key.cipher().encrypt_in_place_detached(
            &XNonce::from(nonce),
            &associated_data(&header, context),
            &mut buffer,
        ) {
            Ok(tag) => tag,
            // The only failure of this AEAD is a message over 2^38 bytes.
            Err(_) => return Err(CryptoError::Malformed("value too long to seal".into())),
        };
        let mut sealed = Vec::with_capacity(NONCE_LEN + buffer.len() + TAG_LEN);
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(&buffer);
        sealed.extend_from_slice(&tag);
        Ok(format!("{header}{}", URL_SAFE_NO_PAD.encode(sealed)))
    }

    /// Decrypt the text form made by [`Keyring::encrypt`] with the same `context`.
    ///
    /// Errors: [`CryptoError::UnknownKey`] when the key id is not held,
    /// [`CryptoError::Malformed`] when the value is not in the sealed form (for instance legacy
    /// plaintext; the message never repeats the value), [`CryptoError::Authentication`] when the
    /// context is wrong or the value was altered.
    pub fn decrypt(&self, sealed: &str, context: &str) -> Result<String, CryptoError> {
        let parsed = parse_sealed(sealed)?;
        let key = self
            .key(parsed.key_id)
            .ok_or(CryptoError::UnknownKey(parsed.key_id))?;
        let (nonce, rest) = parsed
            .payload
            .split_at_checked(NONCE_LEN)
            .ok_or_else(too_short)?;
        let split = rest.len().checked_sub(TAG_LEN).ok_or_else(too_short)?;
        let (ciphertext, tag) = rest.split_at_checked(split).ok_or_else(too_short)?;
        let nonce = <[u8; NONCE_LEN]>::try_from(nonce).map_err(|_| too_short())?;
        let tag = <[u8; TAG_LEN]>::try_from(tag).map_err(|_| too_short())?;
        let mut buffer = ciphertext.to_vec();
        key.cipher()
            .decrypt_in_place_detached(
                &XNonce::from(nonce),
                &associated_data(parsed.header, context),
                &mut buffer,
                &Tag::from(tag),
            )
            .map_err(|_| CryptoError::Authentication)?;
        String::from_utf8(buffer).map_err(|e| {
            e.into_bytes().zeroize();
            CryptoError::Malformed("the opened value is not UTF-8 text".to_owned())
        })
    }

    /// Whether a stored value is in the sealed text form (to tell legacy plaintext apart). This
    /// checks the form only; whether it opens is for [`Keyring::decrypt`] to say.
    pub fn is_sealed(value: &str) -> bool {
        parse_sealed(value).is_ok()
    }

    /// The key id a sealed value was encrypted under (for rotation progress); `None` when the
    /// value is not in the sealed form.
    pub fn key_id_of(sealed: &str) -> Option<u32> {
        parse_sealed(sealed).ok().map(|p| p.key_id)
    }

    /// Keyed blind index for exact lookups: HMAC-SHA256 under a key derived from the current
    /// data key (HMAC(key, "nigehban blind index v1")), over `domain` + 0x00 +
    /// `normalised_value`, as hex of the first 16 bytes (32 characters).
    ///
    /// `domain` separates kinds ("cnic", "phone", "name-token"), so equal strings of different
    /// kinds do not match; it is a fixed name chosen by the program and should not contain NUL.
    /// Equal inputs give equal outputs under the same key; nothing about the value is
    /// recoverable without the key. Normalise before calling: the index matches bytes exactly.
    pub fn blind_index(&self, domain: &str, normalised_value: &str) -> String {
        blind_index_under(&self.current, domain, normalised_value)
    }

    /// The same under a given key id (rotation recomputes indexes under the new key, and
    /// lookups during a rotation may need both).
    pub fn blind_index_with(
        &self,
        key_id: u32,
        domain: &str,
        normalised_value: &str,
    ) -> Result<String, CryptoError> {
        let key = self.key(key_id).ok_or(CryptoError::UnknownKey(key_id))?;
        Ok(blind_index_under(key, domain, normalised_value))
    }
}

fn blind_index_under(key: &Key, domain: &str, normalised_value: &str) -> String {
    let digest = hmac_sha256(
        &key.index_key,
        &[domain.as_bytes(), &[0u8], normalised_value.as_bytes()],
    );
    hex::encode(
        digest
            .iter()
            .take(BLIND_INDEX_LEN)
            .copied()
            .collect::<Vec<u8>>(),
    )
}

/// HMAC-SHA256 of the concatenated `parts` under a 32-byte key.
///
/// HMAC pads a key shorter than the hash block (64 bytes) with zeros, so giving the block-sized
/// zero-padded key to the infallible fixed-size constructor is the same function as
/// `new_from_slice(key)` (a test checks this), without an error case that cannot happen.
fn hmac_sha256(key: &[u8; KEY_LEN], parts: &[&[u8]]) -> [u8; 32] {
    let mut block = Zeroizing::new([0u8; 64]);
    for (slot, byte) in block.iter_mut().zip(key.iter()) {
        *slot = *byte;
    }
    let mut mac = <Hmac<Sha256> as KeyInit>::new(&(*block).into());
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// The associated data of a sealed value: its own header (version and key id) and the context.
/// The header has a fixed shape ending in ':', so the two parts cannot be confused.
fn associated_data(header: &str, context: &str) -> Vec<u8> {
    let mut aad = Vec::with_capacity(header.len() + context.len());
    aad.extend_from_slice(header.as_bytes());
    aad.extend_from_slice(context.as_bytes());
    aad
}

/// A sealed value taken apart (not yet opened).
struct Sealed<'a> {
    /// `v1:<key id>:`, authenticated with the ciphertext.
    header: &'a str,
    key_id: u32,
    /// Nonce, ciphertext and tag.
    payload: Vec<u8>,
}

fn too_short() -> CryptoError {
    CryptoError::Malformed("too short to hold a nonce and a tag".to_owned())
}

fn parse_sealed(value: &str) -> Result<Sealed<'_>, CryptoError> {
    let rest = value
        .strip_prefix(SEALED_PREFIX)
        .ok_or_else(|| CryptoError::Malformed("does not start with \"v1:\"".to_owned()))?;
    let (id_text, body) = rest
        .split_once(':')
        .ok_or_else(|| CryptoError::Malformed("no ':' after the key id".to_owned()))?;
    // One spelling per id (digits only, no sign, no leading zero), so that stored values can be
    // counted per key by their prefix.
    let canonical = !id_text.is_empty()
        && id_text.len() <= 10
        && id_text.bytes().all(|b| b.is_ascii_digit())
        && !(id_text.len() > 1 && id_text.starts_with('0'));
    let key_id = if canonical {
        id_text.parse::<u32>().ok()
    } else {
        None
    }
    .ok_or_else(|| CryptoError::Malformed("the key id is not a plain number".to_owned()))?;
    let payload = URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|_| CryptoError::Malformed("the body is not unpadded base64url".to_owned()))?;
    if payload.len() < NONCE_LEN + TAG_LEN {
        return Err(too_short());
    }
    let header_len = SEALED_PREFIX.len() + id_text.len() + 1;
    let header = value
        .get(..header_len)
        .ok_or_else(|| CryptoError::Malformed("no header".to_owned()))?;
    Ok(Sealed {
        header,
        key_id,
        payload,
    })
}

/// Decode a base64 secret into key bytes; the error completes "secret ..." / "the key ...".
fn decode_secret(b64: &str) -> Result<Zeroizing<[u8; KEY_LEN]>, String> {
    let decoded = Zeroizing::new(
        STANDARD
            .decode(b64)
            .map_err(|_| "is not valid base64 (standard alphabet, with padding)".to_owned())?,
    );
    if decoded.len() != KEY_LEN {
        return Err(format!(
            "must be {KEY_LEN} bytes, found {} bytes",
            decoded.len()
        ));
    }
    let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
    for (slot, byte) in bytes.iter_mut().zip(decoded.iter()) {
        *slot = *byte;
    }
    Ok(bytes)
}

/// 1-based line number of a byte offset in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.bytes().take(offset).filter(|&b| b == b'\n').count() + 1
}

enum ReadError {
    NotFound,
    Other(CryptoError),
}

fn read_key_file(path: &Path) -> Result<Keyring, ReadError> {
    let text = match fs::read_to_string(path) {
        Ok(text) => Zeroizing::new(text),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(ReadError::NotFound),
        Err(e) => return Err(ReadError::Other(io_error("reading", path, &e))),
    };
    Keyring::from_toml(&text).map_err(|e| {
        ReadError::Other(match e {
            CryptoError::KeyFile(problem) => {
                CryptoError::KeyFile(format!("{}: {problem}", path.display()))
            }
            other => other,
        })
    })
}

fn io_error(action: &str, path: &Path, e: &io::Error) -> CryptoError {
    CryptoError::Io(format!("{action} {}: {e}", path.display()))
}

fn not_found() -> io::Error {
    io::Error::new(
        io::ErrorKind::NotFound,
        "the file vanished after it was created",
    )
}

/// Write the keyring to a new temporary file beside `path` (mode 0600, flushed to disk) and
/// return the temporary file's path.
fn write_temp(path: &Path, keyring: &Keyring) -> Result<PathBuf, CryptoError> {
    let name = path
        .file_name()
        .ok_or_else(|| CryptoError::Io(format!("{} does not name a file", path.display())))?;
    let temp = path.with_file_name(format!(
        ".{}.{:016x}.tmp",
        name.to_string_lossy(),
        OsRng.next_u64()
    ));
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(&temp)
        .map_err(|e| io_error("creating a temporary file beside", path, &e))?;
    let text = Zeroizing::new(keyring.to_toml());
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all());
    if let Err(e) = written {
        drop(file);
        let _ = fs::remove_file(&temp);
        return Err(io_error("writing a temporary file beside", path, &e));
    }
    Ok(temp)
}

/// Make a rename or link in the key file's directory durable. Best effort: not every platform
/// lets a directory be opened and synced, and the file's own contents are already on disk.
fn sync_parent(path: &Path) {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if let Ok(dir) = fs::File::open(parent) {
        let _ = dir.sync_all();
    }
}

#[cfg(test)]
mod tests;
