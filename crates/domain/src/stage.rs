//! The stages of a case and the transitions between them. Which transitions are allowed is data
//! (`data/case_stages.toml`), loaded and checked with the rest of the reference data.

use crate::code_enum;

code_enum! {
    /// Where a case stands on its path from complaint to closure.
    pub enum CaseStage {
        /// A complaint received, or an interception reported.
        Complaint = "complaint",
        /// A First Information Report registered.
        Fir = "fir",
        /// An inquiry (the FIA inquires before it registers a case).
        Inquiry = "inquiry",
        Investigation = "investigation",
        /// The final report under s.173 CrPC submitted to court; required for trial.
        Challan = "challan",
        Trial = "trial",
        /// Judgment given: conviction or acquittal, per accused.
        Judgment = "judgment",
        Appeal = "appeal",
        Closed = "closed",
    }
}

code_enum! {
    /// The verdict for one accused at judgment.
    pub enum Verdict {
        Convicted = "convicted",
        Acquitted = "acquitted",
    }
}
