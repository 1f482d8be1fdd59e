//! The only components that run in the browser (`#[island]`): everything else is HTML from the server, with forms
//! that post and links that load, so a page without an island loads no WebAssembly at all (see `ui::assets`).
//! An island's props travel as JSON in the page: only what it needs, never a person's data beyond the field it holds.

pub mod dossier_documents;
pub mod export_progress;
pub mod nir_field;
pub mod send_button;

pub use dossier_documents::DossierDocuments;
pub use export_progress::ExportProgress;
pub use nir_field::NirField;
pub use send_button::SendButton;
