//! Identity documents and numbers that link records: CNIC, passport, phone (E.164) and NARA card.

use crate::error::Problem;
use crate::person::Sex;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A Computerised National Identity Card number issued by NADRA: 13 digits, written `35202-1234567-1`.
///
/// The first digit is the province of registration (1 Khyber Pakhtunkhwa, 2 former FATA, 3 Punjab,
/// 4 Sindh, 5 Balochistan, 6 Islamabad, 7 Gilgit-Baltistan, 8 Azad Jammu and Kashmir); NADRA gives
/// men an odd and women an even last digit. NADRA publishes no checksum, so these are the checks of
/// digits that can be made without its database.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Cnic(String);

impl Cnic {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let t = raw.trim();
        let digits: String = t.chars().filter(|c| c.is_ascii_digit()).collect();
        let only_allowed = t
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == ' ');
        if !only_allowed || digits.len() != 13 {
            return Err(Problem::CnicFormat);
        }
        // When dashes are written they must sit where NADRA prints them.
        if t.contains('-') {
            let parts: Vec<&str> = t.split('-').map(str::trim).collect();
            let lens: Vec<usize> = parts.iter().map(|p| p.len()).collect();
            if lens != [5, 7, 1] {
                return Err(Problem::CnicFormat);
            }
        }
        match digits.chars().next() {
            Some('1'..='8') => {}
            _ => return Err(Problem::CnicProvinceDigit),
        }
        if digits
            .chars()
            .all(|c| c == digits.chars().next().unwrap_or('0'))
        {
            return Err(Problem::CnicFormat);
        }
        Ok(Cnic(digits))
    }

    /// The 13 digits without dashes (the stored and indexed form).
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// Whether the last digit is odd (NADRA's convention for men).
    pub fn last_digit_odd(&self) -> bool {
        self.0
            .chars()
            .last()
            .and_then(|c| c.to_digit(10))
            .is_some_and(|d| d % 2 == 1)
    }

    /// Check the last digit against the recorded sex, where the sex is known as male or female.
    pub fn check_sex(&self, sex: Sex) -> Result<(), Problem> {
        match sex {
            Sex::Male if !self.last_digit_odd() => Err(Problem::CnicSexDigit),
            Sex::Female if self.last_digit_odd() => Err(Problem::CnicSexDigit),
            _ => Ok(()),
        }
    }
}

impl fmt::Display for Cnic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        match (d.get(0..5), d.get(5..12), d.get(12..13)) {
            (Some(a), Some(b), Some(c)) => write!(f, "{a}-{b}-{c}"),
            _ => f.write_str(d),
        }
    }
}

impl TryFrom<String> for Cnic {
    type Error = Problem;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Cnic::parse(&s)
    }
}

impl From<Cnic> for String {
    fn from(c: Cnic) -> String {
        c.to_string()
    }
}

/// A phone number in E.164 form (`+923001234567`). Pakistani local forms (`0300-1234567`,
/// `92 300 1234567`) are accepted and normalised, because that is how officers write them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl Phone {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let t = raw.trim();
        if t.is_empty() {
            return Err(Problem::Required);
        }
        if !t
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')' | '.'))
        {
            return Err(Problem::PhoneFormat);
        }
        if t.chars().skip(1).any(|c| c == '+') {
            return Err(Problem::PhoneFormat);
        }
        let digits: String = t.chars().filter(|c| c.is_ascii_digit()).collect();
        let e164 = if t.starts_with('+') {
            digits
        } else if let Some(rest) = digits.strip_prefix("00") {
            rest.to_string()
        } else if let Some(rest) = digits.strip_prefix('0') {
            // A national number: Pakistan's trunk prefix 0.
            format!("92{rest}")
        } else if digits.starts_with("92") && digits.len() == 12 {
            digits
        } else {
            return Err(Problem::PhoneFormat);
        };
        if !(8..=15).contains(&e164.len()) || e164.starts_with('0') {
            return Err(Problem::PhoneFormat);
        }
        // Pakistani mobile numbers are +92 3xx xxxxxxx: 12 digits in all.
        if e164.starts_with("923") && e164.len() != 12 {
            return Err(Problem::PhoneFormat);
        }
        Ok(Phone(format!("+{e164}")))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl TryFrom<String> for Phone {
    type Error = Problem;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Phone::parse(&s)
    }
}
impl From<Phone> for String {
    fn from(p: Phone) -> String {
        p.0
    }
}

