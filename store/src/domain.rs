//! The values that reach a URL or a query only after parsing: a ticker [`Symbol`], a
//! news [`Coin`], a [`City`]. Each can only be made by its `parse`, so an invalid one
//! cannot exist past the boundary where it came in.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest ticker we accept. Real ones are far shorter; the cap keeps hostile input out.
pub const MAX_SYMBOL_LEN: usize = 12;

/// A ticker symbol as the dashboard shows it: `IBM`, `BTC`, `BRK.B`.
///
/// Parsing is the only way to get one, so a value that reaches a query is already
/// known to be short, upper-case and free of anything SQL could mistake for syntax.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Symbol(String);

/// Why a string is not a [`Symbol`]; the message is shown to the user as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SymbolError {
    Empty,
    TooLong(usize),
    BadCharacter(char),
}

impl fmt::Display for SymbolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SymbolError::Empty => write!(f, "the symbol is empty"),
            SymbolError::TooLong(n) => write!(
                f,
                "a symbol has at most {MAX_SYMBOL_LEN} characters, this one has {n}"
            ),
            SymbolError::BadCharacter(c) => write!(
                f,
                "a symbol has only letters, digits, '.' and '-', not {c:?}"
            ),
        }
    }
}

impl std::error::Error for SymbolError {}

impl Symbol {
    /// Trims, upper-cases and checks a user- or API-supplied ticker.
    pub fn parse(raw: &str) -> Result<Self, SymbolError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(SymbolError::Empty);
        }
        let len = trimmed.chars().count();
        if len > MAX_SYMBOL_LEN {
            return Err(SymbolError::TooLong(len));
        }
        if let Some(c) = trimmed
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '.' || *c == '-'))
        {
            return Err(SymbolError::BadCharacter(c));
        }
        Ok(Symbol(trimmed.to_ascii_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The browser's reader (`serde_lite`, see `app::wire`): a symbol travels as its text
/// and is parsed again on the way in, as with serde.
impl serde_lite::Serialize for Symbol {
    fn serialize(&self) -> Result<serde_lite::Intermediate, serde_lite::Error> {
        Ok(self.0.as_str().into())
    }
}

impl serde_lite::Deserialize for Symbol {
    fn deserialize(val: &serde_lite::Intermediate) -> Result<Self, serde_lite::Error> {
        let text = val
            .as_str()
            .ok_or_else(|| serde_lite::Error::invalid_value_static("a symbol"))?;
        Symbol::parse(text).map_err(serde_lite::Error::invalid_value)
    }
}

/// A news coin as U.Today names its listing pages: `bitcoin`, `ethereum`, `shiba-inu`.
///
/// It becomes a path segment (`/{coin}-news`), so parsing is the only way to get one:
/// lower-case ASCII letters, digits and inner hyphens, nothing that could lead a URL
/// to another path or host.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Coin(String);

/// Longest coin name we accept (`binance-usd` is 11).
pub const MAX_COIN_LEN: usize = 32;

impl Coin {
    /// Trims and lower-cases a coin name, then checks it.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let coin = raw.trim().to_ascii_lowercase();
        check_length(&coin, "coin", MAX_COIN_LEN)?;
        if let Some(c) = coin
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        {
            return Err(format!(
                "a coin has only letters, digits and '-' (like bitcoin or shiba-inu), not {c:?}"
            ));
        }
        if coin.starts_with('-') || coin.ends_with('-') {
            return Err("a coin does not start or end with '-'".into());
        }
        Ok(Coin(coin))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A city as OpenWeatherMap's `q` takes it: `London`, `São Paulo`, `London,GB`.
///
/// Letters of any script, spaces, and `-` `'` `.` `,` only: no character with a meaning
/// in a URL, no control character.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct City(String);

/// Longest city name we accept (the longest real ones are under 60 letters).
pub const MAX_CITY_LEN: usize = 85;

impl City {
    /// Trims a city name, then checks it.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let city = raw.trim();
        check_length(city, "city", MAX_CITY_LEN)?;
        if let Some(c) = city
            .chars()
            .find(|c| !(c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '.' | ',')))
        {
            return Err(format!(
                "a city has only letters, spaces and - ' . , (like London or London,GB), not {c:?}"
            ));
        }
        Ok(City(city.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Neither empty nor longer than `max` characters.
fn check_length(value: &str, what: &str, max: usize) -> Result<(), String> {
    if value.is_empty() {
        Err(format!("the {what} is empty"))
    } else if value.chars().count() > max {
        Err(format!("a {what} has at most {max} characters"))
    } else {
        Ok(())
    }
}

macro_rules! string_newtype {
    ($name:ident, $error:ty) => {
        impl TryFrom<String> for $name {
            type Error = $error;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                $name::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}
string_newtype!(Symbol, SymbolError);
string_newtype!(Coin, String);
string_newtype!(City, String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbol_is_trimmed_and_upper_cased() {
        assert_eq!(Symbol::parse("  ibm ").unwrap().as_str(), "IBM");
        assert_eq!(Symbol::parse("brk.b").unwrap().as_str(), "BRK.B");
    }

    #[test]
    fn symbol_rejects_empty_long_and_sql() {
        assert_eq!(Symbol::parse("   "), Err(SymbolError::Empty));
        assert_eq!(
            Symbol::parse("ABCDEFGHIJKLMN"),
            Err(SymbolError::TooLong(14))
        );
        assert_eq!(
            Symbol::parse("IBM';DROP"),
            Err(SymbolError::BadCharacter('\''))
        );
        assert!(Symbol::parse("A B").is_err());
    }

    #[test]
    fn symbol_deserialises_through_parse() {
        let s: Symbol = serde_json::from_str("\"tsla\"").unwrap();
        assert_eq!(s.as_str(), "TSLA");
        assert!(serde_json::from_str::<Symbol>("\"x y\"").is_err());
    }

    #[test]
    fn coins_and_cities_cannot_lead_a_url_elsewhere() {
        assert_eq!(Coin::parse(" Bitcoin ").unwrap().as_str(), "bitcoin");
        assert_eq!(Coin::parse("shiba-inu").unwrap().as_str(), "shiba-inu");
        for bad in [
            "",
            "//evil.example/x",
            "bit coin",
            "../rss",
            "-x",
            "a?b",
            "bitcoin#",
        ] {
            assert!(Coin::parse(bad).is_err(), "{bad:?}");
        }
        assert!(Coin::parse(&"a".repeat(33)).is_err());
        assert_eq!(City::parse(" São Paulo ").unwrap().as_str(), "São Paulo");
        assert!(City::parse("London,GB").is_ok() && City::parse("N'Djamena").is_ok());
        for bad in ["", "London&appid=x", "a/b", "x\ny", "Paris?", "100%"] {
            assert!(City::parse(bad).is_err(), "{bad:?}");
        }
        assert!(serde_json::from_str::<Coin>("\"//evil\"").is_err());
    }
}
