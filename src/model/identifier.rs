//! Identifier rules from the spec (data-model.md §1), written by hand rather
//! than with a regex crate so the browser bundle stays small.

/// Why an identifier was refused, in words a person can act on.
pub type IdentifierError = String;

fn check(kind: &str, value: &str, max: usize, extra: &str) -> Result<(), IdentifierError> {
    if value.is_empty() {
        return Err(format!("{kind} identifier must not be empty"));
    }
    if value.chars().count() > max {
        return Err(format!(
            "{kind} identifier must be at most {max} characters"
        ));
    }
    if value == "." || value == ".." {
        return Err(format!("{kind} identifier must not be `.` or `..`"));
    }
    if let Some(bad) = value
        .chars()
        .find(|c| !(c.is_alphabetic() || c.is_ascii_digit() || extra.contains(*c)))
    {
        return Err(format!(
            "{kind} identifier `{value}` contains `{bad}`; use letters, digits and {}",
            extra
                .chars()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(" ")
        ));
    }
    Ok(())
}

/// `^(?!\.{1,2}$)[\p{L}0-9@_.+:\\/-]+$`, at most 100 characters.
pub fn validate_blueprint_identifier(value: &str) -> Result<(), IdentifierError> {
    check("blueprint", value, 100, "@_.+:\\/-")
}

/// `^(?!\.{1,2}$)[\p{L}0-9@_.+:\\/=-]+$`, at most 1000 characters.
pub fn validate_entity_identifier(value: &str) -> Result<(), IdentifierError> {
    check("entity", value, 1000, "@_.+:\\/=-")
}

/// `^[A-Za-z0-9@_=\-]+$`, at most 100 characters (property and relation keys).
pub fn validate_property_key(value: &str) -> Result<(), IdentifierError> {
    if value.is_empty() || value.len() > 100 {
        return Err(format!(
            "property key `{value}` must be 1 to 100 characters"
        ));
    }
    match value
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "@_=-".contains(*c)))
    {
        Some(bad) => Err(format!(
            "property key `{value}` contains `{bad}`; use A-Z, a-z, 0-9, `@`, `_`, `=` and `-`"
        )),
        None => Ok(()),
    }
}

/// `^[^;#/\?\s][^;#/\?]*[^;#/\?\s]$`: two characters or more, none of
/// `; # / ?`, no space at either end.
pub fn validate_team_name(value: &str) -> Result<(), IdentifierError> {
    if value.chars().count() < 2 {
        return Err(format!("team name `{value}` must be at least 2 characters"));
    }
    if let Some(bad) = value.chars().find(|c| ";#/?".contains(*c)) {
        return Err(format!(
            "team name `{value}` contains `{bad}`; `;`, `#`, `/` and `?` are not allowed"
        ));
    }
    if value.starts_with(char::is_whitespace) || value.ends_with(char::is_whitespace) {
        return Err(format!(
            "team name `{value}` must not start or end with a space"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn team_names_follow_the_spec() {
        assert!(validate_team_name("payments").is_ok());
        assert!(validate_team_name("Platform team").is_ok());
        assert!(validate_team_name("x").is_err());
        assert!(validate_team_name(" lead").is_err());
        assert!(validate_team_name("a/b").unwrap_err().contains("`/`"));
    }

    #[test]
    fn blueprint_identifiers_follow_the_spec() {
        assert!(validate_blueprint_identifier("service").is_ok());
        assert!(validate_blueprint_identifier("k8s/cluster:v1").is_ok());
        assert!(validate_blueprint_identifier("dienst-Ü").is_ok());
        assert!(validate_blueprint_identifier("..").is_err());
        assert!(validate_blueprint_identifier("").is_err());
        let err = validate_blueprint_identifier("a=b").unwrap_err();
        assert!(err.contains("`=`"), "{err}");
        assert!(validate_blueprint_identifier(&"a".repeat(101)).is_err());
    }

    #[test]
    fn entity_identifiers_allow_equals_sign() {
        assert!(validate_entity_identifier("a=b").is_ok());
        assert!(validate_entity_identifier("has space").is_err());
    }

    #[test]
    fn property_keys_are_ascii() {
        assert!(validate_property_key("tier").is_ok());
        assert!(validate_property_key("on_call-2").is_ok());
        assert!(validate_property_key("ü").is_err());
        assert!(validate_property_key("a.b").is_err());
    }
}
