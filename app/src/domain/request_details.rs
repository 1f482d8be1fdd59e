//! The vocabulary of the four submission forms (difficulty grounds, urgency, appointment channel, dossier types and
//! their checklists) and the kind-specific answers a request keeps.

use super::coded::coded;
use serde::{Deserialize, Serialize};

coded!(
    /// Why a partner refers an assuré to the Mission Accompagnement Santé.
    DifficultyGround {
        AccessToRights => "access_to_rights", "Difficultés d'accès aux droits",
        CareRenunciation => "care_renunciation", "Renoncement aux soins",
        ComplexSocialSituation => "complex_social_situation", "Situation sociale complexe",
        Disability => "disability", "Problématique liée à un handicap",
        Digital => "digital", "Difficultés avec le numérique",
        Other => "other", "Autre motif",
    }
);

coded!(
    Urgency {
        Normal => "normal", "Normale",
        Urgent => "urgent", "Urgente (risque de rupture de droits ou de soins)",
    }
);

coded!(
    /// How the caisse should reach the assuré after a MAS referral.
    ReachBy {
        Phone => "phone", "Par téléphone",
        Post => "post", "Par courrier",
        ThroughPartner => "through_partner", "Par l'intermédiaire de notre structure",
    }
);

coded!(
    /// How the partner obtained the assuré's consent to act for them.
    ConsentMethod {
        Oral => "oral", "Accord oral recueilli en entretien",
        Written => "written", "Accord écrit signé par l'assuré",
        Mandate => "mandate", "Mandat ou mesure de protection (tutelle, curatelle)",
    }
);

coded!(
    /// The kind of dossier the caisse is asked to study.
    DossierType {
        Puma => "puma", "Protection universelle maladie (PUMa)",
        C2s => "c2s", "Complémentaire santé solidaire (C2S)",
        AmeRenewal => "ame_renewal", "Renouvellement de l'Aide médicale de l'État (AME)",
        Other => "other", "Autre étude de dossier",
    }
);

impl DossierType {
    /// The documents the caisse expects for this type of dossier, in the order it checks them.
    pub fn checklist(self) -> &'static [&'static str] {
        match self {
            DossierType::Puma => &[
                "Pièce d'identité ou titre de séjour",
                "Justificatif de résidence stable et régulière en France (plus de 3 mois)",
                "Justificatif de domicile ou attestation d'élection de domicile",
                "Relevé d'identité bancaire",
            ],
            DossierType::C2s => &[
                "Formulaire de demande de Complémentaire santé solidaire (S3711)",
                "Justificatifs des ressources des 12 derniers mois du foyer",
                "Pièce d'identité ou titre de séjour",
                "Avis d'imposition ou de non-imposition",
            ],
            DossierType::AmeRenewal => &[
                "Formulaire de demande d'AME (S3720)",
                "Justificatif d'identité",
                "Justificatif de résidence en France depuis plus de 3 mois",
                "Justificatifs des ressources des 12 derniers mois",
                "Justificatif de domicile ou attestation d'élection de domicile",
            ],
            DossierType::Other => &["Pièce d'identité", "Tout document utile à l'étude du dossier"],
        }
    }
}

/// Where the assuré will be received.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppointmentChannel {
    /// At one of the caisse's accueils (its name kept as it was when the request was made).
    Accueil {
        id: String,
        name: String,
    },
    Phone,
}

impl AppointmentChannel {
    pub fn label(&self) -> String {
        match self {
            AppointmentChannel::Accueil { name, .. } => format!("À l'accueil : {name}"),
            AppointmentChannel::Phone => "Par téléphone".to_owned(),
        }
    }
}

/// The kind-specific answers of a request, stored with it as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Details {
    Contact,
    MasReferral { grounds: Vec<DifficultyGround>, other_ground: Option<String>, urgency: Urgency, reach_by: ReachBy, reach_when: String },
    Appointment { channel: AppointmentChannel, availability: String, interpreter_language: Option<String>, accessibility: bool, accompanied: bool },
    DossierStudy { dossier_type: DossierType, other_type: Option<String>, documents_provided: Vec<String> },
}

impl Details {
    /// A MAS referral's grounds as the statistics count them without reading the JSON: each code between bars
    /// (`|access_to_rights|digital|`), so that `LIKE '%|digital|%'` finds exactly one ground. `None` for other kinds.
    pub fn grounds_key(&self) -> Option<String> {
        match self {
            Details::MasReferral { grounds, .. } => Some(grounds.iter().fold("|".to_owned(), |key, g| format!("{key}{}|", g.code()))),
            _ => None,
        }
    }

    /// The same answers once the retention period is over: the choices the statistics count are kept, every free text
    /// (which may name the assuré or tell of their situation) is emptied.
    pub fn anonymised(&self) -> Details {
        match self.clone() {
            Details::Contact => Details::Contact,
            Details::MasReferral { grounds, urgency, reach_by, .. } => {
                Details::MasReferral { grounds, other_ground: None, urgency, reach_by, reach_when: String::new() }
            }
            Details::Appointment { channel, accessibility, accompanied, .. } => {
                Details::Appointment { channel, availability: String::new(), interpreter_language: None, accessibility, accompanied }
            }
            Details::DossierStudy { dossier_type, documents_provided, .. } => {
                Details::DossierStudy { dossier_type, other_type: None, documents_provided }
            }
        }
    }

