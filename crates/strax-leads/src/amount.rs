//! [`Amount`]: an exact money amount written `XX.YY`, never a float.

use std::fmt;
use std::str::FromStr;

/// An exact, non-negative amount with two decimals, as the vendor writes
/// prices and fees (`27.50`): kept as a whole number of hundredths, so no
/// float ever touches it.
///
/// Parsing accepts digits with at most two decimals (`27`, `27.5`, `27.50`)
/// and writes them back with exactly two (`27.00`, `27.50`); a sign, a
/// currency symbol, thousands separators, three decimals or an exponent are
/// refused.
///
/// ```
/// use strax_leads::Amount;
///
/// let price: Amount = "27.5".parse()?;
/// assert_eq!(price.to_string(), "27.50");
/// assert_eq!(price.hundredths(), 2750);
/// assert!("$27.50".parse::<Amount>().is_err());
/// assert!("27.505".parse::<Amount>().is_err());
/// # Ok::<(), strax_leads::AmountError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Amount {
    hundredths: u64,
}

/// Why a text is not an [`Amount`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an amount is digits with at most two decimals, written XX.YY, without `$`")]
pub struct AmountError;

/// How an amount must be written, for validation messages.
pub(crate) const AMOUNT_FORMAT: &str =
    "an amount written XX.YY (digits, at most two decimals, no `$`)";

impl Amount {
    /// The amount of `hundredths` hundredths (`Amount::from_hundredths(2750)` is `27.50`).
    #[must_use]
    pub const fn from_hundredths(hundredths: u64) -> Self {
        Self { hundredths }
    }

    /// The amount in hundredths.
    #[must_use]
    pub const fn hundredths(self) -> u64 {
        self.hundredths
    }
}

impl FromStr for Amount {
    type Err = AmountError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let (whole, fraction) = match text.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (text, None),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) {
            return Err(AmountError);
        }
        let cents = match fraction {
            None => 0,
            Some(f) if digits(f) && f.len() <= 2 => {
                let value: u64 = f.parse().map_err(|_| AmountError)?;
                if f.len() == 1 { value * 10 } else { value }
            }
            Some(_) => return Err(AmountError),
        };
        let whole: u64 = whole.parse().map_err(|_| AmountError)?;
        whole
            .checked_mul(100)
            .and_then(|h| h.checked_add(cents))
            .map(Self::from_hundredths)
            .ok_or(AmountError)
    }
}

impl Amount {
    /// The amount written `XX.YY`, without the formatting machinery (it is
    /// written once per record of every post).
    pub(crate) fn wire(self) -> String {
        self.write_to(&mut [0; AMOUNT_DIGITS]).to_owned()
    }

    /// The amount written `XX.YY` into `digits` (no allocation: encoding
    /// writes it straight into the document).
    pub(crate) fn write_to(self, digits: &mut [u8; AMOUNT_DIGITS]) -> &str {
        let mut at = digits.len();
        let mut rest = self.hundredths;
        let mut written = 0;
        while rest > 0 || written < 3 {
            if written == 2 {
                at -= 1;
                digits[at] = b'.';
            }
            at -= 1;
            digits[at] = b'0' + (rest % 10) as u8;
            rest /= 10;
            written += 1;
        }
        // Only ASCII digits and one dot were written, so this never fails.
        std::str::from_utf8(&digits[at..]).unwrap_or_default()
    }
}

/// Room for the longest amount (`u64::MAX` hundredths: 20 digits and a dot).
pub(crate) const AMOUNT_DIGITS: usize = 24;

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.wire())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_written_with_two_decimals() {
        for (text, written) in [
            ("27.5", "27.50"),
            ("27.50", "27.50"),
            ("27", "27.00"),
            (" 0.05 ", "0.05"),
            ("007.1", "7.10"),
            ("184467440737095516.15", "184467440737095516.15"),
        ] {
            assert_eq!(
                text.parse::<Amount>().unwrap().to_string(),
                written,
                "{text}"
            );
        }
    }

    #[test]
    fn the_wire_form_is_the_formatted_one() {
        for hundredths in [0, 1, 9, 10, 99, 100, 101, 2750, 123_456_789, u64::MAX] {
            let amount = Amount::from_hundredths(hundredths);
            assert_eq!(
                amount.wire(),
                format!("{}.{:02}", hundredths / 100, hundredths % 100)
            );
        }
    }

    #[test]
    fn anything_else_is_refused() {
        for text in [
            "",
            "$27.50",
            "27.505",
            "-1",
            "+1",
            "1,000.00",
            "1e3",
            ".5",
            "27.",
            "27.5.0",
            "NaN",
            "184467440737095516.16",
            "٣",
        ] {
            assert_eq!(text.parse::<Amount>(), Err(AmountError), "{text}");
        }
    }
}
