//! What can go wrong with a call. No variant carries the token or the webhook's secret.

use std::fmt;

/// An error of a call. The variants about the service's answer name the service (its
/// `library.yaml` name, e.g. `Bitrix24`).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with an error body (Bitrix24's `{"error": CODE,
    /// "error_description": …}`).
    #[error(
        "{service} error {} (HTTP {status}): {}",
        Shown(code),
        Shown(description)
    )]
    Api {
        /// The service, e.g. `Bitrix24`.
        service: &'static str,
        /// The HTTP status, e.g. 400.
        status: u16,
        /// The service's error code, e.g. `CHAT_ID_EMPTY`.
        code: String,
        /// The service's own explanation; may be empty.
        description: String,
    },
    /// 401 `expired_token`: access tokens live one hour; get a new one with the refresh token.
    #[error("the access token has expired ({service} expired_token): refresh it and call again")]
    TokenExpired {
        service: &'static str,
        /// The service's own explanation.
        description: String,
    },
    /// 503 `QUERY_LIMIT_EXCEEDED` on every attempt: the portal's request budget (a leaky
    /// bucket: 2 requests/s drained, 50 at once) is spent. (`OVERLOAD_LIMIT` is an
    /// [`Error::Api`]: a block that only Bitrix24's support lifts.)
    #[error(
        "{service} is limiting requests ({code}) and still was after {attempts} attempts: slow down"
    )]
    RateLimited {
        service: &'static str,
        code: String,
        description: String,
        attempts: u32,
    },
    /// 429 `OPERATION_TIME_LIMIT`: the method used up its time budget; it is blocked until
    /// `reset_at`, when known.
    #[error("{service} blocked the method for using up its time budget (OPERATION_TIME_LIMIT){}", ResetAt(*.reset_at))]
    OperationTimeLimit {
        service: &'static str,
        description: String,
        /// Unix time (s) when the budget starts again (`time.operating_reset_at`).
        reset_at: Option<f64>,
    },
    /// No answer: the connection failed, timed out, or was lost.
    #[error(
        "cannot reach {service} ({kind}) after {attempts} attempt(s): {}",
        Shown(message)
    )]
    Transport {
        service: &'static str,
        kind: TransportKind,
        message: String,
        attempts: u32,
        #[source]
        source: reqwest::Error,
    },
    /// An answer came, but it is not an answer of the service.
    #[error("{service} answered {} with {}; the answer starts with: {}", Status(*status), Shown(reason), Shown(body_start))]
    InvalidAnswer {
        service: &'static str,
        /// The HTTP status; 0 when the answer was not HTTP at all (a malformed status line or
        /// header, headers too large).
        status: u16,
        reason: String,
        /// The start of the body, for a person to look at.
        body_start: String,
    },
    /// The call succeeded, but its `result` is not of the type the spec declares. The call has
    /// taken effect: `answer` holds the whole answer.
    #[error("the call succeeded, but its result is not the {expected} the spec declares")]
    UnexpectedResult {
        expected: &'static str,
        answer: Box<super::Answer>,
    },
    /// An argument cannot be used, e.g. a URL that does not parse; nothing was sent.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// A call of a batch that was not made, or whose outcome is unknown: the batch halted
    /// before it, or the batch request failed.
    #[error("the call was not done: {reason}")]
    NotDone {
        /// Why.
        reason: String,
    },
}

impl Error {
    /// Every variant's name, in the order they are declared: how the exit-code table of the
    /// command line and the docs' guide name them.
    pub const KINDS: [&'static str; 9] = [
        "Api",
        "TokenExpired",
        "RateLimited",
        "OperationTimeLimit",
        "Transport",
        "InvalidAnswer",
        "UnexpectedResult",
        "InvalidInput",
        "NotDone",
    ];

    /// The variant's name, e.g. `RateLimited` (one of [`Error::KINDS`]).
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Api { .. } => "Api",
            Error::TokenExpired { .. } => "TokenExpired",
            Error::RateLimited { .. } => "RateLimited",
            Error::OperationTimeLimit { .. } => "OperationTimeLimit",
            Error::Transport { .. } => "Transport",
            Error::InvalidAnswer { .. } => "InvalidAnswer",
            Error::UnexpectedResult { .. } => "UnexpectedResult",
            Error::InvalidInput(_) => "InvalidInput",
            Error::NotDone { .. } => "NotDone",
        }
    }
}

/// How a request failed to get an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// No connection was made: nothing was sent.
    Connect,
    /// No answer in time.
    Timeout,
    /// The connection broke after the request was (perhaps) sent.
    Lost,
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportKind::Connect => "no connection",
            TransportKind::Timeout => "timed out",
            TransportKind::Lost => "connection lost",
        })
    }
}

