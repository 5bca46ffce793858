//! The kinds of case the demo data holds, each with its crime types, charges, places, routes,
//! prices and the words officers use for it.

use crate::util::{wpick, ymd};
use chrono::{Datelike, NaiveDate};
use nigehban_domain::crime::{CrimeType, ExploitationForm};
use nigehban_domain::org::AgencyKind;
use nigehban_domain::reference::PlaceKind;
use rand::Rng;
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Scenario {
    BrickKiln,
    AgriBondage,
    CoalMine,
    CarpetLoom,
    DomesticServitude,
    SexInternal,
    SexGulf,
    ChinaMarriage,
    BangladeshiWomen,
    BeggingRing,
    UmrahBeggars,
    CamelJockey,
    KidneyRing,
    GulfLabour,
    ChildrenInCrime,
    LandInterception,
    IranDeportees,
    AirportDeportees,
    OmanDeportees,
    BoatInterception,
    Offloading,
    VisaFraud,
    BoatTragedy,
    AlienHarbouring,
    HazaraAustralia,
    RansomInIran,
    DebtBondageAbroad,
}

use Scenario::*;

/// Where a case of a scenario is registered.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Loc {
    /// At an exit point, crossing or launch point; `strict` when only units there register it.
    Place {
        kinds: &'static [PlaceKind],
        neighbours: &'static [&'static str],
        strict: bool,
    },
    /// In the registering unit's area, preferring some districts.
    Area(&'static [&'static str]),
}

/// Which criminal network supplies the suspects (agents are reused within a network).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Net {
    Land,
    Sea,
    Air,
    Gulf,
    Libya,
    China,
    Bengal,
    /// Internal trafficking, per province.
    Internal,
}

impl Net {
    pub fn key(self, province: &str) -> String {
        match self {
            Net::Land => "land".into(),
            Net::Sea => "sea".into(),
            Net::Air => "air".into(),
            Net::Gulf => "gulf".into(),
            Net::Libya => "libya".into(),
            Net::China => "china".into(),
            Net::Bengal => "bengal".into(),
            Net::Internal => format!("internal-{province}"),
        }
    }
}

impl Scenario {
    pub const ALL: [Scenario; 27] = [
        BrickKiln,
        AgriBondage,
        CoalMine,
        CarpetLoom,
        DomesticServitude,
        SexInternal,
        SexGulf,
        ChinaMarriage,
        BangladeshiWomen,
        BeggingRing,
        UmrahBeggars,
        CamelJockey,
        KidneyRing,
        GulfLabour,
        ChildrenInCrime,
        LandInterception,
        IranDeportees,
        AirportDeportees,
        OmanDeportees,
        BoatInterception,
        Offloading,
        VisaFraud,
        BoatTragedy,
        AlienHarbouring,
        HazaraAustralia,
        RansomInIran,
        DebtBondageAbroad,
    ];

    pub fn loc(self) -> Loc {
        use crate::geo::*;
        const IRN: &[&str] = &["IRN"];
        const NONE: &[&str] = &[];
        match self {
            BrickKiln => Loc::Area(KILN_DISTRICTS),
            AgriBondage => Loc::Area(AGRI_DISTRICTS),
            CoalMine => Loc::Area(MINE_DISTRICTS),
            CarpetLoom => Loc::Area(LOOM_DISTRICTS),
            DomesticServitude | SexInternal | BeggingRing | KidneyRing => Loc::Area(CITY_DISTRICTS),
            ChinaMarriage => Loc::Area(&[
                "faisalabad",
                "gujranwala",
                "lahore",
                "sheikhupura",
                "sialkot",
                "islamabad",
                "rawalpindi",
            ]),
            BangladeshiWomen => Loc::Area(&["karachi-east", "karachi-west", "korangi", "malir"]),
            ChildrenInCrime => Loc::Area(&["peshawar", "khyber", "quetta", "killa-abdullah"]),
            SexGulf | GulfLabour => Loc::Area(GULF_SOURCE),
            CamelJockey => Loc::Area(&[
                "rahim-yar-khan",
                "dera-ghazi-khan",
                "muzaffargarh",
                "rajanpur",
                "bahawalpur",
            ]),
            HazaraAustralia => Loc::Area(&["quetta"]),
            AlienHarbouring => Loc::Area(&[
                "karachi-west",
                "karachi-east",
                "quetta",
                "peshawar",
                "pishin",
                "islamabad",
            ]),
            VisaFraud | BoatTragedy | RansomInIran | DebtBondageAbroad => Loc::Area(&[]),
            LandInterception => Loc::Place {
                kinds: &[PlaceKind::LandBorder, PlaceKind::InformalCrossing],
                neighbours: IRN,
                strict: true,
            },
            IranDeportees => Loc::Place {
                kinds: &[PlaceKind::LandBorder],
                neighbours: IRN,
                strict: false,
            },
            AirportDeportees => Loc::Place {
                kinds: &[PlaceKind::Airport],
                neighbours: NONE,
                strict: false,
            },
            OmanDeportees => Loc::Place {
                kinds: &[PlaceKind::Seaport],
                neighbours: &["OMN"],
                strict: false,
            },
            BoatInterception => Loc::Place {
                kinds: &[PlaceKind::CoastalLaunchPoint],
                neighbours: NONE,
                strict: true,
            },
            Offloading | UmrahBeggars => Loc::Place {
                kinds: &[PlaceKind::Airport],
                neighbours: NONE,
                strict: true,
            },
        }
    }

    pub fn net(self) -> Net {
        match self {
            LandInterception | IranDeportees | RansomInIran | HazaraAustralia => Net::Land,
            OmanDeportees | BoatInterception => Net::Sea,
            AirportDeportees | Offloading | VisaFraud | UmrahBeggars | AlienHarbouring => Net::Air,
            GulfLabour | SexGulf | CamelJockey => Net::Gulf,
            BoatTragedy | DebtBondageAbroad => Net::Libya,
            ChinaMarriage => Net::China,
            BangladeshiWomen => Net::Bengal,
            _ => Net::Internal,
        }
    }

    /// The window of offence dates in which the scenario occurred.
    pub fn window(self, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        match self {
            CamelJockey => Some((ymd(2003, 1, 1), ymd(2009, 12, 31))),
            HazaraAustralia => Some((ymd(2009, 1, 1), ymd(2015, 6, 30))),
            UmrahBeggars => Some((ymd(2022, 1, 1), today)),
            ChinaMarriage => Some((ymd(2017, 6, 1), today)),
            BoatTragedy => Some((ymd(2014, 1, 1), today)),
            DebtBondageAbroad => Some((ymd(2015, 1, 1), today)),
            _ => None,
        }
    }

