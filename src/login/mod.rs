//! The sign-in pages: `GET`/`POST /login`, `POST /logout`, invitation
//! links (`/invite/{token}`) and single sign-on (`sso`).
//!
//! Beside `api/` at the top of the request path: these handlers use the
//! authentication in `auth` (passwords, sessions, the provider) and the
//! domain rules in `services` (invitations), which never call back up.
//!
//! The login page is plain server-rendered HTML with a form (inputs
//! `email` and `password`), not a Leptos route: it must work with no
//! script at all, answer a failed attempt with a real 401/403/429, and
//! show nothing of the portal to someone not signed in.

pub mod sso;

use crate::auth::password::{self, WRONG_CREDENTIALS};
use crate::auth::{session, AuthState};
use crate::model::url::encode_component;
use crate::model::{AppError, Subject};
use axum::extract::{Query, State};
use axum::http::{Extensions, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use std::collections::HashMap;
use tower_sessions::Session;

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    AuthState: axum::extract::FromRef<S>,
{
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route(
            "/invite/{token}",
            get(invitation_page).post(accept_invitation),
        )
        .merge(sso::router())
}

/// Where to go after signing in: only a path on this portal, never another
/// site. Browsers drop tabs and newlines from a URL and read `\` as `/`,
/// so `/\t/evil.example` or `/\\evil.example` would leave the portal
/// (`//evil.example`); anything but visible ASCII is refused outright, as
/// are `//` and backslashes, and the home page is used instead. What
/// passes is an absolute path, which resolves to this origin whatever
/// follows.
pub fn safe_next(next: Option<&str>) -> String {
    let Some(next) = next else {
        return "/".to_string();
    };
    let visible_ascii = next.bytes().all(|b| (0x21..=0x7e).contains(&b));
    // And, as a browser would resolve it, it stays on the same origin.
    let base = url::Url::parse("http://portal.invalid/").ok();
    let stays = base
        .as_ref()
        .and_then(|base| base.join(next).ok())
        .is_some_and(|url| Some(url.origin()) == base.as_ref().map(url::Url::origin));
    if visible_ascii
        && next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && stays
    {
        next.to_string()
    } else {
        "/".to_string()
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// What the login page says above the form.
#[derive(Default)]
pub struct LoginNotice {
    pub error: Option<String>,
    pub info: Option<String>,
    pub email: String,
    pub next: String,
}

/// The login page, in the portal's look (same stylesheet).
pub fn login_html(state: &AuthState, notice: &LoginNotice) -> String {
    let alert = notice
        .error
        .as_deref()
        .map(|e| format!(r#"<p class="login-error" role="alert">{}</p>"#, escape(e)))
        .unwrap_or_default();
    let info = notice
        .info
        .as_deref()
        .map(|i| format!(r#"<p class="login-info" role="status">{}</p>"#, escape(i)))
        .unwrap_or_default();
    let sso = match state.oidc.as_ref().map(|o| &o.settings.display_name) {
        Some(name) => format!(
            r#"<a class="button sso-button" href="/auth/oidc/start?next={next}">Sign in with {name}</a>
            <p class="login-divider"><span>or with a password</span></p>"#,
            next = escape(&encode_component(&notice.next)),
            name = escape(name),
        ),
        None => String::new(),
    };
    card_html(
        "Sign in",
        &format!(
            r#"{info}{alert}{sso}
<form class="login-form" method="post" action="/login">
<input type="hidden" name="next" value="{next}"/>
<label for="email">E-mail</label>
<input id="email" type="email" name="email" value="{email}" autocomplete="username" required{focus_email}/>
<label for="password">Password</label>
<input id="password" type="password" name="password" autocomplete="current-password" required{focus_password}/>
<button type="submit" class="button primary">Sign in</button>
</form>"#,
            next = escape(&notice.next),
            email = escape(&notice.email),
            focus_email = if notice.email.is_empty() {
                " autofocus"
            } else {
                ""
            },
            focus_password = if notice.email.is_empty() {
                ""
            } else {
                " autofocus"
            },
        ),
    )
}

/// A page with one card in the portal's look (sign-in, invitations).
fn card_html(title: &str, body: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<meta name="color-scheme" content="light"/>
<title>{title} · Portolan</title>
<link rel="stylesheet" href="/pkg/portolan.css"/>
<link rel="icon" type="image/x-icon" href="/favicon.ico"/>
</head>
<body class="login-body">
<main class="login-card">
<div class="login-brand"><span class="brand-mark" aria-hidden="true">P</span><span>Portolan</span></div>
<h1>{title}</h1>
{body}
</main>
</body>
</html>"#,
        title = escape(title),
    )
}

/// The set-a-password form of an invitation link.
fn invitation_html(email: &str, error: Option<&str>, first: &str, last: &str) -> String {
    let alert = error
        .map(|e| format!(r#"<p class="login-error" role="alert">{}</p>"#, escape(e)))
        .unwrap_or_default();
    card_html(
        "Join Portolan",
        &format!(
            r#"<p class="login-info" role="status">You were invited as <strong>{email}</strong>. Choose a password to finish.</p>
{alert}
<form class="login-form" method="post">
<label for="first_name">First name</label>
<input id="first_name" name="first_name" value="{first}" autocomplete="given-name" required autofocus/>
<label for="last_name">Last name</label>
<input id="last_name" name="last_name" value="{last}" autocomplete="family-name"/>
<label for="password">Password (at least {min} characters)</label>
<input id="password" type="password" name="password" autocomplete="new-password" required minlength="{min}"/>
<label for="confirm">Repeat the password</label>
<input id="confirm" type="password" name="confirm" autocomplete="new-password" required/>
<button type="submit" class="button primary">Set password and sign in</button>
</form>"#,
            email = escape(email),
            first = escape(first),
            last = escape(last),
            min = crate::secret::strength::MIN_PASSWORD,
        ),
    )
}

fn unusable_invitation(error: &AppError) -> Response {
    let body = format!(
        r#"<p class="login-error" role="alert">{}</p><a class="button" href="/login">Go to sign-in</a>"#,
        escape(error.message())
    );
    html_page(
        StatusCode::from_u16(error.status()).unwrap_or(StatusCode::NOT_FOUND),
        card_html("Invitation", &body),
    )
}

/// An HTML answer that no cache keeps (it depends on who asks).
fn html_page(status: StatusCode, html: String) -> Response {
    (
        status,
        [(axum::http::header::CACHE_CONTROL, "no-store")],
        Html(html),
    )
        .into_response()
}

async fn invitation_page(
    State(state): State<AuthState>,
    axum::extract::Path(token): axum::extract::Path<String>,
) -> Response {
    match crate::services::directory::invitation_email(&state.store, &token).await {
        Ok(email) => html_page(StatusCode::OK, invitation_html(&email, None, "", "")),
        Err(e) => unusable_invitation(&e),
    }
}

async fn accept_invitation(
    State(state): State<AuthState>,
    session: Session,
    axum::extract::Path(token): axum::extract::Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or("");
    let email = match crate::services::directory::invitation_email(&state.store, &token).await {
        Ok(email) => email,
        Err(e) => return unusable_invitation(&e),
    };
    let accepted = crate::services::directory::accept_invitation(
        &state.store,
        &token,
        field("first_name"),
        field("last_name"),
        field("password"),
        field("confirm"),
    )
    .await;
    match accepted {
        Ok(email) => match session::begin(&session, &state.limits, &email, "password").await {
            Ok(()) => Redirect::to("/").into_response(),
            Err(_) => Redirect::to("/login").into_response(),
        },
        Err(e @ AppError::Invalid(_)) => html_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            invitation_html(
                &email,
                Some(e.message()),
                field("first_name"),
                field("last_name"),
            ),
        ),
        Err(e) => unusable_invitation(&e),
    }
}

/// The login page with `notice`, answered with `status`.
pub fn page(state: &AuthState, status: StatusCode, notice: LoginNotice) -> Response {
    html_page(status, login_html(state, &notice))
}

async fn login_page(
    State(state): State<AuthState>,
    subject: Subject,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let next = safe_next(params.get("next").map(String::as_str));
    // An identity provider's refusal is shown as it came, and no new
    // sign-in starts on its own while it is on screen.
    if let Some(error) = params.get("error") {
        let description = params
            .get("error_description")
            .cloned()
            .unwrap_or_else(|| error.clone());
        tracing::info!(%error, %description, "identity provider refused a sign-in");
        return page(
            &state,
            StatusCode::UNAUTHORIZED,
            LoginNotice {
                error: Some(format!("Single sign-on failed: {description}")),
                next,
                ..Default::default()
            },
        );
    }
    if subject.is_signed_in() {
        return Redirect::to(&next).into_response();
    }
    let info = match params.get("ended").map(String::as_str) {
        Some("session") => Some("Your session has ended. Sign in again."),
        Some(code) => session::Ended::from_code(code).map(session::Ended::message),
        None => None,
    }
    .or_else(|| {
        params
            .contains_key("signed_out")
            .then_some("You are signed out.")
    });
    page(
        &state,
        StatusCode::OK,
        LoginNotice {
            info: info.map(str::to_string),
            next,
            ..Default::default()
        },
    )
}

async fn login(
    State(state): State<AuthState>,
    session: Session,
    extensions: Extensions,
    headers: axum::http::HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or("");
    let next = safe_next(form.get("next").map(String::as_str));
    let email = field("email").trim().to_string();
    let address = state.client_address(&extensions, &headers);
    let outcome = if email.is_empty() || field("password").is_empty() {
        Err(AppError::Unauthorized(WRONG_CREDENTIALS.into()))
    } else {
        password::sign_in(
            &state.store,
            &state.limiter,
            &email,
            field("password"),
            &address,
        )
        .await
    };
    match outcome {
        Ok(user) => match session::begin(&session, &state.limits, &user.email, "password").await {
            Ok(()) => Redirect::to(&next).into_response(),
            Err(e) => {
                tracing::error!(error = %e, "could not start a session");
                page(
                    &state,
                    StatusCode::SERVICE_UNAVAILABLE,
                    LoginNotice {
                        error: Some("The portal could not start your session. Try again.".into()),
                        email,
                        next,
                        ..Default::default()
                    },
                )
            }
        },
        Err(e) => page(
            &state,
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::UNAUTHORIZED),
            LoginNotice {
                error: Some(e.message().to_string()),
                email,
                next,
                ..Default::default()
            },
        ),
    }
}

async fn logout(session: Session) -> Response {
    session::end(&session).await;
    Redirect::to("/login?signed_out=1").into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_portal() {
        assert_eq!(
            safe_next(Some("/catalog/services?q=a")),
            "/catalog/services?q=a"
        );
        assert_eq!(safe_next(Some("//evil.example/x")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        // The probe's finding, and the other ways a browser reads a path
        // as another host: tabs, newlines, spaces, backslashes anywhere.
        for hostile in [
            "/\t/evil.example/phish",
            "/\n/evil.example",
            "/\r\n/evil.example",
            " //evil.example",
            "/ /evil.example",
            "\\\\evil.example",
            "/\\/evil.example",
            "/x\\..\\..\\/evil",
            "\u{0}//evil.example",
            "/\u{7f}/evil.example",
            "/é/evil.example",
            "javascript:alert(1)",
            "",
        ] {
            assert_eq!(safe_next(Some(hostile)), "/", "{hostile:?}");
        }
        assert_eq!(
            safe_next(Some("/entity/service/cart%2Fapi?x=1#top")),
            "/entity/service/cart%2Fapi?x=1#top"
        );
        assert_eq!(safe_next(None), "/");
    }
}
