//! Turning what a user gives — a URL, a domain, a token — into the address methods are called
//! under, as the library's auth mode says: https when no scheme is given, a trailing `/`, a
//! suffix such as Bitrix24's `rest/`, or a fixed URL with the token in its path. Plain http is
//! refused except to a loopback address: the address or the request carries a credential.

use std::net::IpAddr;

use reqwest::Url;

use super::Error;
use crate::library::{Address, AuthMode, Connection};

/// The address of a mode, from the connection values given (`name`, value), with the library's
/// `OINT_<LIBRARY>_API_URL` in force; it ends with `/`.
pub(crate) fn mode_endpoint(
    connection: &Connection,
    mode: &AuthMode,
    values: &[(&str, &str)],
) -> Result<Url, Error> {
    let url = match &mode.address {
        Address::Given { param, append } => endpoint(value(values, param)?, *append)?,
        Address::Fixed(template) => fixed(template, values)?,
    };
    let given = std::env::var(connection.api_url_env)
        .ok()
        .filter(|value| !value.trim().is_empty());
    match given {
        Some(given) => {
            let replacement = replacement(&given, connection.api_url_env)?;
            Ok(on_address(&replacement, &url))
        }
        None => Ok(url),
    }
}

/// The value given for connection value `name`.
fn value<'a>(values: &[(&str, &'a str)], name: &str) -> Result<&'a str, Error> {
    values
        .iter()
        .find(|(given, _)| *given == name)
        .map(|(_, value)| *value)
        .ok_or_else(|| Error::InvalidInput(format!("no {name} is given")))
}

/// A fixed address with its `{Name}` places filled in. A value that would change the address'
/// shape (a `/`, `?`, `#`, `%`, a space) is refused, without being shown: it may be a secret.
fn fixed(template: &str, values: &[(&str, &str)]) -> Result<Url, Error> {
    let mut filled = template.to_owned();
    for (name, given) in values {
        let place = format!("{{{name}}}");
        if !filled.contains(&place) {
            continue;
        }
        if given.trim().is_empty() {
            return Err(Error::InvalidInput(format!("the {name} is empty")));
        }
        if given.chars().any(|c| {
            matches!(c, '/' | '?' | '#' | '%' | '\\') || c.is_whitespace() || c.is_control()
        }) {
            return Err(Error::InvalidInput(format!(
                "the {name} holds characters an address cannot carry (`/`, `?`, `#`, `%`, a space)"
            )));
        }
        filled = filled.replace(&place, given);
    }
    if let Some(start) = filled.find('{') {
        let name: String = filled[start + 1..]
            .chars()
            .take_while(|c| *c != '}')
            .collect();
        return Err(Error::InvalidInput(format!("no {name} is given")));
    }
    Url::parse(&filled).map_err(|_| Error::InvalidInput("the address does not parse".into()))
}

/// The address of a file an answer names (`path`, e.g. `music/file_12.mp3`): `prefix` (the
/// mode's `downloads`, e.g. `file/`) put in front of the path of `called` (the method's
/// address, e.g. `https://api.telegram.org/bot<token>/getFile`, whose last segment is
/// dropped). A path that would leave that place (`..`, `/` at the start, a scheme, a query)
/// is refused, with the reason.
pub(crate) fn download(called: &Url, prefix: &str, path: &str) -> Result<Url, String> {
    let leaves = path.starts_with('/')
        || path.contains(['?', '#', '\\', ':'])
        || path.chars().any(char::is_control)
        || path.split('/').any(|segment| segment == "..");
    if leaves {
        return Err("a file path that is not one under the address of files".into());
    }
    let mut base = called.clone();
    let directory = match called.path().rfind('/') {
        Some(end) => &called.path()[..=end],
        None => "/",
    };
    base.set_path(&format!("/{prefix}{}", directory.trim_start_matches('/')));
    base.set_query(None);
    base.join(path)
        .map_err(|e| format!("a file path that does not make an address: {e}"))
}

/// `url` at the scheme, host and port of `replacement`.
pub(crate) fn on_address(replacement: &Url, url: &Url) -> Url {
    let mut moved = replacement.clone();
    moved.set_path(url.path());
    moved.set_query(None);
    moved.set_fragment(None);
    moved
}