/// A passport number: 6 to 12 letters and digits, upper-cased. Pakistani passports are two letters
/// and seven digits (`AB1234567`); that stricter form is checked when the issuing country is PAK.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Passport {
    pub number: String,
    /// ISO 3166-1 alpha-3 of the issuing state.
    pub country: String,
}

impl Passport {
    pub fn parse(raw: &str, country: &str) -> Result<Self, Problem> {
        let number: String = raw
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .collect::<String>()
            .to_ascii_uppercase();
        if !(6..=12).contains(&number.len()) || !number.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(Problem::PassportFormat);
        }
        if country == "PAK" {
            let (letters, digits) = number.split_at(number.len().min(2));
            let ok = number.len() == 9
                && letters.chars().all(|c| c.is_ascii_uppercase())
                && digits.chars().all(|c| c.is_ascii_digit());
            if !ok {
                return Err(Problem::PassportFormat);
            }
        }
        Ok(Passport {
            number,
            country: country.to_string(),
        })
    }
}

/// A NARA (National Alien Registration Authority) card number, as printed: letters, digits and dashes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NaraCard(pub String);

impl NaraCard {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let t = raw.trim().to_ascii_uppercase();
        let core: String = t.chars().filter(|c| *c != '-').collect();
        if !(6..=20).contains(&core.len()) || !core.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(Problem::NaraFormat);
        }
        Ok(NaraCard(t))
    }
}

/// A bank account: a Pakistani IBAN (`PK36SCBL0000001123456702`, its check digits verified) or
/// a domestic account number of 8 to 20 digits. Stored without spaces or dashes, upper-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BankAccount(pub String);

impl BankAccount {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let t: String = raw
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .collect::<String>()
            .to_ascii_uppercase();
        if t.chars().all(|c| c.is_ascii_digit()) && (8..=20).contains(&t.len()) {
            return Ok(BankAccount(t));
        }
        if t.len() == 24 && t.starts_with("PK") && iban_checksum_ok(&t) {
            return Ok(BankAccount(t));
        }
        Err(Problem::AccountFormat)
    }
}

