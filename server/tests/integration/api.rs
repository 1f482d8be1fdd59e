//! `/api/v1` over HTTP: tokens created by admins (shown once, revocable) or from the command line; every operation
//! refused without a valid token, with the wrong scope, from a refused address, or for another caisse's request, as a
//! problem document that leaks nothing; a request worked through its lifecycle by a token, by the pages' rules;
//! pages of results, the rate limit, the audit log and the OpenAPI document.

use crate::fixtures::{ADMIN_59, ADMIN_91, AGENT_91, EVRY_SIRET, caisse_agent, caisse_id, structure_id};
use crate::on_both_databases;
use crate::requests::{PDF, create, file, form};
use crate::support::{Db, TestApp, app_error, main_text};
use crate::triage::{referral, status};
use app::domain::api_tokens::CALLS_PER_MINUTE;
use app::dto::error::AppError;
use app::server::api_tokens::{self, NewToken};
use app::server::audit::{Actor, Origin};
use app::server::entities::{account, api_token, team};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

on_both_databases!(
    an_admin_creates_a_token_shown_once_and_revokes_it,
    every_operation_refuses_a_call_without_a_valid_token_of_the_right_scope,
    a_token_works_a_request_through_its_lifecycle_by_the_pages_rules,
    lists_come_in_pages_with_the_queues_filters,
    appointments_and_structures_are_the_caisses_own,
    a_token_learns_whom_it_can_give_a_request_to,
    a_token_over_its_rate_waits_for_the_next_minute,
    the_document_describes_every_operation_and_its_refusals,
);

/// A token of the caisse with `code`, with these scopes, made the way the command line makes one.
async fn token(app: &TestApp, code: &str, scopes: &str) -> String {
    api_tokens::create_from_command_line(&app.state.db, code, "Outil de test", scopes, "30", "", chrono::Utc::now()).await.expect("token")
}

const ALL_SCOPES: &str = "requests:read,requests:write,notes:read,appointments:read,structures:read";

/// Sets one of a token's dates to a day long past (its expiry, its revocation).
async fn set_date(app: &TestApp, token: &str, column: api_token::Column) {
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let past = chrono::Utc::now() - chrono::Duration::days(400);
    let updated = api_token::Entity::update_many()
        .col_expr(column, Expr::value(past))
        .filter(api_token::Column::ShownPrefix.eq(&token[..14]))
        .exec(&app.state.db)
        .await
        .expect("update");
    assert_eq!(updated.rows_affected, 1);
}

/// One call of the API with `token` (none: no header).
async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let client = reqwest::Client::new();
    let mut request = client.request(method, format!("{}{path}", app.base));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("call");
    let (status, headers) = (response.status(), response.headers().clone());
    let text = response.text().await.expect("body");
    let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, headers, value)
}

/// Asserts a refusal: its status, a problem document with a French detail containing `detail`.
fn assert_problem(answer: &(StatusCode, reqwest::header::HeaderMap, Value), status: StatusCode, detail: &str) {
    let (got, headers, body) = answer;
    assert_eq!(*got, status, "{body}");
    assert_eq!(headers["content-type"], "application/problem+json", "{body}");
    assert_eq!(body["status"], status.as_u16(), "{body}");
    assert!(body["detail"].as_str().is_some_and(|d| d.contains(detail)), "detail should contain « {detail} »: {body}");
}

