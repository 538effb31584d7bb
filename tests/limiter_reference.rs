//! Each rate limiter against hand-computed cases from its published description. Every case
//! names the rule it checks; the expected decisions were worked out on paper from the cited
//! source, not by running the code.
//!
//! Decisions are written `A` (admitted), `R` (rejected) and `Q<ms>` (queued that long), with an
//! optional count in front: `3A R` is three admissions and then a rejection.

use sysdeck::sim::limiter::{
    Decision, FixedWindow, Gcra, LeakyMeter, LeakyQueue, Limiter, Quota, SlidingCounter,
    SlidingLog, TokenBucket, run,
};
use sysdeck::sim::time::{MILLISECOND, Nanos, SECOND};

/// One hand-computed case: requests at `arrivals` and what the description says happens.
struct Case {
    name: &'static str,
    arrivals: Vec<Nanos>,
    expect: &'static str,
}

fn case(name: &'static str, arrivals: Vec<Nanos>, expect: &'static str) -> Case {
    Case {
        name,
        arrivals,
        expect,
    }
}

fn ms(n: u64) -> Nanos {
    n * MILLISECOND
}

/// Arrival times in milliseconds.
fn at(times: &[u64]) -> Vec<Nanos> {
    times.iter().map(|&t| ms(t)).collect()
}

/// `count` requests at the same instant.
fn burst(count: usize, time: Nanos) -> Vec<Nanos> {
    vec![time; count]
}

/// Expands `3A R Q100` into decisions.
fn decisions(expect: &str) -> Vec<Decision> {
    expect
        .split_whitespace()
        .flat_map(|token| {
            let digits = token.find(|c: char| !c.is_ascii_digit()).unwrap();
            let count = token[..digits].parse().unwrap_or(1);
            let decision = match &token[digits..] {
                "A" => Decision::Admitted,
                "R" => Decision::Rejected,
                queued => Decision::Queued {
                    delay: ms(queued[1..].parse().unwrap()),
                },
            };
            std::iter::repeat_n(decision, count)
        })
        .collect()
}

fn check<L: Limiter>(limiter: &L, cases: &[Case]) {
    for c in cases {
        let (got, _) = run(limiter, &c.arrivals);
        assert_eq!(
            got,
            decisions(c.expect),
            "{}: {}",
            c.name,
            limiter.describe()
        );
    }
}

fn quota(limit: u32, window: Nanos) -> Quota {
    Quota::new(limit, window).unwrap()
}

/// RFC 2697 (single rate three color marker), section 3: the bucket starts full at CBS, its
/// count is incremented CIR times a second up to CBS, and a packet of size B conforms when the
/// count is at least B, which it then decrements. Here CBS = 3 tokens, one token every 100ms,
/// every request of size 1.
#[test]
fn token_bucket_follows_rfc_2697() {
    let bucket = TokenBucket::new(quota(3, ms(300)));
    check(
        &bucket,
        &[
            case("a full bucket pays for a burst of CBS", burst(4, 0), "3A R"),
            case(
                "one token comes back per interval",
                at(&[0, 0, 0, 100]),
                "4A",
            ),
            case("0.99 of a token is not a token", at(&[0, 0, 0, 99]), "3A R"),
            case(
                "a refused request spends nothing: half a token, then a whole one",
                at(&[0, 0, 0, 50, 100]),
                "3A R A",
            ),
            case(
                "the count stops at CBS however long the bucket idles",
                burst(4, SECOND),
                "3A R",
            ),
            case(
                "arrivals at the token rate all conform",
                at(&[0, 0, 0, 100, 200, 300]),
                "6A",
            ),
        ],
    );
}

