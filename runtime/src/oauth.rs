//! An app's OAuth tokens, and their renewal: the access token lives an hour; a client built
//! with the refresh token and the app's credentials gets a new pair when the portal says the
//! access token has expired, once for all the calls and clones that meet the expiry.

use std::fmt;
use std::sync::{Arc, RwLock};

/// An app's credentials, from its settings in the portal (or the marketplace).
#[derive(Clone)]
pub struct App {
    pub client_id: String,
    pub client_secret: String,
}

impl fmt::Debug for App {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("App")
            .field("client_id", &self.client_id)
            .field("client_secret", &"***")
            .finish()
    }
}

/// An access token and the refresh token that renews it.
#[derive(Clone)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tokens")
            .field("access_token", &"***")
            .field("refresh_token", &"***")
            .finish()
    }
}

type Store = Arc<dyn Fn(&Tokens) + Send + Sync>;

/// The call that renews an access token: the method the spec names in `connection.renewal`,
/// generated. It gets a client to call with, the app and the refresh token, and gives the
/// service's answer as JSON (holding `access_token` and `refresh_token`).
#[doc(hidden)]
pub type Renew = fn(crate::Client, App, String) -> Renewing;

/// What a [`Renew`] returns.
#[doc(hidden)]
pub type Renewing = std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<serde_json::Value, crate::Error>> + Send>,
>;

/// How to renew: the app, the refresh token (held while renewing, so that one call renews and
/// the others wait for it), and who to tell.
pub(crate) struct Renewal {
    pub app: App,
    pub renew: Renew,
    pub refresh: Arc<tokio::sync::Mutex<String>>,
    pub on_tokens: Option<Store>,
}

impl Renewal {
    pub fn new(app: App, refresh_token: String, renew: Renew) -> Renewal {
        Renewal {
            app,
            renew,
            refresh: Arc::new(tokio::sync::Mutex::new(refresh_token)),
            on_tokens: None,
        }
    }
}

/// The access token in use and its generation (how many times it was renewed).
pub(crate) struct TokenAuth {
    current: Arc<RwLock<(String, u64)>>,
    pub renewal: Option<Renewal>,
}

impl TokenAuth {
    pub fn new(token: String, renewal: Option<Renewal>) -> TokenAuth {
        TokenAuth {
            current: Arc::new(RwLock::new((token, 0))),
            renewal,
        }
    }

    /// The same tokens (shared), telling `store` of renewals.
    pub fn with_callback(&self, store: Store) -> TokenAuth {
        TokenAuth {
            current: Arc::clone(&self.current),
            renewal: self.renewal.as_ref().map(|renewal| Renewal {
                app: renewal.app.clone(),
                renew: renewal.renew,
                refresh: Arc::clone(&renewal.refresh),
                on_tokens: Some(store),
            }),
        }
    }

    pub fn current(&self) -> (String, u64) {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn set(&self, token: String) {
        let mut current = self.current.write().unwrap_or_else(|e| e.into_inner());
        current.0 = token;
        current.1 += 1;
    }
}
