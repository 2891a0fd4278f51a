//! Turning what a user gives — a webhook URL or a portal's domain — into the endpoint methods
//! are called under, as OPI does: https when no scheme is given, a trailing `/`, and `rest/` after
//! a domain in OAuth mode. Plain http is refused except to a loopback address: a webhook URL
//! holds a secret and OAuth calls carry the token.

use std::net::IpAddr;

use reqwest::Url;

use super::Error;

/// How calls authenticate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// The secret is in the URL: `https://portal/rest/<user>/<secret>/`.
    Webhook,
    /// The token travels in the body; the URL is `https://<domain>/rest/`.
    OAuth,
}

/// The URL that method names are appended to; it ends with `/`.
pub(crate) fn endpoint(given: &str, mode: Mode) -> Result<Url, Error> {
    let given = given.trim();
    if given.is_empty() {
        return Err(Error::InvalidInput("the URL is empty".into()));
    }
    let with_scheme = if given.contains("://") {
        given.to_owned()
    } else {
        format!("https://{given}")
    };
    // The URL may hold a secret: messages name its host at most.
    let mut url = Url::parse(&with_scheme)
        .map_err(|e| Error::InvalidInput(format!("the URL does not parse: {e}")))?;
    let host = url.host_str().unwrap_or_default().to_owned();
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&host) => {}
        "http" => {
            return Err(Error::InvalidInput(format!(
                "plain http to {host} is refused: it would send the credentials unencrypted; use https"
            )));
        }
        other => {
            return Err(Error::InvalidInput(format!(
                "`{other}` URLs are not supported: use https"
            )));
        }
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::InvalidInput(format!(
            "the URL of {host} carries a user name or password, which it must not: they would be sent in clear"
        )));
    }
    url.set_query(None);
    url.set_fragment(None);
    let mut path = url.path().to_owned();
    if !path.ends_with('/') {
        path.push('/');
    }
    if mode == Mode::OAuth && !path.ends_with("/rest/") {
        path.push_str("rest/");
    }
    url.set_path(&path);
    Ok(url)
}

/// The base URL of a server: the spec's, or the one in its environment variable (for tests and
/// proxies), which replaces the scheme, host and port — and must be https, or plain http to a
/// loopback address, since such calls carry secrets.
pub(crate) fn server(server: &super::call::Server) -> Result<Url, Error> {
    let given = std::env::var(server.env)
        .ok()
        .filter(|value| !value.trim().is_empty());
    match given {
        Some(given) => on_path(replacement(&given, server.env)?, server),
        None => Url::parse(server.url)
            .map_err(|e| Error::InvalidInput(format!("the server URL does not parse: {e}"))),
    }
}

/// Another address for a server, as given (by `what`: a variable or a server's name): https,
/// or plain http to loopback.
pub(crate) fn replacement(given: &str, what: &str) -> Result<Url, Error> {
    let replacement = Url::parse(given.trim())
        .map_err(|e| Error::InvalidInput(format!("{what}: not a URL: {e}")))?;
    let host = replacement.host_str().unwrap_or_default().to_owned();
    check_scheme(&replacement, &host)?;
    if !replacement.username().is_empty() || replacement.password().is_some() {
        return Err(Error::InvalidInput(format!(
            "{what}: the URL of {host} carries a user name or password; give the address alone"
        )));
    }
    Ok(replacement)
}

/// A server's replaced address with the spec's path under it, unless it gives a path itself.
pub(crate) fn on_path(mut url: Url, server: &super::call::Server) -> Result<Url, Error> {
    let base = Url::parse(server.url)
        .map_err(|e| Error::InvalidInput(format!("the server URL does not parse: {e}")))?;
    if url.path() == "/" {
        url.set_path(base.path());
    } else if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    url.set_query(None);
    url.set_fragment(None);
    Ok(url)
}

