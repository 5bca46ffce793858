//! A phonetic key for South Asian names written in Roman letters.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sym {
    /// A consonant class, as the letter written in the key.
    C(u8),
    /// A vowel as written (a, e, i, o, u; y and w when they are vowels are i and u).
    V(u8),
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// The phonetic key of one name token in Roman letters (any case; characters other than
/// a-z are ignored, so transliterate Urdu first). Designed for the ways Pakistani names are
/// spelt in Roman letters, where vowels follow no standard (Umar / Umer / Omar, Rehman /
/// Rahman, Nasir / Nasar) and consonants do:
///
/// - Inner vowels are dropped. A word that begins with a vowel starts with `A` (any vowel:
///   Usman / Osman, Ehsan / Ihsan, Iqbal / Eqbal), and a word that ends with a vowel sound ends
///   with its class: `A` (a, ah, eh: Hamza / Hamzah, Fatemeh), `I` (i, ee, y, ai, ay: Bhatti /
///   Bhattee, Zaidi / Zaidy, Yousafzai / Yousafzay) or `U` (o, u, oo: Soomro / Sumro, Kalu /
///   Kaloo). The final vowel is kept because it separates names (Zahid / Zahida, Rakha / Rakhi)
///   and is written consistently. A lone final e after a consonant is silent (Rathore, Yasmine).
/// - Digraphs: sh is `X`, ch and tch are `C`; kh = k, gh = g, ph = f, th = t, dh = d, bh = b,
///   zh = z (Punjabi and Sindhi aspirates and Arabic letters that Roman writers render both
///   ways: Khokhar / Khokar, Ghafoor / Gafoor, Lodhi / Lodi, Bhatt / Butt).
/// - Every other h is dropped unless it begins the word: aspiration (Rindh), vowel length
///   (Shah / Sha, Allah / Alla) and the h of Rehman / Rahaman, Shahzad / Shezad, Mehnaz.
/// - q = k = c (not before h) = ck (Qureshi / Kureshi, Camran); u after q is dropped
///   (Siddiqui / Siddiqi, Tarique / Tariq); x = ks.
/// - v = w (Javed / Jawed, Rizvi / Rizwi); w after a vowel and before a consonant is a vowel
///   (Kawsar / Kausar, Chowdhry / Chaudhry); y is a consonant only at the start before a vowel
///   (Yousaf), else a vowel (Riyaz / Riaz, Hyder / Haider).
/// - n before b or p is m (Sunbal / Sumbal, Ambreen), as Urdu speakers say it.
/// - Doubled consonants count once (Abbas / Abas, Bhutto / Bhuto).
///
/// The first letter's class is kept (Soundex keeps the letter itself, which splits Qureshi
/// from Kureshi and Ehsan from Ihsan) and the key is not truncated.
pub fn phonetic(token: &str) -> String {
    let b: Vec<u8> = token
        .bytes()
        .filter(u8::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let mut end = b.len();
    let mut final_a = false;
    if end > 2 && b.ends_with(b"eh") {
        end -= 2;
        final_a = true;
    }
    let at = |i: usize| -> Option<u8> {
        if i < end {
            b.get(i).copied()
        } else {
            None
        }
    };
    let mut syms: Vec<Sym> = Vec::with_capacity(end + 1);
    let push = |syms: &mut Vec<Sym>, s: Sym| {
        if let Sym::C(_) = s {
            if syms.last() == Some(&s) {
                return;
            }
        }
        syms.push(s);
    };
    let mut i = 0;
    while let Some(c) = at(i) {
        let next = at(i + 1);
        let prev_is_vowel = matches!(syms.last(), Some(Sym::V(_)));
        let mut skip = 0;
        match c {
            b'a' | b'e' | b'i' | b'o' | b'u' => {
                let silent_e = c == b'e'
                    && next.is_none()
                    && !final_a
                    && end > 3
                    && matches!(syms.last(), Some(Sym::C(_)));
                if !silent_e {
                    push(&mut syms, Sym::V(c));
                }
            }
            b'y' => {
                if i == 0 && next.is_some_and(is_vowel) {
                    push(&mut syms, Sym::C(b'Y'));
                } else {
                    push(&mut syms, Sym::V(b'i'));
                }
            }
            b'w' => {
                let before_consonant = next.is_none_or(|n| !is_vowel(n) && n != b'y');
                if prev_is_vowel && before_consonant {
                    push(&mut syms, Sym::V(b'u'));
                } else {
                    push(&mut syms, Sym::C(b'W'));
                }
            }
            b'v' => push(&mut syms, Sym::C(b'W')),
            b'h' => {
                if i == 0 {
                    push(&mut syms, Sym::C(b'H'));
                }
            }
            b's' => {
                if next == Some(b'h') {
                    skip = 1;
                    push(&mut syms, Sym::C(b'X'));
                } else {
                    push(&mut syms, Sym::C(b'S'));
                }
            }
            b'c' => {
                if next == Some(b'h') {
                    skip = 1;
                    push(&mut syms, Sym::C(b'C'));
                } else {
                    push(&mut syms, Sym::C(b'K'));
                }
            }
            b't' => {
                if next == Some(b'c') && at(i + 2) == Some(b'h') {
                    skip = 2;
                    push(&mut syms, Sym::C(b'C'));
                } else {
                    push(&mut syms, Sym::C(b'T'));
                }
            }
            b'p' => {
                if next == Some(b'h') {
                    skip = 1;
                    push(&mut syms, Sym::C(b'F'));
                } else {
                    push(&mut syms, Sym::C(b'P'));
                }
            }
            b'q' => {
                if next == Some(b'u') {
                    skip = 1;
                }
                push(&mut syms, Sym::C(b'K'));
            }
            b'x' => {
                push(&mut syms, Sym::C(b'K'));
                push(&mut syms, Sym::C(b'S'));
            }
            b'n' => {
                if matches!(next, Some(b'b' | b'p')) {
                    push(&mut syms, Sym::C(b'M'));
                } else {
                    push(&mut syms, Sym::C(b'N'));
                }
            }
            other => push(&mut syms, Sym::C(other.to_ascii_uppercase())),
        }
        i += 1 + skip;
    }
    if final_a {
        syms.push(Sym::V(b'a'));
    }
    let mut out = String::with_capacity(syms.len());
    if let Some(Sym::V(_)) = syms.first() {
        out.push('A');
    }
    for s in &syms {
        if let Sym::C(c) = s {
            out.push(char::from(*c));
        }
    }
    if let Some(Sym::V(v)) = syms.last() {
        if syms.len() > 1 || out.is_empty() {
            out.push(match v {
                b'a' => 'A',
                b'o' | b'u' => 'U',
                _ => 'I',
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(names: &[&str]) {
        let first = phonetic(names.first().copied().unwrap_or_default());
        for n in names {
            assert_eq!(phonetic(n), first, "{n} vs {names:?}");
        }
    }

    fn differ(a: &str, b: &str) {
        assert_ne!(phonetic(a), phonetic(b), "{a} / {b}");
    }

    #[test]
    fn spelling_variants_share_a_key() {
        same(&["Muhammad", "Mohammad", "Mohammed", "Muhammed", "Mohamad"]);
        same(&["Rehman", "Rahman", "Rehmaan", "Rahmaan", "Rahaman"]);
        same(&["Qureshi", "Kureshi", "Quraishi", "Qureishi", "Qurashi"]);
        same(&["Chaudhry", "Chaudhary", "Choudhry", "Chaudhri", "Chowdhry"]);
        same(&[
            "Hussain", "Husain", "Hussein", "Husayn", "Hossain", "Hassain",
        ]);
        same(&["Siddiqui", "Siddiqi", "Sidiqui", "Siddiquie"]);
        same(&["Yousafzai", "Yusufzai", "Yousufzai", "Yousafzay"]);
        same(&["Sheikh", "Shaikh", "Shekh", "Shaykh"]);
        same(&["Ayesha", "Aisha", "Aysha", "Ayisha", "Aesha", "Aishah"]);
        same(&["Shahzad", "Shehzad", "Shezad", "Shahzaad"]);
        same(&["Usman", "Osman", "Usmaan"]);
        same(&["Ehsan", "Ihsan", "Ehsaan", "Ahsaan"]);
        same(&["Hamza", "Hamzah", "Humza"]);
        same(&["Kausar", "Kawsar", "Kosar", "Kauser"]);
        same(&["Riaz", "Riyaz", "Riyaaz"]);
        same(&["Bhutto", "Bhuto", "Bhuttoo"]);
        same(&["Sumbal", "Sunbal", "Sumbul"]);
        same(&["Tariq", "Tarique", "Tarik"]);
        same(&["Javed", "Jawed", "Javid", "Javaid"]);
        same(&["Fatemeh", "Fatima", "Fatma"]);
        same(&["Shah", "Sha", "Shaah"]);
    }

    #[test]
    fn different_names_keep_different_keys() {
        differ("Asif", "Arif");
        differ("Zahid", "Zahida");
        differ("Rakha", "Rakhi");
        differ("Sajid", "Zahid");
        differ("Hamid", "Hamza");
        differ("Shahid", "Sajid");
    }

    #[test]
    fn shape_of_keys() {
        assert_eq!(phonetic("Muhammad"), "MMD");
        assert_eq!(phonetic("Ali"), "ALI");
        assert_eq!(phonetic("Qureshi"), "KRXI");
        assert_eq!(phonetic(""), "");
        assert_eq!(phonetic("a"), "A");
        assert_eq!(phonetic("123"), "");
    }
}
