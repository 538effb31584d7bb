//! How many questions each domain contributes to an exam.
//!
//! The exact share of a domain is `N * weight / total weight`, rarely a whole number. The
//! largest-remainder (Hamilton) method gives every domain the whole part of its share and hands
//! the leftover questions to the largest fractional parts, so no domain is ever more than one
//! question from its exact share: 65 questions at 30/26/24/20 become 19/17/16/13.
//!
//! A pack may hold fewer questions in a domain than its share. Then the exam takes all that
//! domain has, shares the shortfall among the other domains by their weights (again by largest
//! remainder), and reports a [`Shortfall`] so the screen can say the exam is not the real mix.

use std::fmt;

/// One domain's weight and how many questions exist for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainSupply {
    pub domain: String,
    pub weight: u32,
    pub available: usize,
}

/// What the blueprint gives one domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainPlan {
    pub domain: String,
    pub weight: u32,
    pub available: usize,
    /// Its largest-remainder share with unlimited questions.
    pub wanted: usize,
    /// What it actually contributes.
    pub count: usize,
}

/// A domain that holds fewer questions than its share, for the screen to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortfall {
    pub domain: String,
    pub wanted: usize,
    pub available: usize,
}

impl fmt::Display for Shortfall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "domain `{}` has {} of the {} questions its weight asks for",
            self.domain, self.available, self.wanted
        )
    }
}

/// The per-domain question counts of one exam.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blueprint {
    /// The number of questions asked for.
    pub requested: usize,
    /// In the order the supply was given (the pack's domain order).
    pub domains: Vec<DomainPlan>,
}

impl Blueprint {
    /// Allocates `requested` questions over the domains, never more than a domain holds.
    ///
    /// The total is `min(requested, all available)`.
    pub fn plan(requested: usize, supply: Vec<DomainSupply>) -> Self {
        let weights: Vec<u32> = supply.iter().map(|s| s.weight).collect();
        let wanted = largest_remainder(requested, &weights);
        let mut count = vec![0; supply.len()];
        let mut open: Vec<usize> = (0..supply.len()).collect();
        let mut left = requested;
        // Each round either fits every open domain or closes at least one, so it ends.
        while !open.is_empty() {
            let open_weights: Vec<u32> = open.iter().map(|&i| weights[i]).collect();
            let share = largest_remainder(left, &open_weights);
            let (short, fits): (Vec<_>, Vec<_>) = open
                .iter()
                .zip(share)
                .partition(|&(&i, n)| n > supply[i].available);
            if short.is_empty() {
                fits.into_iter().for_each(|(&i, n)| count[i] = n);
                break;
            }
            let closed: Vec<usize> = short.into_iter().map(|(&i, _)| i).collect();
            for &i in &closed {
                count[i] = supply[i].available;
                left -= supply[i].available;
            }
            open.retain(|i| !closed.contains(i));
        }
        let domains = supply
            .into_iter()
            .zip(wanted)
            .zip(count)
            .map(|((s, wanted), count)| DomainPlan {
                domain: s.domain,
                weight: s.weight,
                available: s.available,
                wanted,
                count,
            })
            .collect();
        Blueprint { requested, domains }
    }

    /// How many questions the exam gets in all.
    pub fn total(&self) -> usize {
        self.domains.iter().map(|d| d.count).sum()
    }

    /// The domains that could not supply their share, in domain order.
    pub fn shortfalls(&self) -> Vec<Shortfall> {
        self.domains
            .iter()
            .filter(|d| d.available < d.wanted)
            .map(|d| Shortfall {
                domain: d.domain.clone(),
                wanted: d.wanted,
                available: d.available,
            })
            .collect()
    }

    /// The count for a domain, by id.
    pub fn count(&self, domain: &str) -> Option<usize> {
        self.domains
            .iter()
            .find(|d| d.domain == domain)
            .map(|d| d.count)
    }
}

