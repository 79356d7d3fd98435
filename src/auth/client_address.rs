//! Who is on the other end of a request, for the sign-in rate limits.
//!
//! Directly, that is the peer of the TCP connection. Behind a reverse proxy
//! every request comes from the proxy, and counting failures per peer would
//! lock everyone out together; the proxy says who it forwards for in
//! `X-Forwarded-For`. That header is believed only when the peer is one of
//! the proxies named in `PORTOLAN_TRUSTED_PROXIES`: anyone else could
//! write any address into it and never be counted.

use axum::extract::ConnectInfo;
use axum::http::{Extensions, HeaderMap};
use std::net::{IpAddr, SocketAddr};

/// An address or a CIDR block (`10.0.0.0/8`, `fd00::/8`, `127.0.0.1`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Network {
    base: IpAddr,
    prefix: u8,
}

impl Network {
    pub fn parse(text: &str) -> Result<Network, String> {
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (text, None),
        };
        let base: IpAddr = addr.parse().map_err(|_| {
            format!("`{text}` is not an IP address or a CIDR block such as 10.0.0.0/8")
        })?;
        let max = if base.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("`{text}`: the prefix length must be 0 to {max}"))?,
        };
        Ok(Network { base, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            // An IPv4 client seen through an IPv6 socket.
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
            v4 => v4,
        };
        let bits = |ip: IpAddr| -> u128 {
            match ip {
                IpAddr::V4(v4) => u32::from(v4) as u128,
                IpAddr::V6(v6) => u128::from(v6),
            }
        };
        if ip.is_ipv4() != self.base.is_ipv4() {
            return false;
        }
        let width = if ip.is_ipv4() { 32 } else { 128 };
        if self.prefix == 0 {
            return true;
        }
        let shift = width - self.prefix as u32;
        bits(ip) >> shift == bits(self.base) >> shift
    }
}

/// `PORTOLAN_TRUSTED_PROXIES`: comma- or space-separated addresses and blocks.
pub fn parse_trusted_proxies(text: &str) -> Result<Vec<Network>, String> {
    text.split([',', ' '])
        .filter(|s| !s.trim().is_empty())
        .map(Network::parse)
        .collect()
}

/// The client's address: the connection's peer, or, when the peer is a
/// trusted proxy, the nearest address in `X-Forwarded-For` that is not one
/// (read from the right, where each proxy appends whom it heard from).
pub fn client_address(extensions: &Extensions, headers: &HeaderMap, trusted: &[Network]) -> String {
    let Some(peer) = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| a.ip())
    else {
        return "local".into();
    };
    let is_trusted = |ip: IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(peer) {
        return peer.to_string();
    }
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    // From the right: each trusted proxy appended whom it heard from. The
    // first entry that is not a trusted proxy is the client, written by
    // the nearest proxy we trust; an entry that is no address (a proxy
    // that writes `ip:port`, or garbage) counts as that client too, never
    // as a reason to read further left, where the client writes.
    let mut client = peer.to_string();
    for entry in forwarded.iter().rev() {
        match parse_entry(entry) {
            Some(ip) if is_trusted(ip) => client = ip.to_string(),
            Some(ip) => return ip.to_string(),
            None => return (*entry).to_string(),
        }
    }
    client
}

/// An `X-Forwarded-For` entry's address: `1.2.3.4`, `1.2.3.4:5678`,
/// `2001:db8::1` or `[2001:db8::1]:5678`.
fn parse_entry(entry: &str) -> Option<IpAddr> {
    if let Ok(ip) = entry.parse() {
        return Some(ip);
    }
    if let Ok(socket) = entry.parse::<SocketAddr>() {
        return Some(socket.ip());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn from(peer: &str, forwarded: Option<&'static str>, trusted: &str) -> String {
        let mut extensions = Extensions::new();
        extensions.insert(ConnectInfo(SocketAddr::new(peer.parse().unwrap(), 4000)));
        let mut headers = HeaderMap::new();
        if let Some(f) = forwarded {
            headers.insert("x-forwarded-for", HeaderValue::from_static(f));
        }
        client_address(
            &extensions,
            &headers,
            &parse_trusted_proxies(trusted).unwrap(),
        )
    }

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        // No proxy configured: the header is anyone's to write.
        assert_eq!(from("203.0.113.9", Some("1.2.3.4"), ""), "203.0.113.9");
        // Behind the proxy: the client it forwards for.
        assert_eq!(
            from("10.0.0.2", Some("198.51.100.7"), "10.0.0.0/8"),
            "198.51.100.7"
        );
        // A client's own forged entry sits left of what the proxy appended.
        assert_eq!(
            from("10.0.0.2", Some("6.6.6.6, 198.51.100.7"), "10.0.0.0/8"),
            "198.51.100.7"
        );
        // Two proxies in a row.
        assert_eq!(
            from("10.0.0.2", Some("198.51.100.7, 10.0.0.9"), "10.0.0.0/8"),
            "198.51.100.7"
        );
        // A peer outside the trusted block is itself the client.
        assert_eq!(
            from("192.0.2.1", Some("198.51.100.7"), "10.0.0.0/8"),
            "192.0.2.1"
        );
        // The proxy sent nothing usable: the proxy's address it is.
        assert_eq!(from("10.0.0.2", None, "10.0.0.2"), "10.0.0.2");
        assert_eq!(
            from("::ffff:10.0.0.2", Some("2001:db8::1"), "10.0.0.0/8"),
            "2001:db8::1"
        );
        // Ports are read off; what is no address is the client as given,
        // never a reason to believe the client-written entries left of it.
        let t = "10.0.0.0/8";
        assert_eq!(
            from("10.0.0.2", Some("6.6.6.6, 198.51.100.7:4711"), t),
            "198.51.100.7"
        );
        assert_eq!(
            from("10.0.0.2", Some("6.6.6.6, [2001:db8::7]:443"), t),
            "2001:db8::7"
        );
        assert_eq!(from("10.0.0.2", Some("6.6.6.6, unknown"), t), "unknown");
        // Every entry a trusted proxy: the leftmost of them, not a client's.
        assert_eq!(from("10.0.0.2", Some("10.0.0.7, 10.0.0.9"), t), "10.0.0.7");
    }

    #[test]
    fn networks_parse_and_match() {
        let n = Network::parse("192.168.0.0/16").unwrap();
        assert!(n.contains("192.168.4.5".parse().unwrap()));
        assert!(!n.contains("192.169.0.1".parse().unwrap()));
        assert!(Network::parse("fd00::/8")
            .unwrap()
            .contains("fd12::1".parse().unwrap()));
        assert!(Network::parse("0.0.0.0/0")
            .unwrap()
            .contains("8.8.8.8".parse().unwrap()));
        assert!(Network::parse("10.0.0.0/33")
            .unwrap_err()
            .contains("0 to 32"));
        assert!(Network::parse("proxy.local")
            .unwrap_err()
            .contains("not an IP"));
    }
}
