//! The order of a JPEG's scans, checked before each is decoded (ITU T.81
//! G.1.1.1): every coefficient of every component is coded once by a first
//! scan (Ah = 0), then only refined, each refinement lowering the point
//! transform by one bit (Ah = the previous Al, Al = Ah − 1); the AC
//! coefficients of a component come after its DC; a sequential image codes
//! each component in one scan.
//!
//! Why refuse what libjpeg only warns about: a scan that does not advance
//! the progression adds nothing to the image but costs a pass over it, and
//! an Al = 0 first scan repeated thousands of times (which libjpeg's check
//! lets through) is exactly the attack the scan limit exists for. With this
//! check each coefficient is coded by at most 14 scans (Al ≤ 13), so the
//! work of a valid file is bounded by its pixels whatever its scan count.

use super::frame::{Frame, Scan};
use crate::error::{ImageError, Result};

/// No scan has coded the coefficient yet.
const UNCODED: i8 = -1;

pub(super) struct Progression {
    /// Progressive: per component and zigzag coefficient, the Al of the
    /// last scan that coded it ([`UNCODED`] before the first).
    coded_to: Vec<[i8; 64]>,
    /// Sequential: per component, whether a scan has coded it.
    seen: Vec<bool>,
    progressive: bool,
}

impl Progression {
    pub fn new(frame: &Frame) -> Self {
        let count = frame.components.len();
        Self {
            coded_to: vec![[UNCODED; 64]; if frame.progressive { count } else { 0 }],
            seen: vec![false; count],
            progressive: frame.progressive,
        }
    }

    /// Records scan number `number` (from 1), or refuses it when it is not
    /// the next step of a valid progression.
    pub fn see(&mut self, frame: &Frame, scan: &Scan, number: u32) -> Result<()> {
        let bad = |why: String| {
            ImageError::corrupt(format!(
                "JPEG: scan {number} is not a valid step of the progression: {why}"
            ))
        };
        if !self.progressive {
            for sc in &scan.components {
                if std::mem::replace(&mut self.seen[sc.index], true) {
                    let id = frame.components[sc.index].id;
                    return Err(bad(format!("it codes component {id} a second time")));
                }
            }
            return Ok(());
        }
        let (ah, al) = (scan.ah, scan.al);
        if ah != 0 && al + 1 != ah {
            return Err(bad(format!(
                "a refinement lowers the point transform by one bit (Ah {ah}, Al {al})"
            )));
        }
        for sc in &scan.components {
            let id = frame.components[sc.index].id;
            let coded = &self.coded_to[sc.index];
            if scan.ss > 0 && coded[0] == UNCODED {
                return Err(bad(format!(
                    "AC coefficients of component {id} before its DC coefficient"
                )));
            }
            for (k, &to) in coded.iter().enumerate().take(scan.se + 1).skip(scan.ss) {
                let why = match to {
                    UNCODED if ah == 0 => continue,
                    UNCODED => format!(
                        "it refines coefficient {k} of component {id} (Ah {ah}) before coding it"
                    ),
                    0 => format!(
                        "it codes coefficient {k} of component {id} again after its last bit"
                    ),
                    to if ah == to as u32 => continue,
                    to => format!(
                        "coefficient {k} of component {id} was coded down to Al {to}, the scan says Ah {ah}"
                    ),
                };
                return Err(bad(why));
            }
        }
        for sc in &scan.components {
            self.coded_to[sc.index][scan.ss..=scan.se].fill(al as i8);
        }
        Ok(())
    }

    /// After the last scan: every component was coded (a sequential one
    /// by its scan, a progressive one at least in its DC coefficients).
    /// A component without data is missing, not dark: decoders fill it in
    /// differently, so the image is refused as corrupt, like a truncated
    /// one.
    pub fn finish(&self, frame: &Frame) -> Result<()> {
        let coded = |i: usize| {
            if self.progressive {
                self.coded_to[i][0] != UNCODED
            } else {
                self.seen[i]
            }
        };
        match (0..frame.components.len()).find(|&i| !coded(i)) {
            Some(i) => Err(ImageError::corrupt(format!(
                "JPEG: component {} has no scan",
                frame.components[i].id
            ))),
            None => Ok(()),
        }
    }
}
