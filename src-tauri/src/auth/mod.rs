//! Credentials: where they come from, and how they stay out of logs, errors and events.

pub mod gcs_credentials;
pub mod rclone;
pub mod s3_credentials;
mod secret;

pub use secret::Secret;
