//! Signed-in sessions: what the session record holds about the person, and
//! the two limits on it (spec: 3 days idle, 7 days since sign-in).
//!
//! tower-sessions keeps the record server-side (in the `Store`, shared by
//! every instance); the cookie holds only its random id. The timeouts are
//! decided here, from the times in the record, by one pure function, so
//! the boundaries are tested without waiting days.

use serde::{Deserialize, Serialize};
use tower_sessions::{Expiry, Session};

/// The session key under which the sign-in is stored.
pub use crate::store::sessions::SIGN_IN_KEY;

/// Activity is written back at most this often (or a quarter of the idle
/// limit when that is shorter), so that every page load does not rewrite
/// the session row; the idle limit is measured from the last write, so a
/// session may end up to this much early.
const TOUCH_EVERY_SECONDS: i64 = 60;

/// How long an ended session's row is kept so its end can be explained.
const ENDED_SESSION_GRACE: i64 = 7 * 24 * 3600;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionLimits {
    /// Ends a session not used for this long.
    pub idle: i64,
    /// Ends a session this long after sign-in, whatever the activity.
    pub max: i64,
}

impl Default for SessionLimits {
    fn default() -> Self {
        SessionLimits {
            idle: 3 * 24 * 3600,
            max: 7 * 24 * 3600,
        }
    }
}

/// Who signed in, how, and when (Unix seconds).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignIn {
    pub email: String,
    /// `password` or `sso`.
    pub method: String,
    pub signed_in_at: i64,
    pub last_seen: i64,
}

/// Why a session no longer counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    Idle,
    TooOld,
    /// The account was disabled or removed after sign-in.
    AccountGone,
}

impl Ended {
    /// The words the login page shows (`?ended=` carries the code).
    pub fn code(self) -> &'static str {
        match self {
            Ended::Idle => "idle",
            Ended::TooOld => "expired",
            Ended::AccountGone => crate::store::sessions::ACCOUNT_GONE,
        }
    }

    pub fn from_code(code: &str) -> Option<Ended> {
        [Ended::Idle, Ended::TooOld, Ended::AccountGone]
            .into_iter()
            .find(|e| e.code() == code)
    }

    /// What the person is told (API 401s and the login page alike).
    pub fn message(self) -> &'static str {
        match self {
            Ended::Idle => "Your session ended after a period without activity. Sign in again.",
            Ended::TooOld => "Your session reached its maximum length. Sign in again.",
            Ended::AccountGone => {
                "Your account was disabled or removed since you signed in. Ask an administrator of the portal, then sign in again."
            }
        }
    }
}

impl SessionLimits {
    /// Whether `sign_in` still counts at `now`. Exactly at a limit it has ended.
    pub fn check(&self, sign_in: &SignIn, now: i64) -> Result<(), Ended> {
        if now - sign_in.signed_in_at >= self.max {
            Err(Ended::TooOld)
        } else if now - sign_in.last_seen >= self.idle {
            Err(Ended::Idle)
        } else {
            Ok(())
        }
    }

