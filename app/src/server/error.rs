//! The one boundary where server-side failures become the wire error: the cause is logged once, here.

use crate::dto::error::AppError;
use sea_orm::DbErr;

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        match &err {
            DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => {
                tracing::error!(error = %err, "database unavailable");
                AppError::Unavailable
            }
            DbErr::RecordNotFound(_) => AppError::NotFound,
            _ => {
                tracing::error!(error = %err, "database error");
                AppError::Internal
            }
        }
    }
}

impl From<super::auth::password::PasswordError> for AppError {
    fn from(err: super::auth::password::PasswordError) -> Self {
        tracing::error!(error = %err, "password hashing failed");
        AppError::Internal
    }
}

impl From<tower_sessions::session::Error> for AppError {
    fn from(err: tower_sessions::session::Error) -> Self {
        tracing::error!(error = %err, "session store failure");
        AppError::Unavailable
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(err: tokio::task::JoinError) -> Self {
        tracing::error!(error = %err, "background task failed");
        AppError::Internal
    }
}

impl From<super::storage::StorageError> for AppError {
    fn from(err: super::storage::StorageError) -> Self {
        tracing::error!(error = %err, "attachment storage failure");
        AppError::Unavailable
    }
}

impl From<crate::domain::request_lifecycle::TransitionError> for AppError {
    fn from(err: crate::domain::request_lifecycle::TransitionError) -> Self {
        AppError::Conflict(err.to_string())
    }
}

impl From<crate::domain::convention::LifecycleError> for AppError {
    fn from(err: crate::domain::convention::LifecycleError) -> Self {
        AppError::Conflict(err.to_string())
    }
}
