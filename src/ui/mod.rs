//! The Yew app: a form, and a report filled in as answers arrive.
//!
//! - [`state`]: the one reducer holding the report.
//! - [`runner`]: runs the library's checks over any `Resolver`, emitting answers.
//! - [`components`]: small components that render the state.
//! - [`permalink`], [`request`]: the URL hash and the form's validation.
//! - [`app`]: the page and its browser glue.

pub mod app;
pub mod components;
pub mod permalink;
pub mod request;
pub mod runner;
pub mod state;

pub fn start() {}
