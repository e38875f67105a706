//! The shared data and the query: made from the preset (in 2 dimensions, or in up to 128
//! drawn at their PCA projection, with a query vector beside the query's place in the
//! picture), or loaded from a scene file; every scene told when either changes.

use super::{Session, Stale, shared_fields, shared_of};
use crate::engine::presets::{self, Preset};
use crate::engine::projection::Projection;
use crate::engine::scaling::{DataKind, data};
use crate::engine::{Metric, Points};
use crate::scenes::MAX_ANIMATED_POINTS;

impl Session {
    /// Makes the data set from the settings; every scene goes stale, the one on show rebuilds.
    pub fn regenerate(&mut self) {
        match self.generate() {
            Ok(()) => self.refresh(),
            Err(e) => self.error = Some(e),
        }
    }

    /// Makes the data set from the settings and tells every scene; builds nothing.
    pub(super) fn generate(&mut self) -> Result<(), String> {
        let d = self.data;
        if d.n > MAX_ANIMATED_POINTS && d.preset != Preset::SeedLesson {
            return Err(format!(
                "n = {} is more than the {MAX_ANIMATED_POINTS} points the animated scenes take",
                d.n
            ));
        }
        let dim = d.effective_dim();
        if dim > 2 {
            return self.generate_high(dim);
        }
        let ds = presets::generate(d.preset, d.n, d.seed).map_err(|e| e.to_string())?;
        if d.preset == Preset::SeedLesson {
            self.data.metric = Metric::Euclidean;
        }
        self.points = ds.points;
        self.query = ds.query;
        self.query_vec = ds.query.to_vec();
        self.projection = None;
        self.explicit_points = false;
        self.error = None;
        self.data_changed();
        Ok(())
    }

    /// Uses these points instead of the preset's (a scene file's own data), keeping the query.
    /// Refuses too many or non-finite points and leaves the session as it was.
    pub fn set_points(&mut self, xy: &[[f32; 2]]) -> Result<(), String> {
        self.load_points(xy)?;
        self.refresh();
        Ok(())
    }

    pub(super) fn load_points(&mut self, xy: &[[f32; 2]]) -> Result<(), String> {
        if xy.len() > MAX_ANIMATED_POINTS {
            return Err(format!(
                "{} points is more than the {MAX_ANIMATED_POINTS} the animated scenes take",
                xy.len()
            ));
        }
        if let Some(i) = xy
            .iter()
            .position(|p| !(p[0].is_finite() && p[1].is_finite()))
        {
            return Err(format!("point {i} is not a finite point"));
        }
        self.points = Points::from_xy(xy).map_err(|e| e.to_string())?;
        self.query_vec = self.query.to_vec();
        self.projection = None;
        self.data.dim = 2;
        self.explicit_points = true;
        self.error = None;
        self.data_changed();
        Ok(())
    }

    /// Tells every scene the data changed; all go stale.
    pub(super) fn data_changed(&mut self) {
        self.duplicates = self.points.duplicates();
        let shared = shared_fields!(self);
        for s in &mut self.scenes {
            s.data_changed(&shared);
        }
        self.stale.fill(Stale::Data);
    }

    /// The metric changed: every scene rebuilds (lazily).
    pub fn set_metric(&mut self, metric: Metric) {
        self.data.metric = metric;
        if self.projection.is_some() {
            // Cosine pictures d-dimensional data by direction: draw it again, same query.
            if let Err(e) = self.refit_picture() {
                self.error = Some(e);
            }
        }
        self.stale.fill(Stale::Data);
        self.refresh();
    }

    /// Moves the query; scenes that use it redo their searches (the one on show now).
    pub fn set_query(&mut self, q: [f32; 2]) {
        if !(q[0].is_finite() && q[1].is_finite()) {
            self.error = Some("the query must have finite coordinates".into());
            return;
        }
        self.place_query(q, None);
        self.query_moved();
    }

