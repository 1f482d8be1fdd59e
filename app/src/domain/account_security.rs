//! What the security page (`/compte/securite`) shows of a session: the browser family and an approximate address,
//! enough for a person to recognise their own devices without the page keeping a precise trace of them.

use std::net::IpAddr;

/// The browser family and system a `User-Agent` names, in French (« Firefox sous Windows »).
pub fn browser_family(user_agent: &str) -> String {
    // Order matters: Edge and Opera also say « Chrome », Chrome also says « Safari ».
    let browser =
        [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Chromium/", "Chromium"), ("Safari/", "Safari")]
            .iter()
            .find(|(mark, _)| user_agent.contains(mark))
            .map_or("Navigateur inconnu", |(_, name)| name);
    let system = [("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iPadOS"), ("Windows", "Windows"), ("Mac OS X", "macOS"), ("Linux", "Linux")]
        .iter()
        .find(|(mark, _)| user_agent.contains(mark))
        .map(|(_, name)| *name);
    match system {
        Some(system) => format!("{browser} sous {system}"),
        None => browser.to_owned(),
    }
}

/// An address with its last part hidden: the network a session came from, not the machine.
pub fn approximate_address(ip: &str) -> String {
    match ip.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => {
            let [a, b, c, _] = v4.octets();
            format!("{a}.{b}.{c}.x")
        }
        Ok(IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
        }
        Err(_) => "adresse inconnue".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsers_are_named_by_family_and_system() {
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36 Edg/140.0";
        let firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
        let safari =
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1";
        assert_eq!(browser_family(chrome), "Chrome sous Linux");
        assert_eq!(browser_family(edge), "Edge sous Windows");
        assert_eq!(browser_family(firefox), "Firefox sous Windows");
        assert_eq!(browser_family(safari), "Safari sous iOS");
        assert_eq!(browser_family("curl/8.0"), "Navigateur inconnu");
    }

    #[test]
    fn addresses_lose_their_last_part() {
        assert_eq!(approximate_address("192.168.10.27"), "192.168.10.x");
        assert_eq!(approximate_address("2001:db8:85a3:8d3:1319:8a2e:370:7348"), "2001:db8:85a3::/48");
        assert_eq!(approximate_address(""), "adresse inconnue");
    }
}
