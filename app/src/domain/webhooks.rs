//! The rules of the caisse's webhooks: the events an endpoint may want, the addresses it may have (HTTPS; plain
//! HTTP only on loopback), when a failed delivery is tried again, and what a delivery signs (Standard Webhooks:
//! `id.timestamp.body`).

use super::coded::coded;

coded!(
    /// What happened, as a receiver subscribes to it.
    Event {
        RequestCreated => "request.created", "Nouvelle demande",
        RequestStatusChanged => "request.status_changed", "Changement d'étape d'une demande",
        RequestMessageAdded => "request.message_added", "Nouveau message sur une demande",
        AppointmentScheduled => "appointment.scheduled", "Rendez-vous fixé ou déplacé",
    }
);

/// How many times a delivery is tried before it is marked failed.
pub const MAX_ATTEMPTS: u32 = 8;
/// The longest endpoint address.
pub const URL_MAX: usize = 500;
/// How long the previous secret still signs deliveries after a rotation, in hours.
pub const PREVIOUS_SECRET_HOURS: i64 = 24;

/// Why an endpoint's address or events were refused, in French for their field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookRuleError {
    #[error("Choisissez au moins un événement.")]
    NoEvent,
    #[error("Événement inconnu : « {0} ».")]
    UnknownEvent(String),
    #[error("Saisissez une adresse https://… (http:// seulement vers 127.0.0.1 ou localhost), de {URL_MAX} caractères au plus.")]
    Url,
}

/// The events of a comma-separated list, each once, in the order of [`Event::ALL`].
pub fn parse_events(list: &str) -> Result<Vec<Event>, WebhookRuleError> {
    let mut events = Vec::new();
    for code in list.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        let event = Event::parse(code).map_err(|_| WebhookRuleError::UnknownEvent(code.to_owned()))?;
        if !events.contains(&event) {
            events.push(event);
        }
    }
    if events.is_empty() {
        return Err(WebhookRuleError::NoEvent);
    }
    events.sort_by_key(|e| Event::ALL.iter().position(|a| a == e));
    Ok(events)
}

pub fn events_code(events: &[Event]) -> String {
    events.iter().map(|e| e.code()).collect::<Vec<_>>().join(",")
}

/// An endpoint's address: `https://host…`, or, when `plain_http` is allowed (a site itself served over plain HTTP on
/// loopback: a demo, the tests), `http://` to a loopback host. A deployment never posts its events unencrypted, nor
/// to a service of its own machine.
pub fn parse_url(typed: &str, plain_http: bool) -> Result<String, WebhookRuleError> {
    let url = typed.trim();
    if url.len() > URL_MAX || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(WebhookRuleError::Url);
    }
    let (scheme, rest) = url.split_once("://").ok_or(WebhookRuleError::Url)?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let host =
        if host.starts_with('[') { host.split(']').next().map(|h| &h[1..]).unwrap_or_default() } else { host.split(':').next().unwrap_or_default() };
    if host.is_empty() {
        return Err(WebhookRuleError::Url);
    }
    let loopback = host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(url.to_owned()),
        "http" if loopback && plain_http => Ok(url.to_owned()),
        _ => Err(WebhookRuleError::Url),
    }
}

/// How long to wait before the next try after `attempts` failed ones: 1 minute, then 5, 30, 2 hours, 5, 10, 10…
pub fn retry_after_minutes(attempts: u32) -> i64 {
    match attempts {
        0 | 1 => 1,
        2 => 5,
        3 => 30,
        4 => 120,
        5 => 300,
        _ => 600,
    }
}

/// What a delivery's signature covers (Standard Webhooks): its id, its Unix timestamp and its body, joined by dots.
pub fn signed_content(id: &str, timestamp: i64, body: &str) -> String {
    format!("{id}.{timestamp}.{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_read_once_each_and_unknown_ones_are_named() {
        assert_eq!(
            parse_events("request.status_changed,request.created,request.created"),
            Ok(vec![Event::RequestCreated, Event::RequestStatusChanged])
        );
        assert_eq!(parse_events(""), Err(WebhookRuleError::NoEvent));
        assert_eq!(parse_events("request.deleted"), Err(WebhookRuleError::UnknownEvent("request.deleted".to_owned())));
        assert_eq!(events_code(&Event::ALL), "request.created,request.status_changed,request.message_added,appointment.scheduled");
    }

    #[test]
    fn an_endpoint_is_https_or_a_loopback_receiver() {
        for accepted in
            ["https://crm.cpam91.example/hooks", "http://127.0.0.1:8080/hooks", "http://localhost/x", "http://[::1]:9000/", "HTTPS://a.example"]
        {
            assert!(parse_url(accepted, true).is_ok(), "{accepted}");
        }
        assert!(parse_url("https://crm.cpam91.example/hooks", false).is_ok());
        assert_eq!(parse_url("http://127.0.0.1:8080/hooks", false), Err(WebhookRuleError::Url), "a deployment: HTTPS only");
        for refused in
            ["http://crm.example/hooks", "ftp://127.0.0.1/", "https://", "crm.example", "https://a.example/ x", "http://127.0.0.1.evil.example/", ""]
        {
            assert_eq!(parse_url(refused, true), Err(WebhookRuleError::Url), "{refused}");
        }
        assert!(parse_url(&format!("https://a.example/{}", "x".repeat(URL_MAX)), true).is_err());
    }

    #[test]
    fn failed_deliveries_wait_longer_each_time() {
        let waits: Vec<i64> = (1..=MAX_ATTEMPTS).map(retry_after_minutes).collect();
        assert!(waits.windows(2).all(|w| w[0] <= w[1]), "{waits:?}");
        assert_eq!(waits[0], 1);
    }

    #[test]
    fn the_signature_covers_id_timestamp_and_body() {
        assert_eq!(signed_content("msg_1", 1_700_000_000, "{\"a\":1}"), "msg_1.1700000000.{\"a\":1}");
    }
}
