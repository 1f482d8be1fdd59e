//! Enums stored and posted as short codes: the error when a code matches no variant.

/// A stored code that no variant matches.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("code inconnu : « {0} »")]
pub struct UnknownCode(pub String);
