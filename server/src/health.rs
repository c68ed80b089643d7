//! `server healthcheck`: asks the running server's `/healthz` and exits 0 on a 200, 1
//! otherwise. For a container's health check, where there is no curl (the image holds
//! the binary and the site, nothing else).

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream};
use std::time::Duration;

/// The address a server listening on `listen` answers on from this machine: an
/// unspecified address (`0.0.0.0`, `::`) becomes loopback.
pub fn local_address(listen: SocketAddr) -> SocketAddr {
    match listen.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), listen.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), listen.port())
        }
        _ => listen,
    }
}

/// `GET /healthz` at `address` within `limit`: `Ok` for a 200, else what came back.
pub fn probe(address: SocketAddr, limit: Duration) -> Result<(), String> {
    let mut stream = TcpStream::connect_timeout(&address, limit)
        .map_err(|e| format!("cannot reach the server on {address}: {e}"))?;
    stream.set_read_timeout(Some(limit)).ok();
    stream.set_write_timeout(Some(limit)).ok();
    stream
        .write_all(b"GET /healthz HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .map_err(|e| format!("sending to {address}: {e}"))?;
    let mut answer = Vec::new();
    stream
        .take(4096)
        .read_to_end(&mut answer)
        .map_err(|e| format!("reading from {address}: {e}"))?;
    let answer = String::from_utf8_lossy(&answer);
    let status_line = answer.lines().next().unwrap_or_default();
    match status_line.split(' ').nth(1) {
        Some("200") => Ok(()),
        _ => Err(format!("/healthz on {address}: {status_line:?}")),
    }
}
