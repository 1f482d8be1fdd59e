//! Reading the audit log: French names for the action codes the application writes, how long entries are kept,
//! and the note of a cut export (the document itself is `domain::csv`). Its period filter is `domain::period`.

use crate::domain::csv;

/// The actions the application records, with what an admin reads for each. Codes not listed here are shown as is.
pub const KNOWN_ACTIONS: [(&str, &str); 70] = [
    ("auth.signed_in", "Connexion"),
    ("auth.signed_out", "Déconnexion"),
    ("auth.sign_in_failed", "Échec de connexion"),
    ("auth.sign_in_throttled", "Connexion bloquée (trop de tentatives)"),
    ("auth.code_refused", "Code à usage unique refusé"),
    ("auth.code_throttled", "Code à usage unique bloqué (trop de tentatives)"),
    ("auth.enrolled", "Second facteur activé"),
    ("auth.recovery_code_used", "Connexion avec un code de secours"),
    ("auth.recovery_codes_renewed", "Codes de secours renouvelés"),
    ("auth.second_factor_replaced", "Second facteur remplacé par la personne"),
    ("auth.session_ended", "Session fermée depuis la page Sécurité"),
    ("auth.second_factor_reset", "Second facteur réinitialisé par un administrateur"),
    ("password.reset_requested", "Lien de réinitialisation du mot de passe envoyé"),
    ("password.reset_unknown", "Réinitialisation demandée pour une adresse inconnue"),
    ("password.reset", "Mot de passe réinitialisé"),
    ("password.changed", "Mot de passe changé"),
    ("password.change_refused", "Changement de mot de passe refusé (mot de passe actuel erroné)"),
    ("password.change_throttled", "Changement de mot de passe bloqué (trop de tentatives)"),
    ("account.invited", "Compte créé et invitation envoyée"),
    ("account.invitation_resent", "Invitation renvoyée"),
    ("account.activated", "Compte activé depuis une invitation"),
    ("account.updated", "Compte modifié"),
    ("account.training_recorded", "Formation enregistrée"),
    ("account.deactivated", "Compte désactivé"),
    ("account.reactivated", "Compte réactivé"),
    ("account.mail_preference", "Préférence de notification modifiée"),
    ("structure.created", "Structure partenaire ajoutée"),
    ("structure.updated", "Structure partenaire modifiée"),
    ("convention.created", "Convention préparée (brouillon)"),
    ("convention.updated", "Convention modifiée"),
    ("convention.signed", "Convention signée (document enregistré)"),
    ("convention.suspended", "Convention suspendue"),
    ("convention.resumed", "Convention réactivée"),
    ("convention.terminated", "Convention résiliée"),
    ("convention.renewed", "Convention renouvelée (nouveau brouillon)"),
    ("request.submitted", "Demande envoyée"),
    ("request.viewed", "Demande consultée"),
    ("request.withdrawn", "Demande retirée par la structure"),
    ("request.another_date_asked", "Autre date de rendez-vous demandée par la structure"),
    ("request.appointment_declined", "Rendez-vous annulé par la structure"),
    ("request.replied", "Message sur une demande"),
    ("request.noted", "Note interne sur une demande"),
    ("request.triaged", "Demande traitée (changement d'étape)"),
    ("request.nir_revealed", "NIR affiché en entier"),
    ("request.nir_searched", "Recherche de demandes par NIR"),
    ("request.followed", "Demande suivie par e-mail"),
    ("request.unfollowed", "Fin du suivi d'une demande par e-mail"),
    ("request.exported", "Historique des demandes exporté (CSV)"),
    ("request.purged", "Données personnelles effacées (fin de la durée de conservation)"),
    ("attachment.downloaded", "Pièce jointe téléchargée"),
    ("canned_reply.created", "Réponse type ajoutée"),
    ("canned_reply.updated", "Réponse type modifiée"),
    ("canned_reply.deleted", "Réponse type supprimée"),
    ("due_dates.updated", "Délais de traitement modifiés"),
    ("accueil.created", "Accueil ajouté"),
    ("accueil.updated", "Accueil modifié"),
    ("accueil.deactivated", "Accueil désactivé"),
    ("accueil.reactivated", "Accueil réactivé"),
    ("team.created", "Équipe ajoutée"),
    ("team.updated", "Équipe modifiée"),
    ("team.deleted", "Équipe supprimée"),
    ("audit.exported", "Journal d'audit exporté (CSV)"),
    ("statistics.exported", "Statistiques exportées"),
    ("accessibility.updated", "Déclaration d'accessibilité modifiée"),
    ("api_token.created", "Jeton d'API créé"),
    ("api_token.revoked", "Jeton d'API révoqué"),
    ("api.called", "Appel de l'API"),
    ("webhook.created", "Point de réception de webhooks ajouté"),
    ("webhook.secret_rotated", "Secret de webhooks renouvelé"),
    ("webhook.disabled", "Point de réception de webhooks désactivé"),
];