async fn an_admin_creates_a_token_shown_once_and_revokes_it(db: Db) {
    let app = TestApp::spawn(db).await;
    let admin = app.signed_in(ADMIN_91).await;

    // Refused: no scope, a life beyond a year, an address that is not one; what was typed comes back.
    let refused = app_error(admin.call("create_api_token", &[("name", "CRM"), ("days", "400"), ("allowed_addresses", "intranet")]).await).await;
    assert_eq!(refused.message_for("scopes").as_deref(), Some("Choisissez au moins un droit."));
    assert_eq!(refused.message_for("days").as_deref(), Some("La durée de validité va de 1 à 365 jours."));
    assert!(refused.message_for("allowed_addresses").is_some_and(|m| m.contains("intranet")), "{refused:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM api_tokens").await, 0);

    // Without JavaScript: created, then shown once on the page the browser goes back to.
    let created = admin
        .post_form(
            "create_api_token",
            "/admin/api",
            &[("name", "CRM de la caisse"), ("days", "30"), ("scope_requests_read", "oui"), ("scope_notes_read", "oui")],
        )
        .await;
    assert_eq!(crate::support::location(&created), "/admin/api?fait=creation");
    let page = main_text(&admin.get("/admin/api?fait=creation").await.text().await.expect("html"));
    let start = page.find("ep_live_").expect("the token shown once");
    let shown = page[start..start + 56].to_owned();
    assert!(page.contains("il ne sera plus jamais affiché"), "{page}");
    let again = main_text(&admin.get("/admin/api").await.text().await.expect("html"));
    assert!(!again.contains(&shown) && again.contains(&shown[..14]), "only its first characters afterwards: {again}");
    assert!(again.contains("Lire les demandes") && again.contains("Lire les notes internes") && again.contains("Jamais"), "{again}");
    // Kept as a hash only, in the database and in the session.
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM api_tokens WHERE token_hash = '{shown}'")).await, 0);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM sessions WHERE data LIKE '%{}%'", &shown[8..])).await, 0);

    let (status, _, body) = call(&app, Method::GET, "/api/v1/requests", Some(&shown), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let listed = main_text(&admin.get("/admin/api").await.text().await.expect("html"));
    assert!(!listed.contains("Jamais"), "its last use is shown: {listed}");

    // Only admins, and only of the token's caisse.
    let id = app.text("SELECT id FROM api_tokens").await;
    let agent = app.signed_in(AGENT_91).await;
    assert_eq!(
        app_error(agent.call("create_api_token", &[("name", "X"), ("days", "5"), ("scope_requests_read", "oui")]).await).await,
        AppError::Forbidden
    );
    let other = app.signed_in(ADMIN_59).await;
    assert_eq!(app_error(other.call("revoke_api_token", &[("id", id.as_str())]).await).await, AppError::NotFound);
    let theirs = main_text(&other.get("/admin/api").await.text().await.expect("html"));
    assert!(!theirs.contains("CRM de la caisse"), "{theirs}");

    // Revoked after a confirmation: its next call is refused, and both are in the audit log.
    let confirm = main_text(&admin.get(&format!("/admin/api?revoquer={id}")).await.text().await.expect("html"));
    assert!(confirm.contains("Révoquer le jeton « CRM de la caisse » ?"), "{confirm}");
    assert_eq!(admin.call("revoke_api_token", &[("id", id.as_str())]).await.status(), StatusCode::OK);
    assert_problem(&call(&app, Method::GET, "/api/v1/requests", Some(&shown), None).await, StatusCode::UNAUTHORIZED, "révoqué");
    assert!(main_text(&admin.get("/admin/api").await.text().await.expect("html")).contains("Révoqué le"));
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action IN ('api_token.created', 'api_token.revoked')").await, 2);
}

