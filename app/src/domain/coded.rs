//! Closed lists stored and posted as short codes (roles, statuses, kinds of request, form choices…), declared once
//! with `coded!`: each gets `ALL`, `code`, `label` and a `parse` that refuses an unknown code with `UnknownCode`, and
//! the `Coded` trait through which storage reads and writes them.

/// A stored or posted code that no variant matches: the database, a form or a URL disagrees with the code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("code inconnu : « {0} »")]
pub struct UnknownCode(pub String);

/// A closed list with a stable code per value.
pub trait Coded: Sized + Copy + 'static {
    /// Every value, in the order lists and filters show them.
    fn all() -> &'static [Self];
    fn code(self) -> &'static str;

    /// The value of `code`, or why not.
    fn parse(code: &str) -> Result<Self, UnknownCode> {
        Self::all().iter().copied().find(|value| value.code() == code).ok_or_else(|| UnknownCode(code.to_owned()))
    }
}

/// Declares a closed list: for each variant its code (stored and posted) and its French label.
macro_rules! coded {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal, $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in the order lists and forms show them.
            pub const ALL: [$name; [$(stringify!($variant)),+].len()] = [$($name::$variant),+];

            /// The stable code stored in the database and sent by forms.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// How people read it.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// The value of a stored or posted code; an unknown code is refused.
            pub fn parse(code: &str) -> Result<Self, $crate::domain::coded::UnknownCode> {
                <Self as $crate::domain::coded::Coded>::parse(code)
            }
        }

        impl $crate::domain::coded::Coded for $name {
            fn all() -> &'static [Self] {
                &Self::ALL
            }

            fn code(self) -> &'static str {
                $name::code(self)
            }
        }
    };
}
pub(crate) use coded;

#[cfg(test)]
mod tests {
    use super::*;

    coded!(
        Colour {
            Red => "red", "Rouge",
            Blue => "blue", "Bleu",
        }
    );

    #[test]
    fn codes_round_trip_and_unknown_ones_are_refused() {
        for colour in Colour::ALL {
            assert_eq!(Colour::parse(colour.code()), Ok(colour));
        }
        assert_eq!(Colour::Blue.label(), "Bleu");
        assert_eq!(Colour::parse("green"), Err(UnknownCode("green".to_owned())));
        assert_eq!(Colour::parse("Red"), Err(UnknownCode("Red".to_owned())), "codes are exact");
    }
}
