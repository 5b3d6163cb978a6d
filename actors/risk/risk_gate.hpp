#pragma once
// Risk gate actor: turns signals into order intents, runs the pre-trade checks and owns
// the trading state (ACTIVE / REDUCING / HALTED) and the breakers.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "caf/fwd.hpp"

#include "actors/core/carry_over.hpp"
#include "config/node_config.hpp"

namespace tradewind {

struct node_context;

/// Subscribes to signals, account and control. Decides buffered signals / manual intents
/// with event time <= W once W = min(watermark of every strategy in `strategy_ids`,
/// account watermark) — so every decision sees the account exactly as of its event time.
/// Publishes on orders: risk_decision for every intent, the approved order_intent,
/// cancel_request when the kill switch fires, then watermark{"risk", W}.
/// Breakers and state changes raise alerts; every change of a scope's trading state (command,
/// breaker, restore at start) is announced as trading_state_changed on control, which is what
/// the REST bridge shows.
///
/// Starts with the limits in `limits` and announces them (risk_limits_report on control); each
/// risk_limits_update is applied in arrival order (held back with everything else while an
/// outbox write is retried), reported, and written back to `limits`, so a restarted gate keeps
/// the operator's limits.
///
/// Order outbox: with `outbox` (the node's durable store, not `sqlite::memory:`), every
/// approved intent is written with its order row and decision in one transaction
/// (store::write_outbox) before it is published. The commit runs inline on a scheduler
/// worker, only for outputs that approve something (a detached gate, on its own thread,
/// measured 4x slower end to end: every message then costs a thread wake-up). When the write fails the gate raises
/// `outbox_write_failed`, keeps that output and every later message in its mailbox and
/// retries with back-off (100 ms doubling to 5 s): nothing reaches an executor unrecorded.
/// On start, before it handles any message, it loads the intents no executor has
/// acknowledged (store::unacked_outbox, alert `outbox_replayed`) and re-sends each one
/// just before the first of its own watermarks that reaches the intent's event time — where
/// it was first decided — unless the engine decides the same client order id again first.
/// Executors ignore a client order id they know.
///
/// Durable trading states: with `outbox`, every change of a scope's trading state or of a
/// breaker latch (risk::gate_output::states) is committed with that step's approvals (or
/// alone) before anything of the step is published; on start the stored states are restored
/// (risk_engine::restore, alert `trading_state_restored`) before any message is handled.
caf::actor spawn_risk_gate(caf::actor_system& sys, std::shared_ptr<carry_over<risk_config>> limits,
                           std::vector<std::string> strategy_ids, std::shared_ptr<node_context> ctx,
                           std::optional<store_config> outbox = std::nullopt);

/// Whether `cfg` names a store that outlives the process (the outbox needs one).
bool durable_store(const store_config& cfg);

} // namespace tradewind
