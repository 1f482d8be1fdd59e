//! The four submission forms' rules: from what was typed to a valid request, or one French message per wrong field.
//! The same code runs in the browser (as you type) and on the server (on submit, JavaScript or not).

use super::form_values::FormValues;
use super::nir::Nir;
use super::request_details::{AppointmentChannel, ConsentMethod, Details, DifficultyGround, DossierType, ReachBy, Urgency};
use super::request_kind::RequestKind;
use crate::domain::field_error::{FieldError, Problems};
use chrono::NaiveDate;

const NAME_MAX: usize = 100;
const SHORT_MAX: usize = 300;
const SUBJECT_MAX: usize = 150;
const BODY_MAX: usize = 5000;

/// The assuré a request concerns, once every field was checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Beneficiary {
    pub last_name: String,
    pub first_names: String,
    pub birth_date: NaiveDate,
    pub nir: Option<Nir>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub consent_method: ConsentMethod,
}

impl Beneficiary {
    /// Upper-case, accent-free "NOM PRÉNOMS": how searches and the duplicate guard compare people.
    pub fn search_key(&self) -> String {
        search_key(&format!("{} {}", self.last_name, self.first_names))
    }
}

/// Folds case, accents and spacing so that "Élodie  Lefèvre" and "ELODIE LEFEVRE" compare equal.
pub fn search_key(text: &str) -> String {
    let folded: String = text
        .chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' | 'À' | 'Â' | 'Ä' | 'Á' | 'Ã' => 'A',
            'ç' | 'Ç' => 'C',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'E',
            'î' | 'ï' | 'í' | 'Î' | 'Ï' | 'Í' => 'I',
            'ô' | 'ö' | 'ó' | 'õ' | 'Ô' | 'Ö' | 'Ó' | 'Õ' => 'O',
            'ù' | 'û' | 'ü' | 'ú' | 'Ù' | 'Û' | 'Ü' | 'Ú' => 'U',
            'ÿ' | 'Ÿ' => 'Y',
            'ñ' | 'Ñ' => 'N',
            '-' | '\'' | '’' => ' ',
            other => other.to_ascii_uppercase(),
        })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A request ready to be stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Submission {
    pub kind: RequestKind,
    pub subject: String,
    pub body: String,
    pub details: Details,
    pub beneficiary: Option<Beneficiary>,
}

impl Submission {
    pub fn dossier_type(&self) -> Option<DossierType> {
        match &self.details {
            Details::DossierStudy { dossier_type, .. } => Some(*dossier_type),
            _ => None,
        }
    }
}

/// What the rules need to know beyond the form: the day, and the caisse's accueils (id, name).
pub struct Context<'a> {
    pub today: NaiveDate,
    pub accueils: &'a [(String, String)],
}

/// Reads a form into [`Problems`]; each reader returns `None` when its field is wrong.
struct Reader<'a> {
    form: &'a FormValues,
    problems: Problems,
}

impl<'a> Reader<'a> {
    fn fail<T>(&mut self, field: &str, message: impl Into<String>) -> Option<T> {
        self.problems.push(field, message);
        None
    }

    /// The value, unless one of `read`'s rules pushed a problem.
    fn checked(&mut self, read: impl FnOnce(&mut Problems) -> String) -> Option<String> {
        let before = self.problems.len();
        let value = read(&mut self.problems);
        (self.problems.len() == before).then_some(value)
    }

    fn required(&mut self, field: &str, missing: &str, max: usize) -> Option<String> {
        let text = self.form.text(field);
        self.checked(|problems| problems.required(field, text, missing, max))
    }

    fn optional(&mut self, field: &str, max: usize) -> Option<Option<String>> {
        let text = self.form.text(field);
        self.checked(|problems| problems.optional(field, text, max)).map(|value| Some(value).filter(|v| !v.is_empty()))
    }

    fn choice<T, E>(&mut self, field: &str, parse: impl Fn(&str) -> Result<T, E>, missing: &str) -> Option<T> {
        match parse(self.form.text(field)) {
            Ok(choice) => Some(choice),
            Err(_) => self.fail(field, missing),
        }
    }

