use super::*;
use rand::Rng;

const CONTEXT: &str = "persons.name_roman:0190c3a2-7d41-7000-8000-000000000001";

fn fixed_key_toml(id: u32, byte: u8) -> String {
    format!(
        "[[key]]\nid = {id}\ncreated = \"2026-11-22T03:00:00Z\"\nsecret = \"{}\"\n",
        STANDARD.encode([byte; KEY_LEN])
    )
}

fn key_file_error(text: &str) -> String {
    match Keyring::from_toml(text) {
        Err(CryptoError::KeyFile(message)) => message,
        other => panic!("expected a KeyFile error, got {other:?}"),
    }
}

/// Decode a sealed value's body, let `change` alter the bytes, and encode it back.
fn tamper(sealed: &str, change: impl FnOnce(&mut Vec<u8>)) -> String {
    let (header, body) = sealed.rsplit_once(':').unwrap();
    let mut bytes = URL_SAFE_NO_PAD.decode(body).unwrap();
    change(&mut bytes);
    format!("{header}:{}", URL_SAFE_NO_PAD.encode(bytes))
}

#[test]
fn round_trip() {
    let keyring = Keyring::generate();
    let sealed = keyring.encrypt("Shazia Bibi", CONTEXT).unwrap();
    assert!(sealed.starts_with("v1:1:"), "{sealed}");
    assert_eq!(keyring.decrypt(&sealed, CONTEXT).unwrap(), "Shazia Bibi");
    // The empty text is a value like any other.
    let empty = keyring.encrypt("", CONTEXT).unwrap();
    assert_eq!(keyring.decrypt(&empty, CONTEXT).unwrap(), "");
}

