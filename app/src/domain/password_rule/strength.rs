//! Whether a new password is hard enough to guess: long enough, not one of the most common passwords (a list
//! shipped with the project, French ones included, compared without case, accents, separators or the digits and
//! symbols stuck around it), not built from the person's own e-mail address, and rated at least
//! [`MIN_SCORE`] out of 4 by zxcvbn, which is given the person's e-mail and names and, since its own dictionaries
//! are English, a list of French words.
//!
//! Server only (a whole module behind the `ssr` feature): zxcvbn's dictionaries would weigh megabytes in the
//! browser's wasm, and the browser never needs the verdict before the server gives it.

use super::{MAX_LENGTH, MIN_LENGTH};
use crate::domain::field_error::FieldError;
use std::collections::HashSet;
use std::sync::LazyLock;
use zxcvbn::Score;
use zxcvbn::feedback::Warning;
use zxcvbn::matching::patterns::MatchPattern;

/// The lowest zxcvbn score accepted (3: about 10^10 guesses, "safely unguessable" against an online attack and
/// hard against an offline one).
pub const MIN_SCORE: Score = Score::Three;

const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");
const FRENCH_WORDS: &str = include_str!("french_words.txt");

/// Whose password it is: what the password must not be built from.
#[derive(Clone, Copy, Debug)]
pub struct Owner<'a> {
    pub email: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
}

/// Why a password is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weakness {
    Missing,
    TooShort,
    TooLong,
    /// It contains the person's e-mail address (or what comes before the `@`).
    ContainsEmail,
    /// zxcvbn finds it guessable mostly because of the person's first or last name.
    ContainsName,
    /// It is one of the most common passwords, give or take case, accents and the digits or symbols around it.
    Common,
    /// zxcvbn scores it below [`MIN_SCORE`]; what makes it guessable.
    Predictable(Pattern),
}

/// What zxcvbn found in a guessable password.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    Repeats,
    Sequence,
    Keyboard,
    Dates,
    LooksCommon,
    Words,
    Names,
    Other,
}

impl Pattern {
    fn reason(self) -> Option<&'static str> {
        Some(match self {
            Pattern::Repeats => "les répétitions comme « aaaa » ou « abcabc » se devinent vite",
            Pattern::Sequence => "les suites comme « abcd » ou « 1234 » se devinent vite",
            Pattern::Keyboard => "les rangées de touches du clavier se devinent vite",
            Pattern::Dates => "les dates et les années se devinent vite",
            Pattern::LooksCommon => "il ressemble à un mot de passe très courant",
            Pattern::Words => "un mot courant, même avec des majuscules ou des chiffres, se devine vite",
            Pattern::Names => "les prénoms et les noms de famille se devinent vite",
            Pattern::Other => return None,
        })
    }
}

impl Weakness {
    /// The French sentence shown next to the field: what is wrong, and what to do instead.
    pub fn message(self) -> String {
        match self {
            Weakness::Missing => "Choisissez un mot de passe.".to_owned(),
            Weakness::TooShort => format!("Le mot de passe doit compter au moins {MIN_LENGTH} caractères."),
            Weakness::TooLong => format!("Le mot de passe doit compter au plus {MAX_LENGTH} caractères."),
            Weakness::ContainsEmail => "Ce mot de passe reprend votre adresse e-mail : choisissez-en un sans lien avec vous.".to_owned(),
            Weakness::ContainsName => {
                "Ce mot de passe est trop facile à deviner : il reprend votre prénom ou votre nom. Choisissez-en un sans lien avec vous.".to_owned()
            }
            Weakness::Common => {
                "Ce mot de passe fait partie des plus courants (même avec des chiffres ou des symboles ajoutés) : choisissez-en un autre.".to_owned()
            }
            Weakness::Predictable(pattern) => {
                let advice = "Allongez-le, par exemple avec quatre ou cinq mots sans lien entre eux.";
                match pattern.reason() {
                    Some(reason) => format!("Ce mot de passe est trop facile à deviner : {reason}. {advice}"),
                    None => format!("Ce mot de passe est trop facile à deviner. {advice}"),
                }
            }
        }
    }
}