/// Groups of actions an admin can filter on, by the prefix their codes share.
pub const ACTION_FAMILIES: [(&str, &str); 17] = [
    ("auth.", "Connexions"),
    ("password.", "Mots de passe"),
    ("account.", "Comptes"),
    ("request.", "Demandes"),
    ("attachment.", "Pièces jointes"),
    ("canned_reply.", "Réponses types"),
    ("due_dates.", "Délais de traitement"),
    ("accueil.", "Accueils"),
    ("team.", "Équipes"),
    ("structure.", "Structures partenaires"),
    ("convention.", "Conventions"),
    ("audit.", "Journal d'audit"),
    ("statistics.", "Statistiques"),
    ("accessibility.", "Accessibilité"),
    ("api_token.", "Jetons d'API"),
    ("api.", "Appels de l'API"),
    ("webhook.", "Webhooks"),
];

/// The kinds of object entries are about, as admins name them.
pub const OBJECT_TYPES: [(&str, &str); 12] = [
    ("account", "Compte"),
    ("request", "Demande"),
    ("attachment", "Pièce jointe"),
    ("canned_reply", "Réponse type"),
    ("caisse", "Caisse"),
    ("accueil", "Accueil"),
    ("team", "Équipe"),
    ("structure", "Structure partenaire"),
    ("convention", "Convention"),
    ("site_text", "Texte du site"),
    ("api_token", "Jeton d'API"),
    ("webhook", "Point de réception de webhooks"),
];

/// What an admin reads for an action code: its French name, or the code itself when it has none.
pub fn action_label(code: &str) -> String {
    KNOWN_ACTIONS.iter().find(|(known, _)| *known == code).map_or_else(|| code.to_owned(), |(_, label)| (*label).to_owned())
}

/// What an admin reads for an object type: its French name, or the code itself.
pub fn object_type_label(code: &str) -> String {
    OBJECT_TYPES.iter().find(|(known, _)| *known == code).map_or_else(|| code.to_owned(), |(_, label)| (*label).to_owned())
}

/// How many months entries are kept when nothing else is configured.
pub const DEFAULT_RETENTION_MONTHS: u32 = 12;

/// The last line of an export of the log cut at `max` rows.
pub fn cut_note(max: usize) -> String {
    csv::cut_note(max, "précisez les filtres (période, acteur, action)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_actions_read_in_french_and_unknown_ones_as_their_code() {
        for (code, label) in [
            ("auth.signed_in", "Connexion"),
            ("request.nir_revealed", "NIR affiché en entier"),
            ("request.nir_searched", "Recherche de demandes par NIR"),
            ("audit.exported", "Journal d'audit exporté (CSV)"),
            ("structure.archived", "structure.archived"),
            ("", ""),
        ] {
            assert_eq!(action_label(code), label, "{code}");
        }
        assert_eq!(object_type_label("request"), "Demande");
        assert_eq!(object_type_label("widget"), "widget");
    }

    #[test]
    fn every_known_action_belongs_to_a_family_and_appears_once() {
        for (code, _) in KNOWN_ACTIONS {
            assert!(ACTION_FAMILIES.iter().any(|(prefix, _)| code.starts_with(prefix)), "{code}");
            assert_eq!(KNOWN_ACTIONS.iter().filter(|(c, _)| *c == code).count(), 1, "{code}");
        }
    }

    #[test]
    fn a_cut_export_of_the_log_says_which_filters_narrow_it() {
        let cut = csv::CsvDocument::new(&["Date"]).finish(Some(&cut_note(csv::EXPORT_MAX_ROWS)));
        assert!(cut.ends_with("\"Export limité aux 100\u{202f}000 entrées les plus récentes : précisez les filtres (période, acteur, action) pour obtenir les autres.\"\r\n"), "{cut}");
    }
}