/// The URL that method names are appended to, from a URL or a domain a user gives; it ends
/// with `/`, then `append` unless the path ends with it already.
pub(crate) fn endpoint(given: &str, append: Option<&str>) -> Result<Url, Error> {
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
    if let Some(append) = append
        && !path.ends_with(&format!("/{append}"))
    {
        path.push_str(append);
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

/// The endpoint as it may be shown: with `public` (a webhook's mode), every path segment but
/// those and numbers is a secret.
pub(crate) fn redacted(url: &Url, public: Option<&[&str]>) -> String {
    let Some(public) = public else {
        return url.to_string();
    };
    let path: Vec<&str> = url
        .path()
        .split('/')
        .map(|segment| {
            if is_secret(segment, public) {
                "***"
            } else {
                segment
            }
        })
        .collect();
    let mut shown = url.clone();
    shown.set_path(&path.join("/"));
    shown.to_string()
}

fn is_secret(segment: &str, public: &[&str]) -> bool {
    !(segment.is_empty()
        || public.contains(&segment)
        || segment.chars().all(|c| c.is_ascii_digit()))
}

/// The secret parts of an endpoint's path, to cut out of any text shown.
pub(crate) fn secrets(url: &Url, public: Option<&[&str]>) -> Vec<String> {
    let Some(public) = public else {
        return Vec::new();
    };
    url.path()
        .split('/')
        .filter(|segment| is_secret(segment, public))
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read_under_the_address_of_files() {
        let called = Url::parse("https://api.bot.example/bot1:abc/getFile?file_id=X").unwrap();
        let file = download(&called, "file/", "music/file_12.mp3").unwrap();
        assert_eq!(
            file.as_str(),
            "https://api.bot.example/file/bot1:abc/music/file_12.mp3"
        );
        for bad in [
            "../x",
            "/etc/passwd",
            "a/../../b",
            "https://evil.example/x",
            "a?b",
        ] {
            assert!(download(&called, "file/", bad).is_err(), "{bad}");
        }
    }

    const OAUTH: Option<&str> = Some("rest/");
    const WEBHOOK: Option<&[&str]> = Some(&["rest"]);

    fn ok(given: &str, append: Option<&str>) -> String {
        endpoint(given, append)
            .map(|u| u.to_string())
            .unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn normalizes_like_opi() {
        assert_eq!(
            ok("portal.example.com/rest/1/abc", None),
            "https://portal.example.com/rest/1/abc/"
        );
        assert_eq!(
            ok("portal.example.com", OAUTH),
            "https://portal.example.com/rest/"
        );
        assert_eq!(
            ok("https://portal.example.com/rest/", OAUTH),
            "https://portal.example.com/rest/"
        );
        assert_eq!(
            ok("http://127.0.0.1:8080", OAUTH),
            "http://127.0.0.1:8080/rest/"
        );
        assert_eq!(
            ok("http://[::1]:8080/rest/1/x/", None),
            "http://[::1]:8080/rest/1/x/"
        );
        assert_eq!(
            ok("http://localhost/rest/1/x/", None),
            "http://localhost/rest/1/x/"
        );
    }

    #[test]
    fn refuses_plain_http_off_loopback() {
        let error = ok("http://portal.example.com/rest/1/secret/", None);
        assert!(
            error.contains("plain http to portal.example.com is refused"),
            "{error}"
        );
        assert!(!error.contains("secret"));
        assert!(ok("ftp://x", OAUTH).contains("not supported"));
        assert!(ok("  ", OAUTH).contains("empty"));
    }

    #[test]
    fn redacts_the_webhook_secret() {
        let url = endpoint("https://p.example.com/rest/1/s3cr3t/", None).unwrap();
        assert_eq!(redacted(&url, WEBHOOK), "https://p.example.com/rest/1/***/");
        assert_eq!(secrets(&url, WEBHOOK), ["s3cr3t"]);
        // Given with a token, a webhook URL keeps its secret hidden too.
        let url = endpoint("https://p.example.com/rest/1/s3cr3t/", OAUTH).unwrap();
        assert_eq!(
            redacted(&url, WEBHOOK),
            "https://p.example.com/rest/1/***/rest/"
        );
        assert!(ok("https://u:pw@p.example.com/", OAUTH).contains("user name or password"));
    }

    #[test]
    fn fills_a_fixed_address_and_refuses_what_would_reshape_it() {
        let url = fixed(
            "https://api.example.org/bot{Token}/",
            &[("Token", "123:AbC-d_e")],
        )
        .unwrap();
        assert_eq!(url.as_str(), "https://api.example.org/bot123:AbC-d_e/");
        for bad in ["12/34", "a?b", "a#b", "a b", "a%2F", ""] {
            let error = fixed("https://api.example.org/bot{Token}/", &[("Token", bad)])
                .unwrap_err()
                .to_string();
            assert!(error.contains("Token"), "{error}");
            assert!(bad.is_empty() || !error.contains(bad), "{error}");
        }
        let error = fixed("https://api.example.org/bot{Token}/", &[]).unwrap_err();
        assert!(error.to_string().contains("no Token is given"), "{error}");
    }

    #[test]
    fn the_api_address_moves_to_the_replacement_scheme_host_and_port() {
        let url = fixed("https://api.example.org/bot{Token}/", &[("Token", "1:x")]).unwrap();
        let moved_to = replacement("http://127.0.0.1:8081", "OINT_X_API_URL").unwrap();
        assert_eq!(
            on_address(&moved_to, &url).as_str(),
            "http://127.0.0.1:8081/bot1:x/"
        );
        let refused = replacement("http://proxy.example.org:8081", "OINT_X_API_URL").unwrap_err();
        assert!(refused.to_string().contains("plain http"), "{refused}");
    }
}