/// Checks a new password and its confirmation; each problem names its field ("password" or "confirmation").
pub fn check_new_password(password: &str, confirmation: &str, owner: &Owner<'_>) -> Result<(), Vec<FieldError>> {
    let mut problems = vec![];
    if let Some(weakness) = weakness(password, owner) {
        problems.push(FieldError::new("password", weakness.message()));
    }
    if confirmation != password {
        problems.push(FieldError::new("confirmation", "Les deux saisies ne sont pas identiques.".to_owned()));
    }
    if problems.is_empty() { Ok(()) } else { Err(problems) }
}

/// Why `password` may not be chosen by `owner`, if it may not.
pub fn weakness(password: &str, owner: &Owner<'_>) -> Option<Weakness> {
    let length = password.chars().count();
    if password.is_empty() {
        return Some(Weakness::Missing);
    }
    if length < MIN_LENGTH {
        return Some(Weakness::TooShort);
    }
    if length > MAX_LENGTH {
        return Some(Weakness::TooLong);
    }
    let personal = Personal::of(owner);
    let compacted = compact(password);
    if personal.local_part.chars().count() >= 4 && compacted.contains(&personal.local_part) {
        return Some(Weakness::ContainsEmail);
    }
    if is_common(password) {
        return Some(Weakness::Common);
    }
    let inputs: Vec<&str> =
        personal.email_words.iter().chain(&personal.names).map(String::as_str).chain(DICTIONARY.iter().map(String::as_str)).collect();
    let estimate = zxcvbn::zxcvbn(password, &inputs);
    if estimate.score() >= MIN_SCORE {
        return None;
    }
    let words: Vec<&str> = estimate
        .sequence()
        .iter()
        .filter_map(|m| match &m.pattern {
            MatchPattern::Dictionary(word) => Some(word.matched_word.as_str()),
            _ => None,
        })
        .collect();
    if words.iter().any(|w| personal.names.iter().any(|n| n == w)) {
        return Some(Weakness::ContainsName);
    }
    if words.iter().any(|w| personal.email_words.iter().any(|e| e == w)) {
        return Some(Weakness::ContainsEmail);
    }
    Some(Weakness::Predictable(pattern_of(&estimate)))
}

/// What zxcvbn's own warning says, else the first telling pattern of the guess sequence.
fn pattern_of(estimate: &zxcvbn::Entropy) -> Pattern {
    if let Some(warning) = estimate.feedback().and_then(|f| f.warning()) {
        return match warning {
            Warning::StraightRowsOfKeysAreEasyToGuess | Warning::ShortKeyboardPatternsAreEasyToGuess => Pattern::Keyboard,
            Warning::RepeatsLikeAaaAreEasyToGuess | Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess => Pattern::Repeats,
            Warning::SequencesLikeAbcAreEasyToGuess => Pattern::Sequence,
            Warning::RecentYearsAreEasyToGuess | Warning::DatesAreOftenEasyToGuess => Pattern::Dates,
            Warning::ThisIsATop10Password
            | Warning::ThisIsATop100Password
            | Warning::ThisIsACommonPassword
            | Warning::ThisIsSimilarToACommonlyUsedPassword => Pattern::LooksCommon,
            Warning::AWordByItselfIsEasyToGuess => Pattern::Words,
            Warning::NamesAndSurnamesByThemselvesAreEasyToGuess | Warning::CommonNamesAndSurnamesAreEasyToGuess => Pattern::Names,
        };
    }
    let found = |wanted: fn(&MatchPattern) -> bool| estimate.sequence().iter().any(|m| wanted(&m.pattern));
    if found(|p| matches!(p, MatchPattern::Repeat(_))) {
        Pattern::Repeats
    } else if found(|p| matches!(p, MatchPattern::Sequence(_))) {
        Pattern::Sequence
    } else if found(|p| matches!(p, MatchPattern::Spatial(_))) {
        Pattern::Keyboard
    } else if found(|p| matches!(p, MatchPattern::Date(_) | MatchPattern::Regex(_))) {
        Pattern::Dates
    } else if found(|p| matches!(p, MatchPattern::Dictionary(_))) {
        Pattern::Words
    } else {
        Pattern::Other
    }
}

/// The person's own words, folded like the password: zxcvbn matches them as a dictionary of their own.
struct Personal {
    /// What comes before the `@`, without separators.
    local_part: String,
    /// The address, its local part, their pieces and the domain's name.
    email_words: Vec<String>,
    /// First and last names, whole and in pieces ("Jean-Pierre": "jean-pierre", "jeanpierre", "jean", "pierre").
    names: Vec<String>,
}

