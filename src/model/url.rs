//! Percent-encoding of URL path segments and query values, the same on the
//! server and in the browser: every link the portal writes, the sign-in
//! redirect's `next`, and the tests' form bodies use this one encoder.

/// Encodes everything but RFC 3986's unreserved characters and `$`
/// (allowed as is in paths and queries, and kept readable in links such as
/// `cols=$title`). A space is `%20`, never `+`, so the result is safe in a
/// path segment, a query value and a form body alike.
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'$' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::encode_component;

    #[test]
    fn query_values_and_path_segments_are_encoded() {
        assert_eq!(
            encode_component("/catalog/a?q=b c&x"),
            "%2Fcatalog%2Fa%3Fq%3Db%20c%26x"
        );
        assert_eq!(encode_component("$title,tier"), "$title%2Ctier");
        assert_eq!(encode_component("Zoë"), "Zo%C3%AB");
    }
}
