//! Emulators of the APIs oint calls, on loopback, for tests — ours and yours: real HTTP servers
//! on `127.0.0.1` that keep state, answer with each service's bodies and statuses, keep its
//! limits and inject faults on demand. Apart from the client (`oint`), so that no program that
//! only calls an API compiles a server.
//!
//! ```toml
//! [dev-dependencies]
//! oint-emulator = "0.1"
//! ```

pub mod bitrix24;
mod form;
pub mod telegram;
