//! oint: Bitrix24 REST bindings and the `oint` command line, generated from a YAML spec.
//!
//! Every API method is described once, in `spec/`; the client functions here, the `oint`
//! subcommands and the docs pages are generated from that description, so they always agree.
//!
//! ```no_run
//! # async fn example() -> Result<(), oint::bitrix24::Error> {
//! use oint::bitrix24::Client;
//!
//! let client = Client::webhook("https://portal.bitrix24.by/rest/1/secret/")?;
//! let answer = client.delete_user_from_chat(452, 10).await?;
//! assert_eq!(answer.result, true);
//! # Ok(())
//! # }
//! ```

pub mod bitrix24;

#[cfg(feature = "cli")]
pub mod cli;