    /// Days from the offence to the complaint or interception.
    pub fn lag(self) -> (i64, i64) {
        match self {
            LandInterception | BoatInterception | Offloading | UmrahBeggars => (0, 0),
            IranDeportees | OmanDeportees | AirportDeportees => (20, 400),
            VisaFraud => (30, 600),
            BoatTragedy => (2, 30),
            RansomInIran => (10, 90),
            DebtBondageAbroad | GulfLabour | SexGulf => (60, 700),
            CamelJockey => (200, 1500),
            HazaraAustralia => (30, 400),
            _ => (0, 60),
        }
    }

    pub fn crimes(self, rng: &mut impl Rng) -> (BTreeSet<CrimeType>, BTreeSet<ExploitationForm>) {
        use CrimeType as C;
        use ExploitationForm as F;
        let mut c = BTreeSet::new();
        let mut f = BTreeSet::new();
        let mut maybe = |c: &mut BTreeSet<CrimeType>, t: CrimeType, p: f64| {
            if rng.gen_bool(p) {
                c.insert(t);
            }
        };
        match self {
            BrickKiln | AgriBondage => {
                c.extend([C::Tip, C::BondedLabour]);
                f.insert(F::BondedLabour);
                if rng.gen_bool(0.3) {
                    f.insert(F::ForcedLabour);
                }
            }
            CoalMine | CarpetLoom => {
                c.insert(C::Tip);
                maybe(&mut c, C::BondedLabour, 0.7);
                f.insert(if c.contains(&C::BondedLabour) {
                    F::BondedLabour
                } else {
                    F::ForcedLabour
                });
            }
            DomesticServitude => {
                c.insert(C::Tip);
                f.insert(F::DomesticServitude);
                if rng.gen_bool(0.2) {
                    f.insert(F::ForcedLabour);
                }
            }
            SexInternal => {
                c.insert(C::Tip);
                f.insert(F::SexualExploitation);
            }
            SexGulf => {
                c.insert(C::Tip);
                maybe(&mut c, C::Som, 0.5);
                maybe(&mut c, C::DocumentFraud, 0.4);
                maybe(&mut c, C::UnlawfulEmigration, 0.4);
                f.insert(F::SexualExploitation);
            }
            ChinaMarriage => {
                c.insert(C::Tip);
                maybe(&mut c, C::DocumentFraud, 0.4);
                maybe(&mut c, C::UnlawfulEmigration, 0.3);
                f.insert(F::ForcedMarriage);
                if rng.gen_bool(0.3) {
                    f.insert(F::SexualExploitation);
                }
            }
            BangladeshiWomen => {
                c.insert(C::Tip);
                maybe(&mut c, C::Harbouring, 0.5);
                maybe(&mut c, C::Som, 0.3);
                f.insert(if rng.gen_bool(0.5) {
                    F::ForcedMarriage
                } else {
                    F::SexualExploitation
                });
                if rng.gen_bool(0.2) {
                    f.insert(F::DomesticServitude);
                }
            }
            BeggingRing => {
                c.insert(C::Tip);
                f.insert(F::ForcedBegging);
            }
            UmrahBeggars => {
                c.insert(C::UnlawfulEmigration);
                maybe(&mut c, C::Som, 0.3);
                if rng.gen_bool(0.6) {
                    c.insert(C::Tip);
                    f.insert(F::ForcedBegging);
                }
            }
            CamelJockey => {
                c.insert(C::Tip);
                maybe(&mut c, C::DocumentFraud, 0.4);
                f.insert(F::ChildCamelJockey);
            }
            KidneyRing => {
                c.insert(C::Tip);
                f.insert(F::OrganRemoval);
            }
            GulfLabour => {
                c.extend([C::Tip, C::UnlawfulEmigration]);
                maybe(&mut c, C::DocumentFraud, 0.3);
                f.insert(F::ForcedLabour);
                if rng.gen_bool(0.2) {
                    f.insert(F::BondedLabour);
                }
            }
            ChildrenInCrime => {
                c.insert(C::Tip);
                f.insert(F::ChildrenInCrime);
            }
            LandInterception => {
                c.insert(C::Som);
                maybe(&mut c, C::UnlawfulEmigration, 0.7);
                maybe(&mut c, C::DocumentFraud, 0.1);
            }
            IranDeportees | OmanDeportees => {
                c.insert(C::Som);
                maybe(&mut c, C::UnlawfulEmigration, 0.6);
            }
            AirportDeportees => {
                c.insert(C::Som);
                maybe(&mut c, C::DocumentFraud, 0.5);
                maybe(&mut c, C::UnlawfulEmigration, 0.6);
            }
            BoatInterception => {
                c.insert(C::Som);
                maybe(&mut c, C::UnlawfulEmigration, 0.7);
            }
            Offloading => {
                c.extend([C::DocumentFraud, C::UnlawfulEmigration]);
                maybe(&mut c, C::Som, 0.5);
            }
            VisaFraud => {
                c.insert(C::UnlawfulEmigration);
                maybe(&mut c, C::DocumentFraud, 0.5);
                maybe(&mut c, C::Som, 0.3);
            }
            BoatTragedy => {
                c.insert(C::Som);
                maybe(&mut c, C::UnlawfulEmigration, 0.5);
                if rng.gen_bool(0.2) {
                    c.insert(C::Tip);
                    f.insert(F::ForcedLabour);
                }
            }
            AlienHarbouring => {
                c.insert(C::Harbouring);
                maybe(&mut c, C::DocumentFraud, 0.6);
                maybe(&mut c, C::Som, 0.3);
            }
            HazaraAustralia => {
                c.insert(C::Som);
                maybe(&mut c, C::UnlawfulEmigration, 0.4);
            }
            RansomInIran => {
                c.extend([C::Som, C::Tip]);
                f.insert(if rng.gen_bool(0.6) {
                    F::Other
                } else {
                    F::ForcedLabour
                });
            }
            DebtBondageAbroad => {
                c.extend([C::Som, C::Tip]);
                f.insert(F::ForcedLabour);
                if rng.gen_bool(0.4) {
                    f.insert(F::BondedLabour);
                }
            }
        }
        (c, f)
    }