/// Text from a server (or anything else outside the program), as shown to a person: control
/// characters (ESC, BEL, CR, …) and the characters that reorder a line (bidirectional
/// overrides) are written as escapes, so an answer cannot move the cursor, retitle the
/// terminal or disguise what it says.
pub(crate) struct Shown<'a>(pub &'a str);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        for c in self.0.chars() {
            if is_hidden_control(c) {
                write!(f, "{}", c.escape_unicode())?;
            } else {
                f.write_char(c)?;
            }
        }
        Ok(())
    }
}

/// Text of several lines as shown to a person: each line as [`Shown`] writes it.
#[cfg(feature = "cli")]
pub(crate) fn shown_lines(text: &str) -> String {
    let lines: Vec<String> = text
        .split('\n')
        .map(|line| Shown(line).to_string())
        .collect();
    lines.join("\n")
}

/// Whether `c` must not reach a terminal as itself.
pub(crate) fn is_hidden_control(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

struct Status(u16);

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            0 => f.write_str("something that is not HTTP"),
            status => write!(f, "HTTP {status}"),
        }
    }
}

struct ResetAt(Option<f64>);

impl fmt::Display for ResetAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(at) => write!(f, " until unix time {at}"),
            None => Ok(()),
        }
    }
}

impl Error {
    /// Whether the same call may be sent again later, whatever the method: the portal refused
    /// it for load or time budget, or no connection was made, so nothing took effect. A
    /// timeout, a lost connection or a 5xx answer is not among them: the call may have taken
    /// effect, and repeating a write (a message sent) would do it twice. The client has
    /// already retried what was safe to retry.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::RateLimited { .. } | Error::OperationTimeLimit { .. } => true,
            Error::Transport { kind, .. } => *kind == TransportKind::Connect,
            _ => false,
        }
    }

    pub(crate) fn transport(service: &'static str, error: reqwest::Error, attempts: u32) -> Error {
        if let Some(reason) = not_http(&error) {
            return Error::InvalidAnswer {
                service,
                status: 0,
                reason,
                body_start: String::new(),
            };
        }
        let kind = if error.is_connect() {
            TransportKind::Connect
        } else if error.is_timeout() {
            TransportKind::Timeout
        } else {
            TransportKind::Lost
        };
        // reqwest puts the URL in its messages, and a webhook URL holds a secret.
        let source = error.without_url();
        let mut message = source.to_string();
        let mut cause = std::error::Error::source(&source);
        while let Some(inner) = cause {
            message.push_str(": ");
            message.push_str(&inner.to_string());
            cause = inner.source();
        }
        Error::Transport {
            service,
            kind,
            message,
            attempts,
            source,
        }
    }
}

/// What was wrong, when the server answered but not in HTTP: a status line or a header that
/// does not parse, or headers too large. (A connection that breaks off is not this.)
fn not_http(error: &reqwest::Error) -> Option<String> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(inner) = cause {
        if let Some(hyper) = inner.downcast_ref::<hyper::Error>() {
            if hyper.is_parse_status() {
                return Some("a status code that is not HTTP's".into());
            }
            if hyper.is_parse() {
                // hyper says which: a version, a header, a message head too large, …
                return Some(format!("an answer that is not valid HTTP ({hyper})"));
            }
            return None;
        }
        cause = inner.source();
    }
    None
}

#[cfg(test)]
mod kinds {
    use super::{Error, TransportKind};

    /// `Error::KINDS` names every variant once, in order: each variant, built, says a kind of
    /// the list, and no two say the same.
    #[test]
    fn kinds_names_every_variant() {
        let source = reqwest::Client::new()
            .get("not a url")
            .build()
            .expect_err("an unparsable URL");
        let text = String::new;
        let every = [
            Error::Api {
                service: "S",
                status: 400,
                code: text(),
                description: text(),
            },
            Error::TokenExpired {
                service: "S",
                description: text(),
            },
            Error::RateLimited {
                service: "S",
                code: text(),
                description: text(),
                attempts: 1,
            },
            Error::OperationTimeLimit {
                service: "S",
                description: text(),
                reset_at: None,
            },
            Error::Transport {
                service: "S",
                kind: TransportKind::Connect,
                message: text(),
                attempts: 1,
                source,
            },
            Error::InvalidAnswer {
                service: "S",
                status: 0,
                reason: text(),
                body_start: text(),
            },
            Error::UnexpectedResult {
                expected: "bool",
                answer: Box::new(crate::Answer::whole(serde_json::Value::Null)),
            },
            Error::InvalidInput(text()),
            Error::NotDone { reason: text() },
        ];
        let kinds: Vec<&str> = every.iter().map(Error::kind).collect();
        assert_eq!(kinds, Error::KINDS);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_a_server_shows_its_control_characters_as_escapes() {
        let error = Error::Api {
            service: "Example",
            status: 400,
            code: "BAD\u{7}".into(),
            description: "\u{1b}]0;owned\u{7}line\rover \u{202e}txt.exe".into(),
        };
        assert_eq!(
            error.to_string(),
            "Example error BAD\\u{7} (HTTP 400): \\u{1b}]0;owned\\u{7}line\\u{d}over \\u{202e}txt.exe"
        );
    }
}
