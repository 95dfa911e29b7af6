#!/usr/bin/env python3
"""Capacity plan and opening-night simulation behind docs/scaling.md.

    python3 docs/capacity.py            # fleet sizes, then two simulated opening nights
    python3 docs/capacity.py --check    # the same, asserting the simulation's invariants
    python3 docs/capacity.py --seed 7   # another random draw (default 1)

Python 3 standard library only; runs in about fifteen seconds. The inputs are named constants below:
first the figures measured on the project's 2-core machine (each with the README section and
the command that produced it), then the assumptions about traffic (each one a guess, stated).
Change an assumption and run it again; docs/scaling.md quotes the output of the defaults.
"""

import argparse
import heapq
import itertools
import math
import random
import statistics
import sys
from collections import Counter, deque

# ---------------------------------------------------------------------------------------------
# Measured on this shared 2-core machine (server, PostgreSQL, Redis and the load generator on
# the same two cores, so every figure is a floor for a dedicated host).
# ---------------------------------------------------------------------------------------------

# README "Load generator", `scripts/bench-onsale.sh --bots 0` (3 runs alternated with
# `--bots 50`; PostgreSQL + Redis, release build, 10,000 buyers, 500 in flight, 300 seats,
# waiting room on with `waiting_room_capacity` 10): sold out after a median 2.02 s
# (1.98 s with the bots); honest `holdSeats` p99 median 172.1 ms, p50 10.0 ms.
ONSALE_SEATS = 300
ONSALE_SOLD_OUT_S = 2.02
ONSALE_HOLD_P50_MS = 10.0
ONSALE_HOLD_P99_MS = 172.1
ONSALE_WAITING_ROOM_CAPACITY = 10
# README "Load generator", `scripts/bench-onsale.sh --bots 50 --seats 1000` (one run):
# 1,000 seats sold out after 5.03 s, 0 seats sold twice.
ONSALE_1000_SEATS_SOLD_OUT_S = 5.03
# loadgen/src/onsale.rs: each buyer holds 1-4 seats, uniformly: 2.5 seats per booking.
SEATS_PER_BOOKING = 2.5
# A paid booking is three write transactions on the showtime's rows: the hold
# (domain/src/booking/holds.rs `hold_in_db`), the checkout (checkout.rs `checkout`) and the
# confirmation (settle.rs `confirm` + `finish_confirmation`).
TXN_PER_PAID_BOOKING = 3

# README "Load generator", `scripts/bench-barrage.sh --requests 100000` (the whole mix,
# PostgreSQL + Redis, release build): 100,000 requests in 105.5 s (948/s), peak memory
# 177 MB. The mix is mostly refusals and catalog reads: a rough per-instance request rate.
INSTANCE_REQ_PER_S = 948
INSTANCE_PEAK_MB = 177

# README "Load generator", `scripts/bench-onsale.sh --subscribers 1000` (12 runs): seat-map
# delivery p99 median 88.8 ms, peak server memory 204-242 MB with 1,000 subscribers.
SUBSCRIBERS_MEASURED = 1000
SUBSCRIBER_P99_MS = 88.8
# README "Configuration": `ws_max_connections` default, subscription connections per instance.
WS_MAX_CONNECTIONS = 20_000

# README "Load generator", `scripts/bench-search.sh` (one run): 100,000 documents, build
# 7.2 s, index 41 MB, p99 full-text 22.6 ms, fuzzy 17.0 ms, autocomplete 5.0 ms, near-me
# 10.1 ms at concurrency 32, peak memory 613 MB.
SEARCH_DOCS = 100_000
SEARCH_BUILD_S = 7.2
SEARCH_INDEX_MB = 41
SEARCH_P99_FULL_TEXT_MS = 22.6
SEARCH_CONCURRENCY = 32
SEARCH_PEAK_MB = 613

# README "Set up a fresh machine": the demo seed has 362 screens with 67,872 seats and about
# 8,500 showtimes a week with 1.6 million show seats.
SEED_SCREENS = 362
SEED_SEATS = 67_872
SEED_SHOWTIMES_PER_WEEK = 8_500
SEED_SHOW_SEATS = 1_600_000

# Measured for docs/scaling.md ("Redis at scale" gives the commands): redis-benchmark, 50
# clients, on this machine under other load: the waiting room's look-up (ZREMRANGEBYSCORE,
# GET, ZCARD, ZSCORE, ZRANK over a line of 100,000) 26,300 scripts/s; the front line's claim
# of one seat 26,100 scripts/s; plain GET 34,100/s. One Redis process uses one core.
REDIS_ROOM_SCRIPTS_PER_S = 26_300
REDIS_CLAIM_SCRIPTS_PER_S = 26_100
REDIS_GET_PER_S = 34_100

