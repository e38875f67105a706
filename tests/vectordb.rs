//! The vector database's building blocks: where-filters on properties (parsing, precedence,
//! errors that name the column and the token) and PCA (it recovers known axes).

use ann_explorer::engine::Points;
use ann_explorer::engine::filter::{Column, Filter, Props};
use ann_explorer::engine::pca::Pca;
use ann_explorer::engine::rng::SplitMix64;

/// The lesson's five objects: a title and a number `foo` each.
fn props() -> Props {
    Props {
        names: vec!["title".into(), "foo".into(), "category".into()],
        columns: vec![
            Column::Text(
                ["Moby Dick", "The Hobbit", "Dune", "Emma", "Ulysses"]
                    .map(String::from)
                    .to_vec(),
            ),
            Column::Number(vec![42.0, 123.0, 44.0, 45.0, 7.0]),
            Column::Number(vec![1.0, 2.0, 3.0, 3.0, 1.0]),
        ],
    }
}

fn hits(f: &str) -> Vec<usize> {
    let p = props();
    let f = Filter::parse(f, &p).unwrap_or_else(|e| panic!("{f}: {e}"));
    (0..5).filter(|&i| f.matches(&p, i)).collect()
}

#[test]
fn filters_select_what_they_say() {
    assert_eq!(hits("foo > 44"), [1, 3]);
    assert_eq!(hits("foo >= 44"), [1, 2, 3]);
    assert_eq!(hits("foo != 44"), [0, 1, 3, 4]);
    assert_eq!(hits("category = 3"), [2, 3]);
    assert_eq!(hits("title = \"Dune\""), [2]);
    assert_eq!(hits("title = 'Moby Dick' OR foo < 10"), [0, 4]);
    // AND binds tighter than OR; parentheses and NOT as written.
    assert_eq!(
        hits("category = 1 OR foo > 100 AND category = 2"),
        [0, 1, 4]
    );
    assert_eq!(hits("(category = 1 OR foo > 100) AND category = 2"), [1]);
    assert_eq!(hits("NOT (foo > 44) and category = 3"), [2]);
    assert_eq!(hits("FOO <= 7"), [4], "property names ignore case");
    let p = props();
    let f = Filter::parse("foo > 44", &p).expect("parse");
    assert_eq!(f.mask(&p, 5), [false, true, false, true, false]);
}

#[test]
fn filter_errors_name_the_column_and_the_token() {
    let p = props();
    let err = |s: &str| Filter::parse(s, &p).expect_err(s);
    let e = err("bar > 4");
    assert_eq!((e.column, e.token.as_str()), (1, "bar"));
    assert!(e.message.contains("title, foo, category"), "{e}");
    let e = err("foo > ");
    assert!(e.to_string().contains("expected a value"), "{e}");
    let e = err("foo > 44 category = 3");
    assert_eq!((e.column, e.token.as_str()), (10, "category"));
    assert!(e.message.contains("AND, OR"), "{e}");
    let e = err("foo > 'many'");
    assert!(e.message.contains("holds numbers"), "{e}");
    let e = err("title = 'Dune");
    assert_eq!(e.column, 9);
    assert!(e.message.contains("quote"), "{e}");
    let e = err("(foo > 1");
    assert!(e.message.contains("')'"), "{e}");
    let e = err("foo # 2");
    assert_eq!((e.column, e.token.as_str()), (5, "#"));
    let e = err("foo > 1e999");
    assert!(e.message.contains("not a number"), "{e}");
    assert!(Filter::parse("", &p).is_err());
}

#[test]
fn pca_recovers_the_axes_of_data_made_with_known_ones() {
    // 6-d points spread 5 along u, 2 along w and 0.1 in every direction, around a mean.
    let dim = 6;
    let s = 1.0 / (3.0f64).sqrt();
    let u = [s, s, s, 0.0, 0.0, 0.0];
    let w = [0.0, 0.0, 0.0, s, -s, s];
    let mut rng = SplitMix64::new(4);
    let mut gauss = || {
        // Box–Muller.
        let (a, b) = (rng.unit_f32().max(1e-7) as f64, rng.unit_f32() as f64);
        (-2.0 * a.ln()).sqrt() * (std::f64::consts::TAU * b).cos()
    };
    let n = 4000;
    let mut flat = Vec::with_capacity(n * dim);
    for _ in 0..n {
        let (a, b) = (5.0 * gauss(), 2.0 * gauss());
        for j in 0..dim {
            flat.push((3.0 + a * u[j] + b * w[j] + 0.1 * gauss()) as f32);
        }
    }
    let points = Points::new(dim, flat).expect("points");
    let pca = Pca::fit(&points, 2).expect("pca");
    let along =
        |axis: &[f64], v: &[f64; 6]| axis.iter().zip(v).map(|(x, y)| x * y).sum::<f64>().abs();
    assert!(along(&pca.axes[0], &u) > 0.999, "{:?}", pca.axes[0]);
    assert!(along(&pca.axes[1], &w) > 0.995, "{:?}", pca.axes[1]);
    assert!(
        (pca.variances[0] / 25.0 - 1.0).abs() < 0.1,
        "{:?}",
        pca.variances
    );
    assert!(
        (pca.variances[1] / 4.0 - 1.0).abs() < 0.1,
        "{:?}",
        pca.variances
    );
    assert!(pca.explained(2) > 0.99);
    assert!(pca.mean.iter().all(|m| (m - 3.0).abs() < 0.3));
    // The projection of the mean is the origin.
    let m: Vec<f32> = pca.mean.iter().map(|&x| x as f32).collect();
    let p = pca.project(&m);
    assert!(p[0].abs() < 1e-4 && p[1].abs() < 1e-4);
    assert!(Pca::fit(&Points::new(dim, vec![0.0; dim]).expect("one"), 2).is_err());
}
