//! Which role may enter which part of the site: the one rule both the router guard and the pages use.

use super::role::Role;
use serde::{Deserialize, Serialize};

/// A part of the site reserved to one role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Area {
    Partner,
    Caisse,
    Admin,
}

impl Area {
    pub const ALL: [Area; 3] = [Area::Partner, Area::Caisse, Area::Admin];

    /// The URL prefix under which every page of the area lives.
    pub fn prefix(self) -> &'static str {
        match self {
            Area::Partner => "/partenaire",
            Area::Caisse => "/caisse",
            Area::Admin => "/admin",
        }
    }

    /// The reserved area a path belongs to; `None` for public pages (sign-in, errors, assets).
    pub fn of_path(path: &str) -> Option<Area> {
        Area::ALL.into_iter().find(|area| {
            let prefix = area.prefix();
            path == prefix || path.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/'))
        })
    }

    /// The only role that works in this area.
    pub fn role(self) -> Role {
        match self {
            Area::Partner => Role::PartnerAgent,
            Area::Caisse => Role::CaisseAgent,
            Area::Admin => Role::Admin,
        }
    }
}

/// What happens to a visitor asking for a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
    /// Public page, or the visitor's own area.
    Enter,
    /// Reserved page and nobody signed in: go and sign in first.
    SignInFirst,
    /// Signed in, but the page belongs to another role.
    Forbidden,
}

/// Pages of one's own account (`/compte/…`), open to every signed-in role; account activation is the one
/// reached before having a password.
fn own_account_page(path: &str) -> bool {
    path.starts_with("/compte/") && path != "/compte/activer"
}

/// The caisse's statistics: in the caisse's area, open to its admins as well (and to national admins).
pub const CAISSE_STATISTICS: &str = "/caisse/statistiques";

/// The statistics page and its downloads (`/caisse/statistiques.csv`…).
fn statistics_page(path: &str) -> bool {
    path.strip_prefix(CAISSE_STATISTICS).is_some_and(|rest| rest.is_empty() || (rest.starts_with('.') && !rest.contains('/')))
}

/// Whether a role reads the caisse's statistics (the server's own check; the dashboard then scopes the figures).
pub fn may_see_caisse_statistics(role: Role) -> bool {
    matches!(role, Role::CaisseAgent | Role::Admin)
}

/// Decides admission from the path and the signed-in role (if any).
pub fn admit(path: &str, role: Option<Role>) -> Admission {
    if own_account_page(path) {
        return if role.is_some() { Admission::Enter } else { Admission::SignInFirst };
    }
    if statistics_page(path) {
        return match role {
            None => Admission::SignInFirst,
            Some(role) if may_see_caisse_statistics(role) => Admission::Enter,
            Some(_) => Admission::Forbidden,
        };
    }
    match (Area::of_path(path), role) {
        (None, _) => Admission::Enter,
        (Some(_), None) => Admission::SignInFirst,
        (Some(area), Some(role)) if area.role() == role => Admission::Enter,
        (Some(_), Some(_)) => Admission::Forbidden,
    }
}

/// Where to go after signing in: the page that asked for it (with its query string) when it is a plain path
/// inside the person's own area (never another site, never another role's page), else the role's home.
pub fn after_sign_in(requested: Option<&str>, role: Role) -> &str {
    let path_of = |address: &str| address.split(['?', '#']).next().unwrap_or_default().to_owned();
    requested
        .filter(|address| address.starts_with('/') && !address.starts_with("//") && !address.contains('\\'))
        .filter(|address| address.chars().all(|c| c.is_ascii_graphic()))
        .filter(|address| {
            let path = path_of(address);
            own_account_page(&path) || Area::of_path(&path).is_some_and(|area| area.role() == role)
        })
        .unwrap_or(role.home())
}

/// Whether a signed-in role may work in an area (server functions ask this).
pub fn may_enter(role: Role, area: Area) -> bool {
    area.role() == role
}

