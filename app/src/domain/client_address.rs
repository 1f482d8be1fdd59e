//! Which address a request comes from, for throttling and the audit log: the peer's, unless the peer is a proxy
//! the deployment trusts (`TRUSTED_PROXIES`), in which case the last address that proxy chain received it from.

use std::net::IpAddr;

/// The client's address: `peer` itself when it is not a trusted proxy (a forged `X-Forwarded-For` from a client
/// counts for nothing); otherwise the right-most address of `forwarded_for` that is not a trusted proxy.
pub fn client_address(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let Some(header) = forwarded_for else { return peer };
    let mut hops = header.rsplit(',').map(str::trim);
    let mut last = peer;
    for hop in &mut hops {
        match hop.parse::<IpAddr>() {
            Ok(address) if trusted.contains(&address) => last = address,
            Ok(address) => return address,
            // A malformed entry: nothing left of it can be trusted; keep the last proxy's address.
            Err(_) => return last,
        }
    }
    last
}

/// Parses `TRUSTED_PROXIES`: addresses separated by commas or spaces; what does not parse is named.
pub fn parse_trusted(list: &str) -> Result<Vec<IpAddr>, String> {
    list.split([',', ' ']).filter(|s| !s.trim().is_empty()).map(|s| s.trim().parse::<IpAddr>().map_err(|_| s.trim().to_owned())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("test address")
    }

    #[test]
    fn the_forwarded_address_counts_only_behind_a_trusted_proxy() {
        let proxy = ip("10.0.0.2");
        let trusted = [proxy];
        let table = [
            // A client that forges the header is still itself.
            ("203.0.113.9", Some("198.51.100.1"), "203.0.113.9"),
            ("10.0.0.2", Some("198.51.100.7"), "198.51.100.7"),
            // The client prepended a fake hop: the proxy appended the real one, right-most.
            ("10.0.0.2", Some("1.2.3.4, 198.51.100.7"), "198.51.100.7"),
            ("10.0.0.2", Some("198.51.100.7, 10.0.0.2"), "198.51.100.7"),
            ("10.0.0.2", None, "10.0.0.2"),
            ("10.0.0.2", Some("pas-une-adresse"), "10.0.0.2"),
        ];
        for (peer, header, expected) in table {
            assert_eq!(client_address(ip(peer), header, &trusted), ip(expected), "{peer} {header:?}");
        }
        assert_eq!(client_address(proxy, Some("198.51.100.7"), &[]), proxy, "nothing trusted by default");
    }

    proptest::proptest! {
        #[test]
        fn any_forwarded_header_gives_the_peer_or_an_address_it_names(header in "\\PC*|.*", list in "\\PC*") {
            let peer = ip("10.0.0.2");
            let found = client_address(peer, Some(&header), &[peer]);
            proptest::prop_assert!(found == peer || header.split(',').any(|hop| hop.trim().parse::<IpAddr>().ok() == Some(found)));
            let _ = parse_trusted(&list);
        }
    }

    #[test]
    fn trusted_proxies_are_read_from_a_list() {
        assert_eq!(parse_trusted("10.0.0.2, ::1").expect("valid"), vec![ip("10.0.0.2"), ip("::1")]);
        assert_eq!(parse_trusted("").expect("empty"), Vec::<IpAddr>::new());
        assert_eq!(parse_trusted("10.0.0.2,proxy"), Err("proxy".to_owned()));
    }
}
