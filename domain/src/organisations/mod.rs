//! Organisations (theatre chains, promoters), their staff and roles, and the audit log of
//! staff actions.

pub mod audit;
mod error;
pub mod owners;
mod service;
mod staff;

pub use audit::AuditEntry;
pub use error::OrganisationError;
pub use service::{Organisation, OrganisationService};
pub use staff::{MemberRole, Membership, Staff, Visibility};
