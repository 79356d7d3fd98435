//! Whether the page has hydrated: some forms only make sense in the browser.

use leptos::prelude::*;

/// False on the server and until the page has hydrated, true after.
///
/// Forms whose answer is shown once (a new client secret, an invitation
/// link) use it to stay disabled until then: without the WASM, the browser
/// would post the form natively, the server would act and redirect back,
/// and the one-time answer would be lost.
pub fn use_hydrated() -> ReadSignal<bool> {
    let (hydrated, set_hydrated) = signal(false);
    // Effects run only in the browser, after hydration.
    Effect::new(move |_| set_hydrated.set(true));
    hydrated
}
