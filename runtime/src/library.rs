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
    /// How a client reaches the service and shows who it is.
    pub connection: Connection,
    /// How requests and answers are shaped.
    pub wire: Wire,
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
        connection: Connection,
        wire: Wire,
        errors: Errors,
        limits: Limits,
    ) -> Library {
        Library {
            name,
            command,
            connection,
            wire,
            errors,
            limits,
        }
    }

    /// The auth mode named `name`.
    pub(crate) fn mode(&self, name: &str) -> Option<&'static AuthMode> {
        self.connection.modes.iter().find(|mode| mode.name == name)
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
    /// once every attempt met it; always retried, after the seconds read at `retry_after` (a
    /// dotted path into the answer) when the service says how long to wait.
    RateLimited { retry_after: Option<&'static str> },
    /// The method used up its time budget:
    /// [`Error::OperationTimeLimit`](crate::Error::OperationTimeLimit), with the reset time read
    /// at `reset_at` (a dotted path into the answer) when given.
    TimeBudget { reset_at: Option<&'static str> },
    /// A block only the service's support lifts: an [`Error::Api`](crate::Error::Api) that is
    /// never retried, not even for reads.
    Blocked,
}

/// How a client reaches the service (`connection` in `library.yaml`): the values a user gives
/// and the auth modes they make.
#[derive(Debug)]
pub struct Connection {
    /// The values every call of the service needs, as the spec names them (`URL`, `Token`).
    pub params: &'static [ConnectionParam],
    /// The modes, in the order they are tried: the first whose `when` value is given is used.
    pub modes: &'static [AuthMode],
    /// The variable whose value, when set, replaces the scheme, host and port of the address
    /// every mode makes (`OINT_<LIBRARY>_API_URL`): for tests and proxies. Plain http is
    /// refused except to a loopback address.
    pub api_url_env: &'static str,
}

/// A value a user gives to connect.
#[derive(Debug)]
pub struct ConnectionParam {
    pub name: &'static str,
    /// A credential: never shown, cut out of every text a person may see.
    pub secret: bool,
}

/// One way to reach and authenticate to the service.
#[derive(Debug)]
pub struct AuthMode {
    /// As the spec names it; the generated client's constructor of the same name makes it.
    pub name: &'static str,
    /// The mode is chosen when this connection value is given and not empty; `None`: always.
    pub when: Option<&'static str>,
    pub address: Address,
    /// Where each request carries the credential, when it is not in the address.
    pub credential: Option<Credential>,
    /// For an address whose path holds a secret (a webhook's): the segments that are not
    /// secret; every other one but a number is.
    pub public_segments: Option<&'static [&'static str]>,
    /// A path put in front of the address' path, under which the files that answers name are
    /// read (`file/`).
    pub downloads: Option<&'static str>,
}

/// The address methods are called under; it ends with `/`.
#[derive(Debug)]
pub enum Address {
    /// The connection value `param`, as a user gives it: https when no scheme is given, a `/` at
    /// the end, and `append` after it unless the path already ends with it.
    Given {
        param: &'static str,
        append: Option<&'static str>,
    },
    /// A fixed URL whose `{Name}` places take connection values (a token in the path).
    Fixed(&'static str),
}

/// A connection value every call to the service carries, only to the service's own address,
/// never to other servers.
#[derive(Debug)]
pub struct Credential {
    /// The connection value.
    pub param: &'static str,
    pub place: CredentialPlace,
}

/// Where a call carries its credential.
#[derive(Debug)]
pub enum CredentialPlace {
    /// A request field: in the JSON body of a POST, in the query of a GET, a text part of a
    /// multipart form (Bitrix24's `auth`).
    Field(&'static str),
    /// A header, its value after `prefix` (`Authorization: Bearer …`).
    Header {
        name: &'static str,
        prefix: &'static str,
    },
}

/// How requests and answers of the service are shaped.
#[derive(Debug)]
pub struct Wire {
    /// The key of a successful answer that holds the result.
    pub result: &'static str,
    /// How an object or an array goes in a query string.
    pub query: QueryForm,
    /// The key beside the result that holds the call's timing ([`crate::Time`]), if any.
    pub time: Option<&'static str>,
    /// The key beside a list's result that holds how many items there are in all, if any.
    pub total: Option<&'static str>,
    /// The key beside a list's result that holds the `start` of its next page, if any.
    pub next: Option<&'static str>,
    /// How several calls go in one request, if the service can take them.
    pub batch: Option<BatchForm>,
}

/// Several calls in one request (`batch` in `library.yaml`): a method that takes the calls as
/// texts (`method?query`) under keys of a map, and answers each call's result, error, total,
/// next page and timing in maps under the same keys.
#[derive(Debug)]
pub struct BatchForm {
    /// The method, e.g. `batch`.
    pub method: &'static str,
    /// The request field of the map of calls, e.g. `cmd`.
    pub commands: &'static str,
    /// The request field that says whether to stop at the first failure (`1`/`0`), e.g. `halt`.
    pub halt: &'static str,
    /// The keys of the answer's result that hold the calls' results, errors, totals, next
    /// pages and timings, each a map by the call's key.
    pub results: &'static str,
    pub errors: &'static str,
    pub totals: &'static str,
    pub nexts: &'static str,
    pub times: &'static str,
}

/// How an object or an array goes in a query string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryForm {
    /// PHP's brackets: `filter[>ID]=5&select[]=ID`.
    Brackets,
    /// One field holding the value as compact JSON: `reply_markup={"keyboard":[]}`.
    Json,
}