    /// When the stored session is swept: the earlier limit plus a grace
    /// period, so that a person coming back still learns *why* they must
    /// sign in again (`check` ends the session at the limit itself).
    fn expiry(&self, sign_in: &SignIn) -> Expiry {
        let until = (sign_in.last_seen + self.idle).min(sign_in.signed_in_at + self.max)
            + ENDED_SESSION_GRACE;
        Expiry::AtDateTime(
            time::OffsetDateTime::from_unix_timestamp(until)
                .unwrap_or(time::OffsetDateTime::UNIX_EPOCH),
        )
    }
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The sign-in in this session, if any (a record that does not decode,
/// e.g. from an older version, counts as none).
pub async fn sign_in_of(session: &Session) -> Option<SignIn> {
    session.get::<SignIn>(SIGN_IN_KEY).await.ok().flatten()
}

/// Why this session was ended from outside (its account disabled or
/// deleted since), if it was: it never counts again, even once the account
/// is enabled.
pub async fn ended_from_outside(session: &Session) -> Option<Ended> {
    let code = session
        .get::<String>(crate::store::sessions::ENDED_KEY)
        .await
        .ok()
        .flatten()?;
    Some(Ended::from_code(&code).unwrap_or(Ended::AccountGone))
}

/// Starts a signed-in session: a new session id (so an id planted before
/// sign-in is useless afterwards), then the sign-in record.
pub async fn begin(
    session: &Session,
    limits: &SessionLimits,
    email: &str,
    method: &str,
) -> Result<(), tower_sessions::session::Error> {
    session.cycle_id().await?;
    // A session ended from outside keeps its mark until it expires; the
    // new sign-in starts clean.
    session
        .remove_value(crate::store::sessions::ENDED_KEY)
        .await?;
    let now = now();
    let sign_in = SignIn {
        email: email.to_string(),
        method: method.to_string(),
        signed_in_at: now,
        last_seen: now,
    };
    session.set_expiry(Some(limits.expiry(&sign_in)));
    session.insert(SIGN_IN_KEY, sign_in).await
}

/// Records activity (at most once a minute) and moves the idle deadline.
pub async fn touch(session: &Session, limits: &SessionLimits, sign_in: &SignIn, now: i64) {
    if now - sign_in.last_seen < TOUCH_EVERY_SECONDS.min(limits.idle / 4) {
        return;
    }
    let touched = SignIn {
        last_seen: now,
        ..sign_in.clone()
    };
    session.set_expiry(Some(limits.expiry(&touched)));
    if let Err(e) = session.insert(SIGN_IN_KEY, touched).await {
        tracing::warn!(error = %e, "could not record session activity");
    }
}

/// Ends the session: deletes it server-side and clears the cookie.
pub async fn end(session: &Session) {
    if let Err(e) = session.flush().await {
        tracing::warn!(error = %e, "could not delete a session");
    }
}

/// `3d`, `36h`, `90m`, `45s` or plain seconds, for the timeout settings.
pub fn parse_duration(name: &str, text: &str) -> Result<i64, String> {
    let text = text.trim();
    let (number, unit) = match text.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
        Some((i, _)) => (&text[..i], &text[i..]),
        None => (text, "s"),
    };
    let n: i64 = number
        .trim()
        .parse()
        .map_err(|_| format!("{name} must look like 3d, 36h, 90m or 45s, not `{text}`"))?;
    let factor = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86400,
        _ => return Err(format!("{name}: unknown unit `{unit}` (use d, h, m or s)")),
    };
    if n <= 0 {
        return Err(format!("{name} must be longer than zero"));
    }
    Ok(n * factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86400;

    fn signed(at: i64, seen: i64) -> SignIn {
        SignIn {
            email: "a@x".into(),
            method: "password".into(),
            signed_in_at: at,
            last_seen: seen,
        }
    }

    #[test]
    fn activity_just_before_three_idle_days_keeps_the_session() {
        let limits = SessionLimits::default();
        let s = signed(0, 0);
        assert_eq!(limits.check(&s, 3 * DAY - 60), Ok(()));
        assert_eq!(limits.check(&s, 3 * DAY), Err(Ended::Idle));
        // Used at 2 days 23:59, then again up to 3 days after that.
        let s = signed(0, 3 * DAY - 60);
        assert_eq!(limits.check(&s, 6 * DAY - 61), Ok(()));
    }

    #[test]
    fn seven_days_end_the_session_whatever_the_activity() {
        let limits = SessionLimits::default();
        let s = signed(0, 7 * DAY - 1);
        assert_eq!(limits.check(&s, 7 * DAY - 1), Ok(()));
        assert_eq!(limits.check(&s, 7 * DAY), Err(Ended::TooOld));
    }

    #[test]
    fn the_stored_session_is_swept_a_grace_after_the_earlier_limit() {
        let limits = SessionLimits::default();
        let Expiry::AtDateTime(t) = limits.expiry(&signed(0, 6 * DAY)) else {
            panic!()
        };
        assert_eq!(t.unix_timestamp(), 7 * DAY + ENDED_SESSION_GRACE);
        let Expiry::AtDateTime(t) = limits.expiry(&signed(0, DAY)) else {
            panic!()
        };
        assert_eq!(t.unix_timestamp(), 4 * DAY + ENDED_SESSION_GRACE);
    }

    #[test]
    fn durations_read_like_people_write_them() {
        assert_eq!(parse_duration("x", "3d"), Ok(3 * DAY));
        assert_eq!(parse_duration("x", "90m"), Ok(5400));
        assert_eq!(parse_duration("x", "45"), Ok(45));
        assert!(parse_duration("x", "3w").unwrap_err().contains("unit"));
        assert!(parse_duration("x", "soon").is_err());
        assert!(parse_duration("x", "0s").is_err());
    }
}
