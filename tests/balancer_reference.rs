//! Load balancers on hand-made request lists, checked against outcomes worked out by hand from
//! each algorithm's published description.

use std::rc::Rc;

use sysdeck::sim::balancer::{
    Algo, Arrivals, Config, Failure, Fleet, Hashing, Picker, Request, Run, Service, Shape, Workload,
};
use sysdeck::sim::time::{MILLISECOND, Nanos, SECOND};

const MS: Nanos = MILLISECOND;

fn config(fleet: Fleet) -> Config {
    Config {
        shape: Shape {
            requests: 0,
            utilisation: 1.0,
            servers: fleet.servers,
            mean_service: MS,
            arrivals: Arrivals::Steady,
            service: Service::Constant,
            keys: 1,
            seed: 0,
        },
        fleet,
        hashing: Hashing {
            vnodes: 50,
            epsilon: 0.5,
            seed: 0,
        },
    }
}

/// Requests arriving at `times` (ms) with `services` (ms).
fn requests(times: &[u64], services: &[u64]) -> Rc<Workload> {
    let list = times
        .iter()
        .zip(services)
        .map(|(&at, &service)| Request {
            at: at * MS,
            service: service * MS,
            key: 0,
        })
        .collect();
    Rc::new(Workload::from_requests(list))
}

/// `algo` run to the end on `work`.
fn run_on(fleet: Fleet, work: Rc<Workload>, algo: Algo) -> Run {
    let mut run = Run::with_workload(config(fleet), work, &[algo]);
    run.run_to_end();
    run
}

/// Round robin ("each server is used in turns", HAProxy configuration manual, `balance
/// roundrobin`) on 2 servers, requests at 0, 1, 2, 3 ms taking 3 ms each: server 0 takes the
/// requests at 0 and 2, server 1 those at 1 and 3. The second on each waits 1 ms, so the
/// latencies are 3, 3, 4, 4 ms: mean 3.5, median (nearest rank) 3, max 4.
#[test]
fn round_robin_deals_in_turn() {
    let work = requests(&[0, 1, 2, 3], &[3, 3, 3, 3]);
    let run = run_on(Fleet::healthy(2), work, Algo::RoundRobin);
    let lane = &run.lanes[0];
    let latency = lane.latency();
    assert_eq!((latency.p50_ns, latency.max_ns), (3 * MS, 4 * MS));
    assert_eq!(latency.mean_ns, 3.5 * MS as f64);
    let counts: Vec<u64> = lane.stats.iter().map(|s| s.requests).collect();
    assert_eq!(counts, [2, 2]);
    assert_eq!(lane.stats[0].peak, 2);
    // Busy time inside the arrival window (0 to 3 ms): server 0 serves from 0, server 1 from 1.
    assert_eq!((lane.stats[0].busy, lane.stats[1].busy), (3 * MS, 2 * MS));
}

/// Least connections ("the server with the lowest number of connections receives the
/// connection", HAProxy manual, `balance leastconn`) against round robin when one request is
/// long: requests at 0, 1, 2, 3 ms taking 10, 1, 1, 1 ms on 2 servers. Least connections sends
/// the first to server 0 and, with server 0 still busy, the other three to server 1, each
/// finding it free: latencies 10, 1, 1, 1 (mean 3.25). Round robin sends the request at 2 ms
/// behind the long one on server 0, where it waits until 10 ms: latencies 10, 1, 9, 1 (mean 5.25).
#[test]
fn least_connections_steers_around_a_long_request() {
    let services = [10, 1, 1, 1];
    let least = run_on(
        Fleet::healthy(2),
        requests(&[0, 1, 2, 3], &services),
        Algo::LeastConnections,
    );
    assert_eq!(least.lanes[0].latency().mean_ns, 3.25 * MS as f64);
    let counts: Vec<u64> = least.lanes[0].stats.iter().map(|s| s.requests).collect();
    assert_eq!(counts, [1, 3]);
    let robin = run_on(
        Fleet::healthy(2),
        requests(&[0, 1, 2, 3], &services),
        Algo::RoundRobin,
    );
    assert_eq!(robin.lanes[0].latency().mean_ns, 5.25 * MS as f64);
    assert_eq!(robin.lanes[0].latency().max_ns, 10 * MS);
}

