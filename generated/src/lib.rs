//! oint: API clients and the `oint` command line, generated from a YAML spec.
//!
//! Every API method is described once, in `spec/`; the client functions here, the `oint`
//! subcommands and the docs pages are generated from that description, so they always agree.
//! What they stand on — transport, retries, limits, errors, encodings — is the hand-written
//! runtime, [`oint_runtime`] (re-exported as [`runtime`]).
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
//!
//! Calls of any method go together in a batch (up to 50 to a request), each answer typed as its
//! method's, the errors of single calls kept apart:
//!
//! ```no_run
//! # async fn example() -> Result<(), oint::bitrix24::Error> {
//! use oint::bitrix24::Client;
//!
//! let client = Client::webhook("https://portal.bitrix24.by/rest/1/secret/")?;
//! let mut batch = client.batch();
//! let lead = batch.add(client.get_lead(5));
//! let created = batch.add(client.create_deal(serde_json::json!({"TITLE": "Deal"})));
//! let mut results = batch.send().await;
//! let lead = results.take(lead)?; // Answer<Map<String, Value>>
//! let deal_id = results.take(created)?.result; // u64
//! # Ok(())
//! # }
//! ```

pub use oint_runtime as runtime;

// One module per library of the spec (`pub mod bitrix24 { … }`), generated from `spec/` into
// `src/generated/` (committed: a consumer's build runs no generator; in this repository
// `build.rs` rewrites it when the spec changes).
include!("generated/libraries.rs");

/// The `oint` command line: the generated command of every library, in the runtime's frame.
#[cfg(feature = "cli")]
pub mod cli {
    include!("generated/cli.rs");
}
