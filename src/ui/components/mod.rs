//! Small components; each renders what it is given and holds no check logic.

pub mod form;
pub mod records;
pub mod report;
pub mod section;
