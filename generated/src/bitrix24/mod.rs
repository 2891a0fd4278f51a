//! The Bitrix24 client: the hand-written transport, auth, retries and errors, and one generated
//! method per API method of the spec.

mod answer;
mod client;
mod config;
mod date;
pub mod encode;
mod error;
mod info;
mod query;
mod template;
mod url;

pub use answer::{Answer, Time};
#[doc(hidden)]
pub use client::Server;
use client::{Call, Http, Upload};
pub use client::{Client, Event};
pub use config::Config;
pub use date::Date;
pub use encode::{Binary, Id, IntoId};
pub use error::{Error, TransportKind};
pub use info::MethodInfo;

// The generated methods (`impl Client { pub async fn delete_user_from_chat(…) … }`) and the
// `METHODS` table.
include!(concat!(env!("OUT_DIR"), "/bitrix24_client.rs"));