# ---------------------------------------------------------------------------------------------
# Derived from the measurements.
# ---------------------------------------------------------------------------------------------

# Paid bookings per second one PostgreSQL primary carried in the on-sale benchmark, and the
# write transactions per second that is. A floor: the sale was paced by a waiting room of 10
# and the primary shared two cores with everything else.
PRIMARY_BOOKINGS_PER_S = ONSALE_SEATS / SEATS_PER_BOOKING / ONSALE_SOLD_OUT_S
PRIMARY_TXN_PER_S = PRIMARY_BOOKINGS_PER_S * TXN_PER_PAID_BOOKING
# Searches per second one instance answered at least (Little's law with the p99 standing in
# for the mean latency, which is lower).
INSTANCE_SEARCHES_PER_S = SEARCH_CONCURRENCY / (SEARCH_P99_FULL_TEXT_MS / 1000)

# ---------------------------------------------------------------------------------------------
# Assumptions (not measured; change them and run again).
# ---------------------------------------------------------------------------------------------

DAILY_USERS = 10_000_000          # the seed issue's "millions of daily users"
VISITS_PER_USER = 1.5           # visits per user per day
REQUESTS_PER_VISIT = 30         # GraphQL requests per visit (listings, search, pages, maps)
SEARCH_SHARE = 0.25               # of requests: search and autocomplete
SEAT_MAP_SHARE = 0.10             # of requests: seat maps (read from the showtime's shard)
BUYER_SHARE = 0.05                # of daily users who book (500,000 bookings a day)
HOLDS_PER_BOOKING = 1.3           # holds per paid booking (abandoned, lost seats, retries)
PEAK_TO_AVERAGE = 4.0             # evening peak hour against the day's average
TARGET_UTILISATION = 0.5          # plan every part to run at half its measured capacity
CATALOG_DOCS = 400_000            # titles (with back catalogue) and theatres in the index
INSTANCES_PLANNED = 100           # the fleet size the bus and search sections discuss
SEAT_EVENT_BYTES = 400            # a seat.changes message on the bus (JSON, 2-3 seats)

HOLD_TTL_S = 600                  # `hold_ttl_minutes` default (README "Configuration")
ADMISSION_S = 120                 # `waiting_room_admission_seconds` default
ROOM_RECHECK_S = 1.0              # domain/src/waiting_room/service.rs RECHECK
ROOM_POLL_S = 10.0                # the web app's `waitingRoom(waitMs: 10000)` long poll
CHOOSE_MEAN_S = 20.0              # admitted buyer picking seats on the map (log-normal)
RECHOOSE_MEAN_S = 6.0             # picking again after SEAT_UNAVAILABLE
PAY_MEAN_S = 45.0                 # from hold to checkout (card entry)
GATEWAY_S = 1.5                   # the gateway's answer
ABANDON = 0.12                    # holds never paid: they lapse after HOLD_TTL_S
DECLINE = 0.03                    # payments declined: seats back at once
FALLBACK = 0.6                    # buyers who try their next showtime when theirs is gone
BEST_TIER = 0.3                   # share of a house everyone wants first
BEST_TIER_PREFERENCE = 0.75       # buyers who pick from that tier while it has seats
MAX_TRIES = 4                     # SEAT_UNAVAILABLE answers before a buyer gives up
DECISION_S = 2.0                  # from the last look at the live map to the hold's arrival
ARENA_SEATS = 18_000              # a large venue, for the one-showtime ceiling


def lognormal(rng, mean, sigma=0.6):
    return rng.lognormvariate(math.log(mean) - sigma * sigma / 2, sigma)


# ---------------------------------------------------------------------------------------------
# The daily plan.
# ---------------------------------------------------------------------------------------------


def daily_plan():
    requests_day = DAILY_USERS * VISITS_PER_USER * REQUESTS_PER_VISIT
    avg_req_s = requests_day / 86_400
    peak_req_s = avg_req_s * PEAK_TO_AVERAGE
    bookings_day = DAILY_USERS * BUYER_SHARE
    # Per paid booking: 3 writes; per extra hold (lost or abandoned): its hold and its
    # release or expiry.
    txn_per_booking = TXN_PER_PAID_BOOKING + (HOLDS_PER_BOOKING - 1) * 2
    peak_txn_s = bookings_day * txn_per_booking / 86_400 * PEAK_TO_AVERAGE
    peak_seat_map_s = peak_req_s * SEAT_MAP_SHARE
    peak_search_s = peak_req_s * SEARCH_SHARE
    instances = math.ceil(peak_req_s / (INSTANCE_REQ_PER_S * TARGET_UTILISATION)) + 1
    search_instances = math.ceil(peak_search_s / (INSTANCE_SEARCHES_PER_S * TARGET_UTILISATION))
    index_mb = SEARCH_INDEX_MB * CATALOG_DOCS / SEARCH_DOCS
    build_s = SEARCH_BUILD_S * CATALOG_DOCS / SEARCH_DOCS
    return {
        "requests_day": requests_day,
        "avg_req_s": avg_req_s,
        "peak_req_s": peak_req_s,
        "bookings_day": bookings_day,
        "peak_txn_s": peak_txn_s,
        "peak_seat_map_s": peak_seat_map_s,
        "peak_search_s": peak_search_s,
        "instances": instances,
        "search_instances": search_instances,
        "index_mb": index_mb,
        "build_s": build_s,
    }


