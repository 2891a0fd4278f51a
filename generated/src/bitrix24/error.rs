//! What can go wrong with a call. No variant carries the token or the webhook's secret.

use std::fmt;

/// An error of a Bitrix24 call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Bitrix24 answered with an error body: `{"error": CODE, "error_description": …}`.
    #[error("Bitrix24 error {code} (HTTP {status}): {description}")]
    Api {
        /// The HTTP status, e.g. 400.
        status: u16,
        /// Bitrix24's error code, e.g. `CHAT_ID_EMPTY`.
        code: String,
        /// Bitrix24's own explanation; may be empty.
        description: String,
    },
    /// 401 `expired_token`: access tokens live one hour; get a new one with the refresh token.
    #[error("the access token has expired (Bitrix24 expired_token): refresh it and call again")]
    TokenExpired {
        /// Bitrix24's own explanation.
        description: String,
    },
    /// 503 `QUERY_LIMIT_EXCEEDED` or `OVERLOAD_LIMIT` on every attempt: the portal's request
    /// budget (a leaky bucket: 2 requests/s drained, 50 at once) is spent.
    #[error(
        "Bitrix24 is limiting requests ({code}) and still was after {attempts} attempts: slow down"
    )]
    RateLimited {
        code: String,
        description: String,
        attempts: u32,
    },
    /// 429 `OPERATION_TIME_LIMIT`: the method used up its time budget; it is blocked until
    /// `reset_at`, when known.
    #[error("Bitrix24 blocked the method for using up its time budget (OPERATION_TIME_LIMIT){}", ResetAt(*.reset_at))]
    OperationTimeLimit {
        description: String,
        /// Unix time (s) when the budget starts again (`time.operating_reset_at`).
        reset_at: Option<f64>,
    },
    /// No answer: the connection failed, timed out, or was lost.
    #[error("cannot reach Bitrix24 ({kind}) after {attempts} attempt(s): {message}")]
    Transport {
        kind: TransportKind,
        message: String,
        attempts: u32,
        #[source]
        source: reqwest::Error,
    },
    /// An answer came, but it is not a Bitrix24 answer.
    #[error("Bitrix24 answered HTTP {status} with {reason}; the answer starts with: {body_start}")]
    InvalidAnswer {
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

    pub(crate) fn transport(error: reqwest::Error, attempts: u32) -> Error {
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
            kind,
            message,
            attempts,
            source,
        }
    }
}