    /// Every built scene redoes what depends on the query (the one on show now).
    pub(super) fn query_moved(&mut self) {
        for s in &mut self.stale {
            if *s == Stale::Fresh {
                *s = Stale::Query;
            }
        }
        self.refresh();
    }

    /// Points of `dim` dimensions from the Uniform or Clusters generator (the scaling lab's),
    /// drawn at their PCA projection; the query is one more point of the same kind.
    pub(super) fn generate_high(&mut self, dim: usize) -> Result<(), String> {
        let d = self.data;
        if d.n < 3 {
            return Err(format!(
                "{} points have no picture in {dim} dimensions: take at least 3, or 2 dimensions",
                d.n
            ));
        }
        let kind = if d.preset == Preset::Clusters {
            DataKind::Clusters
        } else {
            DataKind::Uniform
        };
        let points =
            Points::new(dim, data::draw(kind, dim, d.n, d.seed, 0)).map_err(|e| e.to_string())?;
        let q = data::draw(kind, dim, 1, d.seed, 1);
        let (projection, picture) =
            Projection::fit(&points, d.metric).map_err(|e| e.to_string())?;
        self.points = points.with_picture(picture).map_err(|e| e.to_string())?;
        self.query = projection.project(&q);
        self.query_vec = q;
        self.projection = Some(projection);
        self.explicit_points = false;
        self.error = None;
        self.data_changed();
        Ok(())
    }

    /// Fits the picture again (the metric changed: cosine pictures by direction), keeping the
    /// points and the query vector; every scene goes stale.
    pub(super) fn refit_picture(&mut self) -> Result<(), String> {
        if self.projection.is_none() {
            return Ok(());
        }
        let bare = Points::new(self.points.dim(), self.points.as_flat().to_vec())
            .map_err(|e| e.to_string())?;
        let (projection, picture) =
            Projection::fit(&bare, self.data.metric).map_err(|e| e.to_string())?;
        self.points = bare.with_picture(picture).map_err(|e| e.to_string())?;
        self.query = projection.project(&self.query_vec);
        self.projection = Some(projection);
        self.data_changed();
        self.refresh();
        Ok(())
    }

    /// Puts the query at `q` in the picture, or at `vector` (drawn at its projection) when
    /// the data has its dimension; builds nothing. A position alone in d-dimensional data
    /// stands for a vector among the points drawn there, and the star goes where that vector
    /// is drawn.
    pub(super) fn place_query(&mut self, q: [f32; 2], vector: Option<&[f32]>) {
        match (&self.projection, vector) {
            (Some(p), Some(v))
                if v.len() == self.points.dim() && v.iter().all(|x| x.is_finite()) =>
            {
                self.query = p.project(v);
                self.query_vec = v.to_vec();
            }
            (Some(p), _) => {
                let v = match self.points.picture() {
                    Some(picture) => p.lift(q, &self.points, picture),
                    None => p.unproject(q),
                };
                self.query = p.project(&v);
                self.query_vec = v;
            }
            (None, _) => {
                self.query = q;
                self.query_vec = q.to_vec();
            }
        }
    }

    /// Puts the query back where it was (its place and, for d-dimensional data, its vector),
    /// e.g. when a double-click undoes its first click; scenes redo their searches.
    pub fn restore_query(&mut self, q: [f32; 2], vector: &[f32]) {
        self.place_query(q, Some(vector));
        self.query_moved();
    }

    /// What the notes say about a projected picture.
    pub(super) fn projection_note(&self) -> Option<String> {
        let p = self.projection.as_ref()?;
        if !self.scene().uses_shared_data() {
            return None;
        }
        let d = self.points.dim();
        Some(format!(
            "{}: points that look near may not be. Distances, links and walks use all {d} dimensions; a click puts the query among the points drawn there (their mean, moved along the two axes to the click).",
            p.caption(d)
        ))
    }
}
