//! The pseudocode of the graph-walk algorithms, and the line each event executes.

use crate::engine::{Event, InsertRule, SearchMode};
use crate::trace::Algo;

const GREEDY: &[&str] = &[
    "greedy_search(q, entry):",
    "  c ← entry;  compute dist(q, c)",
    "  loop:",
    "    for each neighbour e of c: compute dist(q, e)",
    "    b ← the neighbour of c closest to q",
    "    if dist(q, b) < dist(q, c): c ← b  ▷ move",
    "    else: return c  ▷ no neighbour closer: stop",
];

const MULTI: &[&str] = &[
    "multi_start_search(q, entry, restarts):",
    "  for r in 0 ..= restarts:",
    "    e ← entry if r = 0, else a random node",
    "    c ← e;  compute dist(q, c)",
    "    loop:",
    "      for each neighbour e of c: compute dist(q, e)",
    "      b ← the neighbour of c closest to q",
    "      if dist(q, b) < dist(q, c): c ← b  ▷ move",
    "      else: stop this walk at c",
    "  return the k best end points",
];

const BEAM: &[&str] = &[
    "search_layer(q, ep, ef):  ▷ Malkov & Yashunin, Alg. 2",
    "  v ← {ep};  C ← {ep};  W ← {ep}",
    "  while C ≠ ∅:",
    "    c ← extract nearest element from C to q",
    "    f ← furthest element from W to q",
    "    if dist(c, q) > dist(f, q): break  ▷ W cannot improve",
    "    for each neighbour e of c not in v:",
    "      v ← v ∪ {e};  compute dist(q, e)",
    "      if dist(e, q) < dist(f, q) or |W| < ef:",
    "        C ← C ∪ {e};  W ← W ∪ {e}",
    "        if |W| > ef: remove furthest from W",
    "  return the k nearest elements of W",
];

const INSERT_EXACT: &[&str] = &[
    "insert(p):  ▷ points arrive in id order",
    "  if the graph is empty: add p; return",
    "  for each inserted point x: compute dist(p, x)",
    "  N ← the m nearest of them",
    "  for each x in N: link p — x  (both ways)",
];

const INSERT_MALKOV: &[&str] = &[
    "insert(p):  ▷ Malkov et al. 2014",
    "  if the graph is empty: add p; return",
    "  W ← ∅;  v ← ∅  ▷ shared by the w searches",
    "  repeat w times:",
    "    ep ← a random inserted node",
    "    search_layer(p, ep, ef = m) into W, v",
    "  for each x in W (the m nearest found): link p — x",
];

const HNSW_INSERT: &[&str] = &[
    "INSERT(hnsw, q, M, Mmax, efConstruction, mL):   ▷ Alg. 1",
    "  l ← ⌊−ln(unif(0..1)) · mL⌋          ▷ new element's level",
    "  ep ← entry point;  L ← level of ep   ▷ top layer",
    "  for lc ← L … l+1:",
    "    W ← SEARCH-LAYER(q, ep, ef = 1, lc);  ep ← nearest of W",
    "  for lc ← min(L, l) … 0:",
    "    W ← SEARCH-LAYER(q, ep, efConstruction, lc)",
    "    neighbours ← SELECT-NEIGHBORS(q, W, M, lc)   ▷ Alg. 4",
    "      keep e only if e is closer to q than to every kept r",
    "    add links q → neighbours and neighbours → q",
    "    for each e in neighbours: if |links(e)| > Mmax (Mmax0 on 0):",
    "      shrink links(e) with SELECT-NEIGHBORS(e, links(e), Mmax)",
    "    ep ← W",
    "  if l > L: entry point ← q",
];

const HNSW_SEARCH: &[&str] = &[
    "K-NN-SEARCH(hnsw, q, K, ef):      ▷ Alg. 5",
    "  ep ← entry point;  L ← level of ep",
    "  for lc ← L … 1:                  ▷ greedy, ef = 1",
    "    for each neighbour e of c: compute dist(q, e)",
    "    move to the closest while it is closer; else drop a layer",
    "  W ← SEARCH-LAYER(q, ep, ef, lc = 0)   ▷ Alg. 2",
    "    c ← extract nearest from C;  f ← furthest of W",
    "    if dist(c, q) > dist(f, q): break",
    "    for each neighbour e of c not visited: compute dist(q, e)",
    "      if closer than f or |W| < ef: add e to C and W",
    "        if |W| > ef: remove furthest from W",
    "  return K nearest elements from W",
];

