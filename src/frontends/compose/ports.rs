//! Published ports in Compose's short syntax (`[[HOST_IP:]PUBLISHED:]TARGET[/PROTOCOL]`, IPv6 host
//! IPs in brackets, `${VAR:-default}` parts) and long syntax (`target:`, `published:`, `host_ip:`),
//! keeping a host IP that interpolation cannot know so a `.env` can resolve it later.

use crate::frontends::compose::nodes::first_pair_span;
use crate::model::store::Port;
use crate::source::Span;
use crate::syntax::interp::with_defaults;
use crate::syntax::yaml::Node;

pub(super) fn port_of(item: &Node) -> Option<Port> {
    if let Some(s) = item.as_str() {
        return short_port(s, item.span);
    }
    let target = item.get_str("target")?.to_string();
    let published = item.get_str("published").map(str::to_string);
    let raw_ip = item.get_str("host_ip");
    let host_ip = raw_ip.and_then(with_defaults);
    let unknown = raw_ip.is_some() && host_ip.is_none();
    Some(Port {
        host_ip_unknown: unknown,
        host_ip_raw: raw_ip.filter(|_| unknown).map(str::to_string),
        host_ip: host_ip.filter(|ip| !ip.is_empty()),
        published,
        target,
        span: first_pair_span(item),
    })
}

/// `[[HOST_IP:]PUBLISHED:]TARGET[/PROTOCOL]`, IPv6 host IPs in brackets.
pub(super) fn short_port(raw: &str, span: Span) -> Option<Port> {
    let resolved = with_defaults(raw);
    let unknown = resolved.is_none();
    let s = resolved.unwrap_or_else(|| raw.to_string());
    let s = s.split('/').next().unwrap_or(&s).trim();
    let (ip, rest) = if let Some(r) = s.strip_prefix('[') {
        let (ip, rest) = r.split_once(']')?;
        (Some(ip.to_string()), rest.trim_start_matches(':'))
    } else {
        (None, s)
    };
    let parts: Vec<&str> = rest.rsplitn(3, ':').collect();
    let (ip, published, target) = match parts.as_slice() {
        [target] => (ip, None, *target),
        [target, published] => (ip, Some(*published), *target),
        [target, published, host] => (Some(host.to_string()), Some(*published), *target),
        _ => return None,
    };
    // Which part is unknown matters: only an unknown host IP hides where the port is published.
    let pieces: Vec<&str> = raw.rsplitn(3, ':').collect();
    let ip_unknown = unknown && pieces.len() == 3 && with_defaults(pieces[2]).is_none();
    Some(Port {
        host_ip: ip.filter(|i| !i.is_empty()),
        host_ip_unknown: ip_unknown,
        host_ip_raw: ip_unknown.then(|| pieces[2].to_string()),
        published: published.map(str::to_string),
        target: target.to_string(),
        span,
    })
}
