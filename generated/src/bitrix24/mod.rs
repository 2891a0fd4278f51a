//! The Bitrix24 client: the hand-written transport, auth and errors, and one generated method
//! per API method of the spec.

mod answer;
mod client;
pub mod encode;
mod error;
mod url;

pub use answer::{Answer, Time};
pub use client::{Client, Event};
pub use encode::IntoId;
pub use error::Error;

// The generated methods: `impl Client { pub async fn delete_user_from_chat(…) … }`.
include!(concat!(env!("OUT_DIR"), "/bitrix24_client.rs"));
