//! oint-runtime: what every client and command line that oint generates shares, written once
//! for every library — the transport (HTTP, auth, retries, limits), errors and the masking of
//! secrets, the encodings of values, batches and whole-list reads, and the frame of the `oint`
//! command line (feature `cli`).
//!
//! Users depend on the generated crate (`oint`), which re-exports what they need from here per
//! library (`oint::bitrix24::{Client, Error, …}`). The items marked hidden are what generated
//! code calls; they are not meant to be called by hand.

mod answer;
mod batch;
#[doc(hidden)]
pub mod call;
mod client;
mod config;
mod date;
pub mod encode;
mod error;
/// Entry points of the fuzzer (`fuzz/`), built only with `--cfg fuzzing`.
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing;
mod info;
mod library;
mod limits;
mod list;
mod oauth;
mod pending;
mod query;
#[doc(hidden)]
pub mod template;
mod url;

pub use answer::{Answer, Time};
pub use batch::{BATCH_LIMIT, Batch, Key, Results};
#[doc(hidden)]
pub use call::Server;
#[doc(hidden)]
pub use call::{Call, Download, Http, Upload};
pub use client::{Client, Event};
pub use config::{Config, Limit, RateLimit};
pub use date::Date;
pub use encode::{Binary, Id, IntoId};
pub use error::{Error, TransportKind};
#[cfg(feature = "cli")]
pub(crate) use error::{Shown, shown_lines};
pub use info::MethodInfo;
pub use library::{
    Address, AuthMode, BatchForm, Connection, ConnectionParam, Credential, CredentialPlace, Errors,
    Library, Limits, Means, QueryForm, Signal, Wire,
};
#[doc(hidden)]
pub use list::List;
pub use list::{PAGE, Page};
pub use oauth::{App, Tokens};
#[doc(hidden)]
pub use oauth::{Renew, Renewing};
pub use pending::Pending;

#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "cli")]
pub mod facts;
