//! The one error type every server function returns: what went wrong, in a French sentence the user can act on.
//!
//! It crosses the wire (and, for forms posted without JavaScript, the URL), so it never carries personal data:
//! only field names and messages.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

pub use crate::domain::field_error::FieldError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Adresse e-mail ou mot de passe incorrect.")]
    InvalidCredentials,
    #[error("Trop de tentatives de connexion. Patientez quelques minutes avant de réessayer.")]
    TooManyAttempts,
    #[error("Le formulaire contient des erreurs.")]
    Validation(Vec<FieldError>),
    #[error("Votre session a expiré. Reconnectez-vous pour continuer.")]
    Unauthenticated,
    #[error("Vous n'avez pas accès à cette page ou à cette action.")]
    Forbidden,
    #[error("L'élément demandé est introuvable.")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    #[error("L'envoi est trop volumineux : raccourcissez le texte ou joignez des fichiers plus légers.")]
    TooLarge,
    #[error("Le service est momentanément indisponible. Réessayez dans quelques instants.")]
    Unavailable,
    #[error("Une erreur inattendue est survenue. Réessayez ; si le problème persiste, contactez votre caisse.")]
    Internal,
    #[error("La communication avec le serveur a échoué. Vérifiez votre connexion et réessayez.")]
    Transport(ServerFnErrorErr),
}

impl AppError {
    /// A validation error on one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError { field: field.to_owned(), message: message.into() }])
    }

    /// The message for one field, if this is a validation error that names it.
    pub fn message_for(&self, field: &str) -> Option<String> {
        match self {
            AppError::Validation(errors) => errors.iter().find(|e| e.field == field).map(|e| e.message.clone()),
            _ => None,
        }
    }

    /// The HTTP status this error answers with, wherever it leaves the server (server functions, routes): a
    /// refusal is a 4xx, only a fault is a 5xx.
    pub fn status(&self) -> u16 {
        match self {
            AppError::InvalidCredentials | AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Conflict(_) => 409,
            AppError::TooLarge => 413,
            AppError::Validation(_) => 422,
            AppError::TooManyAttempts => 429,
            AppError::Unavailable => 503,
            AppError::Internal => 500,
            // The request itself could not be read (missing or malformed arguments): the caller's fault.
            AppError::Transport(ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_)) => 400,
            AppError::Transport(_) => 500,
        }
    }

    /// Whether this is a refusal of what was asked (logged at info), rather than a fault (logged as an error).
    pub fn is_refusal(&self) -> bool {
        self.status() < 500
    }

    /// The whole refusal in French for a page without a form to show it on: the field messages, else the error's own.
    pub fn sentence(&self) -> String {
        match self.field_errors() {
            [] => self.to_string(),
            problems => problems.iter().map(|p| p.message.as_str()).collect::<Vec<_>>().join(" "),
        }
    }

    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            AppError::Validation(errors) => errors,
            _ => &[],
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value)
    }
}

impl From<ServerFnErrorErr> for AppError {
    fn from(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_messages_are_found_by_field_name() {
        let err = AppError::Validation(vec![
            FieldError { field: "email".into(), message: "Saisissez une adresse e-mail.".into() },
            FieldError { field: "password".into(), message: "Saisissez votre mot de passe.".into() },
        ]);
        assert_eq!(err.message_for("password").as_deref(), Some("Saisissez votre mot de passe."));
        assert_eq!(err.message_for("nir"), None);
        assert_eq!(AppError::Forbidden.message_for("email"), None);
        assert_eq!(err.sentence(), "Saisissez une adresse e-mail. Saisissez votre mot de passe.");
        assert_eq!(AppError::Forbidden.sentence(), "Vous n'avez pas accès à cette page ou à cette action.");
    }

    #[test]
    fn each_refusal_has_its_own_status_and_only_faults_are_5xx() {
        let table = [
            (AppError::InvalidCredentials, 401),
            (AppError::Unauthenticated, 401),
            (AppError::Forbidden, 403),
            (AppError::NotFound, 404),
            (AppError::Conflict("Ce créneau vient d'être pris.".into()), 409),
            (AppError::TooLarge, 413),
            (AppError::field("email", "Saisissez une adresse e-mail."), 422),
            (AppError::TooManyAttempts, 429),
            (AppError::Transport(ServerFnErrorErr::Args("x".into())), 400),
            (AppError::Unavailable, 503),
            (AppError::Internal, 500),
        ];
        for (error, status) in table {
            assert_eq!(error.status(), status, "{error:?}");
            assert_eq!(error.is_refusal(), status < 500, "{error:?}");
        }
    }

    #[test]
    fn the_error_survives_the_wire_encoding() {
        let err = AppError::field("email", "Adresse invalide");
        let back = AppError::de(err.ser());
        assert_eq!(back, err);
    }
}