    fn ticked(&mut self, field: &str, missing: &str) -> Option<()> {
        if self.form.checked(field) { Some(()) } else { self.fail(field, missing) }
    }

    fn phone(&mut self, field: &str, required: Option<&str>) -> Option<Option<String>> {
        let value = self.form.text(field);
        if value.is_empty() {
            return match required {
                Some(missing) => self.fail(field, missing),
                None => Some(None),
            };
        }
        match normalise_phone(value) {
            Some(phone) => Some(Some(phone)),
            None => self.fail(field, "Saisissez un numéro de téléphone à 10 chiffres, par exemple 06 12 34 56 78."),
        }
    }

    fn birth_date(&mut self, today: NaiveDate) -> Option<NaiveDate> {
        let value = self.form.text("birth_date");
        if value.is_empty() {
            return self.fail("birth_date", "Saisissez la date de naissance de l'assuré.");
        }
        let parsed = NaiveDate::parse_from_str(value, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(value, "%d/%m/%Y"));
        match parsed {
            Err(_) => self.fail("birth_date", "Saisissez une date valide, par exemple 14/07/1984."),
            Ok(date) if date > today => self.fail("birth_date", "La date de naissance ne peut pas être dans le futur."),
            Ok(date) if today.years_since(date).is_some_and(|age| age > 125) => {
                self.fail("birth_date", "Vérifiez l'année de naissance : l'assuré aurait plus de 125 ans.")
            }
            Ok(date) => Some(date),
        }
    }

    /// The assuré block; `phone_needed`/`address_needed` say when the form's other answers require them.
    fn beneficiary(&mut self, today: NaiveDate, phone_needed: Option<&str>, address_needed: Option<&str>) -> Option<Beneficiary> {
        let last_name = self.required("last_name", "Saisissez le nom de l'assuré.", NAME_MAX);
        let first_names = self.required("first_names", "Saisissez le ou les prénoms de l'assuré.", NAME_MAX);
        let birth_date = self.birth_date(today);
        let nir_input = self.form.text("nir");
        let nir = if nir_input.is_empty() {
            Some(None)
        } else {
            match Nir::parse(nir_input) {
                Ok(nir) => Some(Some(nir)),
                Err(err) => self.fail("nir", err.to_string()),
            }
        };
        let phone = self.phone("phone", phone_needed);
        let address = match address_needed {
            Some(missing) => self.required("address", missing, SHORT_MAX).map(Some),
            None => self.optional("address", SHORT_MAX),
        };
        let consent = self.ticked("consent", "L'accord de l'assuré est obligatoire pour que la structure agisse pour lui.");
        let consent_method = self.choice("consent_method", ConsentMethod::parse, "Indiquez comment l'accord de l'assuré a été recueilli.");
        consent?;
        Some(Beneficiary {
            last_name: last_name?,
            first_names: first_names?,
            birth_date: birth_date?,
            nir: nir?,
            phone: phone?,
            address: address?,
            consent_method: consent_method?,
        })
    }
}

/// Keeps the digits of a French phone number ("06 12 34 56 78", "+33 6 12 34 56 78"); `None` if it is not one.
pub fn normalise_phone(input: &str) -> Option<String> {
    let compact: String = input.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')')).collect();
    let national = match compact.strip_prefix("+33") {
        Some(rest) => format!("0{rest}"),
        None => compact,
    };
    let valid = national.len() == 10 && national.starts_with('0') && national.chars().all(|c| c.is_ascii_digit()) && &national[1..2] != "0";
    valid.then(|| national.as_bytes().chunks(2).map(|pair| String::from_utf8_lossy(pair).into_owned()).collect::<Vec<_>>().join(" "))
}

/// Whether the optional assuré block of the contact form was started.
fn beneficiary_started(form: &FormValues) -> bool {
    ["last_name", "first_names", "birth_date", "nir"].iter().any(|f| !form.text(f).is_empty())
}