impl Personal {
    fn of(owner: &Owner<'_>) -> Personal {
        let email = owner.email.trim().to_lowercase();
        let (local, domain) = email.split_once('@').unwrap_or((email.as_str(), ""));
        let mut email_words = vec![];
        push_word(&mut email_words, &email);
        push_word(&mut email_words, local);
        push_pieces(&mut email_words, local);
        if let Some((name, _tld)) = domain.rsplit_once('.') {
            push_pieces(&mut email_words, name);
        }
        let mut names = vec![];
        for name in [owner.first_name, owner.last_name] {
            let name = name.trim().to_lowercase();
            push_word(&mut names, &name);
            push_pieces(&mut names, &name);
        }
        Personal { local_part: compact(local), email_words, names }
    }
}

fn push_pieces(words: &mut Vec<String>, text: &str) {
    push_word(words, &compact(text));
    for piece in text.split(|c: char| !c.is_alphanumeric()) {
        push_word(words, piece);
    }
}

/// Adds a word and its unaccented form, once each; words of fewer than 3 letters would match too much.
fn push_word(words: &mut Vec<String>, word: &str) {
    for form in [word.to_lowercase(), fold(word)] {
        if form.chars().count() >= 3 && !words.contains(&form) {
            words.push(form);
        }
    }
}

/// The common passwords, each as typed and by its core (see [`core`]).
static COMMON: LazyLock<HashSet<String>> =
    LazyLock::new(|| entries(COMMON_PASSWORDS).flat_map(|entry| [compact(entry), core(entry)]).filter(|form| !form.is_empty()).collect());

/// What zxcvbn is given besides the person's words: French words, then the common passwords, most frequent
/// first (a word's rank is how many guesses it costs), each also without accents.
static DICTIONARY: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut words: Vec<String> = vec![];
    let mut seen = HashSet::new();
    for entry in entries(FRENCH_WORDS).chain(entries(COMMON_PASSWORDS)) {
        for form in [entry.to_lowercase(), fold(entry), compact(entry)] {
            if form.chars().count() >= 3 && seen.insert(form.clone()) {
                words.push(form);
            }
        }
    }
    words
});

fn entries(list: &'static str) -> impl Iterator<Item = &'static str> {
    list.lines().map(str::trim).filter(|line| !line.is_empty() && !line.starts_with('#'))
}

/// Whether `password` is one of the common passwords, give or take case, accents, separators and the digits and
/// symbols around it ("Motdepasse2026", "P-a-s-s-w-o-r-d-123!").
fn is_common(password: &str) -> bool {
    [compact(password), core(password)].iter().any(|form| !form.is_empty() && COMMON.contains(form))
}

/// Lower case without accents: "Sécurité" → "securite".
fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => folded.push('a'),
            'é' | 'è' | 'ê' | 'ë' => folded.push('e'),
            'î' | 'ï' | 'í' | 'ì' => folded.push('i'),
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' => folded.push('o'),
            'ù' | 'û' | 'ü' | 'ú' => folded.push('u'),
            'ÿ' => folded.push('y'),
            'ç' => folded.push('c'),
            'ñ' => folded.push('n'),
            'œ' => folded.push_str("oe"),
            'æ' => folded.push_str("ae"),
            other => folded.push(other),
        }
    }
    folded
}

/// Folded, without spaces and separators: "Mot de passe" → "motdepasse".
fn compact(text: &str) -> String {
    fold(text).chars().filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_' | '.' | '\'' | '’')).collect()
}

