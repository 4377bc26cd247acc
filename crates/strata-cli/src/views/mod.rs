//! Views: turn engine data and events into text. They return strings or call the printer;
//! they never decide anything.

pub mod apply_progress;
pub mod plan_view;