def print_daily(plan):
    print("== Measured on this 2-core machine (README) ==")
    print(f"on-sale: {ONSALE_SEATS} seats sold out in {ONSALE_SOLD_OUT_S} s (waiting room "
          f"{ONSALE_WAITING_ROOM_CAPACITY}) -> {PRIMARY_BOOKINGS_PER_S:.1f} paid bookings/s, "
          f"{PRIMARY_TXN_PER_S:.0f} booking write transactions/s on one primary (a floor)")
    print(f"on-sale, 1,000 seats: {1000 / ONSALE_1000_SEATS_SOLD_OUT_S:.0f} seats/s "
          f"({1000 / SEATS_PER_BOOKING / ONSALE_1000_SEATS_SOLD_OUT_S:.0f} bookings/s)")
    print(f"barrage: {INSTANCE_REQ_PER_S} requests/s per instance; search: at least "
          f"{INSTANCE_SEARCHES_PER_S:.0f} full-text searches/s per instance; index "
          f"{SEARCH_INDEX_MB} MB and {SEARCH_BUILD_S} s per {SEARCH_DOCS:,} documents")
    print(f"holdSeats p50 {ONSALE_HOLD_P50_MS} ms, p99 {ONSALE_HOLD_P99_MS} ms; live seat maps "
          f"p99 {SUBSCRIBER_P99_MS} ms with {SUBSCRIBERS_MEASURED:,} subscribers; peak memory "
          f"{INSTANCE_PEAK_MB} MB (barrage), {SEARCH_PEAK_MB} MB (search benchmark)")
    print(f"redis (measured for docs/scaling.md): {REDIS_ROOM_SCRIPTS_PER_S:,} waiting-room "
          f"look-ups/s, {REDIS_CLAIM_SCRIPTS_PER_S:,} front-line claims/s, "
          f"{REDIS_GET_PER_S:,} GET/s per process")
    print(f"seed: {SEED_SEATS / SEED_SCREENS:.0f} seats per screen, "
          f"{SEED_SHOW_SEATS / SEED_SHOWTIMES_PER_WEEK:.0f} show seats per showtime")
    print()
    print("== Daily plan (assumptions in docs/capacity.py) ==")
    print(f"{DAILY_USERS:,} users x {VISITS_PER_USER} visits x {REQUESTS_PER_VISIT} "
          f"requests = {plan['requests_day'] / 1e6:.0f} M requests/day, "
          f"{plan['avg_req_s']:,.0f}/s average, {plan['peak_req_s']:,.0f}/s at the "
          f"{PEAK_TO_AVERAGE:g}x evening peak")
    print(f"instances at {TARGET_UTILISATION:.0%} of {INSTANCE_REQ_PER_S} req/s: "
          f"{plan['instances']} (one spare included)")
    print(f"bookings: {plan['bookings_day']:,.0f}/day -> {plan['peak_txn_s']:.0f} booking "
          f"write transactions/s at the peak hour: "
          f"{plan['peak_txn_s'] / (PRIMARY_TXN_PER_S * TARGET_UTILISATION):.2f} of one "
          f"primary's half-load budget")
    print(f"seat maps: {plan['peak_seat_map_s']:,.0f}/s at the peak (reads on the showtime's "
          f"shard or its standby); searches: {plan['peak_search_s']:,.0f}/s, "
          f"{plan['search_instances']} instances' worth of search")
    print(f"search index of {CATALOG_DOCS:,} documents: ~{plan['index_mb']:.0f} MB and "
          f"~{plan['build_s']:.0f} s to build per copy; {INSTANCES_PLANNED} copies = "
          f"{plan['index_mb'] * INSTANCES_PLANNED / 1024:.1f} GB of disk, "
          f"{INSTANCES_PLANNED} full catalog reads for a fleet-wide rebuild")
    print()


# ---------------------------------------------------------------------------------------------
# The opening-night simulation.
# ---------------------------------------------------------------------------------------------

AVAILABLE, HELD, SOLD = 0, 1, 2