/// What remains of the compacted text once the digits and symbols around it are stripped:
/// "Password123!" → "password".
fn core(text: &str) -> String {
    compact(text).trim_matches(|c: char| !c.is_alphabetic()).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEA: Owner<'static> = Owner { email: "lea.roux@example.org", first_name: "Léa", last_name: "Roux" };

    #[test]
    fn the_weak_passwords_of_the_issue_are_refused_each_for_its_reason() {
        let table =
            [("Password123!", Weakness::Common), ("Motdepasse2026", Weakness::Common), ("aaaaaaaaaaaaaaaa", Weakness::Predictable(Pattern::Repeats))];
        for (password, expected) in table {
            assert_eq!(weakness(password, &LEA), Some(expected), "{password}");
        }
    }

    #[test]
    fn common_passwords_are_recognised_without_case_accents_separators_or_what_surrounds_them() {
        for password in [
            "AZERTYUIOP2026!",
            "Mot-de-passe-2026",
            "mot de passe !!!!",
            "2026-Soleil-2026",
            "Sécurité-Sociale-91",
            "Chouchou-123456",
            "ESPACEPARTENAIRES1",
        ] {
            assert_eq!(weakness(password, &LEA), Some(Weakness::Common), "{password}");
        }
    }

    #[test]
    fn predictable_passwords_are_refused_and_the_message_says_why() {
        let table = [("abcdefghijklmnop", Pattern::Sequence), ("lmnopqrstuvwxyz", Pattern::Sequence), ("abcabcabcabcabc", Pattern::Repeats)];
        for (password, expected) in table {
            assert_eq!(weakness(password, &LEA), Some(Weakness::Predictable(expected)), "{password}");
        }
        let message = Weakness::Predictable(Pattern::Repeats).message();
        assert!(message.starts_with("Ce mot de passe est trop facile à deviner : les répétitions"), "{message}");
        // French words count as words, even though zxcvbn's own dictionaries are English.
        assert!(matches!(weakness("Grenouille1990", &LEA), Some(Weakness::Predictable(_))), "{:?}", weakness("Grenouille1990", &LEA));
    }

    #[test]
    fn the_persons_own_email_and_names_are_refused() {
        assert_eq!(weakness("lea.roux@example.org", &LEA), Some(Weakness::ContainsEmail));
        assert_eq!(weakness("LeaRoux-2026!!", &LEA), Some(Weakness::ContainsEmail));
        assert_eq!(weakness("Léa-Roux-1990", &LEA), Some(Weakness::ContainsEmail));
        let owner = Owner { email: "agent42@example.org", first_name: "Gwendoline", last_name: "Kerjean" };
        assert_eq!(weakness("Gwendoline1985!", &owner), Some(Weakness::ContainsName));
        assert!(Weakness::ContainsEmail.message().contains("adresse e-mail"));
        assert!(Weakness::ContainsName.message().contains("votre prénom ou votre nom"));
    }

    #[test]
    fn strong_passwords_are_accepted() {
        for password in [
            "Nouveau-Mot-2026!",
            "cheval agrafe batterie correcte",
            "Tigre-Lune-Voilier-Ocre",
            "q7#Vk2!mZp9@Lx4",
            "une phrase assez longue et bizarre",
        ] {
            assert_eq!(weakness(password, &LEA), None, "{password}");
        }
    }

    #[test]
    fn length_limits_come_first() {
        assert_eq!(weakness("", &LEA), Some(Weakness::Missing));
        assert_eq!(weakness("q7#Vk2!mZp9", &LEA), Some(Weakness::TooShort));
        assert_eq!(weakness(&"q7#Vk2!mZp9@Lx4".repeat(9), &LEA), Some(Weakness::TooLong));
        assert_eq!(Weakness::TooShort.message(), format!("Le mot de passe doit compter au moins {MIN_LENGTH} caractères."));
    }

    #[test]
    fn the_confirmation_must_match_and_each_problem_names_its_field() {
        let fields = |p: &str, c: &str| check_new_password(p, c, &LEA).err().unwrap_or_default().into_iter().map(|p| p.field).collect::<Vec<_>>();
        assert_eq!(fields("Tigre-Lune-Voilier-Ocre", "Tigre-Lune-Voilier-Ocre"), Vec::<&str>::new());
        assert_eq!(fields("Tigre-Lune-Voilier-Ocre", "Tigre-Lune-Voilier-Ocra"), ["confirmation"]);
        assert_eq!(fields("Password123!", "autre"), ["password", "confirmation"]);
    }

    #[test]
    fn the_shipped_lists_are_sizeable_and_hold_french_entries() {
        assert!(entries(COMMON_PASSWORDS).count() > 2500);
        for french in ["motdepasse", "azerty", "soleil", "doudou", "jetaime", "marseille"] {
            assert!(COMMON.contains(french), "{french}");
        }
        assert!(DICTIONARY.iter().any(|w| w == "grenouille") && DICTIONARY.iter().any(|w| w == "securite"));
    }
}