    /// The answers as (question, answer) lines, for the detail page.
    pub fn lines(&self) -> Vec<(&'static str, String)> {
        match self {
            Details::Contact => vec![],
            Details::MasReferral { grounds, other_ground, urgency, reach_by, reach_when } => {
                let mut grounds: Vec<String> = grounds.iter().map(|g| g.label().to_owned()).collect();
                if let Some(other) = other_ground {
                    grounds.push(format!("Autre : {other}"));
                }
                vec![
                    ("Motifs", grounds.join(" ; ")),
                    ("Urgence", urgency.label().to_owned()),
                    ("Joindre l'assuré", reach_by.label().to_owned()),
                    ("Disponibilités de l'assuré", reach_when.clone()),
                ]
            }
            Details::Appointment { channel, availability, interpreter_language, accessibility, accompanied } => {
                let mut needs = vec![];
                if let Some(language) = interpreter_language {
                    needs.push(format!("interprète ({language})"));
                }
                if *accessibility {
                    needs.push("accès adapté à une personne à mobilité réduite".to_owned());
                }
                if *accompanied {
                    needs.push("accompagné par la structure".to_owned());
                }
                vec![
                    ("Modalité", channel.label()),
                    ("Disponibilités", availability.clone()),
                    ("Besoins", if needs.is_empty() { "Aucun besoin particulier".to_owned() } else { needs.join(", ") }),
                ]
            }
            Details::DossierStudy { dossier_type, other_type, documents_provided } => {
                let mut lines = vec![("Type de dossier", dossier_type.label().to_owned())];
                if let Some(other) = other_type {
                    lines.push(("Précision", other.clone()));
                }
                lines.push((
                    "Pièces fournies",
                    if documents_provided.is_empty() { "Aucune pièce cochée".to_owned() } else { documents_provided.join(" ; ") },
                ));
                lines
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_referrals_grounds_key_names_each_ground_between_bars() {
        let referral = Details::MasReferral {
            grounds: vec![DifficultyGround::ALL[0], DifficultyGround::ALL[1]],
            other_ground: None,
            urgency: Urgency::ALL[0],
            reach_by: ReachBy::ALL[0],
            reach_when: String::new(),
        };
        assert_eq!(referral.grounds_key(), Some(format!("|{}|{}|", DifficultyGround::ALL[0].code(), DifficultyGround::ALL[1].code())));
        assert_eq!(Details::Contact.grounds_key(), None);
    }

    #[test]
    fn every_choice_round_trips_through_its_code() {
        for g in DifficultyGround::ALL.iter() {
            assert_eq!(DifficultyGround::parse(g.code()), Ok(*g));
            assert!(!g.code().contains('|'), "a bar would break the grounds key");
        }
        for t in DossierType::ALL.iter() {
            assert_eq!(DossierType::parse(t.code()), Ok(*t));
            assert!(!t.checklist().is_empty());
        }
        assert_eq!(Urgency::parse("urgent"), Ok(Urgency::Urgent));
        assert!(ConsentMethod::parse("telepathy").is_err());
    }

    #[test]
    fn details_survive_storage_as_json() {
        let details = Details::Appointment {
            channel: AppointmentChannel::Accueil { id: "a1".into(), name: "Accueil de Massy".into() },
            availability: "Le mardi matin".into(),
            interpreter_language: Some("tamoul".into()),
            accessibility: true,
            accompanied: false,
        };
        let json = serde_json::to_string(&details).expect("serialised");
        assert_eq!(serde_json::from_str::<Details>(&json).expect("read back"), details);
        let lines = details.lines();
        assert!(lines.iter().any(|(q, a)| *q == "Besoins" && a.contains("interprète (tamoul)")), "{lines:?}");
    }

    #[test]
    fn anonymised_answers_keep_the_counted_choices_and_lose_every_free_text() {
        let mas = Details::MasReferral {
            grounds: vec![DifficultyGround::Digital],
            other_ground: Some("Vit chez sa sœur, Mme Martin".to_owned()),
            urgency: Urgency::Urgent,
            reach_by: ReachBy::ThroughPartner,
            reach_when: "Le mardi au 06 12 34 56 78".to_owned(),
        };
        let anonymised = mas.anonymised();
        assert_eq!(anonymised.grounds_key(), mas.grounds_key(), "the statistics still count its grounds");
        let text = format!("{anonymised:?}");
        assert!(!text.contains("Martin") && !text.contains("06 12"), "{text}");
        let dossier = Details::DossierStudy {
            dossier_type: DossierType::Other,
            other_type: Some("Dossier de M. Dupont".to_owned()),
            documents_provided: vec![],
        };
        assert!(!format!("{:?}", dossier.anonymised()).contains("Dupont"));
        let appointment = Details::Appointment {
            channel: AppointmentChannel::Phone,
            availability: "Chez M. Durand, le matin".to_owned(),
            interpreter_language: Some("tamoul".to_owned()),
            accessibility: true,
            accompanied: false,
        };
        let text = format!("{:?}", appointment.anonymised());
        assert!(!text.contains("Durand") && !text.contains("tamoul") && text.contains("accessibility: true"), "{text}");
        assert_eq!(Details::Contact.anonymised(), Details::Contact);
    }
}
