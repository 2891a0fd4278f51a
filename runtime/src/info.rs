//! What the spec says of each method, at run time.

/// A method of the spec, as the generated table of each library (`oint::<library>::METHODS`,
/// with the `oint` crate's feature `method-table`) describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodInfo {
    /// As on the command line, e.g. `DeleteUserFromChat`.
    pub name: &'static str,
    /// The REST method, e.g. `im.chat.user.delete`.
    pub rest_method: &'static str,
    /// `POST` (a JSON body) or `GET` (the fields in the query string).
    pub http: &'static str,
    /// The request fields of its required parameters, at their paths (`fields.TITLE`; fixed
    /// fields and merged structures aside): what the emulator checks are there.
    pub fields: &'static [&'static str],
    /// Whether the client retries it after a timeout, a lost connection or a 5xx.
    pub safe_to_repeat: bool,
    /// A recorded answer of the API, as JSON text.
    pub example_answer: &'static str,
}
