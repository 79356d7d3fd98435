//! A value sent as JSON text inside another answer and decoded only where
//! it is used.
//!
//! Why: in the browser, a type's decoder is code in the bundle, placed in
//! the part of the bundle that first needs it. A catalog page's blueprint
//! is only read by its filter builder and its new-entity form, which are
//! loaded when first opened; sent as `Deferred`, the blueprint's decoder
//! (with serde_json's maps, chrono's date parsing and the query AST's)
//! travels with them instead of with every catalog page.

use super::AppError;
use serde::{de::DeserializeOwned, Deserialize, Deserializer, Serialize, Serializer};
use std::marker::PhantomData;

pub struct Deferred<T> {
    json: String,
    of: PhantomData<fn() -> T>,
}

impl<T: Serialize> Deferred<T> {
    pub fn new(value: &T) -> Self {
        Deferred {
            // Serializing our own types cannot fail (no maps with non-string keys).
            json: serde_json::to_string(value).unwrap_or_default(),
            of: PhantomData,
        }
    }
}

impl<T: DeserializeOwned> Deferred<T> {
    /// The value; an answer that does not decode is a bug of ours (500).
    pub fn decode(&self) -> Result<T, AppError> {
        serde_json::from_str(&self.json)
            .map_err(|e| AppError::Internal(format!("the page's data could not be read: {e}")))
    }
}

// Derives would ask `T` for the same traits; the JSON text is all there is.
impl<T> Clone for Deferred<T> {
    fn clone(&self) -> Self {
        Deferred {
            json: self.json.clone(),
            of: PhantomData,
        }
    }
}

impl<T> PartialEq for Deferred<T> {
    fn eq(&self, other: &Self) -> bool {
        self.json == other.json
    }
}

impl<T> std::fmt::Debug for Deferred<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Deferred").field(&self.json).finish()
    }
}

impl<T> Serialize for Deferred<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.json)
    }
}

impl<'de, T> Deserialize<'de> for Deferred<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Deferred {
            json: String::deserialize(deserializer)?,
            of: PhantomData,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn travels_as_text_and_decodes_to_the_value() {
        let value = vec![("a".to_string(), 1.5)];
        let deferred = Deferred::new(&value);
        let wire = serde_json::to_string(&deferred).unwrap();
        assert_eq!(wire, r#""[[\"a\",1.5]]""#);
        let back: Deferred<Vec<(String, f64)>> = serde_json::from_str(&wire).unwrap();
        assert_eq!(back.decode().unwrap(), value);
        let broken: Deferred<Vec<u8>> = serde_json::from_str(r#""[\"x\"]""#).unwrap();
        assert!(matches!(broken.decode(), Err(AppError::Internal(_))));
    }
}
