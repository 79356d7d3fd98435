//! The search query parser (`Query::from_json`) on arbitrary input: it must
//! never panic or overflow the stack, whatever it accepts must be within
//! the documented limits (rules, list values, depth), and it must survive
//! the trip through its wire form unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portolan::model::query::{Query, Rule, RuleValue, MAX_DEPTH, MAX_RULES, MAX_VALUES};

/// Rules, list values and depth of a parsed query, counted afresh.
fn size(query: &Query, depth: usize) -> (usize, usize, usize) {
    let (mut rules, mut values, mut deepest) = (0, 0, depth);
    for rule in &query.rules {
        rules += 1;
        match rule {
            Rule::Group(group) => {
                let (r, v, d) = size(group, depth + 1);
                rules += r;
                values += v;
                deepest = deepest.max(d);
            }
            Rule::Property { value: Some(RuleValue::List(items)), .. } => values += items.len(),
            Rule::RelatedTo { identifiers, .. } => values += identifiers.len(),
            Rule::Property { .. } => {}
        }
    }
    (rules, values, deepest)
}

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    if let Ok(query) = Query::from_json(&value) {
        let (rules, values, depth) = size(&query, 0);
        assert!(rules <= MAX_RULES && values <= MAX_VALUES && depth <= MAX_DEPTH + 1);
        let wire = query.to_json();
        let again = Query::from_json(&wire)
            .unwrap_or_else(|e| panic!("{wire} was written by to_json but does not parse: {e}"));
        assert_eq!(again, query, "{wire} parses to a different query");
    }
});