/// The leaky bucket as a queue: Tanenbaum, Computer Networks (5th ed.), section 5.4.2 —
/// packets wait in a bucket of finite size and leave at a constant rate, and a packet arriving
/// at a full bucket is discarded; nginx's `limit_req` with `burst` behaves the same ("excessive
/// requests are delayed until their number exceeds the maximum burst size"). Here two may
/// wait, and one leaves every 100ms.
#[test]
fn leaky_queue_follows_tanenbaum_and_nginx_limit_req() {
    let queue = LeakyQueue::new(quota(2, ms(200)));
    check(
        &queue,
        &[
            case("an empty bucket forwards at once", at(&[0]), "A"),
            case(
                "a burst leaves one interval apart",
                burst(3, 0),
                "A Q100 Q200",
            ),
            case(
                "a full bucket discards the overflow",
                burst(4, 0),
                "A Q100 Q200 R",
            ),
            case(
                "at 150ms one has left, so there is room, behind the one still waiting",
                at(&[0, 0, 0, 150]),
                "A Q100 Q200 Q150",
            ),
            case(
                "arrivals at the leak rate never wait",
                at(&[0, 100, 200]),
                "3A",
            ),
        ],
    );
}

/// The leaky bucket as a meter: ITU-T I.371, the continuous-state leaky bucket — the count X
/// drains by one unit per unit of time (never below 0), and a cell conforms when the drained
/// count is at most the limit L, then adds the increment I. With I = 100ms and L = 100ms the
/// bucket holds two requests' worth.
#[test]
fn leaky_meter_follows_itu_t_i371_continuous_state() {
    let meter = LeakyMeter::new(quota(2, ms(200)));
    check(
        &meter,
        &[
            case(
                "an empty bucket takes L / I + 1 at once",
                burst(3, 0),
                "2A R",
            ),
            case(
                "after one increment has drained there is room for one",
                at(&[0, 0, 100]),
                "3A",
            ),
            case(
                "half a drained increment is not enough (X' = 150ms > L)",
                at(&[0, 0, 50]),
                "2A R",
            ),
            case(
                "a non-conforming cell adds nothing to X",
                at(&[0, 0, 50, 100]),
                "2A R A",
            ),
            case(
                "X drains to 0, not below, over a long idle",
                burst(3, SECOND),
                "2A R",
            ),
        ],
    );
}

/// The fixed window counter: the Redis `INCR` documentation, "Pattern: Rate limiter" — one
/// counter per client per aligned period, refused once it passes the limit, dropped when the
/// period ends; Cloudflare's "How we built rate limiting capable of scaling to millions of
/// domains" (2017) shows the burst this allows at a boundary. Two per 100ms.
#[test]
fn fixed_window_follows_the_redis_incr_pattern() {
    let fixed = FixedWindow::new(quota(2, ms(100)));
    check(
        &fixed,
        &[
            case("the limit holds inside a window", at(&[0, 10, 20]), "2A R"),
            case(
                "the counter resets at each aligned boundary",
                at(&[90, 95, 99, 100, 101, 102]),
                "2A R 2A R",
            ),
            case(
                "twice the limit gets through in 2ms across a boundary",
                at(&[99, 99, 100, 100]),
                "4A",
            ),
            case(
                "an idle window carries nothing over",
                at(&[0, 0, 250, 250, 250]),
                "4A R",
            ),
        ],
    );
}

/// The sliding window log: Figma's "An alternative approach to rate limiting" (2017) — keep a
/// timestamp per request, drop those older than the window, and allow a request only while
/// fewer than the limit remain. Two per 100ms; a request at t leaves the log at t + 100ms.
#[test]
fn sliding_log_follows_figmas_description() {
    let log = SlidingLog::new(quota(2, ms(100)));
    check(
        &log,
        &[
            case("the limit holds in any window", at(&[0, 50, 99]), "2A R"),
            case(
                "an entry stops counting exactly one window later",
                at(&[0, 50, 100]),
                "3A",
            ),
            case(
                "no double burst at an aligned boundary",
                at(&[99, 99, 100, 100]),
                "2A 2R",
            ),
            case(
                "refused requests are not logged, so they do not extend the lockout",
                at(&[0, 0, 50, 100]),
                "2A R A",
            ),
        ],
    );
}

