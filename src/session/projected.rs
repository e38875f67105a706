//! The shared data in more than two dimensions: made by the uniform or clusters generator,
//! drawn at its PCA projection, with a query vector beside the query's place in the picture.

use super::Session;
use crate::engine::Points;
use crate::engine::presets::Preset;
use crate::engine::projection::Projection;
use crate::engine::scaling::{DataKind, data};

impl Session {
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
