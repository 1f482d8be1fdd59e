//! SIRET numbers of partner structures: 14 digits with a Luhn check; La Poste's establishments
//! (SIREN 356 000 000) may instead have digits adding up to a multiple of 5.

use std::fmt;

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Siret(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SiretError {
    #[error("Le SIRET doit comporter 14 chiffres ; {0} saisi(s).")]
    WrongLength(usize),
    #[error("Le SIRET ne peut contenir que des chiffres.")]
    NotDigits,
    #[error("Le SIRET « {0} » n'est pas valide : vérifiez les chiffres saisis.")]
    Checksum(String),
}

const LA_POSTE_SIREN: &str = "356000000";

impl Siret {
    /// Accepts spaces between groups ("262 910 026 00011").
    pub fn parse(input: &str) -> Result<Self, SiretError> {
        let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if !compact.chars().all(|c| c.is_ascii_digit()) {
            return Err(SiretError::NotDigits);
        }
        if compact.len() != 14 {
            return Err(SiretError::WrongLength(compact.len()));
        }
        let digits: Vec<u32> = compact.chars().filter_map(|c| c.to_digit(10)).collect();
        // La Poste's head office passes Luhn; its other establishments follow the digit-sum rule.
        let valid = luhn(&digits) || (compact.starts_with(LA_POSTE_SIREN) && digits.iter().sum::<u32>() % 5 == 0);
        if valid { Ok(Siret(compact)) } else { Err(SiretError::Checksum(compact)) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The SIREN (the company) is the first 9 digits.
    pub fn siren(&self) -> &str {
        &self.0[..9]
    }
}

fn luhn(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| if i % 2 == 1 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d })
        .sum();
    sum % 10 == 0
}

impl fmt::Display for Siret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.0;
        write!(f, "{} {} {} {}", &s[0..3], &s[3..6], &s[6..9], &s[9..14])
    }
}

impl fmt::Debug for Siret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Siret({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_sirets_pass_luhn_or_la_postes_rule() {
        for input in ["26910026800011", "269 100 268 00011", "77590345600025", "35600000000048", "35600000049837"] {
            assert!(Siret::parse(input).is_ok(), "{input}");
        }
        assert_eq!(Siret::parse("26910026800011").map(|s| s.to_string()), Ok("269 100 268 00011".to_owned()));
        assert_eq!(Siret::parse("26910026800011").map(|s| s.siren().to_owned()), Ok("269100268".to_owned()));
    }

    #[test]
    fn invalid_sirets_are_refused_with_the_reason() {
        assert_eq!(Siret::parse("2691002680001"), Err(SiretError::WrongLength(13)));
        assert_eq!(Siret::parse("2691002680001A"), Err(SiretError::NotDigits));
        assert_eq!(Siret::parse("26910026800012"), Err(SiretError::Checksum("26910026800012".into())));
        // La Poste: neither Luhn nor a digit sum that is a multiple of 5.
        assert_eq!(Siret::parse("35600000049838"), Err(SiretError::Checksum("35600000049838".into())));
    }
}