class Showtime:
    """Seats (ordered best first), the waiting room and the counters of one showtime."""

    def __init__(self, sid, seats, capacity):
        self.sid = sid
        self.n = seats
        self.best = int(seats * BEST_TIER)
        self.status = bytearray(seats)
        self.holder = [None] * seats
        # Available seats of each tier, as swap-remove lists with positions.
        self.avail = [list(range(self.best)), list(range(self.best, seats))]
        self.pos = {s: i for i, s in enumerate(self.avail[0])}
        self.pos.update({s: i for i, s in enumerate(self.avail[1])})
        self.held = 0
        self.sold = 0
        self.capacity = capacity
        self.line = deque()
        self.in_line = set()
        self.admitted = {}  # buyer -> admission end
        self.max_line = 0
        self.sold_out_at = None
        self.taken_at = None  # every seat held or sold
        self.gone = False  # sold out: its line was told

    def tier(self, seat):
        return 0 if seat < self.best else 1

    def take(self, seat, status, who):
        lst = self.avail[self.tier(seat)]
        i = self.pos.pop(seat)
        last = lst.pop()
        if last != seat:
            lst[i] = last
            self.pos[last] = i
        self.status[seat] = status
        self.holder[seat] = who

    def give_back(self, seat):
        lst = self.avail[self.tier(seat)]
        self.pos[seat] = len(lst)
        lst.append(seat)
        self.status[seat] = AVAILABLE
        self.holder[seat] = None

    def available(self):
        return len(self.avail[0]) + len(self.avail[1])

    def choose(self, rng, k):
        best, rest = self.avail
        if best and rng.random() < BEST_TIER_PREFERENCE:
            pool = best
        else:
            pool = rest if rest else best
        if len(pool) < k:
            pool = best + rest
        if len(pool) < k:
            return None
        return rng.sample(pool, k)


