//! Reusable view pieces: icons, badges, property values, error and loading states, and the hydration flag.
//! Components render what they are given; they fetch nothing themselves.

pub mod badge;
pub mod charts;
pub mod error;
pub mod hydration;
pub mod icon;
pub mod server_html;
pub mod value;