/// ISO 13616 check: move the first four characters to the end, letters to numbers (A = 10),
/// and the whole number modulo 97 must be 1.
fn iban_checksum_ok(iban: &str) -> bool {
    if !iban.chars().all(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    let (head, tail) = iban.split_at(4.min(iban.len()));
    let mut rem: u32 = 0;
    for c in tail.chars().chain(head.chars()) {
        let Some(v) = c.to_digit(36) else {
            return false;
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

/// A hawala (informal transfer) account as victims describe it: the hawaladar's name or shop and
/// the code or number used, e.g. `Haji Sattar Exchange 4471`. Letters, digits and spaces, folded
/// to upper case with single spaces so that the same account written twice meets.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct HawalaAccount(pub String);

impl HawalaAccount {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let words: Vec<String> = raw
            .split(|c: char| c.is_whitespace() || matches!(c, '-' | '/' | ',' | '.'))
            .filter(|w| !w.is_empty())
            .map(str::to_uppercase)
            .collect();
        let t = words.join(" ");
        let letters_or_digits = t.chars().all(|c| c.is_alphanumeric() || c == ' ');
        if !(3..=60).contains(&t.chars().count()) || !letters_or_digits {
            return Err(Problem::HawalaFormat);
        }
        Ok(HawalaAccount(t))
    }
}

/// A vehicle registration number as Pakistani plates print it (`LEA-08-1234`, `BKA 123`,
/// `ICT AB 123`): stored without spaces or dashes, upper-cased; it must have letters and digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct VehicleRegistration(pub String);

impl VehicleRegistration {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let t: String = raw
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .collect::<String>()
            .to_ascii_uppercase();
        let ok = (4..=12).contains(&t.len())
            && t.chars().all(|c| c.is_ascii_alphanumeric())
            && t.chars().any(|c| c.is_ascii_alphabetic())
            && t.chars().any(|c| c.is_ascii_digit());
        if ok {
            Ok(VehicleRegistration(t))
        } else {
            Err(Problem::VehicleFormat)
        }
    }
}

/// The key that makes two written addresses the same place for linking: folded words, with
/// punctuation gone. Only an address precise enough to be one dwelling (three words or more, one
/// of them a house or street number) gives a key; "Gujrat" alone would link half a district.
pub fn address_key(address: &str) -> Option<String> {
    let folded = crate::names::fold_for_search(address);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has_number = words.iter().any(|w| w.chars().any(|c| c.is_ascii_digit()));
    (words.len() >= 3 && has_number).then(|| words.join(" "))
}

/// Which kind of identifier a value is; the stored key for exact lookups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentifierKind {
    Cnic,
    Passport,
    Phone,
    NaraCard,
    BankAccount,
    HawalaAccount,
    Vehicle,
    /// Derived from the person's address (`address_key`), never typed: it links persons living
    /// at one place and is shown as the address, not in the list of identifiers.
    Address,
}

impl IdentifierKind {
    pub const ALL: [IdentifierKind; 8] = [
        IdentifierKind::Cnic,
        IdentifierKind::Passport,
        IdentifierKind::Phone,
        IdentifierKind::NaraCard,
        IdentifierKind::BankAccount,
        IdentifierKind::HawalaAccount,
        IdentifierKind::Vehicle,
        IdentifierKind::Address,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            IdentifierKind::Cnic => "cnic",
            IdentifierKind::Passport => "passport",
            IdentifierKind::Phone => "phone",
            IdentifierKind::NaraCard => "nara_card",
            IdentifierKind::BankAccount => "bank_account",
            IdentifierKind::HawalaAccount => "hawala_account",
            IdentifierKind::Vehicle => "vehicle",
            IdentifierKind::Address => "address",
        }
    }
    /// Whether the kind is listed among a person's identifiers (the address key is not).
    pub fn listed(self) -> bool {
        self != IdentifierKind::Address
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A validated identifier of a person. `value` is the normalised form used for exact matching.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Identifier {
    pub kind: IdentifierKind,
    pub value: String,
    /// Issuing country for passports.
    pub country: Option<String>,
}

impl Identifier {
    pub fn cnic(c: &Cnic) -> Self {
        Identifier {
            kind: IdentifierKind::Cnic,
            value: c.digits().to_string(),
            country: None,
        }
    }
    pub fn phone(p: &Phone) -> Self {
        Identifier {
            kind: IdentifierKind::Phone,
            value: p.as_str().to_string(),
            country: None,
        }
    }
    pub fn passport(p: &Passport) -> Self {
        Identifier {
            kind: IdentifierKind::Passport,
            value: p.number.clone(),
            country: Some(p.country.clone()),
        }
    }
    pub fn nara(n: &NaraCard) -> Self {
        Identifier {
            kind: IdentifierKind::NaraCard,
            value: n.0.clone(),
            country: None,
        }
    }
    pub fn of_kind(kind: IdentifierKind, value: String) -> Self {
        Identifier {
            kind,
            value,
            country: None,
        }
    }
    /// How the identifier is shown to people (CNIC with its dashes).
    pub fn display_value(&self) -> String {
        match self.kind {
            IdentifierKind::Cnic => Cnic::parse(&self.value)
                .map(|c| c.to_string())
                .unwrap_or_else(|_| self.value.clone()),
            _ => self.value.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_vehicles_and_addresses() {
        assert_eq!(
            BankAccount::parse("PK36 SCBL 0000 0011 2345 6702")
                .unwrap()
                .0,
            "PK36SCBL0000001123456702"
        );
        assert_eq!(
            BankAccount::parse("PK37SCBL0000001123456702"),
            Err(Problem::AccountFormat)
        );
        assert_eq!(
            BankAccount::parse("0123-4567-8901").unwrap().0,
            "012345678901"
        );
        assert_eq!(BankAccount::parse("12ab"), Err(Problem::AccountFormat));
        assert_eq!(
            HawalaAccount::parse(" haji  Sattar exchange/4471 ")
                .unwrap()
                .0,
            "HAJI SATTAR EXCHANGE 4471"
        );
        assert_eq!(HawalaAccount::parse("x"), Err(Problem::HawalaFormat));
        assert_eq!(
            VehicleRegistration::parse("lea-08 1234").unwrap().0,
            "LEA081234"
        );
        assert_eq!(
            VehicleRegistration::parse("LEAB"),
            Err(Problem::VehicleFormat)
        );
        assert_eq!(address_key("Gujrat"), None);
        assert_eq!(
            address_key("House 12, Street 4, Mohalla Eidgah, Gujrat"),
            address_key("house 12 street 4 mohalla eidgah gujrat")
        );
        assert!(address_key("House 12, Street 4, Gujrat").is_some());
    }

    #[test]
    fn cnic_accepts_dashed_and_plain() {
        let a = Cnic::parse("35202-1234567-1").unwrap();
        let b = Cnic::parse(" 3520212345671 ").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.to_string(), "35202-1234567-1");
        assert_eq!(a.digits(), "3520212345671");
    }

    #[test]
    fn cnic_rejects_bad_forms() {
        assert_eq!(Cnic::parse("3520-21234567-1"), Err(Problem::CnicFormat));
        assert_eq!(Cnic::parse("352021234567"), Err(Problem::CnicFormat));
        assert_eq!(Cnic::parse("35202-1234567-1a"), Err(Problem::CnicFormat));
        assert_eq!(
            Cnic::parse("95202-1234567-1"),
            Err(Problem::CnicProvinceDigit)
        );
        assert_eq!(
            Cnic::parse("00000-0000000-0"),
            Err(Problem::CnicProvinceDigit)
        );
        assert_eq!(Cnic::parse("11111-1111111-1"), Err(Problem::CnicFormat));
    }

    #[test]
    fn cnic_sex_digit() {
        let man = Cnic::parse("35202-1234567-1").unwrap();
        assert!(man.check_sex(Sex::Male).is_ok());
        assert_eq!(man.check_sex(Sex::Female), Err(Problem::CnicSexDigit));
        assert!(man.check_sex(Sex::Unknown).is_ok());
    }

    #[test]
    fn phone_normalises_pakistani_forms() {
        for raw in [
            "0300-1234567",
            "+92 300 1234567",
            "923001234567",
            "0092-300-1234567",
        ] {
            assert_eq!(
                Phone::parse(raw).unwrap().as_str(),
                "+923001234567",
                "{raw}"
            );
        }
        assert_eq!(
            Phone::parse("+968 9123 4567").unwrap().as_str(),
            "+96891234567"
        );
        assert_eq!(Phone::parse("0300-123456"), Err(Problem::PhoneFormat));
        assert_eq!(Phone::parse("call me"), Err(Problem::PhoneFormat));
        assert_eq!(Phone::parse("12345"), Err(Problem::PhoneFormat));
    }

    #[test]
    fn passport_checks_pakistani_form() {
        assert_eq!(
            Passport::parse("ab 1234567", "PAK").unwrap().number,
            "AB1234567"
        );
        assert_eq!(
            Passport::parse("A12345678", "PAK"),
            Err(Problem::PassportFormat)
        );
        assert!(Passport::parse("X1234567", "AFG").is_ok());
        assert_eq!(Passport::parse("12", "AFG"), Err(Problem::PassportFormat));
    }
}
