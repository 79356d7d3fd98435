//! How strong a new password must be: long enough, and not guessable by
//! zxcvbn's estimate with the person's own e-mail and names counted as
//! the first words an attacker would try.

/// Shortest password accepted when one is set.
pub const MIN_PASSWORD: usize = 10;

/// Longest: a passphrase, not a file.
pub const MAX_PASSWORD: usize = 1024;

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
    if password.chars().count() > MAX_PASSWORD {
        return Some(format!(
            "The password may have at most {MAX_PASSWORD} characters."
        ));
    }
    // The estimate's cost grows fast with length; the first 64 characters
    // decide (a longer password is judged by them, never weaker for it).
    let judged: String = password.chars().take(64).collect();
    let estimate = zxcvbn::zxcvbn(&judged, &inputs);
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

#[cfg(test)]
mod tests {
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