/// The sliding window counter: Cloudflare's "How we built rate limiting capable of scaling to
/// millions of domains" (2017) — the rate is the previous window's count weighted by the share
/// of it the sliding window still covers, plus the current window's count, and requests are
/// allowed while that estimate is below the limit.
#[test]
fn sliding_counter_follows_cloudflares_estimate() {
    // Cloudflare's worked example: 50 per minute, 42 requests in the previous minute and 18 in
    // the current one, 15s in: 42 * (60 - 15) / 60 + 18 = 49.5, below 50, so one more fits;
    // after it the estimate is 50.5. (At 74s the estimate is 42 * 46 / 60 + c = 32.2 + c, so
    // all 18 fit there.)
    let per_minute = SlidingCounter::new(quota(50, 60 * SECOND));
    let mut arrivals = burst(42, 0);
    arrivals.extend(burst(18, 74 * SECOND));
    arrivals.extend(burst(2, 75 * SECOND));
    check(
        &per_minute,
        &[case(
            "42 x 0.75 + 18 = 49.5 < 50 admits the next request",
            arrivals,
            "42A 18A A R",
        )],
    );

    // 1 per 100ms, requests at 0 and 150ms: at 150ms the estimate is 1 x 0.5 + 0 = 0.5 < 1.
    let one = SlidingCounter::new(quota(1, ms(100)));
    check(
        &one,
        &[case(
            "a fractional estimate below the limit admits",
            at(&[0, 150]),
            "2A",
        )],
    );

    // 4 per 100ms with 4 at the end of window 0: at 100ms the estimate is 4 (refused); at
    // 125ms 4 x 0.75 = 3; at 126ms 4 x 0.74 + 1 = 3.96; at 150ms 4 x 0.5 + 2 = 4 (refused);
    // at 151ms 4 x 0.49 + 2 = 3.96.
    let four = SlidingCounter::new(quota(4, ms(100)));
    check(
        &four,
        &[case(
            "the previous window counts by the share still covered",
            at(&[96, 97, 98, 99, 100, 125, 126, 150, 151]),
            "4A R 2A R A",
        )],
    );

    // 1 per second, one request every 500ms for 60s: admitted at 0, then at every x.5s from
    // 1.5s on, when the estimate is 1 x 0.5 + 0; refused on every whole second (estimate 1):
    // the configured rate, 60 in 60s.
    let steady = SlidingCounter::new(quota(1, SECOND));
    let every_half_second: Vec<Nanos> = (0..120).map(|i| i * ms(500)).collect();
    let (decisions, _) = run(&steady, &every_half_second);
    let admitted = decisions
        .iter()
        .filter(|d| **d == Decision::Admitted)
        .count();
    assert_eq!(admitted, 60, "steady traffic at twice the limit");
}

/// GCRA: ITU-T I.371 (and the ATM Forum's TM 4.0), the virtual scheduling algorithm — a cell
/// arriving at t_a is non-conforming if t_a < TAT - tau and then leaves TAT alone; otherwise
/// TAT becomes max(t_a, TAT) + T. Here T = 100ms and tau = 100ms.
#[test]
fn gcra_follows_the_itu_t_i371_virtual_scheduling_algorithm() {
    let gcra = Gcra::new(quota(2, ms(200)));
    assert_eq!(
        (gcra.emission_interval(), gcra.tolerance()),
        (ms(100), ms(100))
    );
    check(
        &gcra,
        &[
            case("a burst of tau / T + 1 conforms", burst(3, 0), "2A R"),
            case(
                "a cell exactly tau ahead of TAT conforms (TAT 200ms at 100ms)",
                at(&[0, 0, 100]),
                "3A",
            ),
            case(
                "a cell 1ns more than tau ahead does not",
                vec![0, 0, ms(100) - 1],
                "2A R",
            ),
            case(
                "a non-conforming cell leaves TAT alone",
                at(&[0, 0, 50, 100]),
                "2A R A",
            ),
        ],
    );
    // A late cell restarts the schedule from its own arrival: TAT = 1000ms + T.
    let (_, state) = run(&gcra, &at(&[0, 1000]));
    assert_eq!(state.tat, ms(1100));
}
