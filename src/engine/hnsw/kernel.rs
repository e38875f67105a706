//! The distance kernels and the packed (distance, id) keys the heaps hold.

/// Packs a non-negative distance and an id into one integer that orders by (distance, id):
/// for non-negative floats the bit pattern is monotone.
#[inline(always)]
pub(super) fn key(d: f32, id: u32) -> u64 {
    ((d.to_bits() as u64) << 32) | id as u64
}

#[inline(always)]
pub(super) fn key_dist(k: u64) -> f32 {
    f32::from_bits((k >> 32) as u32)
}

#[inline(always)]
pub(super) fn key_id(k: u64) -> u32 {
    k as u32
}

/// Squared Euclidean distance. Short vectors take a plain loop; long ones use 16
/// independent accumulators so the compiler can keep SIMD lanes busy without reassociating
/// one sum, compiled for AVX2+FMA when the CPU has them (checked once, cached by std).
#[inline(always)]
pub fn l2_squared(a: &[f32], b: &[f32]) -> f32 {
    if a.len() < 16 {
        let mut s = 0.0f32;
        for (x, y) in a.iter().zip(b) {
            let d = x - y;
            s += d * d;
        }
        return s;
    }
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the CPU supports AVX2 and FMA, checked just above.
            return unsafe { l2_squared_avx2(a, b) };
        }
    }
    l2_squared_lanes(a, b)
}

#[inline(always)]
fn l2_squared_lanes(a: &[f32], b: &[f32]) -> f32 {
    let (ca, ta) = a.as_chunks::<16>();
    let (cb, tb) = b.as_chunks::<16>();
    let mut acc = [0.0f32; 16];
    for (x, y) in ca.iter().zip(cb) {
        for i in 0..16 {
            let d = x[i] - y[i];
            acc[i] = d.mul_add(d, acc[i]);
        }
    }
    let mut s = 0.0f32;
    for v in acc {
        s += v;
    }
    for (x, y) in ta.iter().zip(tb) {
        let d = x - y;
        s += d * d;
    }
    s
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn l2_squared_avx2(a: &[f32], b: &[f32]) -> f32 {
    l2_squared_lanes(a, b)
}
