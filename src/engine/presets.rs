//! Seeded data presets. The same preset, n and seed always give the same points.

use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;

use super::points::{DataError, Points};

/// The largest data set a preset will generate.
pub const MAX_POINTS: usize = 2_000_000;

/// A named way to make 2-D points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Preset {
    Uniform,
    Clusters,
    Ring,
    TwoMoons,
    Spiral,
    Grid,
    /// Built so that greedy search from most entry nodes stops in a local minimum.
    Trap,
    /// The 8-point example of the seed lesson (n and seed are ignored).
    SeedLesson,
}

impl Preset {
    pub const ALL: [Preset; 8] = [
        Preset::SeedLesson,
        Preset::Uniform,
        Preset::Clusters,
        Preset::Ring,
        Preset::TwoMoons,
        Preset::Spiral,
        Preset::Grid,
        Preset::Trap,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Preset::Uniform => "Uniform",
            Preset::Clusters => "Gaussian clusters",
            Preset::Ring => "Ring",
            Preset::TwoMoons => "Two moons",
            Preset::Spiral => "Spiral",
            Preset::Grid => "Grid",
            Preset::Trap => "Trap (local minima)",
            Preset::SeedLesson => "Seed lesson (8 points)",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Preset::Uniform => "n points uniform in the unit square, inserted in random order.",
            Preset::Clusters => "Five Gaussian clusters of different spreads.",
            Preset::Ring => "A noisy ring: every point about equally far from the centre.",
            Preset::TwoMoons => "Two interleaved half-moons, the classic clustering test.",
            Preset::Spiral => "An Archimedean spiral: near in space, far along the curve.",
            Preset::Grid => "A square grid: many exact ties in distance (broken by id).",
            Preset::Trap => {
                "A small cluster at the centre inserted first, then a bumpy ring inserted in \
                 order around it. The query sits at the centre: a greedy walk that starts on \
                 the ring finds no neighbour closer and stops on the ring."
            }
            Preset::SeedLesson => {
                "The seed lesson's 8 points (its NSW example, best with m = 2): try greedy \
                 search from 7, then from 0."
            }
        }
    }
}

/// Points and the query the preset suggests.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    pub points: Points,
    pub query: [f32; 2],
}

/// The seed lesson's coordinates, chosen so that the exact rule with m = 2 links
/// 1→0; 2→1,0; 3→2,0; 4→2,0; 5→2,0; 6→2,4; 7→5,3.
pub const SEED_LESSON_POINTS: [[f32; 2]; 8] = [
    [0.90, 0.14],
    [0.15, 0.75],
    [0.48, 0.48],
    [0.87, 0.66],
    [0.51, 0.09],
    [0.73, 0.36],
    [0.22, 0.28],
    [0.81, 0.50],
];
/// The lesson's query, on the left: its nearest point is 6.
pub const SEED_LESSON_QUERY: [f32; 2] = [0.09, 0.40];

fn gauss(rng: &mut Pcg64Mcg) -> f32 {
    // Box–Muller; 1 − U keeps the logarithm finite.
    let u1: f32 = 1.0 - rng.random::<f32>();
    let u2: f32 = rng.random::<f32>();
    (-2.0 * u1.ln()).sqrt() * (std::f32::consts::TAU * u2).cos()
}

/// Generates `n` points of `preset` from `seed`.
pub fn generate(preset: Preset, n: usize, seed: u64) -> Result<Dataset, DataError> {
    if n > MAX_POINTS {
        return Err(DataError::TooMany { n, max: MAX_POINTS });
    }
    let mut rng = Pcg64Mcg::seed_from_u64(seed ^ 0x9E37_79B9_7F4A_7C15);
    let tau = std::f32::consts::TAU;
    let mut xy: Vec<[f32; 2]> = Vec::with_capacity(n);
    let query: [f32; 2];
    let mut shuffle = true;
    match preset {
        Preset::SeedLesson => {
            return Ok(Dataset {
                points: Points::from_xy(&SEED_LESSON_POINTS)?,
                query: SEED_LESSON_QUERY,
            });
        }
        Preset::Uniform => {
            for _ in 0..n {
                xy.push([rng.random(), rng.random()]);
            }
            query = [rng.random(), rng.random()];
        }
        Preset::Clusters => {
            let centres: Vec<([f32; 2], f32)> = (0..5)
                .map(|_| {
                    (
                        [rng.random_range(0.15..0.85), rng.random_range(0.15..0.85)],
                        rng.random_range(0.03..0.09),
                    )
                })
                .collect();
            for i in 0..n {
                let (c, s) = centres[i % centres.len()];
                xy.push([c[0] + s * gauss(&mut rng), c[1] + s * gauss(&mut rng)]);
            }
            // Near a cluster's edge: close to data, but not at a centre.
            let (c, s) = centres[rng.random_range(0..centres.len())];
            query = [c[0] + 1.5 * s, c[1] - 1.0 * s];
        }
        Preset::Ring => {
            for _ in 0..n {
                let a = rng.random::<f32>() * tau;
                let r = 0.4 + 0.03 * gauss(&mut rng);
                xy.push([0.5 + r * a.cos(), 0.5 + r * a.sin()]);
            }
            query = [0.5 + 0.55 * 0.4, 0.5];
        }
        Preset::TwoMoons => {
            for i in 0..n {
                let t = rng.random::<f32>() * std::f32::consts::PI;
                let (x, y) = if i % 2 == 0 {
                    (t.cos(), t.sin())
                } else {
                    (1.0 - t.cos(), 0.5 - t.sin())
                };
                xy.push([
                    0.2 + 0.3 * x + 0.02 * gauss(&mut rng),
                    0.35 + 0.3 * y + 0.02 * gauss(&mut rng),
                ]);
            }
            query = [0.5, 0.45];
        }
        Preset::Spiral => {
            for _ in 0..n {
                let t = rng.random::<f32>().sqrt() * 3.0 * tau;
                let r = 0.45 * t / (3.0 * tau);
                xy.push([
                    0.5 + r * t.cos() + 0.006 * gauss(&mut rng),
                    0.5 + r * t.sin() + 0.006 * gauss(&mut rng),
                ]);
            }
            query = [0.62, 0.5];
        }
        Preset::Grid => {
            let side = (n as f32).sqrt().ceil().max(1.0) as usize;
            for i in 0..n {
                let (r, c) = (i / side, i % side);
                let step = 1.0 / side as f32;
                xy.push([(c as f32 + 0.5) * step, (r as f32 + 0.5) * step]);
            }
            query = [0.503, 0.497];
        }
        Preset::Trap => {
            shuffle = false;
            let inner = (n / 8).clamp(n.min(3), 200);
            for _ in 0..inner {
                xy.push([0.5 + 0.02 * gauss(&mut rng), 0.5 + 0.02 * gauss(&mut rng)]);
            }
            let ring = n - inner;
            for i in 0..ring {
                let a = i as f32 / ring.max(1) as f32 * tau;
                // Bumps along the ring make many small local minima of distance to the centre.
                let r = 0.4 + 0.04 * (a * 9.0).sin() + 0.01 * gauss(&mut rng);
                xy.push([0.5 + r * a.cos(), 0.5 + r * a.sin()]);
            }
            query = [0.5, 0.5];
        }
    }
    if shuffle {
        xy.shuffle(&mut rng);
    }
    Ok(Dataset {
        points: Points::from_xy(&xy)?,
        query,
    })
}
