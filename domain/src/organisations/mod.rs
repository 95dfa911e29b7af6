//! Organisations (theatre chains, promoters), their staff and roles, and the audit log of
//! staff actions.

pub mod audit;
mod audit_log;
mod error;
mod invitation_mail;
mod members;
pub mod owners;
mod service;
mod staff;

pub use audit::AuditEntry;
pub use audit_log::AuditRecord;
pub use error::OrganisationError;
pub use invitation_mail::InvitationMail;
pub use members::{Invitation, IssuedInvitation, Member};
pub use service::{Organisation, OrganisationService};
pub use staff::{MemberRole, Membership, Staff, Visibility};
