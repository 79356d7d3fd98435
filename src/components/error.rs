//! How an error looks on a page, and the HTTP status it sets on the server.

use crate::model::AppError;
use leptos::prelude::*;

/// Sets the status of the server-rendered response; no-op in the browser.
pub fn set_http_status(status: u16) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(code) = axum::http::StatusCode::from_u16(status) {
            response.set_status(code);
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

/// In the browser, a 401 from a server function means the session ended
/// while the page was open: go to the login page, and back here afterwards.
/// (Full page loads never get here: the server redirects them itself.)
fn send_to_login_when_signed_out(error: &AppError) {
    if !matches!(error, AppError::Unauthorized(_)) {
        return;
    }
    Effect::new(move |_| {
        let location = window().location();
        let here = format!(
            "{}{}",
            location.pathname().unwrap_or_default(),
            location.search().unwrap_or_default()
        );
        let next: String = js_sys::encode_uri_component(&here).into();
        let _ = location.set_href(&format!("/login?next={next}&ended=session"));
    });
}

#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    set_http_status(error.status());
    send_to_login_when_signed_out(&error);
    let heading = match &error {
        AppError::NotFound(_) => "Not found",
        AppError::Forbidden(_) => "You don't have access",
        AppError::Unauthorized(_) => "Please sign in",
        AppError::Fields(f) if f.status == 404 => "Not found",
        AppError::Fields(f) if f.status == 409 => "Conflict",
        AppError::Invalid(_) | AppError::Fields(_) | AppError::BadRequest(_) => {
            "This request can't be shown"
        }
        AppError::Conflict(_) => "Conflict",
        AppError::PayloadTooLarge(_) => "Too large",
        AppError::TooManyRequests(_) => "Too many requests",
        AppError::Unavailable(_) => "The portal can't reach its database",
        AppError::Internal(_) => "Something went wrong",
    };
    view! {
        <section class="error-state" role="alert">
            <p class="error-code">{error.status()}</p>
            <h1>{heading}</h1>
            <p>{error.message().to_string()}</p>
            <a class="button" href="/">"Back to the home page"</a>
        </section>
    }
}

/// The placeholder shown while a page's data loads.
#[component]
pub fn Loading(#[prop(into, default = "Loading…".to_string())] label: String) -> impl IntoView {
    view! {
        <div class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            {label}
        </div>
    }
}
