//! The API's one error answer: an RFC 9457 problem document (`application/problem+json`) whose `detail` says in
//! French what was refused, with the fields at fault for a refused body or filter. Faults answer 500 with no detail
//! of their cause (the log has it, once, where it happened).

use app::dto::error::AppError;
use app::server::api_tokens::ApiRefusal;
use app::server::v1::ApiError;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, ResponseBuilder};

/// A field refused, and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

/// RFC 9457 problem document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// Always `about:blank`: the status says what kind of problem it is.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: &'static str,
    pub status: u16,
    /// What was refused, in French.
    pub detail: String,
    /// The fields at fault, for a refused body or filter.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
    #[serde(skip)]
    retry_after: Option<u32>,
}

fn title_of(status: u16) -> &'static str {
    match status {
        400 => "Requête illisible",
        401 => "Authentification requise",
        403 => "Accès refusé",
        404 => "Introuvable",
        409 => "Action impossible dans l'état actuel",
        413 => "Envoi trop volumineux",
        422 => "Données refusées",
        429 => "Trop d'appels",
        503 => "Service indisponible",
        _ => "Erreur interne",
    }
}

impl Problem {
    fn new(status: u16, detail: String) -> Self {
        Problem { kind: "about:blank", title: title_of(status), status, detail, errors: Vec::new(), retry_after: None }
    }

    /// A request whose query or body could not be read (`what`: why, as the extractor put it).
    pub fn bad_request(what: &str) -> Self {
        Problem::new(400, format!("La requête n'a pas pu être lue : {what}"))
    }
}

impl From<ApiError> for Problem {
    fn from(error: ApiError) -> Self {
        match error {
            ApiError::Refused(refusal) => {
                let mut problem = Problem::new(refusal.status(), refusal.to_string());
                if let ApiRefusal::Rate(seconds) = refusal {
                    problem.retry_after = Some(seconds);
                }
                problem
            }
            ApiError::App(error) => {
                let status = match error {
                    // No session here: an operation that needs one cannot be called through the API.
                    AppError::Unauthenticated | AppError::InvalidCredentials => 403,
                    _ => error.status(),
                };
                if status >= 500 {
                    tracing::error!(error = ?error, "API operation failed");
                }
                let errors = error.field_errors().iter().map(|f| FieldProblem { field: f.field.clone(), message: f.message.clone() }).collect();
                Problem { errors, ..Problem::new(status, error.sentence()) }
            }
        }
    }
}

impl From<AppError> for Problem {
    fn from(error: AppError) -> Self {
        Problem::from(ApiError::App(error))
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response =
            (status, [(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"))], axum::Json(&self)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"espace-partenaires\""));
        }
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// Adds to every operation of the document the refusals any of them may answer (as problem documents), and the
/// token scheme they all require.
pub struct CommonRefusals;

const REFUSALS: [(&str, &str); 9] = [
    ("400", "La requête n'a pas pu être lue (paramètre ou corps mal formé)."),
    ("401", "Jeton manquant, inconnu, expiré ou révoqué."),
    ("403", "Le jeton n'a pas le droit demandé, ou pas depuis cette adresse."),
    ("404", "Rien de tel dans la caisse du jeton (une demande d'une autre caisse n'existe pas pour lui)."),
    ("409", "L'action n'est pas possible dans l'état actuel de la demande."),
    ("422", "Données refusées : `errors` nomme les champs en cause."),
    ("429", "Trop d'appels pour ce jeton : réessayez après `Retry-After` secondes."),
    ("500", "Erreur interne."),
    ("503", "Service momentanément indisponible."),
];

impl utoipa::Modify for CommonRefusals {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("jeton", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
        components.schemas.insert("Problem".to_owned(), <Problem as utoipa::PartialSchema>::schema());
        components.schemas.insert("FieldProblem".to_owned(), <FieldProblem as utoipa::PartialSchema>::schema());
        let refusal = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content("application/problem+json", ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build())
                .build()
        };
        let add = |operation: &mut Operation| {
            for (status, description) in REFUSALS {
                operation.responses.responses.entry(status.to_owned()).or_insert_with(|| refusal(description).into());
            }
        };
        for item in openapi.paths.paths.values_mut() {
            for operation in [&mut item.get, &mut item.post].into_iter().flatten() {
                add(operation);
            }
        }
    }
}
