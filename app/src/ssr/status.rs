//! The one status rule for a page's URL parameters, and the answer of a page's server
//! function with that status set.
//!
//! A malformed parameter (`?symbol=<b>`, `?range=3W`, `?unit=k`) is the reader's
//! mistake: 400. A well-formed one that names nothing we have (`?symbol=NOPE`,
//! `?city=Atlantis`) is 404. When a URL has both, **400 wins**: the request itself is
//! wrong, whatever else it asks for. Each bad parameter adds its notice, in the order
//! the page reads them; the page still shows, with defaults in their place.

use crate::error::AppError;
use axum::http::StatusCode;
use leptos::prelude::use_context;
use store::StoreError;

/// What a page made of its URL's parameters: the status and the notices.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Verdict {
    malformed: bool,
    missing: bool,
    notices: Vec<String>,
}

impl Verdict {
    /// A parameter the page cannot read: 400.
    pub fn malformed(&mut self, notice: String) {
        self.malformed = true;
        self.notices.push(notice);
    }

    /// A parameter that names nothing there: 404, unless something is malformed.
    pub fn missing(&mut self, notice: String) {
        self.missing = true;
        self.notices.push(notice);
    }

    pub fn status(&self) -> StatusCode {
        if self.malformed {
            StatusCode::BAD_REQUEST
        } else if self.missing {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::OK
        }
    }

    /// Every notice in one line, or none.
    pub fn notice(&self) -> Option<String> {
        (!self.notices.is_empty()).then(|| self.notices.join(" "))
    }
}

/// A page's data with the HTTP status that fits it set on the response (503 when the
/// database failed).
pub fn respond<T>(loaded: Result<(T, StatusCode), AppError>) -> Result<T, AppError> {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(match &loaded {
            Ok((_, status)) => *status,
            Err(_) => StatusCode::SERVICE_UNAVAILABLE,
        });
    }
    loaded.map(|(data, _)| data)
}

/// A database error as the reader sees it; the details go to the log only.
pub fn unavailable(err: StoreError) -> AppError {
    tracing::error!(error = %err, "dashboard query failed");
    AppError::DatabaseUnavailable
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_wins_over_missing_in_either_order() {
        let mut v = Verdict::default();
        assert_eq!((v.status(), v.notice()), (StatusCode::OK, None));
        v.missing("no Atlantis.".into());
        assert_eq!(v.status(), StatusCode::NOT_FOUND);
        v.malformed("k is not a unit.".into());
        assert_eq!(v.status(), StatusCode::BAD_REQUEST);
        let mut w = Verdict::default();
        w.malformed("k is not a unit.".into());
        w.missing("no Atlantis.".into());
        assert_eq!(w.status(), StatusCode::BAD_REQUEST);
        assert_eq!(w.notice().as_deref(), Some("k is not a unit. no Atlantis."));
    }
}
