//! The accessibility statement RGAA requires (`/accessibilite`, linked from every footer): its text, kept as plain
//! lines a national admin edits — a line starting with `## ` is a heading, lines starting with `- ` a list, other
//! lines run into paragraphs separated by a blank line — and read back into blocks, never as HTML.

use serde::{Deserialize, Serialize};

/// What the footer says of the site's conformity (RGAA: « Accessibilité : non/partiellement/totalement conforme »).
pub const CONFORMITY: &str = "Accessibilité : partiellement conforme";

/// The longest statement kept, in characters.
pub const MAX_CHARS: usize = 20_000;

/// The statement until a national admin writes the caisse network's own.
pub const DEFAULT_STATEMENT: &str = "\
L'Assurance Maladie s'engage à rendre l'Espace Partenaires accessible conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005.

## État de conformité
L'Espace Partenaires est partiellement conforme avec le référentiel général d'amélioration de l'accessibilité (RGAA), version 4.1, en raison des non-conformités énumérées ci-dessous.

## Résultats des tests
Chaque page parcourue par les tests de bout en bout est vérifiée automatiquement avec axe-core, avec et sans JavaScript, et affichée à 320 pixels de large sans défilement horizontal. Un audit manuel complet reste à conduire.

## Contenus non accessibles
- Les graphiques des statistiques sont accompagnés d'un texte et d'un tableau de données : le graphique seul n'est pas exploitable avec un lecteur d'écran.
- Les pièces jointes déposées par les structures (PDF, images) ne sont pas contrôlées par l'Espace Partenaires.

## Établissement de cette déclaration
Cette déclaration a été établie à partir des tests automatisés du service et d'une revue des parcours au clavier.

## Retour d'information et contact
Si vous n'arrivez pas à accéder à un contenu ou à un service, contactez votre caisse par le formulaire « Contacter la caisse » ou par votre correspondant habituel pour être orienté vers une alternative accessible.

## Voies de recours
Si vous constatez un défaut d'accessibilité vous empêchant d'accéder à un contenu ou à une fonctionnalité du site, que vous nous le signalez et que vous ne parvenez pas à obtenir de réponse de notre part, vous êtes en droit de faire parvenir vos doléances ou une demande de saisine au Défenseur des droits :
- par le formulaire en ligne sur defenseurdesdroits.fr ;
- auprès de l'un de ses délégués dans votre région ;
- par courrier, gratuitement, sans affranchissement : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.";

/// A piece of the statement as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Block {
    Heading(String),
    Paragraph(String),
    List(Vec<String>),
}

/// The statement's text read into blocks.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut blocks = vec![];
    let mut paragraph: Vec<&str> = vec![];
    let mut list: Vec<String> = vec![];
    let flush = |blocks: &mut Vec<Block>, paragraph: &mut Vec<&str>, list: &mut Vec<String>| {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(paragraph.join(" ")));
            paragraph.clear();
        }
        if !list.is_empty() {
            blocks.push(Block::List(std::mem::take(list)));
        }
    };
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            flush(&mut blocks, &mut paragraph, &mut list);
        } else if let Some(heading) = line.strip_prefix("## ") {
            flush(&mut blocks, &mut paragraph, &mut list);
            blocks.push(Block::Heading(heading.trim().to_owned()));
        } else if let Some(item) = line.strip_prefix("- ") {
            if !paragraph.is_empty() {
                flush(&mut blocks, &mut paragraph, &mut list);
            }
            list.push(item.trim().to_owned());
        } else {
            if !list.is_empty() {
                flush(&mut blocks, &mut paragraph, &mut list);
            }
            paragraph.push(line);
        }
    }
    flush(&mut blocks, &mut paragraph, &mut list);
    blocks
}

/// The text as it will be kept (line endings unified, trimmed), or why it cannot be.
pub fn checked(text: &str) -> Result<String, &'static str> {
    let text = text.replace("\r\n", "\n").trim().to_owned();
    if text.is_empty() {
        return Err("Saisissez le texte de la déclaration d'accessibilité.");
    }
    if text.chars().count() > MAX_CHARS {
        return Err("La déclaration dépasse 20 000 caractères : raccourcissez-la.");
    }
    if !blocks(&text).iter().any(|block| matches!(block, Block::Heading(_))) {
        return Err("Gardez au moins un intertitre (une ligne commençant par « ## »), par exemple « ## État de conformité ».");
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_read_into_headings_paragraphs_and_lists() {
        let text = "Intro sur\ndeux lignes.\n\n## Titre\nUn paragraphe.\n- un\n- deux\nAprès la liste.\n\n<script>alert(1)</script>";
        assert_eq!(
            blocks(text),
            vec![
                Block::Paragraph("Intro sur deux lignes.".into()),
                Block::Heading("Titre".into()),
                Block::Paragraph("Un paragraphe.".into()),
                Block::List(vec!["un".into(), "deux".into()]),
                Block::Paragraph("Après la liste.".into()),
                Block::Paragraph("<script>alert(1)</script>".into()),
            ]
        );
    }

    #[test]
    fn the_default_statement_names_its_conformity_and_the_defenseur_des_droits() {
        let blocks = blocks(DEFAULT_STATEMENT);
        assert!(blocks.contains(&Block::Heading("État de conformité".into())));
        assert!(blocks.contains(&Block::Heading("Voies de recours".into())));
        assert!(DEFAULT_STATEMENT.contains("Défenseur des droits"));
        assert_eq!(checked(DEFAULT_STATEMENT).as_deref(), Ok(DEFAULT_STATEMENT));
    }

    #[test]
    fn an_empty_a_headless_or_an_endless_statement_is_refused() {
        assert!(checked("  \r\n ").is_err());
        assert!(checked("Pas d'intertitre.").is_err());
        assert!(checked(&format!("## Titre\n{}", "a".repeat(MAX_CHARS))).is_err());
        assert_eq!(checked("## Titre\r\nTexte.\r\n").as_deref(), Ok("## Titre\nTexte."));
    }
}
