//! The hash-ring lab's simulation: the keys placed by one scheme, what the last membership change
//! moved, and, when asked, every scheme run on the same keys and the same change. Everything is
//! recomputed from the [`Setup`] whenever a setting changes; the core makes that cheap.

use crate::sim::hash_ring::{
    self, Algo, Balance, Change, Config, Loads, Movement, NodeId, Placement, PlacementError, Ring,
    assign, hash_keys, node_names,
};

/// Virtual nodes per node, a 1-2-5 ladder.
pub const VNODES: [u32; 10] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
/// Key counts: enough steps to watch the key noise term sqrt((N-1)/K) fade.
pub const KEYS: [usize; 9] = [
    100, 300, 1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000,
];
/// More nodes than this would not fit a list of load bars or tell apart on the ring.
pub const MAX_NODES: usize = 32;

/// What the learner chose.
#[derive(Debug, Clone, PartialEq)]
pub struct Setup {
    pub algo: Algo,
    pub nodes: Vec<String>,
    pub vnodes: u32,
    pub keys: usize,
    pub seed: u64,
}

impl Default for Setup {
    /// Six nodes (one colour each) with ten virtual nodes: arcs big enough to see, and an
    /// imbalance that adding virtual nodes visibly shrinks.
    fn default() -> Self {
        Setup {
            algo: Algo::Ring,
            nodes: node_names(6),
            vnodes: 10,
            keys: 10_000,
            seed: 0,
        }
    }
}

impl Setup {
    fn config(&self) -> Config {
        Config {
            vnodes: self.vnodes,
            seed: self.seed,
            ..Config::default()
        }
    }
}

/// A membership change and the node list it was made to.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub change: Change,
    pub before: Vec<String>,
    pub after: Vec<String>,
}

impl Step {
    /// "add node-6", "remove node-2".
    pub fn label(&self) -> String {
        match &self.change {
            Change::Add(_) => {
                let added: Vec<&str> = self
                    .after
                    .iter()
                    .filter(|n| !self.before.contains(n))
                    .map(String::as_str)
                    .collect();
                format!("add {}", added.join(", "))
            }
            Change::Remove(name) => format!("remove {name}"),
        }
    }

    /// The least share any scheme can move and what modulo hashing moves, as fractions
    /// (numerator, denominator): 1/(N+1) and N/(N+1) for a join to N nodes, 1/N and (N-1)/N for
    /// a departure from N.
    pub fn analytic(&self) -> ((usize, usize), (usize, usize)) {
        let (old, new) = (self.before.len(), self.after.len());
        let most = old.max(new);
        ((old.abs_diff(new), most), (most - old.abs_diff(new), most))
    }
}

/// How one scheme did on the shared keys: its balance and what the change moved.
#[derive(Debug, Clone)]
pub struct Measured {
    pub algo: Algo,
    pub balance: Balance,
    pub expected_rsd: Option<f64>,
    pub movement: Movement,
}

/// The lab's state: the setup and everything derived from it.
pub struct Model {
    pub setup: Setup,
    /// Hashes of `key-0 .. key-{K-1}`.
    pub keys: Vec<u64>,
    pub placement: Box<dyn Placement>,
    /// The ring under the schemes that have one (ring, bounded), for drawing its points.
    pub ring: Option<Ring>,
    pub owners: Vec<NodeId>,
    pub loads: Loads,
    pub balance: Balance,
    /// The last add or remove, measured with the current scheme and settings.
    pub last: Option<(Step, Movement)>,
    /// Every scheme on the same keys and change, when the comparison is showing.
    pub comparison: Option<Vec<Measured>>,
}

impl Model {
    pub fn new(setup: Setup) -> Result<Model, PlacementError> {
        let keys = hash_keys(setup.keys, setup.seed);
        let (placement, ring, owners, loads) = place(&setup, &setup.nodes, &keys)?;
        Ok(Model {
            balance: Balance::of(&loads),
            setup,
            keys,
            placement,
            ring,
            owners,
            loads,
            last: None,
            comparison: None,
        })
    }

    /// Applies new settings, keeping the last change and the comparison; on error nothing
    /// changes.
    pub fn set(&mut self, setup: Setup) -> Result<(), PlacementError> {
        let step = self.last.as_ref().map(|(s, _)| s.clone());
        self.rebuild(setup, step)
    }

    /// Adds a node or removes one, remembering the change to measure it.
    pub fn change(&mut self, change: Change) -> Result<(), PlacementError> {
        let after = change.apply(&self.setup.nodes)?;
        let step = Step {
            change,
            before: self.setup.nodes.clone(),
            after: after.clone(),
        };
        let setup = Setup {
            nodes: after,
            ..self.setup.clone()
        };
        self.rebuild(setup, Some(step))
    }

    /// Turns the every-scheme comparison on or off.
    pub fn compare(&mut self, on: bool) -> Result<(), PlacementError> {
        self.comparison = None;
        if on {
            self.comparison = Some(self.measure_all()?);
        }
        Ok(())
    }

