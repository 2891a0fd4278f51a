//! What the runtime knows of a library: the facts its `library.yaml` declares, as the generated
//! code hands them over (one `LIBRARY` per generated module). A client carries its library, so
//! that what it does and says follows the spec rather than code.

use crate::RateLimit;

/// A library of the spec, as the runtime needs it.
#[derive(Debug)]
#[non_exhaustive]
pub struct Library {
    /// Its name, as messages show it, e.g. `Bitrix24`.
    pub name: &'static str,
    /// Its command on the command line and its module in the crate, e.g. `bitrix24`.
    pub command: &'static str,
    /// How the service says a call failed.
    pub errors: Errors,
    /// The limits the service sets, which clients keep to unless their config says otherwise.
    pub limits: Limits,
}

/// The limits a service sets (`limits` in `library.yaml`).
#[derive(Debug)]
pub struct Limits {
    /// Its request limit, if it has one.
    pub rate: Option<RateLimit>,
    /// Seconds of running time a method may use per period (Bitrix24's `time.operating`), if
    /// the service counts them.
    pub time_budget: Option<f64>,
}

impl Library {
    /// A library with these facts; what the generated code calls.
    pub const fn new(
        name: &'static str,
        command: &'static str,
        errors: Errors,
        limits: Limits,
    ) -> Library {
        Library {
            name,
            command,
            errors,
            limits,
        }
    }

    /// What `code` means to the client, when the spec gives it a meaning.
    pub(crate) fn signal(&self, code: &str) -> Option<&'static Signal> {
        self.errors
            .signals
            .iter()
            .find(|signal| signal.code == code)
    }
}

/// The error answer of a service (`errors` in `library.yaml`).
#[derive(Debug)]
pub struct Errors {
    /// The key whose presence makes an answer an error; it holds the code (text or a number).
    pub code: &'static str,
    /// The key that holds the service's explanation.
    pub description: &'static str,
    /// The codes the client acts on.
    pub signals: &'static [Signal],
}

/// An error code the client acts on.
#[derive(Debug)]
pub struct Signal {
    /// As the service writes it; a number as its decimal text.
    pub code: &'static str,
    pub means: Means,
}

/// What an error code means to the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Means {
    /// The access token has expired: [`Error::TokenExpired`](crate::Error::TokenExpired); a
    /// renewing client renews it and calls again.
    TokenExpired,
    /// The service limits requests and did nothing: [`Error::RateLimited`](crate::Error::RateLimited)
    /// once every attempt met it; always retried.
    RateLimited,
    /// The method used up its time budget:
    /// [`Error::OperationTimeLimit`](crate::Error::OperationTimeLimit), with the reset time read
    /// at `reset_at` (a dotted path into the answer) when given.
    TimeBudget { reset_at: Option<&'static str> },
    /// A block only the service's support lifts: an [`Error::Api`](crate::Error::Api) that is
    /// never retried, not even for reads.
    Blocked,
}
