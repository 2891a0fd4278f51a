//! What can go wrong with a call. No variant carries the token or the webhook's secret.

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
    /// The request did not get an answer: no connection, a timeout, a reset.
    #[error("cannot reach Bitrix24: {message}")]
    Transport {
        message: String,
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
    /// An argument cannot be used, e.g. a URL that does not parse; nothing was sent.
    #[error("invalid input: {0}")]
    InvalidInput(String),
}

impl Error {
    pub(crate) fn transport(error: reqwest::Error) -> Error {
        // reqwest puts the URL in its messages, and a webhook URL holds a secret.
        let source = error.without_url();
        let mut message = source.to_string();
        let mut cause = std::error::Error::source(&source);
        while let Some(inner) = cause {
            message.push_str(": ");
            message.push_str(&inner.to_string());
            cause = inner.source();
        }
        Error::Transport { message, source }
    }
}
