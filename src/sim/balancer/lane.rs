//! One algorithm's run as a discrete-event simulation: arrivals from the shared workload, a
//! first-come-first-served queue per server, failures, health checks, and the measurements.
//! A lane can run to the end at once (the CLI) or be advanced to a time, frame by frame (the lab).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::rc::Rc;

use super::fleet::{FAST_FAIL, Failure, Fleet};
use super::pick::Picker;
use super::stats::{Latency, ServerStats};
use super::workload::Workload;
use crate::sim::time::Nanos;

/// Something that happens to one server at a time: a request finishes, or fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Event {
    /// The request in service finishes.
    Done { server: usize, request: usize },
    /// A request sent to a down server comes back as an error.
    Failed { server: usize },
}

/// A server's live state.
#[derive(Debug, Clone, Default)]
pub struct Server {
    /// Requests waiting, by index into the workload; the one in service is not here.
    queue: VecDeque<usize>,
    busy: bool,
    /// Queued, in service, or sent while it was down and not yet failed.
    pub outstanding: u32,
    /// Whether the balancer sends it requests (health checks take it out).
    pub in_rotation: bool,
    /// Health probes failed or passed in a row.
    fails: u32,
    passes: u32,
    /// When `outstanding` last changed, for the time spent at each level.
    since: Nanos,
}

/// One algorithm over the workload.
pub struct Lane {
    picker: Picker,
    fleet: Rc<Fleet>,
    workload: Rc<Workload>,
    pub servers: Vec<Server>,
    pub stats: Vec<ServerStats>,
    /// Latencies of the requests that succeeded, in completion order.
    latencies: Vec<Nanos>,
    pub errors: u64,
    /// The requests that have arrived.
    pub arrived: usize,
    pub now: Nanos,
    /// When the last request finished or failed.
    pub last_done: Nanos,
    /// How many times a health check took a server out of rotation.
    pub removals: u64,
    events: BinaryHeap<Reverse<(Nanos, u64, Event)>>,
    sequence: u64,
    next_check: Nanos,
    /// The highest ratio of a server's load to bounded loads' cap seen at an assignment.
    pub peak_bound_ratio: Option<f64>,
    /// The servers in rotation, ascending; rebuilt when a health check changes it.
    rotation: Vec<usize>,
}

impl Lane {
    /// A lane at time zero, every server in rotation.
    pub fn new(picker: Picker, fleet: Rc<Fleet>, workload: Rc<Workload>) -> Lane {
        let servers = vec![
            Server {
                in_rotation: true,
                ..Server::default()
            };
            fleet.servers
        ];
        Lane {
            picker,
            stats: vec![ServerStats::new(); fleet.servers],
            rotation: (0..fleet.servers).collect(),
            next_check: fleet.health.interval,
            servers,
            fleet,
            workload,
            latencies: Vec::new(),
            errors: 0,
            arrived: 0,
            now: 0,
            last_done: 0,
            removals: 0,
            events: BinaryHeap::new(),
            sequence: 0,
            peak_bound_ratio: None,
        }
    }

    pub fn algo(&self) -> super::Algo {
        self.picker.algo()
    }

    /// Whether every request has arrived and finished or failed.
    pub fn finished(&self) -> bool {
        self.arrived == self.workload.requests().len() && self.events.is_empty()
    }

    /// Runs every event up to and including `time`; the clock then reads `time`.
    pub fn advance_to(&mut self, time: Nanos) {
        while let Some(at) = self.next_time().filter(|&at| at <= time) {
            self.step(at);
        }
        self.now = self.now.max(time);
    }

    /// Runs until every request has finished or failed.
    pub fn run_to_end(&mut self) {
        while let Some(at) = self.next_time() {
            self.step(at);
        }
    }

    /// The latency summary of the requests finished so far.
    pub fn latency(&self) -> Latency {
        Latency::of(&mut self.latencies.clone())
    }

    /// Requests finished successfully so far.
    pub fn completed(&self) -> u64 {
        self.latencies.len() as u64
    }

    /// When the next thing happens: a finish or failure, a health check, or an arrival. Health
    /// checks run only while there is work left, so a finished run stops.
    fn next_time(&self) -> Option<Nanos> {
        let event = self.events.peek().map(|Reverse((at, _, _))| *at);
        let arrival = self.workload.requests().get(self.arrived).map(|r| r.at);
        let check = match self.fleet.failing > 0 && (event.is_some() || arrival.is_some()) {
            true => Some(self.next_check),
            false => None,
        };
        [event, arrival, check].into_iter().flatten().min()
    }

