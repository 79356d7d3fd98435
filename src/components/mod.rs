//! Reusable view pieces: the layout, icons, badges, error and loading states.
//! Components render what they are given; they fetch nothing themselves.

pub mod badge;
pub mod error;
pub mod hydration;
pub mod icon;
pub mod value;