async fn every_operation_refuses_a_call_without_a_valid_token_of_the_right_scope(db: Db) {
    let app = TestApp::spawn(db).await;
    let (_, reference) = referral(&app, "Veil").await;
    let attachment = "00000000-0000-0000-0000-000000000000";
    let operations: Vec<(Method, String, Option<Value>, &str)> = vec![
        (Method::GET, "/api/v1/requests".to_owned(), None, "requests:read"),
        (Method::GET, format!("/api/v1/requests/{reference}"), None, "requests:read"),
        (Method::GET, format!("/api/v1/requests/{reference}/attachments/{attachment}"), None, "requests:read"),
        (Method::POST, format!("/api/v1/requests/{reference}/actions"), Some(json!({"action": "take"})), "requests:write"),
        (Method::POST, format!("/api/v1/requests/{reference}/messages"), Some(json!({"body": "Bonjour"})), "requests:write"),
        (Method::GET, "/api/v1/appointments?from=2026-12-01&days=31".to_owned(), None, "appointments:read"),
        (Method::GET, "/api/v1/structures".to_owned(), None, "structures:read"),
        (Method::GET, "/api/v1/assignees".to_owned(), None, "requests:write"),
    ];
    let expired = token(&app, "091", ALL_SCOPES).await;
    set_date(&app, &expired, api_token::Column::ExpiresAt).await;
    let revoked = token(&app, "091", ALL_SCOPES).await;
    set_date(&app, &revoked, api_token::Column::RevokedAt).await;
    let elsewhere = api_tokens::create(
        &app.state.db,
        NewToken { caisse_id: &caisse_id(&app, "091").await, name: "Ailleurs", scopes: ALL_SCOPES, days: "30", allowed_addresses: "192.0.2.0/24" },
        Actor::System,
        &Origin::default(),
        chrono::Utc::now(),
    )
    .await
    .expect("token")
    .1;
    let foreign = token(&app, "059", ALL_SCOPES).await;
    let unknown = format!("ep_live_{}", "ab".repeat(24));
    for (method, path, body, scope) in &operations {
        let none = call(&app, method.clone(), path, None, body.clone()).await;
        assert_problem(&none, StatusCode::UNAUTHORIZED, "manquant");
        assert!(none.1["www-authenticate"].to_str().expect("header").starts_with("Bearer"), "{path}");
        assert_problem(&call(&app, method.clone(), path, Some(&unknown), body.clone()).await, StatusCode::UNAUTHORIZED, "inconnu");
        assert_problem(&call(&app, method.clone(), path, Some("ep_live_court"), body.clone()).await, StatusCode::UNAUTHORIZED, "inconnu");
        assert_problem(&call(&app, method.clone(), path, Some(&expired), body.clone()).await, StatusCode::UNAUTHORIZED, "expiré");
        assert_problem(&call(&app, method.clone(), path, Some(&revoked), body.clone()).await, StatusCode::UNAUTHORIZED, "révoqué");
        assert_problem(&call(&app, method.clone(), path, Some(&elsewhere), body.clone()).await, StatusCode::FORBIDDEN, "adresse");
        let others: Vec<&str> = ALL_SCOPES.split(',').filter(|s| s != scope).collect();
        let lacking = token(&app, "091", &others.join(",")).await;
        assert_problem(&call(&app, method.clone(), path, Some(&lacking), body.clone()).await, StatusCode::FORBIDDEN, scope);
        if path.contains(&reference) {
            // Another caisse's token: the request does not exist for it, and nothing of it shows.
            let answer = call(&app, method.clone(), path, Some(&foreign), body.clone()).await;
            assert_problem(&answer, StatusCode::NOT_FOUND, "introuvable");
            assert!(!answer.2.to_string().contains("Veil"), "{}", answer.2);
        }
    }
    // Nothing was done to the request by any of these calls.
    assert_eq!(status(&app, &reference).await, "submitted");
    let messages = format!("SELECT COUNT(*) FROM request_messages m JOIN requests r ON r.id = m.request_id WHERE r.reference = '{reference}'");
    assert_eq!(app.count(&messages).await, 0);
    // A refusal by the token check is not an operation: only the calls that passed it are audited.
    let audited = app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'api.called'").await;
    let foreign_calls = operations.iter().filter(|(_, path, _, _)| path.contains(&reference)).count();
    assert_eq!(audited, (operations.len() + foreign_calls) as i64, "the scope refusals and the foreign caisse's calls");
}

