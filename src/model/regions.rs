//! Looking up the regions around a span without walking every region of the file: a file of
//! 50,000 Markdown fences has 50,000 regions, and every finding asks for its context and guard.

use std::sync::{Arc, Mutex};

use crate::model::Region;
use crate::source::Span;

/// Below this many regions a plain scan is as fast as the index.
const INDEXED_FROM: usize = 32;

/// Regions sorted by start, with the furthest end reached by any region up to each position.
#[derive(Debug, Default)]
pub struct RegionIndex {
    /// How many regions the index was built from (a region added later rebuilds it).
    len: usize,
    order: Vec<usize>,
    reach: Vec<usize>,
}

/// A lazily built [`RegionIndex`], rebuilt when regions were added since.
#[derive(Debug, Default)]
pub struct RegionCache(Mutex<Option<Arc<RegionIndex>>>);

impl RegionCache {
    /// The indexes (into `regions`) of the regions containing `span`, in region order.
    pub fn containing(&self, regions: &[Region], span: Span) -> Vec<usize> {
        if regions.len() < INDEXED_FROM {
            return (0..regions.len())
                .filter(|&i| regions[i].span.contains(span))
                .collect();
        }
        let index = {
            let mut guard = self.0.lock().unwrap_or_else(|p| p.into_inner());
            match guard.as_ref() {
                Some(index) if index.len == regions.len() => index.clone(),
                _ => {
                    let built = Arc::new(RegionIndex::new(regions));
                    *guard = Some(built.clone());
                    built
                }
            }
        };
        let upto = index
            .order
            .partition_point(|&i| regions[i].span.start() <= span.start());
        let mut found = Vec::new();
        for k in (0..upto).rev() {
            if index.reach[k] < span.end() {
                break;
            }
            let i = index.order[k];
            if regions[i].span.contains(span) {
                found.push(i);
            }
        }
        found.sort_unstable();
        found
    }
}

impl RegionIndex {
    fn new(regions: &[Region]) -> Self {
        let mut order: Vec<usize> = (0..regions.len()).collect();
        order.sort_by_key(|&i| (regions[i].span.start(), i));
        let mut reach = Vec::with_capacity(order.len());
        let mut furthest = 0;
        for &i in &order {
            furthest = furthest.max(regions[i].span.end());
            reach.push(furthest);
        }
        RegionIndex {
            len: regions.len(),
            order,
            reach,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_same_regions_as_a_scan() {
        let mut regions: Vec<Region> = (0..100)
            .map(|i| Region {
                span: Span::new(i * 10, i * 10 + 5),
                context: None,
                guard: None,
            })
            .collect();
        regions.push(Region {
            span: Span::new(0, 2_000),
            context: None,
            guard: None,
        });
        regions.push(Region {
            span: Span::new(300, 700),
            context: None,
            guard: None,
        });
        let cache = RegionCache::default();
        for at in [0, 3, 7, 302, 555, 999, 1_500, 5_000] {
            let span = Span::new(at, at + 1);
            let scan: Vec<usize> = (0..regions.len())
                .filter(|&i| regions[i].span.contains(span))
                .collect();
            assert_eq!(cache.containing(&regions, span), scan, "{at}");
        }
    }
}
