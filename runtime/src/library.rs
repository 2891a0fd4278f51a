//! What the runtime knows of a library: the facts its `library.yaml` declares, as the generated
//! code hands them over (one `LIBRARY` per generated module). A client carries its library, so
//! that what it does and says follows the spec rather than code.

/// A library of the spec, as the runtime needs it.
#[derive(Debug)]
#[non_exhaustive]
pub struct Library {
    /// Its name, as messages show it, e.g. `Bitrix24`.
    pub name: &'static str,
    /// Its command on the command line and its module in the crate, e.g. `bitrix24`.
    pub command: &'static str,
}

impl Library {
    /// A library with these facts; what the generated code calls.
    pub const fn new(name: &'static str, command: &'static str) -> Library {
        Library { name, command }
    }
}
