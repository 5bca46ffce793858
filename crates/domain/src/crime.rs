//! Crime types and forms of exploitation. Trafficking in persons (TIP) and smuggling of migrants
//! (SOM) are always separate types: the source report's first complaint is that they are mixed up.

use crate::code_enum;

code_enum! {
    /// What a case is about. A case may carry several (a smuggled migrant exploited on the way is
    /// also a trafficking victim); the related offences are charged alongside or alone.
    pub enum CrimeType {
        /// Trafficking in persons (UN Protocol art. 3; PTPA 2018).
        Tip = "tip",
        /// Smuggling of migrants (PSMA 2018).
        Som = "som",
        /// Forged or fraudulently obtained travel and identity documents.
        DocumentFraud = "document_fraud",
        /// Emigration outside the lawful channels (Emigration Ordinance 1979).
        UnlawfulEmigration = "unlawful_emigration",
        /// Harbouring or enabling illegal stay.
        Harbouring = "harbouring",
        /// Enforcement of bonded labour (Bonded Labour System (Abolition) Act 1992).
        BondedLabour = "bonded_labour",
    }
}

impl CrimeType {
    /// Whether this is one of the two primary crime types (as opposed to a related offence).
    pub fn is_primary(self) -> bool {
        matches!(self, CrimeType::Tip | CrimeType::Som)
    }
}

code_enum! {
    /// The purpose of exploitation in a trafficking case.
    pub enum ExploitationForm {
        SexualExploitation = "sexual_exploitation",
        ForcedLabour = "forced_labour",
        BondedLabour = "bonded_labour",
        DomesticServitude = "domestic_servitude",
        ForcedMarriage = "forced_marriage",
        ForcedBegging = "forced_begging",
        OrganRemoval = "organ_removal",
        ChildCamelJockey = "child_camel_jockey",
        ChildrenInCrime = "children_in_crime",
        Other = "other",
    }
}
