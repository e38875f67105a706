//! Where the forest is drawn: each node's cell in the plane (the box around the data cut by
//! its ancestors' hyperplanes: Annoy's Voronoi-like cells), its split's segment inside that
//! cell, and its place in the node-link diagram of its tree beside the plane.

use crate::engine::PointId;
use crate::engine::annoy::{Annoy, Node};

/// The drawing of a built forest, in world coordinates.
#[derive(Clone, Debug, Default)]
pub struct Forest {
    /// The plane's box: the data's bounds with a margin.
    pub lo: [f32; 2],
    pub hi: [f32; 2],
    /// Per node, its cell (empty when the data is not 2-D).
    pub cells: Vec<Vec<[f32; 2]>>,
    /// Per split node, its hyperplane's segment inside its cell.
    pub segments: Vec<Option<[[f32; 2]; 2]>>,
    /// Per node, its tree.
    pub tree_of: Vec<u16>,
    /// Per node, its parent (`u32::MAX` for a root).
    pub parent: Vec<u32>,
    /// Per node, its place in the diagram: across (0 left, 1 right) and down (0 the root's
    /// row, 1 the deepest leaves'), placed in the world by [`Forest::diagram_box`].
    pub diagram: Vec<[f32; 2]>,
    /// Per leaf, its number among its tree's leaves from left to right (its colour).
    pub leaf_rank: Vec<u32>,
    /// Per tree, the leaf holding each point.
    pub leaf_of: Vec<Vec<u32>>,
    /// Per tree, the deepest node's depth.
    pub depth: Vec<u16>,
}

/// Which side of a hyperplane `normal · x + offset = 0` in the plane: its first two
/// coordinates (the scene draws 2-D data).
fn side(normal: &[f32], offset: f32, p: [f32; 2]) -> f32 {
    normal[0] * p[0] + normal[1] * p[1] + offset
}

/// The part of a convex polygon where `sign · (normal · x + offset) ≥ 0` (Sutherland–Hodgman
/// against one half-plane).
pub fn clip(poly: &[[f32; 2]], normal: &[f32], offset: f32, sign: f32) -> Vec<[f32; 2]> {
    let mut out = Vec::with_capacity(poly.len() + 1);
    for (i, &a) in poly.iter().enumerate() {
        let b = poly[(i + 1) % poly.len()];
        let (fa, fb) = (
            sign * side(normal, offset, a),
            sign * side(normal, offset, b),
        );
        if fa >= 0.0 {
            out.push(a);
        }
        if (fa >= 0.0) != (fb >= 0.0) {
            let t = fa / (fa - fb);
            out.push([a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]);
        }
    }
    out
}

/// Where the line `normal · x + offset = 0` crosses a convex polygon: the two crossing points
/// farthest apart, if it crosses.
pub fn segment(poly: &[[f32; 2]], normal: &[f32], offset: f32) -> Option<[[f32; 2]; 2]> {
    let mut hits: Vec<[f32; 2]> = Vec::new();
    for (i, &a) in poly.iter().enumerate() {
        let b = poly[(i + 1) % poly.len()];
        let (fa, fb) = (side(normal, offset, a), side(normal, offset, b));
        if fa == 0.0 {
            hits.push(a);
        } else if (fa > 0.0) != (fb > 0.0) && fb != 0.0 {
            let t = fa / (fa - fb);
            hits.push([a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]);
        }
    }
    let d2 = |p: [f32; 2], q: [f32; 2]| (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2);
    let mut best: Option<([[f32; 2]; 2], f32)> = None;
    for (i, &p) in hits.iter().enumerate() {
        for &q in &hits[i + 1..] {
            if best.is_none_or(|b| d2(p, q) > b.1) {
                best = Some(([p, q], d2(p, q)));
            }
        }
    }
    best.map(|b| b.0)
}

impl Forest {
    /// Lays out `index`, built over 2-D points within `lo`..`hi` when `planar`.
    pub fn new(index: &Annoy, lo: [f32; 2], hi: [f32; 2], planar: bool) -> Self {
        let nodes = index.nodes();
        let count = nodes.len();
        let w = (hi[0] - lo[0]).max(1e-6);
        let h = (hi[1] - lo[1]).max(1e-6);
        let pad = 0.03 * w.max(h);
        let (lo, hi) = ([lo[0] - pad, lo[1] - pad], [hi[0] + pad, hi[1] + pad]);
        let mut f = Self {
            lo,
            hi,
            cells: vec![Vec::new(); if planar { count } else { 0 }],
            segments: vec![None; count],
            tree_of: vec![0; count],
            parent: vec![u32::MAX; count],
            diagram: vec![[0.0; 2]; count],
            leaf_rank: vec![0; count],
            leaf_of: Vec::new(),
            depth: Vec::new(),
        };
        let boxed = vec![lo, [hi[0], lo[1]], hi, [lo[0], hi[1]]];
        for (t, &root) in index.roots().iter().enumerate() {
            let mut leaf_of = vec![u32::MAX; index.len()];
            let mut leaves: Vec<u32> = Vec::new();
            let mut deepest = 0u16;
            // Depth first, left before right: the leaves in their order along the diagram.
            let mut stack = vec![(root, boxed.clone())];
            while let Some((node, cell)) = stack.pop() {
                f.tree_of[node as usize] = t as u16;
                match &nodes[node as usize] {
                    Node::Leaf { items, depth } => {
                        deepest = deepest.max(*depth);
                        f.leaf_rank[node as usize] = leaves.len() as u32;
                        leaves.push(node);
                        for id in items {
                            if let Some(slot) = leaf_of.get_mut(id.idx()) {
                                *slot = node;
                            }
                        }
                    }
                    Node::Split {
                        normal,
                        offset,
                        left,
                        right,
                        ..
                    } => {
                        f.parent[*left as usize] = node;
                        f.parent[*right as usize] = node;
                        let (l, r) = if planar && normal.iter().any(|&x| x != 0.0) {
                            f.segments[node as usize] = segment(&cell, normal, *offset);
                            (
                                clip(&cell, normal, *offset, -1.0),
                                clip(&cell, normal, *offset, 1.0),
                            )
                        } else {
                            (cell.clone(), cell.clone())
                        };
                        stack.push((*right, r));
                        stack.push((*left, l));
                    }
                }
                if planar {
                    f.cells[node as usize] = cell;
                }
            }
            f.place_tree(index, root, &leaves, deepest);
            f.leaf_of.push(leaf_of);
            f.depth.push(deepest);
        }
        f
    }