/// Evenly spaced requests of equal length dealt in turn never queue while each server's share
/// arrives slower than it serves (a D/D/1 queue below saturation): at 90% on 8 servers, every
/// latency is exactly the 10 ms service time.
#[test]
fn steady_constant_round_robin_never_queues() {
    let mut config = config(Fleet::healthy(8));
    config.shape = Shape {
        requests: 5_000,
        utilisation: 0.9,
        mean_service: 10 * MS,
        ..config.shape
    };
    let mut run = Run::new(config, &[Algo::RoundRobin, Algo::Random]).unwrap();
    run.run_to_end();
    let robin = run.lanes[0].latency();
    assert_eq!((robin.p50_ns, robin.max_ns), (10 * MS, 10 * MS));
    assert!(run.lanes[1].latency().max_ns > 10 * MS, "random collides");
}

/// Health checks with HAProxy's `fall 2 rise 2` every second, two servers, round robin, a
/// request every 100 ms (10 ms each) from 100 ms to 20 s. Server 0 is down from 5 s to 15 s
/// (failing to start with, then every 30 s). The checks at 5 s and 6 s fail, so it leaves at
/// 6 s; meanwhile it gets the odd-numbered requests, those at 5.1, 5.3, 5.5, 5.7 and 5.9 s,
/// which fail fast. The checks at 15 s and 16 s pass and it is back at 16 s.
#[test]
fn health_checks_take_a_failing_server_out_and_back() {
    let fleet = Fleet {
        failing: 1,
        ..Fleet::healthy(2)
    };
    let times: Vec<u64> = (1..=200).map(|k| 100 * k).collect();
    let work = requests(&times, &[10; 200]);
    let mut run = Run::with_workload(config(fleet.clone()), work.clone(), &[Algo::RoundRobin]);
    run.advance_to(6 * SECOND - 1);
    assert!(run.lanes[0].servers[0].in_rotation);
    run.advance_to(6 * SECOND);
    assert!(
        !run.lanes[0].servers[0].in_rotation,
        "out after two failed checks"
    );
    run.advance_to(16 * SECOND - 1);
    assert!(!run.lanes[0].servers[0].in_rotation);
    run.advance_to(16 * SECOND);
    assert!(
        run.lanes[0].servers[0].in_rotation,
        "back after two passed checks"
    );
    run.run_to_end();
    let lane = &run.lanes[0];
    assert_eq!((lane.errors, lane.stats[0].errors), (5, 5));
    assert_eq!(lane.removals, 1);
    // Server 1 takes the even-numbered of the 59 requests before 6 s (29), all 100 from 6 s
    // until 16 s, and, with server 0 first in turn again at 16 s, 20 of the last 41.
    assert_eq!(lane.stats[1].requests, 29 + 100 + 20);
    // Fast failures are back in 1 ms; with a 1 s timeout the same five hang for a second each.
    let slow = Fleet {
        failure: Failure::Timeout,
        ..fleet
    };
    let mut hanging = Run::with_workload(config(slow), work, &[Algo::RoundRobin]);
    hanging.run_to_end();
    let lane = &hanging.lanes[0];
    assert_eq!(lane.errors, 5);
    assert_eq!(lane.stats[0].peak, 5, "five requests hang at once");
}

/// Bounded loads (Mirrokni, Thorup and Zadimoghaddam, SODA 2018, section 2): a key goes to
/// its ring server unless that server already holds ceil((1+epsilon) m / n) of the m requests
/// (the new one counted); then it walks on to the next server with room. Three servers,
/// epsilon 0.5, loads 2, 1, 1 with the key's server first: m = 5 and the cap is
/// ceil(1.5 * 5 / 3) = 3, so the key stays; at loads 3, 1, 1, m = 6 and the cap is
/// ceil(1.5 * 6 / 3) = 3, which the key's server already holds, so the key goes elsewhere.
#[test]
fn bounded_loads_walk_past_a_full_server() {
    let hashing = Hashing {
        vnodes: 50,
        epsilon: 0.5,
        seed: 0,
    };
    let all = [0, 1, 2];
    let mut plain = Picker::new(Algo::Hash, hashing, 0);
    let key = (0u64..)
        .map(|k| k.wrapping_mul(0x9e37_79b9_7f4a_7c15))
        .find(|&key| plain.pick(key, &[0, 0, 0], &all) == 0)
        .unwrap();
    let mut bounded = Picker::new(Algo::Bounded, hashing, 0);
    assert_eq!(bounded.pick(key, &[2, 1, 1], &all), 0);
    assert_ne!(bounded.pick(key, &[3, 1, 1], &all), 0);
    assert_eq!(
        (bounded.capacity(5), bounded.capacity(6)),
        (Some(3), Some(3))
    );
    // The plain ring ignores load.
    assert_eq!(plain.pick(key, &[3, 1, 1], &all), 0);
}
