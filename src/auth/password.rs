//! Local sign-in with e-mail and password (argon2id), and the first admin.

use super::limiter::LoginLimiter;
use super::secret::{generated_password, hash_secret, secret_matches, waste_a_verification};
use crate::model::{AppError, User, UserStatus};
use crate::store::Store;

/// Shortest password accepted when one is set.
pub const MIN_PASSWORD: usize = 10;

/// The least zxcvbn score a new password must reach (0 to 4): 2 stands
/// for about a million guesses, out of reach online behind the sign-in
/// rate limit, and what is left offline is argon2id's to slow.
const MIN_STRENGTH: u8 = 2;

/// Why `password` may not be set, or `None`. `personal` is what an
/// attacker would try first (the e-mail, names): a password built from
/// them is weak however long.
pub fn password_problem(password: &str, personal: &[&str]) -> Option<String> {
    if password.chars().count() < MIN_PASSWORD {
        return Some(format!(
            "The password needs at least {MIN_PASSWORD} characters."
        ));
    }
    let mut inputs: Vec<&str> = personal.iter().copied().filter(|s| !s.is_empty()).collect();
    // The e-mail's name and domain on their own too.
    for text in personal {
        if let Some((name, domain)) = text.split_once('@') {
            inputs.extend([name, domain]);
        }
    }
    let estimate = zxcvbn::zxcvbn(password, &inputs);
    if u8::from(estimate.score()) >= MIN_STRENGTH {
        return None;
    }
    let mut message = String::from("This password is too easy to guess");
    let feedback = estimate.feedback();
    match feedback.and_then(|f| f.warning()) {
        Some(warning) => message.push_str(&format!(" ({warning})")),
        None if password.trim().is_empty() => message.push_str(" (it is only spaces)"),
        None => {}
    }
    message.push('.');
    for suggestion in feedback.map(|f| f.suggestions()).unwrap_or_default() {
        message.push_str(&format!(" {suggestion}"));
    }
    if !message.contains("phrase") {
        message.push_str(" A few unrelated words make a strong password that is easy to remember.");
    }
    Some(message)
}

/// The one answer to any wrong e-mail or password: it does not say which.
pub const WRONG_CREDENTIALS: &str = "Wrong e-mail or password.";

/// E-mails are compared in lower case; the store keeps them that way.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_ascii_lowercase()
}

/// Checks a sign-in attempt. Errors: 429 while rate-limited, 401 for any
/// wrong e-mail or password (one message), 403 for a disabled account
/// (told only to someone who knew its password).
pub async fn sign_in(
    store: &Store,
    limiter: &LoginLimiter,
    email: &str,
    password: &str,
    address: &str,
) -> Result<User, AppError> {
    let email = normalize_email(email);
    let now = super::session::now();
    if let Err(wait) = limiter.check(&email, address, now) {
        return Err(AppError::TooManyRequests(format!(
            "Too many failed sign-in attempts. Try again in {} minute(s).",
            (wait + 59) / 60
        )));
    }
    let found = store.user_with_password(&email).await?;
    let user = match found {
        Some((user, Some(hash))) if secret_matches(password, &hash) => user,
        Some((_, Some(_))) => {
            limiter.record_failure(&email, address, now);
            return Err(AppError::Unauthorized(WRONG_CREDENTIALS.into()));
        }
        _ => {
            waste_a_verification();
            limiter.record_failure(&email, address, now);
            return Err(AppError::Unauthorized(WRONG_CREDENTIALS.into()));
        }
    };
    if user.status != UserStatus::Active {
        return Err(AppError::Forbidden(
            "This account is disabled. Ask an administrator of the portal to enable it.".into(),
        ));
    }
    limiter.record_success(&email, address);
    store.record_login(&email).await?;
    Ok(user)
}

/// What the first start did about the admin account.
#[derive(Debug, PartialEq, Eq)]
pub enum AdminBootstrap {
    /// An admin who can sign in already exists; nothing changed.
    Exists,
    /// The configured password was set for this admin.
    Configured(String),
    /// No password was configured: this one was generated (shown once).
    Generated { email: String, password: String },
}

/// Makes sure an admin can sign in. With `password` given (from
/// `PORTOLAN_ADMIN_PASSWORD`) that admin gets it on every start, which is
/// also how a lost admin password is reset; without it, an admin with a
/// generated password is created only when no admin can sign in.
pub async fn bootstrap_admin(
    store: &Store,
    email: &str,
    password: Option<&str>,
) -> Result<AdminBootstrap, AppError> {
    let email = normalize_email(email);
    if !email.contains('@') {
        return Err(AppError::Invalid(format!(
            "PORTOLAN_ADMIN_EMAIL must be an e-mail address, not `{email}`"
        )));
    }
    if let Some(password) = password {
        if let Some(problem) = password_problem(password, &[&email]) {
            return Err(AppError::Invalid(format!(
                "PORTOLAN_ADMIN_PASSWORD: {problem}"
            )));
        }
        let current = store.user_with_password(&email).await?;
        let unchanged = matches!(&current, Some((u, Some(hash)))
            if u.role == crate::model::UserRole::Admin
                && u.status == UserStatus::Active
                && secret_matches(password, hash));
        if !unchanged {
            store.put_admin(&email, &hash_secret(password)?).await?;
        }
        return Ok(AdminBootstrap::Configured(email));
    }
    if store.admin_with_password_exists().await? {
        return Ok(AdminBootstrap::Exists);
    }
    let password = generated_password();
    store.put_admin(&email, &hash_secret(&password)?).await?;
    Ok(AdminBootstrap::Generated { email, password })
}

#[cfg(test)]
mod strength_tests {
    use super::password_problem;

    #[test]
    fn weak_passwords_are_refused_with_a_reason() {
        let me = ["new.person@example.com", "New", "Person"];
        let spaces = password_problem("          ", &me).unwrap();
        assert!(spaces.contains("too easy to guess"), "{spaces}");
        assert!(password_problem("new.person@example.com", &me).is_some());
        assert!(password_problem("password123", &me).is_some());
        assert!(password_problem("1234567890", &me).is_some());
        assert!(password_problem("short", &me)
            .unwrap()
            .contains("at least 10"));
        // What the test suites and the bench sign in with.
        for fine in [
            "correct horse battery staple",
            "admin-password-for-tests",
            "e2e-admin-password",
            "bench-admin-password",
            "payments-member-1",
            "compilers-1952",
            "long-enough-1",
        ] {
            assert_eq!(password_problem(fine, &me), None, "{fine}");
        }
    }
}