class Sim:
    def __init__(self, scenario, rng):
        self.sc = scenario
        self.rng = rng
        self.shows = [Showtime(i, scenario["seats"], scenario["capacity"])
                      for i in range(scenario["showtimes"])]
        self.q = []
        self.seq = 0
        self.db = []           # (second, showtime) per write transaction
        self.db_refused = []   # (second, showtime) per hold the front line turned away
        self.events = Counter()  # outbox rows per second (bus messages)
        self.claims = Counter()  # front-line scripts per second
        self.room_visits = Counter()  # waiting-room scripts per second (entries, spends)
        self.waiting = 0
        self.max_waiting = 0
        self.outcome = Counter()
        self.bookings = {}  # booking id -> (showtime, seats, state)
        self.next_booking = 0
        self.buyer_seats_paid = Counter()
        self.hold_attempts = 0
        self.refusals = 0
        self.end = 0.0

    def at(self, t, kind, *data):
        self.seq += 1
        heapq.heappush(self.q, (t, self.seq, kind, data))

    def write(self, t, show, rows):
        self.db.append((int(t), show.sid))
        self.events[int(t)] += rows

    # -- buyers ------------------------------------------------------------------------------

    def arrive(self, t, buyer, prefs, k):
        self.buyers[buyer] = [prefs, k, 0]
        self.enter_next(t, buyer)

    def enter_next(self, t, buyer):
        prefs = self.buyers[buyer][0]
        while prefs:
            show = self.shows[prefs[0]]
            if not show.gone:
                show.line.append(buyer)
                show.in_line.add(buyer)
                self.room_visits[int(t)] += 1
                self.waiting += 1
                self.max_waiting = max(self.max_waiting, self.waiting)
                show.max_line = max(show.max_line, len(show.line))
                self.admit(t, show)
                return
            prefs.pop(0)
        self.outcome["left: nothing left"] += 1

    def fall_back(self, t, buyer):
        prefs = self.buyers[buyer][0]
        prefs.pop(0)
        if prefs and self.rng.random() < FALLBACK:
            self.buyers[buyer][2] = 0
            self.enter_next(t, buyer)
        else:
            self.outcome["left: showtime gone"] += 1

    def admit(self, t, show):
        if t < self.sc["opens_at"]:
            return
        while show.line and len(show.admitted) < show.capacity:
            buyer = show.line.popleft()
            show.in_line.discard(buyer)
            self.waiting -= 1
            show.admitted[buyer] = t + ADMISSION_S
            self.at(t + lognormal(self.rng, CHOOSE_MEAN_S), "chosen", buyer, show.sid)
            self.at(t + ADMISSION_S, "admission_end", buyer, show.sid)

    def leave_room(self, t, show, buyer):
        if show.admitted.pop(buyer, None) is not None:
            self.admit(t, show)

    def chosen(self, t, buyer, sid):
        """The buyer settles on seats from the live map, and sends the hold a moment later."""
        show = self.shows[sid]
        if buyer not in show.admitted or show.admitted[buyer] <= t:
            return  # admission lapsed meanwhile
        k = self.buyers[buyer][1]
        if show.available() < k:
            if show.held and show.available() + show.held >= k:
                # Seats may come back (holds lapse or fail): look again while admitted.
                self.at(t + 15.0, "chosen", buyer, sid)
            else:
                self.leave_room(t, show, buyer)
                self.fall_back(t, buyer)
            return
        self.at(t + DECISION_S, "hold", buyer, sid, show.choose(self.rng, k))

    def hold(self, t, buyer, sid, seats):
        show = self.shows[sid]
        if buyer not in show.admitted or show.admitted[buyer] <= t:
            return
        k = len(seats)
        self.hold_attempts += 1
        self.room_visits[int(t)] += 1  # the hold spends the admission
        self.claims[int(t)] += 1
        if any(show.status[s] != AVAILABLE for s in seats):
            # Taken between the buyer's choice and the hold: SEAT_UNAVAILABLE from the front
            # line, the admission given back, and the buyer chooses again.
            self.refusals += 1
            self.db_refused.append((int(t), sid))
            self.room_visits[int(t)] += 1
            self.buyers[buyer][2] += 1
            if self.buyers[buyer][2] >= MAX_TRIES:
                self.leave_room(t, show, buyer)
                self.outcome["left: kept losing seats"] += 1
            else:
                self.at(t + lognormal(self.rng, RECHOOSE_MEAN_S), "chosen", buyer, sid)
            return
        # The hold: one transaction, seats held, the admission spent, the slot passed on.
        booking = self.next_booking
        self.next_booking += 1
        for s in seats:
            assert show.status[s] == AVAILABLE, "a seat held twice"
            show.take(s, HELD, booking)
        show.held += k
        self.bookings[booking] = [sid, seats, "held", buyer]
        self.write(t, show, 2)
        self.leave_room(t, show, buyer)
        if show.available() == 0 and show.taken_at is None:
            show.taken_at = t
        if self.rng.random() < ABANDON:
            self.at(t + HOLD_TTL_S, "expire", booking)
        else:
            pay = min(lognormal(self.rng, PAY_MEAN_S), HOLD_TTL_S - 30)
            self.at(t + pay, "checkout", booking)

    def checkout(self, t, booking):
        sid, seats, state, buyer = self.bookings[booking]
        if state != "held":
            return
        show = self.shows[sid]
        self.bookings[booking][2] = "pending"
        self.write(t, show, 2)
        self.at(t + GATEWAY_S, "settle", booking)

    def settle(self, t, booking):
        sid, seats, state, buyer = self.bookings[booking]
        show = self.shows[sid]
        if self.rng.random() < DECLINE:
            self.release(t, show, booking, "failed")
            self.outcome["left: card declined"] += 1
            return
        for s in seats:
            assert show.status[s] == HELD and show.holder[s] == booking, "sold a seat not held"
            show.status[s] = SOLD
        show.held -= len(seats)
        show.sold += len(seats)
        self.bookings[booking][2] = "confirmed"
        self.buyer_seats_paid[buyer] += len(seats)
        self.write(t, show, 3)
        self.outcome["bought"] += 1
        if show.sold == show.n and show.sold_out_at is None:
            show.sold_out_at = t
            self.gone(t, show)

    def expire(self, t, booking):
        sid, seats, state, buyer = self.bookings[booking]
        if state != "held":
            return
        self.release(t, self.shows[sid], booking, "expired")
        self.outcome["left: abandoned the hold"] += 1

    def release(self, t, show, booking, state):
        seats = self.bookings[booking][1]
        for s in seats:
            assert show.status[s] == HELD and show.holder[s] == booking, "released a seat not held"
            show.give_back(s)
        show.held -= len(seats)
        self.bookings[booking][2] = state
        self.claims[int(t)] += 1  # the front line's claims are dropped
        self.write(t, show, 2)
        self.admit(t, show)

    def gone(self, t, show):
        # Sold out: the room's line is told (the seat map says so) and moves on.
        show.gone = True
        line = list(show.line)
        show.line.clear()
        for buyer in line:
            show.in_line.discard(buyer)
            self.waiting -= 1
            self.fall_back(t, buyer)

    def run(self):
        sc, rng = self.sc, self.rng
        self.buyers = {}
        weights = [1 / (i + 1) ** sc["zipf"] for i in range(sc["showtimes"])]
        cumulative = list(itertools.accumulate(weights))
        shows = range(sc["showtimes"])
        for b in range(sc["buyers"]):
            if rng.random() < sc["early_share"]:
                t = sc["opens_at"] - rng.random() * sc["early_window_s"]
            else:
                t = sc["opens_at"] + rng.expovariate(1 / sc["late_mean_s"])
            first = rng.choices(shows, cum_weights=cumulative)[0]
            prefs = [first]
            if sc["showtimes"] > 1:
                prefs += rng.sample(range(sc["showtimes"]), min(3, sc["showtimes"] - 1))
                prefs = list(dict.fromkeys(prefs))
            self.at(t, "arrive", b, prefs, rng.randint(1, 4))
        self.at(sc["opens_at"], "open")
        # Buyers waiting poll the room: sample the line once a second.
        self.at(sc["opens_at"], "tick")
        while self.q:
            t, _, kind, data = heapq.heappop(self.q)
            self.end = t
            if kind == "arrive":
                self.arrive(t, *data)
            elif kind == "open":
                for show in self.shows:
                    self.admit(t, show)
            elif kind == "chosen":
                self.chosen(t, *data)
            elif kind == "hold":
                self.hold(t, *data)
            elif kind == "admission_end":
                buyer, sid = data
                show = self.shows[sid]
                end = show.admitted.get(buyer)
                if end is not None and end <= t:
                    self.leave_room(t, show, buyer)
                    self.outcome["left: admission lapsed"] += 1
            elif kind == "checkout":
                self.checkout(t, *data)
            elif kind == "settle":
                self.settle(t, *data)
            elif kind == "expire":
                self.expire(t, *data)
            elif kind == "tick":
                self.room_visits[int(t)] += self.waiting / ROOM_RECHECK_S
                if self.q:
                    self.at(t + 1.0, "tick")
        return self

    # -- results -----------------------------------------------------------------------------

    def per_shard_peak(self, assignment, shards, background):
        """The busiest second of the busiest shard, with `background` added to every shard."""
        if not hasattr(self, "_by_show_second"):
            self._by_show_second = Counter(self.db)
        per = Counter()
        for (sec, sid), n in self._by_show_second.items():
            per[(assignment[sid], sec)] += n
        peaks = [0] * shards
        for (shard, _), n in per.items():
            peaks[shard] = max(peaks[shard], n)
        peaks = [p + background for p in peaks]
        return max(peaks), peaks

    def check(self):
        for show in self.shows:
            counts = Counter(show.status)
            assert counts[AVAILABLE] == show.available(), "available seats miscounted"
            assert counts[HELD] == show.held == 0, "a hold outlived the simulation"
            assert counts[SOLD] == show.sold, "sold seats miscounted"
            assert counts[AVAILABLE] + counts[SOLD] == show.n, "seats lost"
        sold_by_booking = Counter()
        seat_owner = {}
        for booking, (sid, seats, state, _) in self.bookings.items():
            if state == "confirmed":
                for s in seats:
                    assert (sid, s) not in seat_owner, "a seat sold twice"
                    seat_owner[(sid, s)] = booking
                    assert self.shows[sid].holder[s] == booking, "ticket on another's seat"
                sold_by_booking[sid] += len(seats)
        for show in self.shows:
            assert sold_by_booking[show.sid] == show.sold, "tickets and seats disagree"
        assert sum(self.outcome.values()) == self.sc["buyers"], "a buyer unaccounted for"
        assert self.outcome["bought"] == sum(
            1 for b in self.bookings.values() if b[2] == "confirmed"), "bookings miscounted"
        assert self.waiting == 0 and all(not s.line for s in self.shows), "a buyer left waiting"


