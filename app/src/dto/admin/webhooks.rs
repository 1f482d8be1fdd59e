//! The admin's page of webhooks: the caisse's endpoints with their latest deliveries, the creation form's choices,
//! and a signing secret just created or rotated (shown once).

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryLine {
    pub id: String,
    pub event: String,
    pub created: String,
    /// « Remis », « En attente », « Nouvel essai le … », « Échec définitif ».
    pub state: String,
    pub attempts: u32,
    /// The receiver's last answer (« HTTP 503 », « connexion impossible »…).
    pub last_answer: String,
    pub may_send_again: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointLine {
    pub id: String,
    pub url: String,
    pub caisse: String,
    /// The events by their French names.
    pub events: Vec<String>,
    pub created_on: String,
    pub active: bool,
    pub deliveries: Vec<DeliveryLine>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookList {
    pub endpoints: Vec<EndpointLine>,
    /// (code, label) of every event, for the creation form.
    pub events: Vec<(String, String)>,
    /// (id, name) of the caisses a national admin chooses from; empty for a caisse's admin.
    pub caisses: Vec<(String, String)>,
}

/// An endpoint's signing secret, just created or rotated: the only time it is shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedSecret {
    pub url: String,
    pub secret: String,
}
