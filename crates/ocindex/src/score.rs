//! Scores and composites as exact numbers. An indicator score is kept as a count of half points
//! (1 to 10 in steps of 0.5 is 2 to 20 halves), and a composite as hundredths, so every mean is a
//! fraction of integers and is rounded once, exactly: no binary floating point between the
//! workbook and the published two decimals (the Index's own workbook warns of "binary round-off
//! errors" in its differences).

use serde::{Deserialize, Serialize};
use std::fmt;

/// The lowest and highest score of any indicator.
pub const MIN_SCORE: f64 = 1.0;
pub const MAX_SCORE: f64 = 10.0;

/// An indicator score from 1 to 10 in half points, as the Index scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Score(u8);

/// Why a value is not a score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(rename_all = "kebab-case")]
pub enum ScoreError {
    #[error("not a number")]
    NotANumber,
    #[error("outside 1 to 10")]
    OutOfRange,
    #[error("not a whole or half point")]
    NotHalfStep,
}

impl Score {
    /// A score from its number of half points (2 for 1.0 up to 20 for 10.0).
    pub fn from_halves(halves: u8) -> Result<Score, ScoreError> {
        if (2..=20).contains(&halves) {
            Ok(Score(halves))
        } else {
            Err(ScoreError::OutOfRange)
        }
    }

    /// The number of half points (2 to 20).
    pub fn halves(self) -> u8 {
        self.0
    }

    /// A score from a number as a workbook holds it. The value must be a whole or half point
    /// within a millionth (workbooks store 6.5 exactly, but a value typed as a formula may carry
    /// binary noise).
    pub fn from_f64(v: f64) -> Result<Score, ScoreError> {
        if !v.is_finite() {
            return Err(ScoreError::NotANumber);
        }
        if !(MIN_SCORE - 1e-6..=MAX_SCORE + 1e-6).contains(&v) {
            return Err(ScoreError::OutOfRange);
        }
        let halves = (v * 2.0).round();
        if (v * 2.0 - halves).abs() > 2e-6 {
            return Err(ScoreError::NotHalfStep);
        }
        // In range, so between 2 and 20: the cast cannot truncate.
        Score::from_halves(halves as u8)
    }

    /// A score as an officer types it: `7`, `7.5`, `7,5` (decimal comma), `07.50`; surrounding
    /// spaces ignored. Anything else is not a number.
    pub fn parse(text: &str) -> Result<Score, ScoreError> {
        let t = text.trim().replace(',', ".");
        if t.is_empty()
            || !t.chars().all(|c| c.is_ascii_digit() || c == '.')
            || t.matches('.').count() > 1
            || t == "."
        {
            // A minus sign is not a digit: "-3" is refused here, but say what is wrong with it.
            if let Ok(v) = t.parse::<f64>() {
                if v.is_finite() {
                    return Err(ScoreError::OutOfRange);
                }
            }
            return Err(ScoreError::NotANumber);
        }
        let v: f64 = t.parse().map_err(|_| ScoreError::NotANumber)?;
        Score::from_f64(v)
    }

    pub fn to_f64(self) -> f64 {
        f64::from(self.0) / 2.0
    }
}

impl TryFrom<u8> for Score {
    type Error = ScoreError;
    fn try_from(halves: u8) -> Result<Self, Self::Error> {
        Score::from_halves(halves)
    }
}

impl From<Score> for u8 {
    fn from(s: Score) -> u8 {
        s.0
    }
}

/// Shown with two decimals, as the Index prints scores in its profiles ("8.00", "4.50").
impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.0 / 2;
        let half = if self.0 % 2 == 1 { "50" } else { "00" };
        write!(f, "{whole}.{half}")
    }
}

/// A composite score in hundredths (6.28 is 628), as the Index publishes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Centi(pub i64);