    /// Provisions usually charged, most usual first (filtered later by the catalogue).
    pub fn provisions(self) -> &'static [&'static str] {
        match self {
            BrickKiln | AgriBondage | CoalMine | CarpetLoom => &[
                "BLSAA-1992-S11",
                "PPC-S374",
                "BLSAA-1992-S12",
                "PTPA-2018-S3",
                "PPC-S370",
            ],
            DomesticServitude => &["PTPA-2018-S4", "PTPA-2018-S3", "PPC-S374", "PPC-S370"],
            SexInternal => &[
                "PTPA-2018-S3",
                "PPC-S371A",
                "PTPA-2018-S4",
                "PPC-S371B",
                "PPC-S366A",
                "PPC-S365B",
            ],
            SexGulf => &[
                "PTPA-2018-S3",
                "PACHTO-2002-S3",
                "PSMA-2018-S3",
                "PPC-S371A",
                "EO-1979-S18",
                "EO-1979-S17",
                "PSMA-2018-S5",
                "PACHTO-2002-S5",
                "PPC-S468",
            ],
            ChinaMarriage => &[
                "PTPA-2018-S3",
                "PPC-S365B",
                "PTPA-2018-S4",
                "PPC-S371A",
                "EO-1979-S18",
                "PPC-S468",
                "PPC-S420",
            ],
            BangladeshiWomen => &[
                "PTPA-2018-S3",
                "PACHTO-2002-S3",
                "PPC-S366B",
                "PPC-S371A",
                "PPC-S371B",
                "FA-1946-S14",
                "PSMA-2018-S6",
            ],
            BeggingRing => &["PTPA-2018-S4", "PTPA-2018-S3", "PPC-S374", "PPC-S370"],
            UmrahBeggars => &[
                "EO-1979-S17",
                "PTPA-2018-S3",
                "PSMA-2018-S3",
                "EO-1979-S22",
                "PA-1974-S6",
            ],
            CamelJockey => &[
                "PACHTO-2002-S3",
                "PACHTO-2002-S4",
                "PPC-S370",
                "PACHTO-2002-S5",
                "PPC-S371",
            ],
            KidneyRing => &["PTPA-2018-S3", "PTPA-2018-S4", "PPC-S370", "PPC-S374"],
            GulfLabour => &[
                "EO-1979-S22",
                "PTPA-2018-S3",
                "EO-1979-S18",
                "PACHTO-2002-S3",
                "PPC-S420",
                "PPC-S468",
            ],
            ChildrenInCrime => &["PTPA-2018-S4", "PTPA-2018-S3", "PPC-S370"],
            LandInterception => &[
                "PSMA-2018-S3",
                "PACHTO-2002-S3",
                "EO-1979-S17",
                "PA-1974-S4",
                "PSMA-2018-S4",
            ],
            IranDeportees => &[
                "PSMA-2018-S3",
                "PACHTO-2002-S3",
                "EO-1979-S17",
                "EO-1979-S22",
                "PA-1974-S4",
            ],
            AirportDeportees => &[
                "PSMA-2018-S3",
                "PACHTO-2002-S3",
                "PSMA-2018-S5",
                "EO-1979-S17",
                "PA-1974-S6",
                "PPC-S468",
                "PPC-S471",
                "PACHTO-2002-S5",
            ],
            OmanDeportees | BoatInterception => &[
                "PSMA-2018-S3",
                "PACHTO-2002-S3",
                "EO-1979-S17",
                "PSMA-2018-S4",
                "PA-1974-S4",
            ],
            Offloading => &[
                "PSMA-2018-S5",
                "PA-1974-S6",
                "PACHTO-2002-S5",
                "PPC-S468",
                "PPC-S471",
                "EO-1979-S17",
                "PSMA-2018-S3",
            ],
            VisaFraud => &[
                "EO-1979-S22",
                "PPC-S420",
                "EO-1979-S18",
                "PPC-S468",
                "PPC-S471",
                "EO-1979-S17",
                "PSMA-2018-S3",
            ],
            BoatTragedy => &[
                "PSMA-2018-S4",
                "PSMA-2018-S3",
                "PACHTO-2002-S3",
                "EO-1979-S17",
                "EO-1979-S22",
                "PTPA-2018-S3",
            ],
            AlienHarbouring => &[
                "FA-1946-S14",
                "PSMA-2018-S6",
                "PPC-S468",
                "PPC-S471",
                "PSMA-2018-S5",
            ],
            HazaraAustralia => &["PACHTO-2002-S3", "EO-1979-S17", "EO-1979-S22"],
            RansomInIran => &[
                "PSMA-2018-S4",
                "PTPA-2018-S3",
                "PACHTO-2002-S3",
                "PTPA-2018-S4",
                "PSMA-2018-S3",
                "EO-1979-S17",
            ],
            DebtBondageAbroad => &[
                "PTPA-2018-S3",
                "PSMA-2018-S3",
                "PACHTO-2002-S3",
                "PSMA-2018-S4",
                "EO-1979-S17",
            ],
        }
    }

    /// Destination countries and how often.
    pub fn destinations(self) -> &'static [(&'static str, u32)] {
        match self {
            LandInterception | IranDeportees | RansomInIran => &[
                ("Iran", 12),
                ("Turkey", 35),
                ("Greece", 35),
                ("Italy", 12),
                ("Spain", 6),
            ],
            AirportDeportees => &[
                ("Turkey", 14),
                ("Greece", 8),
                ("Oman", 10),
                ("the United Arab Emirates", 16),
                ("Saudi Arabia", 16),
                ("Malaysia", 8),
                ("Libya", 10),
                ("Italy", 4),
                ("Azerbaijan", 4),
                ("Qatar", 6),
                ("Iraq", 4),
            ],
            OmanDeportees => &[("Oman", 1)],
            BoatInterception => &[("Oman", 85), ("Iran", 10), ("the United Arab Emirates", 5)],
            Offloading => &[
                ("Italy", 10),
                ("Spain", 6),
                ("Greece", 6),
                ("the United Kingdom", 10),
                ("Canada", 6),
                ("Saudi Arabia", 12),
                ("the United Arab Emirates", 14),
                ("Malaysia", 8),
                ("Azerbaijan", 6),
                ("Libya", 6),
                ("Portugal", 6),
                ("Qatar", 4),
            ],
            VisaFraud => &[
                ("Italy", 12),
                ("Portugal", 8),
                ("Romania", 8),
                ("Poland", 6),
                ("the United Kingdom", 12),
                ("Canada", 10),
                ("Japan", 4),
                ("South Korea", 4),
                ("Saudi Arabia", 12),
                ("the United Arab Emirates", 10),
                ("Qatar", 6),
                ("Germany", 8),
            ],
            BoatTragedy => &[("Italy", 50), ("Greece", 40), ("Spain", 10)],
            DebtBondageAbroad => &[("Italy", 45), ("Greece", 45), ("Spain", 10)],
            SexGulf => &[
                ("the United Arab Emirates", 60),
                ("Oman", 15),
                ("Bahrain", 10),
                ("Qatar", 10),
                ("Malaysia", 5),
            ],
            GulfLabour => &[
                ("Saudi Arabia", 45),
                ("the United Arab Emirates", 25),
                ("Qatar", 12),
                ("Oman", 10),
                ("Kuwait", 4),
                ("Bahrain", 4),
            ],
            ChinaMarriage => &[("China", 1)],
            CamelJockey => &[("the United Arab Emirates", 85), ("Qatar", 15)],
            UmrahBeggars => &[("Saudi Arabia", 80), ("Iraq", 20)],
            HazaraAustralia => &[("Australia", 1)],
            _ => &[("Pakistan", 1)],
        }
    }

    /// Weight of the scenario for a unit of an agency kind: `places` tells what exit points the
    /// unit is at, `province` where it is.
    pub fn weight(self, kind: Option<AgencyKind>, at: &UnitAt, province: Option<&str>) -> u32 {
        let p = province.unwrap_or("");
        match kind {
            Some(AgencyKind::Fia) if at.airport => match self {
                Offloading => 45,
                AirportDeportees => 35,
                UmrahBeggars => 12,
                SexGulf | GulfLabour => 4,
                _ => 0,
            },
            Some(AgencyKind::Fia) if at.seaport => match self {
                OmanDeportees => 55,
                BoatInterception => 15,
                AlienHarbouring => 10,
                GulfLabour => 5,
                BangladeshiWomen => 5,
                _ => 0,
            },
            Some(AgencyKind::Fia) if at.land => match self {
                IranDeportees => 50,
                LandInterception => 35,
                AlienHarbouring => 8,
                RansomInIran => 7,
                _ => 0,
            },
            Some(AgencyKind::Fia) => match (self, p) {
                (VisaFraud, _) => 20,
                (AirportDeportees | GulfLabour, _) => 8,
                (IranDeportees | RansomInIran | SexGulf, _) => 5,
                (BoatTragedy, _) => 6,
                (DebtBondageAbroad, _) => 4,
                (ChinaMarriage, "PB" | "IS") => 6,
                (ChinaMarriage, _) => 1,
                (HazaraAustralia, "BA") => 8,
                (AlienHarbouring, "SD" | "BA" | "KP") => 6,
                (AlienHarbouring, _) => 2,
                (BangladeshiWomen, "SD") => 6,
                (OmanDeportees, "SD" | "BA") => 6,
                (OmanDeportees, _) => 2,
                (CamelJockey, "PB") => 3,
                (CamelJockey, _) => 1,
                (UmrahBeggars, _) => 3,
                (KidneyRing | SexInternal, _) => 2,
                _ => 0,
            },
            Some(AgencyKind::Police) => match (self, p) {
                (BrickKiln, "PB") => 22,
                (BrickKiln, "SD" | "KP") => 10,
                (AgriBondage, "SD") => 24,
                (AgriBondage, "PB") => 5,
                (CoalMine, "BA") => 12,
                (CoalMine, "KP" | "PB") => 3,
                (CarpetLoom, "PB" | "SD") => 4,
                (DomesticServitude, "IS") => 30,
                (DomesticServitude, _) => 14,
                (SexInternal, "IS") => 15,
                (SexInternal, _) => 15,
                (BeggingRing, _) => 9,
                (ChinaMarriage, "PB" | "IS") => 6,
                (KidneyRing, "PB" | "IS") => 4,
                (BangladeshiWomen, "SD") => 6,
                (AlienHarbouring, "SD" | "BA" | "KP") => 7,
                (ChildrenInCrime, "KP" | "BA") => 5,
                (LandInterception, "BA") => 14,
                (HazaraAustralia, "BA") => 4,
                (CamelJockey, "PB") => 3,
                (VisaFraud, _) => 3,
                _ => 0,
            },
            Some(AgencyKind::TaskForce) if at.coast || at.seaport => match self {
                BoatInterception => 70,
                LandInterception => 15,
                AlienHarbouring => 8,
                OmanDeportees => 5,
                _ => 0,
            },
            Some(AgencyKind::TaskForce) => match self {
                LandInterception => 75,
                IranDeportees => 12,
                AlienHarbouring => 8,
                RansomInIran => 3,
                _ => 0,
            },
            Some(AgencyKind::Prosecution) => match self {
                BrickKiln | SexInternal | GulfLabour | ChinaMarriage => 12,
                DomesticServitude | BoatTragedy => 10,
                VisaFraud => 18,
                KidneyRing | LandInterception | AirportDeportees => 5,
                _ => 0,
            },
            Some(AgencyKind::Ngo) => match self {
                BrickKiln | DomesticServitude => 25,
                SexInternal | ChinaMarriage | BeggingRing => 14,
                AgriBondage => 6,
                _ => 0,
            },
            Some(AgencyKind::UnAgency) => match self {
                AirportDeportees => 30,
                BoatTragedy => 20,
                RansomInIran | DebtBondageAbroad => 14,
                IranDeportees | GulfLabour => 10,
                _ => 0,
            },
            Some(AgencyKind::ForeignLiaison) => match self {
                GulfLabour => 35,
                OmanDeportees => 25,
                SexGulf | AirportDeportees => 20,
                _ => 0,
            },
            None => match self {
                VisaFraud | BrickKiln | DomesticServitude | SexInternal => 10,
                AirportDeportees | GulfLabour | IranDeportees => 8,
                LandInterception | BoatInterception | Offloading => 6,
                CamelJockey | HazaraAustralia | UmrahBeggars => 2,
                _ => 4,
            },
        }
    }

    pub fn is_tip_internal(self) -> bool {
        matches!(
            self,
            BrickKiln
                | AgriBondage
                | CoalMine
                | CarpetLoom
                | DomesticServitude
                | SexInternal
                | BeggingRing
                | KidneyRing
                | ChildrenInCrime
        )
    }
}