async fn a_token_works_a_request_through_its_lifecycle_by_the_pages_rules(db: Db) {
    let app = TestApp::spawn(db).await;
    let (partner, reference) = referral(&app, "Curie").await;
    let agent = app.signed_in(AGENT_91).await;
    agent.call("caisse_message", &[("reference", reference.as_str()), ("body", "NOTE-INTERNE"), ("internal", "oui")]).await;
    let reader = token(&app, "091", "requests:read").await;
    let crm = api_tokens::create_from_command_line(&app.state.db, "091", "CRM", ALL_SCOPES, "30", "", chrono::Utc::now()).await.expect("token");

    // Listed without personal data; read whole with the NIR masked, internal notes only with `notes:read`.
    let (status_code, _, list) = call(&app, Method::GET, "/api/v1/requests", Some(&reader), None).await;
    assert_eq!(status_code, StatusCode::OK, "{list}");
    let item = list["items"].as_array().expect("items").iter().find(|i| i["reference"] == reference.as_str()).expect("listed").clone();
    assert_eq!(item["status"], "submitted");
    assert!(!list.to_string().contains("Curie") && !list.to_string().contains("451 089"), "{list}");
    let (_, _, detail) = call(&app, Method::GET, &format!("/api/v1/requests/{reference}"), Some(&reader), None).await;
    assert_eq!(detail["beneficiary"]["last_name"], "Curie");
    assert_eq!(detail["beneficiary"]["nir_masked"], "1 84 •• •• ••• ••• 46");
    assert!(!detail.to_string().contains("451 089") && !detail.to_string().contains("NOTE-INTERNE"), "{detail}");
    assert!(detail["allowed_actions"].as_array().expect("actions").contains(&json!("take")), "{detail}");
    let (_, _, whole) = call(&app, Method::GET, &format!("/api/v1/requests/{reference}"), Some(&crm), None).await;
    assert!(whole.to_string().contains("NOTE-INTERNE"), "{whole}");
    assert!(app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'request.viewed' AND actor_label = 'Jeton API « CRM »'").await >= 1);

    // Taken by the token, which the agent's page names.
    let (code, _, taken) =
        call(&app, Method::POST, &format!("/api/v1/requests/{reference}/actions"), Some(&crm), Some(json!({"action": "take"}))).await;
    assert_eq!(code, StatusCode::OK, "{taken}");
    assert_eq!(taken["status"], "in_progress");
    assert_eq!(taken["assignee"], "Jeton API « CRM »");
    let page = main_text(&agent.get(&format!("/caisse/demandes/{reference}")).await.text().await.expect("html"));
    assert!(page.contains("Jeton API « CRM »"), "{page}");

    // The lifecycle's refusals as problem documents: a missing reason (422, naming the field), an action the status
    // does not allow (409), an unknown action, a body that is not JSON.
    let missing =
        call(&app, Method::POST, &format!("/api/v1/requests/{reference}/actions"), Some(&crm), Some(json!({"action": "ask_partner"}))).await;
    assert_problem(&missing, StatusCode::UNPROCESSABLE_ENTITY, "Précisez ce que la structure doit fournir.");
    assert_eq!(missing.2["errors"][0]["field"], "message");
    let unknown = call(&app, Method::POST, &format!("/api/v1/requests/{reference}/actions"), Some(&crm), Some(json!({"action": "delete"}))).await;
    assert_problem(&unknown, StatusCode::BAD_REQUEST, "action");
    let not_json = reqwest::Client::new()
        .post(format!("{}/api/v1/requests/{reference}/actions", app.base))
        .bearer_auth(&crm)
        .header("content-type", "application/json")
        .body("{action")
        .send()
        .await
        .expect("call");
    assert_eq!(not_json.status(), StatusCode::BAD_REQUEST);
    assert_eq!(not_json.headers()["content-type"], "application/problem+json");

    let asked = call(
        &app,
        Method::POST,
        &format!("/api/v1/requests/{reference}/actions"),
        Some(&crm),
        Some(json!({"action": "ask_partner", "message": "Merci de joindre l'avis d'imposition."})),
    )
    .await;
    assert_eq!(asked.2["status"], "awaiting_partner", "{}", asked.2);
    let seen = main_text(&partner.get(&format!("/partenaire/demandes/{reference}")).await.text().await.expect("html"));
    assert!(seen.contains("Merci de joindre l'avis d'imposition."), "{seen}");

    // A reply and an internal note; the partner reads the reply only.
    let (code, _, _) =
        call(&app, Method::POST, &format!("/api/v1/requests/{reference}/messages"), Some(&crm), Some(json!({"body": "Réponse-par-API"}))).await;
    assert_eq!(code, StatusCode::CREATED);
    let (code, _, _) = call(
        &app,
        Method::POST,
        &format!("/api/v1/requests/{reference}/messages"),
        Some(&crm),
        Some(json!({"body": "Note-par-API", "internal": true})),
    )
    .await;
    assert_eq!(code, StatusCode::CREATED);
    let empty = call(&app, Method::POST, &format!("/api/v1/requests/{reference}/messages"), Some(&crm), Some(json!({"body": "  "}))).await;
    assert_eq!(empty.0, StatusCode::UNPROCESSABLE_ENTITY, "{}", empty.2);
    let seen = main_text(&partner.get(&format!("/partenaire/demandes/{reference}")).await.text().await.expect("html"));
    assert!(seen.contains("Réponse-par-API") && !seen.contains("Note-par-API"), "{seen}");
    let (_, _, read_only) = call(&app, Method::GET, &format!("/api/v1/requests/{reference}"), Some(&reader), None).await;
    assert!(read_only.to_string().contains("Réponse-par-API") && !read_only.to_string().contains("Note-par-API"), "{read_only}");

    let closed = call(
        &app,
        Method::POST,
        &format!("/api/v1/requests/{reference}/actions"),
        Some(&crm),
        Some(json!({"action": "close_resolved", "message": "Droits rouverts."})),
    )
    .await;
    assert_eq!(closed.2["status"], "closed_resolved", "{}", closed.2);
    assert_eq!(status(&app, &reference).await, "closed_resolved");
    let closed_already =
        call(&app, Method::POST, &format!("/api/v1/requests/{reference}/actions"), Some(&crm), Some(json!({"action": "take"}))).await;
    assert_eq!(closed_already.0, StatusCode::CONFLICT, "{}", closed_already.2);
    let (_, _, after) = call(&app, Method::GET, &format!("/api/v1/requests/{reference}"), Some(&crm), None).await;
    let steps: Vec<&str> = after["timeline"].as_array().expect("timeline").iter().filter_map(|s| s["actor"].as_str()).collect();
    assert!(steps.iter().filter(|a| **a == "Jeton API « CRM »").count() >= 3, "{after}");
    assert!(app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'request.triaged' AND actor_label = 'Jeton API « CRM »'").await >= 3);
    assert!(app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'api.called' AND actor_label = 'Jeton API « CRM »'").await >= 10);
    let details = app.texts("SELECT detail FROM audit_events WHERE action = 'api.called'").await;
    assert!(details.iter().any(|d| d == &format!("POST /api/v1/requests/{reference}/actions → 422")), "{details:?}");

    // Files: the request's own, and one joined to an internal note only with `notes:read`.
    let with_file =
        create(&partner, "contact", form(&[("subject", "Pièce"), ("message", "Ci-joint")]).part("files", file("justificatif.pdf", PDF))).await;
    let (_, _, detail) = call(&app, Method::GET, &format!("/api/v1/requests/{with_file}"), Some(&reader), None).await;
    let id = detail["attachments"][0]["id"].as_str().expect("an attachment").to_owned();
    let download = reqwest::Client::new()
        .get(format!("{}/api/v1/requests/{with_file}/attachments/{id}", app.base))
        .bearer_auth(&reader)
        .send()
        .await
        .expect("get");
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.bytes().await.expect("bytes").as_ref(), PDF);
    let wrong_request = call(&app, Method::GET, &format!("/api/v1/requests/{reference}/attachments/{id}"), Some(&reader), None).await;
    assert_problem(&wrong_request, StatusCode::NOT_FOUND, "introuvable");
}

async fn lists_come_in_pages_with_the_queues_filters(db: Db) {
    let app = TestApp::spawn(db).await;
    let mut sent = Vec::new();
    for name in ["Un", "Deux", "Trois"] {
        sent.push(referral(&app, name).await.1);
    }
    let reader = token(&app, "091", "requests:read").await;
    let mut seen = Vec::new();
    let mut path = "/api/v1/requests?kind=mas_referral&limit=2".to_owned();
    loop {
        let (code, _, page) = call(&app, Method::GET, &path, Some(&reader), None).await;
        assert_eq!(code, StatusCode::OK, "{page}");
        let items = page["items"].as_array().expect("items");
        assert!(items.len() <= 2);
        seen.extend(items.iter().map(|i| i["reference"].as_str().expect("reference").to_owned()));
        match page["next"].as_str() {
            Some(next) => path = format!("/api/v1/requests?kind=mas_referral&limit=2&cursor={next}"),
            None => break,
        }
    }
    for reference in &sent {
        assert_eq!(seen.iter().filter(|r| *r == reference).count(), 1, "{reference} once in {seen:?}");
    }
    let (_, _, oldest) = call(&app, Method::GET, "/api/v1/requests?kind=mas_referral&sort=oldest&limit=100", Some(&reader), None).await;
    let order: Vec<&str> =
        oldest["items"].as_array().expect("items").iter().filter_map(|i| i["reference"].as_str()).filter(|r| sent.iter().any(|s| s == r)).collect();
    assert_eq!(order, sent.iter().map(String::as_str).collect::<Vec<_>>());
    let (_, _, closed) = call(&app, Method::GET, "/api/v1/requests?status=closed_resolved", Some(&reader), None).await;
    assert!(closed["items"].as_array().expect("items").iter().all(|i| i["status"] == "closed_resolved"), "{closed}");

    assert_problem(&call(&app, Method::GET, "/api/v1/requests?limit=0", Some(&reader), None).await, StatusCode::UNPROCESSABLE_ENTITY, "de 1 à 100");
    assert_problem(&call(&app, Method::GET, "/api/v1/requests?limit=abc", Some(&reader), None).await, StatusCode::BAD_REQUEST, "lue");
    assert_problem(&call(&app, Method::GET, "/api/v1/requests?status=perdu", Some(&reader), None).await, StatusCode::UNPROCESSABLE_ENTITY, "statut");
    assert_problem(&call(&app, Method::GET, "/api/v1/requests?sort=hasard", Some(&reader), None).await, StatusCode::BAD_REQUEST, "sort");
    assert_problem(&call(&app, Method::GET, "/api/v1/requests?assignee=tous", Some(&reader), None).await, StatusCode::BAD_REQUEST, "assignee");
    assert_problem(&call(&app, Method::GET, "/api/v1/nulle-part", Some(&reader), None).await, StatusCode::NOT_FOUND, "introuvable");
}

async fn appointments_and_structures_are_the_caisses_own(db: Db) {
    let app = TestApp::spawn(db).await;
    let reader = token(&app, "091", "appointments:read,structures:read").await;
    let (code, _, page) = call(&app, Method::GET, "/api/v1/structures?limit=100", Some(&reader), None).await;
    assert_eq!(code, StatusCode::OK, "{page}");
    let evry = structure_id(&app, EVRY_SIRET).await;
    let items = page["items"].as_array().expect("items");
    let ccas = items.iter().find(|s| s["id"] == evry.as_str()).expect("the CCAS d'Évry");
    assert_eq!(ccas["conventions"][0]["status"], "active", "{ccas}");
    assert!(!page.to_string().contains("Fourmies"), "a structure of the Hainaut: {page}");
    let (_, _, first) = call(&app, Method::GET, "/api/v1/structures?limit=1", Some(&reader), None).await;
    let next = first["next"].as_str().expect("more than one structure").to_owned();
    let (_, _, second) = call(&app, Method::GET, &format!("/api/v1/structures?limit=1&cursor={next}"), Some(&reader), None).await;
    assert_ne!(first["items"][0]["id"], second["items"][0]["id"]);

    let (code, _, appointments) = call(&app, Method::GET, "/api/v1/appointments?from=2020-01-01&days=90", Some(&reader), None).await;
    assert_eq!(code, StatusCode::OK, "{appointments}");
    assert!(appointments.as_array().is_some_and(Vec::is_empty), "{appointments}");
    assert_problem(
        &call(&app, Method::GET, "/api/v1/appointments?from=2026-01-01&days=94", Some(&reader), None).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "période",
    );
    assert_problem(&call(&app, Method::GET, "/api/v1/appointments?from=demain", Some(&reader), None).await, StatusCode::BAD_REQUEST, "lue");
    let (code, _, body) = call(&app, Method::GET, "/api/v1/appointments?from=9999-12-31&days=93", Some(&reader), None).await;
    assert_eq!(code, StatusCode::OK, "the last days there are: {body}");
}

async fn a_token_learns_whom_it_can_give_a_request_to(db: Db) {
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let app = TestApp::spawn(db).await;
    let colleague = caisse_agent("091").named("Léa", "Assignable").create(&app).await;
    let gone = caisse_agent("091").named("Paul", "Parti").create(&app).await;
    account::Entity::update_many()
        .col_expr(account::Column::Active, Expr::value(false))
        .filter(account::Column::Id.eq(&gone.id))
        .exec(&app.state.db)
        .await
        .expect("deactivate");
    let elsewhere = caisse_agent("059").named("Hugo", "Hainaut").create(&app).await;
    let writer = token(&app, "091", "requests:read,requests:write").await;
    let (code, _, assignees) = call(&app, Method::GET, "/api/v1/assignees", Some(&writer), None).await;
    assert_eq!(code, StatusCode::OK, "{assignees}");
    let ids = |list: &str| -> Vec<String> {
        assignees[list].as_array().expect("a list").iter().map(|a| a["id"].as_str().expect("an id").to_owned()).collect()
    };
    let listed = assignees["agents"].as_array().expect("agents").iter().find(|a| a["id"] == colleague.id.as_str()).expect("the colleague");
    assert_eq!(listed["name"], "Léa Assignable");
    assert!(!ids("agents").contains(&gone.id), "a deactivated agent: {assignees}");
    assert!(!ids("agents").contains(&elsewhere.id), "an agent of the Hainaut: {assignees}");
    let text = assignees.to_string();
    assert!(!text.contains("@"), "no e-mail address: {assignees}");
    let teams_of = |code: &'static str| {
        let app = &app;
        async move {
            let caisse = caisse_id(app, code).await;
            team::Entity::find().filter(team::Column::CaisseId.eq(caisse)).all(&app.state.db).await.expect("teams").into_iter().map(|t| t.id)
        }
    };
    let (ours, theirs): (Vec<String>, Vec<String>) = (teams_of("091").await.collect(), teams_of("059").await.collect());
    assert!(!ours.is_empty() && ours.iter().all(|id| ids("teams").contains(id)), "{assignees}");
    assert!(theirs.iter().all(|id| !ids("teams").contains(id)), "a team of the Hainaut: {assignees}");

    // The listed id is the one `assign` takes.
    let (_, reference) = referral(&app, "Lamarck").await;
    let (code, _, given) = call(
        &app,
        Method::POST,
        &format!("/api/v1/requests/{reference}/actions"),
        Some(&writer),
        Some(json!({"action": "assign", "assignee": colleague.id})),
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{given}");
    assert_eq!(given["assignee"], "Léa Assignable");
}

async fn a_token_over_its_rate_waits_for_the_next_minute(db: Db) {
    let app = TestApp::spawn(db).await;
    let reader = token(&app, "091", "structures:read").await;
    let other = token(&app, "091", "structures:read").await;
    let client = reqwest::Client::new();
    for _ in 0..CALLS_PER_MINUTE {
        // A call refused by its operation still counts.
        let response = client.get(format!("{}/api/v1/structures?limit=0", app.base)).bearer_auth(&reader).send().await.expect("call");
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let over = call(&app, Method::GET, "/api/v1/structures", Some(&reader), None).await;
    assert_problem(&over, StatusCode::TOO_MANY_REQUESTS, "Trop d'appels");
    let wait: u32 = over.1["retry-after"].to_str().expect("header").parse().expect("seconds");
    assert!((1..=60).contains(&wait), "{wait}");
    let (code, _, _) = call(&app, Method::GET, "/api/v1/structures", Some(&other), None).await;
    assert_eq!(code, StatusCode::OK, "each token has its own rate");
}

async fn the_document_describes_every_operation_and_its_refusals(db: Db) {
    let app = TestApp::spawn(db).await;
    let (code, _, document) = call(&app, Method::GET, "/api/v1/openapi.json", None, None).await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(document["openapi"], "3.1.0");
    let paths = document["paths"].as_object().expect("paths");
    for (path, method) in [
        ("/api/v1/requests", "get"),
        ("/api/v1/requests/{reference}", "get"),
        ("/api/v1/requests/{reference}/attachments/{id}", "get"),
        ("/api/v1/requests/{reference}/actions", "post"),
        ("/api/v1/requests/{reference}/messages", "post"),
        ("/api/v1/appointments", "get"),
        ("/api/v1/structures", "get"),
        ("/api/v1/assignees", "get"),
    ] {
        let operation = &paths[path][method];
        assert!(operation["security"][0]["jeton"].is_array(), "{path}: {operation}");
        for status in ["401", "403", "404", "422", "429"] {
            assert_eq!(
                operation["responses"][status]["content"]["application/problem+json"]["schema"]["$ref"], "#/components/schemas/Problem",
                "{path} {status}"
            );
        }
    }
    assert_eq!(document["components"]["securitySchemes"]["jeton"]["scheme"], "bearer");
    let docs = reqwest::get(format!("{}/api/v1/docs", app.base)).await.expect("docs");
    assert_eq!(docs.status(), StatusCode::OK);
    let html = docs.text().await.expect("html");
    assert!(
        html.contains("<html lang=\"fr\">") && html.contains("<main id=\"contenu\"") && html.contains("POST /api/v1/requests/{reference}/actions"),
        "{html}"
    );
    assert!(!html.contains("<script"), "no script");
}