/// Whether an admin attached to `admin_caisse` manages what belongs to `caisse`: their own caisse's only,
/// every caisse for a national admin (no caisse).
pub fn manages(admin_caisse: Option<&str>, caisse: &str) -> bool {
    admin_caisse.is_none_or(|own| own == caisse)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caisse_agents_and_admins_read_the_statistics_and_partners_do_not() {
        for path in ["/caisse/statistiques", "/caisse/statistiques.csv"] {
            assert_eq!(admit(path, Some(Role::CaisseAgent)), Admission::Enter, "{path}");
            assert_eq!(admit(path, Some(Role::Admin)), Admission::Enter, "{path}");
            assert_eq!(admit(path, Some(Role::PartnerAgent)), Admission::Forbidden, "{path}");
            assert_eq!(admit(path, None), Admission::SignInFirst, "{path}");
        }
        // Nothing else of the caisse's area opens to admins.
        for path in ["/caisse/statistiquesx", "/caisse/statistiques/../file", "/caisse/file"] {
            assert_eq!(admit(path, Some(Role::Admin)), Admission::Forbidden, "{path}");
        }
    }

    #[test]
    fn paths_map_to_their_area_and_only_on_segment_boundaries() {
        let table = [
            ("/partenaire", Some(Area::Partner)),
            ("/partenaire/demandes", Some(Area::Partner)),
            ("/caisse/file", Some(Area::Caisse)),
            ("/admin", Some(Area::Admin)),
            ("/admin/structures/12", Some(Area::Admin)),
            ("/administration-publique", None),
            ("/caissettes", None),
            ("/login", None),
            ("/", None),
            ("/pkg/app.js", None),
        ];
        for (path, expected) in table {
            assert_eq!(Area::of_path(path), expected, "path {path}");
        }
    }

    #[test]
    fn every_role_enters_its_own_area_and_no_other() {
        for role in Role::ALL {
            for area in Area::ALL {
                let expected = if area.role() == role { Admission::Enter } else { Admission::Forbidden };
                assert_eq!(admit(area.prefix(), Some(role)), expected, "{role:?} in {area:?}");
                assert_eq!(may_enter(role, area), expected == Admission::Enter);
            }
        }
    }

    #[test]
    fn anonymous_visitors_must_sign_in_for_reserved_pages_only() {
        for area in Area::ALL {
            assert_eq!(admit(&format!("{}/x", area.prefix()), None), Admission::SignInFirst);
        }
        assert_eq!(admit("/login", None), Admission::Enter);
        assert_eq!(admit("/", None), Admission::Enter);
    }

    #[test]
    fn account_pages_are_for_every_signed_in_role_and_activation_for_anyone() {
        assert_eq!(admit("/compte/notifications", None), Admission::SignInFirst);
        for role in Role::ALL {
            assert_eq!(admit("/compte/notifications", Some(role)), Admission::Enter);
            assert_eq!(after_sign_in(Some("/compte/notifications"), role), "/compte/notifications");
        }
        assert_eq!(admit("/compte/activer", None), Admission::Enter);
    }

    #[test]
    fn after_sign_in_returns_only_to_a_page_of_ones_own_area() {
        let table = [
            (Some("/admin/structures"), Role::Admin, "/admin/structures"),
            (Some("/caisse/file?statut=nouvelle"), Role::CaisseAgent, "/caisse/file?statut=nouvelle"),
            (Some("/admin?page=2"), Role::Admin, "/admin?page=2"),
            (Some("/compte/notifications?fait=1"), Role::CaisseAgent, "/compte/notifications?fait=1"),
            (Some("/admin?page=2"), Role::CaisseAgent, "/caisse/file"),
            (Some("/admin"), Role::PartnerAgent, "/partenaire/demandes"),
            (Some("//evil.example/admin"), Role::Admin, "/admin"),
            (Some("https://evil.example/admin"), Role::Admin, "/admin"),
            (Some("/admin\\..\\x"), Role::Admin, "/admin"),
            (Some("/login"), Role::Admin, "/admin"),
            (Some(""), Role::CaisseAgent, "/caisse/file"),
            (None, Role::PartnerAgent, "/partenaire/demandes"),
        ];
        for (requested, role, expected) in table {
            assert_eq!(after_sign_in(requested, role), expected, "{requested:?} for {role:?}");
        }
    }

    #[test]
    fn each_roles_home_lies_in_its_own_area() {
        for role in Role::ALL {
            assert_eq!(admit(role.home(), Some(role)), Admission::Enter);
            assert_eq!(Area::of_path(role.home()).map(Area::role), Some(role));
        }
    }

    #[test]
    fn an_admin_manages_their_own_caisse_and_a_national_admin_every_one() {
        assert!(manages(Some("cpam91"), "cpam91"));
        assert!(!manages(Some("cpam91"), "cpam59"));
        assert!(manages(None, "cpam59"));
    }
}