/// What exit points a unit is posted at.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct UnitAt {
    pub airport: bool,
    pub seaport: bool,
    pub land: bool,
    pub coast: bool,
}

/// The smuggling price to a destination, in rupees of the year (the 2011 figures of the UNODC
/// report, grown with inflation).
pub(crate) fn price(rng: &mut impl Rng, dest: &str, scenario: Scenario, year: i32) -> u64 {
    let base: f64 = match (scenario, dest) {
        (ChinaMarriage, _) => 400_000.0,
        (CamelJockey, _) => 60_000.0,
        (UmrahBeggars, _) => 150_000.0,
        (VisaFraud | Offloading, "the United Kingdom") => 1_800_000.0,
        (VisaFraud | Offloading, "Canada") => 1_500_000.0,
        (_, "Iran") => 120_000.0,
        (_, "Turkey") => 400_000.0,
        (_, "Greece") => 650_000.0,
        (_, "Italy") => 800_000.0,
        (_, "Spain") => 850_000.0,
        (_, "Oman") => 150_000.0,
        (_, "the United Arab Emirates") => 200_000.0,
        (_, "Libya") => 900_000.0,
        (_, "Australia") => 1_200_000.0,
        (_, "Saudi Arabia" | "Bahrain") => 250_000.0,
        (_, "Qatar" | "Malaysia" | "Azerbaijan") => 300_000.0,
        (_, "Kuwait") => 350_000.0,
        (_, "Iraq") => 80_000.0,
        (_, "Japan" | "South Korea") => 600_000.0,
        (_, "Portugal" | "Romania" | "Poland" | "Germany") => 700_000.0,
        _ => 300_000.0,
    };
    let growth = 1.10f64.powi(year - 2011).clamp(0.6, 4.0);
    let p = base * growth * rng.gen_range(0.75..1.3);
    let unit = if p < 100_000.0 { 5_000.0 } else { 10_000.0 };
    ((p / unit).round() * unit).max(unit) as u64
}

