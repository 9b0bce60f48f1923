//! Small components; each renders what it is given and holds no check logic.

pub mod blocklists;
pub mod copy;
pub mod diagnosis;
pub mod dkim;
pub mod dmarc;
pub mod form;
pub mod generated;
pub mod ptr;
pub mod records;
pub mod report;
pub mod requirements;
pub mod section;
pub mod spf;
pub mod transport;