    /// Handles everything due at `at`: finishes and failures first (they free servers), then
    /// the health check, then the arrival.
    fn step(&mut self, at: Nanos) {
        self.now = at;
        if let Some(&Reverse((time, _, event))) = self.events.peek()
            && time == at
        {
            self.events.pop();
            return self.finish(event);
        }
        if self.fleet.failing > 0 && self.next_check == at {
            self.next_check += self.fleet.health.interval;
            return self.health_check();
        }
        self.arrive();
    }

    fn schedule(&mut self, at: Nanos, event: Event) {
        self.sequence += 1;
        self.events.push(Reverse((at, self.sequence, event)));
    }

    /// Sets a server's outstanding count, first crediting the time spent at the old one.
    fn set_outstanding(&mut self, server: usize, value: u32) {
        let window = self.workload.span();
        let state = &mut self.servers[server];
        let span = self.now.min(window).saturating_sub(state.since.min(window));
        self.stats[server].dwell(state.outstanding, span);
        state.since = self.now;
        state.outstanding = value;
        let stats = &mut self.stats[server];
        stats.peak = stats.peak.max(value);
    }

    /// Starts serving `request` on `server`, counting its busy time inside the arrival window.
    fn serve(&mut self, server: usize, request: usize) {
        let service = self.workload.requests()[request].service;
        let duration = self.fleet.service_time(server, service);
        let end = self.now.saturating_add(duration);
        let window = self.workload.span();
        self.stats[server].busy += end.min(window).saturating_sub(self.now.min(window));
        self.servers[server].busy = true;
        self.schedule(end, Event::Done { server, request });
    }

    fn arrive(&mut self) {
        let index = self.arrived;
        self.arrived += 1;
        let request = self.workload.requests()[index];
        let outstanding: Vec<u32> = self.servers.iter().map(|s| s.outstanding).collect();
        let all: Vec<usize>;
        let candidates = match self.rotation.is_empty() {
            // Fail open: with every server out, send to all of them rather than to none.
            true => {
                all = (0..self.servers.len()).collect();
                &all
            }
            false => &self.rotation,
        };
        let server = self.picker.pick(request.key, &outstanding, candidates);
        let total: u64 = candidates.iter().map(|&s| u64::from(outstanding[s])).sum();
        if let Some(cap) = self.picker.capacity(total + 1) {
            let ratio = f64::from(outstanding[server] + 1) / cap as f64;
            self.peak_bound_ratio = Some(self.peak_bound_ratio.unwrap_or(0.0).max(ratio));
        }
        self.stats[server].requests += 1;
        self.set_outstanding(server, outstanding[server] + 1);
        if self.fleet.is_down(server, self.now) {
            let delay = match self.fleet.failure {
                Failure::Fast => FAST_FAIL,
                Failure::Timeout => self.fleet.timeout,
            };
            self.schedule(self.now + delay, Event::Failed { server });
        } else if self.servers[server].busy {
            self.servers[server].queue.push_back(index);
        } else {
            self.serve(server, index);
        }
    }

    fn finish(&mut self, event: Event) {
        self.last_done = self.now;
        let server = match event {
            Event::Done { server, request } => {
                let arrived = self.workload.requests()[request].at;
                self.latencies.push(self.now - arrived);
                match self.servers[server].queue.pop_front() {
                    Some(next) => self.serve(server, next),
                    None => self.servers[server].busy = false,
                }
                server
            }
            Event::Failed { server } => {
                self.errors += 1;
                self.stats[server].errors += 1;
                server
            }
        };
        let outstanding = self.servers[server].outstanding;
        self.set_outstanding(server, outstanding.saturating_sub(1));
    }

    /// Probes every server: `fall` failures in a row take one out, `rise` passes bring it back.
    fn health_check(&mut self) {
        let health = self.fleet.health;
        let mut changed = false;
        for (index, server) in self.servers.iter_mut().enumerate() {
            if self.fleet.is_down(index, self.now) {
                server.passes = 0;
                server.fails = server.fails.saturating_add(1);
                if server.in_rotation && server.fails >= health.fall {
                    server.in_rotation = false;
                    self.removals += 1;
                    changed = true;
                }
            } else {
                server.fails = 0;
                server.passes = server.passes.saturating_add(1);
                if !server.in_rotation && server.passes >= health.rise {
                    server.in_rotation = true;
                    changed = true;
                }
            }
        }
        if changed {
            self.rotation = (0..self.servers.len())
                .filter(|&s| self.servers[s].in_rotation)
                .collect();
        }
    }

    /// Credits the time at the current levels up to now; call before reading occupancy.
    pub fn settle(&mut self) {
        for server in 0..self.servers.len() {
            let outstanding = self.servers[server].outstanding;
            self.set_outstanding(server, outstanding);
        }
    }
}