def place(sim, shards, directory):
    """Showtimes to shards: by a directory balanced on expected demand, or by hash."""
    n = len(sim.shows)
    if not directory:
        rng = random.Random(n * 31 + shards)
        return [rng.randrange(shards) for _ in range(n)]
    weights = [1 / (i + 1) ** sim.sc["zipf"] for i in range(n)]
    load = [0.0] * shards
    out = [0] * n
    for sid in sorted(range(n), key=lambda i: -weights[i]):
        s = min(range(shards), key=lambda j: load[j])
        out[sid] = s
        load[s] += weights[sid]
    return out


def report(name, sim, plan, budget):
    sc = sim.sc
    shows = sim.shows
    seats = sum(s.n for s in shows)
    sold = sum(s.sold for s in shows)
    sold_out = [s.sold_out_at - sc["opens_at"] for s in shows if s.sold_out_at is not None]
    taken = [s.taken_at - sc["opens_at"] for s in shows if s.taken_at is not None]
    db_per_s = Counter(sec for sec, _ in sim.db)
    peak_db = max(db_per_s.values())
    hot = Counter(sid for _, sid in sim.db)
    hottest = max(hot, key=hot.get)
    hottest_peak = max(Counter(sec for sec, sid in sim.db if sid == hottest).values())
    refused = Counter(sec for sec, _ in sim.db_refused)
    peak_if_no_front_line = max((db_per_s[s] + refused[s] for s in db_per_s), default=0)
    peak_events = max(sim.events.values())
    peak_claims = max(sim.claims.values())
    peak_room = max(sim.room_visits.values())
    hot_slot_room = max(s.max_line for s in shows) / ROOM_RECHECK_S
    print(f"== Opening night: {name} ==")
    print(f"{sc['buyers']:,} buyers ({sc['early_share']:.0%} lined up in the "
          f"{sc['early_window_s'] // 60:.0f} min before the on-sale), {sc['showtimes']} "
          f"showtime(s) x {sc['seats']:,} seats = {seats:,} seats, waiting room "
          f"{sc['capacity']} per showtime")
    print(f"sold {sold:,} of {seats:,} seats ({sold / seats:.1%}) in "
          f"{sim.outcome['bought']:,} bookings; outcomes: "
          + ", ".join(f"{k} {v:,}" for k, v in sorted(sim.outcome.items())))
    if sold_out:
        print(f"sold out: {len(sold_out)} of {len(shows)} showtime(s); after "
              f"median {statistics.median(sold_out) / 60:.1f} min, last "
              f"{max(sold_out) / 60:.1f} min (lapsed holds come back after "
              f"{HOLD_TTL_S // 60} min)")
    if taken:
        print(f"every seat held or sold: median {statistics.median(taken) / 60:.1f} min, "
              f"last {max(taken) / 60:.1f} min after the opening")
    print(f"queue: at most {sim.max_waiting:,} buyers waiting in all; longest line "
          f"{max(s.max_line for s in shows):,}")
    print(f"hold attempts {sim.hold_attempts:,}, turned away by the front line "
          f"{sim.refusals:,} ({sim.refusals / max(1, sim.hold_attempts):.0%})")
    print(f"database: peak {peak_db} write transactions/s in all "
          f"({peak_if_no_front_line} with the front line down); hottest showtime "
          f"{hottest_peak}/s")
    print(f"redis: peak {peak_claims} front-line scripts/s; waiting room "
          f"{peak_room:,.0f} scripts/s in all, {hot_slot_room:,.0f}/s on the hottest "
          f"showtime's slot ({hot_slot_room / REDIS_ROOM_SCRIPTS_PER_S:.0%} of one Redis "
          f"process as measured)")
    print(f"bus: peak {peak_events} outbox events/s; with Redis pub/sub every instance hears "
          f"each: {peak_events * INSTANCES_PLANNED:,} deliveries/s and "
          f"{peak_events * INSTANCES_PLANNED * SEAT_EVENT_BYTES * 8 / 1e6:.0f} Mbit/s out of "
          f"Redis at {INSTANCES_PLANNED} instances")
    print(f"web: {sim.max_waiting / ROOM_POLL_S:,.0f} waiting-room polls/s at the longest line "
          f"({sim.max_waiting / ROOM_POLL_S / (INSTANCE_REQ_PER_S * TARGET_UTILISATION):.1f} "
          f"instances' worth at {TARGET_UTILISATION:.0%})")
    # Shards: background booking load spread evenly, plus the on-sale.
    chosen = None
    lines = []
    for shards in range(1, 65):
        background = plan["peak_txn_s"] / shards
        by_dir, _ = sim.per_shard_peak(place(sim, shards, True), shards, background)
        by_hash, _ = sim.per_shard_peak(place(sim, shards, False), shards, background)
        lines.append((shards, by_dir, by_hash))
        if by_dir <= budget and chosen is None:
            chosen = shards
            break
    for shards, by_dir, by_hash in lines[-3:]:
        print(f"  {shards:2d} shard(s): busiest shard peak {by_dir:5.0f} txn/s by directory, "
              f"{by_hash:5.0f} by hash (budget {budget:.0f}, {TARGET_UTILISATION:.0%} of the "
              f"measured {PRIMARY_TXN_PER_S:.0f})")
    if chosen is None:
        print("  no shard count up to 64 keeps the busiest shard under the budget: the "
              "hottest showtime alone is over it; lower its waiting-room capacity")
    else:
        print(f"shards needed (primaries of {PRIMARY_TXN_PER_S:.0f} booking txn/s): {chosen}")
    print()
    return {
        "shards": chosen,
        "hottest_peak": hottest_peak,
        "peak_db": peak_db,
        "peak_room": peak_room,
        "hot_slot_room": hot_slot_room,
        "peak_claims": peak_claims,
        "peak_events": peak_events,
        "polls": sim.max_waiting / ROOM_POLL_S,
    }