    /// The diagram: leaves evenly along the bottom in their left-to-right order, each split
    /// above the middle of its children, depth downwards.
    fn place_tree(&mut self, index: &Annoy, root: u32, leaves: &[u32], deepest: u16) {
        let nodes = index.nodes();
        let y_of = |depth: u16| f32::from(depth) / f32::from(deepest.max(1));
        for (i, &leaf) in leaves.iter().enumerate() {
            let x = (i as f32 + 0.5) / leaves.len().max(1) as f32;
            let depth = match &nodes[leaf as usize] {
                Node::Leaf { depth, .. } | Node::Split { depth, .. } => *depth,
            };
            self.diagram[leaf as usize] = [x, y_of(depth)];
        }
        // Children have larger ids than their parent: place splits from the last to the first.
        let end = self.tree_end(index, root);
        for node in (root..end).rev() {
            if let Node::Split {
                left, right, depth, ..
            } = &nodes[node as usize]
            {
                let x = (self.diagram[*left as usize][0] + self.diagram[*right as usize][0]) / 2.0;
                self.diagram[node as usize] = [x, y_of(*depth)];
            }
        }
    }

    /// One past the last node of the tree rooted at `root`.
    pub fn tree_end(&self, index: &Annoy, root: u32) -> u32 {
        index
            .roots()
            .iter()
            .copied()
            .find(|&r| r > root)
            .unwrap_or(index.nodes().len() as u32)
    }

    /// The nodes of tree `t`.
    pub fn tree_nodes(&self, index: &Annoy, t: usize) -> std::ops::Range<u32> {
        match index.roots().get(t) {
            Some(&root) => root..self.tree_end(index, root),
            None => 0..0,
        }
    }

    /// The leaf of tree `t` that holds point `id`.
    pub fn leaf(&self, t: usize, id: PointId) -> Option<u32> {
        self.leaf_of
            .get(t)
            .and_then(|l| l.get(id.idx()))
            .copied()
            .filter(|&n| n != u32::MAX)
    }

    /// The diagram's box for a picture of this shape (width / height): beside the plane
    /// when the picture is wide, under it when it is not, filling what the plane leaves.
    pub fn diagram_box(&self, aspect: f32) -> ([f32; 2], [f32; 2]) {
        let (lo, hi) = (self.lo, self.hi);
        let (w, h) = (hi[0] - lo[0], hi[1] - lo[1]);
        let aspect = if aspect.is_finite() && aspect > 0.0 {
            aspect
        } else {
            1.6
        };
        if aspect * h >= 1.55 * w {
            let gap = 0.1 * w;
            let width = (aspect * h * 1.08 - w - gap).clamp(0.6 * w, 1.2 * w);
            (
                [hi[0] + gap, lo[1] + 0.03 * h],
                [hi[0] + gap + width, hi[1] - 0.1 * h],
            )
        } else {
            let gap = 0.16 * h;
            let height = (w / aspect * 1.08 - h - gap).clamp(0.45 * h, 1.0 * h);
            ([lo[0], lo[1] - gap - height], [hi[0], lo[1] - gap])
        }
    }

    /// Where node `n` sits in the diagram's box.
    pub fn diagram_pos(&self, n: u32, (lo, hi): ([f32; 2], [f32; 2])) -> [f32; 2] {
        let [u, v] = self.diagram.get(n as usize).copied().unwrap_or_default();
        [lo[0] + (hi[0] - lo[0]) * u, hi[1] - (hi[1] - lo[1]) * v]
    }

    /// The node whose diagram place is nearest to `pos` within `radius`, in tree `t`.
    pub fn diagram_node_near(
        &self,
        index: &Annoy,
        t: usize,
        aspect: f32,
        pos: [f32; 2],
        radius: f32,
    ) -> Option<u32> {
        let b = self.diagram_box(aspect);
        self.tree_nodes(index, t)
            .map(|n| {
                let p = self.diagram_pos(n, b);
                (n, (p[0] - pos[0]).hypot(p[1] - pos[1]))
            })
            .filter(|&(_, d)| d <= radius)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(n, _)| n)
    }

    /// Whether a world position lies in the diagram's box.
    pub fn in_diagram(&self, aspect: f32, pos: [f32; 2]) -> bool {
        let (lo, hi) = self.diagram_box(aspect);
        let m = 0.05 * (hi[0] - lo[0]).max(hi[1] - lo[1]);
        (lo[0] - m..=hi[0] + m).contains(&pos[0]) && (lo[1] - m..=hi[1] + 2.0 * m).contains(&pos[1])
    }
}