impl Centi {
    /// The exact fraction `num / den` rounded half up to hundredths (`den` > 0, `num` >= 0: means
    /// of scores are positive). Half up, not half to even: the Index's 2021 criminality of
    /// Pakistan, (6.30 + 6.25) / 2 = 6.275, is published as 6.28.
    pub fn round_half_up(num: i64, den: i64) -> Centi {
        if den <= 0 {
            return Centi(0);
        }
        // floor(num * 100 / den + 1/2) = floor((200 num + den) / (2 den)).
        Centi((200 * num + den).div_euclid(2 * den))
    }

    /// From a published value (a workbook number such as 6.28), to the nearest hundredth.
    pub fn from_f64(v: f64) -> Option<Centi> {
        if !v.is_finite() || v.abs() > 1e12 {
            return None;
        }
        // A published two-decimal value is stored as the nearest binary fraction; rounding
        // recovers its hundredths exactly.
        Some(Centi((v * 100.0).round() as i64))
    }

    pub fn to_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

impl fmt::Display for Centi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", a / 100, a % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_whole_or_half_points_from_one_to_ten() {
        assert_eq!(Score::parse("7.5").map(Score::halves), Ok(15));
        assert_eq!(Score::parse(" 7,5 ").map(Score::halves), Ok(15));
        assert_eq!(Score::parse("10").map(Score::halves), Ok(20));
        assert_eq!(Score::parse("1").map(Score::halves), Ok(2));
        assert_eq!(Score::parse("0"), Err(ScoreError::OutOfRange));
        assert_eq!(Score::parse("11"), Err(ScoreError::OutOfRange));
        assert_eq!(Score::parse("-3"), Err(ScoreError::OutOfRange));
        assert_eq!(Score::parse("10.5"), Err(ScoreError::OutOfRange));
        assert_eq!(Score::parse("6.3"), Err(ScoreError::NotHalfStep));
        assert_eq!(Score::parse("six"), Err(ScoreError::NotANumber));
        assert_eq!(Score::parse(""), Err(ScoreError::NotANumber));
        assert_eq!(Score::parse("1.2.3"), Err(ScoreError::NotANumber));
        assert_eq!(Score::from_f64(f64::NAN), Err(ScoreError::NotANumber));
        assert_eq!(Score::from_f64(6.5000000001).map(Score::halves), Ok(13));
        assert_eq!(Score::from_halves(21), Err(ScoreError::OutOfRange));
        assert_eq!(Score::from_halves(1), Err(ScoreError::OutOfRange));
    }

    #[test]
    fn scores_and_composites_print_with_two_decimals() {
        assert_eq!(
            Score::from_halves(9).map(|s| s.to_string()),
            Ok("4.50".into())
        );
        assert_eq!(
            Score::from_halves(16).map(|s| s.to_string()),
            Ok("8.00".into())
        );
        assert_eq!(Centi(628).to_string(), "6.28");
        assert_eq!(Centi(400).to_string(), "4.00");
        assert_eq!(Centi(5).to_string(), "0.05");
        assert_eq!(Centi(-5).to_string(), "-0.05");
    }

    #[test]
    // 6.28 is Pakistan's published criminality, not an approximation of tau.
    #[allow(clippy::approx_constant)]
    fn rounding_is_half_up_from_the_exact_fraction() {
        // 6.275 -> 6.28 (half to even would give 6.28 too; 6.265 tells them apart).
        assert_eq!(Centi::round_half_up(6275, 1000), Centi(628));
        assert_eq!(Centi::round_half_up(6265, 1000), Centi(627));
        // 7.375 (actors of Turkey, 2021) -> 7.38.
        assert_eq!(Centi::round_half_up(59, 8), Centi(738));
        // 4.0416.. -> 4.04; 3.5833.. -> 3.58
        assert_eq!(Centi::round_half_up(97, 24), Centi(404));
        assert_eq!(Centi::round_half_up(86, 24), Centi(358));
        assert_eq!(Centi::from_f64(6.28), Some(Centi(628)));
        assert_eq!(Centi::from_f64(7.38), Some(Centi(738)));
        assert_eq!(Centi::from_f64(f64::INFINITY), None);
    }
}
