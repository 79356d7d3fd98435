//! Who may do what: the one policy that says yes or no.
//!
//! This module will own `decide(subject, action, resource) -> Decision` and
//! `read_filter(subject, blueprint)`: pure functions with no I/O, used by
//! every service, server function and REST handler, and by the UI to hide
//! what a user may not do. Nothing else in the code base decides access.
//!
//! Until the Identity and Authorization issues land there is no login: the
//! portal serves its catalog read-only to whoever reaches it, and offers no
//! writes at all, so there is nothing to decide yet.