/// Splits `total` in proportion to `weights` by largest remainder.
///
/// Ties between equal remainders go to the earlier weight, so the result is deterministic.
/// When every weight is zero the split is even, so a total is never silently dropped.
pub fn largest_remainder(total: usize, weights: &[u32]) -> Vec<usize> {
    if weights.is_empty() {
        return Vec::new();
    }
    let even = weights.iter().all(|&w| w == 0);
    let weight = |w: u32| u128::from(if even { 1 } else { w });
    let sum: u128 = weights.iter().map(|&w| weight(w)).sum();
    let exact = |w: u32| total as u128 * weight(w);
    let mut shares: Vec<usize> = weights.iter().map(|&w| (exact(w) / sum) as usize).collect();
    let mut by_remainder: Vec<usize> = (0..weights.len()).collect();
    by_remainder.sort_by_key(|&i| std::cmp::Reverse(exact(weights[i]) % sum));
    let leftover = total - shares.iter().sum::<usize>();
    for &i in &by_remainder[..leftover] {
        shares[i] += 1;
    }
    shares
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SAA: [u32; 4] = [30, 26, 24, 20];

    fn supply(weights: &[u32], available: &[usize]) -> Vec<DomainSupply> {
        weights
            .iter()
            .zip(available)
            .enumerate()
            .map(|(i, (&weight, &available))| DomainSupply {
                domain: format!("d{i}"),
                weight,
                available,
            })
            .collect()
    }

    fn counts(b: &Blueprint) -> Vec<usize> {
        b.domains.iter().map(|d| d.count).collect()
    }

    #[test]
    fn meets_the_saa_weights_for_several_counts() {
        for (n, expected) in [
            (65, [19, 17, 16, 13]),
            (50, [15, 13, 12, 10]),
            (20, [6, 5, 5, 4]),
            (10, [3, 3, 2, 2]),
            (7, [2, 2, 2, 1]),
            (1, [1, 0, 0, 0]),
            (0, [0, 0, 0, 0]),
        ] {
            assert_eq!(largest_remainder(n, &SAA), expected, "n = {n}");
            let plan = Blueprint::plan(n, supply(&SAA, &[100; 4]));
            assert_eq!(counts(&plan), expected, "n = {n}");
            assert!(plan.shortfalls().is_empty());
        }
    }

    #[test]
    fn a_short_domain_gives_all_it_has_and_the_rest_goes_by_weight() {
        let plan = Blueprint::plan(65, supply(&SAA, &[5, 40, 40, 40]));
        // 60 left over 26/24/20: 22.29, 20.57, 17.14 -> 22/21/17.
        assert_eq!(counts(&plan), [5, 22, 21, 17]);
        assert_eq!(plan.total(), 65);
        assert_eq!(
            plan.shortfalls(),
            [Shortfall {
                domain: "d0".into(),
                wanted: 19,
                available: 5
            }]
        );
        assert_eq!(
            plan.shortfalls()[0].to_string(),
            "domain `d0` has 5 of the 19 questions its weight asks for"
        );
    }

    #[test]
    fn shortfalls_cascade_and_a_small_pack_gives_everything() {
        // Taking d0's shortfall pushes d1 over its supply too.
        let plan = Blueprint::plan(65, supply(&SAA, &[5, 20, 40, 40]));
        assert_eq!(counts(&plan), [5, 20, 22, 18]);
        assert_eq!(
            plan.shortfalls().len(),
            1,
            "d1 had its share, just not the extra"
        );
        let tiny = Blueprint::plan(65, supply(&SAA, &[3, 2, 0, 4]));
        assert_eq!(counts(&tiny), [3, 2, 0, 4]);
        assert_eq!(tiny.total(), 9);
        assert_eq!(tiny.shortfalls().len(), 4);
    }

    #[test]
    fn zero_weights_split_evenly_and_ties_go_first() {
        assert_eq!(largest_remainder(5, &[0, 0, 0]), [2, 2, 1]);
        assert_eq!(largest_remainder(3, &[1, 1]), [2, 1]);
        assert_eq!(largest_remainder(4, &[0, 3]), [0, 4]);
        assert!(largest_remainder(4, &[]).is_empty());
    }

    proptest! {
        #[test]
        fn allocation_laws(
            total in 0usize..300,
            domains in prop::collection::vec((0u32..60, 0usize..80), 1..9),
        ) {
            let (weights, available): (Vec<u32>, Vec<usize>) = domains.into_iter().unzip();
            let plan = Blueprint::plan(total, supply(&weights, &available));
            let supply_total: usize = available.iter().sum();
            prop_assert_eq!(plan.total(), total.min(supply_total));
            let sum = u64::from(weights.iter().sum::<u32>());
            for d in &plan.domains {
                prop_assert!(d.count <= d.available);
                // The unconstrained share is within one of the exact quota.
                if sum > 0 {
                    let exact = total as f64 * f64::from(d.weight) / sum as f64;
                    prop_assert!((d.wanted as f64 - exact).abs() < 1.0);
                }
            }
            let plentiful = plan.domains.iter().all(|d| d.available >= d.wanted);
            if plentiful {
                prop_assert!(plan.domains.iter().all(|d| d.count == d.wanted));
            }
            // A domain short of its share gives everything it has.
            for d in &plan.domains {
                if d.available < d.wanted {
                    prop_assert_eq!(d.count, d.available);
                }
            }
        }
    }
}
