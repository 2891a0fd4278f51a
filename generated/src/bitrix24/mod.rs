//! The Bitrix24 client: the hand-written transport, auth, retries, errors and batches, and one
//! generated method per API method of the spec.

mod answer;
mod batch;
mod call;
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
mod limits;
mod list;
mod oauth;
mod pending;
mod query;
mod template;
mod url;

pub use answer::{Answer, Time};
pub use batch::{BATCH_LIMIT, Batch, Key, Results};
#[doc(hidden)]
pub use call::Server;
use call::{Call, Http, Upload};
pub use client::{Client, Event};
pub use config::{Config, RateLimit};
pub use date::Date;
pub use encode::{Binary, Id, IntoId};
pub use error::{Error, TransportKind};
pub(crate) use error::{Shown, shown_lines};
pub use info::MethodInfo;
#[doc(hidden)]
pub use list::List;
pub use list::{PAGE, Page};
pub use oauth::{App, Tokens};
pub use pending::Pending;

// The generated methods (`impl Client { pub fn delete_user_from_chat(…) -> Pending<…> … }`)
// and the `METHODS` table.
include!(concat!(env!("OUT_DIR"), "/bitrix24_client.rs"));