    /// Recomputes everything from `setup`; on error the model keeps its previous state.
    fn rebuild(&mut self, setup: Setup, step: Option<Step>) -> Result<(), PlacementError> {
        let keys = if setup.keys == self.keys.len() && setup.seed == self.setup.seed {
            std::mem::take(&mut self.keys)
        } else {
            hash_keys(setup.keys, setup.seed)
        };
        let derived = (|| {
            let placed = place(&setup, &setup.nodes, &keys)?;
            let last = match step {
                Some(step) => {
                    let moved = measure_step(&setup, &step, &keys, placed.0.as_ref())?;
                    Some((step, moved))
                }
                None => None,
            };
            Ok((placed, last))
        })();
        let ((placement, ring, owners, loads), last) = match derived {
            Ok(derived) => derived,
            Err(error) => {
                self.keys = keys;
                return Err(error);
            }
        };
        self.balance = Balance::of(&loads);
        self.setup = setup;
        self.keys = keys;
        self.placement = placement;
        self.ring = ring;
        self.owners = owners;
        self.loads = loads;
        self.last = last;
        if self.comparison.is_some() {
            self.compare(true)?;
        }
        Ok(())
    }

    /// The change the comparison measures: the last one made, or adding one node if none was.
    pub fn compared_step(&self) -> Result<Step, PlacementError> {
        if let Some((step, _)) = &self.last {
            return Ok(step.clone());
        }
        let change = Change::Add(1);
        let after = change.apply(&self.setup.nodes)?;
        Ok(Step {
            change,
            before: self.setup.nodes.clone(),
            after,
        })
    }

    /// Every scheme on the current keys and membership, and what the compared change moves.
    fn measure_all(&self) -> Result<Vec<Measured>, PlacementError> {
        let step = self.compared_step()?;
        Algo::ALL
            .into_iter()
            .map(|algo| {
                let setup = Setup {
                    algo,
                    ..self.setup.clone()
                };
                let (placement, _, _, loads) = place(&setup, &setup.nodes, &self.keys)?;
                // The current membership is the change's result, or its starting point.
                let movement = if self.last.is_some() {
                    measure_step(&setup, &step, &self.keys, placement.as_ref())?
                } else {
                    let (after, ..) = place(&setup, &step.after, &[])?;
                    movement(&self.keys, placement.as_ref(), after.as_ref())
                };
                Ok(Measured {
                    algo,
                    balance: Balance::of(&loads),
                    expected_rsd: placement.expected_rsd(self.keys.len()),
                    movement,
                })
            })
            .collect()
    }
}

/// A built placement, its ring when it has one, and where the keys went.
type Placed = (Box<dyn Placement>, Option<Ring>, Vec<NodeId>, Loads);

/// Builds `setup.algo` over `nodes` and places `keys`.
fn place(setup: &Setup, nodes: &[String], keys: &[u64]) -> Result<Placed, PlacementError> {
    let placement = hash_ring::build(setup.algo, nodes.to_vec(), &setup.config())?;
    let ring = match setup.algo.uses_vnodes() {
        true => Some(Ring::new(nodes.to_vec(), setup.vnodes, setup.seed)?),
        false => None,
    };
    let (owners, loads) = assign(placement.as_ref(), keys);
    Ok((placement, ring, owners, loads))
}

/// What `step` moved under `setup`'s scheme, given the placement after it.
fn measure_step(
    setup: &Setup,
    step: &Step,
    keys: &[u64],
    after: &dyn Placement,
) -> Result<Movement, PlacementError> {
    let (before, ..) = place(setup, &step.before, &[])?;
    Ok(movement(keys, before.as_ref(), after))
}

/// Keys that changed owner between two placements of `keys`.
fn movement(keys: &[u64], before: &dyn Placement, after: &dyn Placement) -> Movement {
    let (old, _) = assign(before, keys);
    let (new, _) = assign(after, keys);
    Movement::between(keys, (before, &old), (after, &new))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adding_a_node_moves_about_one_in_n_plus_one() {
        let mut model = Model::new(Setup {
            vnodes: 200,
            ..Setup::default()
        })
        .unwrap();
        model.change(Change::Add(1)).unwrap();
        let (step, moved) = model.last.as_ref().unwrap();
        assert_eq!(step.label(), "add node-6");
        assert_eq!(step.analytic(), ((1, 7), (6, 7)));
        assert!((moved.share - 1.0 / 7.0).abs() < 0.04, "{moved:?}");
        assert_eq!(moved.between_survivors, 0);
        assert_eq!(model.loads.total(), 10_000);
    }

    #[test]
    fn settings_keep_the_change_and_the_comparison() {
        let mut model = Model::new(Setup::default()).unwrap();
        model.change(Change::Remove("node-2".into())).unwrap();
        model.compare(true).unwrap();
        let setup = Setup {
            algo: Algo::Jump,
            ..model.setup.clone()
        };
        model.set(setup).unwrap();
        let (step, moved) = model.last.as_ref().unwrap();
        assert_eq!(step.label(), "remove node-2");
        assert_eq!(step.analytic(), ((1, 6), (5, 6)));
        // Jump renumbers the buckets after a middle one, so survivors trade keys.
        assert!(moved.between_survivors > 0);
        let rows = model.comparison.as_ref().unwrap();
        assert_eq!(rows.len(), Algo::ALL.len());
        assert!(rows.iter().all(|r| r.movement.keys == 10_000));
        assert!(model.ring.is_none());
    }

    #[test]
    fn the_last_node_stays() {
        let mut model = Model::new(Setup {
            nodes: node_names(1),
            ..Setup::default()
        })
        .unwrap();
        let before = model.setup.clone();
        assert!(model.change(Change::Remove("node-0".into())).is_err());
        assert_eq!(model.setup, before);
        assert_eq!(model.loads.total(), 10_000);
    }
}