#[test]
fn sealed_form_is_nonce_ciphertext_tag_in_base64url() {
    let keyring = Keyring::generate();
    let sealed = keyring.encrypt("abc", CONTEXT).unwrap();
    let body = sealed.strip_prefix("v1:1:").unwrap();
    assert!(body
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    assert_eq!(
        URL_SAFE_NO_PAD.decode(body).unwrap().len(),
        NONCE_LEN + 3 + TAG_LEN
    );
}

#[test]
fn each_encryption_uses_a_new_nonce() {
    let keyring = Keyring::generate();
    let a = keyring.encrypt("35202-1234567-1", CONTEXT).unwrap();
    let b = keyring.encrypt("35202-1234567-1", CONTEXT).unwrap();
    assert_ne!(a, b);
    let nonce = |s: &str| {
        URL_SAFE_NO_PAD
            .decode(s.rsplit_once(':').unwrap().1)
            .unwrap()[..NONCE_LEN]
            .to_vec()
    };
    assert_ne!(nonce(&a), nonce(&b));
    assert_eq!(keyring.decrypt(&a, CONTEXT).unwrap(), "35202-1234567-1");
    assert_eq!(keyring.decrypt(&b, CONTEXT).unwrap(), "35202-1234567-1");
}

#[test]
fn wrong_context_fails() {
    let keyring = Keyring::generate();
    let sealed = keyring
        .encrypt("Shazia Bibi", "persons.name_roman:row-1")
        .unwrap();
    for other in [
        "persons.name_roman:row-2",
        "persons.father_name:row-1",
        "",
        "persons.name_roman:row-1 ",
    ] {
        assert!(
            matches!(
                keyring.decrypt(&sealed, other),
                Err(CryptoError::Authentication)
            ),
            "context {other:?}"
        );
    }
}

#[test]
fn tampered_values_fail_authentication() {
    let keyring = Keyring::generate();
    let sealed = keyring
        .encrypt("informant: Gul Khan, Quetta", CONTEXT)
        .unwrap();
    let len = URL_SAFE_NO_PAD
        .decode(sealed.rsplit_once(':').unwrap().1)
        .unwrap()
        .len();
    // Every single byte matters: nonce, ciphertext and tag.
    for i in 0..len {
        let altered = tamper(&sealed, |b| b[i] ^= 0x01);
        assert!(
            matches!(
                keyring.decrypt(&altered, CONTEXT),
                Err(CryptoError::Authentication)
            ),
            "byte {i}"
        );
    }
    // Cutting or extending the ciphertext is caught too.
    let shorter = tamper(&sealed, |b| {
        b.remove(NONCE_LEN);
    });
    assert!(matches!(
        keyring.decrypt(&shorter, CONTEXT),
        Err(CryptoError::Authentication)
    ));
    let longer = tamper(&sealed, |b| b.push(0));
    assert!(matches!(
        keyring.decrypt(&longer, CONTEXT),
        Err(CryptoError::Authentication)
    ));
}

#[test]
fn the_header_is_authenticated() {
    // Two keys in one ring; relabelling a value to the other key id must not open it.
    let mut keyring = Keyring::generate();
    let sealed = keyring.encrypt("Shazia Bibi", CONTEXT).unwrap();
    keyring.rotate();
    let relabelled = sealed.replacen("v1:1:", "v1:2:", 1);
    assert!(matches!(
        keyring.decrypt(&relabelled, CONTEXT),
        Err(CryptoError::Authentication)
    ));
}

#[test]
fn unknown_key_id_fails_with_unknown_key() {
    let keyring = Keyring::generate();
    let sealed = keyring.encrypt("Shazia Bibi", CONTEXT).unwrap();
    let moved = sealed.replacen("v1:1:", "v1:7:", 1);
    assert!(matches!(
        keyring.decrypt(&moved, CONTEXT),
        Err(CryptoError::UnknownKey(7))
    ));
    // A value sealed by another installation's key with the same id does not open either.
    let other = Keyring::generate();
    assert!(matches!(
        other.decrypt(&sealed, CONTEXT),
        Err(CryptoError::Authentication)
    ));
}

#[test]
fn malformed_values_are_malformed_and_not_echoed() {
    let keyring = Keyring::generate();
    let good = keyring.encrypt("x", CONTEXT).unwrap();
    let body = good.strip_prefix("v1:1:").unwrap();
    let short = URL_SAFE_NO_PAD.encode([0u8; NONCE_LEN + TAG_LEN - 1]);
    let standard_alphabet = STANDARD.encode([0xfbu8; NONCE_LEN + TAG_LEN]);
    let cases = [
        "Shazia Bibi".to_owned(),
        "35202-1234567-1".to_owned(),
        String::new(),
        "v1:".to_owned(),
        "v1:1".to_owned(),
        format!("v2:1:{body}"),
        format!("V1:1:{body}"),
        format!("v1::{body}"),
        format!("v1:01:{body}"),
        format!("v1:+1:{body}"),
        format!("v1:-1:{body}"),
        format!("v1: 1:{body}"),
        format!("v1:99999999999:{body}"),
        format!("v1:1:{body}="),
        format!("v1:1:{body}!"),
        format!("v1:1:{standard_alphabet}"),
        format!("v1:1:{short}"),
    ];
    for case in &cases {
        assert!(!Keyring::is_sealed(case), "{case:?}");
        assert_eq!(Keyring::key_id_of(case), None, "{case:?}");
        match keyring.decrypt(case, CONTEXT) {
            Err(CryptoError::Malformed(message)) => {
                if !case.is_empty() {
                    assert!(!message.contains(case.as_str()), "{message}");
                }
            }
            other => panic!("{case:?}: {other:?}"),
        }
    }
    assert!(Keyring::is_sealed(&good));
}

#[test]
fn is_sealed_and_key_id_of() {
    let mut keyring = Keyring::generate();
    let one = keyring.encrypt("a", CONTEXT).unwrap();
    assert!(Keyring::is_sealed(&one));
    assert_eq!(Keyring::key_id_of(&one), Some(1));
    keyring.rotate();
    let two = keyring.encrypt("a", CONTEXT).unwrap();
    assert_eq!(Keyring::key_id_of(&two), Some(2));
    for plain in ["Shazia Bibi", "شازیہ بی بی", "v1:1:abc", "v1:x:abc", ""] {
        assert!(!Keyring::is_sealed(plain), "{plain:?}");
        assert_eq!(Keyring::key_id_of(plain), None, "{plain:?}");
    }
}

#[test]
fn rotation_keeps_old_values_readable_until_retired() {
    let mut keyring = Keyring::generate();
    assert_eq!(keyring.current_id(), 1);
    let old = keyring.encrypt("Gul Khan", CONTEXT).unwrap();
    let old_index = keyring.blind_index("cnic", "5440012345671");

    assert_eq!(keyring.rotate(), 2);
    assert_eq!(keyring.current_id(), 2);
    assert_eq!(keyring.ids(), vec![1, 2]);
    assert_eq!(keyring.decrypt(&old, CONTEXT).unwrap(), "Gul Khan");
    assert_eq!(Keyring::key_id_of(&old), Some(1));

    let new = keyring.encrypt("Gul Khan", CONTEXT).unwrap();
    assert_eq!(Keyring::key_id_of(&new), Some(2));
    assert_ne!(keyring.blind_index("cnic", "5440012345671"), old_index);
    assert_eq!(
        keyring
            .blind_index_with(1, "cnic", "5440012345671")
            .unwrap(),
        old_index
    );

    assert_eq!(keyring.rotate(), 3);
    assert_eq!(keyring.ids(), vec![1, 2, 3]);
    keyring.retire_old();
    assert_eq!(keyring.ids(), vec![3]);
    assert_eq!(keyring.current_id(), 3);
    assert!(matches!(
        keyring.decrypt(&old, CONTEXT),
        Err(CryptoError::UnknownKey(1))
    ));
    assert!(matches!(
        keyring.decrypt(&new, CONTEXT),
        Err(CryptoError::UnknownKey(2))
    ));
    assert!(matches!(
        keyring.blind_index_with(1, "cnic", "5440012345671"),
        Err(CryptoError::UnknownKey(1))
    ));
    // Rotation after retiring continues the numbering: an id is never reused.
    assert_eq!(keyring.rotate(), 4);
}

#[test]
fn blind_index_is_deterministic_domain_separated_and_keyed() {
    let keyring = Keyring::generate();
    let a = keyring.blind_index("cnic", "3520212345671");
    assert_eq!(a, keyring.blind_index("cnic", "3520212345671"));
    assert_eq!(a.len(), 32);
    assert!(a
        .bytes()
        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    assert_ne!(a, keyring.blind_index("phone", "3520212345671"));
    assert_ne!(a, keyring.blind_index("cnic", "3520212345672"));
    // The separator keeps domain and value apart.
    assert_ne!(
        keyring.blind_index("name-token", "ali"),
        keyring.blind_index("name-tokena", "li")
    );
    assert_eq!(
        keyring
            .blind_index_with(keyring.current_id(), "cnic", "3520212345671")
            .unwrap(),
        a
    );
    // Another key gives another index.
    let other = Keyring::generate();
    assert_ne!(a, other.blind_index("cnic", "3520212345671"));
    assert!(matches!(
        keyring.blind_index_with(9, "cnic", "3520212345671"),
        Err(CryptoError::UnknownKey(9))
    ));
}

#[test]
fn blind_index_matches_the_documented_construction() {
    let keyring = Keyring::from_toml(&fixed_key_toml(1, 7)).unwrap();
    let mut derive = <Hmac<Sha256> as Mac>::new_from_slice(&[7u8; KEY_LEN]).unwrap();
    derive.update(b"nigehban blind index v1");
    let index_key = derive.finalize().into_bytes();
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&index_key).unwrap();
    mac.update(b"phone\x00923001234567");
    let expected = hex::encode(&mac.finalize().into_bytes()[..16]);
    assert_eq!(keyring.blind_index("phone", "923001234567"), expected);
}

#[test]
fn padded_hmac_key_equals_hmac_of_the_short_key() {
    // RFC 4231 test case 2 uses a short key ("Jefe"); our helper takes 32 bytes, so compare
    // against the library's variable-length constructor instead, over several keys.
    for byte in [0u8, 1, 0x5c, 0x36, 0xff] {
        let key = [byte; KEY_LEN];
        let mut reference = <Hmac<Sha256> as Mac>::new_from_slice(&key).unwrap();
        reference.update(b"what do ya want for nothing?");
        let expected: [u8; 32] = reference.finalize().into_bytes().into();
        assert_eq!(
            hmac_sha256(&key, &[b"what do ya ", b"want for nothing?"]),
            expected
        );
    }
}

#[test]
fn key_file_round_trip() {
    let mut keyring = Keyring::generate();
    keyring.rotate();
    keyring.rotate();
    let text = keyring.to_toml();
    assert!(text.starts_with(
        "# Nigehban data keys. Keep this file secret and backed up apart from the database.\n"
    ));
    assert_eq!(text.matches("[[key]]").count(), 3);
    let loaded = Keyring::from_toml(&text).unwrap();
    assert_eq!(loaded.ids(), vec![1, 2, 3]);
    assert_eq!(loaded.current_id(), 3);
    assert_eq!(loaded.to_toml(), text);
    for id in 1..=3 {
        assert_eq!(
            loaded.blind_index_with(id, "cnic", "x").unwrap(),
            keyring.blind_index_with(id, "cnic", "x").unwrap()
        );
    }
    let sealed = keyring.encrypt("Shazia Bibi", CONTEXT).unwrap();
    assert_eq!(loaded.decrypt(&sealed, CONTEXT).unwrap(), "Shazia Bibi");
    for key in loaded.keys() {
        let created = key.created().unwrap();
        assert!(chrono::DateTime::parse_from_rfc3339(created).is_ok());
    }
}

#[test]
fn key_file_order_does_not_matter_and_created_is_optional() {
    let text = format!(
        "{}\n{}\n[[key]]\nid = 5\nsecret = \"{}\"\n",
        fixed_key_toml(3, 3),
        fixed_key_toml(1, 1),
        STANDARD.encode([5u8; KEY_LEN])
    );
    let keyring = Keyring::from_toml(&text).unwrap();
    assert_eq!(keyring.ids(), vec![1, 3, 5]);
    assert_eq!(keyring.current_id(), 5);
    assert_eq!(keyring.keys().last().unwrap().created(), None);
    let again = Keyring::from_toml(&keyring.to_toml()).unwrap();
    assert_eq!(again.ids(), vec![1, 3, 5]);
    assert_eq!(
        again.blind_index("cnic", "1"),
        keyring.blind_index("cnic", "1")
    );
}

#[test]
fn base64_key_from_the_environment() {
    let b64 = STANDARD.encode([9u8; KEY_LEN]);
    let keyring = Keyring::from_base64_key(&format!("  {b64}\n")).unwrap();
    assert_eq!(keyring.ids(), vec![1]);
    let from_file = Keyring::from_toml(&fixed_key_toml(1, 9)).unwrap();
    assert_eq!(
        keyring.blind_index("cnic", "1"),
        from_file.blind_index("cnic", "1")
    );
    let sealed = from_file.encrypt("x", CONTEXT).unwrap();
    assert_eq!(keyring.decrypt(&sealed, CONTEXT).unwrap(), "x");

    for bad in ["", "not base64!", &STANDARD.encode([1u8; 16])] {
        match Keyring::from_base64_key(bad) {
            Err(CryptoError::KeyFile(message)) => {
                assert!(message.starts_with("the key "), "{message}")
            }
            other => panic!("{bad:?}: {other:?}"),
        }
    }
}

#[test]
fn malformed_key_files_name_the_problem() {
    let secret = STANDARD.encode([4u8; KEY_LEN]);
    let cases: Vec<(String, &str)> = vec![
        (String::new(), "no [[key]] entries"),
        ("# only a comment\n".to_owned(), "no [[key]] entries"),
        ("[[key]\nid = 1\n".to_owned(), "line 1"),
        (
            format!("[[key]]\nid = 1\nsecret = \"{secret}\"\nsecrte = \"x\"\n"),
            "unknown field `secrte`",
        ),
        (
            "[[key]]\nid = 1\ncreated = \"2026-11-22T03:00:00Z\"\n".to_owned(),
            "missing field `secret`",
        ),
        (
            format!("[[key]]\nsecret = \"{secret}\"\n"),
            "missing field `id`",
        ),
        (
            format!("[[key]]\nid = -1\nsecret = \"{secret}\"\n"),
            "line 2",
        ),
        (
            format!("[[key]]\nid = 0\nsecret = \"{secret}\"\n"),
            "key id 0 is not allowed",
        ),
        (
            format!("[[key]]\nid = 3000000000\nsecret = \"{secret}\"\n"),
            "key id 3000000000 is too large",
        ),
        (
            format!("{}\n{}", fixed_key_toml(2, 1), fixed_key_toml(2, 2)),
            "key id 2 appears more than once",
        ),
        (
            "[[key]]\nid = 4\nsecret = \"%%%\"\n".to_owned(),
            "key 4: secret is not valid base64",
        ),
        (
            format!(
                "[[key]]\nid = 4\nsecret = \"{}\"\n",
                STANDARD.encode([1u8; 16])
            ),
            "key 4: secret must be 32 bytes, found 16 bytes",
        ),
        (
            format!("[[key]]\nid = 4\ncreated = \"yesterday\"\nsecret = \"{secret}\"\n"),
            "key 4: created \"yesterday\" is not an RFC 3339 timestamp",
        ),
        (
            format!("[key]\nid = 1\nsecret = \"{secret}\"\n"),
            "not a valid key file",
        ),
    ];
    for (text, expected) in cases {
        let message = key_file_error(&text);
        assert!(
            message.contains(expected),
            "{text:?}: {message:?} should contain {expected:?}"
        );
        assert!(!message.contains(&secret), "{message}");
    }
}

#[test]
fn parse_errors_do_not_quote_the_secret_line() {
    // An unterminated string on the secret line: the error gives the line number only.
    let secret = STANDARD.encode([4u8; KEY_LEN]);
    let text = format!("[[key]]\nid = 1\nsecret = \"{secret}\n");
    let message = key_file_error(&text);
    assert!(message.contains("line 3"), "{message}");
    assert!(!message.contains(&secret), "{message}");
    assert!(!message.contains(&secret[..8]), "{message}");
}

#[test]
fn debug_output_contains_no_secret() {
    let mut keyring = Keyring::from_toml(&fixed_key_toml(1, 0xab)).unwrap();
    keyring.rotate();
    let file = keyring.to_toml();
    let secrets: Vec<String> = file
        .lines()
        .filter_map(|l| l.strip_prefix("secret = \""))
        .map(|s| s.trim_end_matches('"').to_owned())
        .collect();
    assert_eq!(secrets.len(), 2);
    let debug = format!("{keyring:?} {keyring:#?}");
    let key_debug = format!("{:?}", keyring.keys().collect::<Vec<_>>());
    assert!(debug.contains("current: 2"), "{debug}");
    for secret in &secrets {
        assert!(!debug.contains(secret.as_str()), "{debug}");
        assert!(!key_debug.contains(secret.as_str()), "{key_debug}");
        let bytes = STANDARD.decode(secret).unwrap();
        assert!(!debug.contains(&hex::encode(&bytes)), "{debug}");
        assert!(!debug.contains(&format!("{:?}", bytes)), "{debug}");
        assert!(!key_debug.contains(&format!("{:?}", bytes)), "{key_debug}");
    }
    assert!(!debug.contains("171, 171"), "{debug}");
}

#[cfg(unix)]
fn mode_of(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn load_or_create_creates_a_private_file_and_reloads_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.toml");
    let (created, was_created) = Keyring::load_or_create(&path).unwrap();
    assert!(was_created);
    assert!(path.exists());
    #[cfg(unix)]
    assert_eq!(mode_of(&path), 0o600);
    // No temporary file is left behind.
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);

    let sealed = created.encrypt("Shazia Bibi", CONTEXT).unwrap();
    let (loaded, was_created) = Keyring::load_or_create(&path).unwrap();
    assert!(!was_created);
    assert_eq!(loaded.ids(), vec![1]);
    assert_eq!(loaded.decrypt(&sealed, CONTEXT).unwrap(), "Shazia Bibi");
    assert_eq!(loaded.to_toml(), created.to_toml());
}

