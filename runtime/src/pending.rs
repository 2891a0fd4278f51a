//! What a generated method returns: a call not sent yet. `.await` it to send it, or add it to a
//! [`Batch`](super::Batch) to send it with others in one request.

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use super::call::Call;
use super::{Answer, Client, Error};

/// Turns the answer of a call into what its method returns (the typed answer, or a structure
/// built from it).
pub(crate) type Finish<T> = Box<dyn FnOnce(Answer) -> Result<T, Error> + Send + Sync>;

/// A call of a REST method, not sent yet: `.await` it (`client.get_lead(5).await?`), or add it
/// to a batch (`batch.add(client.get_lead(5))`). Nothing is sent until then.
#[must_use = "a call is sent when it is awaited or added to a batch"]
pub struct Pending<'a, T> {
    pub(crate) client: &'a Client,
    /// The call, or why it cannot be made (a value refused before sending).
    pub(crate) call: Result<Call, Error>,
    pub(crate) finish: Finish<T>,
}

impl<T> std::fmt::Debug for Pending<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let method = self.call.as_ref().map(|call| call.method).unwrap_or("");
        f.debug_struct("Pending")
            .field("method", &method)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A call to send later; what generated methods return.
    #[doc(hidden)]
    pub fn pending<T>(
        &self,
        call: Result<Call, Error>,
        finish: impl FnOnce(Answer) -> Result<T, Error> + Send + Sync + 'static,
    ) -> Pending<'_, T> {
        Pending {
            client: self,
            call,
            finish: Box::new(finish),
        }
    }
}

impl<'a, T: Send + 'a> IntoFuture for Pending<'a, T> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let answer = self.client.call(self.call?).await?;
            (self.finish)(answer)
        })
    }
}
