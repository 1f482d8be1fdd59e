//! The rules of the caisse's API tokens: what a token may do (its scopes), how long it lives, which client
//! addresses may use it, what a token looks like and how many calls a minute it is allowed.

use super::coded::coded;
use std::net::IpAddr;

coded!(
    /// What one token may do through `/api/v1`.
    Scope {
        /// List and read the caisse's requests (without internal notes), download their files.
        RequestsRead => "requests:read", "Lire les demandes",
        /// Act on the caisse's requests: take, assign, ask the partner, reply, note, close.
        RequestsWrite => "requests:write", "Traiter les demandes",
        /// Read the internal notes of a request's thread too.
        NotesRead => "notes:read", "Lire les notes internes",
        /// List the caisse's appointments.
        AppointmentsRead => "appointments:read", "Lire les rendez-vous",
        /// List the partner structures and their conventions.
        StructuresRead => "structures:read", "Lire les structures partenaires",
    }
);

/// Every token starts with this, so a leaked one is recognised by secret scanners and by people.
pub const TOKEN_PREFIX: &str = "ep_live_";
/// How many characters of a token are kept in clear to tell tokens apart in lists (the prefix and a few more).
pub const SHOWN_PREFIX_LEN: usize = TOKEN_PREFIX.len() + 6;
/// The longest life of a token, in days.
pub const MAX_DAYS: i64 = 365;
/// The calls one token may make in a minute by default (`API_CALLS_PER_MINUTE`); beyond, `429` with `Retry-After`.
pub const CALLS_PER_MINUTE: u32 = 600;
/// The longest token name.
pub const NAME_MAX: usize = 80;

/// Why a list of scopes, a life or a list of addresses was refused, in French for the field it came from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenRuleError {
    #[error("Choisissez au moins un droit.")]
    NoScope,
    #[error("Droit inconnu : « {0} ».")]
    UnknownScope(String),
    #[error("La durée de validité va de 1 à {MAX_DAYS} jours.")]
    Days,
    #[error("Adresse non reconnue : « {0} » (une adresse IP ou un réseau comme 192.0.2.0/24).")]
    Address(String),
}

/// The scopes of a comma-separated list (`requests:read,requests:write`), each once, in the order of [`Scope::ALL`].
pub fn parse_scopes(list: &str) -> Result<Vec<Scope>, TokenRuleError> {
    let mut scopes = Vec::new();
    for code in list.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        let scope = Scope::parse(code).map_err(|_| TokenRuleError::UnknownScope(code.to_owned()))?;
        if !scopes.contains(&scope) {
            scopes.push(scope);
        }
    }
    if scopes.is_empty() {
        return Err(TokenRuleError::NoScope);
    }
    scopes.sort_by_key(|s| Scope::ALL.iter().position(|a| a == s));
    Ok(scopes)
}

/// How a list of scopes is stored: their codes, comma-separated.
pub fn scopes_code(scopes: &[Scope]) -> String {
    scopes.iter().map(|s| s.code()).collect::<Vec<_>>().join(",")
}

/// A token's life in days, from what was typed: 1 to [`MAX_DAYS`].
pub fn parse_days(typed: &str) -> Result<i64, TokenRuleError> {
    typed.trim().parse::<i64>().ok().filter(|d| (1..=MAX_DAYS).contains(d)).ok_or(TokenRuleError::Days)
}

/// One allowed client address: an address, or a network in CIDR notation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AllowedNetwork {
    address: IpAddr,
    prefix: u8,
}

impl AllowedNetwork {
    pub fn parse(typed: &str) -> Result<AllowedNetwork, TokenRuleError> {
        let refused = || TokenRuleError::Address(typed.to_owned());
        let (address, prefix) = match typed.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (typed, None),
        };
        let address: IpAddr = address.trim().parse().map_err(|_| refused())?;
        let max = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(prefix) => prefix.trim().parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(refused)?,
            None => max,
        };
        Ok(AllowedNetwork { address, prefix })
    }

    /// Whether `ip` lies in this network (an IPv4 address seen as IPv6-mapped counts as itself).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
            v4 => v4,
        };
        match (self.address, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = if self.prefix == 0 { 0 } else { u32::MAX << (32 - u32::from(self.prefix)) };
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = if self.prefix == 0 { 0 } else { u128::MAX << (128 - u32::from(self.prefix)) };
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl std::fmt::Display for AllowedNetwork {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let max = if self.address.is_ipv4() { 32 } else { 128 };
        if self.prefix == max { write!(f, "{}", self.address) } else { write!(f, "{}/{}", self.address, self.prefix) }
    }
}

/// The allowed addresses of a list separated by commas, spaces or lines; empty means any address.
pub fn parse_networks(typed: &str) -> Result<Vec<AllowedNetwork>, TokenRuleError> {
    typed.split([',', ' ', '\n', '\r', ';']).map(str::trim).filter(|t| !t.is_empty()).map(AllowedNetwork::parse).collect()
}