/// Where the second step of an upload sends the file: a URL the portal gave.
pub(crate) fn upload_target(given: &str) -> Result<Url, Error> {
    let url = Url::parse(given).map_err(|e| {
        Error::InvalidInput(format!(
            "the upload URL the service gave does not parse: {e}"
        ))
    })?;
    let host = url.host_str().unwrap_or_default().to_owned();
    check_scheme(&url, &host)?;
    Ok(url)
}

fn check_scheme(url: &Url, host: &str) -> Result<(), Error> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(host) => Ok(()),
        "http" => Err(Error::InvalidInput(format!(
            "plain http to {host} is refused: it would send credentials unencrypted; use https"
        ))),
        other => Err(Error::InvalidInput(format!(
            "`{other}` URLs are not supported: use https"
        ))),
    }
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The endpoint as it may be shown: in webhook mode every path segment but `rest` and the
/// user's number is a secret.
///
/// OAuth endpoints get the same treatment: a webhook URL given with a token (say, a token left in
/// the environment) still holds its secret.
pub(crate) fn redacted(url: &Url) -> String {
    let path: Vec<&str> = url
        .path()
        .split('/')
        .map(|segment| if is_secret(segment) { "***" } else { segment })
        .collect();
    let mut shown = url.clone();
    shown.set_path(&path.join("/"));
    shown.to_string()
}

fn is_secret(segment: &str) -> bool {
    !(segment.is_empty() || segment == "rest" || segment.chars().all(|c| c.is_ascii_digit()))
}

/// The secret parts of an endpoint's path, to cut out of any text shown.
pub(crate) fn secrets(url: &Url) -> Vec<String> {
    url.path()
        .split('/')
        .filter(|segment| is_secret(segment))
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(given: &str, mode: Mode) -> String {
        endpoint(given, mode)
            .map(|u| u.to_string())
            .unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn normalizes_like_opi() {
        assert_eq!(
            ok("portal.example.com/rest/1/abc", Mode::Webhook),
            "https://portal.example.com/rest/1/abc/"
        );
        assert_eq!(
            ok("portal.example.com", Mode::OAuth),
            "https://portal.example.com/rest/"
        );
        assert_eq!(
            ok("https://portal.example.com/rest/", Mode::OAuth),
            "https://portal.example.com/rest/"
        );
        assert_eq!(
            ok("http://127.0.0.1:8080", Mode::OAuth),
            "http://127.0.0.1:8080/rest/"
        );
        assert_eq!(
            ok("http://[::1]:8080/rest/1/x/", Mode::Webhook),
            "http://[::1]:8080/rest/1/x/"
        );
        assert_eq!(
            ok("http://localhost/rest/1/x/", Mode::Webhook),
            "http://localhost/rest/1/x/"
        );
    }

    #[test]
    fn refuses_plain_http_off_loopback() {
        let error = ok("http://portal.example.com/rest/1/secret/", Mode::Webhook);
        assert!(
            error.contains("plain http to portal.example.com is refused"),
            "{error}"
        );
        assert!(!error.contains("secret"));
        assert!(ok("ftp://x", Mode::OAuth).contains("not supported"));
        assert!(ok("  ", Mode::OAuth).contains("empty"));
    }

    #[test]
    fn redacts_the_webhook_secret() {
        let url = endpoint("https://p.example.com/rest/1/s3cr3t/", Mode::Webhook).unwrap();
        assert_eq!(redacted(&url), "https://p.example.com/rest/1/***/");
        assert_eq!(secrets(&url), ["s3cr3t"]);
        // Given with a token, a webhook URL keeps its secret hidden too.
        let url = endpoint("https://p.example.com/rest/1/s3cr3t/", Mode::OAuth).unwrap();
        assert_eq!(redacted(&url), "https://p.example.com/rest/1/***/rest/");
        assert!(ok("https://u:pw@p.example.com/", Mode::OAuth).contains("user name or password"));
    }
}