def print_fleet(plan, nights, budget):
    """What the daily plan and the worst opening night ask for together."""
    worst = {k: max(n[k] for n in nights) for k in nights[0] if k != "shards"}
    shards = max(n["shards"] or 0 for n in nights)
    instances = math.ceil((plan["peak_req_s"] + worst["polls"])
                          / (INSTANCE_REQ_PER_S * TARGET_UTILISATION)) + 1
    # Redis: a rate-limit script per request, a cached listing read for a third of them, the
    # front line and the waiting room. One Redis process per node, measured scripts/s.
    redis_ops = (plan["peak_req_s"] + worst["polls"]) * (1 + 0.3) + worst["peak_room"] \
        + worst["peak_claims"]
    redis_nodes = math.ceil(redis_ops / (REDIS_CLAIM_SCRIPTS_PER_S * TARGET_UTILISATION))
    print("== Fleet for the daily peak plus the worst opening night ==")
    print(f"instances: {instances} (daily peak {plan['peak_req_s']:,.0f} req/s plus "
          f"{worst['polls']:,.0f} waiting-room polls/s, at {TARGET_UTILISATION:.0%} of "
          f"{INSTANCE_REQ_PER_S} req/s each, one spare)")
    print(f"PostgreSQL shards: {shards} (primaries of {PRIMARY_TXN_PER_S:.0f} booking txn/s, "
          f"each with its synchronous standby), budget {budget:.0f} write txn/s each; a "
          f"primary measured k times faster needs about 1/k as many (--primary-txn-per-s)")
    print(f"Redis: ~{redis_ops:,.0f} scripts/s -> {redis_nodes} primaries at "
          f"{TARGET_UTILISATION:.0%} of {REDIS_CLAIM_SCRIPTS_PER_S:,}/s (plus a replica each); "
          f"but one showtime's waiting room is one slot: {worst['hot_slot_room']:,.0f} "
          f"scripts/s on one node ({worst['hot_slot_room'] / REDIS_ROOM_SCRIPTS_PER_S:.1f}x "
          f"what one process did here) until the polls are coalesced")
    print(f"websockets: {WS_MAX_CONNECTIONS:,} per instance (`ws_max_connections`): one live "
          f"seat map for each of 100,000 buyers fits on "
          f"{math.ceil(100_000 / WS_MAX_CONNECTIONS)} instances")
    print(f"bus: {worst['peak_events']:,} events/s at the peak; Redis pub/sub delivers "
          f"{worst['peak_events'] * instances:,}/s to {instances} instances")
    print(f"search: {instances} full index copies today (~{plan['index_mb']:.0f} MB each), or "
          f"{plan['search_instances']} dedicated search nodes x 2 for redundancy")
    print()


