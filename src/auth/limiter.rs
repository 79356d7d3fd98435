//! Failed sign-in attempts, counted per account and per client address in
//! a sliding window, so that guessing passwords is slow.
//!
//! The counts live in this process: with several instances behind a load
//! balancer each instance counts separately (the limit is per instance).

use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Debug)]
pub struct LoginLimiter {
    window: i64,
    per_account: usize,
    per_address: usize,
    failures: Mutex<HashMap<String, Vec<i64>>>,
}

impl Default for LoginLimiter {
    /// 5 failures per account and 20 per address in 15 minutes.
    fn default() -> Self {
        LoginLimiter::new(15 * 60, 5, 20)
    }
}

impl LoginLimiter {
    pub fn new(window: i64, per_account: usize, per_address: usize) -> Self {
        LoginLimiter {
            window,
            per_account,
            per_address,
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn keys(account: &str, address: &str) -> [String; 2] {
        [
            format!("account:{}", account.to_ascii_lowercase()),
            format!("address:{address}"),
        ]
    }

    /// The counts an attempt adds to, each with its limit; a limit of
    /// `usize::MAX` is no limit, and nothing is counted for it.
    fn counted(&self, account: &str, address: &str) -> Vec<(String, usize)> {
        let [by_account, by_address] = Self::keys(account, address);
        [
            (by_account, self.per_account),
            (by_address, self.per_address),
        ]
        .into_iter()
        .filter(|(_, limit)| *limit != usize::MAX)
        .collect()
    }

    /// `Err(seconds)` until the caller may try again, when either limit is reached.
    pub fn check(&self, account: &str, address: &str, now: i64) -> Result<(), i64> {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let mut wait = 0;
        for (key, limit) in self.counted(account, address) {
            if let Some(times) = failures.get_mut(&key) {
                times.retain(|t| now - t < self.window);
                if times.len() >= limit {
                    wait = wait.max(times[0] + self.window - now);
                }
            }
        }
        if wait > 0 {
            Err(wait)
        } else {
            Ok(())
        }
    }

    pub fn record_failure(&self, account: &str, address: &str, now: i64) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        // Bound the memory an attacker can make us use with random names.
        if failures.len() > 100_000 {
            failures.retain(|_, times| times.iter().any(|t| now - t < self.window));
        }
        for (key, _) in self.counted(account, address) {
            failures.entry(key).or_default().push(now);
        }
    }

    /// A successful sign-in clears the account's count (not the address's).
    pub fn record_success(&self, account: &str, address: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let [by_account, _] = Self::keys(account, address);
        failures.remove(&by_account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_paused_after_its_limit_then_released() {
        let limiter = LoginLimiter::new(900, 3, 100);
        for t in 0..3 {
            assert!(limiter.check("a@x", "1.1.1.1", t).is_ok());
            limiter.record_failure("A@x", "1.1.1.1", t);
        }
        assert_eq!(limiter.check("a@x", "2.2.2.2", 10), Err(890));
        assert!(limiter.check("b@x", "1.1.1.1", 10).is_ok());
        assert!(limiter.check("a@x", "1.1.1.1", 900).is_ok());
    }

    #[test]
    fn an_unlimited_count_keeps_nothing() {
        let limiter = LoginLimiter::new(900, usize::MAX, 2);
        limiter.record_failure("a", "9.9.9.9", 0);
        limiter.record_failure("b", "9.9.9.9", 1);
        assert!(limiter.check("c", "9.9.9.9", 2).is_err());
        let failures = limiter.failures.lock().unwrap();
        assert_eq!(failures.keys().collect::<Vec<_>>(), ["address:9.9.9.9"]);
    }

    #[test]
    fn an_address_is_paused_across_accounts() {
        let limiter = LoginLimiter::new(900, 100, 2);
        limiter.record_failure("a@x", "9.9.9.9", 0);
        limiter.record_failure("b@x", "9.9.9.9", 1);
        assert!(limiter.check("c@x", "9.9.9.9", 2).is_err());
        assert!(limiter.check("c@x", "8.8.8.8", 2).is_ok());
    }
}