const HNSW_DELETE: &[&str] = &[
    "DELETE(hnsw, x):      ▷ hard delete; hnswlib only marks deleted",
    "  for lc ← level(x) … 0:",
    "    for each e whose links(e) contain x:",
    "      links(e) ← SELECT-NEIGHBORS(e, links(e) ∪ links(x) \\ {x}, Mmax)",
    "    clear links(x)",
    "  if x was the entry point: promote the highest remaining node",
    "MOVE = DELETE(x), then INSERT(x′) at the new place (Alg. 1)",
];

/// The pseudocode of an algorithm, one line per entry.
pub fn pseudocode(algo: Algo) -> &'static [&'static str] {
    match algo {
        Algo::Construction(p) => match p.rule {
            InsertRule::Exact => INSERT_EXACT,
            InsertRule::Malkov2014 { .. } => INSERT_MALKOV,
        },
        Algo::Search(SearchMode::Greedy) => GREEDY,
        Algo::Search(SearchMode::MultiStart { .. }) => MULTI,
        Algo::Search(SearchMode::Beam { .. }) => BEAM,
        Algo::HnswInsert(_) => HNSW_INSERT,
        Algo::HnswSearch { .. } => HNSW_SEARCH,
        Algo::HnswDelete { .. } => HNSW_DELETE,
    }
}

/// The pseudocode line event `e` executes.
pub fn line_of(algo: Algo, e: &Event) -> Option<usize> {
    Some(match algo {
        Algo::HnswDelete { node, .. } => match e {
            Event::Layer { .. } => 1,
            Event::Link { from, .. } | Event::Unlink { from, .. } if *from == node => 4,
            Event::Link { .. } | Event::Unlink { .. } => 3,
            Event::Promote { .. } => 5,
            _ => 6,
        },
        Algo::HnswInsert(_) => match e {
            Event::Level { .. } => 1,
            Event::Start { .. } => 2,
            Event::Layer { layer, from } if layer == from => 2,
            Event::Layer { .. } => 5,
            Event::Move { .. } | Event::Stop { .. } => 4,
            Event::Evaluate { .. } => 4,
            Event::Expand { .. }
            | Event::Accept { .. }
            | Event::Reject { .. }
            | Event::BeamStop { .. } => 6,
            Event::Keep { .. } | Event::Prune { .. } => 8,
            Event::Link { .. } => 9,
            Event::Unlink { .. } => 11,
            _ => return None,
        },
        Algo::HnswSearch { .. } => match e {
            Event::Start { .. } => 1,
            Event::Layer { layer: 0, .. } => 5,
            Event::Layer { .. } => 2,
            Event::Move { .. } | Event::Stop { .. } => 4,
            Event::Evaluate { .. } => 8,
            Event::Expand { .. } => 6,
            Event::BeamStop { .. } => 7,
            Event::Accept { evicted: None, .. } => 9,
            Event::Accept { .. } => 10,
            Event::Reject { .. } => 9,
            Event::Result { .. } => 11,
            _ => return None,
        },
        Algo::Construction(p) => match (p.rule, e) {
            (_, Event::Insert { node }) if node.0 == 0 => 1,
            (_, Event::Insert { .. }) => 0,
            (InsertRule::Exact, Event::Scan { .. } | Event::Evaluate { .. }) => 2,
            (InsertRule::Exact, Event::Connect { .. }) => 4,
            (InsertRule::Malkov2014 { .. }, Event::Start { .. }) => 4,
            (InsertRule::Malkov2014 { .. }, Event::Connect { .. }) => 6,
            (InsertRule::Malkov2014 { .. }, _) => 5,
            _ => return None,
        },
        Algo::Search(SearchMode::Greedy) => match e {
            Event::Start { .. } => 1,
            Event::Evaluate { .. } => 3,
            Event::Move { .. } => 5,
            Event::Stop { .. } | Event::Result { .. } => 6,
            _ => return None,
        },
        Algo::Search(SearchMode::MultiStart { .. }) => match e {
            Event::Start { .. } => 3,
            Event::Evaluate { .. } => 5,
            Event::Move { .. } => 7,
            Event::Stop { .. } => 8,
            Event::Result { .. } => 9,
            _ => return None,
        },
        Algo::Search(SearchMode::Beam { .. }) => match e {
            Event::Start { .. } => 1,
            Event::Expand { .. } => 3,
            Event::BeamStop { .. } => 5,
            Event::Evaluate { .. } => 7,
            Event::Accept { evicted: None, .. } => 9,
            Event::Accept { .. } => 10,
            Event::Reject { .. } => 8,
            Event::Result { .. } => 11,
            _ => return None,
        },
    })
}
