//! Who is at the other end: the socket's peer address, or, when that peer is a proxy we
//! trust, the first address in its `X-Forwarded-For` that is not one of ours (read from
//! the right, since everything left of our own proxies' entries is the client's to write).

use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRef, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use serde::Deserialize;

/// Entries of `X-Forwarded-For` looked at, from the right: more than any chain of proxies.
const MAX_HOPS: usize = 32;

/// An address block, `10.0.0.0/8` or `2001:db8::/32` (a bare address is a block of one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl IpNet {
    /// Reads `ADDR` or `ADDR/PREFIX`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| format!("`{text}` is not an IP address or CIDR block"))?;
        let addr = canonical(addr);
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("`{text}` has a bad prefix length"))?,
        };
        Ok(Self { addr, prefix })
    }

    /// Whether `ip` is in the block.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// The proxies whose `X-Forwarded-For` is believed (the `trusted_proxies` setting: a list,
/// or one string of addresses and blocks separated by commas or spaces).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(try_from = "ProxyList")]
pub struct TrustedProxies(Vec<IpNet>);

#[derive(Deserialize)]
#[serde(untagged)]
enum ProxyList {
    One(String),
    Many(Vec<String>),
}

impl TryFrom<ProxyList> for TrustedProxies {
    type Error = String;

    fn try_from(list: ProxyList) -> Result<Self, String> {
        let items: Vec<String> = match list {
            ProxyList::One(s) => s
                .split([',', ' '])
                .filter(|s| !s.trim().is_empty())
                .map(str::to_owned)
                .collect(),
            ProxyList::Many(v) => v,
        };
        items
            .iter()
            .map(|s| IpNet::parse(s))
            .collect::<Result<_, _>>()
            .map(Self)
    }
}

impl TrustedProxies {
    /// These blocks.
    pub fn new(nets: Vec<IpNet>) -> Self {
        Self(nets)
    }

    /// Whether `ip` is one of our proxies.
    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(ip))
    }
}

/// The client's address: `peer` itself unless it is a trusted proxy; then, walking
/// `X-Forwarded-For` from the right, the first entry that is not a trusted proxy (or the
/// last trusted one, when an entry cannot be read or the list runs out).
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &TrustedProxies) -> IpAddr {
    let mut client = canonical(peer);
    if !trusted.contains(client) {
        return client;
    }
    let values: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    let hops = values.iter().rev().flat_map(|v| v.rsplit(','));
    for hop in hops.take(MAX_HOPS) {
        let Some(ip) = parse_hop(hop) else {
            return client;
        };
        client = ip;
        if !trusted.contains(ip) {
            return ip;
        }
    }
    client
}

/// One entry: an address, maybe with a port (`203.0.113.7:4711`, `[2001:db8::1]:443`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .map(canonical)
}

/// IPv4 addresses written as IPv6 (`::ffff:203.0.113.7`) are the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The client's address as a handler argument (needs the server to be run with
/// `into_make_service_with_connect_info`; without it every peer reads as `0.0.0.0`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl<S> FromRequestParts<S> for ClientIp
where
    S: Send + Sync,
    Arc<TrustedProxies>: FromRef<S>,
{
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Infallible> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
        let trusted = Arc::<TrustedProxies>::from_ref(state);
        Ok(Self(client_ip(peer, &parts.headers, &trusted)))
    }
}

/// The bucket name of an address: IPv6 clients get a /64 each (what one subscriber is
/// given), so that one cannot pass as billions of clients.
pub fn bucket_of(ip: IpAddr) -> String {
    match canonical(ip) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            let net = Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
            format!("{net}/64")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    fn trusted(list: &[&str]) -> TrustedProxies {
        TrustedProxies(list.iter().map(|s| IpNet::parse(s).unwrap()).collect())
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peers_forwarded_for_is_ignored() {
        let h = headers(&["198.51.100.1"]);
        assert_eq!(
            client_ip(ip("203.0.113.9"), &h, &trusted(&[])),
            ip("203.0.113.9")
        );
        assert_eq!(
            client_ip(ip("203.0.113.9"), &h, &trusted(&["10.0.0.0/8"])),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn a_trusted_peer_gives_the_first_untrusted_hop_from_the_right() {
        let t = trusted(&["10.0.0.0/8", "127.0.0.1"]);
        // The client wrote the first entry itself; our proxies appended the rest.
        let h = headers(&["6.6.6.6, 198.51.100.7", "10.1.2.3"]);
        assert_eq!(client_ip(ip("127.0.0.1"), &h, &t), ip("198.51.100.7"));
        // Every hop ours: the leftmost.
        let h = headers(&["10.0.0.9, 10.0.0.8"]);
        assert_eq!(client_ip(ip("127.0.0.1"), &h, &t), ip("10.0.0.9"));
        // No header: the proxy itself.
        assert_eq!(
            client_ip(ip("127.0.0.1"), &HeaderMap::new(), &t),
            ip("127.0.0.1")
        );
        // An unreadable hop stops the walk at the last trusted one.
        let h = headers(&["198.51.100.7, garbage, 10.0.0.8"]);
        assert_eq!(client_ip(ip("127.0.0.1"), &h, &t), ip("10.0.0.8"));
        // Ports and mapped addresses.
        let h = headers(&["[2001:db8::1]:443, ::ffff:198.51.100.8"]);
        assert_eq!(
            client_ip(ip("::ffff:127.0.0.1"), &h, &t),
            ip("198.51.100.8")
        );
    }

    #[test]
    fn blocks_match_by_prefix_and_bad_ones_are_refused() {
        let net = IpNet::parse("2001:db8::/32").unwrap();
        assert!(net.contains(ip("2001:db8:ffff::1")));
        assert!(!net.contains(ip("2001:db9::1")));
        assert!(IpNet::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        for bad in ["10.0.0.0/33", "nonsense", "10.0.0.0/x", ""] {
            assert!(IpNet::parse(bad).is_err(), "{bad}");
        }
        let list: TrustedProxies =
            serde_json::from_value(serde_json::json!("10.0.0.1, 192.168.0.0/16")).unwrap();
        assert!(list.contains(ip("192.168.4.4")));
        assert!(serde_json::from_value::<TrustedProxies>(serde_json::json!(["x"])).is_err());
    }

    #[test]
    fn ipv6_clients_share_a_bucket_per_64() {
        assert_eq!(bucket_of(ip("2001:db8:1:2:3:4:5:6")), "2001:db8:1:2::/64");
        assert_eq!(bucket_of(ip("::ffff:203.0.113.9")), "203.0.113.9");
    }
}