/// Whether a client at `ip` may use a token restricted to `networks` (none: any address).
pub fn address_allowed(networks: &[AllowedNetwork], ip: IpAddr) -> bool {
    networks.is_empty() || networks.iter().any(|n| n.contains(ip))
}

/// Whether `presented` has a token's shape (prefix and 48 lowercase hex digits): anything else is refused before
/// any lookup.
pub fn looks_like_token(presented: &str) -> bool {
    presented
        .strip_prefix(TOKEN_PREFIX)
        .is_some_and(|rest| rest.len() == 48 && rest.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
}

/// A fixed-window counter's verdict for one call: allowed, or refused with the seconds until the next window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateVerdict {
    Allowed { remaining: u32 },
    Refused { retry_after: u32 },
}

/// The verdict for one more call when `used` of the `allowed` calls were made in the minute that started
/// `elapsed_seconds` ago.
pub fn rate_verdict(used: u32, allowed: u32, elapsed_seconds: u32) -> RateVerdict {
    if used < allowed {
        RateVerdict::Allowed { remaining: allowed - used - 1 }
    } else {
        RateVerdict::Refused { retry_after: 60u32.saturating_sub(elapsed_seconds).max(1) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_read_once_each_in_a_stable_order_and_unknown_ones_are_named() {
        assert_eq!(parse_scopes("requests:write, requests:read,requests:write"), Ok(vec![Scope::RequestsRead, Scope::RequestsWrite]));
        assert_eq!(parse_scopes(" , "), Err(TokenRuleError::NoScope));
        assert_eq!(parse_scopes("requests:read,admin"), Err(TokenRuleError::UnknownScope("admin".to_owned())));
        assert_eq!(scopes_code(&[Scope::RequestsRead, Scope::NotesRead]), "requests:read,notes:read");
        for scope in Scope::ALL {
            assert_eq!(parse_scopes(scope.code()), Ok(vec![scope]));
        }
    }

    #[test]
    fn a_token_lives_one_day_to_a_year() {
        assert_eq!(parse_days("30"), Ok(30));
        assert_eq!(parse_days(" 365 "), Ok(365));
        for refused in ["0", "366", "-1", "", "un an", "1.5"] {
            assert_eq!(parse_days(refused), Err(TokenRuleError::Days), "{refused}");
        }
    }

    #[test]
    fn allowed_networks_match_their_addresses_only() {
        let nets = parse_networks("192.0.2.0/24, 2001:db8::1\n10.1.2.3").expect("read");
        assert_eq!(nets.len(), 3);
        assert!(address_allowed(&nets, "192.0.2.77".parse().expect("ip")));
        assert!(address_allowed(&nets, "::ffff:192.0.2.9".parse().expect("ip")), "an IPv4-mapped address is itself");
        assert!(address_allowed(&nets, "10.1.2.3".parse().expect("ip")));
        assert!(!address_allowed(&nets, "10.1.2.4".parse().expect("ip")));
        assert!(!address_allowed(&nets, "192.0.3.1".parse().expect("ip")));
        assert!(address_allowed(&nets, "2001:db8::1".parse().expect("ip")));
        assert!(!address_allowed(&nets, "2001:db8::2".parse().expect("ip")));
        assert!(address_allowed(&[], "203.0.113.5".parse().expect("ip")), "no list: any address");
        assert_eq!(nets[0].to_string(), "192.0.2.0/24");
        assert_eq!(nets[2].to_string(), "10.1.2.3");
        assert_eq!(parse_networks("192.0.2.0/33"), Err(TokenRuleError::Address("192.0.2.0/33".to_owned())));
        assert_eq!(parse_networks("intranet"), Err(TokenRuleError::Address("intranet".to_owned())));
        assert!(parse_networks("0.0.0.0/0").expect("read")[0].contains("8.8.8.8".parse().expect("ip")));
    }

    #[test]
    fn only_a_token_shaped_string_is_looked_up() {
        let token = format!("{TOKEN_PREFIX}{}", "0123456789abcdef".repeat(3));
        assert!(looks_like_token(&token));
        assert!(!looks_like_token(&token.to_uppercase()));
        assert!(!looks_like_token(&token[..token.len() - 1]));
        assert!(!looks_like_token("ep_test_0123"));
        assert!(!looks_like_token(""));
    }

    #[test]
    fn the_six_hundred_and_first_call_of_a_minute_waits_for_the_next() {
        let allowed = CALLS_PER_MINUTE;
        assert_eq!(rate_verdict(0, allowed, 0), RateVerdict::Allowed { remaining: allowed - 1 });
        assert_eq!(rate_verdict(allowed - 1, allowed, 10), RateVerdict::Allowed { remaining: 0 });
        assert_eq!(rate_verdict(allowed, allowed, 15), RateVerdict::Refused { retry_after: 45 });
        assert_eq!(rate_verdict(allowed, allowed, 60), RateVerdict::Refused { retry_after: 1 });
        assert_eq!(rate_verdict(3, 3, 0), RateVerdict::Refused { retry_after: 60 });
    }
}
