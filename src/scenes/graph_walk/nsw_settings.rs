//! How an NSW is built: `m`, the insertion rule and `w`. Shared by the two scenes that build
//! one (construction and greedy search), which the session keeps in step as one linked
//! settings group, so both show the same graph.

use crate::engine::presets::Preset;
use crate::engine::{InsertRule, Metric, NswParams};
use crate::scenes::Shared;

/// The name of the linked settings group (see `Scene::linked`).
pub const GROUP: &str = "nsw-graph";

/// How the NSW is built; the greedy-search scene builds its graph with the same settings.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct NswSettings {
    /// Links per insertion.
    pub m: usize,
    /// The exact rule (true m nearest) or Malkov 2014 (found by `w` searches).
    pub exact_rule: bool,
    pub w: u16,
}

impl Default for NswSettings {
    fn default() -> Self {
        Self {
            m: 2,
            exact_rule: true,
            w: 3,
        }
    }
}

impl NswSettings {
    pub fn params(&self, metric: Metric, seed: u64) -> NswParams {
        NswParams {
            m: self.m,
            rule: if self.exact_rule {
                InsertRule::Exact
            } else {
                InsertRule::Malkov2014 { w: self.w }
            },
            metric,
            seed,
        }
    }

    /// The seed lesson's own parameters: m = 2 and the exact rule.
    pub fn data_changed(&mut self, shared: &Shared) {
        if shared.preset == Preset::SeedLesson {
            self.m = 2;
            self.exact_rule = true;
        }
    }

    /// These settings from a version-1 file's flat settings.
    pub fn from_v1(flat: &serde_json::Value) -> Self {
        let d = Self::default();
        Self {
            m: flat["m"].as_u64().map_or(d.m, |v| v as usize),
            exact_rule: flat["exact_rule"].as_bool().unwrap_or(d.exact_rule),
            w: flat["w"].as_u64().map_or(d.w, |v| v as u16),
        }
    }

    /// Takes the linked group's settings if they are this group's and differ; returns whether
    /// they changed.
    pub fn take_linked(&mut self, group: &str, settings: &serde_json::Value) -> bool {
        match serde_json::from_value::<Self>(settings.clone()) {
            Ok(s) if group == GROUP && s != *self => {
                *self = s;
                true
            }
            _ => false,
        }
    }

    /// A note when m makes the graph complete.
    pub fn note(&self, n: usize) -> Option<String> {
        (self.m + 1 >= n && n > 1).then(|| {
            format!(
                "m = {} ≥ n − 1 = {}: every point links to every other, the graph is complete.",
                self.m,
                n - 1
            )
        })
    }
}