#[test]
fn save_replaces_atomically_with_a_private_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.toml");
    let (mut keyring, _) = Keyring::load_or_create(&path).unwrap();
    let old = keyring.encrypt("Gul Khan", CONTEXT).unwrap();
    keyring.rotate();
    // Even over a file someone made readable, the saved file is private.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    }
    keyring.save(&path).unwrap();
    #[cfg(unix)]
    assert_eq!(mode_of(&path), 0o600);
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    let (loaded, was_created) = Keyring::load_or_create(&path).unwrap();
    assert!(!was_created);
    assert_eq!(loaded.ids(), vec![1, 2]);
    assert_eq!(loaded.decrypt(&old, CONTEXT).unwrap(), "Gul Khan");

    // Saving to a new path creates it.
    let other = dir.path().join("copy.toml");
    loaded.save(&other).unwrap();
    assert_eq!(
        Keyring::from_toml(&fs::read_to_string(&other).unwrap())
            .unwrap()
            .ids(),
        vec![1, 2]
    );
}

#[test]
fn load_errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.toml");
    fs::write(&path, "[[key]]\nid = 1\n").unwrap();
    match Keyring::load_or_create(&path) {
        Err(CryptoError::KeyFile(message)) => {
            assert!(message.contains("keys.toml"), "{message}");
            assert!(message.contains("missing field `secret`"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    // The broken file is left alone, not replaced by fresh keys.
    assert_eq!(fs::read_to_string(&path).unwrap(), "[[key]]\nid = 1\n");

    let missing_dir = dir.path().join("no-such-dir").join("keys.toml");
    assert!(matches!(
        Keyring::load_or_create(&missing_dir),
        Err(CryptoError::Io(_))
    ));
}

#[test]
fn concurrent_creation_agrees_on_one_keyring() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.toml");
    let results: Vec<(Keyring, bool)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| s.spawn(|| Keyring::load_or_create(&path).unwrap()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(results.iter().filter(|(_, created)| *created).count(), 1);
    let first = results[0].0.blind_index("cnic", "1");
    assert!(results
        .iter()
        .all(|(k, _)| k.blind_index("cnic", "1") == first));
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn random_strings_round_trip() {
    // ASCII, Urdu letters and diacritics, digits in both scripts, joiners, NUL and an emoji.
    let pool: Vec<char> = "abcXYZ 019-_.,'\"\\:\n\t\0\
        ابپتٹثجچحخدڈذرڑزژسشصضطظعغفقکگلمنںوہھءیےۓ\
        ًٌٍَُِّْٰ۰۱۲۳۴۵۶۷۸۹،؟۔\u{200c}\u{200d}\u{200f}😀"
        .chars()
        .collect();
    let mut rng = rand::thread_rng();
    let mut keyring = Keyring::generate();
    for round in 0..600 {
        if round == 300 {
            keyring.rotate();
        }
        let len = rng.gen_range(0..120);
        let text: String = (0..len)
            .map(|_| pool[rng.gen_range(0..pool.len())])
            .collect();
        let context = format!("persons.name_urdu:{}", rng.gen::<u64>());
        let sealed = keyring.encrypt(&text, &context).unwrap();
        assert!(Keyring::is_sealed(&sealed));
        assert_eq!(keyring.decrypt(&sealed, &context).unwrap(), text);
        let wrong = format!("{context}x");
        assert!(matches!(
            keyring.decrypt(&sealed, &wrong),
            Err(CryptoError::Authentication)
        ));
        assert_eq!(
            keyring.blind_index("name-token", &text),
            keyring.blind_index("name-token", &text)
        );
    }
}