/// A destination of the scenario.
pub(crate) fn destination(rng: &mut impl Rng, s: Scenario) -> &'static str {
    wpick(rng, s.destinations()).unwrap_or("Oman")
}

/// The route to a destination, as narratives describe it.
pub(crate) fn route(rng: &mut impl Rng, s: Scenario, dest: &str) -> &'static str {
    let land: &[&str] = &[
        "by road to Quetta, then through Taftan into Iran",
        "via Quetta and Mashkel into Iran",
        "via Turbat and Mand Ballo into Iran",
        "by bus to Quetta and on foot across the border near Panjgur",
    ];
    match (s, dest) {
        (BoatTragedy | DebtBondageAbroad, "Greece") => crate::util::pickc(rng, &[
                "through Iran and Turkey to the Turkish coast and by boat toward Greece",
                "overland through Iran to Turkey and by rubber boat to a Greek island",
                "via Dubai and Egypt to Tobruk in Libya, from where an overcrowded fishing boat left for Italy and sank off Greece",
            ]).unwrap_or(""),
        (BoatTragedy | DebtBondageAbroad, _) | (_, "Libya") => crate::util::pickc(rng, &[
                "by air to Dubai and Egypt, then overland to Benghazi in Libya and by boat across the Mediterranean",
                "on a visit visa to Dubai, then to Libya, from where a fishing boat left for Italy",
                "via Dubai and Cairo to Benghazi, where migrants were held before boarding a boat",
            ]).unwrap_or(""),
        (OmanDeportees | BoatInterception, _) | (_, "Oman") => crate::util::pickc(rng, &[
                "by road to Gwadar and by boat from Pishukan across the sea to Oman",
                "by launch from a fishing village near Karachi toward Muscat",
                "by boat from Jiwani to the Omani coast",
                "via Turbat to the coast near Pasni and by boat to Oman",
            ]).unwrap_or(""),
        (HazaraAustralia, _) => crate::util::pickc(rng, &[
                "by air to Malaysia and Indonesia, then by boat toward Christmas Island",
                "via Bangkok and Kuala Lumpur to Indonesia, from where boats leave for Australia",
            ]).unwrap_or(""),
        (_, "Iran" | "Turkey" | "Greece" | "Italy" | "Spain")
            if matches!(s, LandInterception | IranDeportees | RansomInIran) =>
        {
            crate::util::pickc(rng, land).unwrap_or("")
        }
        (_, "Italy" | "Spain" | "Greece" | "Portugal" | "Germany" | "Poland" | "Romania") => {
            crate::util::pickc(rng, &[
                    "by air on a forged Schengen visa",
                    "via Dubai on a visit visa with a forged work permit",
                    "by air via Baku on a fake work visa",
                    "overland through Iran and Turkey",
                ]).unwrap_or("")
        }
        (_, "the United Kingdom" | "Canada") => crate::util::pickc(rng, &[
                "by air on a forged study visa",
                "by air on a visa obtained with fake bank statements",
                "on an impostor's passport via Doha",
            ]).unwrap_or(""),
        _ => crate::util::pickc(rng, &[
                "by air on a visit visa",
                "by air on a work visa obtained through a fake employment contract",
                "by air on an Umrah visa",
                "by air via Dubai",
            ]).unwrap_or(""),
    }
}

/// A short name for a place, as titles use it.
pub(crate) fn place_short(code: &str, name_en: &str) -> String {
    match code {
        "ISB-AIRPORT" => "Islamabad airport".into(),
        "LHE-AIRPORT" => "Lahore airport".into(),
        "KHI-AIRPORT" => "Karachi airport".into(),
        "PEW-AIRPORT" => "Peshawar airport".into(),
        "UET-AIRPORT" => "Quetta airport".into(),
        "MUX-AIRPORT" => "Multan airport".into(),
        "LYP-AIRPORT" => "Faisalabad airport".into(),
        "SKT-AIRPORT" => "Sialkot airport".into(),
        "TUK-AIRPORT" => "Turbat airport".into(),
        "GWD-AIRPORT" => "Gwadar airport".into(),
        "DEA-AIRPORT" => "Dera Ghazi Khan airport".into(),
        "RYK-AIRPORT" => "Rahim Yar Khan airport".into(),
        "BHV-AIRPORT" => "Bahawalpur airport".into(),
        "KHI-SEAPORT" => "Karachi seaport".into(),
        "QASIM-SEAPORT" => "Port Qasim".into(),
        "GWADAR-SEAPORT" => "Gwadar port".into(),
        "GABD" => "Gabd".into(),
        "GWADAR-COAST" => "Gwadar".into(),
        _ => name_en
            .split(" (")
            .next()
            .unwrap_or(name_en)
            .split(',')
            .next()
            .unwrap_or(name_en)
            .to_string(),
    }
}