/// Checks one form of `kind`; every wrong field is reported at once.
pub fn validate(kind: RequestKind, form: &FormValues, context: &Context) -> Result<Submission, Vec<FieldError>> {
    let mut r = Reader { form, problems: Problems::new() };
    let submission = match kind {
        RequestKind::Contact => {
            let subject = r.required("subject", "Saisissez l'objet de votre message.", SUBJECT_MAX);
            let body = r.required("message", "Saisissez votre message.", BODY_MAX);
            let beneficiary = if beneficiary_started(form) { r.beneficiary(context.today, None, None).map(Some) } else { Some(None) };
            (|| Some(Submission { kind, subject: subject?, body: body?, details: Details::Contact, beneficiary: beneficiary? }))()
        }
        RequestKind::MasReferral => {
            let grounds: Vec<DifficultyGround> = form.all("grounds").into_iter().filter_map(|code| DifficultyGround::parse(code).ok()).collect();
            let grounds = if grounds.is_empty() { r.fail("grounds", "Cochez au moins un motif de difficulté.") } else { Some(grounds) };
            let other_ground = if form.has("grounds", DifficultyGround::Other.code()) {
                r.required("other_ground", "Précisez l'autre motif.", SHORT_MAX).map(Some)
            } else {
                Some(None)
            };
            let description = r.required("description", "Décrivez la situation de l'assuré.", BODY_MAX);
            let urgency = r.choice("urgency", Urgency::parse, "Indiquez le degré d'urgence.");
            let reach_by = r.choice("reach_by", ReachBy::parse, "Indiquez comment joindre l'assuré.");
            let reach_when = r.required("reach_when", "Indiquez quand joindre l'assuré (jours, horaires).", SHORT_MAX);
            let phone_needed = (reach_by == Some(ReachBy::Phone)).then_some("Saisissez le téléphone de l'assuré pour qu'il soit appelé.");
            let address_needed =
                (reach_by == Some(ReachBy::Post)).then_some("Saisissez l'adresse postale de l'assuré pour qu'il reçoive un courrier.");
            let beneficiary = r.beneficiary(context.today, phone_needed, address_needed);
            (|| {
                Some(Submission {
                    kind,
                    subject: "Signalement d'une situation de difficulté (saisine MAS)".to_owned(),
                    body: description?,
                    details: Details::MasReferral {
                        grounds: grounds?,
                        other_ground: other_ground?,
                        urgency: urgency?,
                        reach_by: reach_by?,
                        reach_when: reach_when?,
                    },
                    beneficiary: Some(beneficiary?),
                })
            })()
        }
        RequestKind::Appointment => {
            let not_autonomous =
                r.ticked("not_autonomous", "Le rendez-vous est réservé aux assurés qui ne peuvent pas faire leurs démarches seuls : confirmez-le.");
            let no_account = r.ticked("no_ameli_account", "Le rendez-vous est réservé aux assurés sans compte ameli : confirmez-le.");
            let reason = r.required("reason", "Indiquez l'objet du rendez-vous.", BODY_MAX);
            let channel_code = form.text("channel");
            let channel = if channel_code == "phone" {
                Some(AppointmentChannel::Phone)
            } else if let Some((id, name)) =
                channel_code.strip_prefix("accueil:").and_then(|id| context.accueils.iter().find(|(accueil_id, _)| accueil_id == id))
            {
                Some(AppointmentChannel::Accueil { id: id.clone(), name: name.clone() })
            } else {
                r.fail("channel", "Choisissez un accueil de la caisse ou le rendez-vous téléphonique.")
            };
            let availability = r.required("availability", "Indiquez les disponibilités de l'assuré.", SHORT_MAX);
            let interpreter_language = if form.checked("interpreter") {
                r.required("interpreter_language", "Précisez la langue de l'interprète.", NAME_MAX).map(Some)
            } else {
                Some(None)
            };
            let phone_needed = (channel == Some(AppointmentChannel::Phone)).then_some("Saisissez le téléphone auquel appeler l'assuré.");
            let beneficiary = r.beneficiary(context.today, phone_needed, None);
            (|| {
                not_autonomous?;
                no_account?;
                Some(Submission {
                    kind,
                    subject: "Demande de rendez-vous".to_owned(),
                    body: reason?,
                    details: Details::Appointment {
                        channel: channel?,
                        availability: availability?,
                        interpreter_language: interpreter_language?,
                        accessibility: form.checked("accessibility"),
                        accompanied: form.checked("accompanied"),
                    },
                    beneficiary: Some(beneficiary?),
                })
            })()
        }
        RequestKind::DossierStudy => {
            let dossier_type = r.choice("dossier_type", DossierType::parse, "Choisissez le type de dossier à étudier.");
            let other_type = if dossier_type == Some(DossierType::Other) {
                r.required("other_type", "Précisez le type de dossier.", SHORT_MAX).map(Some)
            } else {
                Some(None)
            };
            let documents_provided: Vec<String> = dossier_type
                .map(|t| t.checklist().iter().filter(|doc| form.has("documents", doc)).map(|d| (*d).to_owned()).collect())
                .unwrap_or_default();
            let body = r.optional("message", BODY_MAX);
            let beneficiary = r.beneficiary(context.today, None, None);
            (|| {
                let dossier_type = dossier_type?;
                Some(Submission {
                    kind,
                    subject: format!("Étude de dossier – {}", dossier_type.label()),
                    body: body?.unwrap_or_default(),
                    details: Details::DossierStudy { dossier_type, other_type: other_type?, documents_provided },
                    beneficiary: Some(beneficiary?),
                })
            })()
        }
    };
    match submission {
        Some(submission) => r.problems.into_result(submission),
        None => Err(r.problems.into_vec()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).expect("a valid date")
    }

    fn accueils() -> Vec<(String, String)> {
        vec![("acc-massy".to_owned(), "Accueil de Massy".to_owned())]
    }

    fn assure() -> FormValues {
        FormValues::new()
            .with("last_name", "Lefèvre")
            .with("first_names", "Élodie Marie")
            .with("birth_date", "1984-12-03")
            .with("nir", "2 84 12 76 451 089 93")
            .with("consent", "on")
            .with("consent_method", "oral")
    }

    fn check(kind: RequestKind, form: &FormValues) -> Result<Submission, Vec<FieldError>> {
        validate(kind, form, &Context { today: today(), accueils: &accueils() })
    }

    fn fields(result: Result<Submission, Vec<FieldError>>) -> Vec<String> {
        result.expect_err("must be refused").into_iter().map(|i| i.field).collect()
    }

    #[test]
    fn a_contact_needs_a_subject_and_a_message_and_the_assure_only_if_started() {
        let ok = check(RequestKind::Contact, &FormValues::new().with("subject", "Question").with("message", "Bonjour")).expect("valid");
        assert_eq!(ok.beneficiary, None);
        assert_eq!(fields(check(RequestKind::Contact, &FormValues::new())), ["subject", "message"]);
        let started = FormValues::new().with("subject", "Q").with("message", "M").with("last_name", "Martin");
        assert_eq!(fields(check(RequestKind::Contact, &started)), ["first_names", "birth_date", "consent", "consent_method"]);
    }

    #[test]
    fn the_assure_block_checks_names_dates_nir_and_consent() {
        let mas = |form: FormValues| {
            check(
                RequestKind::MasReferral,
                &form
                    .with("grounds", "digital")
                    .with("description", "d")
                    .with("urgency", "normal")
                    .with("reach_by", "through_partner")
                    .with("reach_when", "matin"),
            )
        };
        let ok = mas(assure()).expect("valid");
        let person = ok.beneficiary.expect("an assuré");
        assert_eq!(person.nir.as_ref().expect("a NIR").normalised(), "284127645108993");
        assert_eq!(person.search_key(), "LEFEVRE ELODIE MARIE");

        let bad_key = assure().without(&["nir"]).with("nir", "2 84 12 76 451 089 94");
        let issues = mas(bad_key).expect_err("refused");
        assert_eq!(issues[0].field, "nir");
        assert!(issues[0].message.starts_with("Clé invalide"), "{issues:?}");

        let future = assure().without(&["birth_date"]).with("birth_date", "2027-01-01");
        assert_eq!(fields(mas(future)), ["birth_date"]);
        let french_format = assure().without(&["birth_date"]).with("birth_date", "03/12/1984");
        assert!(mas(french_format).is_ok());
        let no_consent = assure().without(&["consent"]);
        assert_eq!(fields(mas(no_consent)), ["consent"]);
        let no_nir = assure().without(&["nir"]);
        assert_eq!(mas(no_nir).expect("valid").beneficiary.expect("an assuré").nir, None, "AME applicants often have no NIR");
        let long = assure().without(&["last_name"]).with("last_name", &"x".repeat(101));
        assert_eq!(mas(long).expect_err("refused")[0].message, "101 caractères : 100 au maximum.");
    }

    #[test]
    fn a_mas_referral_needs_grounds_and_a_way_to_reach_the_assure() {
        assert_eq!(fields(check(RequestKind::MasReferral, &assure())), ["grounds", "description", "urgency", "reach_by", "reach_when"]);
        let by_phone = assure()
            .with("grounds", "other")
            .with("description", "d")
            .with("urgency", "urgent")
            .with("reach_by", "phone")
            .with("reach_when", "après 17 h");
        assert_eq!(fields(check(RequestKind::MasReferral, &by_phone)), ["other_ground", "phone"]);
        let complete = by_phone.with("other_ground", "Expulsion").with("phone", "+33 6 12 34 56 78");
        let ok = check(RequestKind::MasReferral, &complete).expect("valid");
        assert_eq!(ok.beneficiary.expect("an assuré").phone.as_deref(), Some("06 12 34 56 78"));
    }

    #[test]
    fn an_appointment_is_for_an_assure_declared_not_autonomous_at_a_known_accueil_or_by_phone() {
        let base = assure().with("reason", "Dossier invalidité").with("availability", "lundi");
        assert_eq!(fields(check(RequestKind::Appointment, &base)), ["not_autonomous", "no_ameli_account", "channel"]);
        let declared = base.with("not_autonomous", "on").with("no_ameli_account", "on");
        let foreign = declared.clone().with("channel", "accueil:acc-of-another-caisse");
        assert_eq!(fields(check(RequestKind::Appointment, &foreign)), ["channel"]);
        let at_massy = check(RequestKind::Appointment, &declared.clone().with("channel", "accueil:acc-massy").with("interpreter", "on"));
        assert_eq!(fields(at_massy), ["interpreter_language"]);
        let by_phone = declared.with("channel", "phone");
        assert_eq!(fields(check(RequestKind::Appointment, &by_phone)), ["phone"]);
        assert!(check(RequestKind::Appointment, &by_phone.with("phone", "01 60 00 00 00")).is_ok());
    }

    #[test]
    fn a_dossier_study_keeps_only_documents_of_its_checklist() {
        assert_eq!(fields(check(RequestKind::DossierStudy, &assure())), ["dossier_type"]);
        let form = assure().with("dossier_type", "c2s").with("documents", DossierType::C2s.checklist()[1]).with("documents", "Un document inventé");
        let ok = check(RequestKind::DossierStudy, &form).expect("valid");
        assert_eq!(ok.dossier_type(), Some(DossierType::C2s));
        assert_eq!(
            ok.details,
            Details::DossierStudy {
                dossier_type: DossierType::C2s,
                other_type: None,
                documents_provided: vec![DossierType::C2s.checklist()[1].to_owned()]
            }
        );
        assert_eq!(fields(check(RequestKind::DossierStudy, &assure().with("dossier_type", "other"))), ["other_type"]);
    }

    #[test]
    fn phones_are_normalised_or_refused() {
        assert_eq!(normalise_phone("0612345678").as_deref(), Some("06 12 34 56 78"));
        assert_eq!(normalise_phone("+33 1.60.00.00.00").as_deref(), Some("01 60 00 00 00"));
        for wrong in ["12345", "0012345678", "06 12 34 56 7a", "+33 6 12"] {
            assert_eq!(normalise_phone(wrong), None, "{wrong}");
        }
    }

    #[test]
    fn multibyte_birth_dates_nirs_and_phones_get_french_messages() {
        let mas = |form: FormValues| {
            check(
                RequestKind::MasReferral,
                &form
                    .with("grounds", "digital")
                    .with("description", "d")
                    .with("urgency", "normal")
                    .with("reach_by", "through_partner")
                    .with("reach_when", "matin"),
            )
        };
        for nir in ["1234é6789012345", "１８４１２７６４５１０８９４６", "2840€€€€€€€€€€€"] {
            let issues = mas(assure().without(&["nir"]).with("nir", nir)).expect_err(nir);
            assert_eq!(issues, [FieldError { field: "nir".into(), message: crate::domain::nir::NirError::InvalidCharacters.to_string() }]);
        }
        for birth_date in ["０３/12/1984", "03/12/1984€", "+262143-12-31", "-262143-01-01"] {
            let issues = mas(assure().without(&["birth_date"]).with("birth_date", birth_date)).expect_err(birth_date);
            assert_eq!(issues.len(), 1, "{birth_date}");
            assert_eq!(issues[0].field, "birth_date");
        }
        for phone in ["０６12345678", "06123456७8", "+33€12345678"] {
            assert_eq!(normalise_phone(phone), None, "{phone}");
        }
    }

    mod properties {
        //! Properties of the submission rules (birth date, NIR, phone, text lengths) over arbitrary text.

        use super::*;
        use crate::domain::form_values::typed_text::{any_text, shaped_with_one_odd_char};
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn any_assure_block_gets_an_answer_field_by_field(
                last_name in any_text(),
                birth_date in prop_oneof![shaped_with_one_odd_char("[0-9]{2}/[0-9]{2}/[0-9]{4}"), "[+-]?[0-9]{1,6}-[0-9]{1,2}-[0-9]{1,2}", any_text()],
                nir in prop_oneof![shaped_with_one_odd_char("[0-9]{15}"), any_text()],
                phone in prop_oneof![shaped_with_one_odd_char("0[1-9]( ?[0-9]{2}){4}"), any_text()],
                kind in prop::sample::select(RequestKind::ALL.to_vec()),
            ) {
                let form = assure()
                    .without(&["last_name", "birth_date", "nir"])
                    .with("last_name", &last_name)
                    .with("birth_date", &birth_date)
                    .with("nir", &nir)
                    .with("phone", &phone)
                    .with("subject", "Objet")
                    .with("message", "Message")
                    .with("grounds", "digital")
                    .with("description", "Situation")
                    .with("urgency", "normal")
                    .with("reach_by", "through_partner")
                    .with("reach_when", "matin");
                match check(kind, &form) {
                    Ok(submission) => {
                        let person = submission.beneficiary.expect("the assuré block was filled in");
                        prop_assert!(person.birth_date <= today());
                        prop_assert_eq!(person.last_name, last_name.trim());
                        prop_assert_eq!(person.nir.map(|n| n.normalised().to_owned()), crate::domain::nir::Nir::parse(&nir).ok().map(|n| n.normalised().to_owned()));
                    }
                    Err(issues) => prop_assert!(issues.iter().all(|issue| !issue.message.is_empty() && !issue.field.is_empty())),
                }
            }

            #[test]
            fn any_phone_is_normalised_once_and_for_all_or_refused(input in prop_oneof![shaped_with_one_odd_char("(\\+33 ?|0)[1-9]( ?[0-9]{2}){4}"), any_text()]) {
                if let Some(phone) = normalise_phone(&input) {
                    prop_assert_eq!(phone.len(), 14);
                    prop_assert!(phone.starts_with('0') && phone.split(' ').all(|pair| pair.len() == 2 && pair.bytes().all(|b| b.is_ascii_digit())));
                    prop_assert_eq!(normalise_phone(&phone), Some(phone.clone()));
                }
            }

            #[test]
            fn a_french_number_is_read_in_its_usual_forms(digits in "[1-9][0-9]{8}", international in any::<bool>()) {
                let expected = format!("0{digits}").as_bytes().chunks(2).map(|pair| String::from_utf8_lossy(pair).into_owned()).collect::<Vec<_>>().join(" ");
                let typed = if international { format!("+33 {digits}") } else { format!("0{}.{}", &digits[..1], &digits[1..]) };
                prop_assert_eq!(normalise_phone(&typed), Some(expected));
            }

            #[test]
            fn search_keys_are_stable(text in any_text()) {
                let key = search_key(&text);
                prop_assert_eq!(search_key(&key), key.clone());
                prop_assert!(!key.starts_with(' ') && !key.ends_with(' ') && !key.contains("  "));
            }
        }
    }
}