SCENARIOS = {
    "blockbuster": {
        "title": "a blockbuster's opening night across a chain",
        "buyers": 120_000,
        "showtimes": 400,
        "seats": 200,
        "capacity": 10,
        "zipf": 0.8,
        "opens_at": 600.0,
        "early_share": 0.6,
        "early_window_s": 600.0,
        "late_mean_s": 900.0,
    },
    "arena": {
        "title": "one arena show",
        "buyers": 100_000,
        "showtimes": 1,
        "seats": 18_000,
        "capacity": 400,
        "zipf": 1.0,
        "opens_at": 600.0,
        "early_share": 0.8,
        "early_window_s": 600.0,
        "late_mean_s": 600.0,
    },
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="assert the simulation's invariants (no seat sold twice, totals)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--primary-txn-per-s", type=float, default=None,
                        help="booking write transactions/s one primary sustains, measured on "
                             "the target hardware (default: this machine's floor)")
    args = parser.parse_args()

    global PRIMARY_TXN_PER_S
    if args.primary_txn_per_s:
        PRIMARY_TXN_PER_S = args.primary_txn_per_s
    plan = daily_plan()
    print_daily(plan)
    budget = PRIMARY_TXN_PER_S * TARGET_UTILISATION
    nights = []
    for sc in SCENARIOS.values():
        sim = Sim(sc, random.Random(args.seed)).run()
        if args.check:
            sim.check()
        nights.append(report(sc["title"], sim, plan, budget))
    print_fleet(plan, nights, budget)
    # The largest waiting room one showtime may have on one primary: its holds, checkouts
    # and confirmations must stay under the budget.
    txn_per_admitted = (TXN_PER_PAID_BOOKING + 2 * (HOLDS_PER_BOOKING - 1)) / CHOOSE_MEAN_S
    print("== One showtime's ceiling ==")
    print(f"an admitted buyer makes ~{txn_per_admitted:.2f} write transactions/s "
          f"(choosing for {CHOOSE_MEAN_S:g} s): waiting_room_capacity up to "
          f"{budget / txn_per_admitted:.0f} per showtime keeps one showtime under its shard's "
          f"budget; {ARENA_SEATS:,} seats then sell in at least "
          f"{ARENA_SEATS / SEATS_PER_BOOKING / (budget / txn_per_admitted / CHOOSE_MEAN_S) / 60:.1f} min")
    if args.check:
        print("check: passed (no seat sold twice, seats and tickets agree, every buyer "
              "accounted for, no hold outlives the night)")


if __name__ == "__main__":
    sys.exit(main())