/// Title templates. Variables: see `demo::case_vars`.
pub(crate) fn titles(s: Scenario) -> &'static [&'static str] {
    match s {
        BrickKiln => &[
            "Brick kiln family held in debt bondage, {district}",
            "{N} bonded labourers recovered from brick kiln near {district}",
            "Kiln owner held family against peshgi debt of {debt}, {district}",
            "Raid on brick kiln in {district}: children among bonded workers",
            "Debt bondage at brick kiln, family from {origin} recovered",
            "Family of {n} forced to mould bricks to repay advance, {district}",
        ],
        AgriBondage => &[
            "Hari family held in bondage by landlord, {district}",
            "{N} bonded agricultural labourers released on court order, {district}",
            "Landlord's private jail: haris recovered in {district}",
            "Peasant family kept in chains over crop debt, {district}",
        ],
        CoalMine => &[
            "Miners from {origin} held in debt bondage at coal mine, {district}",
            "Bonded labour at coal mine: {n} workers recovered, {district}",
            "Coal mine contractor kept workers against advances, {district}",
        ],
        CarpetLoom => &[
            "Boys made to weave carpets against family debt, {district}",
            "Forced labour at carpet workshop in {district}",
            "Children recovered from carpet looms in {district}",
        ],
        DomesticServitude => &[
            "Minor domestic worker from {origin} abused in employer's house, {district}",
            "Child maid held without pay in {district}",
            "{Age}-year-old domestic worker recovered from house in {district}",
            "{Person} sold into domestic service by agent, recovered in {district}",
            "Domestic servitude: child worker tortured by employers, {district}",
        ],
        SexInternal => &[
            "Women lured with job offers forced into prostitution, {district}",
            "{Person} from {origin} sold to brothel in {district}",
            "Raid on brothel in {district}: {n} women recovered",
            "{Person} trafficked from {origin} for sexual exploitation",
            "Fake job offer at beauty parlour ends in sexual exploitation, {district}",
        ],
        SexGulf => &[
            "Women recruited as salon workers trafficked to {dest}",
            "Sex trafficking ring sending women to {dest} busted, {district}",
            "{Person} from {origin} sold in {dest} after fake job offer",
            "Victims returned from {dest} name recruiter in {district}",
        ],
        ChinaMarriage => &[
            "Girl married to Chinese national and taken to China, {district}",
            "Marriage bureau in {district} arranged sham marriages to foreigners",
            "Fake marriages to Chinese men: brokers arrested in {district}",
            "Family of bride from {origin} complains of trafficking to China",
        ],
        BangladeshiWomen => &[
            "Bangladeshi women bought and sold in {district}",
            "{N} Bangladeshi women recovered from house in {district}",
            "Woman brought from Bangladesh sold into marriage, {district}",
            "Bengali-speaking women held by agent in {district}",
        ],
        BeggingRing => &[
            "Child begging ring busted in {district}",
            "{N} children forced to beg recovered from {district}",
            "Children from {origin} made to beg at traffic signals, {district}",
            "Begging racket using children broken up, {district}",
        ],
        UmrahBeggars => &[
            "{N} passengers bound for {dest} for begging offloaded at {place}",
            "Beggars travelling on pilgrim visas offloaded at {place}",
            "Begging group with agent stopped at {place}",
            "Family travelling to {dest} to beg offloaded at {place}",
        ],
        CamelJockey => &[
            "Children from {origin} trafficked as camel jockeys to {dest}",
            "Repatriated camel jockeys name agents in {district}",
            "Boys sent to {dest} camel races on false passports, {district}",
            "{N} child camel jockeys repatriated: case against agents",
        ],
        KidneyRing => &[
            "Kidney removal racket exploiting labourers, {district}",
            "Poor labourers lured for kidney sale in {district}",
            "Illegal transplant ring busted in {district}",
            "{Person} from {origin} tricked into selling kidney, {district}",
        ],
        GulfLabour => &[
            "Workers sent to {dest} held without pay, passports seized",
            "Overseas employment promoter sent {n} men to forced labour in {dest}",
            "Labourers from {origin} trapped in a camp in {dest} after fake job offer",
            "Fake job visas for {dest}: workers forced to work unpaid",
            "Men recruited in {district} for {dest} made to work without wages",
        ],
        ChildrenInCrime => &[
            "Children used as drug couriers by gang in {district}",
            "Boys from {origin} forced to smuggle narcotics, {district}",
            "Minors used by criminal gang in {district}",
        ],
        LandInterception => &[
            "{N} migrants intercepted near {place} heading for Iran",
            "Vehicle carrying migrants stopped near {place}",
            "Migrants bound for {dest} intercepted at {place}",
            "Interception near {place}: {n} men from {origin} without travel documents",
            "Smuggled migrants and driver held near {place}",
        ],
        IranDeportees => &[
            "Deportees from Iran via {place} name agent from {agent_district}",
            "{N} Pakistanis deported from Iran received at {place}",
            "Deportees from Iran at {place}: agent in {agent_district} identified",
            "Men from {origin} deported from Iran after failed journey to {dest}",
        ],
        AirportDeportees => &[
            "Deportees from {dest} via {place}",
            "{N} deportees from {dest} received at {place}",
            "Deported from {dest}: travel arranged by agent in {agent_district}",
            "Passengers deported from {dest} on forged documents, {place}",
        ],
        OmanDeportees => &[
            "Deportees from Oman via Karachi seaport",
            "{N} Pakistanis deported from {dest} by sea",
            "Deportees from {dest} received at {place} name boat organisers",
            "Men from {origin} deported from {dest} after sea crossing",
        ],
        BoatInterception => &[
            "Boat intercepted off {place} bound for {dest}",
            "{N} migrants on fishing boat held off {place}",
            "Launch carrying migrants to {dest} stopped near {place}",
            "Coastal interception at {place}: boat crew and migrants held",
        ],
        Offloading => &[
            "Passenger offloaded at {place} on forged {destv} visa",
            "{N} passengers offloaded at {place} with fake visas for {dest}",
            "Forged work permit for {dest} detected at {place}",
            "Impostor travelling on another man's passport stopped at {place}",
            "Travellers to {dest} offloaded at {place}: agent traced",
        ],
        VisaFraud => &[
            "Agent took {price} for {destv} work visas that never came, {district}",
            "{N} complainants defrauded by overseas employment agent, {district}",
            "Fake {destv} visas sold by agent in {district}",
            "Visa fraud: men from {origin} paid for jobs in {dest}",
            "Unlicensed recruiter in {district} collected money for {destv} jobs",
        ],
        BoatTragedy => &[
            "Families of migrants lost at sea off {dest} complain against agents",
            "Boat capsized on way to {dest}: men from {origin} missing",
            "Shipwreck survivors from {origin} name agents in {district}",
            "Agents who sent young men on a fatal boat journey to {dest}, {district}",
        ],
        AlienHarbouring => &[
            "Foreign nationals harboured and given fake CNICs, {district}",
            "Safe house for illegal foreigners found in {district}",
            "Forged identity documents for foreigners, {district}",
            "Aliens without documents sheltered by agent in {district}",
        ],
        HazaraAustralia => &[
            "Hazara youths sent toward Australia by boat, {district}",
            "Agent arranged journey to Australia via Indonesia, {district}",
            "Families of Hazara men missing at sea complain, {district}",
        ],
        RansomInIran => &[
            "Migrants held for ransom in Iran; families paid agents in {district}",
            "Ransom for migrants held in safe house abroad, {district}",
            "Men from {origin} kidnapped on the way to {dest}",
            "Agents demanded ransom from families of migrants, {district}",
        ],
        DebtBondageAbroad => &[
            "Migrants forced to work in Libya to pay smugglers, {district}",
            "Men from {origin} held in debt bondage on way to {dest}",
            "Smuggled migrants made to work unpaid in transit, {district}",
        ],
    }
}

