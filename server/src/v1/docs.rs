//! `/api/v1/docs`: the OpenAPI document as a plain page, rendered once on the server from the same document as
//! `/api/v1/openapi.json` (no script, no CDN: it reads offline, with a screen reader, and prints).

use app::domain::html::escape;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{OpenApi, RefOr, Required};

fn schema_name(content: &utoipa::openapi::Content) -> String {
    match &content.schema {
        Some(RefOr::Ref(reference)) => reference.ref_location.rsplit('/').next().unwrap_or_default().to_owned(),
        Some(RefOr::T(schema)) => serde_json::to_string(schema).unwrap_or_default(),
        None => String::new(),
    }
}

fn operation(out: &mut String, method: &str, path: &str, op: &Operation) {
    let id = format!("{method}-{path}").replace(['/', '{', '}'], "-");
    out.push_str(&format!("<section aria-labelledby=\"{id}\"><h3 id=\"{id}\"><code>{} {}</code></h3>", method.to_uppercase(), escape(path)));
    if let Some(summary) = &op.summary {
        out.push_str(&format!("<p>{}</p>", escape(summary)));
    }
    if let Some(description) = &op.description {
        out.push_str(&format!("<p>{}</p>", escape(description)));
    }
    let scopes: Vec<String> = op
        .security
        .iter()
        .flatten()
        .filter_map(|s| serde_json::to_value(s).ok())
        .filter_map(|v| v.get("jeton").cloned())
        .flat_map(|v| v.as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect::<Vec<_>>()).unwrap_or_default())
        .collect();
    if !scopes.is_empty() {
        out.push_str(&format!("<p>Droit du jeton : <code>{}</code></p>", escape(&scopes.join(", "))));
    }
    let parameters = op.parameters.as_deref().unwrap_or_default();
    if !parameters.is_empty() {
        out.push_str(&format!("<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-labelledby=\"{id}-parameters\">"));
        out.push_str(&format!("<table><caption id=\"{id}-parameters\">Paramètres</caption>"));
        out.push_str("<thead><tr><th scope=\"col\">Nom</th><th scope=\"col\">Où</th><th scope=\"col\">Obligatoire</th><th scope=\"col\">Description</th></tr></thead><tbody>");
        for p in parameters {
            let place = match p.parameter_in {
                ParameterIn::Path => "chemin",
                ParameterIn::Query => "requête",
                ParameterIn::Header => "en-tête",
                ParameterIn::Cookie => "cookie",
            };
            let required = if matches!(p.required, Required::True) { "oui" } else { "non" };
            out.push_str(&format!(
                "<tr><td><code>{}</code></td><td>{place}</td><td>{required}</td><td>{}</td></tr>",
                escape(&p.name),
                escape(p.description.as_deref().unwrap_or_default())
            ));
        }
        out.push_str("</tbody></table></div>");
    }
    if let Some(body) = &op.request_body {
        for (kind, content) in &body.content {
            out.push_str(&format!(
                "<p>Corps : <code>{}</code>, schéma <a href=\"#schema-{name}\">{name}</a></p>",
                escape(kind),
                name = escape(&schema_name(content))
            ));
        }
    }
    out.push_str(&format!("<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-labelledby=\"{id}-responses\">"));
    out.push_str(&format!("<table><caption id=\"{id}-responses\">Réponses</caption>"));
    out.push_str("<thead><tr><th scope=\"col\">Statut</th><th scope=\"col\">Description</th><th scope=\"col\">Contenu</th></tr></thead><tbody>");
    for (status, response) in &op.responses.responses {
        let RefOr::T(response) = response else { continue };
        let content: Vec<String> =
            response.content.iter().map(|(kind, content)| format!("<code>{}</code> {}", escape(kind), escape(&schema_name(content)))).collect();
        out.push_str(&format!("<tr><td>{}</td><td>{}</td><td>{}</td></tr>", escape(status), escape(&response.description), content.join("<br>")));
    }
    out.push_str("</tbody></table></div></section>");
}

/// The page, rendered from `document`, with the site's `stylesheet`.
pub fn page(document: &OpenApi, stylesheet: &str) -> String {
    let mut out = String::from(
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
    );
    out.push_str(&format!(
        "<link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"{}\"><title>{} – documentation</title></head><body class=\"api-docs\"><main id=\"contenu\" class=\"container\">",
        escape(stylesheet),
        escape(&document.info.title)
    ));
    out.push_str(&format!("<h1>{}</h1>", escape(&document.info.title)));
    if let Some(description) = &document.info.description {
        out.push_str(&format!("<p>{}</p>", escape(description)));
    }
    out.push_str("<p>Le document OpenAPI 3.1 complet, pour les outils : <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a>.</p>");
    out.push_str("<h2>Opérations</h2>");
    for (path, item) in &document.paths.paths {
        for (method, op) in [("get", &item.get), ("post", &item.post)] {
            if let Some(op) = op {
                operation(&mut out, method, path, op);
            }
        }
    }
    out.push_str("<h2>Schémas</h2>");
    if let Some(components) = &document.components {
        for (name, schema) in &components.schemas {
            let json = serde_json::to_string_pretty(schema).unwrap_or_default();
            out.push_str(&format!(
                "<section aria-labelledby=\"schema-{n}\"><h3 id=\"schema-{n}\">{n}</h3><pre>{}</pre></section>",
                escape(&json),
                n = escape(name)
            ));
        }
    }
    out.push_str("</main></body></html>");
    out
}

pub fn response(page: &str) -> Response {
    ([(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"))], page.to_owned()).into_response()
}
