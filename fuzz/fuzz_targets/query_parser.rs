//! The search query parser (`Query::from_json`) on arbitrary input: it must
//! never panic or overflow the stack, and whatever it accepts must survive
//! the trip through its wire form unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portolan::model::query::Query;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    if let Ok(query) = Query::from_json(&value) {
        let wire = query.to_json();
        let again = Query::from_json(&wire)
            .unwrap_or_else(|e| panic!("{wire} was written by to_json but does not parse: {e}"));
        assert_eq!(again, query, "{wire} parses to a different query");
    }
});