/// Narrative templates: a few sentences with route, price and destination.
pub(crate) fn narratives(s: Scenario) -> &'static [&'static str] {
    match s {
        BrickKiln => &[
            "On a complaint by {complainant}, a team raided a brick kiln in {district}. A family of {n} from {origin}{incl_children} was found moulding bricks against an advance (peshgi) of {advance} which the kiln owner {agent} had raised to {debt} through deductions and fines. The family was not allowed to leave the kiln and was threatened when it asked for accounts. The workers were produced before the Sessions Judge and released; the kiln munshi kept their identity cards.",
            "The complainant {complainant} stated that his relatives from {origin} took an advance of {advance} from the owner of a brick kiln in {district}. The debt was inflated to {debt} and the family was sold on to another kiln when it asked to leave. {N} persons{incl_minors} were recovered in a raid. Statements recorded; the kiln owner {agent} absconded.",
        ],
        AgriBondage => &[
            "On a petition by {complainant}, a team recovered {n} haris{incl_children} from the lands of {agent} in {district}. The family, from {origin}, had been kept for years against a claimed debt of {debt} for seed and fertiliser and was guarded by armed men. The labourers were released by the court.",
            "Haris from {origin} working on the lands of {agent} in {district} were kept in a walled compound and not paid for the crop. The landlord claimed a debt of {debt}. {N} persons recovered on a court order{minors_clause}.",
        ],
        CoalMine => &[
            "Workers from {origin} were recruited by {agent} with an advance of {advance} for work at a coal mine in {district}. Their debt was shown as {debt} and they were not allowed to leave the mine camp. {N} workers recovered on a complaint by {complainant}.",
            "A miner from {origin} stated that the contractor {agent} deducted food and tools from his wages until his debt at a coal mine in {district} reached {debt}. When he tried to leave he was beaten. Complaint lodged by {complainant}.",
        ],
        CarpetLoom => &[
            "On information, a carpet workshop in {district} was raided. Boys from {origin} were found weaving long hours against a family debt of {debt}. The owner {agent} was arrested; the children were handed to the Child Protection Bureau.",
            "{Victim} from {origin} was found weaving carpets in a workshop in {district} run by {agent}, who had given the family an advance of {advance}. The child was not paid and was not allowed to go home.",
        ],
        DomesticServitude => &[
            "{Victim} was taken from {origin} by {recruiter} on the promise of {salary} a month and placed as a domestic worker with a family in {district}. The child was not paid, was kept indoors and was beaten. The father, {complainant}, lodged a complaint; the child was recovered and a medico-legal examination conducted.",
            "On a call to the helpline, a team recovered {victim} from a house in {district}. The child had been brought from {origin} by a middleman who received {advance} from the employers. Marks of torture were found. The employer {agent} was arrested.",
        ],
        SexInternal => &[
            "{Victim} was lured from {origin} by {recruiter} with the offer of a job in {district} and sold for {price} to {agent}, who forced her into prostitution. {N} victims were recovered in a raid and referred to a shelter. The complaint was lodged by {complainant}.",
            "The complainant {complainant} stated that a girl from {origin} was taken by a woman known to her family on the promise of work at a beauty parlour in {district}. She was sold onward for {price}. On information, a house in {district} was raided and {n} women recovered.",
            "{Victim} from {origin} was promised a job in {district} by {recruiter} and handed over to {agent}, who paid {price} for her, kept her locked in a house and forced her into prostitution. She escaped with the help of a neighbour. The complaint was lodged by {complainant}.",
        ],
        SexGulf => &[
            "{Victim} from {origin} was recruited by {agent} of {agent_district} for a job at a salon in {dest} for a fee of {price}. She travelled {route}. On arrival her passport was taken and she was forced into prostitution. She returned with help from the embassy and lodged a complaint.",
            "Victims returned from {dest} stated that {agent} recruited women from {origin} and {district} for jobs abroad, charging {price} each. They were sent {route} and sexually exploited on arrival. {N} victims have recorded statements.",
        ],
        ChinaMarriage => &[
            "The parents of {victim} stated that a marriage bureau run by {agent} in {district} arranged her marriage to a Chinese national, promising {price} and a good life. Her documents were processed in haste and she was taken to China, where she was abused and made to live with other men. She contacted her family by phone.",
            "On a complaint by {complainant}, a team raided a house in {district} where brokers kept girls from {origin} awaiting marriages to foreign nationals. The families were paid {price}. {N} girls recovered; marriage certificates found to be forged.",
        ],
        BangladeshiWomen => &[
            "{N} women from Bangladesh were found in a house in {district}. They said they were brought through India by agents and sold for {price} each, some as wives and some to brothels. The agent {agent} was arrested at the spot.",
            "{Victim} stated that she was brought from Bangladesh by {agent}, kept in {district} and sold for {price}. Her husband by the sham marriage sold her on. Case registered on her statement.",
        ],
        BeggingRing => &[
            "On information, a team recovered {n} children from a house in {district} used by {agent} to send children to beg at traffic signals. The children, from {origin}, were rented from their parents for {salary} a month and beaten if they brought less than a set amount.",
            "Children begging at markets in {district} were found to belong to a ring run by {agent}. {N} children recovered and handed to the Child Protection Bureau. Parents in {origin} had received money for them.",
        ],
        UmrahBeggars => &[
            "{N} passengers travelling to {dest} on pilgrim visas were offloaded at {place} on profiling. They admitted they were going to beg; {agent} had arranged the visas and tickets for {price} each, to be repaid from earnings abroad. The agent was arrested.",
            "During immigration checks at {place}, a group bound for {dest} including women and children could not explain the purpose of travel. They stated that {agent} sent them to beg and would take half the money. Case registered.",
        ],
        CamelJockey => &[
            "{N} boys from {origin} were taken to {dest} by {agent}, who entered them on the passports of unrelated women, and were used as camel jockeys. The families were paid {price}. The boys were repatriated and the agents named in their statements.",
            "A repatriated child camel jockey from {origin} stated that he was taken to {dest} as a small boy by {agent} for {price} paid to his father. He lived at a camel farm and raced until repatriation.",
        ],
        KidneyRing => &[
            "{Victim} was lured by {recruiter} with a job offer and {price}, kept at a house in {district} and operated upon at a private clinic, where a kidney was removed. {He} was paid less than promised. The clinic was raided and {agent} arrested.",
            "On information, a private clinic in {district} was raided during an illegal transplant. Labourers from {origin} had been brought by agents and promised {price}. {N} donors recovered.",
        ],
        GulfLabour => &[
            "The complainant {complainant} stated that {agent}, an overseas employment promoter of {agent_district}, recruited {n} men from {origin} for jobs in {dest} and charged {price} each. They travelled {route}. On arrival their passports were seized and they were made to work without pay for months before they were deported.",
            "{N} workers returned from {dest} said they paid {price} each to {agent} for jobs as drivers and labourers. They were taken {route}, housed in a camp, paid nothing and threatened with arrest if they complained.",
            "{Victim} from {origin} paid {price} to {agent} of {agent_district} for a job as a driver in {dest}. He was sent {route}; on arrival his passport was taken and he worked without wages for months before he was deported. Complaint lodged on his return.",
        ],
        ChildrenInCrime => &[
            "Boys from {origin} were found carrying narcotics for a gang run by {agent} in {district}. They were kept in a house and paid nothing. {N} boys recovered.",
            "On information, {n} children used by {agent} to carry drugs in {district} were recovered; they had been taken from families in {origin}.",
            "{Victim} from {origin} was found carrying narcotics for a gang run by {agent} in {district}. The child had been taken from the family with the promise of work and was paid nothing.",
        ],
        LandInterception => &[
            "A vehicle was intercepted near {place}. {N} men from {origin} and nearby districts were on their way to {dest} without travel documents; each had paid {price} to agents in their home districts, to be paid in instalments. The driver and a guide were arrested; the migrants named the main agent {agent}.",
            "On patrol near {place}, {n} migrants were stopped walking toward the border with a guide. They said they left {origin} for {dest}, travelling {route}, and had paid {price} to {agent}. Migrants handed to FIA for screening and statements.",
        ],
        IranDeportees => &[
            "{N} Pakistanis deported by Iran were received at {place}. On interview, several stated that {agent} of {agent_district} arranged their journey to {dest} for {price} each, {route}. They were arrested in Iran and held before deportation.",
            "A deportee from {origin} stated that he left for {dest} with {agent}, who took {price}. He travelled {route} and was arrested by Iranian police. Case registered against the agents named.",
        ],
        AirportDeportees => &[
            "{N} passengers deported from {dest} arrived at {place}. They stated that {agent} of {agent_district} arranged their travel {route} for {price} each. Their documents were found to be forged.",
            "A deportee from {dest} received at {place} stated that he paid {price} to {agent} for a job in {dest}. He travelled {route}, overstayed and was deported. Statement recorded; agent traced to {agent_district}.",
        ],
        OmanDeportees => &[
            "{N} Pakistanis deported from {dest} arrived at {place}. They stated that they were taken {route} by boat organisers who charged {price} each. Several were from {origin}. Main agent named as {agent}.",
            "Deportees from {dest} received at {place} said they were smuggled {route}. Each paid {price}; some paid through hawala to {agent}.",
        ],
        BoatInterception => &[
            "A fishing boat was intercepted off {place} with {n} migrants bound for {dest}. Each had paid {price} to agents. The boat's captain and crew were arrested; the migrants, mostly from {origin}, named {agent} as the organiser.",
            "On information, a launch leaving {place} was stopped at sea. {N} men without documents were on board, headed for {dest} {route}. They had paid {price} each. Crew held; migrants referred for screening.",
        ],
        Offloading => &[
            "During immigration clearance at {place}, {n} passengers for {dest} produced visas which were found to be forged. They stated that {agent} arranged the visas for {price} each. They were offloaded and the agent traced.",
            "A passenger bound for {dest} was offloaded at {place} after his work permit was found forged. He said he paid {price} to {agent} of {agent_district}. Case registered against the agent and the forger.",
        ],
        VisaFraud => &[
            "The complainant {complainant}{and_others} stated that {agent} of {agent_district} promised {them} {jobs} in {dest} and took {price}{each} in cash and by bank transfer. No visa was issued and the agent stopped answering the phone. The agent holds no licence from the Bureau of Emigration.",
            "{N} complainants from {origin} paid {price} each to {agent} of {agent_district} for work visas to {dest}. The agent showed them forged visa copies and offer letters. When they insisted, he returned part of the money by a bounced cheque.",
        ],
        BoatTragedy => &[
            "The families of {n} young men from {origin} stated that {agent} sent them to {dest} {route}, charging {price} each. The boat capsized; some are missing and some were rescued. The money was paid in instalments, partly through hawala. Complaint lodged by {complainant}.",
            "{Complainant} stated that his son paid {price} to {agent} of {agent_district} for a journey to {dest}. He travelled {route}. The family learnt of the shipwreck from the news. Agents of the network are being traced.",
        ],
        AlienHarbouring => &[
            "On information, a house in {district} was raided. {N} foreign nationals were living there without valid documents; some held Pakistani identity cards obtained with fake documents. The owner {agent} received {price} to arrange stay and documents.",
            "Foreigners in {district} were found holding forged CNICs made through {agent}, who charged {price} each. Case registered; the NADRA record is being checked.",
        ],
        HazaraAustralia => &[
            "The family of a young man from Quetta stated that {agent} arranged his journey to {dest} {route} for {price}. The boat he boarded has not been heard of. Other families from {district} have made similar complaints.",
            "{N} Hazara men from {district} paid {price} each to {agent} for travel to {dest} {route}. Some reached Indonesia and were stranded; families complained.",
        ],
        RansomInIran => &[
            "{N} men from {origin} left for {dest} with {agent}, who took {price}. In Iran they were held in a safe house and beaten while videos were sent to families to demand ransom. Families paid through hawala in {district}.",
            "The complainant {complainant} stated that his son was kidnapped on the way to {dest} by the agent's associates and held until the family paid {price}. The money was collected by a hawala dealer in {district}.",
        ],
        DebtBondageAbroad => &[
            "{N} men from {origin} were sent toward {dest} {route} by {agent} for {price}. In transit they were held and made to work without pay to clear a further debt before the sea crossing. Families complained in {district}.",
            "A returnee from {origin} stated that he paid {price} to {agent} and was sent {route}, then forced to work for months to pay the smugglers. Statement recorded.",
        ],
    }
}

/// A year's offence-date weight for the global mix: more recent years hold more cases.
pub(crate) fn recent_bias(rng: &mut impl Rng, today: NaiveDate) -> NaiveDate {
    use crate::util::{add_days, date_between};
    let bucket = wpick(rng, &[(0u8, 14), (1, 29), (2, 21), (3, 20), (4, 16)]).unwrap_or(1);
    let reform = ymd(2018, 5, 30);
    let start = ymd(2006, 1, 1);
    let last = add_days(today, -2);
    match bucket {
        0 => date_between(rng, start, reform.min(last)),
        1 => date_between(rng, add_days(last, -365), last),
        2 => date_between(rng, add_days(last, -730), add_days(last, -365)),
        3 => date_between(rng, add_days(last, -1460), add_days(last, -730)),
        _ => date_between(
            rng,
            ymd(2018, 6, 1).min(last),
            add_days(last, -1460).max(ymd(2018, 6, 1)),
        ),
    }
    .min(last)
    .max(ymd(today.year() - 25, 1, 1))
}
