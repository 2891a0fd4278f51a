//! The Bitrix24 client: the hand-written transport, auth, retries and errors, and one generated
//! method per API method of the spec.

mod answer;
mod client;
mod config;
pub mod encode;
mod error;
mod info;
mod template;
mod url;

pub use answer::{Answer, Time};
use client::Call;
pub use client::{Client, Event};
pub use config::Config;
pub use encode::{Binary, Id, IntoId};
pub use error::{Error, TransportKind};
pub use info::MethodInfo;

// The generated methods (`impl Client { pub async fn delete_user_from_chat(…) … }`) and the
// `METHODS` table.
include!(concat!(env!("OUT_DIR"), "/bitrix24_client.rs"));
